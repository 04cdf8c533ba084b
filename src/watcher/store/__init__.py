"""The database: schema, migrations, and every query watcher makes.

Only this package speaks SQL. Every write that belongs to one feed's result happens in
one transaction (``db.atomic()``), so a crash or a kill leaves each feed either wholly
written or not at all, and unique keys make re-running any write harmless.

One module per concern, all mixed into ``Store``: ``schema`` (migrations), ``base``
(connection and lifecycle), ``feeds`` (feeds, entries, articles, runs), ``observations``
(claims, observations, candidates), ``reprocess`` (staging for `watcher reprocess`).
"""

from __future__ import annotations

from watcher.store.base import RUN_COUNTERS, StoreBase, iso_utc, utcnow
from watcher.store.daemon import HEALTH_STATES, DaemonQueries
from watcher.store.digest import DigestQueries
from watcher.store.feeds import (
    FeedQueries,
    FeedState,
    FeedUpdate,
    NewArticle,
    NewEntry,
    text_hash,
)
from watcher.store.observations import CHANGE_STATUSES, HistoryFilter, ObservationQueries
from watcher.store.reprocess import ALL_CLAIMS, ReprocessQueries, search_query
from watcher.store.schema import SCHEMA_VERSION


class Store(DaemonQueries, DigestQueries, ReprocessQueries, ObservationQueries, FeedQueries,
            StoreBase):
    """The database. ``with Store(path) as store: ...``"""

    def __enter__(self) -> Store:
        return self


__all__ = [
    "ALL_CLAIMS",
    "CHANGE_STATUSES",
    "HEALTH_STATES",
    "RUN_COUNTERS",
    "SCHEMA_VERSION",
    "DaemonQueries",
    "FeedState",
    "FeedUpdate",
    "HistoryFilter",
    "NewArticle",
    "NewEntry",
    "Store",
    "StoreBase",
    "iso_utc",
    "search_query",
    "text_hash",
    "utcnow",
]
