"""`watcher feeds` and `watcher articles`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from watcher.cli.base import Context, fails_cleanly, main, out, safe
from watcher.errors import ConfigError
from watcher.text import clean_text

if TYPE_CHECKING:
    from watcher.config import Config, FeedConfig

# --- feeds ----------------------------------------------------------------------------

@main.group()
def feeds() -> None:
    """List, add, remove, disable, enable, import and export the configured feeds."""


@feeds.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
@fails_cleanly
def feeds_list(obj: Context, fmt: str) -> None:
    """Configured feeds with their fetch state."""
    import json

    from rich.table import Table

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
    from watcher.config import editable, load_config
    from watcher.config_edit import add_feeds

    path = editable(obj.config.path)
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
    from watcher.config import editable, load_config
    from watcher.config_edit import add_feeds
    from watcher.opml import parse_opml

    path = editable(obj.config.path)
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
    from watcher.digest.atom import write_atomically
    from watcher.opml import OutlineFeed, format_duration, render_opml

    text = render_opml(OutlineFeed(url=f.url, name=f.name, tags=f.tags,
                                   interval=format_duration(f.interval), enabled=f.enabled)
                       for f in obj.config.feeds)
    if output:
        write_atomically(Path(output), text)
    else:
        click.echo(text, nl=False)


def _pick_feed(config: Config, ref: str) -> FeedConfig:
    """The one feed `ref` names: its URL first, else its name (case does not matter)."""
    from watcher.opml import url_key

    by_url = [f for f in config.feeds if url_key(f.url) == url_key(ref)]
    if by_url:
        return by_url[0]
    by_name = [f for f in config.feeds if f.name.casefold() == ref.strip().casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        urls = ", ".join(f.url for f in by_name)
        raise ConfigError(config.path, "feeds", f"more than one feed is named {ref!r} ({urls}); "
                          "give the URL instead")
    raise ConfigError(config.path, "feeds", f"no feed with the URL or name {ref!r} "
                      "(see `watcher feeds list`)")


@feeds.command("remove")
@click.argument("feed", metavar="URL|NAME")
@click.pass_obj
@fails_cleanly
def feeds_remove(obj: Context, feed: str) -> None:
    """Drop a feed from the config file, keeping its comments; its history stays stored."""
    from watcher.config import editable, load_config
    from watcher.config_edit import remove_feed

    config = obj.config
    found = _pick_feed(config, feed)
    remove_feed(editable(config.path), found.url)
    load_config(config.path)
    click.echo(f"removed {found.url}")


def _switch(obj: Context, feed: str, enabled: bool) -> None:
    from watcher.config import editable, load_config
    from watcher.config_edit import set_feed_enabled

    config = obj.config
    found = _pick_feed(config, feed)
    word = "enabled" if enabled else "disabled"
    if set_feed_enabled(editable(config.path), found.url, enabled):
        load_config(config.path)
        click.echo(f"{word} {found.url}")
    else:
        click.echo(f"already {word}: {found.url}")


@feeds.command("disable")
@click.argument("feed", metavar="URL|NAME")
@click.pass_obj
@fails_cleanly
def feeds_disable(obj: Context, feed: str) -> None:
    """Stop polling a feed but keep it in the config (writes enabled = false)."""
    _switch(obj, feed, False)


@feeds.command("enable")
@click.argument("feed", metavar="URL|NAME")
@click.pass_obj
@fails_cleanly
def feeds_enable(obj: Context, feed: str) -> None:
    """Poll a disabled feed again."""
    _switch(obj, feed, True)


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


