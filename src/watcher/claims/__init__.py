"""Baseline claims, and matching the figures of a text to them.

The pipeline of this package, in the order a text goes through it:

- ``baseline``: read a baseline file (the story, its actors, its claims);
- ``lexicon``: the words reporters use, from data/lexicon/*.toml;
- ``vocab``: one baseline's vocabulary compiled, and the facts of a sentence;
- ``frame``: what a figure counts, whose it is, what happened, when, per what;
- ``match``: the declarative check of a frame against each claim;
- ``named``: name and date claims, found by their trigger words.

watcher.figures says *what* a number is; this package decides *what it counts*.
"""

from __future__ import annotations

from watcher.claims.baseline import load_baseline
from watcher.claims.frame import FrameState, build_frame
from watcher.claims.match import match_claim
from watcher.claims.model import (
    CLAIM_KINDS,
    Actor,
    Baseline,
    Claim,
    ClaimValue,
    Finding,
    Story,
)
from watcher.claims.named import dated_finding, named_findings
from watcher.claims.sentences import lower
from watcher.claims.vocab import SentenceFacts, vocabulary
from watcher.figures import Figure, extract_figures

__all__ = [
    "CLAIM_KINDS",
    "Actor",
    "Baseline",
    "Claim",
    "ClaimValue",
    "Finding",
    "Story",
    "analyze",
    "load_baseline",
    "names_the_story",
]

_NOT_COUNTED = ("date", "ordinal", "measure")


def names_the_story(text: str, baseline: Baseline) -> bool:
    """Whether the text names the story at all (a topic word, place, actor or subject).

    A text that names none states no claim and holds no candidate figure, so a caller
    that keeps only those can skip reading its figures: most articles of a feed."""
    return vocabulary(baseline).gate_re.search(lower(text)) is not None


def analyze(text: str, baseline: Baseline, *, lang: str = "en",
            published: str | None = None, figures: list[Figure] | None = None
            ) -> list[Finding]:
    """Every figure of ``text`` as a Finding; those that state a claim carry its id.

    ``published`` (ISO date) lets "in January" be placed in a year and tells an older
    figure from a new one. ``figures``: what ``extract_figures(text, lang)`` returned,
    for a caller that already has them.
    """
    vocab = vocabulary(baseline)
    if figures is None:
        figures = extract_figures(text, lang)
    if not names_the_story(text, baseline):
        # Nothing in the text names the story (most articles of a feed): every figure is
        # kept, none can match, and no sentence needs reading.
        return [Finding(figure=f) for f in figures]
    out: list[Finding] = []
    dated: list[Finding] = []
    date_of = {c.date_of: c for c in baseline.claims if c.date_of is not None}
    sentences: dict[int, SentenceFacts] = {}
    consumed: dict[int, set[tuple[int, int]]] = {}
    prev_state: dict[int, FrameState] = {}
    last: FrameState | None = None  # the last figure's, in whichever sentence
    for fig in figures:
        if fig.kind in _NOT_COUNTED or (fig.value is None and fig.low is None
                                        and fig.high is None):
            out.append(Finding(figure=fig))
            continue
        ss = fig.sentence_start
        if ss not in sentences:
            sentences[ss] = vocab.sentence(fig.sentence, ss)
            consumed[ss] = set()
        frame = build_frame(vocab, text, fig, sentences[ss], consumed[ss], prev_state.get(ss),
                            published, sentences, last)
        finding = frame.finding
        claim = match_claim(frame, vocab)
        if claim is not None:
            finding.claim = claim.id
            finding.on_topic = True
            if claim.id in date_of and not finding.restated and frame.dated:
                dated.append(dated_finding(date_of[claim.id], text, fig, frame.when,
                                           finding.source))
        finding.confidence = min(0.99, frame.confidence)
        prev_state[ss] = last = FrameState(finding.event, finding.subject,
                                           finding.period if finding.per_period else None,
                                           frame.period_unit)
        out.append(finding)
    named = named_findings(vocab, text, published, sentences)
    if dated:
        # a date another claim's trigger took ("fighting since November") is that claim's
        taken = [(f.figure.start, f.figure.end) for f in named]
        named += [d for d in dated if not any(
            a < d.figure.end and d.figure.start < b for a, b in taken)]
    if named:
        # A date the extractor found and a date claim took is reported once, as the claim.
        spans = [(f.figure.start, f.figure.end) for f in named]
        out = [f for f in out if f.claim is not None or not any(
            a <= f.figure.start and f.figure.end <= b for a, b in spans)]
        out.extend(named)
    out.sort(key=lambda f: (f.figure.start, f.figure.end))
    return out
