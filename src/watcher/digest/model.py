"""The digest's content, built from the store: what changed, grouped by claim."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from watcher.changes import Value, change_words, describe, status_word
from watcher.config import Config
from watcher.health import health_of
from watcher.store import Store, iso_utc

STATUS_ORDER = {"higher": 0, "lower": 0, "changed": 0, "new": 0, "confirmed": 1,
                "narrower": 1, "wider": 2, "conflicting": 2, "restated": 2}


def iso(dt: datetime) -> str:
    return iso_utc(dt)


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """A moment from ``2025-04-01``, ``2025-04-01T07:00``, or an age such as ``24h``."""
    from watcher.config import parse_duration

    now = now or datetime.now(UTC)
    try:
        return now - timedelta(seconds=parse_duration(text))
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is neither a date (2025-04-01), a time "
                         "(2025-04-01T07:00) nor an age (24h, 7d)") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def value_of(row: dict[str, Any], prefix: str = "") -> Value | None:
    return Value.from_row(row, prefix)


def described(row: dict[str, Any], prefix: str = "") -> str:
    """A row's value (or its ``prev_`` value) as a reader writes it; shares get a %."""
    v = value_of(row, prefix)
    if v is None:
        return "unknown"
    return describe(v, "percent" if row.get("kind") in ("percent", "share") else None)


@dataclass(slots=True)
class Source:
    title: str | None
    url: str
    feed: str | None
    published: str | None
    attribution: str | None


@dataclass(slots=True)
class Report:
    """One value reported for a claim; the same value from several outlets is one report."""

    status: str
    value: str
    previous: str | None
    delta: float | None
    text: str
    sentence: str
    attribution: str | None
    sources: list[Source] = field(default_factory=list)
    alert: bool = False             # moved the claim's estimate past its thresholds
    single_source: bool = False     # an alert no second independent source backs yet
    change: str = ""                # how far it moved, in words ("+1,000", "1 day earlier")
    word: str = ""                  # the status as a reader says it (dates: earlier/later)

    @property
    def says(self) -> str:
        return self.word or self.status

    @property
    def was(self) -> str:
        """"was more than 3,000, +1,000" or "was dozens"; "" with nothing before."""
        if not self.previous:
            return ""
        return f"was {self.previous}" + (f", {self.change}" if self.change else "")

    @property
    def is_change(self) -> bool:
        return self.alert


@dataclass(slots=True)
class ClaimSection:
    id: str
    statement: str
    unit: str | None
    baseline: str
    reports: list[Report]
    label: str = ""                 # the heading a person reads; the statement when unset
    metric_type: str | None = None

    @property
    def heading(self) -> str:
        return self.label or self.statement

    @property
    def changes(self) -> list[Report]:
        return [r for r in self.reports if r.is_change]

    @property
    def confirmations(self) -> list[Report]:
        return [r for r in self.reports if r.status == "confirmed"]

    @property
    def restatements(self) -> list[Report]:
        return [r for r in self.reports if r.status == "restated"]


@dataclass(slots=True)
class FeedHealth:
    name: str
    url: str
    state: str          # failing | unhealthy | stale
    detail: str


@dataclass(slots=True)
class Digest:
    title: str
    start: str
    end: str
    generated: str
    claims: list[ClaimSection]
    candidates: list[dict[str, Any]]
    health: list[FeedHealth]
    counts: dict[str, int]

    @property
    def changed_claims(self) -> list[ClaimSection]:
        return [c for c in self.claims if c.changes]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for section, obj in zip(d["claims"], self.claims, strict=True):
            section["changed"] = bool(obj.changes)
        return d


def _health(store: Store, config: Config, now: datetime) -> list[FeedHealth]:
    """Unhealthy and stale by the daemon's rules; failing when the last check failed."""
    out: list[FeedHealth] = []
    configured = {f.url for f in config.enabled_feeds}
    for row in store.feed_health_rows():
        if row["url"] not in configured:
            continue
        name = row["name"] or row["url"]
        state = health_of(row, config.daemon, now)
        errors = int(row["consecutive_errors"] or 0)
        if state == "unhealthy":
            out.append(FeedHealth(name, row["url"], state,
                                  f"{errors} failures in a row: {row['last_error']}"))
        elif row["last_status"] == "error":
            out.append(FeedHealth(name, row["url"], "failing", str(row["last_error"])))
        elif state == "stale":
            since = row["last_new_entry_at"] or "never"
            out.append(FeedHealth(name, row["url"], state, f"no new entry since {since}"))
    return out


def build_digest(store: Store, config: Config, start: datetime, end: datetime) -> Digest:
    """Everything recorded in [start, end): changes first, confirmations folded."""
    s, e = iso(start), iso(end)
    claims = {c["id"]: c for c in store.claim_summaries()}
    sections: dict[str, ClaimSection] = {}
    groups: dict[tuple[str, str], Report] = {}
    for row in store.observations_recorded(s, e):
        cid = row["claim_id"]
        claim = claims.get(cid, {"id": cid, "statement": cid, "unit": row["unit"]})
        section = sections.get(cid)
        if section is None:
            section = sections[cid] = ClaimSection(
                id=cid, statement=claim["statement"], unit=claim.get("unit"),
                baseline=described(claim), reports=[],
                label=claim.get("label") or claim["statement"],
                metric_type=claim.get("metric_type") or claim.get("kind"))
        key = (cid, row["value_key"])
        report = groups.get(key)
        if report is None:
            prev, new = value_of(row, "prev_"), value_of(row)
            pct = "percent" if row.get("kind") in ("percent", "share") or \
                claim.get("kind") == "share" else None
            report = groups[key] = Report(
                status=row["status"], value=described(row),
                previous=described(row, "prev_") if prev else None,
                delta=row["delta"], text=row["text"], sentence=row["sentence"],
                attribution=row["source"], alert=bool(row.get("alert")),
                single_source=bool(row.get("alert") and row.get("single_source")),
                change=change_words(prev, new, unit=pct, metric_type=section.metric_type)
                if new is not None else "",
                word=status_word(row["status"], section.metric_type))
            section.reports.append(report)
        report.sources.append(Source(row["title"], row["url"], row["feed"], row["published"],
                                     row["source"]))
    for section in sections.values():
        section.reports.sort(key=lambda r: STATUS_ORDER.get(r.status, 3))
    ordered = sorted(sections.values(),
                     key=lambda c: (not c.changes, list(claims).index(c.id)
                                    if c.id in claims else 999))
    return Digest(
        title=config.digest.title, start=s, end=e, generated=iso(datetime.now(UTC)),
        claims=ordered, candidates=store.candidates_recorded(s, e),
        health=_health(store, config, end), counts=store.period_counts(s, e))
