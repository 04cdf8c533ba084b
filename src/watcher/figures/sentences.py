"""Sentence spans, shared with the claim matcher."""

from __future__ import annotations

import bisect
import re

from watcher.figures.dates import FOREIGN_MONTHS, MONTHS
from watcher.figures.lexicon import trie_regex, wordset

_BOUNDARY = (
    r"[.!?\n](?:(?<=\n)\s*|(?<=[.!?])(?P<q>[\"'”’)\]]*)[ \t]+(?=[\"'“‘(\[]?[A-Z0-9]))")
_SENT_BOUNDARY = re.compile(_BOUNDARY)
# scraped text that lost the space: "was exaggerated.The next day" (few texts have one,
# and the longer pattern is read only for those)
_GLUED = re.compile(r"[.!?](?<=[a-zß-ÿ]{2}[.!?])(?=[A-ZÀ-Þ][a-zß-ÿ])")
_SENT_BOUNDARY_GLUED = re.compile(
    _BOUNDARY + r"|[.!?](?<=[a-zß-ÿ]{2}[.!?])(?=[A-ZÀ-Þ][a-zß-ÿ])")
_ABBREV = wordset(
    "mr mrs ms dr prof st gen lt col maj capt cpt sgt cpl pvt adm cmdr brig rep sen gov pres "
    "jr sr rev fr jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc approx e.g "
    "i.e cf al fig inc corp ltd co mt ft est ca gov't dept univ vol pp op messrs u.s u.k u.n "
    "e.u a.m p.m"
)
# "vom 15. Juni": a day's full stop before a month name ends no sentence
_DAY_STOP = re.compile(r"(?<![\d.,])\d{1,2}\.$")
_MONTH_NEXT = re.compile(
    trie_regex({m.capitalize() for m in (*FOREIGN_MONTHS, *(m for m in MONTHS if len(m) > 3))})
    + r"\b")
_CLOSERS = "\"'”’)]"
_WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.'"


def day_before_month(text: str, lo: int, cut: int, nxt: int) -> bool:
    """The full stop ending ``text[lo:cut]`` follows a day's number and a month name
    opens ``text[nxt:]`` ("vom 15. Juni"): a German date, no sentence end."""
    return _DAY_STOP.search(text, max(lo, cut - 4), cut) is not None \
        and _MONTH_NEXT.match(text, nxt) is not None


def _last_word(text: str, lo: int, cut: int) -> str | None:
    """The word before the full stop that ends ``text[lo:cut]`` (closing quotes and
    brackets may follow it): "Gen" in "Gen.", "U.S" in "U.S.\"", None if there is none.
    (The word: the letters, dots and apostrophes before the stop, from the first letter.)"""
    head = text[lo:cut].rstrip(_CLOSERS)
    if not head.endswith("."):
        return None
    head = head[:-1]
    return head[len(head.rstrip(_WORD_CHARS)):].lstrip(".'") or None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end), whitespace trimmed; shared with the claim matcher.

    Splits at . ! ? followed by space and a capital or digit, and at line breaks; keeps
    abbreviations ("U.S.", "Gen.", "Jan. 5", "No. 3"), decimals and "3.000" together.
    """
    spans: list[tuple[int, int]] = []
    if not isinstance(text, str) or not text:
        return spans
    start = 0
    boundary = _SENT_BOUNDARY_GLUED if _GLUED.search(text) else _SENT_BOUNDARY
    for m in boundary.finditer(text):
        cut = m.start()
        if text[cut] != "\n":
            cut = m.end("q") if m.group("q") is not None else m.end()
            if day_before_month(text, start, cut, m.end()):
                continue
            lw = _last_word(text, max(start, cut - 30), cut)
            if lw is not None:
                word = lw.lower()
                if word in _ABBREV or (len(word) == 1 and word.isalpha()) or (
                    "." in word and len(word) <= 6
                ):
                    continue
        _add_span(text, start, cut, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


class Sentences:
    """The sentence around a position; one string per sentence, shared by its figures (a
    fresh slice per figure made one huge unpunctuated text quadratic). Positions are
    mostly asked in order, so the last sentence found is tried first."""

    __slots__ = ("_last", "_spans", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans = split_sentences(text)
        self._starts = [a for a, _ in self._spans]
        self._last: tuple[str, int, int] = ("", 0, 0)

    def around(self, pos: int) -> tuple[str, int, int]:
        last = self._last
        if last[1] <= pos < last[2]:
            return last
        i = bisect.bisect_right(self._starts, pos) - 1
        if 0 <= i < len(self._spans):
            a, b = self._spans[i]
            if a <= pos < b:
                self._last = (self._text[a:b], a, b)
                return self._last
        return "", pos, pos
