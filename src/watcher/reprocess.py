"""``watcher reprocess``: analyse the stored articles again after a baseline edit.

Batches of stored texts go through the worker pool; each batch's findings are committed
to staging tables (store/reprocess.py), so an interrupted run resumes where it stopped;
once every article is analysed, observations are replaced from the staged findings in
one transaction. ``--claim ID`` reads only the articles the full-text index can match.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from watcher.analysis import BatchItem, decode_findings, is_candidate
from watcher.claims import Baseline, Claim
from watcher.config import Config
from watcher.errors import WatcherError
from watcher.observe import ArticleRef, FiguresHook, claim_row
from watcher.store import ALL_CLAIMS, Store, search_query
from watcher.workers import WorkerError, WorkerPool

# Test-only: stands for the analysis engine's hash, so that tests of resuming do not see
# a restart when another change to the source lands between two runs of one test.
TEST_ENGINE_ENV = "WATCHER_TEST_REPROCESS_ENGINE"


def analysis_fingerprint(baseline_path: Path) -> str:
    """What findings depend on: the baseline's contents and the analysis engine (the
    version and the source and data of figures, claims and language detection, so an
    edited checkout counts as another engine). Staged findings made with another
    fingerprint are stale."""
    import os

    import watcher

    h = hashlib.sha256(Path(baseline_path).read_bytes())
    engine = os.environ.get(TEST_ENGINE_ENV)
    if engine:
        h.update(engine.encode())
        return h.hexdigest()[:32]
    root = Path(watcher.__file__).parent
    h.update(f"watcher {watcher.__version__}\n".encode())
    files = [*root.glob("claims/*.py"), *root.glob("figures/*.py"), root / "language.py",
             root / "analysis.py", *(p for p in root.glob("data/**/*") if p.is_file())]
    for p in sorted(files):
        h.update(f"\n{p.relative_to(root)}\n".encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:32]


# -- a claim's words, for the full-text index --

_rc: Any = importlib.import_module("re._constants")
_rp: Any = importlib.import_module("re._parser")
_SEP = "\x00"      # a token boundary (space, punctuation, \\b)
_UNK = "\x01"      # characters not known: they may run into the word beside them
_MAX_FORMS = 256
_TOKEN = re.compile(r"[^\W_]+")


def _forms(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The strings a parsed regex sequence matches, with _SEP and _UNK standing for
    what is not literal; None when there are too many or the syntax is unknown."""
    out = [""]
    for op, av in items:
        subs = _item_forms(op, av)
        if subs is None:
            return None
        out = list(dict.fromkeys(a + b for a in out for b in subs))
        if len(out) > _MAX_FORMS:
            return None
    return out


def _item_forms(op: Any, av: Any) -> list[str] | None:
    if op is _rc.LITERAL:
        return [chr(av)]
    if op is _rc.AT:
        return [""] if av is _rc.AT_NON_BOUNDARY else [_SEP]
    if op in (_rc.ASSERT, _rc.ASSERT_NOT):
        return [""]
    if op is _rc.SUBPATTERN:
        return _forms(list(av[-1]))
    if op is _rc.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            got = _forms(list(branch))
            if got is None:
                return None
            out += got
        return out
    if op is _rc.IN:
        return _class_forms(av)
    if op in (_rc.MAX_REPEAT, _rc.MIN_REPEAT, getattr(_rc, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        inner = _forms(list(sub))
        if inner is None:
            return None
        none = [""] if lo == 0 else []
        if hi == 0:
            return [""]
        if all(not _TOKEN.search(f) and _UNK not in f for f in inner):
            return [*none, _SEP]            # spaces and punctuation, however many
        if hi == 1:
            return none + inner
        return [*none, _UNK]
    if op in (_rc.ANY, _rc.NOT_LITERAL, _rc.GROUPREF, _rc.GROUPREF_EXISTS):
        return [_UNK]
    return None


def _class_forms(members: list[tuple[Any, Any]]) -> list[str]:
    """A character class: its letters when it is a few of them ([ae]), a boundary when
    it holds only spaces and punctuation ([\\s-]), else unknown."""
    chars: list[str] = []
    separators = True
    for op, av in members:
        if op is _rc.LITERAL:
            chars.append(chr(av))
            separators = separators and not chr(av).isalnum()
        elif op is _rc.CATEGORY and av in (_rc.CATEGORY_SPACE, _rc.CATEGORY_NOT_WORD):
            chars.append(_SEP)
        else:
            return [_UNK]
    if separators:
        return [_SEP]
    return chars if len(chars) <= 6 else [_UNK]


def pattern_words(pattern: str, *, bounded: bool = True) -> set[str] | None:
    """Words (whole tokens) one of which every match of ``pattern`` contains: for each
    form the pattern can take, its longest literal word that nothing unknown touches.

    ``bounded``: the pattern is matched between word boundaries, so its first and last
    words are whole. None when some form has no such word.
    """
    try:
        forms = _forms(list(_rp.parse(pattern)))
    except re.error:
        return None
    if forms is None:
        return None
    edge = _SEP if bounded else _UNK
    words: set[str] = set()
    for form in forms:
        s = edge + form + edge
        best = ""
        for m in _TOKEN.finditer(s):
            if s[m.start() - 1] != _UNK and s[m.end()] != _UNK and len(m.group()) > len(best):
                best = m.group().lower()
        if not best:
            return None
        words.add(best)
    return words


def _words(patterns: Iterable[str], *, literal: bool = False, bounded: bool = True
           ) -> list[str] | None:
    """The union of ``pattern_words`` over ``patterns``; None if any has none."""
    out: set[str] = set()
    for p in patterns:
        got = pattern_words(re.escape(p.lower().strip()) if literal else p, bounded=bounded)
        if got is None:
            return None
        out |= got
    return sorted(out) or None


def claim_search_words(baseline: Baseline, claim: Claim) -> list[list[str]]:
    """Groups of words such that a text can state ``claim`` only if it holds a word of
    every group, read from the claim's vocabulary the way watcher.claims reads a text:

    - its subject (the actor's aliases and patterns, and the subject terms claims give
      it) and each party it ``mentions``;
    - for a figure claim, the words of its event's group (lexicon events and claims'
      ``metric_terms``), unless the event can be implied without a word (deployed,
      supplied), and the words of what it counts unless people or anything;
    - for a name or date claim, its trigger words (``patterns``, ``metric_terms``, the
      lexicon's name triggers) and, for a name, its ``name_words``.

    A group the words cannot be told for (a pattern that starts with a character class,
    a term matched as a prefix) is left out; none left means any article may state it.
    """
    from watcher.claims.lexicon import lexicon

    lex = lexicon()
    story = baseline.story

    def party(name: str) -> list[str] | None:
        literals = [a for actor in story.actors if actor.name == name for a in actor.aliases]
        literals += [t for c in baseline.claims if c.subject == name
                     and c.kind in ("count", "share", "money") for t in c.subject_terms]
        patterns = [p for actor in story.actors if actor.name == name for p in actor.patterns]
        a, b = _words(literals, literal=True), _words(patterns)
        if (literals and a is None) or (patterns and b is None):
            return None
        return sorted({*(a or ()), *(b or ())}) or None

    groups: list[list[str] | None] = [party(m) for m in claim.mentions]
    if claim.kind in ("name", "date"):
        triggers = [*claim.patterns, *(re.escape(t) for t in claim.metric_terms)]
        if claim.kind == "name":
            triggers += lex.word_list("name_triggers")
            groups.append(_words(claim.name_words, literal=True))
        groups.append(_words(triggers))
        # the subject may also be one of its terms found anywhere in a word
        own = _words(claim.subject_terms, literal=True, bounded=False) \
            if claim.subject_terms else []
        named = party(claim.subject)
        groups.append(None if own is None or named is None else sorted({*own, *named}))
    else:
        groups.append(party(claim.subject))
        events = lex.group(claim.event) if claim.event else frozenset()
        if events and not events & {"deployed", "supplied"}:
            names = set(events) | ({"losses"} if "killed" in events else set())
            groups.append(_words([
                *(p for n in sorted(names) for p in lex.events.get(n, ())),
                *(re.escape(t.lower()) for c in baseline.claims if c.event in events
                  for t in c.metric_terms)]))
        if claim.kind == "count" and claim.counted not in ("people", "any"):
            groups.append(_words(lex.counted.get(claim.counted, ())))
    return [g for g in groups if g]


# -- the run --

class ReprocessReport(Protocol):
    """What a reprocess tells its user as it goes."""

    def note(self, message: str) -> None:
        """A line worth reading (resuming, a fallback)."""

    def start(self, phase: str, total: int, done: int = 0) -> None:
        """A phase begins: ``analysing`` (articles) or ``recording`` (articles with
        findings); ``done`` of ``total`` are already behind."""

    def advance(self, n: int) -> None:
        """``n`` more of the phase are done (and, while analysing, committed)."""


class _Quiet:
    def note(self, message: str) -> None:
        pass

    def start(self, phase: str, total: int, done: int = 0) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


@dataclass(frozen=True, slots=True)
class ReprocessResult:
    articles: int           # analysed in all, by this run and the one it resumed
    resumed: int            # of which before this run
    failed: int             # whose analysis failed: they have no observations now
    observations: int
    changes: int
    archive: int            # articles in the database
    claim: str | None = None


# A batch is a few seconds of one worker's time: long enough that handing batches over
# costs nothing measurable, short enough for a fine progress bar and a cheap interrupt.
BATCH_ARTICLES = 128
BATCH_CHARS = 640_000
_PAGE = 512                 # articles read from the database at once


@dataclass(slots=True)
class _Batch:
    items: list[BatchItem]
    rows: list[tuple[int, bytes]] = field(default_factory=list)
    failed: int = 0


class _Run:
    """One reprocess run: its staging row, its articles, its worker pool."""

    def __init__(self, store: Store, hook: FiguresHook, workers: WorkerPool,
                 run: dict[str, Any], query: str | None, claim: str | None,
                 report: ReprocessReport, batch_articles: int) -> None:
        self.store = store
        self.hook = hook
        self.workers = workers
        self.run_id = int(run["id"])
        self.done_upto = int(run["done_upto"])
        self.query = query
        self.claim = claim
        self.report = report
        self.batch_articles = max(1, batch_articles)

    def batches(self) -> Iterator[list[BatchItem]]:
        """The articles not yet analysed, by id, read a page at a time: new ones the
        daemon stores meanwhile come last and are not missed."""
        after = self.done_upto
        while True:
            page = self.store.reprocess_articles(after, _PAGE, self.query, self.claim)
            if not page:
                return
            after = int(page[-1]["id"])
            batch: list[BatchItem] = []
            chars = 0
            for r in page:
                if batch and (len(batch) >= self.batch_articles
                              or chars + len(r["text"]) > BATCH_CHARS):
                    yield batch
                    batch, chars = [], 0
                batch.append((int(r["id"]), r["text"], r["language"], r["published"]))
                chars += len(r["text"])
            yield batch

    async def analyse(self) -> None:
        """Analyse every article not yet analysed, a bounded number of batches in the
        pool at once, committing each batch's findings in id order (so ``done_upto``
        always means every article up to it)."""
        window = 2 * max(1, self.workers.workers) + 1
        batches = self.batches()
        pending: deque[asyncio.Task[_Batch]] = deque()
        try:
            while True:
                while len(pending) < window and (items := next(batches, None)) is not None:
                    pending.append(asyncio.ensure_future(self._analyse_batch(items)))
                if not pending:
                    return
                batch = await pending.popleft()
                last = batch.items[-1][0]
                self.store.stage_findings(self.run_id, batch.rows, done_upto=last,
                                          analysed=len(batch.items), failed=batch.failed)
                self.done_upto = last
                self.report.advance(len(batch.items))
        finally:
            for task in pending:
                task.cancel()

    async def _analyse_batch(self, items: list[BatchItem]) -> _Batch:
        """One batch; if its worker dies or overruns, each article alone, so one bad
        article costs only itself (it is counted as failed and has no findings)."""
        batch = _Batch(items)
        try:
            results = await self.hook.analyse_batch(items)
        except WorkerError:
            if len(items) == 1:
                batch.failed = 1
                return batch
            parts = await asyncio.gather(*(self._analyse_batch([i]) for i in items))
            for part in parts:
                batch.rows += part.rows
                batch.failed += part.failed
            return batch
        batch.rows = [(a, blob) for a, blob in results if blob is not None]
        return batch

    def record(self, claim: Claim | None) -> tuple[int, int]:
        """Replace the observations from the staged findings, oldest article first, as
        the live path would have recorded them (inside the caller's transaction)."""
        store = self.store
        before: dict[int, set[int]] = {}
        if claim is None:
            self.hook.sync(store)
            store.clear_observations()
        else:
            store.sync_claim(claim_row(claim))
            before = store.clear_claim(claim.id)
        self.report.start("recording", store.staged_count(self.run_id))
        with store.recounting(claim.id if claim is not None else None), \
                self.hook.recorder.holding_states(store):
            return self._record_staged(claim, before)

    def _record_staged(self, claim: Claim | None, before: dict[int, set[int]]
                       ) -> tuple[int, int]:
        store, recorder = self.store, self.hook.recorder
        observations = changes = 0
        for row in store.staged_articles(self.run_id):
            findings = decode_findings(store.staged_findings(self.run_id, row["id"]))
            if claim is not None:
                was = before.get(row["id"], set())
                # the claim's figures, and figures that were the claim's and now match
                # nothing (candidates again); other claims' rows stay as they are
                findings = [f for f in findings if f.claim == claim.id
                            or (is_candidate(f) and f.figure.start in was)]
                store.drop_candidates(row["id"], [f.figure.start for f in findings
                                                  if f.claim == claim.id])
            ref = ArticleRef(id=row["id"], url=row["url"], title=row["title"],
                             published=row["published"], feed=row["feed"],
                             text_hash=row["text_hash"])
            o, c = recorder.record(store, ref, findings)
            observations += o
            changes += c
            self.report.advance(1)
        return observations, changes


async def reprocess(config: Config, store: Store, *, claim: str | None = None,
                    report: ReprocessReport | None = None,
                    batch_articles: int = BATCH_ARTICLES) -> ReprocessResult:
    """Analyse the stored articles again and rebuild observations, candidates and claim
    states: every claim's, or (``claim``) one claim's from the articles that can state it.

    Analysis is committed batch by batch and resumes after an interrupt; observations
    are replaced in one transaction at the end, oldest article first, so statuses are
    judged in publication order and a kill at any moment leaves them whole. Articles the
    daemon stores meanwhile are analysed too: the last ones under the write lock, so
    none is missed or recorded twice.
    """
    report = report or _Quiet()
    hook = FiguresHook.from_config(config)
    baseline = hook.recorder.baseline
    target: Claim | None = None
    query: str | None = None
    if claim is not None:
        target = baseline.get(claim)
        if target is None:
            raise WatcherError(f"no claim {claim!r} in the baseline {config.baseline}")
        words = claim_search_words(baseline, target)
        if words:
            query = search_query(words)
        else:
            report.note(f"claim {claim} has no words the search index can find: "
                        "analysing every article")
    run_row, stale = store.reprocess_run(analysis_fingerprint(config.baseline),
                                         claim or ALL_CLAIMS)
    if stale:
        report.note("the baseline or watcher changed since an unfinished reprocess: "
                    "starting again")
    resumed = int(run_row["analysed"])
    total = store.reprocess_targets(query, claim)
    if resumed:
        report.note(f"resuming: {resumed} of {total} articles already analysed")
    ext = config.extract
    # a batch holds up to BATCH_CHARS of text: give it several single items' deadline
    workers = WorkerPool(ext.workers, timeout=ext.item_timeout * 4,
                         memory_mb=ext.worker_memory_mb)
    hook.bind(workers)
    run = _Run(store, hook, workers, run_row, query, claim, report, batch_articles)
    try:
        report.start("analysing", total, resumed)
        await run.analyse()
        with store.write_lock():
            done = store.reprocess_progress(run.run_id)["analysed"]
            late = store.reprocess_targets(query, claim)
            if late > done:
                report.start("analysing", late, done)
            await run.analyse()         # stored since the pass ended: none can follow now
            observations, changes = run.record(target)
            progress = store.reprocess_progress(run.run_id)
            store.drop_reprocess_run(run.run_id)
    finally:
        workers.close()
    return ReprocessResult(
        articles=progress["analysed"], resumed=resumed, failed=progress["failed"],
        observations=observations, changes=changes, archive=store.count("articles"),
        claim=claim)


async def reprocess_all(config: Config, store: Store) -> tuple[int, int, int]:
    """Every claim, quietly: (articles, observations, changes)."""
    r = await reprocess(config, store)
    return r.articles, r.observations, r.changes
