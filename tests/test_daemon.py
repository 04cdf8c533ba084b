"""The daemon, run for real as a subprocess against the loopback site.

Every wait is a bounded poll of the database (or the site's request log) for the state
the daemon must reach; nothing sleeps to synchronise and nothing asserts on timing.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from watcher.config import DaemonConfig, FeedConfig
from watcher.daemon import backoff_delay, next_delay
from watcher.health import health_of
from watcher.instance import InstanceLock, daemon_pid
from watcher.pipeline import FeedOutcome, freshness
from watcher.sample_site import Item, LoopbackSite, Resource, render_rss2

from .conftest import ROOT, cli, integrity, query, write_config

DAEMON_CONFIG = """
[daemon]
feed_deadline = "2s"
unhealthy_after = 2
max_backoff = "4s"
misfire_grace = "30s"
shutdown_grace = "5s"
jitter = 0.1
"""
ATOM = """
[digest]
atom_path = "changes.atom"
"""


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    """Poll ``predicate`` every 0.1 s until it returns something truthy."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or predicate}")
        time.sleep(0.1)


class DaemonProcess:
    def __init__(self, config: Path, log: Path, *, env: dict[str, str] | None = None,
                 log_level: str = "info") -> None:
        self.log_path = log
        self._log = log.open("wb")
        full = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
        full.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "watcher", "--config", str(config), "run",
             "--log-level", log_level], stdout=self._log, stderr=subprocess.STDOUT,
            env=full, cwd=ROOT)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for d in started:
        d.kill()


def start(daemons: list[DaemonProcess], config: Path) -> DaemonProcess:
    d = DaemonProcess(config, config.parent / f"daemon{len(daemons)}.log")
    daemons.append(d)
    return d


def feed_row(db: Path, url: str) -> dict[str, Any]:
    if not db.exists():
        return {}
    try:
        cols = ["consecutive_errors", "last_error", "health", "next_run_at",
                "last_checked_at", "last_success_at", "entry_count"]
        rows = query(db, f"SELECT {', '.join(cols)} FROM feeds WHERE url = ?", (url,))
    except Exception:       # the schema may not exist yet while the daemon starts
        return {}
    return dict(zip(cols, rows[0], strict=True)) if rows else {}


def entries_of(db: Path, url: str) -> int:
    row = feed_row(db, url)
    return int(row.get("entry_count") or 0)


def _items(n: int, site: LoopbackSite, prefix: str) -> list[Item]:
    return [Item(f"{prefix} report {i}", None, summary=f"{prefix} summary number {i}, "
                 "with enough words to stand in for an article.", guid=f"{prefix}-{i}")
            for i in range(n)]


def test_daemon_polls_recovers_survives_a_hang_and_stops_cleanly(
        site: LoopbackSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    good = site.add("/good.xml", render_rss2("Good", site.base, _items(2, site, "good")))
    flaky = site.add("/flaky.xml", Resource(b"down for maintenance", status=404,
                                            content_type="text/plain"))
    slow_to_change = site.add("/cached.xml", Resource(
        render_rss2("Cached", site.base, _items(1, site, "cached")), validators=False,
        headers={"Cache-Control": "max-age=3600"}))
    release = threading.Event()

    def hang(h: BaseHTTPRequestHandler) -> None:
        release.wait(30)

    hanging = site.add("/hang.xml", hang)
    feeds = [{"url": good, "name": "good", "interval": "1s"},
             {"url": flaky, "name": "flaky", "interval": "1s"},
             {"url": slow_to_change, "name": "cached", "interval": "1s"},
             {"url": hanging, "name": "hanging", "interval": "1s"}]
    config = write_config(tmp_path, feeds, fetch={"deadline": "60s"}, extra=DAEMON_CONFIG)
    db = tmp_path / "watcher.db"
    try:
        d = start(daemons, config)

        # polled repeatedly, including while the hanging feed's jobs are stuck
        wait_for(lambda: site.requests("/hang.xml"), what="the hanging feed to be asked")
        seen = len(site.requests("/good.xml"))
        wait_for(lambda: len(site.requests("/good.xml")) >= seen + 3,
                 what="good feed polled three more times during the hang")
        wait_for(lambda: "deadline" in (feed_row(db, hanging).get("last_error") or ""),
                 what="hanging feed cut off by the job deadline")

        # a new entry on the fixture feed shows up on a later poll
        assert entries_of(db, good) == 2
        site.add("/good.xml", render_rss2("Good", site.base, _items(3, site, "good")))
        wait_for(lambda: entries_of(db, good) == 3, what="the new entry stored")

        # the failing feed backs off and is flagged unhealthy ...
        wait_for(lambda: (feed_row(db, flaky).get("consecutive_errors") or 0) >= 3,
                 what="three failures")
        row = feed_row(db, flaky)
        assert row["health"] == "unhealthy"
        assert "404" in row["last_error"]
        assert "feed.backoff" in d.log
        # ... and recovers by itself once the feed works again
        site.add("/flaky.xml", render_rss2("Flaky", site.base, _items(1, site, "flaky")))
        wait_for(lambda: feed_row(db, flaky).get("health") == "ok"
                 and feed_row(db, flaky).get("consecutive_errors") == 0,
                 what="the flaky feed to recover")
        kinds = {k for (k,) in query(db, "SELECT kind FROM daemon_events")}
        assert {"start", "unhealthy", "recovered"} <= kinds

        # Cache-Control max-age above the interval pushes the next poll later
        wait_for(lambda: feed_row(db, slow_to_change).get("last_success_at"),
                 what="cached feed polled")
        nxt = wait_for(lambda: feed_row(db, slow_to_change).get("next_run_at"))
        checked = feed_row(db, slow_to_change)["last_checked_at"]
        gap = (datetime.fromisoformat(nxt.replace("Z", "+00:00"))
               - datetime.fromisoformat(checked.replace("Z", "+00:00"))).total_seconds()
        assert gap >= 3     # the 1 s interval, stretched to the 4 s max_backoff cap

        # `watcher status` sees the daemon and the feeds' health
        r = cli("status", "--format", "json", config=config)
        assert r.code == 0, r.err
        import json

        status = json.loads(r.out)
        assert status["daemon"]["running"] and status["daemon"]["pid"] == d.proc.pid
        health = {f["name"]: f["health"] for f in status["feeds"]}
        assert health["good"] == "ok" and health["flaky"] == "ok"
        assert status["runs"] and status["runs"][0]["kind"] == "daemon"

        assert d.stop() == 0
    finally:
        release.set()
    assert integrity(db) == "ok"
    assert "Traceback" not in d.log
    assert "daemon stopped" in d.log
    assert daemon_pid(db) is None
    r = cli("status", config=config)
    assert r.code == 0 and "not running" in r.out


def test_second_daemon_is_refused_and_sighup_reloads(
        site: LoopbackSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    a = site.add("/a.xml", render_rss2("A", site.base, _items(1, site, "a")))
    b = site.add("/b.xml", render_rss2("B", site.base, _items(2, site, "b")))
    feeds = [{"url": a, "name": "a", "interval": "1s"}]
    atom = tmp_path / "changes.atom"
    config = write_config(tmp_path, feeds, extra=DAEMON_CONFIG + ATOM)
    db = tmp_path / "watcher.db"
    d = start(daemons, config)
    wait_for(lambda: feed_row(db, a).get("last_success_at"), what="first poll of a")
    wait_for(atom.exists, what="the Atom file written after a job with news")

    second = cli("run", config=config, timeout=30)
    assert second.code == 1
    assert f"pid {d.proc.pid}" in second.err and "already running" in second.err

    # a broken config is refused and the old one keeps running
    good_text = config.read_text()
    config.write_text(good_text + "\n[[feeds]]\nurl = \"ftp://nowhere\"\n")
    d.signal(signal.SIGHUP)
    wait_for(lambda: "reload refused" in d.log, what="the refused reload logged")
    seen = len(site.requests("/a.xml"))
    wait_for(lambda: len(site.requests("/a.xml")) > seen + 1, what="a still polled")

    # SIGHUP with a valid config adds the new feed
    write_config(tmp_path, [*feeds, {"url": b, "name": "b", "interval": "1s"}],
                 extra=DAEMON_CONFIG + ATOM)
    d.signal(signal.SIGHUP)
    wait_for(lambda: entries_of(db, b) == 2, what="the feed added by reload polled")
    assert "config reloaded: 1 added" in d.log

    # ... and removes a feed: it is not polled any more
    write_config(tmp_path, [{"url": b, "name": "b", "interval": "1s"}],
                 extra=DAEMON_CONFIG + ATOM)
    d.signal(signal.SIGHUP)
    wait_for(lambda: "1 removed" in d.log, what="the removal logged")
    after_reload = len(site.requests("/a.xml"))
    seen_b = len(site.requests("/b.xml"))
    wait_for(lambda: len(site.requests("/b.xml")) >= seen_b + 3, what="b polled on")
    assert len(site.requests("/a.xml")) <= after_reload + 1   # at most one in flight

    assert d.stop() == 0
    assert integrity(db) == "ok"
    assert "Traceback" not in d.log


def test_sigterm_cancels_work_that_outlives_the_grace(
        site: LoopbackSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    release = threading.Event()

    def hang(h: BaseHTTPRequestHandler) -> None:
        release.wait(30)

    hanging = site.add("/stuck.xml", hang)
    ok = site.add("/ok.xml", render_rss2("Ok", site.base, _items(1, site, "ok")))
    extra = DAEMON_CONFIG.replace('feed_deadline = "2s"', 'feed_deadline = "60s"').replace(
        'shutdown_grace = "5s"', 'shutdown_grace = "1s"')
    config = write_config(tmp_path, [{"url": hanging, "name": "stuck", "interval": "1s"},
                                     {"url": ok, "name": "ok", "interval": "1s"}],
                          fetch={"deadline": "60s"}, extra=extra)
    db = tmp_path / "watcher.db"
    try:
        d = start(daemons, config)
        wait_for(lambda: site.requests("/stuck.xml"), what="the stuck request")
        wait_for(lambda: feed_row(db, ok).get("last_success_at"), what="ok polled")
        assert d.stop() == 0
    finally:
        release.set()
    assert "cancelling 1 job(s)" in d.log and "daemon stopped" in d.log
    assert "Traceback" not in d.log
    assert integrity(db) == "ok"
    assert feed_row(db, ok)["entry_count"] == 1


# --- policy, without a process ------------------------------------------------------------

def test_backoff_doubles_and_is_capped() -> None:
    assert backoff_delay(60, 1, 3600) == 60
    assert backoff_delay(60, 2, 3600) == 120
    assert backoff_delay(60, 3, 3600) == 240
    assert backoff_delay(60, 50, 3600) == 3600
    assert backoff_delay(7200, 9, 3600) == 7200    # never more often than configured


def test_server_hints_only_ever_slow_polling_down() -> None:
    cfg = DaemonConfig(max_backoff=86400)
    feed = FeedConfig(url="http://x/", name="x", interval=600)
    ok = FeedOutcome(url=feed.url, name="x", status="ok", fresh_for=60)
    assert next_delay(feed, ok, 0, cfg) is None                 # asks for more: ignored
    ok.fresh_for = 7200
    assert next_delay(feed, ok, 0, cfg) == 7200
    limited = FeedOutcome(url=feed.url, name="x", status="error", retry_after=1800)
    assert next_delay(feed, limited, 1, cfg) == 1800
    assert next_delay(feed, FeedOutcome(url=feed.url, name="x"), 3, cfg) == 2400
    assert freshness({"cache-control": "public, max-age=900", "age": "100"}) == 800
    assert freshness({"cache-control": "no-store, max-age=900"}) is None
    assert freshness({"expires": "Sun, 22 Nov 2026 18:00:00 GMT",
                      "date": "Sun, 22 Nov 2026 17:00:00 GMT"}) == 3600


def test_health_unhealthy_stale_ok() -> None:
    cfg = DaemonConfig(unhealthy_after=3, stale_after=86400)
    now = datetime(2026, 1, 10, tzinfo=UTC)
    assert health_of({"consecutive_errors": 3, "created_at": "2026-01-09T00:00:00Z"},
                     cfg, now) == "unhealthy"
    assert health_of({"consecutive_errors": 0, "created_at": "2026-01-01T00:00:00Z",
                      "last_new_entry_at": "2026-01-08T00:00:00Z"}, cfg, now) == "stale"
    assert health_of({"consecutive_errors": 2, "created_at": "2026-01-01T00:00:00Z",
                      "last_new_entry_at": "2026-01-09T12:00:00Z"}, cfg, now) == "ok"


def test_lock_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    assert daemon_pid(db) is None
    lock = InstanceLock(db)
    lock.acquire()
    try:
        assert daemon_pid(db) == os.getpid()
        with pytest.raises(Exception, match=f"pid {os.getpid()}"):
            InstanceLock(db).acquire(attempts=1)
    finally:
        lock.release()
    assert daemon_pid(db) is None


def test_log_lines_have_no_traceback_for_expected_failures() -> None:
    log = logging.getLogger("watcher.test")
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        _check_log_formats(log)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def _check_log_formats(log: logging.Logger) -> None:
    import io
    import json

    from watcher.errors import FetchError
    from watcher.logs import setup_logging

    for fmt in ("text", "json"):
        buf = io.StringIO()
        setup_logging(fmt, "info", stream=buf)
        log.info("polled", extra={"event": "feed.ok", "feed": "Some wire", "duration": 0.25})
        try:
            raise FetchError("http://x/", "HTTP 503")
        except FetchError:
            log.exception("failed", extra={"event": "feed.error", "feed": "x"})
        try:
            {"present": 1}["missing"]
        except KeyError:
            log.exception("bug")
        lines = buf.getvalue()
        assert lines.count("Traceback") == 1     # only for the bug
        first = lines.splitlines()[0]
        if fmt == "json":
            rec = json.loads(first)
            assert rec["event"] == "feed.ok" and rec["feed"] == "Some wire"
            assert rec["duration"] == 0.25 and rec["ts"].endswith("Z")
        else:
            assert 'feed="Some wire"' in first and "event=feed.ok" in first
            assert "duration=0.25" in first


def test_digest_job_calls_the_hook_or_says_it_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    import watcher.daemon as daemon_module
    from watcher.config import load_config
    from watcher.store import Store

    config = load_config(write_config(tmp_path, [], extra='[digest]\nat = "07:30"\n'
                                                        'timezone = "Europe/Kyiv"\n'))
    calls: list[tuple[str, Any]] = []

    def fake_hook(name: str) -> Callable[..., Any] | None:
        return lambda cfg, store: calls.append((name, cfg.digest.timezone))

    d = daemon_module.Daemon(config)
    with Store(config.db_path) as store:
        d.store = store
        monkeypatch.setattr(daemon_module, "_expected_hooks", fake_hook)
        asyncio.run(d._digest_job())
        assert calls == [("run_daily", "Europe/Kyiv")]
        assert [e["kind"] for e in store.recent_events()] == ["digest"]
        monkeypatch.setattr(daemon_module, "_expected_hooks", lambda name: None)
        with caplog.at_level(logging.INFO, logger="watcher.daemon"):
            asyncio.run(d._digest_job())
        assert "digest not available" in caplog.text
        d.store = None
