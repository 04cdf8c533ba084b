"""Body shapes and hostile XML: each is one feed of a cycle beside a good feed."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import pytest

from watcher.config import ExtractConfig, FetchConfig
from watcher.feeds import parse_feed
from watcher.sample_site import LoopbackSite

from .conftest import Harness
from .servers import streamed

HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'


def rss(items: str, *, head: bytes = HEAD, channel_extra: str = "") -> bytes:
    return head + (
        '<rss version="2.0"><channel><title>Hostile</title><link>http://news.example/</link>'
        f"<description>d</description>{channel_extra}{items}</channel></rss>").encode()


def item(title: str = "An item", guid: str | None = "g-1", link: str | None = None,
         summary: str = "A summary long enough to stand in for the article text.") -> str:
    parts = [f"<title>{title}</title>"]
    if guid is not None:
        parts.append(f"<guid>{guid}</guid>")
    if link is not None:
        parts.append(f"<link>{link}</link>")
    parts.append(f"<description>{summary}</description>")
    return "<item>" + "".join(parts) + "</item>"


def laughs(levels: int = 10) -> bytes:
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, levels)]
    doctype = "<!DOCTYPE rss [" + "".join(ents) + "]>"
    return HEAD + doctype.encode() + rss(item(title=f"&lol{levels - 1};"), head=b"")


def quadratic(malformed_prolog: bool) -> bytes:
    blob = "A" * 100_000
    head = b'<?xml version="1.0" encoding="utf-8"?>\n'
    if malformed_prolog:
        head = b'<?xml version="1.0" encoding="utf-8" ?? >\n<!-- unclosed prolog junk <'
    doctype = f'<!DOCTYPE rss [<!ENTITY a "{blob}">]>'.encode()
    return head + doctype + rss(item(summary="&a;" * 20_000), head=b"")


BODY_SHAPES: dict[str, bytes] = {
    "local path": b"/etc/passwd",
    "device path": b"/dev/zero",
    "empty": b"",
    "whitespace": b"  \n\t \r\n ",
    "HTML page": b"<!DOCTYPE html><html><body><p>Not a feed, a page.</p></body></html>",
    "JSON": b'{"items": [{"title": "json is not a feed", "url": "http://x.example/"}]}',
    "binary": bytes(range(256)) * 64,
}


def xml_cases(victim: LoopbackSite, tmp_file: str) -> dict[str, tuple[bytes, str]]:
    secret = victim.url("/secret")
    return {
        "billion laughs": (laughs(), "entities"),
        "billion laughs, parameter entities": (
            HEAD + b'<!DOCTYPE rss [<!ENTITY % a "xxxxxxxx"><!ENTITY % b "%a;%a;%a;%a;">'
            b"%b;]>" + rss(item(), head=b""), "entities"),
        "quadratic blowup": (quadratic(False), "entities"),
        "quadratic blowup, malformed prolog": (quadratic(True), "entities"),
        "XXE to a file": (HEAD + f'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{tmp_file}">]>'
                          .encode() + rss(item(title="&x;"), head=b""), "entities"),
        "XXE to a loopback URL": (HEAD + f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret}">]>'
                                  .encode() + rss(item(title="&x;"), head=b""), "entities"),
        "entity declared in UTF-16": ((
            '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "b">]>'
            + rss(item(), head=b"").decode()).encode("utf-16"), "entities"),
        "entity declared in UTF-7": (
            b'<?xml version="1.0" encoding="utf-7"?>'
            + '<!DOCTYPE rss [<!ENTITY a "b">]>'.encode("utf-7").replace(b"<", b"+ADw-")
            + rss(item(), head=b""), "entities"),
        "40k attributes": (
            rss(item(), channel_extra="<x " + " ".join(f'a{i}="1"' for i in range(40_000))
                + "/>"), "attributes"),
        "200k-deep nesting": (rss(item(), channel_extra="<x>" * 200_000 + "</x>" * 200_000),
                              "nested"),
    }


@pytest.mark.parametrize("name", list(BODY_SHAPES))
def test_body_shapes(harness: Harness, name: str) -> None:
    url = harness.site.add("/shape.xml", BODY_SHAPES[name], content_type="application/xml")
    result = harness.cycle(f"body: {name}", [url])
    error = result.feed_error(url)
    assert error and "internal error" not in error


def test_body_that_is_a_url_is_not_fetched(harness: Harness, victim: LoopbackSite) -> None:
    url = harness.site.add("/url.xml", victim.url("/secret").encode(),
                           content_type="application/rss+xml")
    result = harness.cycle("body: a URL string", [url])
    assert result.feed_error(url)
    assert victim.requests() == []


def test_xml_attacks(harness: Harness, victim: LoopbackSite, tmp_path_factory: pytest.
                     TempPathFactory) -> None:
    secret_file = tmp_path_factory.mktemp("xxe") / "secret.txt"
    secret_file.write_text("FILE-SECRET-7731")
    for name, (body, expected) in xml_cases(victim, str(secret_file)).items():
        url = harness.site.add(f"/x{abs(hash(name))}.xml", body,
                               content_type="application/rss+xml")   # no charset: body rules
        result = harness.cycle(f"xml: {name}", [url])
        error = result.feed_error(url)
        assert error and expected in error, (name, error)
    assert victim.requests() == []
    dump = " ".join(str(r) for r in harness.store.db.execute(
        "SELECT * FROM entries").fetchall())
    assert "FILE-SECRET" not in dump and "4242" not in dump


def test_external_dtd_is_not_fetched(harness: Harness, victim: LoopbackSite) -> None:
    victim.add("/evil.dtd", b'<!ENTITY leak SYSTEM "file:///etc/hostname">',
               content_type="application/xml-dtd")
    body = HEAD + f'<!DOCTYPE rss SYSTEM "{victim.url("/evil.dtd")}">'.encode() + rss(
        item(title="DTD &amp; friends"), head=b"")
    url = harness.site.add("/dtd.xml", body)
    result = harness.cycle("xml: external DTD", [url], expect_error=False)
    assert result.outcomes[url].status in ("ok", "error")
    assert victim.requests() == []


def _big_feed(total: int) -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
    block = item(title="filler", guid=None).encode() * 1000
    sent = 0
    while sent < total:
        yield block
        sent += len(block)
    yield b"</channel></rss>"


@pytest.mark.parametrize("size", [
    pytest.param(20_000_000, id="20MB"),
    pytest.param(200_000_000, id="200MB", marks=pytest.mark.slow),
])
def test_huge_feed_is_refused_by_the_cap(harness: Harness, size: int) -> None:
    url = harness.site.add("/big.xml", streamed(lambda: _big_feed(size)))
    result = harness.cycle(f"feed of {size // 1_000_000} MB", [url],
                           fetch=FetchConfig(retries=0, deadline=20.0, max_bytes=10_000_000))
    error = result.feed_error(url)
    assert error and "max_bytes" in error


@pytest.mark.parametrize("count", [
    pytest.param(5_000, id="5k"),
    pytest.param(20_000, id="20k"),
    pytest.param(200_000, id="200k", marks=pytest.mark.slow),
])
def test_feed_with_many_items(harness: Harness, count: int) -> None:
    items = "".join(f"<item><title>t{i}</title><guid>g{i}</guid></item>" for i in range(count))
    url = harness.site.add("/many.xml", rss(items))
    result = harness.cycle(f"feed of {count:,} items", [url], expect_error=count > 10_000,
                           fetch=FetchConfig(retries=0, deadline=20.0, max_bytes=12_000_000),
                           extract=ExtractConfig(workers=1, articles_per_feed=50))
    o = result.outcomes[url]
    if count > 10_000:
        assert o.error and "items (limit 10,000)" in o.error, o
    else:   # parsed; new entries capped to articles_per_feed per cycle
        assert o.status == "ok" and o.new_entries == 50, o


@pytest.mark.slow
def test_500k_attributes(harness: Harness) -> None:
    body = rss(item(), channel_extra="<x " + " ".join(f'a{i}="1"' for i in range(500_000))
               + "/>")
    url = harness.site.add("/attrs.xml", body, content_type="application/rss+xml")
    result = harness.cycle(f"xml: 500k attributes ({len(body) // 1_000_000} MB)", [url],
                           fetch=FetchConfig(retries=0, deadline=20.0, max_bytes=12_000_000))
    assert "attributes" in (result.feed_error(url) or "")


def _encoded(text: str, codec: str, bom: bool) -> bytes:
    data = text.encode(codec)
    if bom:
        data = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
                "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE,
                }[codec] + data
    return data


def _doc(encoding_decl: str) -> str:
    return (f'<?xml version="1.0" encoding="{encoding_decl}"?>'
            + rss(item(title="Grain from Odesa: 40,000 tonnes"), head=b"").decode())


ENCODINGS: dict[str, tuple[bytes, str]] = {
    "invalid UTF-8": (rss(item(title="bad \xff\xfe bytes")).replace(b"\xc3\xbf\xc3\xbe",
                                                                     b"\xff\xfe"), ""),
    "NUL and ANSI escapes": (rss(item(title="red \x1b[31mALERT\x1b[0m and \x00 nul")), ""),
    "UTF-16 LE with BOM": (_encoded(_doc("utf-16"), "utf-16-le", True), "Grain"),
    "UTF-16 BE with BOM": (_encoded(_doc("utf-16"), "utf-16-be", True), "Grain"),
    "UTF-16 LE without BOM": (_encoded(_doc("utf-16"), "utf-16-le", False), "Grain"),
    "UTF-32 LE with BOM": (_encoded(_doc("utf-32"), "utf-32-le", True), "Grain"),
    "UTF-32 BE without BOM": (_encoded(_doc("utf-32"), "utf-32-be", False), "Grain"),
    "declared UTF-16, sent as UTF-8": (_doc("utf-16").encode(), ""),
    "UTF-7": (_doc("utf-7").encode(), ""),
    "unknown encoding": (_doc("x-klingon-9").encode(), ""),
}


def test_encodings(harness: Harness) -> None:
    for name, (body, want) in ENCODINGS.items():
        url = harness.site.add(f"/enc{abs(hash(name))}.xml", body,
                               content_type="application/rss+xml")
        result = harness.cycle(f"xml: {name}", [url], expect_error=False)
        o = result.outcomes[url]
        assert o.status == "ok" or (o.error and "internal error" not in o.error), (name, o)
        titles = [t for (t,) in result.rows(
            "SELECT e.title FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE f.url = ?",
            (url,))]
        for t in titles:
            assert not any(ord(c) < 32 and c not in "\t\n" for c in t), (name, t)
            assert "\x1b" not in t and "\x00" not in t
        if want and o.status == "ok":
            assert any(want in t for t in titles), (name, titles)


def test_guids_sanitizer_xml_base_content_location(harness: Harness,
                                                   victim: LoopbackSite) -> None:
    s = harness.site
    page = s.add("/a.html", b"<html><body><article><p>" + b"Plain article words. " * 20
                 + b"</p></article></body></html>", content_type="text/html")
    items = "".join([
        item("Same guid one", "dup", page),
        item("Same guid two", "dup", page),
        item("No guid, link", None, page),
        item("No guid, no link", None),
        item("No guid, no link", None),
        item("&lt;script&gt;alert(1)&lt;/script&gt;<![CDATA[<img src=x onerror=alert(2)>]]>",
             "xss", summary="<![CDATA[<script>steal()</script><b>bold</b> "
             "<a href='javascript:evil()'>click</a>]]>"),
    ])
    url = s.add("/mixed.xml", rss(items))
    base = s.add("/base.xml", (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:base="http://169.254.169.254/latest/"><title>B</title>'
        '<entry><id>b1</id><title>Relative under hostile base</title>'
        '<link href="meta-data/iam"/><summary>Relative link resolved against xml:base.'
        '</summary></entry>'
        f'<entry xml:base="{victim.base}/"><id>b2</id><title>Base to the LAN</title>'
        '<link href="secret"/><summary>Second relative link.</summary></entry>'
        '<entry xml:base="file:///etc/"><id>b3</id><title>Base to a file</title>'
        '<link href="passwd"/><summary>Third relative link.</summary></entry>'
        '</feed>').encode(), content_type="application/atom+xml",
        headers={"Content-Location": "http://169.254.169.254/"})
    result = harness.cycle("xml: duplicate/missing guids, sanitizer payloads", [url],
                           expect_error=False)
    keys = [k for (k,) in result.rows(
        "SELECT key FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE f.url = ?", (url,))]
    assert len(keys) == len(set(keys)) == 4     # dup guid and identical no-guid items once
    title, summary = result.rows("SELECT title, summary FROM entries WHERE key LIKE '%xss'")[0]
    stored = " ".join(str(v) for r in result.rows("SELECT title, text FROM articles")
                      for v in r) + f" {title} {summary}"
    assert "<" not in title and "<" not in summary         # plain text, markup gone
    assert "steal()" not in stored and "onerror" not in stored
    assert "javascript:" not in stored and "bold click" in summary
    result = harness.cycle("xml: hostile xml:base and Content-Location", [base],
                           expect_error=False)
    problems = dict(result.rows("SELECT title, problem FROM articles WHERE title LIKE '%ase%'"
                                " OR title LIKE 'Relative%'"))
    assert "non-public" in problems["Relative under hostile base"]
    assert "non-public" in problems["Base to the LAN"]
    assert "scheme" in problems["Base to a file"]
    assert victim.requests() == []


def test_garbled_summary_is_not_kept_as_text() -> None:
    """Binary that went through a lossy decoder upstream arrives as U+FFFD soup."""
    junk = "\ufffd\ufffdPK\ufffd\x03\x04\ufffd" * 40
    entry = parse_feed(rss(item(title="Garbled", summary=junk)),
                       url="http://news.example/").entries[0]
    assert entry.summary == "" and entry.title == "Garbled"
