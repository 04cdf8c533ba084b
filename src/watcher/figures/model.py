"""The Figure record and the names of its kinds and qualifiers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("number", "percent", "share", "money", "measure", "date", "ordinal")
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
SCORABLE_KINDS = ("number", "percent", "share", "money")


@dataclass(frozen=True, slots=True, init=False)
class Figure:
    """One figure as written in a text.

    Conventions: an exact or approximate figure has low == high == value; "more than
    3,000" has low=3000, high=None; "up to 200" has high=200, low=None; a range has low
    and high and value=None. Shares and percents are in percent (a third = 33.3).
    """

    text: str              # as written, e.g. "more than 3,000"
    start: int             # character span in the input text: text == source[start:end]
    end: int
    kind: str              # one of KINDS
    value: float | None
    low: float | None
    high: float | None
    qualifier: str         # one of QUALIFIERS
    change: str | None     # "up", "down" or None
    unit: str | None       # what is counted: "troops", "soldiers killed or wounded", ...
    sentence: str          # the sentence the figure stands in
    sentence_start: int    # span of that sentence in the input text
    sentence_end: int
    delta: bool = False    # True when the figure is an amount of change ("rose by 1,000")
    norm: str | None = None  # normalised dates ("2025-03-22"); None for other kinds

    def __init__(self, text: str, start: int, end: int, kind: str, value: float | None,
                 low: float | None, high: float | None, qualifier: str, change: str | None,
                 unit: str | None, sentence: str, sentence_start: int, sentence_end: int,
                 delta: bool = False, norm: str | None = None) -> None:
        # The generated __init__ of a frozen dataclass calls object.__setattr__ once per
        # field; the slots' own setters do the same in half the time (a text yields a
        # figure every 60 characters or so).
        _SET[0](self, text)
        _SET[1](self, start)
        _SET[2](self, end)
        _SET[3](self, kind)
        _SET[4](self, value)
        _SET[5](self, low)
        _SET[6](self, high)
        _SET[7](self, qualifier)
        _SET[8](self, change)
        _SET[9](self, unit)
        _SET[10](self, sentence)
        _SET[11](self, sentence_start)
        _SET[12](self, sentence_end)
        _SET[13](self, delta)
        _SET[14](self, norm)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SET: tuple[Callable[[Figure, Any], None], ...] = tuple(
    Figure.__dict__[name].__set__ for name in Figure.__slots__)
