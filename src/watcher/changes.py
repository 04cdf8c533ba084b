"""Comparing a new figure with what was known: pure functions, no storage.

Figures are compared as intervals, because reporting rarely gives a point: "more than
3,000" is [3000, inf), "as many as 4,000" is [0, 4000], "10,000-12,000" is
[10000, 12000], and "about" widens a figure by 10%. Two figures that can both be true (the
intervals overlap) confirm each other; otherwise the new one is higher or lower. One
exception: a floor that rises ("more than 3,000" -> "more than 4,000") is "higher" and a
ceiling that drops is "lower", though the old and new intervals overlap.

Names compare by normalised spelling ("Kim Yong-bok" == "Kim Yong Bok"): a different name
is "changed". Dates compare as ISO prefixes, so "2025-03" confirms "2025-03-22" and
"2025-03-21" is "lower" (earlier) than "2025-03-22"; later is "higher".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from watcher.claims import Claim, Finding

__all__ = ["STATUSES", "Value", "classify", "delta", "describe"]

STATUSES = ("new", "confirmed", "higher", "lower", "restated", "changed")

# A stated value has some slack: "about 2,000" and 2,100 are the same report.
_APPROX_SLACK = 0.10
_EXACT_SLACK = 0.005


@dataclass(frozen=True, slots=True)
class Value:
    """A figure reduced to what comparison needs."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    value_text: str | None = None

    @classmethod
    def from_claim(cls, claim: Claim) -> Value | None:
        """The claim's baseline value, or None for a claim the seeds give no figure for."""
        if not claim.has_value:
            return None
        return cls(claim.value, claim.low, claim.high, claim.qualifier, claim.value_text)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], prefix: str = "") -> Value | None:
        """A value stored in a row (``prev_`` columns with ``prefix``); None when empty."""
        v = cls(row.get(prefix + "value"), row.get(prefix + "low"), row.get(prefix + "high"),
                row.get(prefix + "qualifier") or "exact", row.get(prefix + "value_text"))
        if v.value is None and v.low is None and v.high is None and v.value_text is None:
            return None
        return v

    @classmethod
    def from_finding(cls, f: Finding) -> Value:
        fig = f.figure
        return cls(fig.value, fig.low, fig.high, fig.qualifier, f.value_text)

    @property
    def is_text(self) -> bool:
        return self.value_text is not None and self.value is None and self.low is None \
            and self.high is None

    def interval(self) -> tuple[float, float]:
        """The values this figure allows, with slack for approximate figures."""
        v = self.value
        lo = self.low if self.low is not None else (v if self.high is None else None)
        hi = self.high if self.high is not None else (v if self.low is None else None)
        if self.qualifier in ("more_than", "at_least"):
            hi = None
        if self.qualifier in ("less_than", "at_most"):
            lo = None
        slack = _APPROX_SLACK if self.qualifier == "approx" else _EXACT_SLACK
        lo_f = -math.inf if lo is None else lo * (1 - slack)
        hi_f = math.inf if hi is None else hi * (1 + slack)
        if self.qualifier == "at_most":
            lo_f = 0.0
        return lo_f, hi_f

    def point(self) -> float | None:
        """One number for deltas: the value, the middle of a range, or the bound."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


def _norm_name(s: str) -> str:
    return " ".join(re.split(r"[\s-]+", s.strip().lower()))


def _compare_text(kind: str, old: str, new: str) -> str:
    if kind == "date":
        a, b = old.strip(), new.strip()
        if a.startswith(b) or b.startswith(a):
            return "confirmed"
        return "higher" if b > a else "lower"
    return "confirmed" if _norm_name(old) == _norm_name(new) else "changed"


def _compare(old: Value, new: Value) -> str:
    olo, ohi = old.interval()
    nlo, nhi = new.interval()
    if not (nlo <= ohi and olo <= nhi):
        return "higher" if nlo > ohi else "lower"
    # Open bounds on the same side: "more than 4,000" after "more than 3,000" is a rise
    # although both could be true; "more than 1,000" after it says nothing new (a stale
    # floor is still true), so it confirms. Likewise "up to 150" after "up to 200" falls.
    lower_open = ("more_than", "at_least")
    upper_open = ("less_than", "at_most")
    if old.qualifier in lower_open and new.qualifier in lower_open and \
            old.low is not None and new.low is not None and \
            new.low > old.low * (1 + _EXACT_SLACK):
        return "higher"
    if old.qualifier in upper_open and new.qualifier in upper_open and \
            old.high is not None and new.high is not None and \
            new.high < old.high * (1 - _EXACT_SLACK):
        return "lower"
    return "confirmed"


def classify(claim: Claim, latest: Value | None, new: Value, *, restated: bool = False) -> str:
    """Status of a new observation for ``claim``.

    ``latest`` is the latest value recorded for the claim (None: compare with the
    baseline). A figure the article itself presents as old is "restated" whatever its
    value, so repeating January's count in March raises no alarm. With no baseline value
    and nothing recorded, the first figure is "new". Against the baseline, a figure that
    agrees with any of the claim's current stated values is "confirmed" (values marked
    superseded in the baseline are history and do not count); otherwise it is "higher" or
    "lower" when it lies beyond all of them.
    """
    if restated:
        return "restated"
    kind = claim.kind
    if latest is None:
        stated = [Value(v.value, v.low, v.high, v.qualifier, v.value_text)
                  for v in claim.current_values()]
        if not stated:
            return "new"
        if kind in ("name", "date") or new.is_text:
            texts = [v.value_text for v in stated if v.value_text]
            if new.value_text is None or not texts:
                return "new"
            results = [_compare_text(kind, t, new.value_text) for t in texts]
            if "confirmed" in results:
                return "confirmed"
            return results[0]
        results = [_compare(v, new) for v in stated]
        if "confirmed" in results:
            return "confirmed"
        if all(r == "higher" for r in results):
            return "higher"
        if all(r == "lower" for r in results):
            return "lower"
        return results[0]
    if kind in ("name", "date") or new.is_text:
        if latest.value_text is None or new.value_text is None:
            return "new"
        return _compare_text(kind, latest.value_text, new.value_text)
    return _compare(latest, new)


def delta(old: Value | None, new: Value) -> float | None:
    """How far the figure moved (new minus old), or None when either has no number."""
    if old is None:
        return None
    a, b = old.point(), new.point()
    if a is None or b is None:
        return None
    return b - a


def _fmt(x: float) -> str:
    if x >= 1_000_000 and x % 100_000 == 0:
        m = x / 1_000_000
        return f"{m:g} million"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.1f}".rstrip("0").rstrip(".")


# The extractor's bounds for vague amounts, said back in words.
_VAGUE_WORDS = {(24.0, 99.0): "dozens", (200.0, 999.0): "hundreds",
                (2000.0, 9999.0): "thousands", (20000.0, 99999.0): "tens of thousands",
                (200000.0, 999999.0): "hundreds of thousands",
                (2e6, 9999999.0): "millions", (2e9, 9999999999.0): "billions"}

_PREFIX = {"approx": "about ", "more_than": "more than ", "at_least": "at least ",
           "less_than": "fewer than ", "at_most": "up to ", "exact": ""}


def describe(v: Value, unit: str | None = None) -> str:
    """A figure as a reader would write it: "more than 3,000", "10,000–12,000", "about 25%".

    ``unit`` only decides the percent sign; callers add the counted noun themselves."""
    if v.is_text:
        return v.value_text or ""
    pct = unit is not None and unit.strip().lower() in ("percent", "%", "share")
    suffix = "%" if pct else ""
    q = v.qualifier
    if q in ("more_than", "at_least") and v.low is not None:
        body = _PREFIX[q] + _fmt(v.low) + suffix
    elif q in ("less_than", "at_most") and v.high is not None:
        body = _PREFIX[q] + _fmt(v.high) + suffix
    elif v.value is not None:
        body = _PREFIX.get(q, "") + _fmt(v.value) + suffix
    elif v.low is not None and v.high is not None:
        vague = _VAGUE_WORDS.get((v.low, v.high)) if q == "approx" and not pct else None
        if vague is not None:
            return vague
        body = ("about " if q == "approx" else "") + f"{_fmt(v.low)}–{_fmt(v.high)}{suffix}"
    elif v.low is not None:
        body = f"at least {_fmt(v.low)}{suffix}"
    elif v.high is not None:
        body = f"up to {_fmt(v.high)}{suffix}"
    else:
        return "unknown"
    return body
