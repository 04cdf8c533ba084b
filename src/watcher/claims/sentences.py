"""Sentence bounds and offset-preserving lower-casing.

Figures carry their sentence from the extractor; this module finds the sentence around a
trigger word (name and date claims) and the sentence before one (a subject named there).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from watcher.figures.sentences import day_before_month

__all__ = ["folds_like_lower", "lower", "prev_sentence", "sentence_around"]

# "[.!?]+ ... | \n ...", each branch opening with one character so that the engine jumps
# from one candidate character to the next instead of trying every offset
_NEXT = r"[.!?]*[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])"
_SENT_END = re.compile(rf"\.{_NEXT}|!{_NEXT}|\?{_NEXT}|\n\s*\n|\n(?=\S)")


def lower(text: str) -> str:
    """Lower-case with offsets kept (a few characters grow when lower-cased)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# The characters that re.IGNORECASE takes for a Latin letter while lower() does not turn
# them into it (dotted and dotless i, long s), and the one letter str.lower() writes in
# two ways depending on what follows it (capital sigma).
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f", "\u03a3")


def folds_like_lower(text: str) -> bool:
    """Is lower(text) a faithful lower-case copy of ``text`` for Latin-letter patterns?

    When it is, a pattern written in lower case finds in lower(text) exactly what the same
    pattern with re.IGNORECASE finds in ``text``, and lower() of any part of ``text`` is
    the same part of lower(text). Only a few rare letters break this."""
    return not any(c in text for c in _ODD_FOLDS)


_ABBREV = frozenset((
    "lt", "gen", "col", "maj", "brig", "sgt", "capt", "adm", "cmdr", "mr", "mrs", "ms", "dr",
    "st", "u.s", "u.n", "u.k", "no", "n", "s", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "gov", "sen", "rep", "vs", "approx", "e.g", "i.e",
))
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.+\s*$")


class _Ends:
    """Every sentence end of one text, found once: (start, end, end of the terminator)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.stops: list[int] = []
        for m in _SENT_END.finditer(text):
            if text[m.start()] == ".":
                w = _WORD_BEFORE_DOT.search(text, max(0, m.start() - 12), m.start() + 1)
                if w and w.group(1).lower() in _ABBREV:
                    continue  # "Lt. Gen.", "U.S."
                if day_before_month(text, 0, m.start() + 1, m.end()):
                    continue  # "am 17. Juni"
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.stops.append(m.start() + len(m.group(0).rstrip()))

    def last_before(self, lo: int, hi: int) -> int | None:
        """The end offset of the last sentence end lying inside text[lo:hi]."""
        i = bisect_right(self.ends, hi) - 1
        return self.ends[i] if i >= 0 and self.starts[i] >= lo else None

    def first_after(self, lo: int, hi: int) -> int | None:
        """Where the first sentence inside text[lo:hi] stops (its terminator included)."""
        i = bisect_left(self.starts, lo)
        return self.stops[i] if i < len(self.starts) and self.ends[i] <= hi else None


_LAST: _Ends | None = None


def _ends(text: str) -> _Ends:
    """The ends of ``text``; the last text's are kept, since one analysis asks many times."""
    global _LAST
    cached = _LAST
    if cached is not None and cached.text is text:
        return cached
    _LAST = cached = _Ends(text)
    return cached


def prev_sentence(text: str, start: int) -> tuple[str, int]:
    """The sentence before the one starting at ``start``, and its offset."""
    i = start - 1
    while i > 0 and text[i] in " \t\r\n":
        i -= 1
    lo = max(0, i - 600)
    end = _ends(text).last_before(lo, i)
    s = end if end is not None else lo
    return text[s:i + 1], s


def sentence_around(text: str, pos: int) -> tuple[int, int]:
    """The bounds of the sentence holding offset ``pos``."""
    lo = max(0, pos - 600)
    ends = _ends(text)
    end = ends.last_before(lo, pos)
    s = end if end is not None else lo
    hi = min(len(text), pos + 600)
    stop = ends.first_after(pos, hi)
    return s, stop if stop is not None else hi
