"""Datasette metadata for ``watcher browse``: table descriptions and canned queries."""

from __future__ import annotations

from typing import Any

CANNED_QUERIES: dict[str, dict[str, str]] = {
    "latest_changes": {
        "title": "Latest changes",
        "description": "Figures that raised, lowered or first set a claim, newest first.",
        "sql": "SELECT published, claim_id, status, text, value, low, high, qualifier, "
               "prev_value, prev_low, prev_high, source, title, url, feed FROM observations "
               "WHERE status IN ('new', 'higher', 'lower', 'changed') "
               "ORDER BY observed_at DESC, id DESC LIMIT 100",
    },
    "claim_timeline": {
        "title": "Timeline of a claim",
        "description": "Every observation of one claim in publication order.",
        "sql": "SELECT published, status, text, value, low, high, qualifier, value_text, "
               "source, sentence, url FROM observations WHERE claim_id = :claim "
               "ORDER BY published, id",
    },
    "failing_feeds": {
        "title": "Failing feeds",
        "description": "Feeds whose last check failed, most failures first.",
        "sql": "SELECT name, url, consecutive_errors, last_error, last_checked_at, "
               "last_success_at FROM feeds WHERE last_status = 'error' "
               "ORDER BY consecutive_errors DESC",
    },
}

TABLES: dict[str, str] = {
    "feeds": "One row per feed, with its fetch state (validators, errors, counts).",
    "entries": "Feed entries; the same article reached from two feeds is two entries "
               "pointing at one article.",
    "articles": "Extracted article text and metadata; text_source says whether the page "
                "or the feed's own text was used.",
    "claims": "The baseline claims, mirrored from config/baseline.toml.",
    "observations": "Each figure that matched a claim, with its status against the "
                    "latest known value (prev_*), its evidence sentence and source.",
    "candidates": "On-topic figures that matched no claim.",
    "runs": "One row per cycle: counts and errors.",
    "digests": "Digests built, and whether they were delivered.",
}


def metadata(database: str) -> dict[str, Any]:
    return {
        "title": "watcher",
        "description": "Figures of the watched story, as reported in the news.",
        "databases": {database: {
            "tables": {name: {"description": text} for name, text in TABLES.items()},
            "queries": CANNED_QUERIES,
        }},
    }
