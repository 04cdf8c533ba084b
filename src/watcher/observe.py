"""From an article's text to observations: find figures, match claims, compare, record.

The analysis (figures and matching: CPU work) runs in a worker process; recording runs
inside the feed's transaction, so an article and its observations commit together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watcher.changes import Value, classify, delta
from watcher.claims import Baseline, Claim, Finding, load_baseline
from watcher.config import Config, FeedConfig
from watcher.store import NewArticle, Store, text_hash, utcnow
from watcher.workers import WorkerPool

_BASELINES: dict[tuple[str, float], Baseline] = {}


def _baseline(path: str) -> Baseline:
    """The baseline, loaded once per worker process (and again if the file changes)."""
    key = (path, Path(path).stat().st_mtime)
    if key not in _BASELINES:
        _BASELINES.clear()
        _BASELINES[key] = load_baseline(Path(path))
    return _BASELINES[key]


def analyse_task(text: str, language: str | None, published: str | None,
                 baseline_path: str) -> list[Finding]:
    """Runs in a worker: every figure of the text with its context and claim. An article
    stored without a language gets the text's own, not English: it decides how numbers
    are read."""
    from watcher.claims import analyze
    from watcher.language import detect_language

    lang = detect_language(text, language)
    return analyze(text, _baseline(baseline_path), lang=lang, published=published)


def value_key(f: Finding) -> str:
    fig = f.figure
    raw = f"{fig.value}|{fig.low}|{fig.high}|{fig.qualifier}|{f.value_text or ''}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def claim_row(c: Claim) -> dict[str, Any]:
    return {"id": c.id, "statement": c.statement, "kind": c.kind, "subject": c.subject,
            "metric": c.metric, "unit": c.unit, "value": c.value, "low": c.low,
            "high": c.high, "qualifier": c.qualifier, "value_text": c.value_text,
            "as_of": c.as_of, "source": c.source, "attributed_to": c.attributed_to}


def _prev(v: Value | None) -> dict[str, Any]:
    """The compared-with value as the observation's prev_* columns."""
    return {"prev_value": v.value if v else None, "prev_low": v.low if v else None,
            "prev_high": v.high if v else None, "prev_qualifier": v.qualifier if v else None,
            "prev_value_text": v.value_text if v else None}


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What recording needs of an article, whether new or re-read from the store."""

    id: int
    url: str
    title: str | None
    published: str | None
    feed: str | None
    text_hash: str


class Recorder:
    """Compares findings with the baseline and the latest values, and writes them."""

    def __init__(self, baseline: Baseline) -> None:
        self.baseline = baseline

    def record(self, store: Store, art: ArticleRef, findings: list[Finding]
               ) -> tuple[int, int]:
        """Observations and candidates for one article; returns (observations, changes)."""
        if store.syndicated_copy_of(art.id, art.text_hash) is not None:
            return 0, 0      # a syndicated copy: the original's observations stand
        now = utcnow()
        published = art.published or now
        observations = changes = 0
        base = {"article_id": art.id, "url": art.url, "title": art.title, "feed": art.feed,
                "published": published, "observed_at": now}
        for f in findings:
            fig = f.figure
            claim = self.baseline.get(f.claim) if f.claim else None
            if claim is None:
                if f.on_topic and fig.kind in ("number", "percent", "share", "money"):
                    store.add_candidate({
                        **base, "start": fig.start, "text": fig.text, "kind": fig.kind,
                        "value": fig.value, "low": fig.low, "high": fig.high,
                        "qualifier": fig.qualifier, "unit": fig.unit, "subject": f.subject,
                        "event": f.event, "source": f.source, "sentence": fig.sentence})
                continue
            new = Value.from_finding(f)
            latest_row = store.latest_observation(claim.id, before=published)
            latest = Value.from_row(latest_row) if latest_row is not None else None
            status = classify(claim, latest, new, restated=f.restated)
            compared = latest if latest is not None else Value.from_claim(claim)
            inserted = store.add_observation({
                **base, "claim_id": claim.id, "value_key": value_key(f),
                "value": fig.value, "low": fig.low, "high": fig.high,
                "qualifier": fig.qualifier, "value_text": f.value_text, "kind": fig.kind,
                "unit": fig.unit or claim.unit, "text": fig.text, "start": fig.start,
                "end": fig.end, "sentence": fig.sentence, "source": f.source,
                "event": f.event, "period": f.period, "refers_to": f.refers_to,
                "status": status, **_prev(compared),
                "prev_from": (str(latest_row["id"]) if latest_row is not None
                              else "baseline" if compared else None),
                "delta": delta(compared, new),
                "confidence": round(f.confidence, 3),
            })
            if inserted:
                observations += 1
                changes += status in ("new", "higher", "lower", "changed")
        return observations, changes


class FiguresHook:
    """The pipeline's article hook: analyse off the loop, record in the transaction."""

    def __init__(self, baseline_path: Path, workers: WorkerPool | None = None) -> None:
        self.baseline_path = baseline_path
        self.recorder = Recorder(load_baseline(baseline_path))
        self.workers = workers

    @classmethod
    def from_config(cls, config: Config) -> FiguresHook:
        return cls(config.baseline)

    def bind(self, workers: WorkerPool) -> None:
        self.workers = workers

    def sync(self, store: Store) -> None:
        store.sync_claims(claim_row(c) for c in self.recorder.baseline.claims)

    def analyser(self) -> tuple[Any, tuple[str]]:
        """Analysis to run in the extraction worker, right after extraction."""
        return analyse_task, (str(self.baseline_path),)

    async def analyse(self, article: NewArticle) -> list[Finding]:
        return await self.analyse_text(article.text, article.language, article.published)

    async def analyse_text(self, text: str, language: str | None, published: str | None
                           ) -> list[Finding]:
        assert self.workers is not None, "bind() the hook to the pipeline's workers"
        return await self.workers.run(analyse_task, text, language, published,
                                      str(self.baseline_path))

    def record(self, store: Store, article_id: int, article: NewArticle, analysis: Any,
               feed: FeedConfig) -> tuple[int, int]:
        ref = ArticleRef(id=article_id, url=article.url, title=article.title,
                         published=article.published, feed=feed.name,
                         text_hash=text_hash(article.text))
        return self.recorder.record(store, ref, analysis)


async def reprocess_all(config: Config, store: Store) -> tuple[int, int, int]:
    """Analyse every stored article again and rebuild observations and candidates.

    Everything is replaced in one transaction, oldest article first so that statuses
    (higher, lower, ...) are judged in publication order; a kill midway changes nothing.
    """
    import asyncio

    hook = FiguresHook.from_config(config)
    workers = WorkerPool.from_config(config.extract)
    hook.bind(workers)
    try:
        rows = store.articles_for_analysis()
        analyses = await asyncio.gather(*(
            hook.analyse_text(r["text"], r["language"], r["published"]) for r in rows))
    finally:
        workers.close()
    observations = changes = 0
    with store.transaction():
        hook.sync(store)
        store.clear_observations()
        for row, findings in zip(rows, analyses, strict=True):
            ref = ArticleRef(id=row["id"], url=row["url"], title=row["title"],
                             published=row["published"], feed=row["feed"],
                             text_hash=row["text_hash"])
            o, c = hook.recorder.record(store, ref, findings)
            observations += o
            changes += c
    return len(rows), observations, changes
