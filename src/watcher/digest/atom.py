"""An Atom feed of changes, so people can follow watcher in their own feed reader."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from watcher.digest.model import described, value_of
from watcher.text import clean_text

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:watcher.invalid,2025:changes"


def entry_id(row: dict[str, Any]) -> str:
    """Stable across reprocessing: built from what identifies the observation."""
    key = f"{row['url']}|{row['claim_id']}|{row['value_key']}"
    return f"tag:watcher.invalid,2025:change/{hashlib.sha1(key.encode()).hexdigest()}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        e.text = clean_text(text)
    return e


def entry_title(row: dict[str, Any], metric_type: str | None = None) -> str:
    """"Deaths: higher - about 600 (was dozens)"; dates are earlier/later."""
    from watcher.changes import change_words, status_word

    metric = metric_type or ("date" if row.get("kind") == "date" else None)
    prev, new = value_of(row, "prev_"), value_of(row)
    was = ""
    if prev is not None:
        pct = "percent" if row.get("kind") in ("percent", "share") else None
        moved = change_words(prev, new, unit=pct, metric_type=metric) if new else ""
        was = f" (was {described(row, 'prev_')}{', ' + moved if moved else ''})"
    heading = row.get("claim_label") or row.get("claim_statement") or row["claim_id"]
    single = " [single source]" if row.get("single_source") else ""
    return f"{heading}: {status_word(row['status'], metric)} - {described(row)}{was}{single}"


def render_atom(changes: list[dict[str, Any]], *, title: str, updated: str,
                metric_types: dict[str, str] | None = None) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "title", title)
    _el(feed, "id", FEED_ID)
    _el(feed, "updated", max([updated] + [str(r["observed_at"]) for r in changes]))
    _el(feed, "generator", "watcher")
    for row in changes:
        e = _el(feed, "entry")
        _el(e, "title", entry_title(row, (metric_types or {}).get(str(row["claim_id"]))))
        _el(e, "id", entry_id(row))
        _el(e, "updated", str(row["observed_at"]))
        if row.get("published"):
            _el(e, "published", str(row["published"]))
        url = str(row["url"])
        if url.startswith(("http://", "https://")):
            _el(e, "link", rel="alternate", href=url)
        if row.get("source"):
            author = _el(e, "author")
            _el(author, "name", str(row["source"]))
        summary = f"{row['sentence']}\n\nSource: {row.get('title') or url} ({row.get('feed')})"
        _el(e, "summary", summary, type="text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)


def write_atomically(path: Path, text: str) -> None:
    """Write a publishable file (page, feed, chart) whole, with the mode the umask gives.

    mkstemp would make it 0600, which a web server or feed reader running as another user
    cannot read; O_EXCL with 0666 lets the kernel apply the umask (usually giving 0644).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name beside {path}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
