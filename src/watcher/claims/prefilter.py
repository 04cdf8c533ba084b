"""Fast candidate positions for a large alternation of patterns, and other shortcuts.

Python's regex engine tries every branch of a big alternation at every offset. Most
lexicon patterns start with a few fixed letters, so a prefix tree of those letters finds
the few offsets worth trying, and the full pattern is then matched only there
(Prefiltered; Presence asks several at once whether they occur at all).

A pattern searched in many small windows is skipped where the window lacks every word a
match needs (Guarded); an IGNORECASE pattern is searched as its plain twin in lower-cased
text, which the engine does several times faster (Caseless). Each finds exactly what the
plain regular expression finds.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from watcher.claims.lexicon import trie
from watcher.claims.scan import Branches, parsed
from watcher.claims.sentences import folds_like_lower, lower

__all__ = ["Caseless", "Guarded", "Prefiltered", "Presence", "lowered", "needs"]

# The standard library's own regex constants (typeshed does not describe them).
_c: Any = importlib.import_module("re._constants")

_MAX = 400


def _seq(items: list[tuple[Any, Any]], n: int) -> set[str] | None:
    """The literal prefixes (at most n letters) a parsed sequence can start with."""
    out = {""}
    for op, av in items:
        if all(len(p) >= n for p in out):
            break
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op is _c.LITERAL:
            subs: set[str] | None = {chr(av)}
        elif op is _c.SUBPATTERN:
            subs = _seq(list(av[-1]), n)
        elif op is _c.BRANCH:
            subs = set()
            for b in av[1]:
                r = _seq(list(b), n)
                if r is None:
                    return None
                subs |= r
        elif op is _c.IN:
            lits = [chr(a) for o, a in av if o is _c.LITERAL]
            if len(lits) != len(av) or len(lits) > 6:
                return out  # a wide class: the prefix ends here
            subs = set(lits)
        else:
            return out  # a repeat or anything else: the prefix ends here
        if subs is None:
            return None
        out = {(p + s)[:n] if len(p) < n else p for p in out for s in subs}
        if len(out) > _MAX:
            return None
    return out


def prefixes(pattern: str, n: int = 3) -> set[str] | None:
    """Every literal start of ``pattern``, or None when some branch has none to offer."""
    got = _seq(parsed(pattern), n)
    if got is None or any(len(p) < 2 for p in got):
        return None
    return got


class Prefiltered:
    """``\\b(?:body)(?![\\w-])`` over a text, tried only where a branch can start."""

    def __init__(self, body: str, branches: Iterable[str],
                 groups: Sequence[tuple[str, Sequence[str]]] | None = None) -> None:
        """``groups``, when given, are the named groups ``body`` is made of, in order
        (``(?P<name>b1|b2|...)|...``); a match is then tried with the branches that can
        start where it is tried, not with all of them (see Branches)."""
        self.stem_set: frozenset[str] = frozenset()
        self.full = re.compile(r"\b(?:" + body + r")(?![\w-])")
        self.at = re.compile(r"(?:" + body + r")(?![\w-])")
        self._by_start: Branches | None = Branches(groups) \
            if groups is not None and Branches.fits(body, groups) else None
        stems: set[str] = set()
        for b in branches:
            got = prefixes(b)
            if got is None:
                self.stems: re.Pattern[str] | None = None
                return
            stems |= got
        self.stem_set = frozenset(stems)
        self.stems = re.compile(r"\b(?:" + trie(stems) + ")")

    def finditer(self, text: str, offsets: list[int] | None = None
                 ) -> Iterator[re.Match[str]]:
        """The matches; ``offsets`` (every word start of ``text`` where one of the stems
        stands, from a Scan) spares the pass that looks for the stems."""
        if self.stems is None:
            yield from self.full.finditer(text)
            return
        end = -1
        at = self.match_at
        for p in self._walk(text, offsets):
            if p < end:
                continue
            m = at(text, p)
            if m is not None:
                end = m.end()
                yield m

    def match_at(self, text: str, pos: int) -> re.Match[str] | None:
        """``self.at.match(text, pos)``."""
        if self._by_start is None:
            return self.at.match(text, pos)
        return self._by_start.match(text, pos)

    def _walk(self, text: str, offsets: list[int] | None) -> Iterator[int]:
        """Where ``self.stems.finditer(text)`` matches (the stems do not overlap)."""
        if offsets is None:
            for s in self.stems.finditer(text):  # type: ignore[union-attr]
                yield s.start()
            return
        stems = self.stem_set
        nxt = 0
        for p in offsets:
            if p < nxt:
                continue
            nxt = p + (3 if text[p:p + 3] in stems else 2)  # the longest stem there
            yield p


class Presence:
    """Which of several Prefiltered patterns occur in a text at all, in one scan.

    Asking each pattern for its first match costs one pass over the text per pattern;
    here one pass finds every offset where any stem starts, and each pattern's own walk
    over its stems (the offsets its ``finditer`` would try) is replayed from that list, so
    the answers are the ones ``next(p.finditer(text))`` gives.
    """

    def __init__(self, scans: Sequence[Prefiltered]) -> None:
        self.scans = list(scans)
        self.walked = [p for p in self.scans if p.stems is not None]
        union = {s for p in self.walked for s in p.stem_set}
        self.starts = re.compile(r"\b(?=" + trie(union) + ")") if union else None
        # the first three letters at an offset -> (pattern, length of its stem there)
        self._memo: dict[str, tuple[tuple[int, int], ...]] = {}

    def _stems_at(self, key: str) -> tuple[tuple[int, int], ...]:
        got = []
        for i, p in enumerate(self.walked):
            if key in p.stem_set:  # the stem pattern takes the longest stem
                got.append((i, 3))
            elif key[:2] in p.stem_set:
                got.append((i, 2))
        self._memo[key] = out = tuple(got)
        return out

    def found(self, text: str) -> list[bool]:
        """For each pattern, in order: does ``text`` hold a match of it?"""
        got: dict[int, bool] = {}
        for p in self.scans:
            if p.stems is None:
                got[id(p)] = p.full.search(text) is not None
        walked = self.walked
        left = len(walked)
        done = [False] * left
        nxt = [0] * left
        if self.starts is not None and walked:
            memo = self._memo
            for m in self.starts.finditer(text):
                pos = m.start()
                key = text[pos:pos + 3]
                hits = memo.get(key)
                if hits is None:
                    hits = self._stems_at(key)
                for i, k in hits:
                    if pos < nxt[i]:
                        continue  # inside the stem its finditer took last
                    nxt[i] = pos + k
                    if not done[i] and walked[i].match_at(text, pos) is not None:
                        done[i] = True
                        got[id(walked[i])] = True
                        left -= 1
                if not left:
                    break
        return [got.get(id(p), False) for p in self.scans]


_Need = set[str] | None


def _better(a: _Need, b: _Need) -> _Need:
    """The more telling of two requirements: longer shortest word, then fewer words."""
    if a is None or not a:
        return b
    if b is None or not b:
        return a
    ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _need(items: list[tuple[Any, Any]]) -> _Need:
    best: _Need = None
    run = ""
    for op, av in items:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # nothing read: the letters on either side stand together
        if run:
            best = _better(best, {run})
            run = ""
        if op is _c.SUBPATTERN and not av[1] & re.IGNORECASE:
            best = _better(best, _need(list(av[-1])))
        elif op is _c.BRANCH:
            alts = [_need(list(b)) for b in av[1]]
            if all(a for a in alts):
                best = _better(best, set().union(*alts))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            best = _better(best, _need(list(av[2])))
    if run:
        best = _better(best, {run})
    return best


def needs(pattern: str, most: int = 12) -> frozenset[str] | None:
    """Literal strings one of which every match of ``pattern`` contains (case-sensitive),
    or None when there are none, or too many to be worth looking for."""
    got = _need(parsed(pattern))
    if not got:
        return None
    # a part of a needed word is needed too: spaces at the ends say little, and a word
    # that holds another is found whenever that one is, so the shorter one is enough
    got = {w.strip() if len(w.strip()) >= 2 else w for w in got}
    least = {w for w in got if not any(v != w and v in w for v in got)}
    return frozenset(least) if len(least) <= most else None


# what a pattern's letters may not be lower-cased in: an escape ("\\S", "\\N{...}"), a
# group's name ("(?P<Name>", "(?P=Name)") or inline flags ("(?aiL)")
_KEEP_CASE = re.compile(r"\\N\{[^}]*\}|\\.|\(\?P<[^>]*>|\(\?P=[^)]*\)|\(\?[a-zA-Z-]+[:)]", re.S)

_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")
_RANGE = re.compile(r"([^\\])-([^\]])")


def lowered(pattern: str) -> str | None:
    """``pattern`` with its letters lower-cased: what an IGNORECASE pattern becomes to be
    searched in lower-cased text (a user's "POWs" or a lexicon's "Abzug"). None when a
    letter would not lower-case to one letter, which the engine would fold otherwise."""
    out: list[str] = []
    pos = 0
    for m in _KEEP_CASE.finditer(pattern):
        out.append(pattern[pos:m.start()].lower())
        out.append(m.group(0))
        pos = m.end()
    out.append(pattern[pos:].lower())
    low = "".join(out)
    if len(low) != len(pattern) or not folds_like_lower(pattern) or any(
            a.isupper() != b.isupper() for cls in _CLASS.findall(pattern)
            for a, b in _RANGE.findall(cls)):
        return None  # "[A-z]" takes signs between the cases, "[a-z]" does not
    return low


class Guarded:
    """A pattern searched only in windows that hold one of the words it needs."""

    __slots__ = ("needs", "rx", "words")

    _FEW = 6  # up to this many words are looked for one by one, more with one pattern

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.needs = None if rx.flags & re.IGNORECASE else needs(rx.pattern, 200)
        self.words = re.compile(trie(self.needs)) \
            if self.needs is not None and len(self.needs) > self._FEW else None

    def may(self, text: str) -> bool:
        """Does ``text`` hold one of the words a match needs (or are there none to name)?"""
        return self._may(text, 0, len(text))

    def _may(self, text: str, lo: int, hi: int) -> bool:
        if self.needs is None:
            return True
        if self.words is not None:
            return self.words.search(text, lo, hi) is not None
        return any(text.find(w, lo, hi) >= 0 for w in self.needs)

    def search(self, text: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
        """``rx.search(text, lo, hi)``."""
        end = len(text) if hi is None else hi
        return self.rx.search(text, lo, end) if self._may(text, lo, end) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``rx.finditer(text)``."""
        return self.rx.finditer(text) if self._may(text, 0, len(text)) else iter(())


class Caseless:
    """An IGNORECASE pattern, searched as its twin without the flag in the lower-cased
    text whenever that finds the same (see folds_like_lower): several times faster.
    Offsets are the text's; only truth values and offsets should be read."""

    __slots__ = ("rx", "twin")

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        p = lowered(rx.pattern) if rx.flags & re.IGNORECASE else None
        self.twin = re.compile(p, rx.flags & ~re.IGNORECASE) if p is not None else None

    def search(self, text: str) -> re.Match[str] | None:
        if self.twin is not None and folds_like_lower(text):
            return self.twin.search(lower(text))
        return self.rx.search(text)
