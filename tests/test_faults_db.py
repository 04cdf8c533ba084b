"""Faults of the machine at the database: a full disk and a lock held too long.

A full disk is SQLite's own SQLITE_FULL ("database or disk is full"), produced on the
real database file by ``PRAGMA max_page_count`` through the test-only setting
``WATCHER_TEST_MAX_PAGES`` (read in ``watcher.store.base``). A lock is a real second
sqlite3 connection in this process holding ``BEGIN EXCLUSIVE``. Every wait is a bounded
poll; nothing sleeps to synchronise.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from watcher.sample_site import LoopbackSite, generate_articles, publish
from watcher.store import Store

from .conftest import ROOT, cli, integrity, query, write_config
from .test_daemon import DaemonProcess, daemons
from .test_daemon import wait_for as _wait_for

__all__ = ["daemons"]     # the fixture, used by name below

N_ARTICLES = 48


def feeds_of(urls: list[str], **extra: Any) -> list[dict[str, Any]]:
    return [{"url": u, "name": f"feed {i}", **extra} for i, u in enumerate(urls)]


# the daemon tests' poller, with the longer wait a paused daemon needs
wait_for = functools.partial(_wait_for, timeout=30.0)


def empty_db(db: Path) -> int:
    """A migrated, empty database; its page count."""
    Store(db).close()
    return int(query(db, "PRAGMA page_count")[0][0])


def with_storage(config: Path, line: str) -> Path:
    text = config.read_text()
    config.write_text(text.replace('path = "watcher.db"', f'path = "watcher.db"\n{line}', 1))
    return config


def lines(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.strip()]


def assert_whole(db: Path, expected: int) -> None:
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM articles")[0] == (
        expected, expected)
    assert query(db, "SELECT count(*) FROM entries")[0][0] == expected
    assert integrity(db) == "ok"


# --- a full disk ------------------------------------------------------------------------

def test_disk_full_stops_the_cycle_with_one_line_and_exit_1(site: LoopbackSite,
                                                            tmp_path: Path) -> None:
    urls = publish(site, generate_articles(N_ARTICLES), feeds=6)
    config = write_config(tmp_path, feeds_of(urls))
    db = tmp_path / "watcher.db"
    pages = empty_db(db)

    r = cli("run", "--once", config=config,
            env={"WATCHER_TEST_MAX_PAGES": str(pages + 4)})
    assert r.code == 1, (r.out, r.err)
    assert "Traceback" not in r.err
    err = lines(r.err)
    assert len(err) == 1, r.err
    assert str(db) in err[0] and "disk is full" in err[0]
    stored = query(db, "SELECT count(*) FROM articles")[0][0]
    assert stored < N_ARTICLES
    assert integrity(db) == "ok"

    # the disk grows: the rerun stores the rest, once each
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    assert_whole(db, N_ARTICLES)


def test_daemon_pauses_on_full_disk_and_resumes_by_itself(site: LoopbackSite, tmp_path: Path,
                                                          daemons: list[DaemonProcess]) -> None:
    urls = publish(site, generate_articles(N_ARTICLES), feeds=6)
    config = write_config(tmp_path, feeds_of(urls, interval="2s"),
                          extra="[daemon]\nfeed_deadline = \"20s\"\n")
    db = tmp_path / "watcher.db"
    empty_db(db)
    # space the operator can free later: a table of filler pages
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE filler (b BLOB)")
    conn.executemany("INSERT INTO filler VALUES (randomblob(4000))", [()] * 300)
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])

    d = DaemonProcess(config, config.parent / "daemon.log",
                      env={"WATCHER_TEST_MAX_PAGES": str(pages + 4)}, log_level="debug")
    daemons.append(d)
    wait_for(lambda: "disk is full" in d.log, what="the disk-full line")
    # it keeps trying on its own schedule, and says nothing more at warning level
    wait_for(lambda: d.log.count("database still unavailable") >= 2, what="two retries")
    requests = len(site.requests())
    wait_for(lambda: d.log.count("database still unavailable") >= 3, what="a third retry")
    assert len(site.requests()) == requests, "a feed was polled while the disk was full"

    conn.execute("DROP TABLE filler")         # space is freed
    conn.close()
    wait_for(lambda: "resuming" in d.log, what="the daemon to resume")
    wait_for(lambda: query(db, "SELECT count(*) FROM articles")[0][0] == N_ARTICLES,
             what="every article stored")
    assert d.stop() == 0
    log = d.log
    assert "Traceback" not in log
    full = [x for x in lines(log) if "disk is full" in x and "level=debug" not in x]
    assert len(full) == 1, full
    assert str(db) in full[0]
    assert_whole(db, N_ARTICLES)


# --- a lock held for longer than the busy timeout ----------------------------------------

def test_lock_longer_than_busy_timeout_is_one_line_and_exit_1(site: LoopbackSite,
                                                              tmp_path: Path) -> None:
    urls = publish(site, generate_articles(12), feeds=2)
    config = with_storage(write_config(tmp_path, feeds_of(urls)), 'busy_timeout = "1s"')
    db = tmp_path / "watcher.db"
    empty_db(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        r = cli("run", "--once", config=config)
        assert time.monotonic() - start < 25     # the configured 1 s, not the default 30 s
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.code == 1, (r.out, r.err)
    assert "Traceback" not in r.err
    err = lines(r.err)
    assert len(err) == 1, r.err
    assert str(db) in err[0] and "locked" in err[0] and "busy_timeout" in err[0]

    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    assert_whole(db, 12)


def test_lock_shorter_than_busy_timeout_still_works(site: LoopbackSite,
                                                    tmp_path: Path) -> None:
    urls = publish(site, generate_articles(12), feeds=2)
    config = with_storage(write_config(tmp_path, feeds_of(urls)), 'busy_timeout = "60s"')
    db = tmp_path / "watcher.db"
    empty_db(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    proc = subprocess.Popen([sys.executable, "-m", "watcher", "--config", str(config), "run",
                             "--once"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=ROOT)
    try:
        def has_db_open() -> bool:
            try:
                return any(os.readlink(f"/proc/{proc.pid}/fd/{fd}") == str(db)
                           for fd in os.listdir(f"/proc/{proc.pid}/fd"))
            except OSError:
                return False

        wait_for(has_db_open, what="the run to open the database")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert_whole(db, 12)


def test_busy_timeout_is_validated(tmp_path: Path) -> None:
    config = with_storage(write_config(tmp_path, []), 'busy_timeout = "soon"')
    r = cli("run", "--once", config=config)
    assert r.code == 2
    assert "storage.busy_timeout" in r.err
