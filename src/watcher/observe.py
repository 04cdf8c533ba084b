"""From an article's text to observations: find figures, match claims, compare, record.

The analysis (figures and matching: CPU work) runs in a worker process; recording runs
inside the feed's transaction, so an article and its observations commit together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watcher.changes import Obs, Outcome, State, Value, assess, delta, replay
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
            "as_of": c.as_of, "source": c.source, "attributed_to": c.attributed_to,
            "label": c.label, "metric_type": c.kind_of_metric}


def source_key(source: str | None, url: str | None) -> str:
    """Who an observation's figure comes from, for counting independent sources: the
    attribution the article gives, else the site (one outlet's repeats count once)."""
    if source and source.strip():
        return " ".join(source.lower().split())
    host = (urlsplit(url or "").hostname or url or "").lower()
    return host.removeprefix("www.")


def obs_of_row(row: dict[str, Any]) -> Obs:
    """A stored observation as the claim state reads it."""
    v = Value.from_row(row) or Value()
    return Obs(v, str(row.get("published") or ""), source_key(row.get("source"), row.get("url")),
               restated=bool(row.get("restated")), sentence=str(row.get("sentence") or ""),
               refers_to=row.get("refers_to"), confidence=float(row.get("confidence") or 0),
               id=row.get("id"))


def state_row(claim_id: str, s: State) -> dict[str, Any]:
    f = s.figure
    return {"claim_id": claim_id, "best": f.point(), "value": f.value, "low": f.low,
            "high": f.high, "qualifier": f.qualifier, "value_text": f.value_text,
            "as_of": s.as_of, "reported": s.reported, "sources": s.sources,
            "support": json.dumps(dict(s.support), sort_keys=True),
            "observations": s.observations, "confidence": s.confidence,
            "observation_id": s.observation_id, "trend": s.trend,
            "from_baseline": int(s.from_baseline), "alert_id": s.alert_id,
            "alerted": s.alerted}


def state_of_row(row: dict[str, Any] | None) -> State | None:
    if row is None:
        return None
    figure = Value.from_row(row) or Value()
    support = json.loads(row.get("support") or "{}")
    return State(figure, as_of=row.get("as_of"), reported=row.get("reported"),
                 support=tuple(sorted((str(k), float(c)) for k, c in support.items())),
                 observations=int(row.get("observations") or 0),
                 observation_id=row.get("observation_id"), trend=row.get("trend"),
                 alert_id=row.get("alert_id"), alerted=row.get("alerted"),
                 from_baseline=bool(row.get("from_baseline")))


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
            state = state_of_row(store.claim_state(claim.id))
            obs = Obs(new, published, source_key(f.source, art.url), restated=f.restated,
                      sentence=fig.sentence, refers_to=f.refers_to,
                      confidence=round(f.confidence, 3))
            outcome = assess(claim, state, obs)
            compared = outcome.previous
            oid = store.record_observation({
                **base, "claim_id": claim.id, "value_key": value_key(f),
                "value": fig.value, "low": fig.low, "high": fig.high,
                "qualifier": fig.qualifier, "value_text": f.value_text, "kind": fig.kind,
                "unit": fig.unit or claim.unit, "text": fig.text, "start": fig.start,
                "end": fig.end, "sentence": fig.sentence, "source": f.source,
                "event": f.event, "period": f.period, "refers_to": f.refers_to,
                "status": outcome.status, **_prev(compared),
                "prev_from": (str(state.observation_id) if state is not None
                              and state.observation_id is not None
                              else "baseline" if compared else None),
                "delta": delta(compared, new),
                "confidence": round(f.confidence, 3),
                "alert": int(outcome.alert), "restated": int(f.restated),
                "single_source": (int(outcome.state.sources < 2)
                                  if outcome.alert and outcome.state else None),
            })
            if oid is None:
                continue
            self._keep_state(store, claim, state, outcome, obs, oid, now)
            observations += 1
            changes += outcome.alert
        return observations, changes


    @staticmethod
    def _keep_state(store: Store, claim: Claim, before: State | None, outcome: Outcome,
                    obs: Obs, oid: int, now: str) -> None:
        """The claim's state after one recorded observation, in its transaction.

        An article published before the one the state rests on (out of order) cannot
        move the state, but it belongs in its history: the state is then replayed from
        the claim's observations in publication order, which is what ``reprocess``
        computes. Alert bookkeeping stays as it was lived.
        """
        after = outcome.state
        if after is None:
            return
        late = before is not None and before.reported is not None \
            and obs.published < before.reported
        if late:
            replayed = replay(claim, [obs_of_row(r) for r in store.claim_observations(claim.id)])
            if replayed is None:
                return
            after = replace(replayed, alert_id=after.alert_id, alerted=after.alerted)
        else:
            if after.observation_id is None and (outcome.moved or outcome.status == "narrower"):
                after = replace(after, observation_id=oid)
            if outcome.alert:
                after = replace(after, alert_id=oid)
        row = state_row(claim.id, after)
        prior = store.claim_state(claim.id)
        row["last_alert"] = now if outcome.alert else (prior or {}).get("last_alert")
        store.save_claim_state(row)
        if after.alert_id is not None and after.sources >= 2 and after.alert_id != oid:
            store.corroborate_alert(after.alert_id, oid)


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
