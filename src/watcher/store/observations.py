"""Claims, observations and candidate figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from watcher.store.base import StoreBase, utcnow

CHANGE_STATUSES = ("new", "higher", "lower", "changed")
# Must match the WHERE of the partial index observations_change_time (schema _m6): the
# changes are the alerts, observations that moved a claim's estimate past its thresholds.
_CHANGE_TERM = "alert = 1"
# Columns added with the claim state (_m6); kept apart so OBSERVATION_FIELDS still names
# what every schema version has.
ALERT_FIELDS = ("alert", "single_source", "corroborated_by", "restated")
STATE_FIELDS = (
    "claim_id", "best", "value", "low", "high", "qualifier", "value_text", "as_of",
    "reported", "sources", "support", "observations", "confidence", "observation_id",
    "trend", "from_baseline", "alert_id", "alerted", "last_alert", "updated_at",
)

OBSERVATION_FIELDS = (
    "claim_id", "article_id", "value_key", "value", "low", "high", "qualifier", "value_text",
    "kind", "unit", "text", "start", "end", "sentence", "source", "event", "period",
    "refers_to", "url", "title", "feed", "published", "observed_at", "status", "prev_value",
    "prev_low", "prev_high", "prev_qualifier", "prev_value_text", "prev_from", "delta",
    "confidence",
)
CANDIDATE_FIELDS = (
    "article_id", "start", "text", "kind", "value", "low", "high", "qualifier", "unit",
    "subject", "event", "source", "sentence", "url", "title", "feed", "published",
    "observed_at",
)


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    claim: str | None = None
    since: str | None = None          # ISO date or datetime, inclusive
    until: str | None = None          # exclusive when a datetime, whole day when a date
    statuses: tuple[str, ...] = ()
    source: str | None = None         # substring of attribution, URL or title
    feed: str | None = None
    changes_only: bool = False
    limit: int | None = None


def _quoted(name: str) -> str:
    return f'"{name}"'


# Statements run once per recorded figure, built once.
_INSERT_OBSERVATION = (
    f"INSERT INTO observations ({', '.join(map(_quoted, OBSERVATION_FIELDS + ALERT_FIELDS))})"
    f" VALUES ({', '.join('?' * (len(OBSERVATION_FIELDS) + len(ALERT_FIELDS)))})"
    " ON CONFLICT(article_id, claim_id, value_key) DO NOTHING")
_SAVE_STATE = (
    f"INSERT INTO claim_state ({', '.join(STATE_FIELDS)})"
    f" VALUES ({', '.join('?' * len(STATE_FIELDS))}) ON CONFLICT(claim_id) DO UPDATE SET "
    + ", ".join(f"{k} = excluded.{k}" for k in STATE_FIELDS if k != "claim_id"))


class ObservationQueries(StoreBase):
    # inside ``recounting()``: the claim the counts are rebuilt for ("" for every claim)
    _recount: str | None = None

    def sync_claims(self, claims: Iterable[Mapping[str, Any]]) -> None:
        """Mirror the baseline into the claims table, so SQL can join against it."""
        now = utcnow()
        rows = [dict(c, updated_at=now) for c in claims]
        with self.db.atomic():
            keep = [r["id"] for r in rows]
            marks = ",".join("?" * len(keep)) or "''"
            self.db.execute(f"DELETE FROM claims WHERE id NOT IN ({marks})", keep)
            for r in rows:
                cols = ", ".join(r)
                marks = ", ".join("?" * len(r))
                updates = ", ".join(f"{k} = excluded.{k}" for k in r if k != "id")
                self.db.execute(f"INSERT INTO claims ({cols}) VALUES ({marks}) "
                                f"ON CONFLICT(id) DO UPDATE SET {updates}", list(r.values()))

    def latest_observation(self, claim_id: str, *, before: str | None = None
                           ) -> dict[str, Any] | None:
        """The newest non-restated value of a claim published no later than ``before``."""
        sql = ("SELECT * FROM observations WHERE claim_id = ? AND status != 'restated'")
        params: list[Any] = [claim_id]
        if before:
            sql += " AND (published IS NULL OR published <= ?)"
            params.append(before)
        sql += " ORDER BY published DESC, id DESC LIMIT 1"
        rows = list(self.db.query(sql, params))
        return dict(rows[0]) if rows else None

    def syndicated_copy_of(self, article_id: int, text_hash: str) -> int | None:
        """An earlier article with the same text that already has observations."""
        row = self.db.execute(
            "SELECT a.id FROM articles a WHERE a.text_hash = ? AND a.id != ? AND EXISTS "
            "(SELECT 1 FROM observations o WHERE o.article_id = a.id) ORDER BY a.id LIMIT 1",
            (text_hash, article_id)).fetchone()
        return int(row[0]) if row else None

    def _insert_once(self, table: str, fields: Sequence[str], row: Mapping[str, Any],
                     conflict: str) -> bool:
        cols = ", ".join(_quoted(k) for k in fields)
        marks = ", ".join("?" * len(fields))
        cur = self.db.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) "
            f"ON CONFLICT({conflict}) DO NOTHING", [row.get(k) for k in fields])
        return cur.rowcount > 0

    def add_observation(self, row: Mapping[str, Any]) -> bool:
        """Insert unless (article, claim, value) is already recorded; True if inserted."""
        return self.record_observation(row) is not None

    def record_observation(self, row: Mapping[str, Any]) -> int | None:
        """Insert unless (article, claim, value) is already recorded; the new row's id.

        A row without an ``alert`` decision (callers that do not keep a claim state) is
        an alert when its status is a change, as before claim states existed.

        The per-claim counts are bumped in the same transaction, only for a new row, so
        they always equal what a scan of observations would count. (An insert trigger
        doing the same measured slower: 12 s against 8 s for 100k rows.)
        """
        if not self.db.conn.in_transaction:     # a savepoint per row would cost more
            with self.db.atomic():
                return self.record_observation(row)
        full = dict(row)
        if full.get("alert") is None:
            full["alert"] = int(full.get("status") in CHANGE_STATUSES)
        if full.get("restated") is None:
            full["restated"] = int(full.get("status") == "restated")
        cur = self.db.conn.execute(_INSERT_OBSERVATION,
                                   [full.get(k) for k in OBSERVATION_FIELDS + ALERT_FIELDS])
        if cur.rowcount <= 0 or cur.lastrowid is None:
            return None
        oid = int(cur.lastrowid)
        if self._recount is not None:
            return oid
        claim = row.get("claim_id")
        source = row.get("source")
        seen = self.db.conn.execute(
            "INSERT INTO claim_sources (claim_id, source_key, observations) VALUES (?, ?, 1) "
            "ON CONFLICT(claim_id, source_key) DO UPDATE SET observations = observations + 1 "
            "RETURNING observations",
            (claim, source if source is not None else row.get("url"))).fetchone()[0]
        self.db.conn.execute(
            "INSERT INTO claim_stats (claim_id, observations, sources) VALUES (?, 1, 1) "
            "ON CONFLICT(claim_id) DO UPDATE SET observations = observations + 1, "
            "sources = sources + ?", (claim, 1 if seen == 1 else 0))
        return oid

    def add_candidate(self, row: Mapping[str, Any]) -> bool:
        return self._insert_once("candidates", CANDIDATE_FIELDS, row, "article_id, start")

    def clear_observations(self) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM observations")
            self.db.execute("DELETE FROM candidates")
            self.db.execute("DELETE FROM claim_stats")
            self.db.execute("DELETE FROM claim_sources")
            self.db.execute("DELETE FROM claim_state")

    @contextmanager
    def recounting(self, claim_id: str | None = None) -> Iterator[None]:
        """Rebuild the per-claim counts (of ``claim_id``, else every claim's) once, at
        the end, instead of bumping them per recorded row: for a reprocess, which
        rewrites every row, in the caller's transaction. Same result, two statements
        fewer per observation."""
        self._recount = claim_id or ""
        try:
            yield
        finally:
            self._recount = None
        where, params = ("WHERE claim_id = ?", [claim_id]) if claim_id else ("", [])
        with self.db.atomic():
            self.db.execute(f"DELETE FROM claim_sources {where}", params)
            self.db.execute(f"DELETE FROM claim_stats {where}", params)
            self.db.execute(
                "INSERT INTO claim_sources (claim_id, source_key, observations) "
                "SELECT claim_id, COALESCE(source, url), count(*) FROM observations "
                f"{where} GROUP BY claim_id, COALESCE(source, url)", params)
            self.db.execute(
                "INSERT INTO claim_stats (claim_id, observations, sources) "
                "SELECT claim_id, sum(observations), count(*) FROM claim_sources "
                f"{where} GROUP BY claim_id", params)

    def clear_claim(self, claim_id: str) -> dict[int, set[int]]:
        """Remove one claim's observations, counts and state (in the caller's
        transaction); returns where its figures stood: {article id: {start, ...}}."""
        spans: dict[int, set[int]] = {}
        for article_id, start in self.db.execute(
                "SELECT article_id, start FROM observations WHERE claim_id = ?", [claim_id]):
            spans.setdefault(int(article_id), set()).add(int(start or 0))
        with self.db.atomic():
            for table in ("observations", "claim_stats", "claim_sources", "claim_state"):
                self.db.execute(f"DELETE FROM {table} WHERE claim_id = ?", [claim_id])
        return spans

    def drop_candidates(self, article_id: int, starts: Iterable[int]) -> None:
        """Candidates at these figures of an article: they state a claim now."""
        self.db.conn.executemany("DELETE FROM candidates WHERE article_id = ? AND start = ?",
                                 [(article_id, s) for s in starts])

    def sync_claim(self, claim: Mapping[str, Any]) -> None:
        """Mirror one claim of the baseline into the claims table, leaving the others."""
        r = dict(claim, updated_at=utcnow())
        cols = ", ".join(r)
        updates = ", ".join(f"{k} = excluded.{k}" for k in r if k != "id")
        with self.db.atomic():
            self.db.execute(f"INSERT INTO claims ({cols}) VALUES ({', '.join('?' * len(r))}) "
                            f"ON CONFLICT(id) DO UPDATE SET {updates}", list(r.values()))

    # -- claim state --

    def claim_state(self, claim_id: str) -> dict[str, Any] | None:
        # read once per recorded figure: a plain cursor, not sqlite-utils' query()
        cur = self.db.conn.execute("SELECT * FROM claim_state WHERE claim_id = ?",
                                   [claim_id])
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def claim_states(self) -> dict[str, dict[str, Any]]:
        return {str(r["claim_id"]): dict(r)
                for r in self.db.query("SELECT * FROM claim_state")}

    def save_claim_state(self, row: Mapping[str, Any]) -> None:
        """Insert or replace one claim's state (in the caller's transaction)."""
        row = dict(row, updated_at=row.get("updated_at") or utcnow())
        self.db.conn.execute(_SAVE_STATE, [row.get(k) for k in STATE_FIELDS])

    def corroborate_alert(self, alert_id: int, by: int) -> None:
        """A second independent source agrees with an alert's estimate."""
        self.db.execute("UPDATE observations SET single_source = 0, corroborated_by = ? "
                        "WHERE id = ? AND single_source = 1", (by, alert_id))

    def claim_observations(self, claim_id: str) -> list[dict[str, Any]]:
        """A claim's observations in publication order (the order its state is built in)."""
        return [dict(r) for r in self.db.query(
            "SELECT * FROM observations WHERE claim_id = ? ORDER BY published, id",
            [claim_id])]

    def articles_for_analysis(self) -> list[dict[str, Any]]:
        """Every article, oldest first, with the name of a feed that brought it."""
        return [dict(r) for r in self.db.query(
            """SELECT a.id, a.url, a.title, a.text, a.text_hash, a.language, a.published,
                      (SELECT f.name FROM entries e JOIN feeds f ON f.id = e.feed_id
                        WHERE e.article_id = a.id ORDER BY e.id LIMIT 1) AS feed
               FROM articles a ORDER BY COALESCE(a.published, a.fetched_at), a.id""")]

    def history(self, flt: HistoryFilter) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if flt.claim:
            where.append("claim_id = ?")
            params.append(flt.claim)
        if flt.since:
            where.append("published >= ?")
            params.append(flt.since)
        if flt.until:
            where.append("published < ?")
            params.append(_until(flt.until))
        statuses: Sequence[str] = flt.statuses
        if flt.changes_only:
            # Written out literally so SQLite can use the partial index on change rows.
            where.append(_CHANGE_TERM)
            statuses = [s for s in (statuses or CHANGE_STATUSES) if s in CHANGE_STATUSES]
            if set(statuses) == set(CHANGE_STATUSES):
                statuses = []
            elif not statuses:
                statuses = [""]     # asked only for statuses that are not changes: none
        if statuses:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        if flt.source:
            where.append("(source LIKE ? OR url LIKE ? OR title LIKE ?)")
            params.extend([f"%{flt.source}%"] * 3)
        if flt.feed:
            where.append("feed LIKE ?")
            params.append(f"%{flt.feed}%")
        sql = "SELECT * FROM observations"
        if flt.changes_only and not flt.claim:
            # Without statistics the planner prefers (status, published) and then sorts
            # every change since ``since``; the partial index reads in order and stops.
            sql += " INDEXED BY observations_change_time"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published DESC, id DESC"
        if flt.limit:
            sql += " LIMIT ?"
            params.append(flt.limit)
        return [dict(r) for r in self.db.query(sql, params)]

    def claim_summaries(self) -> list[dict[str, Any]]:
        """Each claim with its latest observation and how many sources reported on it."""
        return [dict(r) for r in self.db.query(
            """SELECT c.*,
                 COALESCE(s.observations, 0) AS observations,
                 COALESCE(s.sources, 0) AS sources,
                 l.value AS latest_value, l.low AS latest_low, l.high AS latest_high,
                 l.qualifier AS latest_qualifier, l.value_text AS latest_value_text,
                 l.status AS latest_status, l.published AS latest_published,
                 l.source AS latest_source, l.url AS latest_url, l.text AS latest_text,
                 st.best AS state_best, st.value AS state_value, st.low AS state_low,
                 st.high AS state_high, st.qualifier AS state_qualifier,
                 st.value_text AS state_value_text, st.as_of AS state_as_of,
                 st.reported AS state_reported, st.sources AS state_sources,
                 st.observations AS state_observations,
                 st.confidence AS state_confidence, st.trend AS state_trend,
                 st.from_baseline AS state_from_baseline, st.alert_id AS state_alert_id,
                 st.last_alert AS state_last_alert
               FROM claims c
               LEFT JOIN claim_stats s ON s.claim_id = c.id
               LEFT JOIN claim_state st ON st.claim_id = c.id
               LEFT JOIN observations l ON l.id = (
                 SELECT o.id FROM observations o WHERE o.claim_id = c.id
                   AND o.status != 'restated' ORDER BY o.published DESC, o.id DESC LIMIT 1)
               ORDER BY c.rowid""")]

    def candidates(self, *, since: str | None = None, limit: int = 100
                   ) -> list[dict[str, Any]]:
        sql = "SELECT * FROM candidates"
        params: list[Any] = []
        if since:
            sql += " WHERE published >= ?"
            params.append(since)
        sql += " ORDER BY published DESC, id DESC LIMIT ?"
        params.append(limit)
        return [dict(r) for r in self.db.query(sql, params)]

    def candidate(self, candidate_id: int) -> dict[str, Any] | None:
        """One candidate, plus its article's own date (``published`` may be the time it
        was observed, when the article gave none)."""
        rows = list(self.db.query(
            "SELECT c.*, a.published AS article_published FROM candidates c "
            "LEFT JOIN articles a ON a.id = c.article_id WHERE c.id = ?", [candidate_id]))
        return dict(rows[0]) if rows else None

    def observation_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.db.execute(
            "SELECT status, count(*) FROM observations GROUP BY status").fetchall()}


def _until(value: str) -> str:
    """A bare date means the whole day: compare with the start of the next one."""
    if len(value) == 10:
        from datetime import date, timedelta

        try:
            return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
        except ValueError:
            return value
    return value
