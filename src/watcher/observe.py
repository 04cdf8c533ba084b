"""From findings to observations: compare each with its claim's state, and record it.

Recording runs inside the feed's transaction, so an article and its observations commit
together. The findings come from a worker process (analysis.py); reprocessing the stored
archive is reprocess.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watcher.analysis import (
    BatchItem,
    analyse_batch_task,
    analyse_task,
    is_candidate,
)
from watcher.changes import Obs, Outcome, State, Value, assess, delta, replay
from watcher.claims import Baseline, Claim, Finding, load_baseline
from watcher.config import Config, FeedConfig
from watcher.store import NewArticle, Store, text_hash, utcnow
from watcher.workers import WorkerPool


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
        # claim id -> (state, last alert time), while states are held (see holding_states)
        self._held: dict[str, tuple[State | None, str | None]] | None = None
        self._changed: set[str] = set()

    @contextlib.contextmanager
    def holding_states(self, store: Store) -> Iterator[None]:
        """Keep the claim states in memory across many ``record`` calls and write them
        once at the end (in the caller's transaction): a reprocess records every article
        in one transaction, and reading and writing a state per figure was a third of
        its recording time. On an error nothing is written; the caller rolls back."""
        self._held, self._changed = {}, set()
        try:
            yield
            for claim_id in sorted(self._changed):
                state, last_alert = self._held[claim_id]
                if state is not None:
                    store.save_claim_state({**state_row(claim_id, state),
                                            "last_alert": last_alert})
        finally:
            self._held, self._changed = None, set()

    def _state(self, store: Store, claim_id: str) -> tuple[State | None, str | None]:
        """A claim's state and when it last alerted: held, else from the store."""
        if self._held is not None and claim_id in self._held:
            return self._held[claim_id]
        row = store.claim_state(claim_id)
        found = state_of_row(row), (row or {}).get("last_alert")
        if self._held is not None:
            self._held[claim_id] = found
        return found

    def _save_state(self, store: Store, claim_id: str, state: State,
                    last_alert: str | None) -> None:
        if self._held is not None:
            self._held[claim_id] = (state, last_alert)
            self._changed.add(claim_id)
            return
        store.save_claim_state({**state_row(claim_id, state), "last_alert": last_alert})

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
                if is_candidate(f):
                    store.add_candidate({
                        **base, "start": fig.start, "text": fig.text, "kind": fig.kind,
                        "value": fig.value, "low": fig.low, "high": fig.high,
                        "qualifier": fig.qualifier, "unit": fig.unit, "subject": f.subject,
                        "event": f.event, "source": f.source, "sentence": fig.sentence})
                continue
            new = Value.from_finding(f)
            state, last_alert = self._state(store, claim.id)
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
            self._keep_state(store, claim, state, outcome, obs, oid, now, last_alert)
            observations += 1
            changes += outcome.alert
        return observations, changes


    def _keep_state(self, store: Store, claim: Claim, before: State | None, outcome: Outcome,
                    obs: Obs, oid: int, now: str, last_alert: str | None) -> None:
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
        self._save_state(store, claim.id, after, now if outcome.alert else last_alert)
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

    async def analyse_batch(self, items: list[BatchItem]) -> list[tuple[int, bytes | None]]:
        """Many stored articles in one trip to a worker (one round of pickling, not one
        per article); what recording needs of each comes back encoded."""
        assert self.workers is not None, "bind() the hook to workers"
        return await self.workers.run(analyse_batch_task, items, str(self.baseline_path))

    def record(self, store: Store, article_id: int, article: NewArticle, analysis: Any,
               feed: FeedConfig) -> tuple[int, int]:
        ref = ArticleRef(id=article_id, url=article.url, title=article.title,
                         published=article.published, feed=feed.name,
                         text_hash=text_hash(article.text))
        return self.recorder.record(store, ref, analysis)
