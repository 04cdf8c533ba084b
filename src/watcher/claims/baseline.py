"""Reading and checking a baseline file: the story, its actors and its claims.

Every problem is a ConfigError that names the file and the key, because a user writes
this file by hand for their own story.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from watcher.claims.lexicon import lexicon
from watcher.claims.model import (
    CLAIM_KINDS,
    METRIC_TYPES,
    PERIODS,
    SCOPES,
    SUBJECT_MATCH,
    Actor,
    Baseline,
    Claim,
    ClaimValue,
    Story,
)
from watcher.config import read_toml
from watcher.errors import ConfigError
from watcher.figures import QUALIFIERS

__all__ = ["load_baseline"]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ISO_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

# Older baselines name a metric instead of an event; the metric then implies the rest.
_LEGACY_METRICS: dict[str, dict[str, Any]] = {  # metric -> the keys it stands for
    "deployed": {"event": "deployed"},
    "additional_deployed": {"event": "deployed", "scope": "additional"},
    "killed_or_wounded": {"event": "killed_or_wounded"},
    "killed": {"event": "killed"},
    "wounded": {"event": "wounded"},
    "captured": {"event": "captured"},
    "losses": {"event": "losses"},
    "casualty_share": {"event": "killed_or_wounded"},
    "ammo_share": {"event": "supplied", "counted": "shells"},
    "factories": {"event": "", "counted": "factories"},
    "shells_supplied": {"event": "supplied", "counted": "shells"},
    "artillery_lost": {"event": "losses", "counted": "artillery"},
    "payments": {"event": "paid", "counted": "money"},
}

_STR_KEYS = ("id", "statement", "subject", "metric", "kind", "unit", "source", "qualifier",
             "value_text", "as_of", "attributed_to", "per", "event", "counted", "scope",
             "subject_match", "label", "metric_type", "first_until", "date_of")
_NUM_KEYS = ("value", "low", "high")
_LIST_KEYS = ("subject_terms", "metric_terms", "exclude_terms", "mentions", "context_terms",
              "patterns", "name_words", "exclude_names")
_BOOL_KEYS = ("implied", "date_after_trigger")
_REQUIRED = ("id", "statement", "subject", "kind", "unit", "source")
_VALUE_KEYS = frozenset(("value", "low", "high", "qualifier", "value_text", "as_of", "source",
                         "attributed_to", "note", "superseded"))
_CLAIM_KEYS = frozenset((*_STR_KEYS, *_NUM_KEYS, *_LIST_KEYS, *_BOOL_KEYS, "values", "range",
                         "tolerance", "alert_percent", "alert_cross"))
_TOP_KEYS = frozenset(("story", "actors", "claims"))


def _num_or_none(path: Path, key: str, raw: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ConfigError(path, key, "must be a number")
    return float(raw)


def _str_or_none(path: Path, key: str, raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(path, key, "must be a non-empty string")
    return raw.strip()


def _bool(path: Path, key: str, raw: Any) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        raise ConfigError(path, key, "must be true or false")
    return raw


def _terms(path: Path, key: str, raw: Any, *, regex: bool = False) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) and t.strip() for t in raw):
        raise ConfigError(path, key, "must be a list of non-empty strings")
    if regex:
        for t in raw:
            try:
                re.compile(t)
            except re.error as e:
                raise ConfigError(path, key, f"{t!r} is not a valid pattern: {e}") from None
    return tuple(t.strip() for t in raw)


def _values(path: Path, key: str, table: dict[str, Any], kind: str
            ) -> tuple[float | None, float | None, float | None, str, str | None]:
    """Normalise value/low/high/qualifier the way figures are: exact -> low == high."""
    value = _num_or_none(path, f"{key}.value", table.get("value"))
    low = _num_or_none(path, f"{key}.low", table.get("low"))
    high = _num_or_none(path, f"{key}.high", table.get("high"))
    qualifier = _str_or_none(path, f"{key}.qualifier", table.get("qualifier")) or "exact"
    if qualifier not in QUALIFIERS:
        raise ConfigError(path, f"{key}.qualifier", f"must be one of {', '.join(QUALIFIERS)}")
    value_text = _str_or_none(path, f"{key}.value_text", table.get("value_text"))
    if kind in ("name", "date"):
        if value is not None or low is not None or high is not None:
            raise ConfigError(path, f"{key}.value",
                              f"a {kind} claim takes value_text, not a number")
        if kind == "date" and value_text is not None and not _ISO_RE.match(value_text):
            raise ConfigError(path, f"{key}.value_text",
                              "must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
        return None, None, None, qualifier, value_text
    if value_text is not None:
        raise ConfigError(path, f"{key}.value_text", f"a {kind} claim takes numbers")
    if qualifier in ("more_than", "at_least"):
        low = low if low is not None else value
        if low is None or high is not None:
            raise ConfigError(path, f"{key}.low", f"'{qualifier}' needs low and no high")
    elif qualifier in ("less_than", "at_most"):
        high = high if high is not None else value
        if high is None or low is not None:
            raise ConfigError(path, f"{key}.high", f"'{qualifier}' needs high and no low")
    elif value is not None:
        if (low is not None and low != value) or (high is not None and high != value):
            raise ConfigError(path, f"{key}.value", "value disagrees with low/high")
        low = high = value
    elif (low is None) != (high is None):
        raise ConfigError(path, f"{key}.low", "a range needs both low and high")
    if low is not None and high is not None and low > high:
        raise ConfigError(path, f"{key}.low", "must not exceed high")
    return value, low, high, qualifier, None


def _iso(path: Path, key: str, raw: Any) -> str | None:
    s = _str_or_none(path, key, raw)
    if s is not None and not _ISO_RE.match(s):
        raise ConfigError(path, key, "must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
    return s


def _extra_values(path: Path, key: str, raw: Any, kind: str) -> tuple[ClaimValue, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(path, f"{key}.values", "must be an array of tables")
    out: list[ClaimValue] = []
    for j, vt in enumerate(raw):
        vkey = f"{key}.values[{j}]"
        if not isinstance(vt, dict):
            raise ConfigError(path, vkey, "must be a table")
        for k in vt:
            if k not in _VALUE_KEYS:
                raise ConfigError(path, f"{vkey}.{k}", "unknown key")
        v, lo, hi, q, vtxt = _values(path, vkey, vt, kind)
        if v is None and lo is None and hi is None and vtxt is None:
            raise ConfigError(path, vkey, "needs a value, low/high or value_text")
        out.append(ClaimValue(v, lo, hi, q, vtxt, _iso(path, f"{vkey}.as_of", vt.get("as_of")),
                              _str_or_none(path, f"{vkey}.source", vt.get("source")),
                              _str_or_none(path, f"{vkey}.attributed_to",
                                           vt.get("attributed_to")),
                              _str_or_none(path, f"{vkey}.note", vt.get("note")),
                              _bool(path, f"{vkey}.superseded", vt.get("superseded"))))
    return tuple(out)


def _range(path: Path, key: str, raw: Any) -> tuple[float, float] | None:
    if raw is None:
        return None
    if (not isinstance(raw, list) or len(raw) != 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in raw)
            or raw[0] > raw[1]):
        raise ConfigError(path, key, "must be [low, high] with low <= high")
    return float(raw[0]), float(raw[1])


def _choice(path: Path, key: str, value: str, allowed: tuple[str, ...] | frozenset[str]
            ) -> str:
    if value not in allowed:
        raise ConfigError(path, key, f"must be one of {', '.join(sorted(allowed))}")
    return value


def _claim(path: Path, i: int, table: Any) -> Claim:
    key = f"claims[{i}]"
    if not isinstance(table, dict):
        raise ConfigError(path, key, "must be a table")
    for k in table:
        if k not in _CLAIM_KEYS:
            raise ConfigError(path, f"{key}.{k}", "unknown key")
    for k in _REQUIRED:
        if k not in table:
            raise ConfigError(path, f"{key}.{k}", "is required")
    s = {k: _str_or_none(path, f"{key}.{k}", table.get(k)) for k in _STR_KEYS}
    cid = s["id"] or ""
    if not _ID_RE.match(cid):
        raise ConfigError(path, f"{key}.id", "must be lower-case letters, digits and '-'")
    kind = _choice(path, f"{key}.kind", s["kind"] or "", CLAIM_KINDS)
    lex = lexicon()
    legacy = _LEGACY_METRICS.get(s["metric"] or "", {})
    event = s["event"] if s["event"] is not None else legacy.get("event")
    if event == "any":
        event = ""  # any event, or none at all: "200 factories work for the war"
    if event is None:
        if kind in ("count", "share", "money"):
            raise ConfigError(path, f"{key}.event", "is required (what happened to what is "
                              f"counted: one of {', '.join(sorted(lex.event_names))})")
        event = s["metric"] or kind
    if kind in ("count", "share") and event and event not in lex.event_names:
        raise ConfigError(path, f"{key}.event",
                          f"must be one of {', '.join(sorted(lex.event_names))}")
    counted = s["counted"] or legacy.get("counted") or ("money" if kind == "money"
                                                        else "people")
    if kind in ("count", "share"):
        _choice(path, f"{key}.counted", counted, frozenset((*lex.counted_names, "any")))
    scope = _choice(path, f"{key}.scope", s["scope"] or legacy.get("scope") or "total", SCOPES)
    subject_match = _choice(path, f"{key}.subject_match", s["subject_match"] or "figure",
                            SUBJECT_MATCH)
    if s["per"] is not None:
        _choice(path, f"{key}.per", s["per"], PERIODS)
    if s["metric_type"] is not None:
        _choice(path, f"{key}.metric_type", s["metric_type"], METRIC_TYPES)
    tolerance = _num_or_none(path, f"{key}.tolerance", table.get("tolerance"))
    if tolerance is not None and not 0 <= tolerance <= 100:
        raise ConfigError(path, f"{key}.tolerance", "must be a percentage from 0 to 100")
    alert_percent = _num_or_none(path, f"{key}.alert_percent", table.get("alert_percent"))
    if alert_percent is not None and alert_percent <= 0:
        raise ConfigError(path, f"{key}.alert_percent", "must be above 0")
    cross = table.get("alert_cross", [])
    if not isinstance(cross, list) or not all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in cross):
        raise ConfigError(path, f"{key}.alert_cross", "must be a list of numbers")
    as_of = _iso(path, f"{key}.as_of", table.get("as_of"))
    first_until = _iso(path, f"{key}.first_until", table.get("first_until"))
    if first_until is not None and len(first_until) != 7:
        raise ConfigError(path, f"{key}.first_until", "must be a month, YYYY-MM")
    value, low, high, qualifier, value_text = _values(path, key, table, kind)
    terms = {k: _terms(path, f"{key}.{k}", table.get(k), regex=k == "patterns")
             for k in _LIST_KEYS}
    if kind == "date" and not terms["patterns"] and not terms["metric_terms"]:
        raise ConfigError(path, f"{key}.patterns",
                          "a date claim needs patterns or metric_terms (its trigger words)")
    if kind == "name" and not terms["name_words"]:
        raise ConfigError(path, f"{key}.name_words",
                          "a name claim needs name_words (the family names to look for)")
    return Claim(
        id=cid, statement=s["statement"] or "", subject=s["subject"] or "",
        metric=s["metric"] or event or kind, kind=kind, unit=s["unit"] or "",
        source=s["source"] or "", event=event, counted=counted, scope=scope, value=value,
        low=low, high=high, qualifier=qualifier, value_text=value_text, as_of=as_of,
        attributed_to=s["attributed_to"], per=s["per"],
        subject_match=subject_match,
        value_range=_range(path, f"{key}.range", table.get("range")),
        implied=_bool(path, f"{key}.implied", table.get("implied")),
        date_after_trigger=_bool(path, f"{key}.date_after_trigger",
                                 table.get("date_after_trigger")),
        first_until=first_until, date_of=s["date_of"],
        values=_extra_values(path, key, table.get("values"), kind),
        label=s["label"], metric_type=s["metric_type"] or "",
        tolerance=10.0 if tolerance is None else tolerance, alert_percent=alert_percent,
        alert_cross=tuple(float(x) for x in cross),
        **terms,
    )


def _actor(path: Path, i: int, table: Any) -> Actor:
    key = f"actors[{i}]"
    if not isinstance(table, dict):
        raise ConfigError(path, key, "must be a table")
    for k in table:
        if k not in ("name", "aliases", "patterns", "people"):
            raise ConfigError(path, f"{key}.{k}", "unknown key")
    name = _str_or_none(path, f"{key}.name", table.get("name"))
    if name is None:
        raise ConfigError(path, f"{key}.name", "is required")
    return Actor(name, _terms(path, f"{key}.aliases", table.get("aliases")),
                 _terms(path, f"{key}.patterns", table.get("patterns"), regex=True),
                 _terms(path, f"{key}.people", table.get("people")))


def _story(path: Path, doc: dict[str, Any]) -> Story:
    raw = doc.get("story", {})
    if not isinstance(raw, dict):
        raise ConfigError(path, "story", "must be a table ([story])")
    for k in raw:
        if k not in ("name", "topic_terms", "places"):
            raise ConfigError(path, f"story.{k}", "unknown key")
    actors_raw = doc.get("actors", [])
    if not isinstance(actors_raw, list):
        raise ConfigError(path, "actors", "must be an array of tables ([[actors]])")
    actors = tuple(_actor(path, i, t) for i, t in enumerate(actors_raw))
    names = [a.name for a in actors]
    if len(set(names)) != len(names):
        raise ConfigError(path, "actors", "two actors share a name")
    return Story(_str_or_none(path, "story.name", raw.get("name")) or "",
                 _terms(path, "story.topic_terms", raw.get("topic_terms")),
                 _terms(path, "story.places", raw.get("places")), actors)


def load_baseline(path: Path) -> Baseline:
    """Read and check a baseline file; every problem is a ConfigError naming file and key."""
    path = Path(path)
    doc = read_toml(path, missing="no such file (set baseline = ... in the config)")
    for k in doc:
        if k not in _TOP_KEYS:
            raise ConfigError(path, k, "unknown key (allowed: [story], [[actors]], "
                              "[[claims]])")
    tables = doc.get("claims", [])
    if not isinstance(tables, list):
        raise ConfigError(path, "claims", "must be an array of tables ([[claims]])")
    claims: list[Claim] = []
    seen: set[str] = set()
    for i, t in enumerate(tables):
        c = _claim(path, i, t)
        if c.id in seen:
            raise ConfigError(path, f"claims[{i}].id", f"duplicate id '{c.id}'")
        seen.add(c.id)
        claims.append(c)
    by_id = {c.id: c for c in claims}
    for i, c in enumerate(claims):
        if c.date_of is None:
            continue
        if c.kind != "date":
            raise ConfigError(path, f"claims[{i}].date_of", "only a date claim takes one")
        other = by_id.get(c.date_of)
        if other is None or other.kind != "count":
            raise ConfigError(path, f"claims[{i}].date_of",
                              f"'{c.date_of}' is not the id of a count claim here")
    return Baseline(tuple(claims), path, _story(path, doc))
