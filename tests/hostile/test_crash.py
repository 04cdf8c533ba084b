"""kill -9 at random points of a real ``watcher run --once``: nothing half-written, ever.

The writer is the real CLI in its own process group (its worker processes with it), run
against a loopback site. Each round kills it after a random number of article pages
have been served, i.e. somewhere in the middle of fetching, extracting and committing
feeds. After every kill the database must pass ``PRAGMA integrity_check`` and every feed
must be wholly written or not at all; a final uninterrupted run completes the work with
no duplicates, and one more run adds nothing.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from watcher.sample_site import LoopbackSite, generate_articles, publish

from ..conftest import ROOT, write_config
from .conftest import MEMORY_BOUND_MB, record

FEEDS = 6
ARTICLES = 48          # 8 per feed


class PageCounter:
    """Counts article pages served and raises an event when the n-th one goes out."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.target = -1
        self.reached = threading.Event()

    def arm(self, target: int) -> None:
        with self.lock:
            self.count = 0
            self.target = target
            self.reached.clear()

    def hit(self) -> None:
        with self.lock:
            self.count += 1
            if self.count == self.target:
                self.reached.set()


def _counted_site(site: LoopbackSite, counter: PageCounter) -> list[str]:
    urls = publish(site, generate_articles(ARTICLES, seed=11), feeds=FEEDS)
    for path, route in list(site.routes.items()):
        if path.startswith("/news/"):
            body = route.body                                   # type: ignore[union-attr]

            def serve(h: BaseHTTPRequestHandler, body: bytes = body) -> None:
                counter.hit()
                with contextlib.suppress(OSError):     # the writer may be dead already
                    h.send_response(200)
                    h.send_header("Content-Type", "text/html; charset=utf-8")
                    h.send_header("Content-Length", str(len(body)))
                    h.end_headers()
                    h.wfile.write(body)

            site.add(path, serve)
    return urls


def _start(config: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    return subprocess.Popen([sys.executable, "-m", "watcher", "--config", str(config), "run",
                             "--once", "--no-progress"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _reap(proc: subprocess.Popen[bytes]) -> float:
    """Wait for the writer; the peak RSS in MB of the largest child reaped so far.

    RUSAGE_CHILDREN covers the writer (the only children this test reaps); its workers
    are children of the forkserver and are bounded by their own RLIMIT_AS.
    """
    proc.wait(timeout=120)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _check_consistent(db: Path, per_feed: int) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for url, success, entry_count, entries in conn.execute(
                "SELECT f.url, f.last_success_at, f.entry_count, "
                "(SELECT count(*) FROM entries e WHERE e.feed_id = f.id) FROM feeds f"):
            # wholly written or not at all
            assert entries in (0, per_feed), (url, entries)
            assert entries == entry_count, (url, entries, entry_count)
            assert (success is None) == (entries == 0), (url, success, entries)
        orphans = conn.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                               "(SELECT 1 FROM entries e WHERE e.article_id = a.id)"
                               ).fetchone()[0]
        assert orphans == 0
        linked = conn.execute("SELECT count(*) FROM entries WHERE article_id IS NULL"
                              ).fetchone()[0]
        assert linked == 0
        return (conn.execute("SELECT count(*) FROM entries").fetchone()[0],
                conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("rounds", [
    pytest.param(4, id="4-kills"),
    pytest.param(20, id="20-kills", marks=pytest.mark.slow),
])
def test_kill_dash_nine_at_random_points(tmp_path: Path, rounds: int) -> None:
    counter = PageCounter()
    rng = random.Random(20250205 + rounds)
    with LoopbackSite() as site:
        urls = _counted_site(site, counter)
        config = write_config(tmp_path, [{"url": u, "name": f"feed {i}"}
                                         for i, u in enumerate(urls)],
                              fetch={"per_host": 2, "concurrency": 4})
        db = tmp_path / "watcher.db"
        kills = partial = 0
        peak = 0.0
        start = time.monotonic()
        for _ in range(rounds):
            before = _check_consistent(db, ARTICLES // FEEDS) if db.exists() else (0, 0)
            remaining = ARTICLES - before[1]
            if remaining <= 1:
                # everything was written: start over on a fresh database for more kills
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                remaining = ARTICLES
            # half the rounds die while pages are fetched, half once every page is out,
            # when extraction and the feed commits happen
            late = rng.random() < 0.5
            counter.arm(remaining if late else rng.randint(1, max(1, remaining - 1)))
            proc = _start(config)
            counter.reached.wait(timeout=60)
            with contextlib.suppress(subprocess.TimeoutExpired):
                # a random extra moment; returns early if the writer finishes first
                proc.wait(timeout=rng.uniform(0.0, 1.5) if late else rng.uniform(0.0, 0.1))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                kills += 1
            peak = max(peak, _reap(proc))
            _, stored = _check_consistent(db, ARTICLES // FEEDS)
            partial += 0 < stored < ARTICLES
        # the next, uninterrupted cycle completes the work without duplicates
        counter.arm(-1)
        proc = _start(config)
        peak = max(peak, _reap(proc))
        assert proc.returncode == 0
        entries, articles = _check_consistent(db, ARTICLES // FEEDS)
        assert (entries, articles) == (ARTICLES, ARTICLES)
        size = db.stat().st_size
        proc = _start(config)
        peak = max(peak, _reap(proc))
        assert proc.returncode == 0
        assert _check_consistent(db, ARTICLES // FEEDS) == (ARTICLES, ARTICLES)
        assert db.stat().st_size <= size + 64 * 1024     # only the runs table grows
    seconds = time.monotonic() - start
    record(f"crash: {rounds} x kill -9 of `run --once`, then 2 clean runs",
           f"{kills} kills landed, {partial} mid-cycle; integrity ok, every feed "
           "all-or-nothing, no duplicates",
           seconds, peak)
    assert kills >= rounds // 2
    if rounds >= 20:
        assert partial >= 1      # some kill fell between one feed's commit and another's
    assert peak < MEMORY_BOUND_MB
