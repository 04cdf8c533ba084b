"""Many word patterns over one sentence, with one pass over its words.

Python's regex engine tries a pattern that opens with ``\\b`` at every offset of a text,
and a sentence is read by a dozen such patterns (parties, events, dates, sources). Yet
each can only match where a word starts with one of a few letter pairs or triples. So
the words of a sentence are listed once, each word's first three characters say which
patterns could start there (remembered across sentences), and each pattern is then
tried only at those offsets, in order, as ``finditer`` and ``search`` would: the
matches are the same, found with a fraction of the engine's work.

The same reading of a pattern's starts lets a huge alternation (the lexicon's events) be
tried, at a given offset, with only the branches that can start there (Branches).
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["Branches", "Indexed", "Scan", "Scanner", "captures", "parsed", "starts"]

# The standard library's own regex parser (typeshed does not describe it).
_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

_N = 3
_MAX = 2000
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")

# (prefix, open): an open prefix is all the match has read so far, so it may grow
_Starts = set[tuple[str, bool]]


def _seq(items: list[tuple[Any, Any]]) -> _Starts | None:
    out: _Starts = {("", True)}
    for op, av in items:
        if not any(o and len(s) < _N for s, o in out):
            break
        if op is _c.AT or op is _c.ASSERT:
            continue
        if op is _c.ASSERT_NOT:
            if not av[1]:
                return set()  # (?!): this branch never matches
            continue
        subs: _Starts | None
        if op is _c.LITERAL:
            subs = {(chr(av), True)}
        elif op is _c.SUBPATTERN:
            subs = {("", False)} if av[1] & re.IGNORECASE else _seq(list(av[-1]))
        elif op is _c.BRANCH:
            subs = set()
            for b in av[1]:
                got = _seq(list(b))
                if got is None:
                    return None
                subs |= got
        elif op is _c.IN and len(av) <= 6 and all(o is _c.LITERAL for o, _a in av):
            subs = {(chr(a), True) for _o, a in av}
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _seq(list(av[2]))
            subs = None if inner is None else {(s, False) for s, _o in inner}
        else:
            subs = {("", False)}  # a class, a wildcard, an optional part: the start ends
        if subs is None:
            return None
        grown: _Starts = set()
        for s, o in out:
            if not o or len(s) >= _N:
                grown.add((s, False))
                continue
            for t, to in subs:
                u = s + t
                grown.add((u[:_N], to and len(u) < _N))
        out = grown
        if len(out) > _MAX:
            return None
    return out


@lru_cache(maxsize=4096)
def _parse(pattern: str) -> Any:
    return _p.parse(pattern)


def parsed(pattern: str) -> list[tuple[Any, Any]]:
    """The regex parser's reading of ``pattern`` (read, never changed, by the callers)."""
    return list(_parse(pattern))


def captures(pattern: str) -> int:
    """How many groups ``pattern`` captures."""
    return int(_parse(pattern).state.groups) - 1


def starts(pattern: str) -> frozenset[str] | None:
    """The strings (one to three characters) that every match of ``pattern`` starts with;
    None when some branch can start with anything. Case-sensitive: for patterns compiled
    without re.IGNORECASE."""
    got = _seq(parsed(pattern))
    if got is None or any(not s for s, _o in got):
        return None
    return frozenset(s for s, _o in got)


def _opens_at_word(items: list[tuple[Any, Any]]) -> bool:
    """Does every branch open with \\b or with a look-behind that refuses a word character?"""
    if not items:
        return False
    op, av = items[0]
    if op is _c.AT:
        return bool(av is _c.AT_BOUNDARY)
    if op is _c.ASSERT_NOT and av[0] == -1:
        inner = list(av[1])
        return len(inner) == 1 and inner[0][0] is _c.IN and any(
            o is _c.CATEGORY and a is _c.CATEGORY_WORD for o, a in inner[0][1])
    if op is _c.BRANCH:
        return all(_opens_at_word(list(b)) for b in av[1])
    if op is _c.SUBPATTERN and not av[1]:
        return _opens_at_word(list(av[-1]))
    return False


class Scanner:
    """The patterns one vocabulary reads every sentence with, and which words start them."""

    def __init__(self) -> None:
        self._stems: list[frozenset[str]] = []
        self._memo: dict[str, tuple[int, ...]] = {}

    def add(self, rx: re.Pattern[str], stems: frozenset[str] | None = None) -> Indexed:
        """A handle that finds what ``rx`` finds, trying it only where it can start.

        ``stems`` overrides the starts read from the pattern (a Prefiltered walk uses its
        own). A pattern whose matches may start inside a word, or whose starts cannot be
        read, is run as it is.
        """
        if stems is None and not rx.flags & re.IGNORECASE \
                and _opens_at_word(parsed(rx.pattern)):
            stems = starts(rx.pattern)
        if stems is None or not stems or not all(_WORD_CHAR.match(s) for s in stems):
            return Indexed(rx, None)
        self._stems.append(frozenset(_lower_stem(s) for s in stems))
        self._memo.clear()
        return Indexed(rx, len(self._stems) - 1)

    def _which(self, key: str) -> tuple[int, ...]:
        got = tuple(i for i, st in enumerate(self._stems)
                    if key in st or key[:2] in st or key[:1] in st)
        self._memo[key] = got
        return got

    def scan(self, low: str) -> Scan:
        """Where each pattern may match in ``low`` (a lower-cased text)."""
        cands: list[list[int]] = [[] for _ in self._stems]
        memo = self._memo
        for p in [m.start() for m in _WORD.finditer(low)]:
            key = low[p:p + _N]
            ids = memo.get(key)
            if ids is None:
                ids = self._which(key)
            for i in ids:
                cands[i].append(p)
        return Scan(low, cands)


def _lower_stem(s: str) -> str:
    # the words are read in lower case; a case-sensitive "Kim" starts at "kim"
    low = s.lower()
    return low if len(low) == len(s) else s


class Scan:
    """One text's candidate offsets, per pattern of its scanner."""

    __slots__ = ("cands", "low")

    def __init__(self, low: str, cands: list[list[int]]) -> None:
        self.low = low
        self.cands = cands


class Indexed:
    """A compiled pattern, tried at the offsets a Scan lists for it (or everywhere)."""

    __slots__ = ("id", "rx")

    def __init__(self, rx: re.Pattern[str], pid: int | None) -> None:
        self.rx = rx
        self.id = pid

    def offsets(self, scan: Scan | None) -> list[int] | None:
        """The offsets where a match may start, or None when any offset may."""
        return None if scan is None or self.id is None else scan.cands[self.id]

    def finditer(self, text: str, scan: Scan | None) -> Iterator[re.Match[str]]:
        """``rx.finditer(text)``; ``scan`` was made from lower(text)."""
        cands = self.offsets(scan)
        if cands is None:
            yield from self.rx.finditer(text)
            return
        match = self.rx.match
        pos = 0
        for p in cands:
            if p < pos:
                continue
            m = match(text, p)
            if m is not None:
                pos = m.end() if m.end() > p else p + 1
                yield m

    def search(self, text: str, scan: Scan | None, lo: int = 0,
               hi: int | None = None) -> re.Match[str] | None:
        """``rx.search(text, lo, hi)``; ``scan`` was made from lower(text)."""
        end = len(text) if hi is None else hi
        cands = self.offsets(scan)
        if cands is None:
            return self.rx.search(text, lo, end)
        match = self.rx.match
        for i in range(bisect_left(cands, lo), len(cands)):
            p = cands[i]
            if p > end:
                break
            m = match(text, p, end)
            if m is not None:
                return m
        return None


class Branches:
    """``(?:(?P<g1>b1|b2)|(?P<g2>b3))(?![\\w-])`` matched one branch at a time, in order,
    and only with the branches that can start where it is tried.

    The engine tries the branches of an alternation in order and takes the first that
    matches (what follows included), so each branch on its own, in the same order, finds
    the same match; and a branch whose every match opens with other letters than the
    text's cannot match there. Worth it for an alternation of hundreds of branches.
    """

    _TAIL = r"(?![\w-])"

    def __init__(self, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.branches = [(name, b) for name, bs in groups for b in bs]
        self._always: list[int] = []
        self._by_start: dict[str, list[int]] = {}
        for i, (_name, b) in enumerate(self.branches):
            st = starts(b)
            if st is None:
                self._always.append(i)
            else:
                for s in st:
                    self._by_start.setdefault(s, []).append(i)
        self._by_key: dict[str, tuple[int, ...]] = {}
        self._rx: dict[int, re.Pattern[str]] = {}

    @staticmethod
    def fits(body: str, groups: Sequence[tuple[str, Sequence[str]]]) -> bool:
        """The groups make up ``body``, and no branch captures a group of its own."""
        made = "|".join(f"(?P<{n}>{'|'.join(bs) or '(?!)'})" for n, bs in groups)
        return made == body and all(captures(b) == 0 for _n, bs in groups for b in bs)

    def _tried(self, key: str) -> tuple[int, ...]:
        got = set(self._always)
        for n in range(1, len(key) + 1):
            got.update(self._by_start.get(key[:n], ()))
        self._by_key[key] = out = tuple(sorted(got))
        return out

    def _compiled(self, i: int) -> re.Pattern[str]:
        name, b = self.branches[i]
        self._rx[i] = rx = re.compile(f"(?P<{name}>{b}){self._TAIL}")
        return rx

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        """What ``(?:body)(?![\\w-])`` matches at ``pos``."""
        key = text[pos:pos + _N]
        tried = self._by_key.get(key)
        if tried is None:
            tried = self._tried(key)
        for i in tried:
            rx = self._rx.get(i) or self._compiled(i)
            m = rx.match(text, pos)
            if m is not None:
                return m
        return None
