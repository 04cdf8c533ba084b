"""Checking, copying and repairing the database file: every SQL statement of it.

Damage is found at two costs. ``check_first_pages`` reads the first page of every table
(a few pages in all, whatever the size) each time the database is opened, so every
command, ``history`` included, refuses a file whose tables cannot be read. ``check_at_start``
runs ``PRAGMA quick_check`` once when a cycle (``run --once``) or the daemon starts. Neither
ever changes the file: damage is reported with the file's name and what to do.
``integrity_problems`` (``watcher db check``) is the full ``PRAGMA integrity_check``;
``backup`` uses SQLite's online backup API; ``rebuild_search`` rebuilds the full-text
index from the articles table.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.request import pathname2url

from watcher.errors import StoreError

# The full-text index (schema.py, migration 1): an external-content FTS5 table over
# articles(title, text), its shadow tables and the triggers that keep it in step.
FTS = "articles_fts"
FTS_CONTENT = "articles"
_FTS_SQL = ('CREATE VIRTUAL TABLE "articles_fts" USING FTS5 (\n    "title", "text",\n'
            "    tokenize='porter',\n    content=\"articles\"\n)")
_FTS_TRIGGERS = {
    "articles_ai": 'CREATE TRIGGER "articles_ai" AFTER INSERT ON "articles" BEGIN\n'
                   '  INSERT INTO "articles_fts" (rowid, "title", "text") '
                   'VALUES (new.rowid, new."title", new."text");\nEND',
    "articles_ad": 'CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" BEGIN\n'
                   '  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text") '
                   "VALUES('delete', old.rowid, old.\"title\", old.\"text\");\nEND",
    "articles_au": 'CREATE TRIGGER "articles_au" AFTER UPDATE ON "articles" BEGIN\n'
                   '  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text") '
                   "VALUES('delete', old.rowid, old.\"title\", old.\"text\");\n"
                   '  INSERT INTO "articles_fts" (rowid, "title", "text") '
                   'VALUES (new.rowid, new."title", new."text");\nEND',
}
GUIDE = 'the README\'s "Operating watcher" section'


class DatabaseDamagedError(StoreError):
    """The file is damaged: SQLite cannot read part of it. Exit status 1."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _is_search_table(name: str) -> bool:
    return name == FTS or name.startswith(FTS + "_")


def _tables(conn: sqlite3.Connection) -> list[str]:
    """The tables stored in b-trees (virtual tables have none; their shadows do)."""
    return [str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 "
        "ORDER BY rootpage")]


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = "file:" + pathname2url(str(path.absolute())) + ("?mode=ro" if readonly
                                                          else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _damaged(path: Path, problems: list[tuple[str, str]]) -> DatabaseDamagedError:
    """One line: the file, what is damaged, what to do. ``problems``: (table, message)."""
    first = problems[0][1]
    if all(_is_search_table(table) for table, _ in problems):
        return DatabaseDamagedError(
            f"{path}: the database is damaged: its full-text search index cannot be read "
            f"({first}); the articles are intact, and watcher changed nothing: rebuild the "
            f"index with `watcher --db {path} db rebuild-search`, then run "
            "`watcher db check`")
    where = sorted({table for table, _ in problems if table})
    tables = f" in table {', '.join(where)}" if where else ""
    return DatabaseDamagedError(
        f"{path}: the database is damaged{tables} ({first}); watcher changed nothing: "
        f"stop watcher, copy the file aside (`watcher db backup PATH`), run `watcher db "
        f"check` to list the problems, and restore a backup as {GUIDE} explains")


def _first_pages_problems(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    try:
        tables = _tables(conn)
    except sqlite3.DatabaseError as e:
        return [("", f"the schema cannot be read: {e}")]
    problems = []
    for table in tables:
        try:
            conn.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchall()
        except sqlite3.DatabaseError as e:
            problems.append((table, str(e)))
    return problems


def check_first_pages(conn: sqlite3.Connection, path: Path) -> None:
    """Read the schema and the first page of every table: a few pages at any size."""
    problems = _first_pages_problems(conn)
    if problems:
        raise _damaged(path, problems)


def _table_problems(conn: sqlite3.Connection, pragma: str) -> list[tuple[str, str]]:
    """``pragma`` (quick_check or integrity_check) table by table, to say where."""
    problems: list[tuple[str, str]] = []
    for table in _tables(conn):
        try:
            rows = conn.execute(f"PRAGMA {pragma}({_quote(table)})").fetchall()
        except sqlite3.DatabaseError as e:
            problems.append((table, str(e)))
            continue
        problems += [(table, str(r[0])) for r in rows if r[0] != "ok"]
    return problems


def quick_check_problems(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``PRAGMA quick_check`` of the whole file (reads every page once: O(size));
    on damage, again table by table to say which tables are hurt."""
    try:
        rows = conn.execute("PRAGMA quick_check(20)").fetchall()
        if [r[0] for r in rows] == ["ok"]:
            return []
    except sqlite3.DatabaseError:
        pass
    try:
        found = _table_problems(conn, "quick_check")
    except sqlite3.DatabaseError as e:
        return [("", f"the schema cannot be read: {e}")]
    return found or [("", str(r[0])) for r in rows]


def check_at_start(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check`` when a cycle or the daemon starts; raise on damage."""
    problems = quick_check_problems(conn)
    if problems:
        raise _damaged(path, problems)


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check``: every problem found, as lines ("table: message" when
    SQLite could not check a table at all). Empty when the file is sound."""
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.Error as e:
        raise StoreError(f"{path}: cannot open database: {e}") from None
    try:
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
            return [] if rows == ["ok"] else rows
        except sqlite3.DatabaseError:
            pass
        try:
            found = _table_problems(conn, "integrity_check")
        except sqlite3.DatabaseError as e:
            return [f"the schema cannot be read: {e}"]
        return [f"{table}: {msg}" for table, msg in found] or ["integrity check failed"]
    finally:
        conn.close()


def damage_summary(path: Path, problems: list[str]) -> DatabaseDamagedError:
    """The one-line error for ``db check``'s list of problems."""
    pairs = [(p.split(":", 1)[0] if ":" in p and " " not in p.split(":", 1)[0] else "", p)
             for p in problems]
    return _damaged(path, pairs)


def backup(path: Path, dest: Path, *, force: bool = False) -> int:
    """Copy the database to ``dest`` with SQLite's online backup API; returns its pages.

    A consistent snapshot: in WAL mode the copy holds a read transaction only, so a
    running daemon keeps writing meanwhile. The copy is written beside ``dest`` and
    renamed into place, so a failed backup never leaves half a file nor spoils an old
    one. The copy is quick-checked; a damaged source raises after the copy is made.
    """
    if dest.exists() and not force:
        raise StoreError(f"{dest}: already exists; choose another path, or pass --force "
                         "to overwrite it")
    if dest.is_dir():
        raise StoreError(f"{dest}: is a folder; give a file name for the backup")
    if not dest.parent.is_dir():
        raise StoreError(f"{dest.parent}: no such folder for the backup")
    if dest.absolute() == path.absolute():
        raise StoreError(f"{dest}: is the database itself; give another path")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        src = _connect(path)
    except sqlite3.Error as e:
        raise StoreError(f"{path}: cannot open database: {e}") from None
    try:
        target = sqlite3.connect(str(tmp))
        try:
            src.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")   # one self-contained file
            problems = quick_check_problems(target)
            pages = int(target.execute("PRAGMA page_count").fetchone()[0])
        finally:
            target.close()
        os.replace(tmp, dest)
    except sqlite3.Error as e:
        raise StoreError(f"{path}: backup to {dest} failed: {e}") from None
    except OSError as e:
        raise StoreError(f"{dest}: cannot write the backup: {e.strerror or e}") from None
    finally:
        src.close()
        tmp.unlink(missing_ok=True)
    if problems:
        damaged = _damaged(path, problems)
        raise DatabaseDamagedError(f"backup written to {dest}, but {damaged}")
    return pages


def rebuild_search(path: Path) -> int:
    """Rebuild the full-text index from the articles table; returns the articles indexed.

    First FTS5's own ``rebuild``. When the index's pages are too damaged for that to
    clear them, the index's schema rows are removed and it is created anew, then VACUUM
    rewrites the file without the unreadable pages (it needs free space about the size
    of the database). The articles table is only read.
    """
    try:
        conn = _connect(path)
    except sqlite3.Error as e:
        raise StoreError(f"{path}: cannot open database: {e}") from None
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT INTO {FTS}({FTS}) VALUES('rebuild')")
            conn.execute("COMMIT")
        except sqlite3.DatabaseError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            _drop_search(conn)
            conn.close()
            conn = _connect(path)
            _create_search(conn)
            conn.execute(f"INSERT INTO {FTS}({FTS}) VALUES('rebuild')")
            conn.execute("VACUUM")
        conn.execute(f"INSERT INTO {FTS}({FTS}) VALUES('integrity-check')")
        return int(conn.execute(f"SELECT count(*) FROM {FTS_CONTENT}").fetchone()[0])
    except sqlite3.DatabaseError as e:
        raise DatabaseDamagedError(
            f"{path}: cannot rebuild the full-text index ({e}); the damage is not in the "
            f"index alone: run `watcher db check`, and restore a backup as {GUIDE} "
            "explains") from None
    finally:
        conn.close()


def _drop_search(conn: sqlite3.Connection) -> None:
    """Remove the index's rows from the schema: its pages cannot be read to drop it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("DELETE FROM sqlite_master WHERE (type = 'table' AND (name = ? OR "
                     "name LIKE ? ESCAPE '\\')) OR (type = 'trigger' AND name IN (?, ?, ?))",
                     (FTS, FTS.replace("_", "\\_") + "\\_%", *_FTS_TRIGGERS))
        conn.execute(f"PRAGMA schema_version={version + 1}")
        conn.execute("PRAGMA writable_schema=OFF")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create_search(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(_FTS_SQL)
    for sql in _FTS_TRIGGERS.values():
        conn.execute(sql)
    conn.execute("COMMIT")
