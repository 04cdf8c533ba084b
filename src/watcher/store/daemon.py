"""What the daemon keeps between jobs and restarts: next runs, health, events, run windows.

The daemon records one ``runs`` row (kind ``daemon``) per time window rather than per
job, so a year of polling stays a few thousand rows; each job adds its counts to the
open window's row with increments, so a kill loses nothing already counted.
"""

from __future__ import annotations

from typing import Any

from watcher.store.base import RUN_COUNTERS, StoreBase, utcnow
from watcher.store.feeds import FeedState

HEALTH_STATES = ("ok", "unhealthy", "stale")


class DaemonQueries(StoreBase):

    # -- feeds --

    def ensure_feed(self, url: str, name: str) -> FeedState:
        """The feed's row (created if new) and its fetch state, read fresh."""
        sql = ("SELECT id, url, etag, last_modified, body_hash, consecutive_errors, name "
               "FROM feeds WHERE url = ?")
        row = self.db.execute(sql, (url,)).fetchone()
        if row is None or row[6] != name:     # write only when something changes
            with self.db.atomic():
                self.db.execute(
                    "INSERT INTO feeds (url, name, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET name = excluded.name",
                    (url, name, utcnow()))
            row = self.db.execute(sql, (url,)).fetchone()
        return FeedState(*row[:6])

    def daemon_feed(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT id, url, name, created_at, last_success_at, last_new_entry_at,"
            " last_checked_at, last_error, consecutive_errors, next_run_at, health,"
            " retry_after_until FROM feeds WHERE url = ?", [url]))
        return dict(rows[0]) if rows else None

    def daemon_feeds(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT id, url, name, created_at, last_success_at, last_new_entry_at,"
            " last_checked_at, last_status, last_error, consecutive_errors, next_run_at,"
            " health, health_since, retry_after_until, entry_count FROM feeds ORDER BY id")]

    def set_next_run(self, feed_id: int, when: str | None) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE feeds SET next_run_at = ? WHERE id = ?", (when, feed_id))

    def set_health(self, feed_id: int, health: str) -> str | None:
        """Store the feed's health; return the previous one when it changed."""
        if health not in HEALTH_STATES:
            raise ValueError(health)
        row = self.db.execute("SELECT health FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        if row is None or row[0] == health:
            return None
        with self.db.atomic():
            self.db.execute("UPDATE feeds SET health = ?, health_since = ? WHERE id = ?",
                            (health, utcnow(), feed_id))
        return str(row[0])

    # -- events --

    def add_event(self, kind: str, detail: str | None = None, *, feed_url: str | None = None,
                  merge_since: str | None = None) -> None:
        """Record a daemon event; with ``merge_since``, an identical kind for the same feed
        recorded since then is counted up instead of adding a row (bounded growth)."""
        now = utcnow()
        with self.db.atomic():
            if merge_since is not None:
                cur = self.db.execute(
                    "UPDATE daemon_events SET count = count + 1, last_at = ?, detail = ? "
                    "WHERE id = (SELECT id FROM daemon_events WHERE kind = ? AND "
                    "feed_url IS ? AND last_at >= ? ORDER BY id DESC LIMIT 1)",
                    (now, (detail or "")[:1000], kind, feed_url, merge_since))
                if cur.rowcount:
                    return
            self.db.execute(
                "INSERT INTO daemon_events (at, last_at, kind, feed_url, detail) "
                "VALUES (?, ?, ?, ?, ?)", (now, now, kind, feed_url, (detail or "")[:1000]))

    def recent_events(self, limit: int = 10, *, kinds: tuple[str, ...] = ()
                      ) -> list[dict[str, Any]]:
        sql = "SELECT * FROM daemon_events"
        params: list[Any] = []
        if kinds:
            sql += f" WHERE kind IN ({','.join('?' * len(kinds))})"
            params += kinds
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [dict(r) for r in self.db.query(sql, params)]

    def event_counts(self, since: str | None = None) -> dict[str, int]:
        sql = "SELECT kind, sum(count) FROM daemon_events"
        params: list[Any] = []
        if since:
            sql += " WHERE last_at >= ?"
            params.append(since)
        sql += " GROUP BY kind"
        return {str(k): int(v) for k, v in self.db.execute(sql, params).fetchall()}

    def prune_events(self, before: str) -> int:
        with self.db.atomic():
            cur = self.db.execute("DELETE FROM daemon_events WHERE last_at < ?", (before,))
        return int(cur.rowcount)

    # -- run windows --

    def open_run_window(self) -> int:
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO runs (started_at, finished_at, kind, errors) "
                "VALUES (?, ?, 'daemon', '[]')", (utcnow(), utcnow()))
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def add_to_run(self, run_id: int, counts: dict[str, int], error: str | None) -> None:
        """Add one job's counts to a window; at most 200 error lines are kept."""
        fields = {k: int(v) for k, v in counts.items() if k in RUN_COUNTERS}
        sets = "".join(f", {k} = {k} + :{k}" for k in fields)
        with self.db.atomic():
            self.db.execute(
                f"UPDATE runs SET finished_at = :fin{sets}, errors = CASE "
                f"WHEN :err IS NULL OR json_array_length(COALESCE(errors, '[]')) >= 200 "
                f"THEN errors ELSE json_insert(COALESCE(errors, '[]'), '$[#]', :err) END "
                f"WHERE id = :id",
                {**fields, "fin": utcnow(), "err": error, "id": run_id})

    def run_totals(self, kind: str = "daemon", since_id: int = 0) -> dict[str, int]:
        row = self.db.execute(
            "SELECT count(*), COALESCE(sum(feeds), 0), COALESCE(sum(failed), 0), "
            "COALESCE(sum(new_entries), 0) FROM runs WHERE kind = ? AND id > ?",
            (kind, since_id)).fetchone()
        return {"windows": int(row[0]), "jobs": int(row[1]), "failed": int(row[2]),
                "new_entries": int(row[3])}
