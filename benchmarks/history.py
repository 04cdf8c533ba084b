"""History queries: latency (p50, p95) of ``Store.history`` and ``Store.claim_summaries``
at 10k, 100k and 1M observations, and the database size. The limit measured in the same
run is SQLite itself: the same 100-row indexed lookup through a bare sqlite3 cursor.

Databases are built through the store's own API (``add_observation`` inside
``transaction()``), 20 observations per article, claims from the shipped baseline,
publication dates spread over 2025.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import BASELINE, Mode, fmt, median, percentile, print_table, tempdir
from watcher.claims import load_baseline
from watcher.observe import claim_row
from watcher.store import FeedUpdate, HistoryFilter, NewArticle, NewEntry, Store

PER_ARTICLE = 20
STATUSES = ("new", "confirmed", "confirmed", "confirmed", "higher", "lower", "restated",
            "changed")
SOURCES = [f"agency {n}" for n in range(25)] + [None] * 5
START = datetime(2025, 1, 1, tzinfo=UTC)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z")


def build(path: Path, observations: int, seed: int = 1) -> tuple[float, list[str]]:
    """A database of ``observations`` rows; returns (seconds taken, claim ids)."""
    rng = random.Random(seed)
    claims = list(load_baseline(BASELINE).claims)
    ids = [c.id for c in claims]
    t0 = time.perf_counter()
    store = Store(path)
    try:
        store.sync_claims(claim_row(c) for c in claims)
        feed = store.ensure_feeds([("http://127.0.0.1:9/history.xml", "history")])
        feed_id = next(iter(feed.values())).id
        n_articles = max(1, observations // PER_ARTICLE)
        batch = 1_000
        for first in range(0, n_articles, batch):
            with store.transaction():
                entries = []
                for a in range(first, min(n_articles, first + batch)):
                    url = f"http://127.0.0.1:9/a/{a}"
                    published = _iso(START + timedelta(minutes=a * 525_600 // n_articles))
                    art = NewArticle(
                        url=url, link=url, final_url=url, page_canonical=None,
                        title=f"Report {a}", author=None, published=published,
                        sitename="History Wire", language="en",
                        text=f"Report {a}: officials gave new figures on the front.",
                        text_source="page", problem=None, html_z=None)
                    entries.append(NewEntry(key=f"id:{a}", guid=str(a), link=url,
                                            title=art.title or "", published=published,
                                            summary="", author=None, article_url=url,
                                            article=art))

                def add(article_id: int, art: NewArticle) -> None:
                    for j in range(PER_ARTICLE):
                        if article_id * PER_ARTICLE + j - PER_ARTICLE >= observations:
                            return
                        value = float(rng.randint(100, 20_000))
                        store.add_observation({
                            "claim_id": rng.choice(ids), "article_id": article_id,
                            "value_key": f"v{j}", "value": value, "low": None,
                            "high": None, "qualifier": rng.choice(
                                ("exact", "about", "at_least", "more_than")),
                            "value_text": None, "kind": "number", "unit": "troops",
                            "text": f"{int(value):,}", "start": 10 * j, "end": 10 * j + 6,
                            "sentence": f"Officials said {int(value):,} troops were sent.",
                            "source": rng.choice(SOURCES), "event": None, "period": None,
                            "refers_to": None, "url": art.url, "title": art.title,
                            "feed": "history", "published": art.published,
                            "observed_at": art.published, "status": rng.choice(STATUSES),
                            "prev_value": value * 0.9, "prev_low": None, "prev_high": None,
                            "prev_qualifier": "exact", "prev_value_text": None,
                            "prev_from": "baseline", "delta": value * 0.1,
                            "confidence": round(rng.random(), 3)})

                store.save_feed_update(FeedUpdate(
                    feed_id=feed_id, status="ok", http_status=200, etag=None,
                    last_modified=None, body_hash=None, entries=entries), add)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return time.perf_counter() - t0, ids


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _time(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(path: Path, ids: list[str], queries: int) -> dict[str, float]:
    rng = random.Random(2)
    store = Store(path)
    raw = sqlite3.connect(str(path))
    try:
        def since() -> str:
            return (START + timedelta(days=rng.randint(0, 330))).date().isoformat()

        hist = _time(lambda: store.history(HistoryFilter(
            claim=rng.choice(ids), since=since(), limit=100)), queries)
        changes = _time(lambda: store.history(HistoryFilter(
            since=since(), changes_only=True, limit=100)), max(5, queries // 4))
        summaries = _time(store.claim_summaries, max(3, queries // 20))
        sql = ("SELECT * FROM observations WHERE claim_id = ? AND published >= ? "
               "ORDER BY published DESC, id DESC LIMIT 100")
        bare = _time(lambda: raw.execute(sql, (rng.choice(ids), since())).fetchall(), queries)
        assert store.count("articles") > 0
        return {
            "hist50": percentile(hist, 50), "hist95": percentile(hist, 95),
            "chg95": percentile(changes, 95),
            "sum50": percentile(summaries, 50), "sum95": percentile(summaries, 95),
            "bare50": percentile(bare, 50), "bare95": percentile(bare, 95),
        }
    finally:
        raw.close()
        store.close()


def run(mode: Mode) -> None:
    sizes = mode.pick([2_000], [10_000, 100_000], [10_000, 100_000, 1_000_000])
    queries = mode.pick(20, 100, 200)
    rows = []
    for n in sizes:
        with tempdir("history") as d:
            path = Path(d) / "history.db"
            took, ids = build(path, n)
            results = [measure(path, ids, queries) for _ in range(mode.repeats)]
            m = {k: median([r[k] for r in results]) for k in results[0]}
            rows.append([f"{n:,}", f"{_size(path) / 1e6:.1f} MB", f"{took:.1f} s",
                         fmt(m["hist50"], 2), fmt(m["hist95"], 2), fmt(m["bare95"], 2),
                         f"{m['hist95'] / m['bare95']:.1f}", fmt(m["chg95"], 2),
                         fmt(m["sum50"], 1), fmt(m["sum95"], 1)])
    print_table(
        f"history queries, milliseconds, {queries} queries, median of {mode.repeats}",
        ["observations", "db size", "build", "history p50", "history p95",
         "bare sqlite p95 (limit)", "ratio p95", "changes-only p95", "claims p50",
         "claims p95"],
        rows,
        notes=["history = Store.history(HistoryFilter(claim, since, limit=100)), random "
               "claim and date; changes-only = HistoryFilter(since, changes_only, limit=100)",
               "claims = Store.claim_summaries() (every claim with latest value and counts)",
               "bare sqlite = the same 100-row indexed SELECT through sqlite3, no dicts",
               "target: history p95 < 50 ms at 1,000,000 observations"])
