"""What the digest, the Atom feed and the claim timelines read."""

from __future__ import annotations

from typing import Any

from watcher.store.base import StoreBase, utcnow


class DigestQueries(StoreBase):

    def observations_recorded(self, start: str, end: str) -> list[dict[str, Any]]:
        """Observations watcher recorded in [start, end), oldest publication first."""
        return [dict(r) for r in self.db.query(
            "SELECT * FROM observations WHERE observed_at >= ? AND observed_at < ? "
            "ORDER BY claim_id, published, id", [start, end])]

    def candidates_recorded(self, start: str, end: str, limit: int = 50
                            ) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT * FROM candidates WHERE observed_at >= ? AND observed_at < ? "
            "ORDER BY published DESC, id DESC LIMIT ?", [start, end, limit])]

    def period_counts(self, start: str, end: str) -> dict[str, int]:
        one = self.db.execute
        return {
            "articles": int(one("SELECT count(*) FROM articles WHERE fetched_at >= ? AND "
                                "fetched_at < ?", [start, end]).fetchone()[0]),
            "observations": int(one("SELECT count(*) FROM observations WHERE observed_at >= ?"
                                    " AND observed_at < ?", [start, end]).fetchone()[0]),
            "changes": int(one(
                "SELECT count(*) FROM observations WHERE observed_at >= ? AND observed_at < ?"
                " AND alert = 1", [start, end]).fetchone()[0]),
            "candidates": int(one("SELECT count(*) FROM candidates WHERE observed_at >= ? AND "
                                  "observed_at < ?", [start, end]).fetchone()[0]),
            "cycles": int(one("SELECT count(*) FROM runs WHERE started_at >= ? AND "
                              "started_at < ?", [start, end]).fetchone()[0]),
        }

    def feed_health_rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT id, url, name, last_status, last_error, consecutive_errors, "
            "last_success_at, last_checked_at, last_new_entry_at, created_at FROM feeds "
            "ORDER BY name")]

    def recent_changes(self, limit: int = 200) -> list[dict[str, Any]]:
        """The newest alerts (moves of a claim's estimate) by recording time, for Atom."""
        return [dict(r) for r in self.db.query(
            "SELECT o.*, c.label AS claim_label, c.statement AS claim_statement "
            "FROM observations o LEFT JOIN claims c ON c.id = o.claim_id "
            "WHERE o.alert = 1 ORDER BY o.observed_at DESC, o.id DESC LIMIT ?", [limit])]

    def claim_timeline(self, claim_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT * FROM observations WHERE claim_id = ? ORDER BY published, id",
            [claim_id])]

    def claim_row(self, claim_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        return dict(rows[0]) if rows else None

    # -- digest bookkeeping --

    def last_sent_digest(self) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM digests WHERE sent_at IS NOT NULL ORDER BY period_end DESC LIMIT 1"))
        return dict(rows[0]) if rows else None

    def record_digest(self, start: str, end: str, changes: int, observations: int) -> int:
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO digests (created_at, period_start, period_end, changes, "
                "observations) VALUES (?, ?, ?, ?, ?)",
                (utcnow(), start, end, changes, observations))
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def mark_digest(self, digest_id: int, *, sent: bool, error: str | None = None) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE digests SET sent_at = ?, error = ? WHERE id = ?",
                            (utcnow() if sent else None, error, digest_id))

    def failed_digest(self) -> int | None:
        """The newest digest whose delivery failed and has not been retried with success."""
        row = self.db.execute(
            "SELECT id FROM digests WHERE sent_at IS NULL AND error IS NOT NULL "
            "ORDER BY id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None
