"""OPML import and export of the feed list.

OPML files come from other feed readers and are untrusted: they are parsed with entity
expansion, DTD loading and network access all switched off, and any document that declares an
entity is refused outright rather than half-trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from lxml import etree

from watcher.config import check_url, parse_duration
from watcher.errors import ConfigError

__all__ = [
    "WATCHER_NS", "OpmlResult", "OutlineFeed", "format_duration", "parse_opml", "render_opml",
    "url_key",
]

# watcher's own settings ride along in their own namespace: other readers ignore them, and
# a plain "interval" attribute some other tool writes is never mistaken for ours.
WATCHER_NS = "https://watcher.invalid/ns/opml/1"
_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))

_FEED_TYPES = frozenset({"rss", "atom"})
_ENTITY_RE = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ENTITY_TEXT_RE = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
# Characters XML 1.0 cannot carry at all; dropped on export instead of failing the whole file.
_XML_INVALID_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class OutlineFeed:
    """One feed as OPML describes it; the config writer turns it into a [[feeds]] table."""

    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()
    site_url: str | None = None
    interval: str | None = None     # watcher:interval, e.g. "30m"; None means not given
    enabled: bool = True            # watcher:enabled="false" for a feed that is switched off


@dataclass
class OpmlResult:
    """Feeds kept, plus what was left out and why, so an import can tell the user."""

    feeds: list[OutlineFeed] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def url_key(url: str) -> str:
    """Comparison key for feed URLs: surrounding space and a trailing slash do not matter."""
    key = url.strip()
    parts = urlsplit(key)
    if parts.scheme and parts.netloc:
        # Scheme and host are case-insensitive; the path is not.
        key = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
    return key.rstrip("/")


def format_duration(seconds: float) -> str:
    """The shortest duration text parse_duration reads back as the same number of seconds."""
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def is_http_url(url: str) -> bool:
    """Only plain web URLs may be polled; file:, ftp:, javascript: and friends are refused."""
    return check_url(url) is None


def _decodings(data: bytes) -> Iterator[str]:
    """The document as text in every encoding it might plausibly use.

    A byte scan alone misses `<!ENTITY` written in UTF-16 or UTF-32, so those are decoded too.
    """
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            yield data[len(bom):].decode(encoding, errors="replace")
            break
    # Without a BOM, XML starts with "<" so the position of the zero bytes gives the width.
    sniff = (
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
    )
    for head, encoding in sniff:
        if data.startswith(head):
            usable = len(data) - len(data) % (4 if "32" in encoding else 2)
            yield data[:usable].decode(encoding, errors="replace")
            break


def _declares_entity(data: bytes) -> bool:
    if _ENTITY_RE.search(data) or _ENTITY_RE.search(data.replace(b"\x00", b"")):
        return True
    return any(_ENTITY_TEXT_RE.search(text) for text in _decodings(data))


def _make_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local(tag: object) -> str:
    """Element name without a namespace; comments and PIs have non-string tags."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _attr(element: etree._Element, name: str) -> str | None:
    """Attribute lookup that forgives the xmlURL/xmlurl spellings some exporters use."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if _local(key).lower() == wanted:
            return str(value)
    return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _category_tags(category: str | None) -> list[str]:
    """OPML 2.0 categories are comma-separated, each a slash-separated path; every part is a tag."""
    if not category:
        return []
    tags: list[str] = []
    for path in category.split(","):
        tags.extend(part.strip() for part in path.split("/") if part.strip())
    return tags


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def parse_opml(data: bytes, *, source: str = "<opml>") -> OpmlResult:
    """Read the feeds out of an OPML 1.0 or 2.0 document.

    Raises ConfigError when the document is not usable OPML or declares entities.
    """
    if _declares_entity(data):
        raise ConfigError(
            source, None, "OPML documents that declare entities (<!ENTITY ...>) are refused"
        )
    try:
        root = etree.fromstring(data, _make_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ConfigError(source, None, f"not readable XML: {exc}") from None
    if root is None or _local(root.tag).lower() != "opml":
        raise ConfigError(source, None, "not an OPML document (the root element is not <opml>)")
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ConfigError(
            source, None, "OPML documents that declare entities (<!ENTITY ...>) are refused"
        )
    body = next((child for child in root if _local(child.tag).lower() == "body"), None)
    if body is None:
        raise ConfigError(source, None, "not an OPML document (no <body> element)")

    result = OpmlResult()
    index: dict[str, int] = {}
    # Iterative walk: each entry carries the category path (tags) of its parent outlines.
    stack: list[tuple[etree._Element, tuple[str, ...]]] = [
        (child, ()) for child in reversed(list(body))
    ]
    while stack:
        outline, path = stack.pop()
        if _local(outline.tag).lower() != "outline":
            continue
        text = _clean(_attr(outline, "text"))
        title = _clean(_attr(outline, "title"))
        xml_url = _attr(outline, "xmlUrl")
        child_path = path
        if xml_url is None:
            label = text or title
            if label:
                child_path = (*path, label)
        else:
            _take_feed(result, index, outline, xml_url, title or text, path)
        stack.extend((child, child_path) for child in reversed(list(outline)))
    return result


def _take_feed(
    result: OpmlResult,
    index: dict[str, int],
    outline: etree._Element,
    xml_url: str,
    name: str | None,
    path: tuple[str, ...],
) -> None:
    url = xml_url.strip()
    label = url or name or "(outline without a URL)"
    kind = (_attr(outline, "type") or "").strip().lower()
    if kind and kind not in _FEED_TYPES:
        result.skipped.append((label, f"outline type {kind!r} is not a feed"))
        return
    if not url:
        result.skipped.append((label, "empty xmlUrl"))
        return
    if not is_http_url(url):
        result.skipped.append((url, "only http and https feed URLs are kept"))
        return
    tags = _dedupe((*path, *_category_tags(_attr(outline, "category"))))
    site = _clean(_attr(outline, "htmlUrl"))
    if site is not None and not is_http_url(site):
        site = None
    key = url_key(url)
    if key in index:
        # The same feed filed under two folders: keep the first, gather the tags of both.
        first = result.feeds[index[key]]
        merged = _dedupe((*first.tags, *tags))
        result.feeds[index[key]] = replace(first, tags=merged)
        result.skipped.append((url, "duplicate of an earlier outline; tags merged"))
        return
    interval, enabled = _watcher_settings(result, outline, url)
    index[key] = len(result.feeds)
    result.feeds.append(OutlineFeed(url=url, name=name, tags=tags, site_url=site,
                                    interval=interval, enabled=enabled))


def _watcher_settings(
    result: OpmlResult, outline: etree._Element, url: str
) -> tuple[str | None, bool]:
    """watcher:interval and watcher:enabled; a value that does not read is reported, not kept."""
    interval = _clean(outline.get(f"{{{WATCHER_NS}}}interval"))
    if interval is not None:
        try:
            parse_duration(interval)
        except ValueError as exc:
            result.skipped.append((url, f"watcher:interval ignored: {exc}"))
            interval = None
    enabled = True
    flag = _clean(outline.get(f"{{{WATCHER_NS}}}enabled"))
    if flag is not None:
        if flag.lower() in ("true", "false"):
            enabled = flag.lower() == "true"
        else:
            result.skipped.append((url, f"watcher:enabled ignored: {flag!r} is not true or false"))
    return interval, enabled


def _xml_text(value: str) -> str:
    return _XML_INVALID_RE.sub("", value)


def render_opml(
    feeds: Iterable[OutlineFeed],
    *,
    title: str = "watcher feeds",
    created: datetime | None = None,
) -> str:
    """Write feeds as OPML 2.0 that other readers import and parse_opml reads back unchanged.

    Tags go in the category attribute, so a tag containing "," or "/" comes back split.
    The interval and an "off" switch go in watcher's own namespace, so a round trip through
    OPML keeps them and other readers simply ignore them.
    A feed without a name gets an empty text attribute (text is mandatory in OPML).
    """
    root = etree.Element("opml", version="2.0", nsmap={"watcher": WATCHER_NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_text(title)
    when = created if created is not None else datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    etree.SubElement(head, "dateCreated").text = format_datetime(
        when.astimezone(UTC), usegmt=True
    )
    body = etree.SubElement(root, "body")
    for feed in feeds:
        outline = etree.SubElement(body, "outline")
        outline.set("type", "rss")
        outline.set("text", _xml_text(feed.name or ""))
        if feed.name:
            outline.set("title", _xml_text(feed.name))
        outline.set("xmlUrl", _xml_text(feed.url))
        if feed.site_url:
            outline.set("htmlUrl", _xml_text(feed.site_url))
        if feed.tags:
            outline.set("category", _xml_text(",".join(feed.tags)))
        if feed.interval:
            outline.set(f"{{{WATCHER_NS}}}interval", _xml_text(feed.interval))
        if not feed.enabled:
            outline.set(f"{{{WATCHER_NS}}}enabled", "false")
    text: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return _XML_DECLARATION + text
