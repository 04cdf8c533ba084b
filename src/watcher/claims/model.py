"""The plain dataclasses that pass between claim loading, analysis and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watcher.figures import Figure

CLAIM_KINDS = ("count", "share", "money", "name", "date")
PERIODS = ("day", "week", "month")
SCOPES = ("total", "additional")
SUBJECT_MATCH = ("figure", "sentence")
# What a claim's value is over time: a toll that only grows, a level that moves both ways,
# a rate per period, a name, a date.
METRIC_TYPES = ("cumulative", "level", "rate", "name", "date")
_CUMULATIVE_EVENTS = frozenset(("killed", "wounded", "killed_or_wounded", "casualties",
                                "captured", "supplied", "paid", "missing", "displaced",
                                "rescued", "evacuated"))


@dataclass(frozen=True, slots=True)
class ClaimValue:
    """One stated value of a claim (the baseline one, or another seed's figure)."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    value_text: str | None = None
    as_of: str | None = None
    source: str | None = None
    attributed_to: str | None = None
    note: str | None = None
    superseded: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure the story is told with, and the frame a figure must have to state it.

    The matching keys (event, counted, scope, per, subject_match, mentions, context_terms,
    value_range, implied) are declarative: watcher.claims.match checks a figure's frame
    against them, so a new story needs a baseline file, not code.
    """

    id: str
    statement: str
    subject: str
    metric: str
    kind: str
    unit: str
    source: str
    event: str = ""
    counted: str = "people"
    scope: str = "total"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    value_text: str | None = None
    as_of: str | None = None
    attributed_to: str | None = None
    per: str | None = None
    subject_terms: tuple[str, ...] = ()
    metric_terms: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    subject_match: str = "figure"
    mentions: tuple[str, ...] = ()
    context_terms: tuple[str, ...] = ()
    value_range: tuple[float, float] | None = None
    implied: bool = False
    patterns: tuple[str, ...] = ()
    name_words: tuple[str, ...] = ()
    exclude_names: tuple[str, ...] = ()
    date_after_trigger: bool = False
    # "2024-12": a figure of this claim's event dated to a later month is later troops,
    # the claim of the same subject and event whose scope is "additional"
    first_until: str | None = None
    # date claims: the id of a count claim whose figures' own clause gives this date
    # ("11,000 troops sent since October 2024" dates the first deployment)
    date_of: str | None = None
    values: tuple[ClaimValue, ...] = ()
    label: str | None = None            # a human heading; the statement when None
    metric_type: str = ""               # one of METRIC_TYPES; derived when empty
    tolerance: float = 10.0             # percent within which two figures agree
    alert_percent: float | None = None  # alert when the estimate moves by this much
    alert_cross: tuple[float, ...] = () # alert when the estimate crosses one of these

    @property
    def kind_of_metric(self) -> str:
        """The declared metric type, else the one the claim's kind, event and period imply."""
        if self.metric_type:
            return self.metric_type
        if self.kind in ("name", "date"):
            return self.kind
        if self.per is not None:
            return "rate"
        if self.kind == "share" or self.scope == "additional":
            return "level"
        return "cumulative" if self.event in _CUMULATIVE_EVENTS else "level"

    @property
    def has_value(self) -> bool:
        """False for claims the seeds name without a figure (the first one seen is news)."""
        return (self.value is not None or self.low is not None or self.high is not None
                or self.value_text is not None)

    def all_values(self) -> tuple[ClaimValue, ...]:
        """The baseline value first, then the other stated values (superseded ones too)."""
        own = ClaimValue(self.value, self.low, self.high, self.qualifier, self.value_text,
                         self.as_of, self.source, self.attributed_to)
        return ((own,) if self.has_value else ()) + self.values

    def current_values(self) -> tuple[ClaimValue, ...]:
        """The values a new figure may confirm: superseded history left out."""
        return tuple(v for v in self.all_values() if not v.superseded)


@dataclass(frozen=True, slots=True)
class Actor:
    """A party of the story: who may be the subject of a figure."""

    name: str
    aliases: tuple[str, ...] = ()     # literal words, any language
    patterns: tuple[str, ...] = ()    # regular expressions, for forms aliases cannot say
    people: tuple[str, ...] = ()      # aliases that name people ("Ruritanians")


@dataclass(frozen=True, slots=True)
class Story:
    """The vocabulary a story needs beyond its claims: its parties, places and topic."""

    name: str = ""
    topic_terms: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    actors: tuple[Actor, ...] = ()


@dataclass(frozen=True, slots=True)
class Baseline:
    """The claims of one baseline file, and the story they belong to."""

    claims: tuple[Claim, ...]
    path: Path | None = None
    story: Story = field(default_factory=Story)

    def get(self, claim_id: str) -> Claim | None:
        for c in self.claims:
            if c.id == claim_id:
                return c
        return None

    def by_metric(self, subject: str, metric: str) -> Claim | None:
        for c in self.claims:
            if c.metric == metric and c.subject == subject:
                return c
        return None


@dataclass(slots=True)
class Finding:
    """A figure plus what the text says it counts; claim is None when nothing matched."""

    figure: Figure
    claim: str | None = None
    subject: str | None = None
    event: str | None = None
    period: str | None = None
    per_period: bool = False
    source: str | None = None
    refers_to: str | None = None
    restated: bool = False
    on_topic: bool = False
    confidence: float = 0.0
    value_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        f = self.figure
        return {
            "text": f.text, "start": f.start, "end": f.end, "kind": f.kind,
            "value": f.value, "low": f.low, "high": f.high, "qualifier": f.qualifier,
            "change": f.change, "unit": f.unit, "sentence": f.sentence,
            "claim": self.claim, "subject": self.subject, "source": self.source,
            "event": self.event, "period": self.period, "per_period": self.per_period,
            "refers_to": self.refers_to, "restated": self.restated,
            "on_topic": self.on_topic, "confidence": round(self.confidence, 3),
            "value_text": self.value_text,
        }
