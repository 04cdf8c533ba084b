"""Article text and metadata from a fetched page, via trafilatura.

Runs in a worker process (see ``workers``): extraction is CPU-bound and, on hostile
pages, super-linear, so it must never run on the event loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watcher.text import clean_text, garbage_share

_LANG = re.compile(rb"<html[^>]{0,500}?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
MIN_TEXT = 80   # characters; less than this is a teaser or an error page, not an article


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura found on one page. ``text`` is empty when it found nothing."""

    text: str
    title: str | None
    author: str | None
    date: str | None
    sitename: str | None
    language: str | None
    canonical: str | None
    problem: str | None = None     # why no text: too short, garbage, extraction failed


def detect_language(html: bytes) -> str | None:
    m = _LANG.search(html[:20_000])
    return m.group(1).decode("ascii").lower() if m else None


def extract_page(html: bytes, url: str, *, max_bytes: int = 3_000_000) -> Page:
    """Main text and metadata of an HTML page, without reader comments."""
    import trafilatura  # imported here: the parent process never needs it

    lang = detect_language(html)
    if len(html) > max_bytes:
        html = html[:max_bytes]
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, include_comments=False, with_metadata=True,
            include_tables=True, deduplicate=False,
        )
    except Exception as e:   # trafilatura raises a variety of parser errors on bad input
        return Page("", None, None, None, None, lang, None,
                    problem=f"extraction failed: {type(e).__name__}")
    if doc is None:
        return Page("", None, None, None, None, lang, None, problem="no article text found")
    text = clean_text(getattr(doc, "text", None) or "").strip()

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None)
        return clean_text(str(value)).strip()[:1000] or None if value else None

    page = Page(text=text, title=meta("title"), author=meta("author"), date=meta("date"),
                sitename=meta("sitename"), language=meta("language") or lang,
                canonical=meta("url"))
    if garbage_share(text) > 0.02:
        return Page("", page.title, None, None, None, lang, None,
                    problem="page text is binary or garbled")
    if len(text) < MIN_TEXT:
        return Page("", page.title, page.author, page.date, page.sitename, page.language,
                    page.canonical, problem=f"article text too short ({len(text)} chars)")
    return page
