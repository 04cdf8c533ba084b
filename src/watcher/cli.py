"""The ``watcher`` command line.

Every command takes ``--config`` and ``--db`` (or WATCHER_CONFIG / WATCHER_DB). Expected
failures print one line starting with ``error:`` and exit with status 2 (configuration)
or 1 (anything else); a traceback means a bug.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from watcher.config import Config, load_config
from watcher.errors import ConfigError, WatcherError
from watcher.store import Store
from watcher.text import clean_text

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


class Context:
    def __init__(self, config_path: str | None, db_path: str | None) -> None:
        self.config_path = config_path
        self.db_path = db_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, db=self.db_path)
        return self._config

    def store(self, *, create: bool = True) -> Store:
        return Store(self.config.db_path, create=create)


def fails_cleanly(fn: F) -> F:
    """Turn watcher's expected errors into one line on stderr and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigError as e:
            err.print(f"[bold red]error:[/] {clean_text(str(e))}", markup=True)
            sys.exit(2)
        except WatcherError as e:
            err.print(f"[bold red]error:[/] {clean_text(str(e))}", markup=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def safe(s: object) -> str:
    """A stranger's string, fit for the terminal and for rich (no markup, no escapes)."""
    from rich.markup import escape

    return escape(clean_text("" if s is None else str(s)))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="WATCHER_CONFIG", type=click.Path(),
              help="Config file [default: config/watcher.toml; env WATCHER_CONFIG].")
@click.option("--db", "db_path", envvar="WATCHER_DB", type=click.Path(),
              help="Database file, overriding [storage] path [env WATCHER_DB].")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="watcher")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_path: str | None,
         verbose: int) -> None:
    """Watch news feeds for the figures of a story, and record when they change."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(config_path, db_path)


# --- run ------------------------------------------------------------------------------

@main.command()
@click.option("--once", is_flag=True, help="Run one cycle over all enabled feeds, then exit.")
@click.option("--progress/--no-progress", default=None,
              help="Show progress (default: when stdout is a terminal).")
@click.pass_obj
@fails_cleanly
def run(obj: Context, once: bool, progress: bool | None) -> None:
    """Poll the feeds: one cycle with --once, else as a daemon.

    Exit status 0 when the cycle ran, even if some feeds failed (they are listed);
    1 or 2 when the config or the database cannot be used.
    """
    from watcher.pipeline import run_once

    config = obj.config
    if not once:
        raise WatcherError("the daemon is not built yet: use `watcher run --once` "
                           "(schedule it with cron or a systemd timer meanwhile)")
    show = sys.stdout.isatty() if progress is None else progress
    with obj.store() as store:
        hook = _figures_hook(config)
        if show:
            from rich.progress import Progress

            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("checking feeds", total=len(config.enabled_feeds))
                report = asyncio.run(run_once(config, store, hook=hook,
                                              on_feed=lambda _o: bar.advance(task)))
        else:
            report = asyncio.run(run_once(config, store, hook=hook))
    _print_summary(report, config)


def _figures_hook(config: Config) -> Any:
    try:
        from watcher.observe import FiguresHook
    except ImportError:
        return None
    return FiguresHook.from_config(config)


def _print_summary(report: Any, config: Config) -> None:
    c = report.counts()
    table = Table(title=f"cycle finished in {report.elapsed:.1f} s", show_header=False,
                  title_justify="left", box=None)
    table.add_column(justify="left")
    table.add_column(justify="right")
    rows = [("feeds checked", c["feeds"]), ("new content", c["ok"]),
            ("not modified", c["not_modified"]), ("failed", c["failed"]),
            ("new entries", c["new_entries"]), ("articles extracted", c["articles"]),
            ("from feed text (fallback)", c["fallbacks"]),
            ("observations", c["observations"]), ("changes", c["changes"])]
    for label, value in rows:
        table.add_row(label, str(value))
    out.print(table)
    failed = [o for o in report.outcomes if o.status == "error"]
    if failed:
        out.print("failed feeds:")
        for o in sorted(failed, key=lambda o: o.name):
            out.print(f"  {safe(o.name)}: {safe(o.error)}")
    out.print(f"database: {safe(config.db_path)}")


# --- feeds ----------------------------------------------------------------------------

@main.group()
def feeds() -> None:
    """List, add, import and export the configured feeds."""


@feeds.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
@fails_cleanly
def feeds_list(obj: Context, fmt: str) -> None:
    """Configured feeds with their fetch state."""
    import json

    config = obj.config
    state: dict[str, dict[str, Any]] = {}
    if config.db_path.exists():
        with obj.store(create=False) as store:
            state = {r["url"]: r for r in store.list_feeds()}
    rows = []
    for f in config.feeds:
        s = state.get(f.url, {})
        rows.append({"name": f.name, "url": f.url, "enabled": f.enabled,
                     "interval": f.interval, "tags": list(f.tags),
                     "last_checked": s.get("last_checked_at"),
                     "last_status": s.get("last_status"),
                     "http_status": s.get("last_http_status"),
                     "last_error": s.get("last_error"),
                     "entries": s.get("entry_count", 0),
                     "consecutive_errors": s.get("consecutive_errors", 0),
                     "permanent_redirect": s.get("permanent_url")})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table(show_lines=False)
    for col in ("name", "status", "entries", "errors", "last checked", "url"):
        table.add_column(col, overflow="fold")
    for r in rows:
        status = r["last_status"] or "never"
        if not r["enabled"]:
            status = "disabled"
        table.add_row(safe(r["name"]), safe(status), str(r["entries"]),
                      str(r["consecutive_errors"]), safe(r["last_checked"] or "-"),
                      safe(r["url"]))
    out.print(table)
    for r in rows:
        if r["last_error"]:
            out.print(f"{safe(r['name'])}: {safe(r['last_error'])}")


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="Display name.")
@click.option("--interval", help="Poll interval, e.g. 30m, 2h.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.pass_obj
@fails_cleanly
def feeds_add(obj: Context, url: str, name: str | None, interval: str | None,
              tags: tuple[str, ...]) -> None:
    """Add a feed to the config file, keeping its comments."""
    from watcher.config import check_url, parse_duration
    from watcher.config_edit import add_feeds

    path = obj.config.path
    problem = check_url(url)
    if problem:
        raise ConfigError(path, "feeds.url", problem)
    if interval:
        try:
            parse_duration(interval)
        except ValueError as e:
            raise ConfigError(path, "feeds.interval", str(e)) from None
    entry: dict[str, Any] = {"url": url}
    if name:
        entry["name"] = name
    if tags:
        entry["tags"] = list(tags)
    added = add_feeds(path, [entry], interval=interval)
    load_config(path)   # the edited file must still be valid
    click.echo(f"added {url}" if added else f"already present: {url}")


@feeds.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--interval", help="Poll interval for the imported feeds.")
@click.pass_obj
@fails_cleanly
def feeds_import(obj: Context, opml_file: str, interval: str | None) -> None:
    """Add the feeds of an OPML file to the config."""
    from watcher.config_edit import add_feeds
    from watcher.opml import parse_opml

    path = obj.config.path
    result = parse_opml(Path(opml_file).read_bytes(), source=opml_file)
    added = add_feeds(path, result.feeds, interval=interval)
    load_config(path)
    click.echo(f"imported {len(added)} new feed(s), {len(result.feeds) - len(added)} "
               "already present")
    for what, why in result.skipped:
        click.echo(f"skipped {clean_text(what)}: {why}")


@feeds.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File (default stdout).")
@click.pass_obj
@fails_cleanly
def feeds_export(obj: Context, output: str | None) -> None:
    """Write the configured feeds as OPML 2.0."""
    from watcher.opml import OutlineFeed, render_opml

    text = render_opml(OutlineFeed(url=f.url, name=f.name, tags=f.tags)
                       for f in obj.config.feeds)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# --- articles -------------------------------------------------------------------------

@main.group()
def articles() -> None:
    """Look into the stored articles."""


@articles.command("search")
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.pass_obj
@fails_cleanly
def articles_search(obj: Context, query: str, limit: int) -> None:
    """Full-text search over article titles and text (SQLite FTS5 syntax)."""
    with obj.store(create=False) as store:
        rows = store.search_articles(query, limit)
    if not rows:
        click.echo("no match")
        return
    for r in rows:
        out.print(f"[bold]{safe(r['title'])}[/]  {safe(r['published'] or '')}")
        out.print(f"  {safe(r['url'])}")
        out.print(f"  {safe(r['snippet'])}")


if __name__ == "__main__":
    main()
