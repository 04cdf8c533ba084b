"""Structured log lines on stderr for a process nobody watches: key=value or JSON.

Pass ``extra={"event": ..., "feed": ..., "duration": ...}`` to a log call and the keys
become fields. Expected failures (watcher's own errors, network trouble, HTTP statuses,
bad feeds) are logged as one line; a traceback is printed only for what looks like a bug.

Every record is exactly one line, never wrapped and never split, whatever its width and
whether or not stderr is a terminal: journald and other collectors take a line for a
record. A traceback is a quoted field of its record; Python warnings and uncaught
exceptions are routed through the same formatter.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from types import TracebackType
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
    if text and not any(c in text for c in ' "=\n\r\t\\'):
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """``ts=... level=info event=feed.ok feed="Wire" duration=0.41 msg="..."``

    One line per record: a value with a space, quote or line break is JSON-quoted, a
    traceback included (``traceback="Traceback (most recent call last):\\n..."``).
    """

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{k}={_kv(v)}" for k, v in _fields(record).items())


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
    # what Python itself would print on several lines goes through the formatter too,
    # when this handler is the process's own stderr
    if stream is None:
        logging.captureWarnings(True)
        sys.excepthook = _log_uncaught
        threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    logging.getLogger("watcher").critical("uncaught exception", exc_info=(kind, exc, tb),
                                          extra={"event": "crash"})


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    logging.getLogger("watcher").critical(
        f"uncaught exception in thread {args.thread.name if args.thread else '?'}",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        extra={"event": "crash"})
