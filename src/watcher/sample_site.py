"""A small news site served on 127.0.0.1: feeds, article pages, and misbehaviour on demand.

One piece of code for the tests, the benchmarks and ``watcher demo``: a real HTTP server
(threads, HTTP/1.1, keep-alive) with ETag and Last-Modified, a log of every request so a
test can assert what watcher sent, and routes that can be any handler (slow, endless,
compressed bombs) when a test needs a server to misbehave.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

# --- documents ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    link: str | None
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None
    content: str | None = None


def _rfc822(dt: datetime | None) -> str:
    return format_datetime(dt or datetime(2025, 2, 1, tzinfo=UTC), usegmt=True)


def _iso(dt: datetime | None) -> str:
    return (dt or datetime(2025, 2, 1, tzinfo=UTC)).isoformat().replace("+00:00", "Z")


def render_rss2(title: str, link: str, items: Sequence[Item]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           f"<channel><title>{xml_escape(title)}</title><link>{xml_escape(link)}</link>",
           "<description>Sample feed</description>"]
    for it in items:
        out.append("<item>")
        out.append(f"<title>{xml_escape(it.title)}</title>")
        if it.link:
            out.append(f"<link>{xml_escape(it.link)}</link>")
        if it.guid:
            out.append(f'<guid isPermaLink="false">{xml_escape(it.guid)}</guid>')
        out.append(f"<pubDate>{_rfc822(it.published)}</pubDate>")
        out.append(f"<description>{xml_escape(it.summary)}</description>")
        if it.content:
            out.append(f"<content:encoded><![CDATA[{it.content}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode()


def render_atom(title: str, link: str, items: Sequence[Item]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{xml_escape(title)}</title>",
           f'<link href="{xml_escape(link)}"/>',
           f"<id>{xml_escape(link)}</id><updated>{_iso(None)}</updated>"]
    for it in items:
        out.append("<entry>")
        out.append(f"<title>{xml_escape(it.title)}</title>")
        if it.link:
            out.append(f'<link rel="alternate" href="{xml_escape(it.link)}"/>')
        out.append(f"<id>{xml_escape(it.guid or it.link or it.title)}</id>")
        out.append(f"<updated>{_iso(it.published)}</updated>")
        out.append(f'<summary type="text">{xml_escape(it.summary)}</summary>')
        if it.content:
            out.append(f'<content type="html">{xml_escape(it.content)}</content>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out).encode()


def render_rss1(title: str, link: str, items: Sequence[Item]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           f'<channel rdf:about="{xml_escape(link)}"><title>{xml_escape(title)}</title>',
           f"<link>{xml_escape(link)}</link><description>Sample</description>",
           "<items><rdf:Seq>"]
    out += [f'<rdf:li rdf:resource="{xml_escape(it.link or "")}"/>' for it in items]
    out.append("</rdf:Seq></items></channel>")
    for it in items:
        out.append(f'<item rdf:about="{xml_escape(it.link or "")}">')
        out.append(f"<title>{xml_escape(it.title)}</title>")
        out.append(f"<link>{xml_escape(it.link or '')}</link>")
        out.append(f"<description>{xml_escape(it.summary)}</description>")
        out.append(f"<dc:date>{_iso(it.published)}</dc:date>")
        out.append("</item>")
    out.append("</rdf:RDF>")
    return "\n".join(out).encode()


_BOILER_TOP = """<header class="masthead"><a href="/">{site}</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
<li><a href="/subscribe">Subscribe for 1 euro a week</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your reading. Accept all 12 partners?</div>
</header>"""

_BOILER_BOTTOM = """<aside class="related"><h3>Most read</h3><ol>
<li><a href="/x/1">Storm leaves 40,000 homes without power</a></li>
<li><a href="/x/2">Football club signs 19-year-old striker for 25 million</a></li>
<li><a href="/x/3">Ten recipes for a rainy weekend</a></li></ol></aside>
<section class="comments" id="comments"><h3>Comments (214)</h3>
<div class="comment"><p>Reader77: I bet the real number is 50,000 and nobody admits it.
</p></div>
<div class="comment"><p>Anna K: Saw 3 of my neighbours leave for the city last week.</p></div>
</section>
<footer><p>Copyright 2025 {site}. All rights reserved.</p>
<p>Newsroom phone +44 20 7946 0958. Registered office 1 Example Street.</p></footer>"""


def render_article_html(title: str, paragraphs: Iterable[str], *, site: str = "Example News",
                        canonical: str | None = None, published: str = "2025-02-03",
                        author: str = "Staff reporter", lang: str = "en") -> bytes:
    """A page shaped like a real news article, with the boilerplate trafilatura must drop."""
    head = [f"<title>{html.escape(title)} | {html.escape(site)}</title>",
            f'<meta property="og:site_name" content="{html.escape(site)}">',
            f'<meta name="author" content="{html.escape(author)}">',
            f'<meta property="article:published_time" content="{published}T08:00:00Z">']
    if canonical:
        head.append(f'<link rel="canonical" href="{html.escape(canonical)}">')
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            + "".join(head) + "</head><body>" + _BOILER_TOP.format(site=html.escape(site))
            + f'<main><article><h1>{html.escape(title)}</h1><p class="byline">By '
            f"{html.escape(author)}</p>{body}</article></main>"
            + _BOILER_BOTTOM.format(site=html.escape(site)) + "</body></html>").encode()


# --- the server ---------------------------------------------------------------------


@dataclass(slots=True)
class Resource:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True          # send ETag / Last-Modified and honour conditionals
    gzip: bool = False
    last_modified: datetime = field(
        default_factory=lambda: datetime(2025, 2, 1, 12, 0, tzinfo=UTC))


@dataclass(frozen=True, slots=True)
class RequestRecord:
    method: str
    path: str
    headers: dict[str, str]
    status: int


Handler = Callable[[BaseHTTPRequestHandler], None]


class LoopbackSite:
    """``with LoopbackSite() as site: site.add("/feed.xml", body); site.url("/feed.xml")``"""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Resource | Handler] = {}
        self.log: list[RequestRecord] = []
        self._lock = threading.Lock()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "LoopbackSite/1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site._serve(self)

            def do_HEAD(self) -> None:
                site._serve(self)

        self._server = ThreadingHTTPServer((host, 0), _Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> LoopbackSite:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add(self, path: str, body: bytes | str | Resource | Handler, **options: Any) -> str:
        if isinstance(body, str):
            body = body.encode()
        if isinstance(body, bytes):
            body = Resource(body=body, **options)
        self.routes[path] = body
        return self.url(path)

    def requests(self, path: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.log if path is None or r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def _record(self, h: BaseHTTPRequestHandler, status: int) -> None:
        with self._lock:
            self.log.append(RequestRecord(h.command, h.path,
                                          {k.lower(): v for k, v in h.headers.items()}, status))

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(h.path) or self.routes.get(urlsplit(h.path).path)
        if route is None:
            self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if not isinstance(route, Resource):
            self._record(h, 0)
            route(h)
            return
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.validators and route.status == 200:
            etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            lm = format_datetime(route.last_modified, usegmt=True)
            headers["ETag"] = etag
            headers["Last-Modified"] = lm
            inm = h.headers.get("If-None-Match")
            ims = h.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = etag in [t.strip() for t in inm.split(",")]
            elif ims is not None:
                try:
                    fresh = parsedate_to_datetime(ims) >= route.last_modified
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self._send(h, 304, b"", {"ETag": etag, "Last-Modified": lm})
                return
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(h, route.status, body, headers)

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes,
              headers: dict[str, str]) -> None:
        self._record(h, status)
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if h.command != "HEAD" and status != 304:
            h.wfile.write(body)


# --- generated news -------------------------------------------------------------------
# Filler reporting in the register of wire copy, written for this project. The figures
# in it are unrelated to the watched story, so generated articles exercise extraction
# without inventing claim changes.

_PLACES = ["Odesa", "Kharkiv", "Busan", "Incheon", "Gdansk", "Riga", "Tallinn", "Vilnius",
           "Dnipro", "Sumy", "Daejeon", "Gwangju", "Rotterdam", "Lyon", "Porto", "Graz"]
_TOPICS = [
    ("port", "The harbour authority in {p} said cargo volumes rose by {n} containers in "
             "the last quarter, helped by a new rail link to the interior."),
    ("grain", "Farmers around {p} expect a harvest of about {n} tonnes this season, "
              "although late frost damaged part of the winter wheat."),
    ("power", "Engineers restored electricity to {n} homes in {p} overnight after a "
              "substation fault left several districts dark."),
    ("transit", "City officials in {p} approved {n} new buses for routes that link the "
                "suburbs with the old town."),
    ("budget", "The council of {p} voted to spend {n} thousand euros on school roofs and "
               "heating before the cold months."),
]
_FILLER = [
    "Residents interviewed on Tuesday said they welcomed the news but wanted clearer "
    "timetables for the work.",
    "A spokesperson declined to say when the next review would take place, citing "
    "ongoing talks with contractors.",
    "Opposition members questioned the cost and asked for an independent audit of the "
    "plans before any money is released.",
    "Local businesses reported a modest pick-up in trade, though several owners warned "
    "that higher energy bills were eating into margins.",
    "The regional governor is expected to visit the site later this month to mark the "
    "start of construction.",
    "Analysts noted that similar projects elsewhere had run over budget by a wide margin "
    "and taken years longer than planned.",
]


@dataclass(frozen=True, slots=True)
class SampleArticle:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    summary: str


def generate_articles(count: int, *, seed: int = 7) -> list[SampleArticle]:
    """``count`` distinct news-like articles, the same ones for the same seed."""
    import random

    rng = random.Random(seed)
    articles = []
    for i in range(count):
        kind, template = _TOPICS[i % len(_TOPICS)]
        place = _PLACES[(i * 7 + seed) % len(_PLACES)]
        number = f"{rng.randint(12, 9800):,}"
        lead = template.format(p=place, n=number)
        body = [lead, *rng.sample(_FILLER, 4)]
        title = f"{place}: {kind} update no. {i + 1}"
        published = datetime(2025, 1, 1, tzinfo=UTC).replace(
            day=1 + i % 28, hour=6 + i % 12)
        articles.append(SampleArticle(slug=f"{kind}-{i + 1}", title=title,
                                      paragraphs=tuple(body), published=published,
                                      summary=lead))
    return articles


FEED_RENDERERS: dict[str, Callable[[str, str, Sequence[Item]], bytes]] = {
    "rss2": render_rss2, "atom": render_atom, "rss1": render_rss1,
}


def publish(site: LoopbackSite, articles: Sequence[SampleArticle], *, feeds: int = 3,
            prefix: str = "", site_name: str = "Example News") -> list[str]:
    """Serve ``articles`` as pages and spread them over ``feeds`` feeds of rotating
    formats (RSS 2.0, Atom, RSS 1.0). Returns the feed URLs."""
    kinds = list(FEED_RENDERERS)
    buckets: list[list[Item]] = [[] for _ in range(feeds)]
    for i, a in enumerate(articles):
        path = f"{prefix}/news/{a.slug}.html"
        site.add(path, render_article_html(a.title, a.paragraphs, site=site_name,
                                           published=a.published.date().isoformat()),
                 content_type="text/html; charset=utf-8")
        buckets[i % feeds].append(Item(title=a.title, link=site.url(path), summary=a.summary,
                                       guid=f"{prefix}/news/{a.slug}", published=a.published))
    urls = []
    for n, items in enumerate(buckets):
        kind = kinds[n % len(kinds)]
        path = f"{prefix}/feeds/{n}.{'atom' if kind == 'atom' else 'xml'}"
        body = FEED_RENDERERS[kind](f"{site_name} feed {n}", site.url("/"), items)
        content_type = "application/atom+xml" if kind == "atom" else "application/rss+xml"
        urls.append(site.add(path, body, content_type=content_type + "; charset=utf-8"))
    return urls


def publish_demo(site: LoopbackSite, *, feeds: int = 2) -> list[str]:
    """Serve the bundled sample reporting on the watched story; returns feed URLs."""
    from watcher.sample_news import DEMO_STORIES

    kinds = list(FEED_RENDERERS)
    buckets: list[list[Item]] = [[] for _ in range(feeds)]
    for i, story in enumerate(DEMO_STORIES):
        path = f"/demo/{story.slug}.html"
        site.add(path, render_article_html(story.title, story.paragraphs,
                                           site="Sample Wire",
                                           published=story.published.date().isoformat()),
                 content_type="text/html; charset=utf-8")
        buckets[i % feeds].append(Item(title=story.title, link=site.url(path),
                                       summary=story.paragraphs[0][:160],
                                       guid=f"demo-{story.slug}", published=story.published))
    urls = []
    for n, items in enumerate(buckets):
        kind = kinds[n % len(kinds)]
        body = FEED_RENDERERS[kind](f"Sample Wire {n + 1}", site.url("/"), items)
        urls.append(site.add(f"/demo/feed{n + 1}.xml", body))
    return urls
