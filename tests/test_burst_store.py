"""A feed's writes, batched for speed, still say what one statement per row said."""

from __future__ import annotations

from pathlib import Path

from watcher.store import FeedUpdate, NewArticle, NewEntry, Store, text_hash


def article(url: str, canonical: str | None = None, text: str = "Some text.") -> NewArticle:
    return NewArticle(url=url, link=url, final_url=url, page_canonical=canonical, title="t",
                      author=None, published=None, sitename=None, language="en", text=text,
                      text_source="page", problem=None, html_z=None)


def entry(key: str, a: NewArticle | None, url: str | None = None) -> NewEntry:
    return NewEntry(key=key, guid=key, link=url, title=key, published=None, summary="",
                    author=None, article_url=url or (a.url if a else None), article=a)


def test_known_article_urls_names_the_urls_asked_for(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        feed = store.ensure_feeds([("http://f.example/rss", "f")])["http://f.example/rss"]
        store.save_feed_update(FeedUpdate(
            feed_id=feed.id, status="ok", http_status=200, etag=None, last_modified=None,
            body_hash="h", entries=[entry("1", article("http://a.example/1",
                                                        "http://a.example/canon"))]))
        asked = ["http://a.example/1", "http://a.example/canon", "http://a.example/new"]
        assert store.known_article_urls(asked) == set(asked[:2])
        assert store.known_article_urls([]) == set()


def test_a_feeds_entries_count_and_link_as_before(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        feed = store.ensure_feeds([("http://f.example/rss", "f")])["http://f.example/rss"]
        seen: list[int] = []
        first = article("http://a.example/1", text="First  text,\nwith SPACES.")
        created = store.save_feed_update(FeedUpdate(
            feed_id=feed.id, status="ok", http_status=200, etag=None, last_modified=None,
            body_hash="h", entries=[entry("1", first), entry("2", None, first.url),
                                    entry("3", None)]), lambda i, a: seen.append(i))
        assert created == seen and len(created) == 1
        again = store.save_feed_update(FeedUpdate(
            feed_id=feed.id, status="ok", http_status=200, etag=None, last_modified=None,
            body_hash="h2", entries=[entry("1", None, first.url), entry("4", None)]))
        assert again == []
        rows = store.db.execute("SELECT key, article_id FROM entries ORDER BY key").fetchall()
        assert rows == [("1", created[0]), ("2", created[0]), ("3", None), ("4", None)]
        assert store.db.execute("SELECT entry_count FROM feeds").fetchone()[0] == 4
        stored = store.db.execute("SELECT text_hash FROM articles").fetchone()[0]
        assert stored == text_hash("first text, with spaces.") == text_hash(first.text)
