"""One cycle: every enabled feed fetched, parsed, its new articles extracted and stored.

The stages run as: fetch (async, here) -> parse and extract (worker processes) ->
analyse figures (worker) -> store (one transaction per feed). Feeds run concurrently;
one feed's failure is recorded on that feed and never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from watcher import language
from watcher.config import Config, FeedConfig
from watcher.errors import FeedError, FetchError, WatcherError
from watcher.feeds import Entry, ParsedFeed, entry_keys_prescan
from watcher.fetch import Fetcher, Response
from watcher.store import RUN_COUNTERS, FeedState, FeedUpdate, NewArticle, NewEntry, Store
from watcher.store.base import DatabaseUnavailable
from watcher.tasks import Analyser, Extracted, extract_task, parse_task
from watcher.workers import WorkerPool

log = logging.getLogger("watcher.pipeline")


class ArticleHook(Protocol):
    """What later stages plug in: analyse an article off-loop, then record inside the
    feed's transaction."""

    def bind(self, workers: WorkerPool) -> None: ...

    def sync(self, store: Store) -> None: ...

    def analyser(self) -> Analyser | None: ...

    async def analyse(self, article: NewArticle) -> Any: ...

    def record(self, store: Store, article_id: int, article: NewArticle,
               analysis: Any, feed: FeedConfig) -> tuple[int, int]: ...


@dataclass(slots=True)
class FeedOutcome:
    url: str
    name: str
    status: str = "error"            # ok | not_modified | unchanged | error
    error: str | None = None
    http_status: int | None = None
    retry_after: float | None = None
    new_entries: int = 0
    articles: int = 0
    fallbacks: int = 0
    observations: int = 0
    changes: int = 0
    elapsed: float = 0.0
    fresh_for: float | None = None   # seconds the server says the feed stays fresh

    def counts(self) -> dict[str, int]:
        """This feed's share of a cycle's counters (the daemon adds them up per window)."""
        return {"feeds": 1, "ok": int(self.status == "ok"),
                "not_modified": int(self.status in ("not_modified", "unchanged")),
                "failed": int(self.status == "error"), "new_entries": self.new_entries,
                "articles": self.articles, "fallbacks": self.fallbacks,
                "observations": self.observations, "changes": self.changes}


@dataclass(slots=True)
class CycleReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    elapsed: float = 0.0
    run_id: int | None = None

    def counts(self) -> dict[str, int]:
        """The cycle's counters: the sum of its feeds' (one definition of each)."""
        total = dict.fromkeys(RUN_COUNTERS, 0)
        for o in self.outcomes:
            for k, v in o.counts().items():
                total[k] += v
        return total

    @property
    def errors(self) -> list[str]:
        return [f"{x.name}: {x.error}" for x in self.outcomes if x.error]


def freshness(headers: dict[str, str], now: float | None = None) -> float | None:
    """How long a response says it stays fresh, in seconds: Cache-Control max-age
    (less Age), else Expires; None when it says nothing usable (or no-cache/no-store)."""
    from email.utils import parsedate_to_datetime

    cc = headers.get("cache-control", "").lower()
    directives = [d.strip() for d in cc.split(",") if d.strip()]
    if any(d in ("no-cache", "no-store") for d in directives):
        return None
    for d in directives:
        if d.startswith("max-age="):
            try:
                age = float(headers.get("age", "0").strip() or 0)
                return max(0.0, float(int(d.split("=", 1)[1].strip('" '))) - age)
            except ValueError:
                return None
    expires = headers.get("expires")
    if expires:
        try:
            when = parsedate_to_datetime(expires)
            base = parsedate_to_datetime(headers["date"]).timestamp() if "date" in headers \
                else (now if now is not None else time.time())
        except (TypeError, ValueError, IndexError, KeyError):
            return 0.0      # an invalid Expires means "already expired"
        if when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - base)
    return None


_PRESCAN_MAX = 1_000_000    # bytes: larger feeds are only looked at in a worker


def _body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _entry_urn(feed_url: str, key: str) -> str:
    return "urn:watcher:entry:" + hashlib.sha256(f"{feed_url}\x00{key}".encode()).hexdigest()


class Pipeline:
    """Holds what lives longer than one feed: the fetcher, the workers, the store."""

    def __init__(self, config: Config, store: Store, fetcher: Fetcher, workers: WorkerPool,
                 hook: ArticleHook | None = None) -> None:
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.workers = workers
        self.hook = hook
        if hook is not None:
            hook.bind(workers)
        self._inflight: dict[str, asyncio.Future[tuple[NewArticle, Any]]] = {}
        # articles being fetched and extracted at once: bounds memory in a burst
        self._article_slots = asyncio.Semaphore(max(8, 4 * max(1, workers.workers)))
        # set by a cycle at its first full-disk or lock error: no feed writes after it
        self._halt: DatabaseUnavailable | None = None

    def _writable(self) -> None:
        if self._halt is not None:
            raise self._halt

    # -- one feed --

    async def run_feed(self, feed: FeedConfig, state: FeedState) -> FeedOutcome:
        out = FeedOutcome(url=feed.url, name=feed.name)
        start = time.monotonic()
        try:
            await self._run_feed(feed, state, out)
        except DatabaseUnavailable:
            raise       # not this feed's fault: the caller stops or pauses the writes
        except FetchError as e:
            out.status, out.error, out.http_status = "error", e.reason, e.status
            out.retry_after = e.retry_after
        except (FeedError, WatcherError) as e:
            out.status, out.error = "error", str(e)
        except Exception as e:   # a bug: say so loudly, keep the other feeds going
            log.exception("internal error on feed %s", feed.url)
            out.status, out.error = "error", f"internal error: {type(e).__name__}: {e}"
        out.elapsed = time.monotonic() - start
        if out.status == "error":
            self._writable()
            until = None
            if out.retry_after:
                until = (datetime.now(UTC) + timedelta(seconds=out.retry_after)).isoformat(
                    timespec="seconds").replace("+00:00", "Z")
            self.store.record_feed_error(state.id, out.error or "failed",
                                         http_status=out.http_status, retry_after_until=until)
        return out

    async def _run_feed(self, feed: FeedConfig, state: FeedState, out: FeedOutcome) -> None:
        resp = await self.fetcher.get(
            feed.url, trusted=True, etag=state.etag, last_modified=state.last_modified,
            accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                   "text/xml;q=0.9, */*;q=0.5")
        out.http_status = resp.status
        out.fresh_for = freshness(resp.headers)
        self._writable()
        if resp.not_modified:
            out.status = "not_modified"
            self.store.save_feed_update(FeedUpdate(
                feed_id=state.id, status="not_modified", http_status=304,
                etag=resp.etag, last_modified=resp.last_modified, body_hash=None))
            return
        digest = _body_hash(resp.body)
        content_type = resp.headers.get("content-type")
        seen: frozenset[str] | None = None
        nothing_new = digest == state.body_hash
        if not nothing_new and len(resp.body) <= _PRESCAN_MAX:
            # a cheap look at the entries' keys: a changed body with nothing new in it
            # (a new timestamp, reordered items) costs no feedparser run at all
            keys = entry_keys_prescan(resp.body, resp.url, content_type=content_type)
            if keys is not None:
                seen = frozenset(self.store.known_entry_keys(state.id, keys))
                nothing_new = len(seen) == len(set(keys))
        if nothing_new:
            self._writable()
            out.status = "unchanged"
            self.store.save_feed_update(FeedUpdate(
                feed_id=state.id, status="unchanged", http_status=resp.status,
                etag=resp.etag, last_modified=resp.last_modified, body_hash=digest,
                permanent_url=resp.permanent_redirect))
            return
        parsed: ParsedFeed = await self.workers.run(
            parse_task, resp.body, resp.url, content_type, seen)
        known = self.store.known_entry_keys(state.id, [e.key for e in parsed.entries])
        fresh = [e for e in parsed.entries if e.key not in known]
        fresh = fresh[: self.config.extract.articles_per_feed]
        private_ok = not resp.peer_is_public
        urls = [e.canonical or _entry_urn(feed.url, e.key) for e in fresh]
        stored = self.store.known_article_urls(urls)
        done = await asyncio.gather(*(self._entry(e, url, url in stored, private_ok)
                                      for e, url in zip(fresh, urls, strict=True)))

        analyses = {e.article.url: a for e, a in done if e.article is not None and a is not None}
        if self.hook is not None:
            # articles from the feed's own text were not analysed with an extraction
            rest = [e.article for e, a in done if e.article is not None and a is None]
            results = await asyncio.gather(*(self.hook.analyse(a) for a in rest))
            analyses.update({a.url: r for a, r in zip(rest, results, strict=True)})
        entries = [e for e, _ in done]
        counters = [0, 0]

        def after_article(article_id: int, article: NewArticle) -> None:
            if self.hook is not None and article.url in analyses:
                obs, changes = self.hook.record(self.store, article_id, article,
                                                analyses[article.url], feed)
                counters[0] += obs
                counters[1] += changes

        self._writable()
        created = self.store.save_feed_update(FeedUpdate(
            feed_id=state.id, status="ok", http_status=resp.status, etag=resp.etag,
            last_modified=resp.last_modified, body_hash=digest, title=parsed.title,
            site_link=parsed.link, warning=parsed.warning,
            permanent_url=resp.permanent_redirect, entries=entries), after_article)
        out.status = "ok"
        out.new_entries = len(entries)
        out.articles = len(created)
        out.fallbacks = sum(1 for e in entries if e.article is not None
                            and e.article.text_source != "page")
        out.observations, out.changes = counters

    async def _entry(self, entry: Entry, url: str, stored: bool, private_ok: bool
                     ) -> tuple[NewEntry, Any]:
        """The entry, its article if new (fetched once even when two feeds carry it),
        and the article's analysis when it was made in the extraction worker."""
        article: NewArticle | None = None
        analysis: Any = None
        if not stored:
            pending = self._inflight.get(url)
            if pending is None:
                fut: asyncio.Future[tuple[NewArticle, Any]] = \
                    asyncio.get_running_loop().create_future()
                self._inflight[url] = fut
                try:
                    async with self._article_slots:
                        article, analysis = await self._article(entry, url, private_ok)
                    fut.set_result((article, analysis))
                except BaseException as e:
                    fut.set_exception(e)
                    fut.exception()   # mark retrieved: the other waiters re-raise it
                    raise
                finally:
                    del self._inflight[url]
            else:
                article, analysis = await pending
        return NewEntry(key=entry.key, guid=entry.guid, link=entry.link, title=entry.title,
                        published=entry.published, summary=entry.summary, author=entry.author,
                        article_url=url, article=article), analysis

    async def _article(self, entry: Entry, url: str, private_ok: bool
                       ) -> tuple[NewArticle, Any]:
        problem: str | None = entry.link_problem
        page_resp: Response | None = None
        if entry.link:
            try:
                page_resp = await self.fetcher.get(
                    entry.link, trusted=private_ok,
                    accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
            except FetchError as e:
                problem = f"page not fetched: {e.reason}"
        html_z: bytes | None = None
        page_language: str | None = None     # declared by a page that gave no text
        if page_resp is not None:
            cap = self.config.extract.max_html_bytes
            analyser = self.hook.analyser() if self.hook is not None else None
            try:
                done: Extracted = await self.workers.run(
                    extract_task, page_resp.body[:cap], page_resp.url, cap, entry.published,
                    analyser)
            except WatcherError as e:
                problem = f"extraction failed: {e}"
            else:
                page, html_z = done.page, done.html_z
                if page.text:
                    return NewArticle(
                        url=url, link=entry.link or url, final_url=page_resp.url,
                        page_canonical=_clean_canonical(page.canonical), title=page.title
                        or entry.title, author=page.author or entry.author,
                        published=entry.published or page.date, sitename=page.sitename,
                        language=page.language, text=page.text, text_source="page",
                        problem=None, html_z=html_z), done.analysis
                problem, page_language = page.problem, page.language
        source, text = ("feed_content", entry.content) if len(entry.content) >= len(
            entry.summary) else ("feed_summary", entry.summary)
        if not text:
            text = entry.title
            source = "feed_summary"
        return NewArticle(
            url=url, link=entry.link or url, final_url=page_resp.url if page_resp else None,
            page_canonical=None, title=entry.title, author=entry.author,
            published=entry.published, sitename=None,
            language=await self._language(text, page_language or entry.language), text=text,
            text_source=source, problem=problem, html_z=html_z), None

    async def _language(self, text: str, declared: str | None) -> str:
        """The declared language, else the text's, detected in a worker: the first
        detection in a process loads a model, which must not stall the event loop."""
        if declared:
            return declared
        try:
            return await self.workers.run(language.detect_language, text[:language.PREFIX])
        except WatcherError as e:
            log.warning("language not detected (%s); assuming %s", e, language.DEFAULT)
            return language.DEFAULT

    async def check_feed(self, feed: FeedConfig) -> FeedOutcome:
        """One feed on its own, as the daemon's job runs it: row ensured, state read fresh."""
        return await self.run_feed(feed, self.store.ensure_feed(feed.url, feed.name))

    # -- a whole cycle --

    async def run_cycle(self, feeds: Sequence[FeedConfig] | None = None,
                        on_feed: Callable[[FeedOutcome], None] | None = None,
                        kind: str = "once") -> CycleReport:
        feeds = list(self.config.enabled_feeds if feeds is None else feeds)
        start = time.monotonic()
        self._halt = None
        states = self.store.ensure_feeds((f.url, f.name) for f in feeds)
        if self.hook is not None:
            self.hook.sync(self.store)
        report = CycleReport(run_id=self.store.start_run(kind))

        async def one(feed: FeedConfig) -> None:
            try:
                outcome = await self.run_feed(feed, states[feed.url])
            except DatabaseUnavailable as e:
                if self._halt is None:
                    self._halt = e      # the first one stops every later write
                raise
            report.outcomes.append(outcome)
            if on_feed is not None:
                on_feed(outcome)

        tasks = [asyncio.ensure_future(one(f)) for f in feeds]
        try:
            if tasks:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            if self._halt is not None or any(not t.done() for t in tasks):
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        if self._halt is not None:
            raise self._halt    # each feed's writes were one transaction: none half-done
        for t in tasks:
            t.result()          # anything else unexpected surfaces as before
        report.elapsed = time.monotonic() - start
        assert report.run_id is not None
        self.store.finish_run(report.run_id, report.counts(), report.errors)
        return report


def _clean_canonical(url: str | None) -> str | None:
    from watcher.urls import canonical_url, link_problem

    if not url or link_problem(url):
        return None
    return canonical_url(url)


async def run_once(config: Config, store: Store, *, hook: ArticleHook | None = None,
                   on_feed: Callable[[FeedOutcome], None] | None = None,
                   fetcher: Fetcher | None = None) -> CycleReport:
    """One cycle over all enabled feeds with a fresh fetcher and worker pool."""
    workers = WorkerPool.from_config(config.extract)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(config.fetch)
    try:
        pipeline = Pipeline(config, store, fetcher, workers, hook)
        return await pipeline.run_cycle(on_feed=on_feed)
    finally:
        if own_fetcher:
            await fetcher.aclose()
        workers.close()
