"""``python -m benchmarks.reprocess_bench [--articles 100000] [--processes 2] [--smoke]``

``watcher reprocess`` (the installed command, in a subprocess: the real code path) on a
database of N stored articles, beside the limit measured in the same run: the rate of
``claims.analyze`` alone on the same texts in a ``multiprocessing.Pool`` of the same
number of processes. The issue's target is a ratio of 0.85 at 100,000 articles.

Articles are synthetic but varied, about 5 kB each, and written directly through the
store (``save_feed_update``), not fetched: a quarter report on the watched story (the
claim-matching sentences of tests/data/claims_dev.jsonl among story prose, about one per
kB as in the real-news pages of benchmarks/realnews.py), the rest is other news with
figures. Peak memory is the resident set of the reprocess process
(VmHWM), and of it with its worker processes (sampled every 0.2 s), to show that memory
does not grow with the archive. ``--db PATH`` keeps the built database for another run.
Not in ``python -m benchmarks``: run it on its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.claims_bench import FILLER
from benchmarks.common import (
    BASELINE,
    ROOT,
    TreeCPU,
    descendants,
    fmt,
    print_table,
    process_cpu,
)
from benchmarks.extract_bench import watcher_command
from benchmarks.farm import WORDS
from watcher.store import FeedUpdate, NewArticle, NewEntry, Store

TARGET = 0.85
TEXT_SIZE = 5_000
FEEDS = 40

# Story prose without figures (claims_bench's filler and two more), and other news with
# figures (our own words).
STORY_PROSE = (
    *FILLER,
    "Ukrainian officers said the newcomers adapted quickly after heavy early losses.",
    "Satellite images showed new barracks and rail sidings near the training grounds.",
)
OTHER_NEWS = (
    "The {place} council approved a budget of {m}.{d} million euros, with {p}% set aside "
    "for schools.",
    "About {n:,} new teachers will be hired by September, the {place} education office said.",
    "Rail traffic fell by {p} percent in the first quarter after a strike that lasted {s} days.",
    "The club signed the {s}-year-old striker for a fee of around {m} million pounds.",
    "Prices rose {d}.{s}% in March, the statistics agency said, down from {d}.{p}% in "
    "February.",
    "More than {n:,} people attended the festival in {place}, which ran for three days.",
    "The storm left {n:,} homes in {place} without power and closed {s} roads overnight.",
    "Exports of grain through {place} reached {n:,} tonnes last month, up {p}% on a year "
    "earlier.",
    "The hospital in {place} treated {s} patients after the crash on the ring road.",
    "Turnout in {place} was {p}.{d}%, with {n:,} ballots counted by midnight.",
    "Shares in the company fell {d}.{s}% after it cut {n:,} jobs across {s} sites.",
    "The new bridge over the {place} river cost {m} million dollars and took {s} months.",
)
PLACES = ("Lisbon", "Tampere", "Graz", "Leeds", "Porto", "Brno", "Malmo", "Ghent", "Split",
          "Cork", "Turku", "Bergen", "Lyon", "Bilbao", "Utrecht", "Poznan")

def story_sentences() -> list[str]:
    rows = [json.loads(line) for line in
            (ROOT / "tests" / "data" / "claims_dev.jsonl").read_text().splitlines()]
    return [r["text"] for r in rows if r.get("lang", "en") == "en"]


def make_text(rng: random.Random, story: list[str], on_topic: bool) -> str:
    """About TEXT_SIZE characters of paragraphs: figures in a minority of sentences."""
    paras: list[str] = []
    size = 0
    while size < TEXT_SIZE:
        sentences: list[str] = []
        for _ in range(rng.randint(3, 6)):
            roll = rng.random()
            if on_topic and roll < 0.12:
                sentences.append(rng.choice(story))
            elif on_topic and roll < 0.6:
                sentences.append(rng.choice(STORY_PROSE))
            elif roll < 0.75:
                sentences.append(rng.choice(OTHER_NEWS).format(
                    place=rng.choice(PLACES), n=rng.randint(120, 90_000),
                    m=rng.randint(2, 900), d=rng.randint(1, 9), p=rng.randint(2, 60),
                    s=rng.randint(2, 40)))
            else:
                words = [rng.choice(WORDS) for _ in range(rng.randint(9, 22))]
                sentences.append(" ".join(words).capitalize() + ".")
        para = " ".join(sentences)
        paras.append(para)
        size += len(para) + 2
    return "\n\n".join(paras)


def build(db: Path, count: int, seed: int = 11) -> float:
    """A database of ``count`` stored articles; returns seconds taken."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    story = story_sentences()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with Store(db) as store:
        feeds = store.ensure_feeds([(f"https://news{i}.example.org/feed", f"feed {i}")
                                    for i in range(FEEDS)])
        ids = [f.id for f in feeds.values()]
        chunk = 500
        for lo in range(0, count, chunk):
            entries = []
            for i in range(lo, min(count, lo + chunk)):
                url = f"https://news{i % FEEDS}.example.org/{i}"
                when = (start + timedelta(seconds=i * 31_536_000 // max(count, 1))
                        ).isoformat().replace("+00:00", "Z")
                text = make_text(rng, story, on_topic=rng.random() < 0.25)
                entries.append(NewEntry(str(i), None, url, f"Article {i}", when, "", None, url,
                                        NewArticle(url, url, None, None, f"Article {i}",
                                                   None, when, "Example News", "en", text,
                                                   "page", None, None)))
            store.save_feed_update(FeedUpdate(ids[(lo // chunk) % FEEDS], "ok", 200, None,
                                              None, None, entries=entries))
    return time.perf_counter() - t0


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return -1


# -- the limit: claims.analyze alone, in a Pool --

_BASELINE: Any = None


def _init() -> None:
    global _BASELINE
    from watcher.claims import load_baseline

    _BASELINE = load_baseline(BASELINE)


def _analyze(item: tuple[str, str | None, str | None]) -> int:
    from watcher.claims import analyze

    text, lang, published = item
    return len(analyze(text, _BASELINE, lang=lang or "en", published=published))


def _analyze_needed(item: tuple[str, str | None, str | None]) -> int:
    """What recording needs: analyze() only on the texts that name the story."""
    from watcher.claims import analyze, names_the_story

    text, lang, published = item
    if not names_the_story(text, _BASELINE):
        return 0
    return len(analyze(text, _BASELINE, lang=lang or "en", published=published))


LIMITS = {"claims.analyze on every text": _analyze,
          "claims.analyze on the texts that name the story": _analyze_needed}


def _texts(db: Path) -> Iterator[tuple[str, str | None, str | None]]:
    """The stored texts, a page at a time (this runs in the pool's feeder thread)."""
    conn = sqlite3.connect(db)
    try:
        after = 0
        while True:
            page = conn.execute("SELECT id, text, language, published FROM articles "
                                "WHERE id > ? ORDER BY id LIMIT 500", [after]).fetchall()
            if not page:
                return
            after = page[-1][0]
            yield from ((t, lang, p) for _i, t, lang, p in page)
    finally:
        conn.close()


def limit_rate(db: Path, processes: int, count: int,
               fn: Callable[[tuple[str, str | None, str | None]], int] = _analyze
               ) -> tuple[float, float]:
    """Articles/s of analyze() over every stored text in a warmed forkserver Pool, and
    the CPU seconds its processes spent per article."""
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(processes, initializer=_init) as pool:
        pool.map(fn, list(itertools.islice(_texts(db), processes * 2)), chunksize=1)
        with TreeCPU(only=[p.pid for p in pool._pool]) as cpu:  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            n = sum(1 for _ in pool.imap_unordered(fn, _texts(db), chunksize=8))
            elapsed = time.perf_counter() - t0
    assert n == count, (n, count)
    return n / elapsed, cpu.seconds / n


# -- watcher reprocess --

def _kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Memory(threading.Thread):
    """Samples a process's own peak RSS and its tree's total RSS until it ends."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.main_kb = self.tree_kb = 0
        self.cpu: dict[int, float] = {}       # CPU seconds last seen, per process
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.main_kb = max(self.main_kb, _kb(self.pid, "VmHWM"))
            tree = [self.pid, *descendants(self.pid)]
            self.tree_kb = max(self.tree_kb, sum(_kb(p, "VmRSS") for p in tree))
            for p in tree:
                self.cpu[p] = max(self.cpu.get(p, 0.0), process_cpu(p) or 0.0)


@dataclass
class _Run:
    seconds: float
    recording: float        # of which recording (after the last article was analysed)
    summary: str
    memory: _Memory


def forget_runs(db: Path) -> None:
    """No unfinished reprocess left from an interrupted benchmark: it would resume."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM reprocess_runs")


def watcher_run(config: Path, db: Path) -> _Run:
    """``watcher reprocess`` timed, with when its recording phase began (from its
    progress lines) and its memory."""
    forget_runs(db)
    t0 = time.perf_counter()
    proc = subprocess.Popen([*watcher_command(), "--config", str(config), "reprocess",
                             "--progress"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=config.parent)
    mem = _Memory(proc.pid)
    mem.start()
    recording = [0.0]
    tail: list[str] = []

    def read_progress() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("recording:") and not recording[0]:
                recording[0] = time.perf_counter()
            tail[:] = [*tail[-20:], line]

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.wait()
    reader.join()
    end = time.perf_counter()
    mem.done.set()
    mem.join()
    if proc.returncode != 0:
        raise SystemExit(f"watcher reprocess failed ({proc.returncode}): {''.join(tail)}")
    return _Run(end - t0, end - (recording[0] or end), out.strip(), mem)


def write_config(workdir: Path, db: Path, processes: int) -> Path:
    config = workdir / "watcher.toml"
    config.write_text(f'baseline = {json.dumps(str(BASELINE))}\n[storage]\n'
                      f'path = {json.dumps(str(db))}\n[extract]\nworkers = {processes}\n')
    return config


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.reprocess_bench",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--smoke", action="store_true", help="200 articles: it starts and ends")
    ap.add_argument("--db", type=Path, help="build the database here, or reuse it")
    args = ap.parse_args(argv)
    count = 200 if args.smoke else args.articles
    with tempfile.TemporaryDirectory(prefix="watcher-bench-reprocess-") as tmp:
        workdir = Path(tmp)
        db = args.db.resolve() if args.db else workdir / "watcher.db"
        built = "reused"
        if stored(db) != count:
            for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                p.unlink(missing_ok=True)
            built = f"built in {build(db, count):.0f} s"
        size_mb = db.stat().st_size / 1e6
        config = write_config(workdir, db, args.processes)
        load = os.getloadavg()[0]
        limits: dict[str, list[float]] = {name: [] for name in LIMITS}
        limit_cpu: dict[str, list[float]] = {name: [] for name in LIMITS}
        runs: list[_Run] = []

        def measure_limits() -> None:
            for name, fn in LIMITS.items():
                rate, cpu = limit_rate(db, args.processes, count, fn)
                limits[name].append(rate)
                limit_cpu[name].append(cpu)

        # the limits before each watcher run and once after the last: on a shared
        # machine the load drifts, and their medians bracket it
        for _ in range(max(1, args.repeats)):
            measure_limits()
            runs.append(watcher_run(config, db))
        measure_limits()
        rate = statistics.median(count / r.seconds for r in runs)
        rec = statistics.median(r.recording for r in runs)
        cpu_w = statistics.median(sum(r.memory.cpu.values()) / count for r in runs)
        total = statistics.median(r.seconds for r in runs)
        median = {name: statistics.median(v) for name, v in limits.items()}
        first, needed = LIMITS
        ratio = rate / median[first]
        rows = [["watcher reprocess", fmt(rate), "",
                 f"{max(r.memory.main_kb for r in runs) / 1024:.0f} MB",
                 f"{max(r.memory.tree_kb for r in runs) / 1024:.0f} MB"]]
        rows += [[name, fmt(median[name]), f"{rate / median[name]:.2f}", "-", "-"]
                 for name in LIMITS]
        print_table(
            f"reprocess: {count:,} articles, {args.processes} processes "
            f"(watcher: median of {len(runs)}, limits: median of {len(limits[first])})",
            ["what", "articles/s", "watcher's ratio to it", "peak RSS main",
             "peak RSS with workers"],
            rows,
            notes=[f"target: ratio to {first} >= {TARGET} at 100,000 articles "
                   f"({'met' if ratio >= TARGET else 'NOT met'} here); the ratio to "
                   f"{needed} is what the orchestration costs (reading, staging, "
                   "recording), since that is the analysis reprocess does",
                   f"database: {size_mb:,.0f} MB, {built}; load average at start {load:.1f}, "
                   f"at end {os.getloadavg()[0]:.1f}",
                   f"watcher: {runs[-1].summary}; {total:.0f} s, of which recording "
                   f"{rec:.0f} s",
                   # CPU per article does not depend on what else the machine runs
                   f"CPU per article: watcher {cpu_w * 1000:.1f} ms (all its processes); "
                   + "; ".join(f"{name} {statistics.median(limit_cpu[name]) * 1000:.1f} ms"
                               for name in LIMITS),
                   "watcher runs (articles/s): " + ", ".join(
                       f"{count / r.seconds:.1f}" for r in runs)
                   + "; limit runs: " + "; ".join(
                       f"{name} " + ", ".join(f"{b:.1f}" for b in v)
                       for name, v in limits.items())])
    return 0


if __name__ == "__main__":
    sys.exit(main())
