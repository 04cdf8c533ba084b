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
# A calibre between a count and what it counts ("3 million 152mm shells", "12 Millionen
# 152-mm-Granaten"): the noun after it is the unit. (A calibre after the noun, "obus de
# 122 mm", is a measure of its own and needs no skipping.)
_CALIBRE = re.compile(r"[ \t]+\d{2,3}(?:[.,]\d{1,2})?[ \t]?-?[ \t]?(?i:mm|millimet(?:er|re)s?)"
                      r"(?:-(?=\w)|\b)")
_LEADING_SKIP = frozenset(("more", "additional", "extra", "other", "new"))
_PEOPLE = frozenset(("people", "men", "women", "children", "police", "personnel", "staff",
                     "troops"))
_AND_OR = ("or", "and")
_VERBISH = ("ed", "ing")
_POSSESSIVE = ("'s", "’s")
_NOT_PLURAL = ("ss", "us", "is", "ics")


def forward_unit(text: str, pos: int, limit: int, g: Grammar) -> str | None:
    """The noun phrase after a figure: adjectives and head noun, determiners dropped."""
    words: list[str] = []
    stop = g.unit_stop
    caps = g.lx.capitalised_nouns
    token = _UNIT_TOKEN.match
    om = _OF_DET.match(text, pos, limit)
    if om is not None:
        pos = om.end()
    elif (cm := _CALIBRE.match(text, pos, limit)) is not None:
        pos = cm.end()
    ahead: re.Match[str] | None = None     # the token at pos, when already read
    have_ahead = False
    for _ in range(2 if g.lx.unit_skip else 0):
        tm = token(text, pos, limit)
        if tm is None or tm.group(1).lower() not in g.lx.unit_skip:
            ahead, have_ahead = tm, True
            break
        pos = tm.end()              # "miles de personas", "zwei Drittel der Soldaten"
    last_ed = False
    last_plural = False             # the last word taken is a plural noun
    lowercase_seen = False
    all_capitalised = True          # so is every word taken ("or" and "and" aside)
    for _ in range(6):
        if have_ahead:
            tm, have_ahead = ahead, False
        else:
            tm = token(text, pos, limit)
        if tm is None:
            break
        w = tm.group(1)
        wl = w.lower()
        if wl in _AND_OR and last_ed and words:
            nm = token(text, tm.end(), limit)
            if nm is not None and nm.group(1).lower().endswith("ed"):
                nw = nm.group(1)
                words += [wl, nw]
                last_plural = is_plural(nw)
                all_capitalised = all_capitalised and nw[0].isupper()
                pos = nm.end()
                continue
            break
        if wl in stop:
            if not words and wl in _LEADING_SKIP:
                pos = tm.end()
                continue
            break
        is_cap = w[0].isupper()
        if words:
            if is_cap and lowercase_seen and not caps:
                break
            if caps and not is_cap and words[-1][0].isupper():
                break               # "Menschen flohen": a noun, then its verb
            if not last_ed and (
                    (len(wl) > 3 and wl.endswith(_VERBISH)) or (not is_cap and last_plural)):
                break   # a verb, or a plural head ("factories work", "troops remain")
        ends_verbish = len(wl) > 3 and wl.endswith(_VERBISH)
        words.append(w)
        last_ed = ends_verbish
        last_plural = _plural(wl)
        lowercase_seen = lowercase_seen or not is_cap
        all_capitalised = all_capitalised and is_cap
        pos = tm.end()
        if len(words) >= 5:
            break
    if not words:
        return None
    if not caps and all_capitalised and not (words[-1].endswith("s") and len(words[-1]) > 3):
        # "3,000 Monday" or "40 Marseille" are not units; "South African" alone is an
        # adjective
        return None
    return " ".join(words).lower().replace("’", "'")


def _back_own(text: str, start: int, sent_start: int, g: Grammar,
              pattern: re.Pattern[str]) -> str | None:
    """The noun before a figure in the text's own language: "des victimes estimées à
    4 000", "el número de muertos en 600", "die Zahl der Toten stieg auf 600". Only a
    plural (or, in German, a capitalised noun) counts: a verb may stand before "en" too."""
    window = text[max(sent_start, start - 60):start]
    tail = window.rstrip()
    if not tail or tail.rsplit(None, 1)[-1].lower() not in g.lx.back_joins:
        return None
    head = window.rsplit(None, 4)          # noun, verb (maybe two words), join
    bm = pattern.search(window, len(head[0]) if len(head) == 5 else 0)
    if bm is None:
        return None
    n = bm.group("n")
    nl = n.lower()
    if g.lx.capitalised_nouns:
        if not n[0].isupper():
            return None
    elif not n[0].islower() or not _plural(nl):
        return None
    if nl in g.unit_stop or nl in g.lx.back_not:
        return None
    return nl


def is_plural(word: str) -> bool:
    return _plural(word.lower())


def _plural(w: str) -> bool:
    """is_plural of a word already lowercased."""
    if w.endswith(_POSSESSIVE):
        return False
    return (len(w) > 3 and w.endswith("s") and not w.endswith(_NOT_PLURAL)) or w in _PEOPLE


def back_unit(text: str, start: int, sent_start: int, g: Grammar) -> str | None:
    """The noun before a figure: "a force of 12,000", "bringing the toll to 4,000"."""
    if g.back_noun is not None:
        own = _back_own(text, start, sent_start, g, g.back_noun)
        if own is not None:
            return own
    a = max(sent_start, start - 80)
    window = text[a:start]
    tail = window.rstrip()
    if not tail or tail.rsplit(None, 1)[-1].lower() not in _BACK_LAST:
        return None
    # Both patterns end the window and span at most five of its words: they are searched
    # for from the sixth word from the end, not tried at every word of a long window.
    head = window.rsplit(None, 6)
    pos = len(head[0]) if len(head) == 7 else 0
    bm = _BACK_NOUN_SIMPLE.search(window, pos)
    if bm is None:
        bm = _BACK_NOUN_BRING.search(window, pos)
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
