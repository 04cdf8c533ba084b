"""Sentence bounds and offset-preserving lower-casing.

Figures carry their sentence from the extractor; this module finds the sentence around a
trigger word (name and date claims) and the sentence before one (a subject named there).
"""

from __future__ import annotations

import re

__all__ = ["lower", "prev_sentence", "sentence_around"]

_SENT_END = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\S)")


def lower(text: str) -> str:
    """Lower-case with offsets kept (a few characters grow when lower-cased)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)



_ABBREV = frozenset((
    "lt", "gen", "col", "maj", "brig", "sgt", "capt", "adm", "cmdr", "mr", "mrs", "ms", "dr",
    "st", "u.s", "u.n", "u.k", "no", "n", "s", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "gov", "sen", "rep", "vs", "approx", "e.g", "i.e",
))
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.+\s*$")


def _sent_ends(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Sentence ends in text[lo:hi], skipping "Lt. Gen." and "U.S." style abbreviations."""
    out = []
    for m in _SENT_END.finditer(text, lo, hi):
        if text[m.start()] == ".":
            w = _WORD_BEFORE_DOT.search(text, max(0, m.start() - 12), m.start() + 1)
            if w and w.group(1).lower() in _ABBREV:
                continue
        out.append(m)
    return out


def prev_sentence(text: str, start: int) -> tuple[str, int]:
    i = start - 1
    while i > 0 and text[i] in " \t\r\n":
        i -= 1
    lo = max(0, i - 600)
    ends = _sent_ends(text, lo, i)
    s = ends[-1].end() if ends else lo
    return text[s:i + 1], s


def sentence_around(text: str, pos: int) -> tuple[int, int]:
    lo = max(0, pos - 600)
    ends = _sent_ends(text, lo, pos)
    s = ends[-1].end() if ends else lo
    nxt = _sent_ends(text, pos, min(len(text), pos + 600))
    e = nxt[0].start() + len(nxt[0].group(0).rstrip()) if nxt else min(len(text), pos + 600)
    return s, e

