"""A loopback news farm fast enough not to be the bottleneck of the benchmarks.

``watcher.sample_site.LoopbackSite`` (one thread per connection, http.server) tops out
at a few hundred requests a second: fine for tests, far below the 1,500 feeds/s the
unchanged cycle must reach. This farm is a minimal HTTP/1.1 server on an asyncio
``Protocol`` (keep-alive, pipelining-safe, GET/HEAD only) running in its own process,
so it never shares the GIL with the client being measured.

It serves, on 127.0.0.1 only, deterministic documents built lazily and cached:

``/feed/{i}.xml``          RSS 2.0 feed ``i`` of ``entries`` items (guid ``farm-{i}-{k}``)
``/page/{i}/{k}.html``     the article page of item ``k`` of feed ``i`` (50-120 kB)
``/_gen/{n}``              switch every feed to body generation ``n`` (the changed mode:
                           same guids, reordered items, another channel description)
``/_stats``                requests served so far, as text

Every feed and page has an ETag (``If-None-Match`` gives 304) and a Last-Modified.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from watcher.sample_site import Item, generate_articles, render_article_html, render_rss2

# --- documents -----------------------------------------------------------------------

WORDS = tuple((  # noqa: SIM905
    "council harbour winter budget rail road bridge school clinic market grain power "
    "transit tender contract audit report survey committee district region village river "
    "factory workers union strike wages prices energy heating repairs schedule delay "
    "minister mayor governor residents engineers analysts officials spokesperson "
    "statement interview evening morning weekend quarter season forecast increase "
    "decline review plan project programme funding partners volunteers shelter").split())

_SECTIONS = ["World", "Europe", "Asia", "Business", "Markets", "Technology", "Science",
             "Health", "Sport", "Culture", "Travel", "Opinion", "Weather", "Podcasts",
             "Video", "Newsletters", "Obituaries", "Puzzles", "Local", "Climate"]


def _sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    picked[0] = picked[0].capitalize()
    return " ".join(picked) + "."


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    """Extra body paragraphs in a wire register, assembled from a word list."""
    out = []
    for _ in range(count):
        n = rng.randint(2, 4)
        out.append(" ".join(_sentence(rng, rng.randint(9, 22)) for _ in range(n))
                   + f" The figure was put at {rng.randint(3, 900):,} by the office.")
    return out


def _head_padding(rng: random.Random, site: str) -> str:
    """What real pages carry in <head>: many meta tags, JSON-LD, styles, scripts."""
    metas = "".join(
        f'<meta name="x-{k}" content="{_sentence(rng, 6)}">' for k in range(25))
    style = "<style>" + "".join(
        f".c{k}{{margin:{k % 7}px;padding:{k % 5}px;color:#{k * 2731 % 0xFFFFFF:06x}}}"
        for k in range(300)) + "</style>"
    script = "<script>window.__STATE__=" + "{" + ",".join(
        f'"k{k}":"{hashlib.md5(str(rng.random()).encode()).hexdigest()}"'
        for k in range(250)) + "};</script>"
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org",'
          f'"@type":"NewsArticle","publisher":{{"@type":"Organization","name":"{site}"}}}}'
          "</script>")
    return metas + style + script + ld


def _body_padding(rng: random.Random, i: int, k: int, target: int) -> str:
    """Menus, teasers, related links, reader comments and a fat footer."""
    parts = ['<div class="megamenu"><ul>']
    for s in _SECTIONS:
        parts.append(f'<li class="menu-item"><a href="/section/{s.lower()}">{s}</a><ul>')
        parts += [f'<li><a href="/section/{s.lower()}/{n}">{_sentence(rng, 2)[:-1]}</a></li>'
                  for n in range(6)]
        parts.append("</ul></li>")
    parts.append("</ul></div>")
    parts.append('<aside class="related"><h3>Related coverage</h3>')
    for n in range(24):
        parts.append(
            f'<div class="teaser c{n}"><a href="/page/{(i + n) % 97}/{(k + n) % 20}.html">'
            f'<img src="/img/{i}-{n}.jpg" alt="{_sentence(rng, 5)}" loading="lazy">'
            f"<span>{_sentence(rng, 9)}</span></a><time>{n + 1} hours ago</time></div>")
    parts.append("</aside>")
    parts.append('<section class="comments"><h3>Reader comments</h3>')
    size = sum(len(p) for p in parts)
    n = 0
    while size < target:
        c = (f'<div class="comment" id="c{n}"><span class="user">reader{rng.randint(1, 9999)}'
             f'</span><p>{_sentence(rng, rng.randint(8, 30))}</p>'
             f'<button class="like">{rng.randint(0, 300)}</button></div>')
        parts.append(c)
        size += len(c)
        n += 1
    parts.append("</section>")
    return "".join(parts)


def article_page(i: int, k: int, *, host: str = "127.0.0.1") -> bytes:
    """The article page of item ``k`` of feed ``i``: deterministic, 50-120 kB."""
    rng = random.Random(i * 1_000_003 + k)
    sample = generate_articles(1, seed=i * 31 + k)[0]
    paragraphs = list(sample.paragraphs) + _paragraphs(rng, rng.randint(4, 12))
    site = f"Farm Daily {i % 50}"
    html = render_article_html(sample.title, paragraphs, site=site,
                               published=sample.published.date().isoformat())
    target = rng.randint(50_000, 120_000)
    text = html.decode()
    text = text.replace("</head>", _head_padding(rng, site) + "</head>", 1)
    room = max(0, target - len(text))
    text = text.replace("</main>", "</main>" + _body_padding(rng, i, k, room), 1)
    return text.encode()


def feed_guid(i: int, k: int) -> str:
    return f"farm-{i}-{k}"


def feed_body(i: int, entries: int, gen: int, base: str) -> bytes:
    """Feed ``i`` at generation ``gen``: the same items (same guids), rotated by ``gen``
    and with a channel description that changes, so the body changes but no entry is new."""
    start = datetime(2025, 2, 1, tzinfo=UTC)
    items = []
    for k in range(entries):
        rng = random.Random(i * 7919 + k)
        items.append(Item(
            title=f"{_sentence(rng, 8)[:-1]} ({i}/{k})",
            link=f"{base}/page/{i}/{k}.html",
            summary=" ".join(_sentence(rng, rng.randint(12, 25)) for _ in range(4)),
            guid=feed_guid(i, k),
            published=start - timedelta(hours=i % 48 + k),
        ))
    shift = gen % max(1, entries)
    items = items[shift:] + items[:shift]
    body = render_rss2(f"Farm feed {i}", f"{base}/", items)
    if gen:
        body = body.replace(b"<description>Sample feed</description>",
                            f"<description>Sample feed, edition {gen}</description>".encode(),
                            1)
    return body


def feed_etag(i: int, gen: int) -> str:
    return f'"f{i}-g{gen}"'


# --- the server ------------------------------------------------------------------------

_LM = format_datetime(datetime(2025, 2, 1, 12, 0, tzinfo=UTC), usegmt=True)
_FEED = re.compile(r"^/feed/(\d+)\.xml$")
_PAGE = re.compile(r"^/page/(\d+)/(\d+)\.html$")
_GEN = re.compile(r"^/_gen/(\d+)$")


@dataclass(slots=True)
class _Doc:
    etag: str
    full: bytes          # the whole 200 response, headers and body
    head: bytes          # the 200 response headers only (HEAD)
    not_modified: bytes  # the whole 304 response


def _response(status: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _doc(body: bytes, ctype: str, etag: str) -> _Doc:
    headers = {"Content-Type": ctype, "ETag": etag, "Last-Modified": _LM,
               "Server": "farm/1"}
    full = _response("200 OK", headers, body)
    return _Doc(etag, full, full[: len(full) - len(body)],
                _response("304 Not Modified", {"ETag": etag, "Last-Modified": _LM,
                                               "Server": "farm/1"}, b""))


_NOT_FOUND = _response("404 Not Found", {"Content-Type": "text/plain"}, b"not found")


class _Farm:
    def __init__(self, entries: int, base: str) -> None:
        self.entries = entries
        self.base = base
        self.gen = 0
        self.served = 0
        self._feeds: dict[tuple[int, int], _Doc] = {}
        self._pages: dict[tuple[int, int], _Doc] = {}

    def lookup(self, path: str) -> _Doc | bytes:
        m = _FEED.match(path)
        if m:
            i = int(m.group(1))
            key = (i, self.gen)
            doc = self._feeds.get(key)
            if doc is None:
                doc = self._feeds[key] = _doc(
                    feed_body(i, self.entries, self.gen, self.base),
                    "application/rss+xml; charset=utf-8", feed_etag(i, self.gen))
            return doc
        m = _PAGE.match(path)
        if m:
            pk = (int(m.group(1)), int(m.group(2)))
            doc = self._pages.get(pk)
            if doc is None:
                doc = self._pages[pk] = _doc(article_page(*pk), "text/html; charset=utf-8",
                                             f'"p{pk[0]}-{pk[1]}"')
            return doc
        m = _GEN.match(path)
        if m:
            self.gen = int(m.group(1))
            return _response("200 OK", {"Content-Type": "text/plain"}, b"ok")
        if path == "/_stats":
            return _response("200 OK", {"Content-Type": "text/plain"},
                             str(self.served).encode())
        return _NOT_FOUND


class _Conn(asyncio.Protocol):
    def __init__(self, farm: _Farm) -> None:
        self.farm = farm
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        out: list[bytes] = []
        close = False
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                break
            raw, self.buf = self.buf[:end], self.buf[end + 4:]
            lines = raw.split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3:
                close = True
                break
            method, target, version = parts
            inm = None
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                lname = name.strip().lower()
                if lname == b"if-none-match":
                    inm = value.strip().decode("latin-1")
                elif lname == b"connection" and value.strip().lower() == b"close":
                    close = True
            if version == b"HTTP/1.0":
                close = True
            self.farm.served += 1
            doc = self.farm.lookup(target.decode("latin-1").split("?", 1)[0])
            if isinstance(doc, bytes):
                out.append(doc)
            elif inm is not None and doc.etag in [t.strip() for t in inm.split(",")]:
                out.append(doc.not_modified)
            else:
                out.append(doc.head if method == b"HEAD" else doc.full)
            if close:
                break
        if out and self.transport is not None:
            self.transport.write(b"".join(out))
        if close and self.transport is not None:
            self.transport.close()


async def _serve(entries: int, conn: Any) -> None:
    loop = asyncio.get_running_loop()
    farm = _Farm(entries, "")
    server = await loop.create_server(lambda: _Conn(farm), "127.0.0.1", 0, backlog=4096,
                                      reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    farm.base = f"http://127.0.0.1:{port}"
    conn.send(port)
    # stop when the parent says so (or dies): the pipe turns readable
    stop = asyncio.Event()
    loop.add_reader(conn.fileno(), stop.set)
    async with server:
        await stop.wait()


def _main(entries: int, conn: Any) -> None:
    asyncio.run(_serve(entries, conn))


class Farm:
    """``with Farm(entries=20) as farm: farm.feed_url(3)``: the farm in its own process."""

    def __init__(self, *, entries: int = 20) -> None:
        self.entries = entries
        self.port = 0
        self._proc: Any = None
        self._conn: Any = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The farm's process, left out of what a benchmark counts as its own CPU."""
        return self._proc.pid if self._proc is not None else None

    def feed_url(self, i: int) -> str:
        return f"{self.base}/feed/{i}.xml"

    def page_url(self, i: int, k: int) -> str:
        return f"{self.base}/page/{i}/{k}.html"

    def feed_body(self, i: int, gen: int = 0) -> bytes:
        """The exact bytes the farm serves for feed ``i`` at generation ``gen``."""
        return feed_body(i, self.entries, gen, self.base)

    def start(self) -> Farm:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_main, args=(self.entries, child), daemon=True)
        self._proc.start()
        if not parent.poll(30):
            self._proc.kill()
            raise RuntimeError("the farm did not start within 30 s")
        self.port = int(parent.recv())
        self._conn = parent
        return self

    def stop(self) -> None:
        if self._proc is None:
            return
        with contextlib.suppress(OSError):
            self._conn.send("stop")
        self._proc.join(5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._proc = None

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def get(self, path: str) -> bytes:
        """A blocking GET of a control path (``/_gen/2``, ``/_stats``)."""
        import http.client

        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            c.request("GET", path)
            return c.getresponse().read()
        finally:
            c.close()

    def set_generation(self, gen: int) -> None:
        self.get(f"/_gen/{gen}")

    def served(self) -> int:
        return int(self.get("/_stats"))


