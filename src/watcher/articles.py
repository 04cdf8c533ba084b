"""Article text and metadata from a fetched page, via trafilatura.

Runs in a worker process (see ``workers``): extraction is CPU-bound and, on hostile
pages, super-linear, so it must never run on the event loop. Before trafilatura sees a
page, a sanity pass here decodes it (BOMs, UTF-16 without BOM, a wrong meta charset),
refuses binary or garbled bytes, and parses it once with lxml to refuse absurd trees and
flatten runs of thousands of inline elements (trafilatura's cost grows with roughly the
cube of the inline elements in one block: 10k spans take 6 s, 30k take a minute).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from typing import Any

from watcher.language import detect_language, normalise
from watcher.text import GARBAGE_LIMIT, clean_text, garbage_share

_LANG = re.compile(rb"<html[^>]{0,500}?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})",
                           re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
MIN_TEXT = 80   # characters; less than this is a teaser or an error page, not an article
MAX_ELEMENTS = 200_000     # a page with more elements is refused, not extracted
MAX_INLINE_RUN = 300       # more inline children than this in one block get flattened
TEXT_GARBAGE_LIMIT = 0.02  # stricter for extracted text: a real article has almost none
_INLINE = ("span", "font", "b", "i", "u", "s", "em", "strong", "small", "big", "sub", "sup",
           "mark", "abbr", "cite", "code", "q", "time", "tt", "var", "kbd", "samp", "bdi",
           "bdo", "ins", "del", "label", "data")


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura found on one page. ``text`` is empty when it found nothing."""

    text: str
    title: str | None
    author: str | None
    date: str | None
    sitename: str | None
    language: str | None      # declared by the page, else detected from ``text``
    canonical: str | None
    problem: str | None = None     # why no text: too short, garbage, extraction failed


# The characters garbage_share counts that are single bytes in UTF-8, found by asking it
# (tests/test_burst_articles.py holds the two equal for every character).
_GARBAGE_BYTES = bytes(c for c in range(128) if garbage_share(chr(c)) > 0)
_COUNTS_FFFD = garbage_share("\ufffd") > 0
_EXACT_UP_TO = 300_000     # garbage_share samples longer strings; leave those to it


def page_garbage_share(s: str) -> float:
    """``garbage_share`` of a whole page, counted in C: bytes.translate and str.count
    instead of a regex over every character (about a tenth of the time on a 100 kB
    page). Strings with lone surrogates, or longer than garbage_share reads whole, go
    to garbage_share itself."""
    if not s or len(s) > _EXACT_UP_TO:
        return garbage_share(s)
    try:
        data = s.encode("utf-8")
    except UnicodeEncodeError:      # lone surrogates
        return garbage_share(s)
    found = len(data) - len(data.translate(None, _GARBAGE_BYTES))
    if _COUNTS_FFFD:
        found += s.count("\ufffd")
    return found / len(s)


def declared_language(html: bytes) -> str | None:
    """The page's <html lang>, as a two-letter code."""
    m = _LANG.search(html[:20_000])
    return normalise(m.group(1).decode("ascii")) if m else None


def _decode(data: bytes, encoding: str) -> str | None:
    """Strict decoding that forgives a character cut in half at the end (the size cap)."""
    try:
        # whole bytes first: several times faster, and the same text when it succeeds
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError, ValueError):
        pass
    try:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        return str(decoder.decode(data, final=False))
    except (LookupError, UnicodeDecodeError, ValueError):
        return None


def _utf16_or_32(head: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the zero bytes fall in ASCII-heavy markup."""
    n = len(head) - len(head) % 4
    if n < 16:
        return None
    head = head[:n]
    zeros = [head[i::4].count(0) / (n // 4) for i in range(4)]
    if zeros[1] > 0.8 and zeros[2] > 0.8 and zeros[3] > 0.8 and zeros[0] < 0.2:
        return "utf-32-le"
    if zeros[0] > 0.8 and zeros[1] > 0.8 and zeros[2] > 0.8 and zeros[3] < 0.2:
        return "utf-32-be"
    even = (zeros[0] + zeros[2]) / 2
    odd = (zeros[1] + zeros[3]) / 2
    if odd > 0.4 and even < 0.1:
        return "utf-16-le"
    if even > 0.4 and odd < 0.1:
        return "utf-16-be"
    return None


def decode_html(html: bytes) -> tuple[str, str]:
    """The page as text, and the encoding used.

    Order: a BOM; UTF-16/32 told by its zero bytes; strict UTF-8 (valid UTF-8 is almost
    never an accident); the declared meta charset if it decodes strictly; a guess by
    charset_normalizer when it is confident; else UTF-8 with replacement characters,
    which the garbage check then refuses.
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if html.startswith(bom):
            return html.decode(enc, errors="replace"), enc
    wide = _utf16_or_32(html[:4096])
    if wide:
        return html.decode(wide, errors="replace"), wide
    text = _decode(html, "utf-8")
    if text is not None:
        return text, "utf-8"
    m = _META_CHARSET.search(html[:8192])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        if declared not in ("utf-7", "utf7", "utf-16", "utf-32"):
            text = _decode(html, declared)
            if text is not None:
                return text, declared
    try:
        from charset_normalizer import from_bytes

        sample = html[:20_000] + html[-20_000:] if len(html) > 40_000 else html
        best = from_bytes(sample).best()
        if best is not None and best.chaos < 0.1 and best.encoding not in ("utf_7",):
            text = _decode(html, best.encoding)
            if text is not None:
                return text, best.encoding
    except Exception:
        pass
    return html.decode("utf-8", errors="replace"), "utf-8 (replaced)"


_XPATHS: tuple[Any, Any] | None = None


def _xpaths() -> tuple[Any, Any]:
    """Compiled once per process: the element count, and the elements with more than
    MAX_INLINE_RUN children."""
    global _XPATHS
    if _XPATHS is None:
        from lxml import etree

        # "has a child number N+1" stops at that child; count(*) would count them all
        _XPATHS = (etree.XPath("count(//*)"),
                   etree.XPath(f"//*[*[{MAX_INLINE_RUN + 1}]]"))
    return _XPATHS


def _tree(text: str) -> tuple[Any, str | None]:
    """Parse once with lxml; refuse absurd trees, flatten runs of inline elements."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                        remove_pis=True)
    try:
        tree = document_fromstring(_XML_DECL.sub("", text, count=1), parser=parser)
    except (etree.ParserError, ValueError, TypeError) as e:
        return None, f"not parseable as HTML ({type(e).__name__})"
    count, crowded = _xpaths()
    # both in libxml2: a walk in Python costs a proxy object per element
    if count(tree) > MAX_ELEMENTS:
        return None, f"page has more than {MAX_ELEMENTS:,} elements (refused)"
    flattened = False
    for el in crowded(tree):
        inline = sum(1 for child in el if isinstance(child.tag, str) and child.tag in _INLINE)
        if inline > MAX_INLINE_RUN:
            etree.strip_tags(el, *_INLINE)
            flattened = True
    if flattened:
        # strip_tags leaves the text as thousands of adjacent text nodes, which lxml
        # joins on every access: a round trip through a string merges them
        tree = document_fromstring(etree.tostring(tree, encoding="unicode"), parser=parser)
    return tree, None


def extract_page(html: bytes, url: str, *, max_bytes: int = 3_000_000) -> Page:
    """Main text and metadata of an HTML page, without reader comments."""
    import trafilatura  # imported here: the parent process never needs it

    lang = declared_language(html)
    if len(html) > max_bytes:
        html = html[:max_bytes]
    text_doc, encoding = decode_html(html)
    share = page_garbage_share(text_doc)
    if share > GARBAGE_LIMIT:
        return Page("", None, None, None, None, lang, None,
                    problem=f"page is binary or garbled ({share:.0%} replacement or control "
                            f"characters as {encoding})")
    tree, problem = _tree(text_doc)
    if tree is None:
        return Page("", None, None, None, None, lang, None, problem=problem)
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, with_metadata=True,
            include_tables=True, deduplicate=False,
        )
    except Exception as e:   # trafilatura raises a variety of parser errors on bad input
        return Page("", None, None, None, None, lang, None,
                    problem=f"extraction failed: {type(e).__name__}")
    if doc is None:
        return Page("", None, None, None, None, lang, None, problem="no article text found")
    raw = getattr(doc, "text", None) or ""
    text = clean_text(raw).strip()

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None)
        return clean_text(str(value)).strip()[:1000] or None if value else None

    declared = normalise(meta("language")) or lang
    page = Page(text=text, title=meta("title"), author=meta("author"), date=meta("date"),
                sitename=meta("sitename"), language=declared, canonical=meta("url"))
    share = page_garbage_share(raw)
    if share > TEXT_GARBAGE_LIMIT:
        return Page("", page.title, None, None, None, lang, None,
                    problem=f"page text is binary or garbled ({share:.0%} replacement or "
                            "control characters)")
    if len(text) < MIN_TEXT:
        return Page("", page.title, page.author, page.date, page.sitename, page.language,
                    page.canonical, problem=f"article text too short ({len(text)} chars)")
    # detected here, in the worker: the analysis that follows reads numbers by it
    return replace(page, language=detect_language(text, declared))
