"""Faults of the machine around the daemon's processes (issue 13, items 4-6).

Real parts only: a real daemon process and a real kill -9, a real trickling server on
127.0.0.1, real pipes for stderr. Waits are bounded polls; the only timing assertion is a
generous upper bound where the item is about time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from watcher.config import FetchConfig
from watcher.errors import FetchError
from watcher.fetch import Fetcher
from watcher.sample_site import Item, LoopbackSite, render_rss2

from .conftest import ROOT, cli, write_config
from .test_daemon import DAEMON_CONFIG, DaemonProcess, daemons, entries_of, start, wait_for

__all__ = ["daemons"]     # the fixture, used by name below

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc; the parent-death signal is Linux's")


# --- 4. orphaned workers ----------------------------------------------------------------

def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, start time) of a live process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every live descendant of ``root``: pid -> start time (so a reused pid is not it)."""
    children: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        st = _stat(int(entry))
        if st is None or st[0] == "Z":
            continue
        children.setdefault(st[1], []).append(int(entry))
        starts[int(entry)] = st[2]
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found[child] = starts[child]
                todo.append(child)
    return found


def _alive(procs: dict[int, int]) -> dict[int, str]:
    """Those of ``procs`` still running (a zombie has exited: it waits only to be reaped)."""
    out = {}
    for pid, start_time in procs.items():
        st = _stat(pid)
        if st is not None and st[0] != "Z" and st[2] == start_time:
            out[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace")[:120]
    return out


def test_workers_and_forkserver_exit_after_kill_9_of_the_daemon(
        site: LoopbackSite, tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    items = [Item(f"report {i}", None, summary=f"summary number {i}, with enough words "
                  "to stand in for an article.", guid=f"g-{i}") for i in range(2)]
    url = site.add("/feed.xml", render_rss2("Wire", site.base, items))
    config = write_config(tmp_path, [{"url": url, "name": "wire", "interval": "1s"}],
                          extract={"workers": 2}, extra=DAEMON_CONFIG)
    d = start(daemons, config)
    pid = d.proc.pid
    # a parsed feed means the worker pool is up: forkserver, resource tracker, workers
    wait_for(lambda: entries_of(tmp_path / "watcher.db", url) == 2, timeout=60,
             what="the feed parsed in a worker")
    family = wait_for(lambda: (lambda f: f if len(f) >= 3 else None)(_descendants(pid)),
                      what="the daemon's worker processes")
    os.kill(pid, signal.SIGKILL)
    d.proc.wait(10)
    end = time.monotonic() + 30
    while _alive(family) and time.monotonic() < end:
        time.sleep(0.1)
    left = _alive(family)
    for p in left:                       # leave no orphan behind even when this fails
        os.kill(p, signal.SIGKILL)
    assert not left, f"still running 30 s after kill -9 of the daemon: {left}"


# --- 5. a deadline that retries ---------------------------------------------------------

def test_deadline_bounds_the_whole_fetch_retries_included(site: LoopbackSite) -> None:
    stop = threading.Event()

    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        while not stop.wait(0.5):      # a byte every 0.5 s: no read timeout ever fires
            try:
                h.wfile.write(b" ")
                h.wfile.flush()
            except OSError:
                return

    site.add("/trickle.xml", trickle)
    deadline = 2.0
    cfg = FetchConfig(retries=2, backoff=0.05, deadline=deadline, read_timeout=3.0)

    async def go() -> float:
        async with Fetcher(cfg) as f:
            began = time.monotonic()
            with pytest.raises(FetchError) as info:
                await f.get(site.url("/trickle.xml"), trusted=True)
            assert info.value.kind == "timeout"
            assert "deadline" in str(info.value)
            return time.monotonic() - began

    try:
        took = asyncio.run(go())
    finally:
        stop.set()
    # today's code retried the deadline twice: 3 x 2 s
    assert took < deadline + 2.0, f"the fetch took {took:.1f} s for a {deadline:g} s deadline"
    assert len(site.requests("/trickle.xml")) == 1


def test_network_errors_are_still_retried_within_the_deadline(site: LoopbackSite) -> None:
    calls = []

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        h.send_response(503 if len(calls) < 3 else 200)
        h.send_header("Content-Length", "6")
        h.end_headers()
        h.wfile.write(b"<rss/>")

    site.add("/flaky", flaky)
    cfg = FetchConfig(retries=2, backoff=0.01, deadline=10.0)

    async def go() -> int:
        async with Fetcher(cfg) as f:
            return (await f.get(site.url("/flaky"), trusted=True)).status

    assert asyncio.run(go()) == 200 and len(calls) == 3


# --- 6. error lines are never wrapped ---------------------------------------------------

LONG = "a wire " + "very-long-segment/" * 20 + " that must stay one record"

_LOGGING_CHILD = f"""
import logging, warnings
from watcher.errors import FetchError
from watcher.logs import setup_logging
setup_logging("text", "info")
log = logging.getLogger("watcher.daemon")
try:
    raise FetchError("http://127.0.0.1/{'x' * 150}.xml", "HTTP 503")
except FetchError:
    log.exception("feed failed: {LONG}", extra={{"event": "feed.error", "feed": "wire"}})
try:
    {{}}["{LONG}"]
except KeyError:
    log.exception("a bug: {LONG}", extra={{"event": "job.crash"}})
log.error("two\\nlines: {LONG}")
warnings.warn("{LONG}", UserWarning, stacklevel=1)
raise RuntimeError("{LONG}")
"""


def test_daemon_log_records_reach_a_piped_stderr_as_one_line_each() -> None:
    p = subprocess.run([sys.executable, "-c", _LOGGING_CHILD], capture_output=True,
                       text=True, timeout=60, cwd=ROOT, env={**os.environ, "COLUMNS": "80"})
    assert p.returncode == 1, p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 5, p.stderr                # one record, one line: journald's unit
    assert all(line.startswith("ts=") for line in lines), p.stderr
    assert "x" * 150 in lines[0] and "HTTP 503" in lines[0]
    assert "traceback=" in lines[1] and "KeyError" in lines[1]
    assert "level=warning" in lines[3] and "UserWarning" in lines[3]
    assert "event=crash" in lines[4] and "RuntimeError" in lines[4]


def test_cli_error_reaches_a_piped_stderr_as_one_line(tmp_path: Path) -> None:
    missing = tmp_path / ("deep-folder-name-" * 8) / "watcher.db"
    r = cli("--db", str(missing), "history", env={"COLUMNS": "80"})
    assert r.code == 2
    assert r.err.count("\n") == 1 and r.err.startswith("error: ")
    assert str(missing) in r.err
