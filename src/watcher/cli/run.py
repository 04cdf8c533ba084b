"""`watcher run`: one cycle, or the daemon."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from watcher.cli.base import Context, err, fails_cleanly, main, out, safe

if TYPE_CHECKING:
    from watcher.config import Config

# --- run ------------------------------------------------------------------------------

@main.command()
@click.option("--once", is_flag=True, help="Run one cycle over all enabled feeds, then exit.")
@click.option("--progress/--no-progress", default=None,
              help="Show progress (default: when stdout is a terminal).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Daemon log lines on stderr: key=value or JSON.")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]),
              default="info", show_default=True, help="Daemon log level.")
@click.pass_obj
@fails_cleanly
def run(obj: Context, once: bool, progress: bool | None, log_format: str,
        log_level: str) -> None:
    """Poll the feeds: one cycle with --once, else as a daemon until SIGTERM.

    With --once: exit status 0 when the cycle ran, even if some feeds failed (they are
    listed); 1 or 2 when the config or the database cannot be used (1 also when the
    disk is full or another process locks the database past [storage] busy_timeout).
    As a daemon: 0 after SIGTERM/SIGINT, 1 when another daemon already runs on the
    database. SIGHUP reloads the config.
    """
    import asyncio

    from watcher.observe import FiguresHook
    from watcher.pipeline import run_once

    config = obj.config
    if not once:
        obj.prepare_db_folder()     # before the daemon's lock file, which sits beside it
        _daemon(obj, config, log_format, log_level)
        return
    from watcher.store import Store

    show = sys.stdout.isatty() if progress is None else progress
    obj.prepare_db_folder()
    # a full disk or a lock held past [storage] busy_timeout ends the cycle's writes
    # with one line naming the database, and exit status 1 (fails_cleanly)
    with Store(config.db_path, create=True, busy_timeout=config.busy_timeout) as store:
        hook = FiguresHook.from_config(config)
        if show:
            from rich.progress import Progress

            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("checking feeds", total=len(config.enabled_feeds))
                report = asyncio.run(run_once(config, store, hook=hook,
                                              on_feed=lambda _o: bar.advance(task)))
        else:
            report = asyncio.run(run_once(config, store, hook=hook))
    _print_summary(report, config)


def _daemon(obj: Context, config: Config, log_format: str, log_level: str) -> None:
    import asyncio

    from watcher.config import load_config
    from watcher.daemon import run_daemon
    from watcher.logs import setup_logging

    setup_logging(log_format, log_level)
    code = asyncio.run(run_daemon(
        config, reload=lambda: load_config(obj.config_path, db=obj.db_path)))
    sys.exit(code)


def _print_summary(report: Any, config: Config) -> None:
    from rich.table import Table

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


