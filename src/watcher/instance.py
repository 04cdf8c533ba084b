"""One daemon per database: an advisory lock next to it, holding the daemon's pid.

Kept apart from watcher.daemon so that `watcher status` can ask whether a daemon runs
without importing the scheduler, the fetcher and the pipeline.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from watcher.errors import WatcherError

__all__ = ["DaemonRunning", "InstanceLock", "daemon_pid", "lock_path"]


class DaemonRunning(WatcherError):
    """Another daemon holds this database's lock."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """``flock`` on ``<db>.lock``, holding the pid. The kernel drops a flock when its
    process dies, however it dies (kill -9 included), so a stale lock cannot exist."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self, attempts: int = 10) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        for attempt in range(attempts):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                # `watcher status` probes with a brief shared lock: try a few times
                if attempt == attempts - 1:
                    pid = _read_pid(self.path)
                    os.close(fd)
                    who = f"pid {pid}" if pid else "another process"
                    raise DaemonRunning(
                        f"another watcher daemon ({who}) is already running on "
                        f"{self.db_path} (lock file {self.path})") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)      # closing drops the flock
        self._fd = None


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def daemon_pid(db_path: Path) -> int | None:
    """The pid of the daemon running on ``db_path``, or None when none is."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(path) or -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
