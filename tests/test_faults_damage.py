"""A damaged database (issue 13, item 3): a real file with 4 KB of junk written over the
full-text index's pages, then the real CLI. Damage is found at start, named with the
file and what to do, exits 1, and the file is never replaced or deleted; ``watcher db
check``, ``db backup`` and ``db rebuild-search`` check, copy and repair it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import cli, integrity, query, write_config
from watcher.store import Store

ARTICLES = 60


def _make_db(path: Path) -> None:
    """A real database, made by the store's migrations, with articles indexed by FTS5."""
    Store(path).close()
    conn = sqlite3.connect(path)
    try:
        with conn:
            for n in range(ARTICLES):
                conn.execute(
                    "INSERT INTO articles (url, link, title, text, text_source, text_hash,"
                    " fetched_at) VALUES (?, ?, ?, ?, 'page', ?, '2026-01-01T00:00:00.000Z')",
                    (f"http://127.0.0.1:9/a/{n}", f"http://127.0.0.1:9/a/{n}",
                     f"Report {n}", f"Officials counted {n} ferries crossing the strait. "
                     * 40, f"h{n}"))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _damage_fts(path: Path) -> list[int]:
    """Write 4 KB of junk over each full-text index table's root page."""
    conn = sqlite3.connect(path)
    try:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        pages = [int(r[0]) for r in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name LIKE 'articles_fts%' "
            "AND rootpage > 0")]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    assert pages
    junk = (b"\xde\xad\xbe\xef junk " * 512)[:4096]
    with open(path, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * page_size)
            f.write(junk)
    return pages


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    db = tmp_path / "watcher.db"
    _make_db(db)
    _damage_fts(db)
    try:
        assert integrity(db) != "ok"
    except sqlite3.DatabaseError as e:     # SQLite may refuse to check it at all
        assert "malformed" in str(e)
    return db


def _config(tmp_path: Path) -> Path:
    return write_config(tmp_path, [])


def test_run_once_on_a_damaged_database_exits_1_naming_the_file(damaged: Path,
                                                                 tmp_path: Path) -> None:
    before = damaged.read_bytes()
    r = cli("run", "--once", config=_config(tmp_path))
    assert r.code == 1, r
    assert "Traceback" not in r.err
    line = r.err.strip()
    assert "\n" not in line, r.err
    assert line.startswith("error:")
    assert str(damaged) in line
    assert "damaged" in line
    assert f"watcher --db {damaged} db rebuild-search" in line   # the index alone: the fix
    assert damaged.read_bytes() == before           # never replaced or repaired silently


def test_history_on_a_damaged_database_fails_clearly(damaged: Path, tmp_path: Path) -> None:
    r = cli("history", config=_config(tmp_path))
    assert r.code == 1, r
    assert r.out == ""
    assert str(damaged) in r.err and "damaged" in r.err
    assert "Traceback" not in r.err


def test_daemon_refuses_a_damaged_database(damaged: Path, tmp_path: Path) -> None:
    r = cli("run", config=_config(tmp_path), timeout=60)
    assert r.code == 1, r
    assert str(damaged) in r.err and "damaged" in r.err
    assert "Traceback" not in r.err
    assert damaged.exists()


def test_db_check_lists_the_problems(damaged: Path, tmp_path: Path) -> None:
    r = cli("db", "check", config=_config(tmp_path))
    assert r.code == 1, r
    assert str(damaged) in r.err and "damaged" in r.err
    assert r.out.strip(), "the problems are listed"
    assert "Traceback" not in r.err


def test_db_check_on_a_sound_database(tmp_path: Path) -> None:
    db = tmp_path / "watcher.db"
    _make_db(db)
    r = cli("db", "check", config=_config(tmp_path))
    assert r.code == 0, r
    assert "ok" in r.out and str(db) in r.out


def test_rebuild_search_repairs_the_index(damaged: Path, tmp_path: Path) -> None:
    config = _config(tmp_path)
    r = cli("db", "rebuild-search", config=config)
    assert r.code == 0, r
    assert f"{ARTICLES} articles" in r.out
    assert integrity(damaged) == "ok"
    hits = query(damaged, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ferry'")
    assert hits == [(ARTICLES,)]
    # the triggers are back: a new article is found by search
    conn = sqlite3.connect(damaged)
    with conn:
        conn.execute("INSERT INTO articles (url, link, title, text, text_source, text_hash,"
                     " fetched_at) VALUES ('u', 'u', 'Late', 'A zeppelin landed.', 'page',"
                     " 'hz', '2026-01-02T00:00:00.000Z')")
    conn.close()
    assert query(damaged, "SELECT count(*) FROM articles_fts "
                 "WHERE articles_fts MATCH 'zeppelin'") == [(1,)]
    assert cli("db", "check", config=config).code == 0
    assert cli("run", "--once", config=config).code == 0


def test_backup_while_another_connection_writes(tmp_path: Path) -> None:
    db = tmp_path / "watcher.db"
    _make_db(db)
    config = _config(tmp_path)
    # a real second connection in the middle of a write transaction, as the daemon's
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE articles SET title = 'in flight' WHERE id = 1")
    try:
        dest = tmp_path / "copy.db"
        r = cli("db", "backup", str(dest), config=config)
        assert r.code == 0, r
        assert str(dest) in r.out
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert integrity(dest) == "ok"
    assert query(dest, "SELECT count(*) FROM articles") == [(ARTICLES,)]
    assert query(dest, "SELECT title FROM articles WHERE id = 1") == [("Report 0",)]

    # an existing file is not overwritten without --force
    size = dest.stat().st_size
    os.truncate(dest, 10)
    r = cli("db", "backup", str(dest), config=config)
    assert r.code == 1, r
    assert str(dest) in r.err and "--force" in r.err
    assert dest.stat().st_size == 10
    r = cli("db", "backup", str(dest), "--force", config=config)
    assert r.code == 0, r
    assert dest.stat().st_size >= size - 4096 * 4
    assert query(dest, "SELECT title FROM articles WHERE id = 1") == [("in flight",)]


def test_backup_of_a_damaged_database_says_so(damaged: Path, tmp_path: Path) -> None:
    """A backup of a damaged file is still made (it is all there is), but it says so."""
    r = cli("db", "backup", str(tmp_path / "copy.db"), config=_config(tmp_path))
    assert (tmp_path / "copy.db").exists()
    assert r.code == 1, r
    assert "damaged" in r.err and "watcher db check" in r.err


def test_daemon_start_quick_check_finds_damage_past_the_first_pages(tmp_path: Path) -> None:
    """Junk over the last leaf of articles: the cheap open check (first pages) reads past
    it; the daemon's quick_check at start does not, and exits 1 naming file and table."""
    db = tmp_path / "watcher.db"
    _make_db(db)
    conn = sqlite3.connect(db)
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    leaf = int(conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'articles' "
                            "AND pagetype = 'leaf'").fetchone()[0])
    conn.close()
    with open(db, "r+b") as f:
        f.seek((leaf - 1) * page_size)
        f.write(b"\xff" * 4096)
    before = db.read_bytes()
    config = _config(tmp_path)
    r = cli("run", config=config, timeout=60)
    assert r.code == 1, r
    assert str(db) in r.err and "damaged in table articles" in r.err
    assert "watcher db check" in r.err and "Traceback" not in r.err
    assert db.read_bytes() == before
    r = cli("db", "check", config=config)
    assert r.code == 1, r
    assert r.out.strip()
