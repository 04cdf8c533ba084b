"""`watcher db`: check, back up and repair the database file (SQL in store/maintenance)."""

from __future__ import annotations

from pathlib import Path

import click

from watcher.cli.base import Context, err, fails_cleanly, main, out, safe


@main.group()
def db() -> None:
    """Check, back up and repair the database (safe while the daemon runs, except
    rebuild-search, which writes)."""


def _db_path(obj: Context) -> Path:
    from watcher.store.base import DatabasePathError

    path = obj.config.db_path
    if not path.is_file():
        what = "is a folder, not a database" if path.is_dir() else "no database here"
        raise DatabasePathError(f"{path}: {what} (check --db)")
    return path


@db.command()
@click.pass_obj
@fails_cleanly
def check(obj: Context) -> None:
    """Full integrity check (PRAGMA integrity_check) of every page.

    Exit status 0 when the file is sound; 1 when it is damaged, with each problem on
    stdout and one line on stderr that says what to do. Reads every page: a minute or
    more on a large database.
    """
    from watcher.store.maintenance import damage_summary, integrity_problems

    path = _db_path(obj)
    problems = integrity_problems(path)
    if not problems:
        out.print(f"{safe(path)}: ok")
        return
    for problem in problems:
        out.print(safe(problem))
    raise damage_summary(path, problems)


@db.command()
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@click.pass_obj
@fails_cleanly
def backup(obj: Context, dest: Path, force: bool) -> None:
    """Copy the database to DEST with SQLite's online backup API.

    Safe while the daemon runs: the copy is one consistent moment of the database, and
    the daemon keeps writing meanwhile. DEST must not exist unless --force is given.
    """
    from watcher.store.maintenance import backup as run_backup

    path = _db_path(obj)
    pages = run_backup(path, dest, force=force)
    size = dest.stat().st_size
    out.print(f"backed up {safe(path)} to {safe(dest)} ({pages} pages, "
              f"{size / 1e6:.1f} MB)")


@db.command("rebuild-search")
@click.pass_obj
@fails_cleanly
def rebuild_search(obj: Context) -> None:
    """Rebuild the full-text search index from the articles table.

    The repair for a damaged index (`watcher db check` names articles_fts tables). Only
    the index is written; stop the daemon first on a large database.
    """
    from watcher.store.maintenance import rebuild_search as run_rebuild

    path = _db_path(obj)
    err.print(f"rebuilding the full-text index of {path} ...")
    count = run_rebuild(path)
    out.print(f"rebuilt the full-text index of {safe(path)}: {count} articles")
