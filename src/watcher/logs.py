"""Structured log lines on stderr for a process nobody watches: key=value or JSON.

Pass ``extra={"event": ..., "feed": ..., "duration": ...}`` to a log call and the keys
become fields. Expected failures (watcher's own errors, network trouble, HTTP statuses,
bad feeds) are logged as one line; a traceback is printed only for what looks like a bug.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any, TextIO

import httpx

from watcher.errors import WatcherError

FIELDS = ("feed", "event", "duration")
EXPECTED: tuple[type[BaseException], ...] = (WatcherError, httpx.HTTPError, OSError,
                                             TimeoutError)


def _is_expected(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    return exc is None or isinstance(exc, EXPECTED)


def _timestamp(record: logging.LogRecord) -> str:
    t = time.gmtime(record.created)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + f".{int(record.msecs):03d}Z"


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"ts": _timestamp(record), "level": record.levelname.lower(),
                           "logger": record.name}
    for key in FIELDS:
        value = getattr(record, key, None)
        if value is not None:
            out[key] = round(value, 3) if isinstance(value, float) else value
    out["msg"] = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        if _is_expected(record):
            out["error"] = f"{type(exc).__name__}: {exc}"
        else:
            out["traceback"] = logging.Formatter().formatException(record.exc_info)
    return out


def _kv(value: Any) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\n\t\\'):
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """``ts=... level=info event=feed.ok feed="Wire" duration=0.41 msg="..."``"""

    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record)
        tb = fields.pop("traceback", None)
        line = " ".join(f"{k}={_kv(v)}" for k, v in fields.items())
        return line + ("\n" + tb if tb else "")


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a traceback, when there is one, is a field."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), ensure_ascii=False)


def setup_logging(fmt: str = "text", level: str = "info", stream: TextIO | None = None
                  ) -> None:
    """Replace the root handlers with one structured handler on stderr."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    # APScheduler narrates every run at INFO; the daemon logs what matters itself
    aps_level = logging.DEBUG if root.level <= logging.DEBUG else logging.ERROR
    logging.getLogger("apscheduler").setLevel(aps_level)
    for noisy in ("httpx", "httpcore", "trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(max(root.level, logging.WARNING))
