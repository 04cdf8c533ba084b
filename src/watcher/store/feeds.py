"""Feeds, entries, articles and runs."""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from watcher.errors import StoreError
from watcher.store.base import RUN_COUNTERS, StoreBase, utcnow


@dataclass(frozen=True, slots=True)
class FeedState:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    consecutive_errors: int


@dataclass(frozen=True, slots=True)
class NewArticle:
    url: str
    link: str
    final_url: str | None
    page_canonical: str | None
    title: str | None
    author: str | None
    published: str | None
    sitename: str | None
    language: str | None
    text: str
    text_source: str
    problem: str | None
    html_z: bytes | None             # the page, zlib-compressed (by the worker)


@dataclass(frozen=True, slots=True)
class NewEntry:
    key: str
    guid: str | None
    link: str | None
    title: str
    published: str | None
    summary: str
    author: str | None
    article_url: str | None          # canonical URL of its article, if any
    article: NewArticle | None       # set when this entry brought the article


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """Everything one successful fetch of one feed changes, written atomically."""

    feed_id: int
    status: str                      # ok | not_modified | unchanged
    http_status: int | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    title: str | None = None
    site_link: str | None = None
    warning: str | None = None
    permanent_url: str | None = None
    entries: Sequence[NewEntry] = ()


@functools.lru_cache(maxsize=64)
def text_hash(text: str) -> str:
    """Remembered for the last few texts: a new article is hashed when it is stored and
    again when its observations are recorded, in the same transaction."""
    normal = " ".join(text.split()).lower()
    return hashlib.sha256(normal.encode()).hexdigest()


class FeedQueries(StoreBase):
    # -- feeds --

    def ensure_feeds(self, feeds: Iterable[tuple[str, str]]) -> dict[str, FeedState]:
        """Make sure a row exists for every (url, name); return their state by URL."""
        now = utcnow()
        with self.db.atomic():
            for url, name in feeds:
                self.db.execute(
                    "INSERT INTO feeds (url, name, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET name = excluded.name", (url, name, now))
        return self.feed_states()

    def feed_states(self) -> dict[str, FeedState]:
        rows = self.db.execute(
            "SELECT id, url, etag, last_modified, body_hash, consecutive_errors FROM feeds")
        return {r[1]: FeedState(*r) for r in rows.fetchall()}

    def known_entry_keys(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = list(keys[i:i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key FROM entries WHERE feed_id = ? AND key IN ({marks})",
                [feed_id, *chunk])
            found.update(r[0] for r in rows.fetchall())
        return found

    def known_article_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` already stored, as an article's URL or its page's canonical
        URL: one query for a whole feed's entries."""
        found: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = list(urls[i:i + 500])
            wanted = set(chunk)
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT url, page_canonical FROM articles WHERE url IN ({marks}) OR "
                f"page_canonical IN ({marks})", [*chunk, *chunk])
            for url, canonical in rows.fetchall():
                found.update(u for u in (url, canonical) if u in wanted)
        return found

    def save_feed_update(self, update: FeedUpdate,
                         after_article: Callable[[int, NewArticle], None] | None = None,
                         ) -> list[int]:
        """Write one feed's result in one transaction; return ids of new articles.

        ``after_article`` runs inside the same transaction for each new article, so
        what later stages derive from it (observations) commits with it or not at all.
        """
        now = utcnow()
        new_articles: list[int] = []
        with self.db.atomic():
            rows = []
            for entry in update.entries:
                article_id = None
                if entry.article is not None:
                    article_id, created = self._insert_article(entry.article, now)
                    if created:
                        new_articles.append(article_id)
                        if after_article is not None:
                            after_article(article_id, entry.article)
                elif entry.article_url:
                    row = self.db.execute(
                        "SELECT id FROM articles WHERE url = ? OR page_canonical = ? LIMIT 1",
                        (entry.article_url, entry.article_url)).fetchone()
                    article_id = row[0] if row else None
                rows.append((update.feed_id, entry.key, entry.guid, entry.link, entry.title,
                             entry.published, entry.summary, entry.author, article_id, now))
            new_entries = 0
            if rows:
                # one statement for the feed's entries; rowcount sums the rows inserted
                new_entries = self.db.conn.executemany(
                    "INSERT INTO entries (feed_id, key, guid, link, title, published, summary,"
                    " author, article_id, first_seen_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(feed_id, key) DO NOTHING", rows).rowcount
            self.db.execute(
                """UPDATE feeds SET last_checked_at = :now, last_success_at = :now,
                   last_status = :status, last_http_status = :http, last_error = NULL,
                   consecutive_errors = 0,
                   etag = COALESCE(:etag, etag), last_modified = COALESCE(:lm, last_modified),
                   body_hash = COALESCE(:hash, body_hash),
                   title = COALESCE(:title, title), site_link = COALESCE(:site, site_link),
                   warning = CASE WHEN :status = 'ok' THEN :warning ELSE warning END,
                   permanent_url = COALESCE(:perm, permanent_url),
                   retry_after_until = NULL,
                   entry_count = entry_count + :n,
                   last_new_entry_at = CASE WHEN :n > 0 THEN :now ELSE last_new_entry_at END
                   WHERE id = :id""",
                {"now": now, "status": update.status, "http": update.http_status,
                 "etag": update.etag, "lm": update.last_modified, "hash": update.body_hash,
                 "title": update.title, "site": update.site_link, "warning": update.warning,
                 "perm": update.permanent_url, "n": new_entries, "id": update.feed_id})
        return new_articles

    def _insert_article(self, a: NewArticle, now: str) -> tuple[int, bool]:
        row = self.db.execute(
            "SELECT id FROM articles WHERE url = ? OR (? IS NOT NULL AND url = ?) LIMIT 1",
            (a.url, a.page_canonical, a.page_canonical)).fetchone()
        if row:
            return int(row[0]), False
        html = a.html_z
        cur = self.db.execute(
            "INSERT INTO articles (url, link, final_url, page_canonical, title, author,"
            " published, sitename, language, text, text_source, text_hash, problem, html,"
            " fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.url, a.link, a.final_url, a.page_canonical, a.title, a.author, a.published,
             a.sitename, a.language, a.text, a.text_source, text_hash(a.text), a.problem,
             html, now))
        assert cur.lastrowid is not None
        return int(cur.lastrowid), True

    def record_feed_error(self, feed_id: int, error: str, *, http_status: int | None = None,
                          retry_after_until: str | None = None) -> None:
        with self.db.atomic():
            self.db.execute(
                """UPDATE feeds SET last_checked_at = ?, last_status = 'error',
                   last_http_status = ?, last_error = ?,
                   consecutive_errors = consecutive_errors + 1, retry_after_until = ?
                   WHERE id = ?""",
                (utcnow(), http_status, error[:1000], retry_after_until, feed_id))

    def list_feeds(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT id, url, name, title, last_checked_at, last_success_at, last_status,"
            " last_http_status, last_error, consecutive_errors, entry_count, permanent_url,"
            " warning, last_new_entry_at, retry_after_until FROM feeds ORDER BY name, url")]

    # -- runs --

    def start_run(self, kind: str = "once") -> int:
        with self.db.atomic():
            cur = self.db.execute("INSERT INTO runs (started_at, kind) VALUES (?, ?)",
                                  (utcnow(), kind))
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, int], errors: list[str]) -> None:
        fields = {k: v for k, v in counts.items() if k in RUN_COUNTERS}
        sets = ", ".join(f"{k} = :{k}" for k in fields)
        with self.db.atomic():
            self.db.execute(
                f"UPDATE runs SET finished_at = :fin, errors = :errors"
                f"{', ' + sets if sets else ''} WHERE id = :id",
                {**fields, "fin": utcnow(), "errors": json.dumps(errors[:200]), "id": run_id})

    def recent_runs(self, limit: int = 10) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit])]

    # -- articles --

    def count(self, table: str) -> int:
        if table not in ("feeds", "entries", "articles", "runs"):
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def search_articles(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        try:
            return [dict(r) for r in self.db.query(
                """SELECT a.id, a.url, a.title, a.published, a.sitename,
                   snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet
                   FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                   WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?""", [query, limit])]
        except sqlite3.OperationalError as e:
            raise StoreError(f"bad search query {query!r}: {e}") from None

    def article_html(self, article_id: int) -> bytes | None:
        row = self.db.execute("SELECT html FROM articles WHERE id = ?",
                              [article_id]).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else None
