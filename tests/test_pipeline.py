"""The whole cycle, through the real CLI, against a loopback news site."""

from __future__ import annotations

from pathlib import Path

from watcher.sample_site import (
    Item,
    LoopbackSite,
    generate_articles,
    publish,
    render_article_html,
    render_atom,
    render_rss2,
)

from .conftest import cli, integrity, query, write_config


def feeds_of(urls: list[str]) -> list[dict[str, str]]:
    return [{"url": u, "name": f"feed {i}"} for i, u in enumerate(urls)]


def test_first_cycle_stores_articles_second_only_revalidates(site: LoopbackSite,
                                                             tmp_path: Path) -> None:
    articles = generate_articles(99)          # ~100 articles in 3 feeds of 3 formats
    urls = publish(site, articles, feeds=3)
    config = write_config(tmp_path, feeds_of(urls), extract={"workers": 2})
    db = tmp_path / "watcher.db"

    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 99
    assert query(db, "SELECT count(*) FROM articles WHERE text_source = 'page'")[0][0] == 99
    # the article text is the article: no navigation, no comments, no footer
    texts = [t for (t,) in query(db, "SELECT text FROM articles")]
    assert all("Reader77" not in t and "cookies" not in t and "Copyright" not in t
               for t in texts)
    lead = articles[0].paragraphs[0]
    assert any(lead in t for t in texts)
    assert "new entries" in r.out and "99" in r.out

    site.clear_log()
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    log = site.requests()
    assert {rec.path for rec in log} == {u.removeprefix(site.base) for u in urls}
    assert all("if-none-match" in rec.headers and rec.status == 304 for rec in log)
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 99
    assert query(db, "SELECT count(*) FROM entries")[0][0] == 99
    runs = query(db, "SELECT not_modified, new_entries FROM runs ORDER BY id")
    assert runs[-1] == (3, 0)
    assert integrity(db) == "ok"


def test_same_article_in_two_feeds_is_stored_once(site: LoopbackSite, tmp_path: Path) -> None:
    page = render_article_html("Shared story", ["A long enough paragraph about the shared "
                                                "story, told once and syndicated twice. " * 3])
    link = site.add("/story.html", page, content_type="text/html")
    a = site.add("/a.xml", render_rss2("A", site.base, [Item("Shared", link + "?utm_source=a",
                                                             guid="a-1")]))
    b = site.add("/b.xml", render_atom("B", site.base, [Item("Shared", link + "?utm_medium=b",
                                                             guid="b-1")]))
    config = write_config(tmp_path, feeds_of([a, b]))
    assert cli("run", "--once", config=config).code == 0
    db = tmp_path / "watcher.db"
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 1
    assert query(db, "SELECT count(*) FROM entries WHERE article_id IS NOT NULL")[0][0] == 2
    assert len([r for r in site.requests() if r.path.startswith("/story.html")]) == 1


def test_fallback_to_summary_and_relative_links_and_missing_guids(site: LoopbackSite,
                                                                 tmp_path: Path) -> None:
    site.add("/ok.html", render_article_html(
        "Relative", ["This page is linked with a relative URL from the feed and has a body "
                     "long enough to count as an article for the extractor. " * 2]),
        content_type="text/html")
    items = [
        Item("Relative link", "/ok.html", summary="short"),                 # no guid
        Item("Dead link", site.url("/missing.html"),
             summary="The summary carries the news when the page is gone: 40 boats."),
        Item("No link at all", None, summary="Only a summary, with no page to fetch."),
    ]
    feed = site.add("/f.xml", render_rss2("F", site.base, items))
    config = write_config(tmp_path, feeds_of([feed]))
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    db = tmp_path / "watcher.db"
    rows = dict(query(db, "SELECT title, text_source FROM articles"))
    assert rows["Relative"] == "page"
    assert rows["Dead link"] == "feed_summary"
    assert rows["No link at all"] == "feed_summary"
    problem = query(db, "SELECT problem FROM articles WHERE title = 'Dead link'")[0][0]
    assert "404" in problem
    keys = [k for (k,) in query(db, "SELECT key FROM entries ORDER BY key")]
    assert any(k.startswith("link:") for k in keys) and any(k.startswith("hash:") for k in keys)
    # a second cycle with a changed body must not duplicate anything
    site.add("/f.xml", render_rss2("F changed", site.base, items))
    assert cli("run", "--once", config=config).code == 0
    assert query(db, "SELECT count(*) FROM entries")[0][0] == 3
    assert integrity(db) == "ok"


def test_private_links_from_public_feed_are_refused(site: LoopbackSite,
                                                    tmp_path: Path) -> None:
    """A feed on a public address may not send watcher to internal ones."""
    import asyncio
    import ipaddress

    from watcher.config import load_config
    from watcher.fetch import Fetcher
    from watcher.pipeline import run_once
    from watcher.store import Store
    from watcher.urls import is_public_address

    internal = site.url("/admin").replace("127.0.0.1", "127.0.0.2")
    site.add("/admin", b"<html><body>secret panel</body></html>", content_type="text/html")
    feed = site.add("/pub.xml", render_rss2("Pub", site.base, [
        Item("Internal", internal, summary="This link points inside the network."),
        Item("Metadata", "http://169.254.169.254/latest/meta-data/", summary="Cloud."),
        Item("Script", "javascript:alert(1)", summary="Script link."),
    ]))
    config = load_config(write_config(tmp_path, feeds_of([feed])))

    def loopback_one_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return ip == ipaddress.ip_address("127.0.0.1") or is_public_address(ip)

    async def go() -> None:
        async with Fetcher(config.fetch, is_public=loopback_one_is_public) as f:
            with Store(config.db_path) as store:
                report = await run_once(config, store, fetcher=f)
                assert report.outcomes[0].status == "ok"

    asyncio.run(go())
    assert site.requests("/admin") == []
    db = config.db_path
    problems = dict(query(db, "SELECT title, problem FROM articles"))
    assert "non-public" in problems["Internal"]
    assert "non-public" in problems["Metadata"]
    assert "scheme" in problems["Script"]


def test_one_broken_feed_does_not_stop_the_others(site: LoopbackSite, tmp_path: Path) -> None:
    urls = publish(site, generate_articles(4), feeds=1)
    site.add("/broken.xml", b"this is not a feed at all", content_type="text/plain")
    site.add("/html.xml", b"<html><body><p>A web page, not a feed</p></body></html>",
             content_type="text/html")
    feeds = feeds_of([*urls, site.url("/broken.xml"), site.url("/html.xml"),
                      site.url("/404.xml"), "http://127.0.0.1:9/refused.xml"])
    config = write_config(tmp_path, feeds)
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err + r.out
    db = tmp_path / "watcher.db"
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 4
    errors = dict(query(db, "SELECT url, last_error FROM feeds WHERE last_status = 'error'"))
    assert len(errors) == 4
    assert "HTTP 404" in errors[site.url("/404.xml")]
    assert query(db, "SELECT consecutive_errors FROM feeds WHERE url = ?",
                 (site.url("/404.xml"),))[0][0] == 1
    assert "failed feeds" in r.out


def test_feeds_list_search_and_export(site: LoopbackSite, tmp_path: Path) -> None:
    urls = publish(site, generate_articles(6), feeds=2)
    config = write_config(tmp_path, feeds_of(urls))
    assert cli("run", "--once", config=config).code == 0
    r = cli("feeds", "list", config=config)
    assert r.code == 0 and "feed 0" in r.out and "ok" in r.out
    r = cli("articles", "search", "harbour OR substation OR buses OR harvest OR council",
            config=config)
    assert r.code == 0 and "update no." in r.out
    r = cli("feeds", "export", config=config)
    assert r.code == 0 and urls[0] in r.out and "<opml" in r.out
    opml = tmp_path / "x.opml"
    opml.write_text(r.out.replace(urls[0], site.url("/new.xml")))
    r = cli("feeds", "import", str(opml), config=config)
    assert r.code == 0 and "imported 1 new feed" in r.out, r.out + r.err
    r = cli("feeds", "add", site.url("/another.xml"), "--name", "Another", "--interval", "2h",
            config=config)
    assert r.code == 0, r.err
    text = config.read_text()
    assert 'name = "Another"' in text and "[storage]" in text


def test_changed_body_with_nothing_new_is_not_parsed(site: LoopbackSite, tmp_path: Path) -> None:
    items = [Item(f"Story {i}", site.url(f"/s{i}.html"), summary="A summary long enough.",
                  guid=f"g-{i}") for i in range(5)]
    feed = site.add("/f.xml", render_rss2("F", site.base, items))
    config = write_config(tmp_path, feeds_of([feed]))
    assert cli("run", "--once", config=config).code == 0
    site.add("/f.xml", render_rss2("F, reordered", site.base, items[::-1]))
    assert cli("run", "--once", config=config).code == 0
    db = tmp_path / "watcher.db"
    assert query(db, "SELECT last_status FROM feeds")[0][0] == "unchanged"
    assert query(db, "SELECT count(*) FROM entries")[0][0] == 5
    items.append(Item("Story 5", site.url("/s5.html"), summary="New.", guid="g-5"))
    site.add("/f.xml", render_rss2("F", site.base, items))
    assert cli("run", "--once", config=config).code == 0
    assert query(db, "SELECT last_status FROM feeds")[0][0] == "ok"
    assert query(db, "SELECT count(*) FROM entries")[0][0] == 6
