"""Entry links that point where they must not, and article pages built to hurt."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from watcher.config import ExtractConfig, FetchConfig
from watcher.fetch import system_resolver
from watcher.sample_site import LoopbackSite

from .conftest import Harness, annotate
from .servers import streamed
from .test_feeds import item, rss

SUMMARY = "The summary stands in when the linked page is refused or useless."


def link_cases(victim: LoopbackSite) -> dict[str, tuple[str, str]]:
    port = victim.base.rsplit(":", 1)[1]
    return {
        "javascript:": ("javascript:alert(document.cookie)", "scheme"),
        "data:": ("data:text/html;base64,PHNjcmlwdD4=", "scheme"),
        "file:": ("file:///etc/passwd", "scheme"),
        "gopher:": (f"gopher://127.0.0.1:{port}/_GET%20/secret", "scheme"),
        "decimal 2130706433": (f"http://2130706433:{port}/secret", "non-public"),
        "hex 0x7f000001": (f"http://0x7f000001:{port}/secret", "non-public"),
        "short 127.1": (f"http://127.1:{port}/secret", "non-public"),
        "0.0.0.0": (f"http://0.0.0.0:{port}/secret", "non-public"),
        "[::ffff:127.0.0.1]": (f"http://[::ffff:127.0.0.1]:{port}/secret", "non-public"),
        "userinfo x@127.0.0.1": (f"http://x@127.0.0.1:{port}/secret", "user info"),
        "backslash trick": (f"http://news.example\\@127.0.0.1:{port}/secret", "backslash"),
        "10/8": ("http://10.20.30.40/", "non-public"),
        "172.16/12": ("http://172.20.1.1/", "non-public"),
        "192.168/16": ("http://192.168.0.1/", "non-public"),
        "100.64/10": ("http://100.64.10.10/", "non-public"),
        "169.254.169.254": ("http://169.254.169.254/latest/meta-data/", "non-public"),
        "fd00::/8": ("http://[fd00::1]/", "non-public"),
        "name resolving to 10.0.0.5": ("http://intranet.news.example/", "non-public"),
        "name resolving to loopback": (f"http://rebind.news.example:{port}/secret",
                                       "non-public"),
    }


async def stub_resolver(host: str, port: int) -> list[str]:
    """Names under news.example resolve to internal addresses; the rest as usual."""
    table = {"intranet.news.example": ["10.0.0.5"], "rebind.news.example": ["127.0.0.1"]}
    if host in table:
        return table[host]
    return await system_resolver(host, port)


def test_entry_links(harness: Harness, victim: LoopbackSite) -> None:
    cases = link_cases(victim)
    items = "".join(item(title=f"Link {name}", guid=f"link-{i}", link=link.replace("&", "&amp;"),
                         summary=SUMMARY)
                    for i, (name, (link, _)) in enumerate(cases.items()))
    url = harness.site.add("/links.xml", rss(items))
    result = harness.cycle("entry links: schemes, numeric loopback, private ranges, rebinding",
                           [url], resolver=stub_resolver, expect_error=False)
    assert result.outcomes[url].status == "ok"
    rows = dict(result.rows("SELECT e.title, a.problem || ' / ' || a.text_source "
                            "FROM entries e JOIN articles a ON a.id = e.article_id"))
    for name, (_, expected) in cases.items():
        got = rows.get(f"Link {name}")
        assert got and expected in got and "feed_summary" in got, (name, got)
    assert victim.requests() == []


def page_feed(harness: Harness, name: str, page: Any) -> tuple[str, str]:
    """A feed with one entry linking to ``page``; returns (feed URL, page URL)."""
    slug = f"/p{abs(hash(name))}"
    link = harness.site.add(slug + ".html", page, content_type="text/html")
    feed = harness.site.add(slug + ".xml", rss(item(title=name, guid=slug, link=link,
                                                    summary=SUMMARY)))
    return feed, link


def _page_chunks(total: int, single_line: bool = False) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield b"<!DOCTYPE html><html lang='en'><head><title>Big</title></head><body><article>"
        sent = n = 0
        while sent < total:
            n += 1
            if single_line:
                para = b"".join(b"word%d " % (n * 1000 + i) for i in range(1000))
            else:
                para = b"".join(b"<p>Reporters filed paragraph %d about the harbour, the grain "
                                b"and the trains that carry both to the coast.</p>\n"
                                % (n * 100 + i) for i in range(100))
            yield para
            sent += len(para)
        yield b"</article></body></html>"
    return chunks


def html_cases() -> dict[str, tuple[bytes, str]]:
    lines = "".join(f"<p>Opening paragraph number {i} of the article, long enough to count "
                    f"as text on its own.</p>" for i in range(3))
    ru = "Военные сообщили о новых боях в районе, где продолжается наступление. " * 6
    ja = "記者会見で当局者は、前線の状況について新しい数字を示したが、詳細は伏せた。" * 6
    zh = "官员表示，边境地区的局势仍然紧张，但没有提供更多具体数字和细节。" * 6

    def doc(body: str, charset: str) -> str:
        return (f'<html><head><meta charset="{charset}"></head><body><article><p>{body}</p>'
                "</article></body></html>")

    return {
        "100k inline spans in one paragraph": (
            ("<html><body><article>" + lines + "<p>" + "<span>w</span> " * 100_000
             + "</p></article></body></html>").encode(), "page"),
        "100k nested divs": (("<html><body><article>" + lines + "<div>" * 100_000 + "x"
                              + "</div>" * 100_000 + "</article></body></html>").encode(),
                             "page"),
        "binary with <html>": (b"<html><body>" + os.urandom(300_000) + b"</body></html>",
                               "garbled"),
        "binary without <html>": (os.urandom(300_000), "garbled"),
        "meta says utf-8, bytes are cp1251": (doc(ru, "utf-8").encode("cp1251"), "Военные"),
        "meta says utf-8, bytes are Shift_JIS": (doc(ja, "utf-8").encode("shift_jis"),
                                                 "記者会見"),
        "meta says Shift_JIS, bytes are GB18030": (doc(zh, "shift_jis").encode("gb18030"),
                                                   "官员表示"),
        "meta says cp1251, bytes are UTF-8": (doc(ru, "windows-1251").encode(), "Военные"),
        "UTF-16LE without BOM": ((doc("Plain words of an article about grain shipments. " * 5,
                                      "utf-16")).encode("utf-16-le"), "grain shipments"),
    }


def test_hostile_pages(harness: Harness) -> None:
    for name, (page, expected) in html_cases().items():
        url, link = page_feed(harness, name, page)
        result = harness.cycle(f"html: {name}", [url], expect_error=False)
        assert result.outcomes[url].status == "ok", name
        text, source, problem = result.rows(
            "SELECT text, text_source, problem FROM articles WHERE link = ?", (link,))[0]
        annotate(f"article from {source}: {problem or f'{len(text):,} chars of text'}")
        if expected == "page":
            assert source == "page", (name, problem)
        elif expected == "garbled":
            assert source == "feed_summary" and "garbled" in (problem or ""), (name, problem)
            assert "\ufffd" not in text
        else:
            assert source == "page" and expected in text, (name, problem, text[:80])


@pytest.mark.parametrize("mb,single", [
    pytest.param(5, False, id="5MB"),
    pytest.param(5, True, id="5MB-single-line"),
    pytest.param(20, False, id="20MB"),
    pytest.param(50, False, id="50MB", marks=pytest.mark.slow),
    pytest.param(50, True, id="50MB-single-line", marks=pytest.mark.slow),
])
def test_big_pages(harness: Harness, mb: int, single: bool) -> None:
    name = f"html: {mb} MB page{' on one line' if single else ''}"
    url, link = page_feed(harness, name, streamed(_page_chunks(mb * 1_000_000, single),
                                                  {"Content-Type": "text/html"}))
    max_bytes = 60_000_000 if mb >= 50 else 10_000_000   # 50 MB: fetched, then capped
    result = harness.cycle(name, [url], expect_error=False, budget_s=60,
                           fetch=FetchConfig(retries=0, deadline=30.0, max_bytes=max_bytes),
                           extract=ExtractConfig(workers=1, item_timeout=20.0,
                                                 max_html_bytes=3_000_000))
    source, problem, size = result.rows(
        "SELECT text_source, problem, length(text) FROM articles WHERE link = ?", (link,))[0]
    annotate(f"article from {source}: {problem or f'{size:,} chars of text'}")
    if mb * 1_000_000 > max_bytes:
        assert source == "feed_summary" and "max_bytes" in problem
    else:
        assert source == "page" and size > 100_000, (problem, size)
