"""Per-claim counts kept beside observations, and the indexes the summary queries need.

The counts in ``claim_stats`` / ``claim_sources`` replace a scan of every observation;
they are checked here against that scan after inserts, duplicates, clears and reinserts,
and after the migration fills them for a database that already had observations.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watcher.store import HistoryFilter, Store
from watcher.store.observations import OBSERVATION_FIELDS
from watcher.store.schema import MIGRATIONS

CLAIMS = ("troops", "losses", "share")
SOURCES: tuple[str | None, ...] = ("ministry", "agency", "Agency", "", None)
STATUSES = ("new", "confirmed", "higher", "lower", "restated", "changed")

# What claim_summaries computed before the counts had tables of their own.
SCAN = """SELECT c.id,
    (SELECT count(*) FROM observations o WHERE o.claim_id = c.id),
    (SELECT count(DISTINCT COALESCE(o.source, o.url)) FROM observations o
      WHERE o.claim_id = c.id),
    (SELECT o.published FROM observations o WHERE o.claim_id = c.id
      AND o.status != 'restated' ORDER BY o.published DESC, o.id DESC LIMIT 1)
  FROM claims c ORDER BY c.rowid"""


def _claims(store: Store) -> None:
    store.sync_claims({"id": c, "statement": f"how many {c}", "kind": "count"}
                      for c in CLAIMS)


def _articles(db: sqlite_utils.Database, n: int) -> None:
    for a in range(1, n + 1):
        db.execute(
            "INSERT OR IGNORE INTO articles (id, url, link, text, text_source, text_hash, "
            "fetched_at) VALUES (?, ?, ?, 'body', 'page', ?, '2025-01-01T00:00:00Z')",
            (a, f"http://127.0.0.1:9/a/{a}", f"http://127.0.0.1:9/a/{a}", f"h{a}"))


def _row(article: int, claim: str, key: str, source: str | None, status: str,
         day: int) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(OBSERVATION_FIELDS)
    row.update(claim_id=claim, article_id=article, value_key=key, value=float(day),
               text=str(day), sentence=f"{day} were reported.", source=source,
               url=f"http://127.0.0.1:9/a/{article}", feed="wire",
               published=f"2025-02-{day:02d}T00:00:00Z", observed_at="2025-03-01T00:00:00Z",
               status=status)
    return row


def _summaries(store: Store) -> list[tuple[Any, ...]]:
    return [(r["id"], r["observations"], r["sources"], r["latest_published"])
            for r in store.claim_summaries()]


def _scan(store: Store) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.db.execute(SCAN).fetchall()]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    _claims(s)
    with s.transaction():
        _articles(s.db, 12)
    yield s
    s.close()


def _random_rows(seed: int, n: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [_row(rng.randint(1, 12), rng.choice(CLAIMS), f"v{rng.randint(0, 3)}",
                 rng.choice(SOURCES), rng.choice(STATUSES), rng.randint(1, 28))
            for _ in range(n)]


def test_counts_follow_inserts_and_ignore_duplicates(store: Store) -> None:
    rows = _random_rows(1, 200)
    inserted = 0
    with store.transaction():
        for row in rows:
            inserted += store.add_observation(row)
    assert 0 < inserted < len(rows)          # the random keys do repeat
    assert _summaries(store) == _scan(store)
    total = store.db.execute("SELECT count(*) FROM observations").fetchone()[0]
    assert sum(r[1] for r in _summaries(store)) == inserted == total
    before = _summaries(store)
    for row in rows:                          # outside a transaction: each row atomic
        assert store.add_observation(row) is False
    assert _summaries(store) == before


def test_sources_are_distinct_by_attribution_else_url(store: Store) -> None:
    with store.transaction():
        store.add_observation(_row(1, "troops", "a", "ministry", "new", 1))
        store.add_observation(_row(2, "troops", "a", "ministry", "confirmed", 2))
        store.add_observation(_row(3, "troops", "a", None, "confirmed", 3))
        store.add_observation(_row(3, "troops", "b", None, "restated", 4))
        store.add_observation(_row(4, "troops", "a", "", "higher", 5))
    got = {r["id"]: r for r in store.claim_summaries()}
    assert got["troops"]["observations"] == 5
    assert got["troops"]["sources"] == 3      # ministry, the URL of article 3, ""
    assert got["troops"]["latest_published"] == "2025-02-05T00:00:00Z"
    assert got["losses"]["observations"] == 0 and got["losses"]["sources"] == 0
    assert got["losses"]["latest_value"] is None


def test_clear_and_reinsert_gives_the_same_counts(store: Store) -> None:
    rows = _random_rows(2, 150)
    with store.transaction():
        for row in rows:
            store.add_observation(row)
    first = _summaries(store)
    store.clear_observations()
    assert [(r[1], r[2]) for r in _summaries(store)] == [(0, 0)] * len(CLAIMS)
    with store.transaction():                 # what `watcher reprocess` does
        store.clear_observations()
        for row in rows:
            store.add_observation(row)
    assert _summaries(store) == first == _scan(store)


def test_rolled_back_transaction_leaves_counts_alone(store: Store) -> None:
    with store.transaction():
        store.add_observation(_row(1, "share", "a", "agency", "new", 1))
    before = _summaries(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_observation(_row(2, "share", "a", "ministry", "new", 2))
        raise RuntimeError("abort")
    assert _summaries(store) == before == _scan(store)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(1, 12), st.sampled_from(CLAIMS),
              st.sampled_from(("a", "b")), st.sampled_from(SOURCES),
              st.sampled_from(STATUSES), st.integers(1, 28)),
    st.tuples(st.just("clear"))), max_size=40))
def test_counts_equal_a_full_scan_after_any_sequence(store: Store,
                                                     ops: list[tuple[Any, ...]]) -> None:
    store.clear_observations()
    for op in ops:
        if op[0] == "clear":
            store.clear_observations()
        else:
            store.add_observation(_row(*op[1:]))
    assert _summaries(store) == _scan(store)


def test_migration_fills_counts_for_existing_observations(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    for number, migrate in enumerate(MIGRATIONS[:4], 1):
        migrate(db)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO claims (id, statement, kind, updated_at) "
               "VALUES ('troops', 'how many', 'count', '2025-01-01')")
    _articles(db, 12)
    cols = ", ".join(f'"{k}"' for k in OBSERVATION_FIELDS)
    for row in _random_rows(3, 120):
        db.execute(f"INSERT OR IGNORE INTO observations ({cols}) VALUES "
                   f"({', '.join('?' * len(OBSERVATION_FIELDS))})",
                   [row[k] for k in OBSERVATION_FIELDS])
    db.conn.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert _summaries(store) == _scan(store)
        assert _summaries(store)[0][1] > 0


def _plans(store: Store, call: Any) -> list[str]:
    """EXPLAIN QUERY PLAN of every SELECT on observations that ``call`` runs."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    plans: list[str] = []
    for sql in seen:
        if sql.lstrip().upper().startswith("SELECT") and "observations" in sql:
            plans.extend(str(r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql))
    assert plans, seen
    return plans


def test_claim_summaries_reads_counts_and_latest_by_index(store: Store) -> None:
    plans = _plans(store, store.claim_summaries)
    joined = "\n".join(plans)
    assert "observations_claim_latest" in joined
    assert "SEARCH s USING PRIMARY KEY (claim_id=?)" in joined     # claim_stats
    assert not any(p.startswith("SCAN o") or p.startswith("SCAN observations")
                   for p in plans), plans
    assert "count(DISTINCT" not in joined


def test_changes_only_history_reads_the_partial_index_in_order(store: Store) -> None:
    with store.transaction():
        for row in _random_rows(4, 100):
            store.add_observation(row)
    for flt in (HistoryFilter(changes_only=True, limit=100),
                HistoryFilter(since="2025-02-10", changes_only=True, limit=100),
                HistoryFilter(changes_only=True, statuses=("higher", "lower"), limit=5)):
        plans = _plans(store, lambda flt=flt: store.history(flt))
        assert any("observations_change_time" in p for p in plans), plans
        assert not any("TEMP B-TREE" in p for p in plans), plans


def test_changes_only_history_returns_what_a_scan_returns(store: Store) -> None:
    with store.transaction():
        for row in _random_rows(5, 200):
            store.add_observation(row)
    got = [r["id"] for r in store.history(HistoryFilter(since="2025-02-05",
                                                       changes_only=True, limit=30))]
    want = [r[0] for r in store.db.execute(
        "SELECT id FROM observations WHERE published >= '2025-02-05' AND status IN "
        "('new', 'higher', 'lower', 'changed') ORDER BY published DESC, id DESC LIMIT 30")]
    assert got == want and len(got) == 30
    only = store.history(HistoryFilter(changes_only=True, statuses=("lower",)))
    assert only and {r["status"] for r in only} == {"lower"}
    assert store.history(HistoryFilter(changes_only=True, statuses=("confirmed",))) == []
    latest = store.latest_observation("troops")
    assert latest is not None and latest["status"] != "restated"
