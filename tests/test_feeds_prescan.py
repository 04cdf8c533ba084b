"""entry_keys_prescan: the keys parse_feed would give, without feedparser, or None.

Every case compares against parse_feed itself, so a difference in how feedparser
resolves a guid or a link shows up as a failure here, not as a skipped new entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.feeds import entry_keys_prescan, parse_feed
from watcher.sample_site import Item, render_atom, render_rss1, render_rss2

URL = "http://127.0.0.1:8765/feeds/wire.xml"
SITE = "http://127.0.0.1:8765/"
Render = Callable[[str, str, Sequence[Item]], bytes]
FORMATS: dict[str, Render] = {"rss2": render_rss2, "atom": render_atom, "rss1": render_rss1}


def _item(n: int, *, guid: str | None = None, link: str | None = None) -> Item:
    return Item(title=f"Report {n} from the front", link=link,
                summary=f"Officials gave {n * 1000:,} as the new figure.", guid=guid,
                published=datetime(2025, 3, 1 + n % 27, 8, tzinfo=UTC),
                content=f"<p>Paragraph {n}.</p>")


def _keys(body: bytes) -> list[str]:
    return [e.key for e in parse_feed(body, url=URL).entries]


ITEM_SETS: dict[str, list[Item]] = {
    "guids": [_item(n, guid=f"wire-{n}", link=f"/news/{n}.html") for n in range(6)],
    "no guid, relative links": [_item(n, link=f"/news/{n}.html") for n in range(6)],
    "no guid, absolute links": [_item(n, link=f"http://127.0.0.1:8765/a/{n}?p=1")
                                for n in range(4)],
    "mixed": [_item(n, guid=f"tag:wire,2025:{n}" if n % 2 else None,
                    link=f"../story/{n}" if n % 3 else f"http://127.0.0.1:8765/s/{n}")
              for n in range(9)],
    "duplicates": [_item(1, guid="same", link="/w"), _item(2, guid="same", link="/x"),
                   _item(3, link="/y"), _item(4, link="/y")],
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(ITEM_SETS))
def test_prescan_matches_parse_feed(fmt: str, name: str) -> None:
    body = FORMATS[fmt]("Wire", SITE, ITEM_SETS[name])
    want = _keys(body)
    got = entry_keys_prescan(body, URL)
    assert got is not None, (fmt, name)
    assert got == want


def test_rss2_permalink_guid_is_resolved_like_feedparser() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<link>http://127.0.0.1:8765/</link>"
            b"<item><title>a</title><guid>story/7</guid></item>"
            b'<item><title>b</title><guid isPermaLink="true">http://127.0.0.1:8765//x</guid>'
            b"</item>"
            b'<item><title>c</title><guid isPermaLink="false">story/7</guid></item>'
            b"<item><title>d</title><link> /spaced </link></item>"
            b"</channel></rss>")
    got = entry_keys_prescan(body, URL)
    assert got == _keys(body)
    assert got is not None and got[0] == "id:http://127.0.0.1:8765/feeds/story/7"
    assert got[2] == "id:story/7"


def _rss(item_xml: str, head: str = "", root_attrs: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"{root_attrs}>'
            f"<channel><title>t</title><link>{SITE}</link>"
            f"<item><title>ok</title><guid>g-1</guid></item>{item_xml}"
            "</channel></rss>").encode()


GUID_KEY = "id:http://127.0.0.1:8765/feeds/g-1"     # a permalink guid, resolved
UNSURE: dict[str, bytes] = {
    "no guid and no link": _rss("<item><title>only a title</title></item>"),
    "empty guid": _rss("<item><title>x</title><guid></guid><link>/a</link></item>"),
    "javascript link": _rss("<item><title>x</title><link>javascript:alert(1)</link></item>"),
    "two guids": _rss("<item><title>x</title><guid>a</guid><guid>b</guid></item>"),
    "atom link in item": _rss(
        '<item xmlns:atom="http://www.w3.org/2005/Atom"><title>x</title><guid>a</guid>'
        '<atom:link rel="self" href="/z"/></item>'),
    "upper-case guid tag": _rss("<item><title>x</title><GUID>a</GUID></item>"),
    "item nested elsewhere": _rss("<extra><item><guid>z</guid></item></extra>"),
    "non-ascii guid": _rss("<item><title>x</title><guid>r\u00e9cit-1</guid></item>"),
    "xml:base": _rss("", root_attrs=' xml:base="http://127.0.0.1:9/other/"'),
    "doctype": _rss("", head="<!DOCTYPE rss>"),
    "entity declaration": _rss("", head='<!DOCTYPE rss [<!ENTITY e "x">]>'),
    "comment inside guid": _rss("<item><guid>a<!-- b --></guid></item>"),
    "amp entity in link": _rss("<item><link>/a?x=1&amp;amp;y=2</link></item>"),
    "malformed": _rss("<item><title>x</title><guid>a</guid>"),
    "truncated": _rss("")[:-20],
    "html page": b"<!doctype html><html><head><title>x</title></head><body></body></html>",
    "json": b'{"items": [{"id": 1}]}',
    "plain text": b"no feed here",
    "empty": b"",
    "utf-16": _rss("").decode().replace('"utf-8"', '"utf-16"').encode("utf-16"),
    "no items": _rss("").replace(b"<item><title>ok</title><guid>g-1</guid></item>", b""),
    "atom 0.3": b'<feed xmlns="http://purl.org/atom/ns#" version="0.3"><entry>'
                b"<id>x</id></entry></feed>",
    "two links, no guid": _rss("<item><title>x</title><link>/a</link><link>/b</link></item>"),
    "atom entry without id": b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                             b'<entry><title>x</title><link rel="enclosure" href="/a.mp3"/>'
                             b"</entry></feed>",
    "rss1 item without about or link": (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title>'
        b"</channel><item><title>x</title></item></rdf:RDF>"),
}


@pytest.mark.parametrize("name", sorted(UNSURE))
def test_prescan_gives_up_when_unsure(name: str) -> None:
    assert entry_keys_prescan(UNSURE[name], URL) is None


def test_the_unsure_cases_are_well_formed_where_meant_to_be() -> None:
    # the guard cases above must fail for their stated reason, not for bad XML
    assert entry_keys_prescan(_rss(""), URL) == _keys(_rss("")) == [GUID_KEY]
    assert entry_keys_prescan(_rss("<item><title>x</title><link>/a?x=1&amp;y=2</link></item>"),
                              URL) == _keys(_rss("<item><link>/a?x=1&amp;y=2</link></item>"))


def test_atom_entry_with_id_and_several_links() -> None:
    body = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>f</id>'
            b'<entry><title>x</title><link rel="alternate" href="/a"/>'
            b'<link rel="enclosure" href="/a.mp3"/><id>urn:uuid:1234</id></entry>'
            b'<entry><title>y</title><link href="b"/><id>tag:x.org,2025:9</id></entry></feed>')
    assert entry_keys_prescan(body, URL) == _keys(body) == ["id:urn:uuid:1234",
                                                            "id:tag:x.org,2025:9"]


def test_refused_by_shape_problem_is_none() -> None:
    many = "".join(f"<item><guid>g{n}</guid></item>" for n in range(10_001))
    assert entry_keys_prescan(_rss(many), URL) is None


def test_unsafe_charset_header_is_none() -> None:
    body = _rss("")
    assert entry_keys_prescan(body, URL, content_type="text/xml; charset=utf-8") == [GUID_KEY]
    assert entry_keys_prescan(body, URL, content_type="text/xml; charset=utf-16") is None


_GUID = st.text(st.sampled_from("abcXYZ019-_./:?=#~ "), min_size=0, max_size=12)
_LINK = st.one_of(st.none(), st.sampled_from(["/a", "b/c", "../d", "?q=1", "#f",
                                              "http://127.0.0.1:8765/e", "//127.0.0.1/f",
                                              "mailto:x@y", "https://h/g h"]))


@settings(max_examples=150, deadline=None)
@given(fmt=st.sampled_from(sorted(FORMATS)),
       specs=st.lists(st.tuples(st.one_of(st.none(), _GUID), _LINK), min_size=1, max_size=6))
def test_prescan_never_disagrees(fmt: str, specs: list[tuple[str | None, str | None]]) -> None:
    items = [_item(n, guid=g, link=lk) for n, (g, lk) in enumerate(specs)]
    body = FORMATS[fmt]("Wire", SITE, items)
    got = entry_keys_prescan(body, URL)
    if got is not None:
        assert got == _keys(body)


# -- parse_feed(known=...) --

def test_known_entries_are_counted_not_returned() -> None:
    body = render_rss2("Wire", SITE, ITEM_SETS["mixed"])
    full = parse_feed(body, url=URL)
    assert full.known_skipped == 0
    keys = [e.key for e in full.entries]
    known = frozenset(keys[::2]) | {"id:not-in-this-feed"}
    part = parse_feed(body, url=URL, known=known)
    assert [e.key for e in part.entries] == keys[1::2]
    assert part.known_skipped == len(keys[::2])
    assert part.entries == full.entries[1::2]          # the rest is cleaned exactly as before
    assert (part.title, part.link, part.version) == (full.title, full.link, full.version)
    assert parse_feed(body, url=URL, known=frozenset()) == full
    everything = parse_feed(body, url=URL, known=frozenset(keys))
    assert everything.entries == () and everything.known_skipped == len(keys)


def test_known_counts_duplicates_once() -> None:
    body = render_atom("Wire", SITE, ITEM_SETS["duplicates"])
    keys = [e.key for e in parse_feed(body, url=URL).entries]
    part = parse_feed(body, url=URL, known=frozenset(keys))
    assert part.known_skipped == len(keys) == len(set(keys))
