"""The words reporters use, read from the package's data files (data/lexicon/*.toml).

All languages are merged into one lexicon: articles quote and name across languages, and
one pass over the text is cheaper than one per language. Patterns are compiled once per
process.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["LANGUAGES", "Lexicon", "alt", "alt_order", "lexicon", "trie", "word_start"]

LANGUAGES = ("en", "de", "es", "fr")


def alt(terms: Iterable[str]) -> str:
    """One alternation, longest first so that "killed or wounded" wins over "killed"."""
    uniq = alt_order(terms)
    return "|".join(uniq) if uniq else "(?!)"


def alt_order(terms: Iterable[str]) -> list[str]:
    """The branches of ``alt(terms)``, in its order."""
    return sorted(set(terms), key=len, reverse=True)


def _first(term: str) -> tuple[str, str]:
    """A pattern's first character as a pattern (an escape is two characters), and the rest."""
    n = 2 if term.startswith("\\") else 1
    return term[:n], term[n:]


def word_start(terms: Iterable[str]) -> str:
    """``\\b(?:alt(terms))`` written so that the regex engine can skip ahead.

    A pattern that opens with ``\\b`` is tried at every offset of the text; one whose
    branches each open with a plain character lets the engine jump to the offsets where
    one of those characters stands. So the boundary is checked just after the first
    character, by looking back over it: ``K(?<=\\bK)im`` matches where ``\\bKim`` does.
    Terms must open with one literal character (an escaped one counts).
    """
    uniq = alt_order(terms)
    if not uniq:
        return "(?!)"
    out = []
    for t in uniq:
        head, rest = _first(t)
        out.append(f"{head}(?<=\\b{head}){rest}")
    return "(?:" + "|".join(out) + ")"


def trie(words: Iterable[str]) -> str:
    """Literal words as one prefix-tree pattern: many times faster than a flat alternation
    of hundreds of aliases, because the engine no longer retries each one at each offset."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in set(words):
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return emit(root) if root else "(?!)"


@dataclass(frozen=True)
class Lexicon:
    events: dict[str, tuple[str, ...]]          # event name -> patterns, in match order
    event_groups: dict[str, frozenset[str]]     # claim event -> figure events it takes
    counted: dict[str, tuple[str, ...]]         # counted class -> patterns
    words: dict[str, tuple[str, ...]]

    @property
    def event_names(self) -> frozenset[str]:
        return frozenset(self.events) - {"other", "present"} | set(self.event_groups)

    @property
    def counted_names(self) -> frozenset[str]:
        return frozenset(self.counted) - {"groups", "compound"}

    def word_list(self, name: str) -> tuple[str, ...]:
        return self.words.get(name, ())

    def word_re(self, name: str, *, bounded: bool = True, flags: int = 0) -> re.Pattern[str]:
        """The word list ``name`` as one compiled alternation."""
        body = alt(self.word_list(name))
        return re.compile(rf"\b(?:{body})\b" if bounded else f"(?:{body})", flags)

    def group(self, event: str) -> frozenset[str]:
        return self.event_groups.get(event, frozenset((event,)))


def _merge(into: dict[str, list[str]], table: Any, where: str) -> None:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: must be a table")
    for k, v in table.items():
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ValueError(f"{where}.{k}: must be a list of strings")
        into.setdefault(k, []).extend(v)


@cache
def lexicon() -> Lexicon:
    """The merged lexicon of every language in LANGUAGES (English first: it sets order)."""
    events: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    counted: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    base = resources.files("watcher") / "data" / "lexicon"
    for lang in LANGUAGES:
        doc = tomllib.loads((base / f"{lang}.toml").read_text(encoding="utf-8"))
        _merge(events, doc.get("events", {}), f"{lang}.toml events")
        _merge(groups, doc.get("event_groups", {}), f"{lang}.toml event_groups")
        _merge(counted, doc.get("counted", {}), f"{lang}.toml counted")
        _merge(words, doc.get("words", {}), f"{lang}.toml words")
    for pats in (*events.values(), *counted.values(), *words.values()):
        for p in pats:
            re.compile(p)  # a broken data file fails at start, naming the pattern
    return Lexicon(
        {k: tuple(v) for k, v in events.items()},
        {k: frozenset(v) for k, v in groups.items()},
        {k: tuple(v) for k, v in counted.items()},
        {k: tuple(v) for k, v in words.items()},
    )
