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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: importing the claims engine costs every history command
    from watcher.claims import Claim, Finding

__all__ = ["MOVES", "STATE_STATUSES", "STATUSES", "Obs", "Outcome", "State", "Value",
           "assess", "change_words", "classify", "delta", "describe", "is_vague", "replay",
           "revised_down", "status_word"]

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


# --- a claim's state: the best estimate over time, and each figure's status against it ---

STATE_STATUSES = ("new", "higher", "lower", "changed", "confirmed", "restated",
                  "conflicting", "narrower", "wider")
# Statuses whose observation moved the best estimate (an alert unless a threshold holds
# it back). "narrower" refines the figure within tolerance and is never an alert.
MOVES = ("new", "higher", "lower", "changed")

# Words by which a text says a figure was revised down (a cumulative count may then fall).
_REVISED_DOWN = re.compile(
    r"\b(revis\w*\s+(?:\w+\s+){0,3}?(?:down|downward\w*)|lowered|correct(?:ed|ion|s)?|"
    r"scaled\s+back|downgraded|cut\s+(?:its|their|the)\s+(?:\w+\s+)?(?:estimate|figure|count)|"
    r"reduced\s+(?:its|their|the)\s+(?:\w+\s+)?(?:estimate|figure|count))\b", re.IGNORECASE)


def revised_down(sentence: str | None) -> bool:
    """The sentence says an earlier figure was revised down (not merely a lower number)."""
    return bool(sentence and _REVISED_DOWN.search(sentence))


def is_vague(v: Value) -> bool:
    """A figure such as "thousands" or "several hundred": approximate and spanning a factor
    of three or more. Vague figures never move a claim's state."""
    return (v.qualifier == "approx" and v.value is None and v.low is not None
            and v.high is not None and v.low > 0 and v.high / v.low >= 3)


@dataclass(frozen=True, slots=True)
class Obs:
    """What the state needs of one observation."""

    value: Value
    published: str
    source_key: str
    restated: bool = False
    sentence: str = ""
    refers_to: str | None = None
    confidence: float = 0.0
    id: int | None = None           # the observation's row, once stored

    @property
    def as_of(self) -> str:
        """The date the figure refers to: the one the text gives, else its publication."""
        if self.refers_to and self.refers_to[:1].isdigit():
            return self.refers_to[:10]
        return self.published[:10]


@dataclass(frozen=True, slots=True)
class State:
    """A claim's best estimate: the figure, when it refers to, who supports it.

    ``reported`` is the publication date of the newest supporting article (None while the
    state is the baseline's); ``support`` maps each independent source to the best
    confidence it gave the estimate. ``alert_id`` is the observation whose alert backs the
    current estimate; ``alerted`` the estimate's point at the last alert (thresholds are
    measured from there, so small moves cannot creep past them unannounced).
    """

    figure: Value
    as_of: str | None = None
    reported: str | None = None
    support: tuple[tuple[str, float], ...] = ()
    observations: int = 0
    observation_id: int | None = None
    trend: str | None = None
    alert_id: int | None = None
    alerted: float | None = None
    from_baseline: bool = False

    @property
    def sources(self) -> int:
        return len(self.support)

    @property
    def confidence(self) -> float:
        """Independent sources compound: 1 - prod(1 - c) over sources, at most 0.99."""
        miss = 1.0
        for _k, c in self.support:
            miss *= 1 - max(0.0, min(c, 0.99))
        return round(min(0.99, 1 - miss), 3) if self.support else 0.0

    def supported_by(self, key: str, confidence: float) -> State:
        support = dict(self.support)
        support[key] = max(support.get(key, 0.0), confidence)
        return _replace(self, support=tuple(sorted(support.items())))

    @classmethod
    def seed(cls, claim: Claim) -> State | None:
        v = Value.from_claim(claim)
        if v is None:
            return None
        return cls(v, as_of=claim.as_of, from_baseline=True)


def _replace(s: State, **kw: Any) -> State:
    from dataclasses import replace

    return replace(s, **kw)


@dataclass(frozen=True, slots=True)
class Outcome:
    """An observation's status, the state after it, and whether it is an alert."""

    status: str
    state: State | None
    previous: Value | None          # the estimate the figure was compared with
    moved: bool = False             # the best estimate moved (new/higher/lower/changed)
    alert: bool = False
    corroborates: bool = False      # a second independent source now backs the estimate


def _raw(v: Value) -> tuple[float, float]:
    """The values a figure states, without slack; open sides are infinite."""
    lo, hi = v.low, v.high
    if v.value is not None:
        lo = v.value if lo is None else lo
        hi = v.value if hi is None else hi
    if v.qualifier in ("more_than", "at_least"):
        hi = None
    if v.qualifier in ("less_than", "at_most"):
        lo = 0.0 if lo is None or lo == hi else lo
    return (-math.inf if lo is None else lo, math.inf if hi is None else hi)


def _precision(v: Value) -> int:
    """How precisely a figure is told: 0 an exact point, 1 an approximate point or a
    range, 2 a vague amount ("thousands"), 3 a bound ("more than", "up to")."""
    if v.qualifier in ("more_than", "at_least", "less_than", "at_most"):
        return 3
    lo, hi = _raw(v)
    if math.isinf(lo) or math.isinf(hi):
        return 3
    if is_vague(v):
        return 2
    return 0 if hi == lo and v.qualifier != "approx" else 1


def _close(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return abs(b - a) <= tolerance / 100 * max(abs(a), abs(b)) if a or b else True


def _numeric_status(old: Value, new: Value, tolerance: float) -> str:
    """new | confirmed | narrower | wider | higher | lower, of ``new`` against ``old``."""
    op, np_ = old.point(), new.point()
    if op is None or np_ is None:
        return "confirmed"
    olo, ohi = _raw(old)
    nlo, nhi = _raw(new)
    po, pn = _precision(old), _precision(new)
    if is_vague(new):
        if nlo <= op <= nhi or (olo <= nhi and nlo <= ohi):
            return "wider" if pn > po else "confirmed"
        return "higher" if nlo > ohi else "lower"
    old_open = po == 3
    if not old_open and olo < ohi and olo <= np_ <= ohi:   # inside the stated range
        return "narrower" if pn < po else "wider" if pn > po else "confirmed"
    if _close(op, np_, tolerance):
        if pn < po:
            return "narrower"
        return "wider" if pn > po else "confirmed"
    if nlo <= op <= nhi and pn > po:
        return "wider"                  # a stale floor or a loose range that still holds
    return "higher" if np_ > op else "lower"


def _text_status(kind: str, old: str, new: str) -> str:
    if kind == "date":
        a, b = old.strip(), new.strip()
        if a == b:
            return "confirmed"
        if b.startswith(a):
            return "narrower"
        if a.startswith(b):
            return "wider"
        return "higher" if b > a else "lower"
    return "confirmed" if _norm_name(old) == _norm_name(new) else "changed"


def _against(claim: Claim, state: State, new: Value) -> str:
    """The raw comparison with the state (or with every stated value of the baseline)."""
    kind = claim.kind_of_metric if claim.kind_of_metric in ("name", "date") else claim.kind
    text = kind in ("name", "date") or new.is_text
    if state.from_baseline:
        olds = [Value(v.value, v.low, v.high, v.qualifier, v.value_text)
                for v in claim.current_values()] or [state.figure]
    else:
        olds = [state.figure]
    results = []
    for old in olds:
        if text:
            if old.value_text is None or new.value_text is None:
                results.append("new")
            else:
                results.append(_text_status(kind, old.value_text, new.value_text))
        else:
            results.append(_numeric_status(old, new, claim.tolerance))
    for agree in ("confirmed", "narrower", "wider"):
        if agree in results:
            return agree
    return results[0]


def _date_before(a: str, b: str | None) -> bool:
    """``a`` is earlier than ``b``, comparing ISO dates at their common precision."""
    if not b:
        return False
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def _alert_due(claim: Claim, state: State | None, new: Value) -> bool:
    """A move passes the claim's thresholds (none declared: every move is an alert)."""
    if state is None or new.is_text:
        return True
    point = new.point()
    prev = state.figure.point()
    if point is None or prev is None:
        return True
    checks: list[bool] = []
    if claim.alert_percent is not None:
        ref = state.alerted if state.alerted is not None else prev
        checks.append(ref == 0 or abs(point - ref) / abs(ref) * 100 >= claim.alert_percent)
    if claim.alert_cross:
        lo, hi = min(prev, point), max(prev, point)
        checks.append(any(lo < t <= hi for t in claim.alert_cross))
    return any(checks) if checks else True


def assess(claim: Claim, state: State | None, obs: Obs) -> Outcome:
    """An observation's status against the claim's state, and the state after it.

    ``state`` is None when nothing was recorded yet; the baseline's value then stands.
    Rules, in order: a figure the text presents as old is restated; a vague figure never
    moves the state; a figure within tolerance (or inside the stated range) confirms it, or
    is narrower / wider when it is the same estimate told more or less precisely; a
    cumulative claim does not fall unless the text says it was revised down (a figure
    older than the state's date is restated, another one conflicting); an article
    published before the one the state rests on never moves it (out of order).
    """
    if state is None:
        state = State.seed(claim)
    new = obs.value
    previous = state.figure if state is not None else None
    if obs.restated:
        return Outcome("restated", state, previous)
    if state is None:
        if is_vague(new):
            return Outcome("new", None, None)     # vague: recorded, but no estimate yet
        fresh = State(new, as_of=obs.as_of, reported=obs.published, observations=1,
                      observation_id=obs.id, trend="new", alert_id=obs.id,
                      alerted=new.point()).supported_by(obs.source_key, obs.confidence)
        return Outcome("new", fresh, None, moved=True, alert=True)
    status = _against(claim, state, new)
    late = state.reported is not None and obs.published < state.reported
    if status in ("confirmed", "narrower") and not (status == "narrower" and is_vague(new)):
        nxt = state.supported_by(obs.source_key, obs.confidence)
        nxt = _replace(nxt, observations=state.observations + 1,
                       as_of=max(obs.as_of, state.as_of or ""),
                       reported=max(obs.published, state.reported or ""))
        if status == "narrower" and not late:
            nxt = _replace(nxt, figure=new, observation_id=obs.id, from_baseline=False)
        return Outcome(status, nxt, previous,
                       corroborates=nxt.sources >= 2 and state.sources < 2)
    if status in ("wider", "narrower", "confirmed"):
        return Outcome(status, state, previous)
    if status == "new":
        status = "changed"          # nothing comparable in the state: a different value
    # A move (higher, lower, changed), unless one of the rules holds it back.
    if is_vague(new):
        return Outcome("conflicting", state, previous)
    cumulative = claim.kind_of_metric == "cumulative"
    if late:
        older = _date_before(obs.as_of, state.as_of)
        restated = older and (status == "lower" or not cumulative)
        return Outcome("restated" if restated else "conflicting", state, previous)
    if cumulative and status == "lower" and not revised_down(obs.sentence):
        older = obs.refers_to is not None and _date_before(obs.as_of, state.as_of)
        return Outcome("restated" if older else "conflicting", state, previous)
    alert = _alert_due(claim, state, new)
    nxt = State(new, as_of=obs.as_of, reported=obs.published, observations=1,
                observation_id=obs.id, trend=status,
                alert_id=obs.id if alert else None,
                alerted=new.point() if alert else state.alerted,
                ).supported_by(obs.source_key, obs.confidence)
    return Outcome(status, nxt, previous, moved=True, alert=alert)


def replay(claim: Claim, observations: list[Obs]) -> State | None:
    """The state after ``observations`` in the order given (publication order)."""
    state: State | None = None
    for o in observations:
        state = assess(claim, state, o).state
    return state


def status_word(status: str, metric_type: str | None) -> str:
    """A status as a reader says it: a date is earlier or later, not lower or higher."""
    if metric_type == "date":
        return {"higher": "later", "lower": "earlier"}.get(status, status)
    return status


_LOWER_BOUND = ("more_than", "at_least")
_UPPER_BOUND = ("less_than", "at_most")


def _shape(v: Value) -> str:
    """point | floor | ceiling | range | vague | text: what kind of figure a reader sees."""
    if v.is_text:
        return "text"
    if v.qualifier in _LOWER_BOUND:
        return "floor"
    if v.qualifier in _UPPER_BOUND:
        return "ceiling"
    if is_vague(v):
        return "vague"
    if v.value is not None or (v.low is not None and v.low == v.high):
        return "point"
    return "range"


def _days_between(old: str, new: str) -> int | None:
    from datetime import date

    try:
        return (date.fromisoformat(new.strip()[:10]) - date.fromisoformat(old.strip()[:10])).days
    except ValueError:
        return None


def change_words(old: Value | None, new: Value, *, unit: str | None = None,
                 metric_type: str | None = None) -> str:
    """How far a figure moved, as a reader would say it; "" when a number would mislead.

    Only like is compared with like: two points ("+1,000", "about +100" when either is
    approximate), two floors ("more than 3,000" -> "more than 4,000") or two ceilings.
    A vague amount ("dozens"), a range or a bound against a point has no honest
    difference, so nothing is said ("about 600 (was dozens)", not "+538"). Shares move
    in percentage points ("−10 points"); dates by days ("1 day earlier").
    """
    if old is None:
        return ""
    a, b = _shape(old), _shape(new)
    if a == "text" or b == "text" or metric_type == "date":
        if metric_type != "date" or old.value_text is None or new.value_text is None:
            return ""
        if len(old.value_text.strip()) < 10 or len(new.value_text.strip()) < 10:
            return ""
        days = _days_between(old.value_text, new.value_text)
        if not days:
            return ""
        n = abs(days)
        return f"{n} day{'s' if n != 1 else ''} {'later' if days > 0 else 'earlier'}"
    if a != b or a not in ("point", "floor", "ceiling"):
        return ""
    op, np_ = old.point(), new.point()
    if op is None or np_ is None or op == np_:
        return ""
    d = np_ - op
    pct = unit is not None and unit.strip().lower() in ("percent", "%", "share")
    size = _fmt(round(abs(d), 1) if abs(d) < 100 else round(abs(d)))
    body = ("+" if d > 0 else "\u2212") + size
    if pct:
        body += " point" if size == "1" else " points"
    if "approx" in (old.qualifier, new.qualifier):
        body = "about " + body
    return body
