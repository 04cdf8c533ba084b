"""``watcher browse``: Datasette metadata (table descriptions, canned queries) and the server.

Datasette runs as a child process. watcher stays its parent until it exits, so a SIGTERM or
SIGHUP sent to watcher (by a service manager, `kill`, a closed terminal) stops Datasette
too, and the temporary metadata file goes in every case.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
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


_FORWARDED = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _metadata_file(meta: dict[str, Any]) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(prefix="watcher-browse-", suffix=".json")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(meta, f)
        yield path
    finally:
        path.unlink(missing_ok=True)


def serve(db: Path, meta: dict[str, Any], host: str, port: int) -> int:
    """Run Datasette on ``db`` until it exits; its exit status, or 128+N after signal N.

    SIGTERM and SIGHUP are passed on to Datasette and waited for, rather than killing watcher
    and leaving an orphan listening on the port. Ctrl-C reaches both through the terminal.
    """
    received: list[int] = []
    with _metadata_file(meta) as meta_path:
        cmd = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata",
               str(meta_path), "--host", host, "--port", str(port)]
        child = subprocess.Popen(cmd)

        def forward(signum: int, _frame: FrameType | None) -> None:
            received.append(signum)
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

        previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
        try:
            while True:
                try:
                    code = child.wait()
                    break
                except KeyboardInterrupt:
                    continue        # Datasette got the same Ctrl-C; wait for it to finish
        finally:
            if child.poll() is None:    # an unexpected error here: do not leave it running
                child.kill()
                child.wait()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    if received:
        return 128 + received[0]
    return code
