"""The functions that run inside worker processes, importable by the forkserver.

Keep them top-level and their arguments and results plain (bytes, str, dataclasses):
they cross a process boundary.
"""

from __future__ import annotations

from watcher.articles import Page, extract_page
from watcher.feeds import ParsedFeed, parse_feed

__all__ = ["extract_task", "parse_task"]


def parse_task(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type)


def extract_task(html: bytes, url: str, max_bytes: int) -> Page:
    return extract_page(html, url, max_bytes=max_bytes)
