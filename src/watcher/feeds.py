"""Turn fetched feed bytes into entries with a stable identity.

feedparser is handed the bytes we fetched, wrapped in BytesIO: given a str or bytes it
will fetch URLs and open local paths by itself, without our limits.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from watcher.errors import FeedError
from watcher.text import clean_text, garbage_share, html_to_text
from watcher.urls import absolutize, canonical_url, link_problem

# "<!ENTITY" in the encodings a feed may arrive in. An internal entity referenced
# thousands of times makes feedparser's fallback parser expand it without limit.
_ENTITY_MARKS = tuple(
    "<!entity".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le",
                                       "utf-32-be")
)


@dataclass(frozen=True, slots=True)
class Entry:
    key: str                  # identity within the feed: guid, else link, else hash
    guid: str | None
    link: str | None          # absolute, http(s) only
    canonical: str | None     # link without tracking parameters
    title: str
    published: str | None     # ISO 8601 UTC
    summary: str              # plain text
    content: str              # plain text of the fullest content the feed carries
    author: str | None
    link_problem: str | None = None   # why the link was dropped, if it was


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    version: str
    entries: tuple[Entry, ...]
    warning: str | None       # feedparser's bozo message, when entries came anyway


def declares_entities(body: bytes) -> bool:
    """True when the document declares an XML entity, in any UTF encoding."""
    lowered = body[:4_000_000].lower()
    return any(mark in lowered for mark in _ENTITY_MARKS)


GARBAGE_LIMIT = 0.05      # share of replacement/control characters that marks text garbled
MAX_ENTRIES = 10_000      # items or entries in one feed document
_ITEM = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
MAX_DEPTH = 1000          # element nesting a feed may have
MAX_ATTRIBUTES = 256      # attributes on one element (feedparser is quadratic in them)
_CDATA_OR_COMMENT = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|$)|<!--.*?(?:-->|$)", re.S)
_LONG_TAG = re.compile(rb"<[A-Za-z_][^<>]{1024,}")
_TAG = re.compile(rb"<(/?)([A-Za-z_][\w:.-]*)[^<>]*?(/?)>")
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr"
                  .split())


def _as_parsed(body: bytes, content_type: str | None) -> bytes:
    """The bytes feedparser will actually parse: its own conversion to UTF-8.

    Checking only the raw bytes would miss ``<!ENTITY`` written in UTF-7 or another
    encoding the document declares; this is the text the parser sees.
    """
    from feedparser.encodings import convert_to_utf8

    headers = {"content-type": content_type} if content_type else {}
    result: dict[str, Any] = {}
    try:
        return bytes(convert_to_utf8(headers, body, result))
    except Exception:   # feedparser will report the same trouble itself
        return body


def shape_problem(body: bytes, content_type: str | None = None) -> str | None:
    """Why a document is refused before parsing: entities, absurd nesting or attributes.

    Cheap (regular expressions, one pass), so a hostile feed costs milliseconds here
    instead of minutes in feedparser.
    """
    if declares_entities(body):
        return "document declares XML entities (refused: entity expansion attack)"
    text = _as_parsed(body, content_type)
    if text is not body and b"<!entity" in text[:4_000_000].lower():
        return "document declares XML entities (refused: entity expansion attack)"
    plain = _CDATA_OR_COMMENT.sub(b"", text)
    items = len(_ITEM.findall(plain))
    if items > MAX_ENTRIES:
        return f"feed has {items:,} items (limit {MAX_ENTRIES:,}): refused"
    for m in _LONG_TAG.finditer(plain):
        attrs = m.group(0).count(b"=")
        if attrs > MAX_ATTRIBUTES:
            return f"an element carries {attrs:,} attributes (limit {MAX_ATTRIBUTES}): refused"
    depth = 0
    for m in _TAG.finditer(plain):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(3) and m.group(2).lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return f"elements nested more than {MAX_DEPTH} deep: refused"
    return None


def _iso(struct: Any) -> str | None:
    if not struct:
        return None
    try:
        dt = datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z")


def _entry_key(guid: str | None, link: str | None, title: str, date: str | None) -> str:
    if guid:
        return "id:" + guid[:500]
    if link:
        return "link:" + link[:1000]
    digest = hashlib.sha256(f"{title}\x00{date or ''}".encode()).hexdigest()[:32]
    return "hash:" + digest


def _content_text(e: Any) -> str:
    best = ""
    for c in e.get("content") or []:
        value = c.get("value") or ""
        if len(value) > len(best):
            best = value
    return html_to_text(best) if best else ""


def _readable(text: str) -> str:
    """Cleaned text, or "" when it is binary or garbled (it must not become an article)."""
    return "" if garbage_share(text) > GARBAGE_LIMIT else clean_text(text)


_XML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<")


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse one feed document. Raises FeedError when it yields no usable feed."""
    if not body.strip():
        raise FeedError("empty response body")
    refusal = shape_problem(body, content_type)
    if refusal:
        raise FeedError(refusal)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              resolve_relative_uris=True, sanitize_html=True)
    entries_raw = parsed.get("entries") or []
    warning = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warning = f"{type(exc).__name__}: {exc}" if exc else "malformed feed"
        if not entries_raw:
            raise FeedError(f"not a feed ({clean_text(warning)[:200]})")
    if not entries_raw and not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed")
    feed = parsed.get("feed") or {}
    entries: list[Entry] = []
    seen: set[str] = set()
    for e in entries_raw:
        title = clean_text(html_to_text(e.get("title") or ""))[:1000]
        raw_link = (e.get("link") or "").strip()
        link: str | None = None
        problem: str | None = None
        if raw_link:
            absolute = absolutize(raw_link, url)
            problem = link_problem(absolute)
            link = None if problem else absolute
        guid = clean_text(e.get("id") or "").strip() or None
        published = _iso(e.get("published_parsed") or e.get("updated_parsed"))
        key = _entry_key(guid, link, title, published)
        if key in seen:
            continue
        seen.add(key)
        summary = _readable(html_to_text(e.get("summary") or ""))
        entries.append(Entry(
            key=key, guid=guid, link=link, canonical=canonical_url(link) if link else None,
            title=title, published=published, summary=summary,
            content=_readable(_content_text(e)),
            author=clean_text(e.get("author") or "")[:300] or None,
            link_problem=problem,
        ))
    feed_link = feed.get("link")
    return ParsedFeed(
        title=clean_text(html_to_text(feed.get("title") or ""))[:500] or None,
        link=feed_link if isinstance(feed_link, str) and not link_problem(feed_link) else None,
        version=str(parsed.get("version") or "unknown"),
        entries=tuple(entries),
        warning=clean_text(warning)[:500] if warning else None,
    )
