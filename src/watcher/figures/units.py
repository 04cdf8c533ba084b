"""What a figure counts: the noun phrase after it ("3,000 troops"), or the noun before it
("a force of 12,000", "the toll rose to 3,000")."""

from __future__ import annotations

import re

from watcher.figures.grammar import Grammar
from watcher.figures.lexicon import wordset

_OF_DET = re.compile(r"\s+of\s+(?:(?:the|its|their|his|her|our|all|these|those|this|that)\s+)?",
                     re.IGNORECASE)
# letters of the Latin and Cyrillic scripts (one class: much faster than [^\W\d_] plus
# an alternation for the apostrophe)
_L = "A-Za-zÀ-ÖØ-öø-ÿĀ-žЀ-ӿ"
_UNIT_TOKEN = re.compile(
    "[ \t]*(?:-[ \t]*)?([" + _L + "][" + _L + "'’]{0,40}(?:-[" + _L + "0-9]{1,20}){0,4})")
_BACK_NOUN_SIMPLE = re.compile(
    r"(?:\b(?P<m>[A-Za-z]+(?:['’]s)?)\s+)?\b(?P<n>[A-Za-z]+),?\s+(?:has\s+|had\s+|have\s+|was\s+"
    r"|were\s+|is\s+|are\s+|now\s+)?(?:of|numbering|numbered|totall?ing|totall?ed|totals?"
    r"|count(?:ed)?|reached|reaching|reaches|stood\s+at|stands\s+at|put\s+at|estimated\s+at"
    r"|rose\s+to|risen\s+to|climbed\s+to|increased\s+to|grew\s+to|jumped\s+to|fell\s+to"
    r"|dropped\s+to|surpassed|exceeded|topped|passed|hit)\s+\Z",
)
_BACK_LAST = wordset(
    "of numbering numbered totalling totaling totalled totaled total totals count counted "
    "reached reaching reaches at to surpassed exceeded topped passed hit"
)
_BACK_NOUN_BRING = re.compile(
    r"\b(?:bringing|brings|brought|taking|takes|took|pushing|pushed|putting|puts|raising"
    r"|raised|lifting|lifted)\s+(?:the\s+|its\s+|their\s+)?(?:(?P<m>[a-z]+)\s+)??"
    r"(?P<n>[a-z]+)\s+(?:to|at)\s+\Z"
)
_LEADING_SKIP = frozenset(("more", "additional", "extra", "other", "new"))
_PEOPLE = frozenset(("people", "men", "women", "children", "police", "personnel", "staff",
                     "troops"))


def _fmt_unit(words: list[str]) -> str | None:
    if not words:
        return None
    return " ".join(w.lower().replace("’", "'") for w in words)


def forward_unit(text: str, pos: int, limit: int, g: Grammar) -> str | None:
    """The noun phrase after a figure: adjectives and head noun, determiners dropped."""
    words: list[str] = []
    stop = g.unit_stop
    caps = g.lx.capitalised_nouns
    om = _OF_DET.match(text, pos, limit)
    if om is not None:
        pos = om.end()
    ahead: re.Match[str] | None = None     # the token at pos, when already read
    have_ahead = False
    for _ in range(2 if g.lx.unit_skip else 0):
        tm = _UNIT_TOKEN.match(text, pos, limit)
        if tm is None or tm.group(1).lower() not in g.lx.unit_skip:
            ahead, have_ahead = tm, True
            break
        pos = tm.end()              # "miles de personas", "zwei Drittel der Soldaten"
    last_ed = False
    lowercase_seen = False
    for _ in range(6):
        if have_ahead:
            tm, have_ahead = ahead, False
        else:
            tm = _UNIT_TOKEN.match(text, pos, limit)
        if tm is None:
            break
        w = tm.group(1)
        wl = w.lower()
        if wl in ("or", "and") and last_ed and words:
            nm = _UNIT_TOKEN.match(text, tm.end(), limit)
            if nm is not None and nm.group(1).lower().endswith("ed"):
                words += [wl, nm.group(1)]
                pos = nm.end()
                continue
            break
        if wl in stop:
            if not words and wl in _LEADING_SKIP:
                pos = tm.end()
                continue
            break
        is_cap = w[0].isupper()
        if words and is_cap and lowercase_seen and not caps:
            break
        if caps and words and not is_cap and words[-1][0].isupper():
            break                   # "Menschen flohen": a noun, then its verb
        ends_verbish = wl.endswith(("ed", "ing")) and len(wl) > 3
        if words and ends_verbish and not last_ed:
            break
        if words and not is_cap and is_plural(words[-1]) and not last_ed:
            break  # "factories work", "troops remain": a plural head ends the phrase
        words.append(w)
        last_ed = ends_verbish
        lowercase_seen = lowercase_seen or not is_cap
        pos = tm.end()
        if len(words) >= 5:
            break
    if not caps and words and all(x[0].isupper() for x in words if x not in ("or", "and")) \
            and not (words[-1].endswith("s") and len(words[-1]) > 3):
        # "3,000 Monday" or "40 Marseille" are not units; "South African" alone is an
        # adjective
        return None
    return _fmt_unit(words)


def is_plural(word: str) -> bool:
    w = word.lower()
    if w.endswith(("'s", "’s")):
        return False
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics"))) \
        or w in _PEOPLE


def back_unit(text: str, start: int, sent_start: int, g: Grammar) -> str | None:
    """The noun before a figure: "a force of 12,000", "bringing the toll to 4,000"."""
    a = max(sent_start, start - 80)
    window = text[a:start]
    tail = window.rstrip()
    if not tail or tail.rsplit(None, 1)[-1].lower() not in _BACK_LAST:
        return None
    bm = _BACK_NOUN_SIMPLE.search(window)
    if bm is None:
        bm = _BACK_NOUN_BRING.search(window)
    if bm is None:
        return None
    if bm.group("n")[0].isupper():
        return None  # "casualties in Lyon have surpassed 4,000": a place, not a unit
    n = bm.group("n").lower()
    stop = g.lx.unit_stop
    if n in stop or n in g.numwords_stop or n in ("total", "sum", "figure", "number"):
        return None
    m = (bm.group("m") or "").lower()
    if m and m not in stop and m not in g.numwords_stop and not m.endswith("ed"):
        return f"{m} {n}"
    return n
