"""Misbehaving HTTP handlers for the hostile suite (routes for ``LoopbackSite.add``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler

Handler = Callable[[BaseHTTPRequestHandler], None]

# set at the end of every test that uses these handlers, so no thread outlives its test
STOP = threading.Event()


def raw(status: int, headers: dict[str, str], body: bytes, *,
        length: int | None = None) -> Handler:
    """Send ``body`` with ``headers``; ``length`` overrides Content-Length (may lie)."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body) if length is None else length))
        h.end_headers()
        try:
            h.wfile.write(body)
            h.wfile.flush()
        except OSError:
            return
        if length is not None and length > len(body):
            h.close_connection = True
    return handle


def streamed(chunks: Callable[[], Iterable[bytes]], headers: dict[str, str] | None = None,
             ) -> Handler:
    """A body of unknown length, written chunk by chunk until done or the client leaves."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        for k, v in (headers or {"Content-Type": "application/rss+xml"}).items():
            h.send_header(k, v)
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        try:
            for chunk in chunks():
                if STOP.is_set():
                    return
                h.wfile.write(chunk)
        except OSError:
            return
    return handle


def endless() -> Iterable[bytes]:
    block = b"<item><title>more</title></item>" * 2000
    while True:
        yield block


def trickle(h: BaseHTTPRequestHandler) -> None:
    """One byte every 0.2 s: never idle long enough for a read timeout."""
    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    while not STOP.wait(0.2):
        try:
            h.wfile.write(b" ")
            h.wfile.flush()
        except OSError:
            return


def silent(h: BaseHTTPRequestHandler) -> None:
    """Accept the request and never answer."""
    STOP.wait(30)


def redirect(location: str, status: int = 302) -> Handler:
    return raw(status, {"Location": location}, b"")
