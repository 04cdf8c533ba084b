"""Claim matching: a declarative check of a figure's frame against each claim.

A claim (a [[claims]] table of the baseline) says what a figure must be to state it: its
kind, whose it is, what happened, what is counted, whether it is a rate, a plausible
range. The first claim whose every condition holds takes the figure; none is better than
a wrong one, because a false alarm costs the analyst more than a missed figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from watcher.claims.frame import Frame
from watcher.claims.lexicon import alt, lexicon
from watcher.claims.memo import ByIdentity
from watcher.claims.model import Claim
from watcher.claims.sentences import lower
from watcher.claims.vocab import Vocabulary

__all__ = ["match_claim"]

_FIGURE_KIND = {"number": "count", "percent": "share", "share": "share", "money": "money"}
# A head count beyond this is a population or an army, not a figure of a deployment or toll.
_PEOPLE_RANGE = (1.0, 300_000.0)
# Events whose own word names people: "1,000 killed" needs no noun.
_PEOPLE_EVENTS = frozenset(("killed", "wounded", "killed_or_wounded", "casualties", "captured",
                            "missing", "displaced", "evacuated", "rescued"))
# Heads that never state a count of anything a claim names.
_NO_COUNT = frozenset(("other", "strong_army", "mixed"))


class _Checks:
    """Per-vocabulary compiled parts of the checks."""

    def __init__(self, vocab: Vocabulary) -> None:
        lex = lexicon()
        w = lex.word_list
        self.people = re.compile(rf"\b(?:{alt(lex.counted.get('people', ()))})\b")
        self.context: dict[str, re.Pattern[str]] = {}
        for c in vocab.baseline.claims:
            if c.context_terms:
                self.context[c.id] = re.compile(
                    r"\b(?:" + alt(re.escape(t.lower()) for t in c.context_terms) + r")")
        # A share of a part ("half of the wounded", "two-thirds of the losses") is not a
        # share of the whole force.
        events = [p for name in ("killed", "wounded", "killed_or_wounded", "casualties",
                                 "losses", "captured") for p in lex.events.get(name, ())]
        self.share_of_part = re.compile(
            # with a determiner: "half of the wounded"; "40% de bajas" is the rate itself
            r"\s*(?:%|" + alt(w("share_part_percent")) + r")?\s*(?:" + alt(w("share_of"))
            + r")\s+(?:" + alt(w("share_part_det")) + r")\s+(?:\w+\s+)?(?:" + alt(events)
            + r")\b")
        # "$2,000 per soldier": a wage, read in the figure's clause after it
        self.per_head = re.compile(
            r"^[^;:]{0,40}?\b(?:" + alt(lex.word_list("per_head")) + r")\b")
        # a verb of change earlier in the share's clause: "cut its shipments by half"
        self.change_before = re.compile(
            r"\b(?:" + alt(lex.word_list("change_verbs")) + r")\b[^,.;:]{0,70}$")
        self.share_noun = re.compile(r"\b(?:" + alt(lex.word_list("share_nouns")) + r")\b")
        # "50% more shells": a comparative right after a percent makes it a change
        percent = r"(?:%|" + alt(w("percent_words")) + r")?"
        self.more_after = re.compile(
            r"\s*" + percent + r"\s*(?:" + alt(w("more_after")) + r")\b")
        # "zu 30 Prozent ausgelastet", "at 30% capacity": a share of what could be made
        self.capacity = re.compile(
            r"\s*" + percent + r"\s*(?:[\w'’-]+\s+){0,2}?"
            r"(?:" + alt(lex.word_list("capacity")) + r")\b")
        self.origin = re.compile(r"\b(?:" + alt(lex.word_list("origin")) + r")\b")
        self.additional_claims = {(c.subject, c.event) for c in vocab.baseline.claims
                                  if c.scope == "additional"}
        # the last month of the first deployment, by (subject, event), where a claim says
        self.first_until = {(c.subject, c.event): c.first_until for c in vocab.baseline.claims
                            if c.first_until is not None and c.scope != "additional"}
        self.by_kind: dict[str, list[Claim]] = {}
        # A conjunction that opens another clause ("was 40% as shells hit the port")
        self.next_clause = re.compile(r";|\b(?:" + alt(w("next_clause")) + r")\b")
        # "40% of their capacity": the words of the whole a share is of
        self.share_base = re.compile(
            r"\s*(?:%|" + alt(w("share_base_percent")) + r")?\s*(?:" + alt(w("share_of"))
            + r")\s+(?:(?:" + alt(w("share_base_det")) + r")\s+)?(?:(?:"
            + alt(w("share_base_approx")) + r")\s+)?(?:\d[\d,.]*\s+)?"
            r"((?:[\w'’-]+\s+){0,3}[\w'’-]+)")
        for c in vocab.baseline.claims:
            self.by_kind.setdefault(c.kind, []).append(c)
        self._for: dict[tuple[str, str | None], tuple[Claim, ...]] = {}

    def candidates(self, kind: str, subject: str | None) -> tuple[Claim, ...]:
        """The claims of ``kind``, in order, that a figure of ``subject`` may state: a
        claim on another party's figure cannot (the first check of _fits)."""
        key = (kind, subject)
        got = self._for.get(key)
        if got is None:
            got = self._for[key] = tuple(
                c for c in self.by_kind.get(kind, ())
                if c.subject_match == "sentence" or c.subject == subject)
        return got


_checks: ByIdentity[Vocabulary, _Checks] = ByIdentity(_Checks)


def _subject_ok(c: Claim, f: Frame) -> bool:
    if c.subject_match == "sentence":
        ok = f.sent.mentions(c.subject) or f.finding.subject == c.subject
    else:
        ok = f.finding.subject == c.subject
    return ok and all(f.sent.mentions(m) for m in c.mentions)


def _event_ok(c: Claim, f: Frame, vocab: Vocabulary) -> bool:
    if not c.event:
        return True
    group = lexicon().group(c.event)
    if f.finding.event in group:
        return True
    if c.kind == "share":
        # "a third of the force were killed or wounded": the event may sit anywhere near
        return any(name in group for a, _b, name in f.sent.events if abs(a - f.st) < 120)
    return False


def _counted_ok(c: Claim, f: Frame, chk: _Checks) -> bool:
    if c.kind == "share":
        # "fell 2.5%" is an amount of change, never the share a claim states
        return f.head not in ("factories",) and not f.finding.figure.delta
    if c.kind == "money":
        # a claim in one currency takes figures in that currency only
        unit = (f.finding.figure.unit or "").upper()
        return (not c.unit or not unit or c.unit.upper() in unit or unit in c.unit.upper()) \
            and not _per_head(f, chk)
    if f.head in _NO_COUNT:
        return False
    if c.counted == "any":
        return True
    if c.counted == "people":
        if f.head == "none":
            # "the toll passed 1,000": the event word names people; "sent 1,000" does not,
            # and needs a sentence that speaks of people
            return f.finding.event in _PEOPLE_EVENTS or bool(
                chk.people.search(lower(f.sent.text)))
        return f.head in ("people", "strong")
    return f.head == c.counted


def _per_head(f: Frame, chk: _Checks) -> bool:
    """An amount for each soldier ("$2,000 per soldier", "por cada soldado") is a wage or a
    price, never the sum a money claim states; the words follow the figure in its clause."""
    return bool(chk.per_head.search(lower(f.sent.text[f.en:f.en + 80])))


def _period_ok(c: Claim, f: Frame) -> bool:
    if c.per is not None:
        return f.finding.per_period and f.period_unit == c.per
    return not f.finding.per_period


def _scope_ok(c: Claim, f: Frame, chk: _Checks) -> bool:
    if c.scope == "additional":
        return f.additional or _dated_later(c, f, chk)
    # the set first: most claims have no additional twin, and the reading costs more
    return not ((c.subject, c.event) in chk.additional_claims
                and (f.additional or _dated_later(c, f, chk)))


def _dated_later(c: Claim, f: Frame, chk: _Checks) -> bool:
    """"Seit September wurden 5.000 Soldaten entsandt": a deployment its clause dates
    after the first one's last month is later troops (not a figure said again)."""
    until = chk.first_until.get((c.subject, c.event))
    if until is None or f.finding.restated:
        return False
    return f.dated > until


def _range_ok(c: Claim, f: Frame) -> bool:
    default = _PEOPLE_RANGE if c.kind == "count" and c.counted == "people" else (
        0.0, float("inf"))
    lo, hi = c.value_range or default
    return lo <= f.value <= hi


def _guess_ok(c: Claim, f: Frame) -> bool:
    """An event only guessed from the sentence: a large, named force, or nothing."""
    if not f.weak or not c.event:
        return True
    return c.implied and f.head != "none" and f.value >= 1000


def _context_ok(c: Claim, f: Frame, chk: _Checks) -> bool:
    rx = chk.context.get(c.id)
    if rx is None:
        return True
    s = f.sent.text
    if c.kind == "share":
        s = _own_words(f, chk)
    if rx.search(lower(s)):
        return True
    # "X shipped 7,000 containers to Y. They could hold 4 million shells": a sentence that
    # goes on about the party of the one before goes on about its deed too
    return f.carried and c.kind != "share" and bool(rx.search(f.sent.prev_low))


def _own_words(f: Frame, chk: _Checks) -> str:
    """The words a share stands with: "60% of the ammunition". Not past a neighbouring
    figure, whose own noun ("fell 2.5% and 40 shells hit") says nothing of this one, nor
    into the next clause ("was 40% as shells hit the port")."""
    after = f.after[:80]
    m = chk.next_clause.search(after)
    return f.seg_before[-80:] + " " + f.finding.figure.text + " " + (
        after[:m.start()] if m else after)


def _changed_amount(c: Claim, f: Frame, chk: _Checks, v: Vocabulary) -> bool:
    """"Reduced its shipments to half": a verb of change makes the share one of an earlier
    amount. Not when the clause names a share ("its share rose to 60%") or the claim's
    own event ("losses rose to a third")."""
    seg = lower(f.seg_before[-90:])
    if chk.change_before.search(seg) is None or chk.share_noun.search(seg):
        return False
    group = lexicon().group(c.event) if c.event else frozenset()
    return not any(e.lastgroup in group for e in v.events.finditer(seg))


def _of_its_own(c: Claim, after: str, chk: _Checks, v: Vocabulary) -> bool:
    """"Half of the Ruritanian shells are faulty": a share of the subject's own things.

    A share claim with no event of its own ("any") states the subject's part of a whole
    ("half of the shells the army fires come from X"); a share whose noun phrase is owned by
    the subject, with no word of origin before the name, is a share of what it has."""
    for m in v.actor_re.finditer(after):
        if v.actor_at(m) != c.subject:
            continue
        return not chk.origin.search(after, 0, m.start()) and not chk.origin.match(
            after, m.end() + 1)
    return False


def _share_ok(c: Claim, f: Frame, chk: _Checks, v: Vocabulary) -> bool:
    """A share of a part, or of something the claim is not about, is not the claim's."""
    if c.kind != "share":
        return True
    after = lower(f.after[:60])
    if chk.share_of_part.match(after) or chk.more_after.match(after) \
            or chk.capacity.match(after):
        return False
    if not c.event and _of_its_own(c, lower(f.after[:100]), chk, v):
        return False
    rx = chk.context.get(c.id)
    base = chk.share_base.match(after)
    if base is None and _changed_amount(c, f, chk, v):
        return False
    # "40% of their capacity": the share's base names what it is a share of
    if rx is None or base is None or rx.search(base.group(1)):
        return True
    # "35% de bajas", "a 40% casualty rate": the share is of the claim's own event
    group = lexicon().group(c.event) if c.event else frozenset()
    return any(m.lastgroup in group for m in v.events.finditer(base.group(1)))


def _excluded(c: Claim, f: Frame, vocab: Vocabulary) -> bool:
    ex = vocab.excludes.get(c.id)
    return ex is not None and bool(ex.search(f.sent.text))


def _fits(c: Claim, f: Frame, k: _Checks, v: Vocabulary) -> bool:
    """Every condition of ``c``, cheapest first (the same checks as _RULES, unrolled)."""
    return (_subject_ok(c, f) and _period_ok(c, f) and _counted_ok(c, f, k)
            and _event_ok(c, f, v) and _range_ok(c, f) and _guess_ok(c, f)
            and _scope_ok(c, f, k) and _context_ok(c, f, k) and _share_ok(c, f, k, v)
            and not _excluded(c, f, v))


# The conditions by name, for explaining why a figure matched no claim.
_RULES: tuple[Callable[[Claim, Frame, _Checks, Vocabulary], bool], ...] = (
    lambda c, f, k, v: _subject_ok(c, f),
    lambda c, f, k, v: _period_ok(c, f),
    lambda c, f, k, v: _counted_ok(c, f, k),
    lambda c, f, k, v: _event_ok(c, f, v),
    lambda c, f, k, v: _scope_ok(c, f, k),
    lambda c, f, k, v: _range_ok(c, f),
    lambda c, f, k, v: _guess_ok(c, f),
    lambda c, f, k, v: _context_ok(c, f, k),
    lambda c, f, k, v: _share_ok(c, f, k, v),
    lambda c, f, k, v: not _excluded(c, f, v),
)


def match_claim(frame: Frame, vocab: Vocabulary) -> Claim | None:
    """The first claim of the baseline whose every condition the frame meets."""
    fig = frame.finding.figure
    kind = _FIGURE_KIND.get(fig.kind)
    if kind is None:
        return None
    if frame.finding.restated and frame.finding.event is None:
        return None
    chk = _checks(vocab)
    for c in chk.candidates(kind, frame.finding.subject):
        if _fits(c, frame, chk, vocab):
            # a part of the whole, or a projection, states no claim (read last: it is rare)
            return None if frame.part else c
    return None
