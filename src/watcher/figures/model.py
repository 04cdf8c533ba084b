"""The Figure record and the names of its kinds and qualifiers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("number", "percent", "share", "money", "measure", "date", "ordinal")
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
SCORABLE_KINDS = ("number", "percent", "share", "money")


@dataclass(frozen=True, slots=True)
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
