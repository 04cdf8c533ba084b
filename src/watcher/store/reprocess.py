"""Staging for `watcher reprocess`: runs, the articles still to analyse, their findings.

Analysis is committed batch by batch into ``reprocess_findings`` (schema migration 7), so
a run killed midway resumes where it stopped, while observations are replaced only at
the end, in one transaction: a kill at any moment never leaves them half-replaced.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from watcher.errors import StoreError
from watcher.store.base import StoreBase, translate_error, utcnow

ALL_CLAIMS = "*"

# The articles a claim-scoped run analyses: those the full-text index finds with the
# claim's words, and those that hold one of its observations now (they must lose them if
# they no longer state it). ``:q`` is an FTS5 query, ``:claim`` the claim id.
_TARGETS = """
    SELECT id FROM (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH :q
                    AND rowid > :after ORDER BY rowid LIMIT :n)
    UNION
    SELECT id FROM (SELECT DISTINCT article_id AS id FROM observations
                    WHERE claim_id = :claim AND article_id > :after
                    ORDER BY article_id LIMIT :n)"""


def search_query(groups: Sequence[Sequence[str]]) -> str:
    """An FTS5 query over the article text: one word of each group, every group.

    Each word is quoted, so it is one token (or a phrase) and never query syntax; the
    index's own tokenizer (porter) reads it the way it read the articles.
    """
    def quoted(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    return " AND ".join("text : (" + " OR ".join(quoted(w) for w in group) + ")"
                        for group in groups)


def _gone(path: Path, run_id: int) -> StoreError:
    return StoreError(f"{path}: reprocess run {run_id} was finished or dropped by another "
                      "`watcher reprocess` on this database; nothing was changed")


class ReprocessQueries(StoreBase):

    def reprocess_run(self, fingerprint: str, scope: str) -> tuple[dict[str, Any], bool]:
        """The unfinished run of ``scope`` made with this fingerprint, else a new one.

        Runs made with another fingerprint (the baseline or the analysis changed) are
        dropped with their findings. Returns the run and whether any was dropped.
        """
        now = utcnow()
        with self.db.atomic():
            stale = self.db.execute("DELETE FROM reprocess_runs WHERE fingerprint != ?",
                                    [fingerprint]).rowcount
            self.db.execute(
                "INSERT INTO reprocess_runs (scope, fingerprint, started_at, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(scope) DO NOTHING",
                [scope, fingerprint, now, now])
            row = next(self.db.query("SELECT * FROM reprocess_runs WHERE scope = ?",
                                     [scope]))
        return dict(row), stale > 0

    def reprocess_articles(self, after: int, limit: int, query: str | None = None,
                           claim: str | None = None) -> list[dict[str, Any]]:
        """The next ``limit`` articles to analyse with an id above ``after``, by id: all
        of them, or (with ``query`` and ``claim``) those that can touch the claim."""
        cols = "a.id, a.text, a.language, a.published"
        if query is None:
            sql = f"SELECT {cols} FROM articles a WHERE a.id > :after ORDER BY a.id LIMIT :n"
        else:
            sql = (f"SELECT {cols} FROM articles a WHERE a.id IN ({_TARGETS}) "
                   "ORDER BY a.id LIMIT :n")
        return self._search(sql, {"after": after, "n": limit, "q": query, "claim": claim})

    def reprocess_targets(self, query: str | None = None, claim: str | None = None,
                          upto: int | None = None) -> int:
        """How many articles a run analyses (with an id up to ``upto``, when given)."""
        top = (1 << 63) - 1 if upto is None else upto
        if query is None:
            return int(self.db.execute("SELECT count(*) FROM articles WHERE id <= ?",
                                       [top]).fetchone()[0])
        rows = self._search(f"SELECT count(*) AS n FROM ({_TARGETS}) WHERE id <= :top",
                            {"after": 0, "n": -1, "q": query, "claim": claim, "top": top})
        return int(rows[0]["n"])

    def _search(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            return [dict(r) for r in self.db.query(sql, params)]
        except sqlite3.OperationalError as e:
            error = translate_error(self.path, e, self.busy_timeout)
            if error is not e:
                raise error from e
            raise StoreError(f"{self.path}: the full-text search index cannot be used "
                             f"({e}); rebuild it with `watcher db rebuild-search`") from None

    def stage_findings(self, run_id: int, rows: Sequence[tuple[int, bytes]], *,
                       done_upto: int, analysed: int, failed: int) -> None:
        """One batch's findings and the run's progress, in one transaction."""
        with self.db.atomic():
            if not self.db.execute(
                    "UPDATE reprocess_runs SET done_upto = max(done_upto, ?), "
                    "analysed = analysed + ?, failed = failed + ?, updated_at = ? "
                    "WHERE id = ?", [done_upto, analysed, failed, utcnow(), run_id]).rowcount:
                raise _gone(self.path, run_id)
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO reprocess_findings (run_id, article_id, findings) "
                "VALUES (?, ?, ?)", [(run_id, a, f) for a, f in rows])

    def reprocess_progress(self, run_id: int) -> dict[str, Any]:
        row = self.db.execute("SELECT done_upto, analysed, failed FROM reprocess_runs "
                              "WHERE id = ?", [run_id]).fetchone()
        if row is None:
            raise _gone(self.path, run_id)
        return {"done_upto": int(row[0]), "analysed": int(row[1]), "failed": int(row[2])}

    def staged_count(self, run_id: int) -> int:
        return int(self.db.execute("SELECT count(*) FROM reprocess_findings WHERE run_id = ?",
                                   [run_id]).fetchone()[0])

    def staged_articles(self, run_id: int) -> Iterator[dict[str, Any]]:
        """The articles of a run that have findings, oldest first (the order recording
        judges statuses in), with what recording needs of each."""
        yield from (dict(r) for r in self.db.query(
            """SELECT a.id, a.url, a.title, a.published, a.text_hash,
                      (SELECT f.name FROM entries e JOIN feeds f ON f.id = e.feed_id
                        WHERE e.article_id = a.id ORDER BY e.id LIMIT 1) AS feed
               FROM reprocess_findings r JOIN articles a ON a.id = r.article_id
               WHERE r.run_id = ?
               ORDER BY COALESCE(a.published, a.fetched_at), a.id""", [run_id]))

    def staged_findings(self, run_id: int, article_id: int) -> bytes:
        row = self.db.execute("SELECT findings FROM reprocess_findings WHERE run_id = ? "
                              "AND article_id = ?", [run_id, article_id]).fetchone()
        return bytes(row[0]) if row else b""

    def drop_reprocess_run(self, run_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM reprocess_findings WHERE run_id = ?", [run_id])
            self.db.execute("DELETE FROM reprocess_runs WHERE id = ?", [run_id])

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One transaction that holds the write lock from its start (BEGIN IMMEDIATE).

        Another process (the daemon) may add articles until the lock is taken and none
        after, so what the transaction reads stays true until it commits; a deferred
        transaction could instead fail at its first write.
        """
        conn = self.db.conn
        if conn.in_transaction:
            raise StoreError("write_lock() inside a transaction")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            error = translate_error(self.path, e, self.busy_timeout)
            if error is e:
                raise
            raise error from e
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            error = translate_error(self.path, e, self.busy_timeout)
            if error is e:
                raise
            raise error from e
