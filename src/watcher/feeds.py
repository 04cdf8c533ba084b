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
from watcher.language import normalise
from watcher.text import GARBAGE_LIMIT, clean_text, garbage_share, html_to_text
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
    language: str | None = None       # declared by the entry, else by the feed


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    version: str
    entries: tuple[Entry, ...]
    warning: str | None       # feedparser's bozo message, when entries came anyway
    known_skipped: int = 0    # entries left out because their key was in ``known``


def declares_entities(body: bytes) -> bool:
    """True when the document declares an XML entity, in any UTF encoding."""
    lowered = body[:4_000_000].lower()
    return any(mark in lowered for mark in _ENTITY_MARKS)


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


def _declared_language(e: Any, feed_language: str | None) -> str | None:
    """The entry's own declaration (its content's, summary's or title's xml:lang), else
    the feed's <language>: a code as ``watcher.language.normalise`` gives it."""
    contents = e.get("content") or []
    details = [c for c in contents if isinstance(c, dict)]
    details += [e.get(k) for k in ("summary_detail", "title_detail")]
    for d in details:
        lang = normalise(d.get("language")) if isinstance(d, dict) else None
        if lang:
            return lang
    return feed_language


def _readable(text: str) -> str:
    """Cleaned text, or "" when it is binary or garbled (it must not become an article)."""
    return "" if garbage_share(text) > GARBAGE_LIMIT else clean_text(text)


_XML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<")


def parse_feed(body: bytes, *, url: str, content_type: str | None = None,
               known: frozenset[str] | None = None) -> ParsedFeed:
    """Parse one feed document. Raises FeedError when it yields no usable feed.

    Entries whose key is in ``known`` are counted in ``known_skipped`` and left out
    before their text is cleaned: a changed feed is mostly entries already stored.
    """
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
    feed_language = normalise(feed.get("language"))
    entries: list[Entry] = []
    seen: set[str] = set()
    skipped = 0
    for e in entries_raw:
        raw_link = (e.get("link") or "").strip()
        link: str | None = None
        problem: str | None = None
        if raw_link:
            absolute = absolutize(raw_link, url)
            problem = link_problem(absolute)
            link = None if problem else absolute
        guid = clean_text(e.get("id") or "").strip() or None
        title: str | None = None
        published: str | None = None
        if guid or link:
            key = _entry_key(guid, link, "", None)
        else:
            title = clean_text(html_to_text(e.get("title") or ""))[:1000]
            published = _iso(e.get("published_parsed") or e.get("updated_parsed"))
            key = _entry_key(guid, link, title, published)
        if key in seen:
            continue
        seen.add(key)
        if known is not None and key in known:
            skipped += 1
            continue
        if title is None:
            title = clean_text(html_to_text(e.get("title") or ""))[:1000]
            published = _iso(e.get("published_parsed") or e.get("updated_parsed"))
        summary = _readable(html_to_text(e.get("summary") or ""))
        entries.append(Entry(
            key=key, guid=guid, link=link, canonical=canonical_url(link) if link else None,
            title=title, published=published, summary=summary,
            content=_readable(_content_text(e)),
            author=clean_text(e.get("author") or "")[:300] or None,
            link_problem=problem, language=_declared_language(e, feed_language),
        ))
    feed_link = feed.get("link")
    return ParsedFeed(
        title=clean_text(html_to_text(feed.get("title") or ""))[:500] or None,
        link=feed_link if isinstance(feed_link, str) and not link_problem(feed_link) else None,
        version=str(parsed.get("version") or "unknown"),
        entries=tuple(entries),
        warning=clean_text(warning)[:500] if warning else None,
        known_skipped=skipped,
    )


# -- prescan: entry keys without feedparser ---------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
# Local names (lower-cased, as feedparser folds them) that can set an entry's id or link,
# or start an entry: met anywhere but where expected, the prescan gives up.
_KEY_NAMES = frozenset({"guid", "id", "link", "item", "entry", "identifier", "origlink",
                        "about", "base", "href", "permalink"})
_SAFE_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1",
                            "latin1", "windows-1252", "cp1252", "iso-8859-15"})
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.I)
_ATOM_LINK_ATTRS = frozenset({"href", "rel", "type", "title", "hreflang", "length"})


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KEY_TAGS = {"rss": ("guid", "link"), "rss1": ("", _RSS1 + "link"),
             "atom": (_ATOM + "id", _ATOM + "link")}


class _Unsure(Exception):
    """The prescan cannot promise feedparser's answer: the caller must parse."""


def _prescan_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           recover=False, load_dtd=False, collect_ids=False)


_PARSER: Any = None


def _mentions_base(body: bytes) -> bool:
    """Whether ``base=`` (xml:base or base, any case) may occur: feedparser follows it."""
    lowered = body.lower()
    at = lowered.find(b"base")
    while at != -1:
        if lowered[at + 4:at + 40].lstrip().startswith(b"="):
            return True
        at = lowered.find(b"base", at + 4)
    return False


def entry_keys_prescan(body: bytes, url: str, *, content_type: str | None = None
                       ) -> list[str] | None:
    """The keys ``parse_feed`` would give this document's entries, in order, or None.

    Costs a fraction of feedparser (lxml, no text cleaning), so a changed feed whose
    entries are all known can skip the full parse. None whenever the answer might differ
    from ``parse_feed``'s: not RSS 2.0/0.9x, RSS 1.0 or Atom 1.0, not well formed, refused
    by ``shape_problem``, xml:base, a DOCTYPE, non-ASCII keys, an entry whose key would be
    a hash, an id or link anywhere unusual. Never raises.
    """
    global _PARSER
    from lxml import etree

    if not body.strip() or b"\x00" in body or not _XML_START.match(body):
        return None
    if content_type:
        m = _CHARSET.search(content_type)
        if m and m.group(1).lower() not in _SAFE_CHARSETS:
            return None
    if _mentions_base(body) or shape_problem(body, content_type):
        return None
    if _PARSER is None:
        _PARSER = _prescan_parser()
    try:
        root = etree.fromstring(body, _PARSER)
        info = root.getroottree().docinfo
        if info.doctype or (info.encoding or "utf-8").lower() not in _SAFE_CHARSETS:
            return None
        return _prescan_keys(root, url)
    except (_Unsure, etree.LxmlError, ValueError, UnicodeError, TypeError):
        return None


def _prescan_keys(root: Any, url: str) -> list[str] | None:
    from feedparser.urls import _urljoin, make_safe_absolute_uri

    tag = root.tag
    if tag == "rss" and root.get("version", "").startswith(("0.9", "2.")):
        channels = [c for c in root if c.tag == "channel"]
        if len(channels) != 1:
            return None
        items = [c for c in channels[0] if c.tag == "item"]
        kind = "rss"
    elif tag == _RDF + "RDF":
        items = [c for c in root if c.tag == _RSS1 + "item"]
        kind = "rss1"
    elif tag == _ATOM + "feed":
        items = [c for c in root if c.tag == _ATOM + "entry"]
        kind = "atom"
    else:
        return None
    if not items or len(items) > MAX_ENTRIES:
        return None
    # Every element that can start an entry or set its id or link (by its distinct tags,
    # then lxml's own tag filter): entries must be ours (feedparser starts one at any item
    # or entry), and inside an entry such an element must be a child _prescan_one reads.
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)}
    risky = [t for t in tags if t.rpartition("}")[2].lower() in _KEY_NAMES]
    wanted: dict[Any, list[Any]] = {item: [] for item in items}
    for el in root.iter(*risky):
        if el in wanted:
            continue
        parent = el.getparent()
        if parent in wanted:
            wanted[parent].append(el)
            continue
        name = el.tag.rpartition("}")[2].lower()
        if name in ("item", "entry") or any(a in wanted for a in el.iterancestors()):
            return None
    # feedparser's base: the feed URL, made absolute once per element, as it does.
    base = make_safe_absolute_uri(url, url) or url
    if (make_safe_absolute_uri(base, base) or base) != base:
        return None
    keys: list[str] = []
    seen: set[str] = set()
    for item in items:
        key = _prescan_one(item, wanted[item], kind, base, url, _urljoin)
        if key is None:
            return None
        if key not in seen:
            seen.add(key)
            keys.append(key)
    return keys


def _text_of(el: Any) -> str:
    """Element text as feedparser's pop() gives it; children or comments: unsure."""
    if len(el):
        raise _Unsure
    return "" if el.text is None else str(el.text).strip()


def _ascii(value: str) -> str:
    if not value.isascii():
        raise _Unsure
    return value


def _prescan_one(item: Any, children: list[Any], kind: str, base: str, url: str,
                 urljoin: Any) -> str | None:
    """One entry's key, or None when it would be a hash or anything is unclear."""
    attrs = item.attrib
    if attrs and ({k for k in attrs if k != _XML_LANG} - ({_RDF + "about"} if kind == "rss1"
                                                          else set())):
        return None
    id_tag, link_tag = _KEY_TAGS[kind]
    ids = []
    links = []
    for child in children:
        if child.tag == id_tag:
            ids.append(child)
        elif child.tag == link_tag:
            links.append(child)
        else:
            return None
    if len(ids) > 1:
        return None
    guid: str | None = None
    if kind == "rss1":
        about = item.get(_RDF + "about")
        if about:
            guid = clean_text(_ascii(about)).strip()
            if not guid:
                return None
    elif ids:
        el = ids[0]
        if kind == "rss":
            if set(el.attrib) - {"isPermaLink"}:
                return None
            is_link = el.get("isPermaLink", "true") == "true"
        else:
            if el.attrib:
                return None
            is_link = True
        value = _text_of(el)
        if not value:
            return None     # an empty id: feedparser's link bookkeeping gets subtle
        if is_link:
            value = urljoin(base, value)
        guid = clean_text(_ascii(value)).strip()
        if not guid:
            return None
    if guid:
        return _entry_key(guid, None, "", None)
    if len(links) != 1:
        return None     # none: the key would be a hash; several: which one wins is subtle
    el = links[0]
    if kind == "atom":
        if set(el.attrib) - _ATOM_LINK_ATTRS or len(el):
            return None
        if el.get("rel", "alternate") != "alternate" or el.get("type", "text/html") != \
                "text/html":
            return None
        href = el.get("href")
        if not href:
            return None
        raw = _ascii(urljoin(base, href))
    else:
        if el.attrib:
            return None
        value = _text_of(el)
        if not value:
            return None
        raw = _ascii(urljoin(base, value))
        if "&amp;" in raw or re.search("&([A-Za-z0-9_]+);", raw):
            return None     # feedparser rewrites these; do not guess
    raw = raw.strip()
    if not raw:
        return None
    absolute = absolutize(raw, url)
    if link_problem(absolute):
        return None
    return _entry_key(None, absolute, "", None)
