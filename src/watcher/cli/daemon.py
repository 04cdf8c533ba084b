"""`watcher status`: is the daemon running, and how is each feed doing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from watcher.cli.base import Context, fails_cleanly, main, out, safe


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--runs", "n_runs", default=5, show_default=True, help="Recent cycles shown.")
@click.pass_obj
@fails_cleanly
def status(obj: Context, fmt: str, n_runs: int) -> None:
    """Daemon running or not; per feed last success, last error, failures, next run (the
    scheduler's own time, jitter included) and health (new: not polled yet, ok,
    unhealthy, stale, disabled); the last cycles and daemon events."""
    import json

    from rich.table import Table

    from watcher.health import health_of
    from watcher.instance import daemon_pid

    config = obj.config
    pid = daemon_pid(config.db_path)
    rows: dict[str, dict[str, Any]] = {}
    runs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    if config.db_path.exists():
        with obj.store(create=False) as store:
            rows = {r["url"]: r for r in store.daemon_feeds()}
            runs = store.recent_runs(n_runs)
            events = store.recent_events(5)
    now = datetime.now(UTC)
    feeds = []
    for f in config.feeds:
        r = rows.get(f.url, {})
        # one state for a feed not polled yet, whether or not the daemon knows it
        health = "disabled" if not f.enabled else (
            health_of(r, config.daemon, now) if r.get("last_checked_at") else "new")
        feeds.append({
            "name": f.name, "url": f.url, "enabled": f.enabled, "interval": f.interval,
            "health": health, "last_success": r.get("last_success_at"),
            "last_checked": r.get("last_checked_at"), "last_error": r.get("last_error"),
            "consecutive_failures": r.get("consecutive_errors", 0),
            "next_run": r.get("next_run_at") if f.enabled else None,
            "last_new_entry": r.get("last_new_entry_at"),
        })
    daemon = {"running": pid is not None, "pid": pid if pid and pid > 0 else None,
              "database": str(config.db_path)}
    if fmt == "json":
        click.echo(json.dumps({"daemon": daemon, "feeds": feeds, "runs": runs,
                               "events": events}, indent=2, default=str))
        return
    if pid is not None:
        out.print(f"daemon: running (pid {pid if pid > 0 else '?'}) on {safe(config.db_path)}")
    else:
        out.print(f"daemon: not running on {safe(config.db_path)}")
    table = Table(title="feeds", title_justify="left")
    for col in ("name", "health", "fails", "last success", "next run", "last error"):
        table.add_column(col, overflow="fold")
    for row in feeds:
        table.add_row(safe(row["name"]), row["health"], str(row["consecutive_failures"]),
                      safe(row["last_success"] or "-"), safe(row["next_run"] or "-"),
                      safe((row["last_error"] or "")[:80]))
    out.print(table)
    if runs:
        rt = Table(title="recent cycles (daemon: one row per window)", title_justify="left")
        for col in ("started", "finished", "kind", "checks", "failed", "not mod.",
                    "new entries", "articles"):
            rt.add_column(col)
        for r in runs:
            rt.add_row(safe(r["started_at"]), safe(r["finished_at"] or "-"), safe(r["kind"]),
                       str(r["feeds"]), str(r["failed"]), str(r["not_modified"]),
                       str(r["new_entries"]), str(r["articles"]))
        out.print(rt)
    if events:
        out.print("recent daemon events:")
        for e in events:
            times = f" x{e['count']}" if e["count"] > 1 else ""
            out.print(f"  {safe(e['last_at'])} {safe(e['kind'])}{times} "
                      f"{safe(e['feed_url'] or '')} {safe(e['detail'] or '')}")
