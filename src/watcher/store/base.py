"""Connection, pragmas, migrations and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import pathname2url

import sqlite_utils

from watcher.errors import StoreError
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


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """A connection; without ``create``, SQLite itself refuses to make a new file."""
    if create:
        return sqlite3.connect(str(path), timeout=30.0)
    uri = "file:" + pathname2url(str(path.absolute())) + "?mode=rw"
    return sqlite3.connect(uri, timeout=30.0, uri=True)


class StoreBase:
    """One SQLite database. Not thread-safe: one writer, the daemon's event loop."""

    db: sqlite_utils.Database

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        """Open the database; ``create=False`` (read commands) never makes a file, and
        ``create=True`` makes at most the database's own folder, never a tree."""
        self.path = Path(path)
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
            conn = _connect(self.path, create=create)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=30000")
            self._migrate()
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
        with self.db.atomic():
            yield

    def integrity_check(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

