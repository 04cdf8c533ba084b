"""The daemon's first hour (issue 12, items 11 and 12): the first polls start at once,
and `watcher status` shows the scheduler's real next run and one state for feeds never
polled. Waits are bounded polls of the database; nothing sleeps to synchronise.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watcher.config import load_config
from watcher.daemon import Daemon
from watcher.health import parse_ts
from watcher.sample_site import Item, LoopbackSite, render_rss2
from watcher.store import Store

from .conftest import cli, query, write_config
from .test_daemon import DaemonProcess, start, wait_for


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    """Daemons a test started, killed at its end whatever happened."""
    started: list[DaemonProcess] = []
    yield started
    for d in started:
        d.kill()


SHIPPED_FEEDS = 13


def feeds_on(site: LoopbackSite, n: int) -> list[str]:
    return [site.add(f"/f{i}.xml", render_rss2(
        f"Feed {i}", site.base,
        [Item(f"Story {i}", f"{site.base}/s{i}.html", guid=f"g{i}",
              published=datetime(2025, 5, 1, tzinfo=UTC))])) for i in range(n)]


def test_first_polls_start_at_once_and_later_ones_keep_the_jitter(
        site: LoopbackSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    urls = feeds_on(site, SHIPPED_FEEDS)
    # hourly feeds with the full jitter: today's first polls would be spread over minutes
    config = write_config(tmp_path, [{"url": u, "interval": "1h"} for u in urls],
                          extra="[daemon]\njitter = 1.0\n")
    db = tmp_path / "watcher.db"
    d = start(daemons, config)

    def polled() -> bool:
        try:
            rows = query(db, "SELECT count(*) FROM feeds WHERE last_checked_at IS NOT NULL")
        except Exception:           # the schema may not exist yet
            return False
        return int(rows[0][0]) == SHIPPED_FEEDS

    wait_for(polled, timeout=30, what="every feed's first poll")
    rows = query(db, "SELECT last_checked_at, next_run_at FROM feeds")
    for checked, nxt in rows:
        last = parse_ts(checked)
        assert last is not None, checked
        gap = (parse_ts(nxt) or datetime.min.replace(tzinfo=UTC)) - last
        assert gap.total_seconds() >= 3600 - 5, (checked, nxt)     # the interval stands
    assert d.stop() == 0


def test_stored_next_run_is_the_schedulers_own(site: LoopbackSite, tmp_path: Path) -> None:
    """What `status` reads is the time the scheduler will run the feed, jitter included."""
    urls = feeds_on(site, 5)
    config = write_config(tmp_path, [{"url": u, "interval": "2h"} for u in urls],
                          extra="[daemon]\njitter = 1.0\n")
    cfg = load_config(config)

    async def scheduled() -> list[tuple[str | None, datetime | None, float | None]]:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        daemon = Daemon(cfg)
        with Store(cfg.db_path) as store:
            daemon.store = store
            daemon.scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop(),
                                                timezone=UTC)
            daemon.scheduler.start(paused=True)        # jobs get their run times, none runs
            try:
                daemon._apply_feeds(cfg)
                out = []
                for u in urls:
                    row = store.daemon_feed(u) or {}
                    job = daemon.scheduler.get_job("feed:" + u)
                    out.append((row.get("next_run_at"), job.next_run_time,
                                job.trigger.jitter))
                return out
            finally:
                daemon.scheduler.shutdown(wait=False)

    for stored, real, jitter in asyncio.run(scheduled()):
        assert real is not None and parse_ts(stored) == real.replace(
            microsecond=real.microsecond // 1000 * 1000), (stored, real)
        assert jitter == 7200.0          # later polls keep their spread


def test_status_has_one_state_for_feeds_never_polled(site: LoopbackSite,
                                                     tmp_path: Path) -> None:
    urls = feeds_on(site, 2)
    config = write_config(tmp_path, [{"url": u} for u in urls])
    cfg = load_config(config)

    def health() -> list[str]:
        r = cli("status", "--format", "json", config=config)
        assert r.code == 0, r.err
        return [f["health"] for f in json.loads(r.out)["feeds"]]

    assert health() == ["new", "new"]             # no database yet
    with Store(cfg.db_path) as store:               # the daemon knows them, none polled yet
        for u in urls:
            state = store.ensure_feed(u, u)
            store.set_next_run(state.id, "2099-01-01T00:00:00.000Z")
    assert health() == ["new", "new"]
    r = cli("status", config=config)
    assert r.code == 0 and r.out.count(" new ") >= 2, r.out
    assert cli("run", "--once", config=config).code == 0
    assert health() == ["ok", "ok"]
