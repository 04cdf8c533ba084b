"""The functions that run inside worker processes, importable by the forkserver.

Keep them top-level and their arguments and results plain (bytes, str, dataclasses):
they cross a process boundary.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from watcher.articles import Page, extract_page
from watcher.feeds import ParsedFeed, parse_feed

__all__ = ["Analyser", "Extracted", "extract_task", "parse_task"]

# A later stage's analysis, run in the same worker right after extraction:
# (top-level function of (text, language, published, *args), its extra args).
Analyser = tuple[Callable[..., Any], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Extracted:
    page: Page
    html_z: bytes            # the page, zlib-compressed for storage
    analysis: Any = None     # the analyser's result, when the page had text


def parse_task(body: bytes, url: str, content_type: str | None,
               known: frozenset[str] | None = None) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type, known=known)


def extract_task(html: bytes, url: str, max_bytes: int, published: str | None = None,
                 analyser: Analyser | None = None) -> Extracted:
    """Extraction, compression and analysis in one trip to a worker: none of it then
    runs on the event loop, and the text never crosses the process boundary twice."""
    page = extract_page(html, url, max_bytes=max_bytes)
    analysis = None
    if analyser is not None and page.text:
        fn, args = analyser
        analysis = fn(page.text, page.language, published, *args)
    return Extracted(page, zlib.compress(html, 1), analysis)
