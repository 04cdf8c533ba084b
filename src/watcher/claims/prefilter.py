"""Fast candidate positions for a large alternation of patterns.

Python's regex engine tries every branch of a big alternation at every offset. Most
lexicon patterns start with a few fixed letters, so a prefix tree of those letters finds
the few offsets worth trying, and the full pattern is then matched only there.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from watcher.claims.lexicon import trie

__all__ = ["Prefiltered"]

# The standard library's own regex parser (typeshed does not describe it).
_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

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
    got = _seq(list(_p.parse(pattern)), n)
    if got is None or any(len(p) < 2 for p in got):
        return None
    return got


class Prefiltered:
    """``\\b(?:body)(?![\\w-])`` over a text, tried only where a branch can start."""

    def __init__(self, body: str, branches: Iterable[str]) -> None:
        self.full = re.compile(r"\b(?:" + body + r")(?![\w-])")
        self.at = re.compile(r"(?:" + body + r")(?![\w-])")
        stems: set[str] = set()
        for b in branches:
            got = prefixes(b)
            if got is None:
                self.stems: re.Pattern[str] | None = None
                return
            stems |= got
        self.stems = re.compile(r"\b(?:" + trie(stems) + ")")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.stems is None:
            yield from self.full.finditer(text)
            return
        end = -1
        for s in self.stems.finditer(text):
            if s.start() < end:
                continue
            m = self.at.match(text, s.start())
            if m is not None:
                end = m.end()
                yield m
