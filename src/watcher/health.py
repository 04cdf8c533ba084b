"""Feed health: ok, stale or unhealthy, from a feed's stored counters.

Its own module because the daemon, the digest and `watcher status` all judge it, and
none of them should import another to do so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from watcher.config import DaemonConfig

__all__ = ["health_of", "parse_ts"]


def parse_ts(value: str | None) -> datetime | None:
    """A stored ISO timestamp as an aware datetime (naive ones are UTC); None if unreadable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def health_of(row: dict[str, Any], cfg: DaemonConfig, now: datetime | None = None) -> str:
    """``unhealthy`` after N consecutive failures, ``stale`` when no new entry came for
    longer than ``stale_after`` (counted from when the feed was added), else ``ok``."""
    now = now or datetime.now(UTC)
    if int(row.get("consecutive_errors") or 0) >= cfg.unhealthy_after:
        return "unhealthy"
    since = parse_ts(row.get("last_new_entry_at")) or parse_ts(row.get("created_at"))
    if since is not None and now - since > timedelta(seconds=cfg.stale_after):
        return "stale"
    return "ok"
