"""The fetch chokepoint against a real loopback server."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import threading
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from watcher.config import FetchConfig
from watcher.errors import BlockedURLError, FetchError
from watcher.fetch import Fetcher, Response, retry_after_seconds
from watcher.sample_site import LoopbackSite
from watcher.urls import IPAddress, canonical_url, is_public_address, link_problem

FAST = FetchConfig(retries=0, backoff=0.05, deadline=5.0, max_bytes=1_000_000)


def fetch(url: str, cfg: FetchConfig = FAST, **kw: Any) -> Response:
    async def go() -> Response:
        async with Fetcher(cfg, **{k: kw.pop(k) for k in ("resolver", "is_public") if k in kw}
                           ) as f:
            return await f.get(url, **kw)
    return asyncio.run(go())


def raw_handler(status: int, headers: dict[str, str], body: bytes) -> Callable[
        [BaseHTTPRequestHandler], None]:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return handle


def test_plain_get_and_conditional_get(site: LoopbackSite) -> None:
    url = site.add("/feed.xml", b"<rss/>")
    first = fetch(url, trusted=True)
    assert first.status == 200 and first.body == b"<rss/>"
    assert first.etag and first.last_modified
    second = fetch(url, trusted=True, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    sent = site.requests("/feed.xml")[-1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == first.last_modified
    assert "watcher" in sent["user-agent"]


def test_gzip_is_decoded(site: LoopbackSite) -> None:
    url = site.add("/g", b"hello " * 1000, gzip=True)
    assert fetch(url, trusted=True).body == b"hello " * 1000


def test_gzip_bomb_stops_at_the_decoded_cap(site: LoopbackSite) -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)   # ~200 kB on the wire
    site.add("/bomb", raw_handler(200, {"Content-Encoding": "gzip"}, bomb))
    with pytest.raises(FetchError) as info:
        fetch(site.url("/bomb"), trusted=True)
    assert info.value.kind == "too_large"


def test_stacked_encodings_refused(site: LoopbackSite) -> None:
    body = gzip.compress(gzip.compress(b"x" * 1000))
    site.add("/gg", raw_handler(200, {"Content-Encoding": "gzip, gzip"}, body))
    with pytest.raises(FetchError, match="stacked"):
        fetch(site.url("/gg"), trusted=True)


def raw_lines(status: int, headers: list[tuple[str, bytes]], body: bytes) -> Callable[
        [BaseHTTPRequestHandler], None]:
    """Headers sent as given: repeated names, bytes that are not ASCII."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.wfile.write(f"HTTP/1.1 {status} OK\r\n".encode())
        for k, v in headers:
            h.wfile.write(k.encode() + b": " + v + b"\r\n")
        h.wfile.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return handle


def test_repeated_headers_are_joined_so_stacked_encodings_stay_refused(
        site: LoopbackSite) -> None:
    body = gzip.compress(gzip.compress(b"x" * 1000))
    site.add("/g2", raw_lines(200, [("Content-Encoding", b"gzip"),
                                    ("Content-Encoding", b"gzip")], body))
    with pytest.raises(FetchError, match="stacked"):
        fetch(site.url("/g2"), trusted=True)
    site.add("/cc", raw_lines(200, [("Cache-Control", b"public"),
                                    ("cache-control", b"max-age=60")], b"ok"))
    assert fetch(site.url("/cc"), trusted=True).headers["cache-control"] == \
        "public, max-age=60"


def test_header_bytes_are_read_as_utf8_else_latin1(site: LoopbackSite) -> None:
    site.add("/u8", raw_lines(200, [("ETag", '"café"'.encode())], b"ok"))
    assert fetch(site.url("/u8"), trusted=True).etag == '"café"'
    site.add("/l1", raw_lines(200, [("ETag", '"café"'.encode("latin-1"))], b"ok"))
    assert fetch(site.url("/l1"), trusted=True).etag == '"café"'


def test_request_headers(site: LoopbackSite) -> None:
    url = site.add("/h", b"ok")
    fetch(url, trusted=True, accept="text/html")
    fetch(url, trusted=True)
    (first, second) = [r.headers for r in site.requests("/h")[-2:]]
    assert first["accept"] == "text/html" and second["accept"] == "*/*"
    assert first["host"] == url.split("/")[2]
    assert first["accept-encoding"] == "gzip, deflate"
    assert "cookie" not in first


def test_raw_deflate_and_corrupt_gzip(site: LoopbackSite) -> None:
    c = zlib.compressobj(wbits=-15)
    raw = c.compress(b"deflated text") + c.flush()
    site.add("/d", raw_handler(200, {"Content-Encoding": "deflate"}, raw))
    assert fetch(site.url("/d"), trusted=True).body == b"deflated text"
    site.add("/bad", raw_handler(200, {"Content-Encoding": "gzip"}, b"\x1f\x8bnot gzip at all"))
    with pytest.raises(FetchError, match="corrupt"):
        fetch(site.url("/bad"), trusted=True)


def test_trickling_server_hits_the_total_deadline(site: LoopbackSite) -> None:
    stop = threading.Event()

    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        while not stop.wait(0.2):     # a byte every 0.2 s: never a read timeout
            try:
                h.wfile.write(b"x")
                h.wfile.flush()
            except OSError:
                return

    site.add("/slow", trickle)
    cfg = FetchConfig(retries=0, deadline=1.0, read_timeout=0.5)
    try:
        with pytest.raises(FetchError) as info:
            fetch(site.url("/slow"), cfg, trusted=True)
    finally:
        stop.set()
    assert info.value.kind == "timeout"


def test_redirects_followed_checked_and_limited(site: LoopbackSite) -> None:
    site.add("/final", b"done")
    site.add("/moved", raw_handler(301, {"Location": "/final"}, b""))
    r = fetch(site.url("/moved"), trusted=True)
    assert r.body == b"done" and r.permanent_redirect == site.url("/final")
    for i in range(8):
        site.add(f"/hop{i}", raw_handler(302, {"Location": f"/hop{i + 1}"}, b""))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(site.url("/hop0"), trusted=True)
    site.add("/loop", raw_handler(302, {"Location": "/loop"}, b""))
    with pytest.raises(FetchError, match="loop"):
        fetch(site.url("/loop"), trusted=True)
    site.add("/tofile", raw_handler(302, {"Location": "file:///etc/passwd"}, b""))
    with pytest.raises(BlockedURLError):
        fetch(site.url("/tofile"), trusted=True)


def test_untrusted_links_cannot_reach_loopback(site: LoopbackSite) -> None:
    url = site.add("/secret", b"internal")
    with pytest.raises(BlockedURLError, match="non-public"):
        fetch(url, trusted=False)
    assert site.requests("/secret") == []


def test_name_resolving_to_internal_address_is_refused() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["169.254.169.254"]

    with pytest.raises(BlockedURLError, match=r"169\.254\.169\.254"):
        fetch("http://metadata.news.example/latest", trusted=False, resolver=resolver)


def test_public_feed_redirecting_to_internal_is_refused(site: LoopbackSite) -> None:
    """The feed's host counts as public here; its redirect target is 127.0.0.2."""
    target = site.url("/secret").replace("127.0.0.1", "127.0.0.2")
    site.add("/hop", raw_handler(302, {"Location": target}, b""))
    site.add("/secret", b"internal")

    def public_first_host(ip: IPAddress) -> bool:
        return ip == ipaddress.ip_address("127.0.0.1") or is_public_address(ip)

    with pytest.raises(BlockedURLError):
        fetch(site.url("/hop"), trusted=False, is_public=public_first_host)
    assert site.requests("/secret") == []


def test_status_errors_and_retry_after(site: LoopbackSite) -> None:
    site.add("/busy", raw_handler(429, {"Retry-After": "120"}, b""))
    with pytest.raises(FetchError) as info:
        fetch(site.url("/busy"), trusted=True)
    assert info.value.status == 429 and info.value.retry_after == 120
    site.add("/gone", raw_handler(410, {}, b""))
    with pytest.raises(FetchError, match="HTTP 410"):
        fetch(site.url("/gone"), trusted=True)


def test_5xx_is_retried(site: LoopbackSite) -> None:
    site.add("/flaky", raw_handler(502, {}, b""))
    with pytest.raises(FetchError):
        fetch(site.url("/flaky"), FetchConfig(retries=2, backoff=0.01), trusted=True)
    assert len(site.requests("/flaky")) == 3


def test_retry_after_formats() -> None:
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412400.0) == 80
    assert retry_after_seconds("soon") is None


@pytest.mark.parametrize("addr", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254",
    "0.0.0.0", "224.0.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "2002:7f00:1::",
    "::127.0.0.1",
])
def test_non_public_addresses(addr: str) -> None:
    assert not is_public_address(ipaddress.ip_address(addr))


def test_public_address() -> None:
    assert is_public_address(ipaddress.ip_address("93.184.216.34"))
    assert is_public_address(ipaddress.ip_address("2606:4700::1111"))


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "gopher://x/",
    "http://x@127.0.0.1/", "http://a\\b.example/", "http:///nohost",
])
def test_bad_links(url: str) -> None:
    assert link_problem(url) is not None


def test_canonical_url_drops_tracking() -> None:
    assert canonical_url("HTTPS://News.Example:443/a?utm_source=x&id=3&fbclid=y#top") == \
        "https://news.example/a?id=3"
