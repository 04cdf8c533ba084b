"""Dates given on the command line: ``2025-04-01``, ``2025-04-01T07:00``, ``7d``, ``today``.

Every command that takes a date (history, digest) reads it here, so the same words mean
the same moment everywhere, and a value that is not a date is refused instead of being
compared as text and silently matching nothing (or everything).

Days are UTC days, like every timestamp watcher stores. A day used as an end (``--until
2025-04-01``, ``--until today``) includes that whole day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import click

FORMS = ("a date (2025-04-01), a time (2025-04-01T07:00), an age (90m, 24h, 7d, 2w) "
         "or today/yesterday")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}")      # matched lower-cased
_AGE = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)(?:\s+ago)?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass(frozen=True, slots=True)
class Moment:
    """A parsed date argument: an instant, or a whole UTC day when ``day`` is set."""

    start: datetime                 # aware, UTC
    day: date | None = None

    @property
    def end(self) -> datetime:
        """The exclusive end when used as ``--until``: a day runs to the next midnight."""
        if self.day is not None:
            return datetime.combine(self.day + timedelta(days=1), time(), tzinfo=UTC)
        return self.start

    def query_text(self) -> str:
        """The bound as the store compares it with its ISO text timestamps.

        A day stays a bare date (the store treats an end date as the whole day); an
        instant is cut to whole seconds with no suffix, which sorts before every stored
        timestamp of the same second whatever its precision (``…:05Z``, ``…:05.120Z``).
        """
        if self.day is not None:
            return self.day.isoformat()
        return self.start.strftime("%Y-%m-%dT%H:%M:%S")


def parse_moment(text: str, now: datetime | None = None) -> Moment:
    """Read one date argument; ValueError with a message for people when it is none."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    value = text.strip().lower()
    if value in ("today", "yesterday"):
        day = now.date() - timedelta(days=1 if value == "yesterday" else 0)
        return _whole_day(day)
    if value == "now":
        return Moment(now)
    age = _AGE.match(value)
    if age:
        seconds = float(age.group(1)) * _UNIT_SECONDS[age.group(2)]
        try:
            return Moment(now - timedelta(seconds=seconds))
        except OverflowError:
            raise ValueError(f"{text!r} reaches back before the year 1") from None
    if _DAY.match(value):
        try:
            return _whole_day(date.fromisoformat(value))
        except ValueError as e:
            raise ValueError(f"{text!r} is not a real date ({e})") from None
    if _TIME.match(value):
        try:
            dt = datetime.fromisoformat(value.upper())
        except ValueError as e:
            raise ValueError(f"{text!r} is not a real time ({e})") from None
        aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
        return Moment(aware.astimezone(UTC))
    raise ValueError(f"{text!r} is not a date; use {FORMS}")


def _whole_day(day: date) -> Moment:
    return Moment(datetime.combine(day, time(), tzinfo=UTC), day)


def check_range(since: Moment | None, until: Moment | None) -> None:
    """A range that ends before (or where) it starts selects nothing: say so instead."""
    if since is not None and until is not None and until.end <= since.start:
        raise ValueError(f"--until ({until.query_text()}) is not after --since "
                         f"({since.query_text()}); the range is reversed or empty")


# --- command-line options --------------------------------------------------------------

def option_moment(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> Moment | None:
    """Parse a ``--since``/``--until`` value for a click callback, refusing a bad date
    or a reversed range as a usage error (exit 2) before the command touches anything.

    Both options of one command share "now" and see each other through ``ctx.meta``;
    whichever click processes second checks the range.
    """
    if value is None:
        return None
    now: datetime = ctx.meta.setdefault("watcher.now", datetime.now(UTC))
    try:
        moment = parse_moment(value, now)
    except ValueError as e:
        raise click.BadParameter(str(e), ctx=ctx, param=param) from None
    seen: dict[str, Moment] = ctx.meta.setdefault("watcher.moments", {})
    seen[param.name or ""] = moment
    try:
        check_range(seen.get("since"), seen.get("until"))
    except ValueError as e:
        raise click.BadParameter(str(e), ctx=ctx, param=param) from None
    return moment
