"""`watcher digest`, `watcher browse`, `watcher demo`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from watcher.cli.base import Context, err, fails_cleanly, main, out
from watcher.errors import WatcherError

if TYPE_CHECKING:
    from watcher.timespec import Moment


def _digest_date(ctx: click.Context, param: click.Parameter, value: str | None
                 ) -> Moment | None:
    """``--since``/``--until``: the same date forms as ``history``, checked up front so a
    bad one is a usage error even before a database exists."""
    from watcher.timespec import option_moment

    return option_moment(ctx, param, value)


@main.command()
@click.option("--since", callback=_digest_date,
              help="Start: 24h, 7d, 2w, today, yesterday, 2025-04-01 or 2025-04-01T07:00 "
              "(UTC) [default: since the last digest sent, else 24h].")
@click.option("--until", callback=_digest_date,
              help="End, the same forms; a day counts whole [default: now].")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json", "atom"]),
              default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option("--send", is_flag=True, help="Deliver to the [digest] notify URLs.")
@click.pass_obj
@fails_cleanly
def digest(obj: Context, since: Moment | None, until: Moment | None, fmt: str,
           output: str | None, send: bool) -> None:
    """What changed in a period, grouped by claim.

    The period is when watcher recorded the figures, not when the articles were
    published; `watcher history` filters by publication date.
    """
    from watcher.digest import build_digest, default_start, is_empty, render
    from watcher.digest import send as send_digest
    from watcher.digest.atom import write_atomically

    config = obj.config
    now = datetime.now(UTC)
    with obj.store(create=False) as store:
        end = until.end if until else now
        start = since.start if since else default_start(store, now)
        if end <= start:
            raise click.BadParameter(
                f"the period would end ({end:%Y-%m-%dT%H:%M:%S}) before it starts "
                f"({start:%Y-%m-%dT%H:%M:%S} UTC); the range is reversed or empty")
        d = build_digest(store, config, start, end)
        text = render(store, config, d, fmt)
        if output:
            write_atomically(Path(output), text)
            err.print(f"wrote {output}")
        else:
            click.echo(text)
        if send and is_empty(d) and not config.digest.send_empty:
            err.print("nothing changed in this period: not sent "
                      "(set [digest] send_empty = true to send empty digests)",
                      markup=False)
        elif send:
            error = send_digest(store, config, d)
            if error:
                raise WatcherError(f"digest not sent: {error}")
            err.print(f"sent to {len(config.digest.notify)} target(s)")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--metadata-only", is_flag=True, help="Print Datasette metadata and exit.")
@click.pass_obj
@fails_cleanly
def browse(obj: Context, host: str, port: int, metadata_only: bool) -> None:
    """Open the database in Datasette (pip install 'watcher[browse]')."""
    import json
    import shutil

    from watcher.browse import metadata, serve

    db = obj.config.db_path
    meta = metadata(db.stem)
    if metadata_only:
        click.echo(json.dumps(meta, indent=2))
        return
    if not db.exists():
        raise WatcherError(f"{db}: no database yet (run `watcher run --once`)")
    if shutil.which("datasette") is None and not _has_module("datasette"):
        raise WatcherError("Datasette is not installed: pip install 'watcher[browse]'")
    out.print(f"Datasette on http://{host}:{port}/ (Ctrl-C stops it)")
    code = serve(db, meta, host, port)
    if code:
        sys.exit(code)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@main.command()
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write the HTML digest here.")
@click.option("--keep", type=click.Path(file_okay=False),
              help="Keep the demo database in this folder instead of a temporary one.")
@click.pass_obj
@fails_cleanly
def demo(obj: Context, html_path: str | None, keep: str | None) -> None:
    """See the whole pipeline work offline: a sample news site on 127.0.0.1, one cycle
    into a temporary database, then the digest of what changed."""
    import asyncio
    import shutil
    import tempfile

    from watcher.config import FeedConfig
    from watcher.digest import build_digest, html_with_charts, render_text
    from watcher.digest.atom import write_atomically
    from watcher.observe import FiguresHook
    from watcher.pipeline import run_once
    from watcher.sample_site import LoopbackSite, publish_demo
    from watcher.store import Store

    base = obj.config
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="watcher-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    with LoopbackSite() as site:
        urls = publish_demo(site)
        feeds = tuple(FeedConfig(url=u, name=f"Sample Wire {i + 1}")
                      for i, u in enumerate(urls))
        from dataclasses import replace

        config = replace(base, db_path=folder / "demo.db", feeds=feeds)
        with Store(config.db_path) as store:
            report = asyncio.run(run_once(config, store, hook=FiguresHook.from_config(config)))
            c = report.counts()
            err.print(f"demo: {c['feeds']} feeds, {c['articles']} articles, "
                      f"{c['observations']} observations, {c['changes']} changes "
                      f"({report.elapsed:.1f} s)")
            # timestamps have one-second resolution and the end is exclusive
            d = build_digest(store, config, started - timedelta(seconds=1),
                             datetime.now(UTC) + timedelta(seconds=1))
            click.echo(render_text(d))
            if html_path:
                write_atomically(Path(html_path), html_with_charts(store, d))
                err.print(f"wrote {html_path}")
    if keep:
        err.print(f"database kept in {config.db_path}; try: watcher --db {config.db_path} "
                  "history")
    else:
        shutil.rmtree(folder, ignore_errors=True)
