"""Name and date claims: who commands, when something happened.

These have no figure for the extractor to find first, so the sentence is found by a
claim's trigger words (its ``patterns`` and ``metric_terms``), then checked for the
claim's subject and a name (``name_words``) or a date near the trigger.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from watcher.claims.dates import (
    DATE_HINT_L,
    DATE_RE,
    WEEKDAY_RE,
    WEEKDAY_RE_L,
    iso,
    relative_iso,
    relative_re,
    relative_words,
    weekday_iso,
    year_is_dated,
)
from watcher.claims.lexicon import alt, lexicon, word_start
from watcher.claims.memo import ByIdentity
from watcher.claims.model import Baseline, Claim, Finding
from watcher.claims.prefilter import Guarded, Prefiltered, Presence, lowered
from watcher.claims.sentences import folds_like_lower, lower, prev_sentence, sentence_around
from watcher.claims.vocab import SentenceFacts, Vocabulary
from watcher.figures import Figure

__all__ = ["named_findings"]

_WEEKDAYS_L = Guarded(WEEKDAY_RE_L)  # every match names a day: most texts name none
_PRONOUN = re.compile(r"\b(?:they|them|their|the (?:surviving |remaining )?(?:troops|soldiers|"
                      r"units|forces))\b", re.I)


@dataclass(frozen=True)
class _Rule:
    claim: Claim
    trigger: re.Pattern[str]
    names: re.Pattern[str] | None = None
    name_hint: re.Pattern[str] | None = None
    # lower-case triggers are looked for in the lower-cased text, at the few offsets
    # where one can start; others (a user's "POWs") with IGNORECASE on the text itself
    scan: Prefiltered | None = None
    twin: Guarded | None = None  # the trigger without IGNORECASE, for lower-cased text

    def present(self, low: str, text: str) -> bool:
        """Does the text hold this rule's trigger anywhere?"""
        if self.scan is not None:
            return next(self.scan.finditer(low), None) is not None
        return self.trigger.search(text) is not None

    def find(self, s: _Sentence, pos: int = 0) -> re.Match[str] | None:
        """``self.trigger.search(s.text, pos)``."""
        if self.twin is not None and s.plain:
            return self.twin.search(s.low, pos)
        return self.trigger.search(s.text, pos)


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A sentence a rule is tried on, lower-cased once (see folds_like_lower)."""

    text: str
    low: str
    plain: bool

    @classmethod
    def of(cls, text: str) -> _Sentence:
        return cls(text, lower(text), folds_like_lower(text))


def _rule(c: Claim, pats: list[str], names: re.Pattern[str] | None = None,
          hint: re.Pattern[str] | None = None) -> _Rule:
    body = alt(pats)
    trigger = rf"\b(?:{body})\b"
    low = lowered(body)
    if low is None:
        return _Rule(c, re.compile(trigger, re.I), names, hint)
    # the trigger is case-blind: its lower-case twin finds the same in lower-cased text
    return _Rule(c, re.compile(trigger, re.I), names, hint,
                 Prefiltered(low, [lowered(p) or p for p in pats]),
                 Guarded(re.compile(rf"\b(?:{low})\b")))


class _Named:
    """The compiled triggers of one baseline's name and date claims."""

    def __init__(self, baseline: Baseline) -> None:
        lex = lexicon()
        self.rules: list[_Rule] = []
        ranks = alt(lex.word_list("ranks"))
        name_trig = list(lex.word_list("name_triggers"))
        self.newer = lex.word_re("newer_name", flags=re.I)
        for c in baseline.claims:
            if c.kind not in ("name", "date"):
                continue
            pats = list(c.patterns) + [re.escape(t) for t in c.metric_terms]
            if c.kind == "name":
                pats += name_trig
                words = alt(re.escape(w) for w in c.name_words)
                names = re.compile(
                    rf"(?:(?P<rank>{ranks})\s+)?(?P<name>\b(?:{words})\s+[A-Z][a-z]{{1,5}}"
                    rf"(?:(?:[- ][A-Za-z][a-z]{{1,5}}))?\b)", re.I)
                hint = re.compile(word_start(re.escape(w) for w in c.name_words)
                                  + "[ ][A-Z][a-z]")
                self.rules.append(_rule(c, pats, names, hint))
            else:
                self.rules.append(_rule(c, pats))
        # the lower-case triggers are looked for in one pass; the others one by one
        self.scanned = [r for r in self.rules if r.scan is not None]
        self.presence = Presence([r.scan for r in self.scanned if r.scan is not None])

    def present(self, low: str, text: str) -> list[_Rule]:
        """The rules whose trigger the text holds anywhere, in their order."""
        found = dict(zip(map(id, self.scanned), self.presence.found(low), strict=True))
        return [r for r in self.rules
                if (found[id(r)] if r.scan is not None else r.present(low, text))]


_named: ByIdentity[Baseline, _Named] = ByIdentity(_Named)


def _fig_for(text: str, a: int, b: int, s0: int, s1: int, kind: str) -> Figure:
    return Figure(text=text[a:b], start=a, end=b, kind=kind, value=None, low=None, high=None,
                  qualifier="exact", change=None, unit="name" if kind == "name" else "date",
                  sentence=text[s0:s1], sentence_start=s0, sentence_end=s1)


def _normalize_name(name: str) -> str:
    """'Kim Yong-bok' and 'Kim Yong Bok' are one name."""
    return " ".join(re.split(r"[\s-]+", name.strip())).title()


def _subject_present(vocab: Vocabulary, c: Claim, text: str, s0: int, stext: str,
                     sent: SentenceFacts) -> bool:
    if not all(sent.mentions(m) for m in c.mentions):
        return False
    if sent.mentions(c.subject) or any(t.lower() in stext.lower() for t in c.subject_terms):
        return True
    if c.kind == "name":
        # "The North's deputy chief of staff landed in Moscow. Kim Yong Bok is to lead the
        # troops": the sentence right before names the party whose commander this is
        before, _start = prev_sentence(text, s0)
        return any(vocab.actor_at(m) == c.subject
                   for m in vocab.actor_re.finditer(lower(before)))
    if c.kind == "date" and _PRONOUN.search(stext):
        # "They began attacking in December": the subject is in a sentence before
        lo = max(0, s0 - 1200)
        return any(vocab.actor_at(m) == c.subject
                   for m in vocab.actor_re.finditer(lower(text[lo:s0])))
    return False


def _name(rule: _Rule, text: str, st: _Sentence, s0: int, s1: int, sent: SentenceFacts
          ) -> Finding | None:
    c = rule.claim
    assert rule.names is not None
    stext = st.text
    tr = rule.find(st)
    if not tr:
        return None
    excluded = {n.lower() for n in c.exclude_names}
    # a name in the source phrase ("said Jeon Kyung-joo, a research fellow") is who speaks
    spans = sent.attribution_spans if sent.text == stext else []
    names = [m for m in rule.names.finditer(stext)
             if _normalize_name(m.group("name")).lower() not in excluded
             and m.group("name")[0].isupper()
             and not any(a <= m.start("name") < b for a, b in spans)]
    if not names:
        return None
    newer = rule_newer = _named_newer(stext)
    if newer is not None:
        later = [m for m in names if m.start() >= newer]
        pick = later[0] if later else names[-1]
    else:
        pick = min(names, key=lambda m: min(abs(m.start() - tr.end()),
                                            abs(tr.start() - m.end())))
    del rule_newer
    a, b = s0 + pick.start(), s0 + pick.end()
    return Finding(figure=_fig_for(text, a, b, s0, s1, "name"), claim=c.id, subject=c.subject,
                   event=c.event or "commanded", source=sent.attribution, on_topic=True,
                   confidence=0.8, value_text=_normalize_name(pick.group("name")))


def _named_newer(stext: str) -> int | None:
    m = lexicon_newer().search(stext)
    return m.start() if m else None


_NEWER: re.Pattern[str] | None = None
_REPORTED: re.Pattern[str] | None = None


def _reported() -> re.Pattern[str]:
    """A reporting verb or "according to": a date after it is when the news was told."""
    global _REPORTED
    if _REPORTED is None:
        lex = lexicon()
        words = [*lex.word_list("attribution_verbs"), *lex.word_list("according")]
        _REPORTED = re.compile(rf"\b(?:{alt(words)})\b", re.I)
    return _REPORTED


def lexicon_newer() -> re.Pattern[str]:
    global _NEWER
    if _NEWER is None:
        _NEWER = lexicon().word_re("newer_name", flags=re.I)
    return _NEWER


@dataclass(frozen=True, slots=True)
class _When:
    """A date of a sentence: where it is written and what it says."""

    start: int
    end: int
    value: str


def _whens(stext: str, published: str | None, dated: str | None) -> list[_When]:
    """The sentence's dates: the written ones, then those told from the publication date
    ("last year", "l'automne dernier"), which need the article's own date (``dated``).
    A month right before "of last year" ("im Oktober letzten Jahres") is that year's."""
    out: list[_When] = []
    written: list[re.Match[str]] = []
    for m in DATE_RE.finditer(stext):
        value = iso(m, published)
        if value is None:
            continue
        if m.group("y4") and not year_is_dated(stext, m.start()):
            value = ""  # "the 2024 treaty": a year, but no date; still a date's place
        written.append(m)
        out.append(_When(m.start(), m.end(), value))
    if dated is None:
        return out
    for r in relative_re().finditer(stext):
        value = relative_iso(r, dated)
        if value is None:
            continue
        for i, m in enumerate(written):
            month = out[i].value
            if (len(value) == 4 and len(month) == 7 and not (m.group("y1") or m.group("y2")
                                                             or m.group("y3"))
                    and stext[m.end():r.start()].strip().lower() in _JOINS):
                out[i] = _When(m.start(), r.end(), f"{value}{month[4:]}")
                break
        else:
            out.append(_When(r.start(), r.end(), value))
    return sorted(out, key=lambda w: w.start)


_JOINS = ("", "de", "of", "del", "des")


@cache
def _relative_l() -> Prefiltered:
    """relative_re for lower-cased text (see folds_like_lower), tried only where one of
    its branches can start."""
    pats = relative_words()
    return Prefiltered(alt(pats), pats)


def _relative_in(text: str, low: str, plain: bool) -> Iterator[re.Match[str]]:
    """The relative dates of a text; offsets are the text's."""
    return _relative_l().finditer(low) if plain else relative_re().finditer(text)


def _date(rule: _Rule, others: list[_Rule], text: str, st: _Sentence, s0: int, s1: int,
          sent: SentenceFacts, published: str | None) -> Finding | None:
    c = rule.claim
    stext = st.text
    tm = rule.find(st)
    if not tm:
        return None
    dated = published
    if published is None:
        # "withdrawn in January 2025 ... back in February": borrow the sentence's year
        ym = re.search(r"\b(?:19|20)\d\d\b", stext)
        published = f"{ym.group(0)}-12-31" if ym else None
    # a reporting verb between the trigger and a date makes it the day the news was told:
    # "absent from the front, the agency said on 4 February"
    dates = [w for w in _whens(stext, published, dated)
             if not _reported().search(stext, min(tm.end(), w.end), max(tm.start(), w.start))]
    if not dates:
        return _weekday(rule, tm, text, stext, s0, s1, sent, dated)
    if c.date_after_trigger:
        # the date closest after the trigger, else the closest before it
        after = [w for w in dates if w.start >= tm.end()]
        pick = after[0] if after and after[0].start - tm.end() < 60 else None
        if pick is None:
            before = [w for w in dates if w.end <= tm.start()]
            pick = before[-1] if before else None
        if pick is None:
            return None
        for o in others:
            om = o.find(st, tm.end())
            if o is not rule and om and om.start() < pick.start:
                return None  # "pulled back in January, returned in February"
    else:
        pick = min(dates, key=lambda w: _gap(tm, w))
        if _gap(tm, pick) > _DATE_REACH:
            return None
    value = pick.value
    if not value:
        return None
    a, b = s0 + pick.start, s0 + pick.end
    return Finding(figure=_fig_for(text, a, b, s0, s1, "date"), claim=c.id, subject=c.subject,
                   event=c.event or c.metric, source=sent.attribution, on_topic=True,
                   confidence=0.75, value_text=value, refers_to=value)


# A date farther than this from the claim's trigger word dates something else in the
# sentence ("the treaty signed in June 2024 ... made it possible, after Shoigu's visit")
_DATE_REACH = 80


def _gap(a: re.Match[str], b: _When) -> int:
    return max(0, b.start - a.end(), a.start() - b.end)


def _weekday(rule: _Rule, tm: re.Match[str], text: str, stext: str, s0: int, s1: int,
             sent: SentenceFacts, published: str | None) -> Finding | None:
    """"Shoigu arrived on Friday": the weekday next to the trigger, dated from the article."""
    for m in WEEKDAY_RE.finditer(stext):
        if abs(m.start() - tm.end()) > 60 and abs(tm.start() - m.end()) > 60:
            continue
        value = weekday_iso(m, published)
        if value is None:
            return None
        c = rule.claim
        a, b = s0 + m.start(), s0 + m.end()
        return Finding(figure=_fig_for(text, a, b, s0, s1, "date"), claim=c.id,
                       subject=c.subject, event=c.event or c.metric, source=sent.attribution,
                       on_topic=True, confidence=0.6, value_text=value, refers_to=value)
    return None


def dated_finding(c: Claim, text: str, fig: Figure, when: tuple[str, int, int],
                  source: str | None) -> Finding:
    """The date claim ``c`` read from the clause of a figure of the claim it dates
    ("11,000 soldiers sent in October 2024": the first deployment's date)."""
    value, a, b = when
    s0, s1 = fig.sentence_start, fig.sentence_end
    return Finding(figure=_fig_for(text, s0 + a, s0 + b, s0, s1, "date"), claim=c.id,
                   subject=c.subject, event=c.event or c.metric, source=source,
                   on_topic=True, confidence=0.6, value_text=value, refers_to=value)


def named_findings(vocab: Vocabulary, text: str, published: str | None,
                   sentences: dict[int, SentenceFacts]) -> list[Finding]:
    """Name and date claims: sentences with a date or a name near a claim's trigger.

    Sentences are found from their dates and names, which are rarer than trigger words
    ("met", "returned"), so a long article is scanned once per hint, not once per rule.
    """
    nd = _named(vocab.baseline)
    low = lower(text)
    # only the rules whose trigger the text holds at all
    rules = nd.present(low, text)
    if not rules:
        return []
    starts: set[tuple[int, int]] = set()
    if any(r.claim.kind == "date" for r in rules):
        last = -1
        plain = folds_like_lower(text)
        days = _WEEKDAYS_L.finditer(low) if plain else WEEKDAY_RE.finditer(text)
        hints = [*DATE_HINT_L.finditer(low), *days, *_relative_in(text, low, plain)]
        for m in sorted(hints, key=lambda m: m.start()):
            if m.start() < last:
                continue
            span = sentence_around(text, m.start())
            last = span[1]
            starts.add(span)
    for rule in rules:
        if rule.name_hint is None:
            continue
        last = -1
        for m in rule.name_hint.finditer(text):
            if m.start() < last:
                continue
            span = sentence_around(text, m.start())
            last = span[1]
            starts.add(span)
    out: list[Finding] = []
    taken: set[tuple[int, int]] = set()
    date_rules = [r for r in nd.rules if r.claim.kind == "date"]
    for s0, s1 in sorted(starts):
        stext = text[s0:s1]
        found = _in_sentence(vocab, rules, date_rules, text, stext, s0, s1, sentences,
                             published)
        for f in found:
            if (f.figure.start, f.figure.end) not in taken:
                taken.add((f.figure.start, f.figure.end))
                out.append(f)
    return out


def _in_sentence(vocab: Vocabulary, rules: list[_Rule], date_rules: list[_Rule], text: str,
                 stext: str, s0: int, s1: int, sentences: dict[int, SentenceFacts],
                 published: str | None) -> list[Finding]:
    out: list[Finding] = []
    has_date: bool | None = None
    sent: SentenceFacts | None = None
    st = _Sentence.of(stext)
    for rule in rules:
        c = rule.claim
        if c.kind == "name" and not (rule.name_hint and rule.name_hint.search(stext)):
            continue
        if c.kind == "date":
            if has_date is None:
                has_date = DATE_HINT_L.search(st.low) is not None or (
                    _WEEKDAYS_L.search(st.low) if st.plain else WEEKDAY_RE.search(stext)
                ) is not None or next(_relative_in(stext, st.low, st.plain), None) is not None
            if not has_date:
                continue
        if not rule.find(st):
            continue
        ex = vocab.excludes.get(c.id)
        if ex is not None and ex.search(stext):
            continue
        sent = sent or sentences.get(s0) or vocab.sentence(stext, s0)
        if not _subject_present(vocab, c, text, s0, stext, sent):
            continue
        if c.kind == "date" and c.counted == "people" and not (
                _PRONOUN.search(stext) or _people(stext) or any(
                    p in stext.lower() for p in vocab.people_aliases)):
            continue
        if c.kind == "date" and c.counted == "people" and _one_person(rule, st):
            continue  # "he arrived in Russia in November": one soldier's story, not the force's
        f = (_name(rule, text, st, s0, s1, sent) if c.kind == "name"
             else _date(rule, date_rules, text, st, s0, s1, sent, published))
        if f is not None:
            out.append(f)
    return out


# a singular person right before the trigger: "he arrived", "she had been sent"
_ONE_PERSON_BEFORE = re.compile(r"\b(?:he|she|il|elle)\s+(?:\w+ly\s+)?(?:had\s+|has\s+|was\s+|"
                                r"est\s+|a\s+)?(?:first\s+)?$", re.I)


def _one_person(rule: _Rule, st: _Sentence) -> bool:
    """The trigger's subject is one person ("he arrived"), where the claim is the force's."""
    tm = rule.find(st)
    return tm is not None and _ONE_PERSON_BEFORE.search(st.text, 0, tm.start()) is not None


_PEOPLE: re.Pattern[str] | None = None


def _people(stext: str) -> bool:
    global _PEOPLE
    if _PEOPLE is None:
        _PEOPLE = re.compile(rf"\b(?:{alt(lexicon().counted.get('people', ()))})\b")
    return bool(_PEOPLE.search(lower(stext)))
