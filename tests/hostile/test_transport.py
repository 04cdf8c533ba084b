"""Transport: what a hostile or broken HTTP server can do to one feed of a cycle."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

import pytest

from watcher.config import FetchConfig
from watcher.fetch import redirect_problem
from watcher.sample_site import Item, LoopbackSite, generate_articles, publish, render_rss2

from .conftest import Harness
from .servers import Handler, endless, raw, redirect, silent, streamed, trickle

FEED = render_rss2("Hostile", "http://news.example/", [
    Item("Only item", None, summary="A short summary that stands in for the article text.",
         guid="only-1")])
RSS = {"Content-Type": "application/rss+xml"}


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes gzipped, built a megabyte at a time (the test stays small)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    out = [z.compress(block) for _ in range(size >> 20)]
    return b"".join(out) + z.flush()


CASES: dict[str, tuple[Callable[[], Handler], str]] = {
    "gzip bomb": (lambda: raw(200, {**RSS, "Content-Encoding": "gzip"}, gzip_bomb(200_000_000)),
                  "max_bytes"),
    "stacked gzip, gzip": (lambda: raw(200, {**RSS, "Content-Encoding": "gzip, gzip"},
                                       gzip.compress(gzip_bomb(50_000_000))), "stacked"),
    "corrupt gzip": (lambda: raw(200, {**RSS, "Content-Encoding": "gzip"},
                                 gzip.compress(FEED)[:30] + b"\xff" * 40), "corrupt"),
    "corrupt deflate": (lambda: raw(200, {**RSS, "Content-Encoding": "deflate"},
                                    b"\x78\x9c" + b"\xfe" * 50), "corrupt"),
    "unknown encoding br": (lambda: raw(200, {**RSS, "Content-Encoding": "br"}, FEED),
                            "Content-Encoding"),
    "endless body": (lambda: streamed(endless), "max_bytes"),
    "Content-Length larger than body": (lambda: raw(200, RSS, FEED, length=len(FEED) + 5000),
                                        "network error"),
    "Content-Length smaller than body": (lambda: raw(200, RSS, FEED, length=100), "feed"),
    "trickling server": (lambda: trickle, "deadline"),
    "accepts, never answers": (lambda: silent, "timed out"),
    "404": (lambda: raw(404, {}, b"gone"), "HTTP 404"),
    "410": (lambda: raw(410, {}, b""), "HTTP 410"),
    "429 with Retry-After": (lambda: raw(429, {"Retry-After": "3600"}, b""), "HTTP 429"),
    "500": (lambda: raw(500, {}, b"oops"), "HTTP 500"),
    "304 without validators": (lambda: raw(304, {}, b""), "not conditional"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_transport_case(harness: Harness, name: str) -> None:
    make, expected = CASES[name]
    url = harness.site.add("/hostile.xml", make())
    fetch = FetchConfig(retries=0, deadline=2.0, read_timeout=1.5, connect_timeout=1.0,
                        max_bytes=2_000_000)
    result = harness.cycle(name, [url], fetch=fetch)
    error = result.feed_error(url)
    assert error is not None and expected.lower() in error.lower(), error
    if name == "429 with Retry-After":
        until = result.rows("SELECT retry_after_until FROM feeds WHERE url = ?", (url,))
        assert until[0][0]


def test_content_length_smaller_leaves_other_hosts_alone(harness: Harness) -> None:
    """Bytes past a short Content-Length stay on that host's connection."""
    harness.site.add("/short.xml", raw(200, RSS, FEED + b"HTTP/1.1 200 OK\r\n\r\n" * 50,
                                       length=len(FEED)))
    with LoopbackSite("127.0.0.3") as other:
        good = publish(other, generate_articles(3), feeds=1)[0]
        result = harness.cycle("Content-Length smaller, other hosts",
                               [harness.site.url("/short.xml"), good], expect_error=False,
                               good=False)
    assert result.outcomes[good].status == "ok" and result.outcomes[good].articles == 3


def test_redirect_cases(harness: Harness, victim: LoopbackSite) -> None:
    s = harness.site
    for i in range(8):
        s.add(f"/hop{i}", redirect(f"/hop{i + 1}"))
    s.add("/loop", redirect("/loop"))
    s.add("/to-loopback", redirect(victim.url("/secret")))
    s.add("/to-metadata", redirect("http://169.254.169.254/latest/meta-data/"))
    s.add("/to-file", redirect("file:///etc/passwd"))
    s.add("/to-gopher", redirect("gopher://127.0.0.1:70/"))
    s.add("/to-garbage", redirect("http://[::1"))
    cases = {"/hop0": "more than 5 redirects", "/loop": "redirect loop",
             "/to-loopback": "non-public", "/to-metadata": "non-public",
             "/to-file": "scheme 'file'", "/to-gopher": "scheme 'gopher'",
             "/to-garbage": "location"}
    result = harness.cycle("redirects: chain, loop, loopback, metadata, file:, gopher:",
                           [s.url(p) for p in cases])
    for path, expected in cases.items():
        error = result.feed_error(s.url(path))
        assert error and expected in error, (path, error)
    assert victim.requests("/secret") == []


def test_https_to_http_redirect_is_refused() -> None:
    assert redirect_problem("https://news.example/a", "http://news.example/a")
    assert redirect_problem("HTTPS://news.example/a", "HTTP://news.example/b")
    assert redirect_problem("http://news.example/a", "https://news.example/a") is None


def test_304_with_validators_costs_no_parse(harness: Harness) -> None:
    url = harness.site.add("/cond.xml", FEED)
    harness.cycle("304 with validators (first cycle)", [url], expect_error=False)
    harness.site.clear_log()
    result = harness.cycle("304 with validators (second cycle)", [url], expect_error=False,
                           good=False)
    assert result.outcomes[url].status == "not_modified"
    assert harness.site.requests("/cond.xml")[0].status == 304


@pytest.mark.parametrize("ctype", ["text/html; charset=utf-16", "image/png",
                                   "application/rss+xml; charset=bogus-42"])
def test_wrong_content_type_or_charset(harness: Harness, ctype: str) -> None:
    url = harness.site.add("/typed.xml", raw(200, {"Content-Type": ctype}, FEED))
    result = harness.cycle(f"wrong Content-Type {ctype}", [url], expect_error=False)
    o = result.outcomes[url]
    # either parsed despite the header, or a clear recorded error; never a crash
    assert o.status == "ok" or (o.error and "internal error" not in o.error), o


@pytest.mark.slow
def test_gzip_bomb_1gb(harness: Harness) -> None:
    bomb = gzip_bomb(1_000_000_000)
    url = harness.site.add("/bomb.xml", raw(200, {**RSS, "Content-Encoding": "gzip"}, bomb))
    result = harness.cycle(f"gzip bomb, 1 GB from {len(bomb) // 1000:,} kB", [url])
    assert "max_bytes" in (result.feed_error(url) or "")
