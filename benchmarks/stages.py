"""``python -m benchmarks.stages [--pages 200] [--feeds 2000]``

What each stage of the pipeline costs on one core, measured on the farm's pages and
feeds (and on the real-news cache when there is one): the inputs of docs/scaling.md.
Each stage is timed alone, in this process, with the functions the pipeline calls:

- poll: one conditional GET answered 304 (client CPU per feed; 32 connections)
- fetch: one GET of an article page (client CPU per page)
- parse: ``parse_feed`` on a 20-entry feed
- extract: ``extract_page`` (trafilatura, metadata, language)
- analyze: ``claims.analyze`` on the extracted text
- write: one feed's transaction of 20 new articles with their observations

Not in ``python -m benchmarks``: run it on its own, on an idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx

from benchmarks.common import BASELINE, fmt, print_table
from benchmarks.farm import Farm

T = TypeVar("T")


def per_item_ms(fn: Callable[[T], object], items: Sequence[T], repeats: int = 3) -> float:
    """Median over repeats of CPU milliseconds per item, this process only."""
    fn(items[0])
    runs = []
    for _ in range(repeats):
        t0 = time.process_time()
        for item in items:
            fn(item)
        runs.append((time.process_time() - t0) * 1000 / len(items))
    return statistics.median(runs)


async def client_cpu_ms(urls: Sequence[str], etag: str | None = None) -> tuple[float, int]:
    """CPU per request (ms) of watcher's own Fetcher over ``urls``, and the bytes read."""
    from benchmarks.common import fetch_config
    from watcher.fetch import Fetcher

    size = 0
    async with Fetcher(fetch_config()) as fetcher:
        async def one(u: str) -> None:
            nonlocal size
            r = await fetcher.get(u, trusted=True, etag=etag)
            size += len(r.body)

        await asyncio.gather(*(one(u) for u in urls[:64]))     # connections warm
        size = 0
        t0 = time.process_time()
        await asyncio.gather(*(one(u) for u in urls))
        return (time.process_time() - t0) * 1000 / len(urls), size


def real_texts() -> list[tuple[str, str]]:
    """(text, lang) of the real-news cache, if this machine has it."""
    from benchmarks.realnews import cache_path, pages

    out: list[tuple[str, str]] = []
    for page in pages():
        path = cache_path(page.url)
        if path.is_file():
            out.append((path.read_text(encoding="utf-8"), page.lang))
    return out


def write_ms(texts: list[tuple[str, str]], batch: int = 20) -> tuple[float, float]:
    """Wall ms per article of one feed's transaction of ``batch`` new articles with their
    observations (fsync included), and the CPU part of it."""
    from watcher.claims import analyze, load_baseline
    from watcher.observe import FiguresHook
    from watcher.store import FeedUpdate, NewArticle, NewEntry, Store

    baseline = load_baseline(BASELINE)
    analyses = [analyze(t, baseline, lang=lang) for t, lang in texts]
    with tempfile.TemporaryDirectory(prefix="watcher-bench-stages-") as d:
        store = Store(Path(d) / "watcher.db")
        hook = FiguresHook(BASELINE)
        hook.sync(store)
        state = store.ensure_feed("http://127.0.0.1/feed.xml", "bench")
        feed = type("F", (), {"name": "bench"})()
        n = 0
        wall = cpu = 0.0
        for start in range(0, len(texts), batch):
            entries = []
            found: dict[str, Any] = {}
            for (text, lang), a in zip(texts[start:start + batch],
                                       analyses[start:start + batch], strict=True):
                n += 1
                url = f"http://127.0.0.1/a/{n}"
                art = NewArticle(url=url, link=url, final_url=url, page_canonical=None,
                                 title=f"article {n}", author=None,
                                 published="2025-01-15T00:00:00Z", sitename=None,
                                 language=lang, text=text, text_source="page", problem=None,
                                 html_z=zlib.compress(text.encode(), 1))
                found[url] = a
                entries.append(NewEntry(key=url, guid=url, link=url, title=art.title or "",
                                        published=art.published, summary="", author=None,
                                        article_url=url, article=art))

            def after(article_id: int, article: NewArticle,
                      found: dict[str, Any] = found) -> None:
                hook.record(store, article_id, article, found[article.url], feed)

            t0, c0 = time.perf_counter(), time.process_time()
            store.save_feed_update(FeedUpdate(
                feed_id=state.id, status="ok", http_status=200, etag=None,
                last_modified=None, body_hash=str(start), entries=entries), after)
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
        store.close()
    return wall * 1000 / n, cpu * 1000 / n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.stages")
    ap.add_argument("--pages", type=int, default=200, help="article pages (default 200)")
    ap.add_argument("--feeds", type=int, default=2000, help="feeds polled (default 2000)")
    args = ap.parse_args(argv)

    from watcher.articles import extract_page
    from watcher.claims import analyze, load_baseline
    from watcher.feeds import parse_feed

    baseline = load_baseline(BASELINE)
    per_feed = 20
    nfeeds = max(1, args.pages // per_feed)
    rows: list[list[str]] = []
    with Farm(entries=per_feed) as farm:
        page_urls = [farm.page_url(i, k) for i in range(nfeeds) for k in range(per_feed)]
        feed_urls = [farm.feed_url(i) for i in range(args.feeds)]
        fetch_ms, nbytes = asyncio.run(client_cpu_ms(page_urls))
        # the farm answers If-None-Match with 304: the unchanged cycle's request
        first = httpx.get(feed_urls[0], timeout=30)
        poll_ms, _ = asyncio.run(client_cpu_ms(feed_urls, first.headers.get("etag")))
        pages = [httpx.get(u, timeout=30).content for u in page_urls[:per_feed]]
        feed_bodies = [farm.feed_body(i) for i in range(min(nfeeds, 20))]
    page_kb = nbytes / len(page_urls) / 1000

    rows.append(["poll (304)", "feed", fmt(poll_ms, 3), "watcher's Fetcher, shipped [fetch]"])
    rows.append(["fetch page", "page", fmt(fetch_ms, 2), f"{page_kb:.0f} kB pages"])
    parse = per_item_ms(lambda b: parse_feed(b, url="http://127.0.0.1/f.xml"), feed_bodies)
    rows.append(["parse feed", "feed", fmt(parse, 2), f"{per_feed} entries"])
    items = [(p, u) for p, u in zip(pages, page_urls, strict=False)]
    extract = per_item_ms(lambda pu: extract_page(pu[0], pu[1]), items)
    rows.append(["extract", "page", fmt(extract, 2), "trafilatura + metadata + language"])
    farm_texts = [(extract_page(p, u).text or "", "en") for p, u in items]
    analyze_farm = per_item_ms(lambda t: analyze(t[0], baseline, lang=t[1]), farm_texts)
    mean_kb = statistics.mean(len(t.encode()) for t, _ in farm_texts) / 1000
    rows.append(["analyze (farm text)", "article", fmt(analyze_farm, 2),
                 f"{mean_kb:.1f} kB of text, off-story"])
    real = real_texts()
    analyze_real = float("nan")
    if real:
        analyze_real = per_item_ms(lambda t: analyze(t[0], baseline, lang=t[1]), real, 1)
        real_kb = statistics.mean(len(t.encode()) for t, _ in real) / 1000
        rows.append(["analyze (real news)", "article", fmt(analyze_real, 2),
                     f"{len(real)} cached pages, {real_kb:.1f} kB of text, on-story"])
    texts = real[:200] if real else farm_texts
    w_wall, w_cpu = write_ms(texts * max(1, 200 // len(texts)))
    rows.append(["write", "article", fmt(w_wall, 2),
                 f"wall, fsync included; CPU {fmt(w_cpu, 2)} ms"])
    print_table(f"stage costs on one core, ms per unit (pid {os.getpid()})",
                ["stage", "unit", "ms", "notes"], rows,
                notes=["CPU time of this process (wall for write); compare the stages, "
                       "not machines"])
    per_article = fetch_ms + extract + (analyze_real if real else analyze_farm) + w_cpu
    print(f"per new article, all stages: {per_article:.1f} ms of CPU "
          f"-> {2 * 86_400_000 / per_article:,.0f} articles/day on 2 cores at 100%")
    print(f"per feed poll (304): {poll_ms:.3f} ms -> "
          f"{2 * 1000 / poll_ms:,.0f} polls/s on 2 cores at 100%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
