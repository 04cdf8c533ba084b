"""Connection, pragmas, migrations and transactions."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

import sqlite_utils

from watcher.errors import StoreError
from watcher.store.maintenance import check_at_start, check_first_pages
from watcher.store.schema import MIGRATIONS, SCHEMA_VERSION

# The counters of a cycle, as columns of the runs table.
RUN_COUNTERS = ("feeds", "ok", "not_modified", "failed", "new_entries", "articles",
                "fallbacks", "observations", "changes")


def iso_utc(dt: datetime) -> str:
    """The one timestamp format stored: UTC, fixed width, milliseconds.

    Fixed width keeps string comparison in SQL equal to time order, and milliseconds
    keep a digest built in the same second as a cycle from missing that cycle's work.
    """
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utcnow() -> str:
    return iso_utc(datetime.now(UTC))


class DatabasePathError(StoreError):
    """A database path that names no database, or a folder that does not exist.

    A usage error (exit status 2): a mistyped ``--db`` must not leave an empty
    database, or a tree of folders, behind it.
    """


class DatabaseUnavailable(StoreError):
    """The database cannot take writes for now (full disk, another process's lock).

    Not the fault of one feed: a cycle stops writing at the first one, ``run --once``
    exits 1, and the daemon pauses polling until a write succeeds again.
    """


class DatabaseFullError(DatabaseUnavailable):
    """SQLITE_FULL: no space left for the database (or its WAL) on its disk."""


class DatabaseLockedError(DatabaseUnavailable):
    """SQLITE_BUSY/SQLITE_LOCKED: another process held a lock past the busy timeout."""


DEFAULT_BUSY_TIMEOUT = 30.0
# Test-only: ``PRAGMA max_page_count`` for every connection, so that tests get SQLite's
# real SQLITE_FULL on a real file without mounting a small filesystem.
TEST_MAX_PAGES_ENV = "WATCHER_TEST_MAX_PAGES"


def translate_error(path: Path, e: sqlite3.Error, busy_timeout: float) -> Exception:
    """The error to raise for ``e``: one clear line for a full disk or a held lock, ``e``
    itself for anything else."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == sqlite3.SQLITE_FULL:
        return DatabaseFullError(
            f"{path}: the disk is full (SQLite: {e}); nothing more was written, and what "
            "is stored is intact: free space on that disk, then run again")
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseLockedError(
            f"{path}: the database is locked by another process for longer than the busy "
            f"timeout ({busy_timeout:g} s; [storage] busy_timeout); nothing was lost: "
            "try again when that process is done")
    return e


def _translating(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(self: StoreBase, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except sqlite3.OperationalError as e:
            error = translate_error(self.path, e, self.busy_timeout)
            if error is e:
                raise
            raise error from e

    return wrapper


def _connect(path: Path, *, create: bool, timeout: float) -> sqlite3.Connection:
    """A connection; without ``create``, SQLite itself refuses to make a new file."""
    if create:
        return sqlite3.connect(str(path), timeout=timeout)
    uri = "file:" + pathname2url(str(path.absolute())) + "?mode=rw"
    return sqlite3.connect(uri, timeout=timeout, uri=True)


class StoreBase:
    """One SQLite database. Not thread-safe: one writer, the daemon's event loop."""

    db: sqlite_utils.Database

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every public query of every mixin turns a full disk or a lock held too long
        into a ``DatabaseUnavailable`` naming the file (nested calls translate once)."""
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if (not name.startswith("_") and callable(value)
                    and not isinstance(value, (staticmethod, classmethod, type))
                    and not getattr(value, "__wrapped__", None)):
                setattr(cls, name, _translating(value))

    def __init__(self, path: Path | str, *, create: bool = True,
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        """Open the database; ``create=False`` (read commands) never makes a file, and
        ``create=True`` makes at most the database's own folder, never a tree.
        ``busy_timeout``: seconds a statement waits for another process's lock."""
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        if not create and not self.path.is_file():
            what = "is a folder, not a database" if self.path.is_dir() else "no database here"
            raise DatabasePathError(f"{self.path}: {what} (check --db, or run "
                                    "`watcher run --once` to create one)")
        try:
            if create and not self.path.parent.is_dir():
                try:
                    self.path.parent.mkdir()
                except FileNotFoundError:
                    raise DatabasePathError(
                        f"{self.path.parent}: no such folder for the database") from None
            conn = _connect(self.path, create=create, timeout=busy_timeout)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            test_pages = os.environ.get(TEST_MAX_PAGES_ENV, "").strip()
            if test_pages.isdigit():
                self.db.execute(f"PRAGMA max_page_count={int(test_pages)}")
            check_first_pages(conn, self.path)   # a few pages: damage named, exit 1
            self._migrate()
        except sqlite3.OperationalError as e:
            error = translate_error(self.path, e, busy_timeout)
            if isinstance(error, StoreError):
                raise error from None
            raise StoreError(f"{self.path}: cannot open database: {e}") from None
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open database: {e}") from None
        except OSError as e:
            raise StoreError(f"{self.path}: {e.strerror or e}") from None

    # -- lifecycle --

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this "
                             f"watcher understands ({SCHEMA_VERSION}); upgrade watcher")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self.db.atomic():
                MIGRATIONS[number - 1](self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    def check_at_start(self) -> None:
        """``PRAGMA quick_check`` once per cycle or daemon start (see maintenance.py)."""
        check_at_start(self.db.conn, self.path)

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            with self.db.atomic():
                yield
        except sqlite3.OperationalError as e:
            error = translate_error(self.path, e, self.busy_timeout)
            if error is e:
                raise
            raise error from e

    @_translating
    def probe_write(self, size: int = 256 * 1024) -> None:
        """Write ``size`` bytes for real, then remove them: raises ``DatabaseFullError``
        or ``DatabaseLockedError`` while the database cannot take a cycle's writes."""
        with self.db.atomic():
            self.db.execute("CREATE TABLE IF NOT EXISTS watcher_space_probe (b BLOB)")
            self.db.execute("INSERT INTO watcher_space_probe VALUES (zeroblob(?))", [size])
        with self.db.atomic():
            self.db.execute("DROP TABLE watcher_space_probe")

    @_translating
    def integrity_check(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

