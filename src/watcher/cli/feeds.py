"""`watcher feeds` and `watcher articles`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from watcher.cli.base import Context, fails_cleanly, main, out, safe
from watcher.config import load_config
from watcher.text import clean_text

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
    from watcher.config_edit import add_feeds

    path = obj.config.path
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


