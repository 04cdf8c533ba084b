"""One compiled object per input object, kept while that object lives.

Baselines are frozen dataclasses: hashing every claim on each call to analyze() costs
more than the analysis of a short text, so compiled vocabularies are keyed by identity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ByIdentity"]

K = TypeVar("K")
V = TypeVar("V")


class ByIdentity(Generic[K, V]):
    """``build(key)`` at most once per live key object (a few keys at a time)."""

    def __init__(self, build: Callable[[K], V], size: int = 16) -> None:
        self.build = build
        self.size = size
        self._items: dict[int, tuple[K, V]] = {}

    def __call__(self, key: K) -> V:
        hit = self._items.get(id(key))
        if hit is not None and hit[0] is key:
            return hit[1]
        if len(self._items) > self.size:
            self._items.clear()
        value = self.build(key)
        self._items[id(key)] = (key, value)
        return value
