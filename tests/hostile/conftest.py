"""A harness for hostile cases: one cycle with a hostile feed beside a good one.

Every case runs a real cycle (loopback HTTP, worker processes, a SQLite file) and
records its outcome, wall time and peak memory, printed as a table at the end of the
session. Peak memory is the high-water RSS (``VmHWM``) of the test process and of each
worker process, reset before each case through ``/proc/<pid>/clear_refs``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from watcher.config import Config, ExtractConfig, FeedConfig, FetchConfig
from watcher.fetch import Fetcher, Resolver, system_resolver
from watcher.pipeline import FeedOutcome, Pipeline
from watcher.sample_site import LoopbackSite, generate_articles, publish
from watcher.store import Store
from watcher.urls import IPAddress, is_public_address
from watcher.workers import WorkerPool

from ..conftest import ROOT

MEMORY_BOUND_MB = 512          # peak RSS of the watcher process and of each worker
WORKER_LIMIT_MB = 1024         # RLIMIT_AS given to the workers (virtual, not resident)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Full-size cases (marked ``slow``) run only when asked for: ``-m slow`` or
    WATCHER_SLOW=1. Every one of them has a reduced twin in the default run."""
    wanted = (config.getoption("markexpr") or "").strip() == "slow"
    if wanted or os.environ.get("WATCHER_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="full-size case: python -m pytest -m slow tests/hostile")
    for item in items:
        if "tests/hostile/" in item.nodeid and item.get_closest_marker("slow"):
            item.add_marker(skip)


@dataclass
class CaseRow:
    case: str
    outcome: str
    seconds: float
    peak_mb: float


ROWS: list[CaseRow] = []


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_hwm(pid: int) -> None:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def worker_pids(pool: WorkerPool) -> list[int]:
    inner = pool._pool
    procs = getattr(inner, "_processes", None) or {}
    return [p.pid for p in procs.values() if p.pid]


class Peak:
    """Peak RSS in MB of this process and the workers since ``start()``."""

    def __init__(self, pool: WorkerPool | None) -> None:
        self.pool = pool

    def start(self) -> None:
        _reset_hwm(os.getpid())
        if self.pool is not None:
            for pid in worker_pids(self.pool):
                _reset_hwm(pid)

    def read(self) -> float:
        peaks = [_hwm_kb(os.getpid())]
        if self.pool is not None:
            peaks += [_hwm_kb(pid) for pid in worker_pids(self.pool)]
        return max(peaks) / 1024


def record(case: str, outcome: str, seconds: float, peak_mb: float) -> None:
    ROWS.append(CaseRow(case, outcome, seconds, peak_mb))


def annotate(outcome: str) -> None:
    """Replace the outcome of the case recorded last (e.g. with the article's fate)."""
    if ROWS:
        ROWS[-1].outcome = outcome


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ROWS:
        return
    tr = terminalreporter
    tr.section("hostile cases: outcome, time, peak RSS")
    width = max(len(r.case) for r in ROWS)
    for r in ROWS:
        tr.write_line(f"{r.case:<{width}}  {r.seconds:7.2f} s  {r.peak_mb:7.1f} MB  "
                      f"{r.outcome[:110]}")
    tr.write_line(f"bound: peak RSS <= {MEMORY_BOUND_MB} MB per process (watcher and each "
                  "worker); every case also bounded by the fetch deadline and item timeout")
    out = os.environ.get("WATCHER_HOSTILE_REPORT")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write("| case | outcome | time (s) | peak RSS (MB) |\n|---|---|---|---|\n")
            for r in ROWS:
                outcome = r.outcome.replace("|", "/")[:160]
                f.write(f"| {r.case} | {outcome} | {r.seconds:.2f} | {r.peak_mb:.0f} |\n")


PUBLIC_HOST = "127.0.0.2"      # the hostile site plays a public news site from here


def loopback_is_public(ip: IPAddress) -> bool:
    """127.0.0.2 plays the public internet; every other internal address stays internal,
    so 127.0.0.1 (where the ``victim`` site listens) is the LAN a feed must not reach."""
    return ip == ipaddress.ip_address(PUBLIC_HOST) or is_public_address(ip)


@pytest.fixture(scope="session")
def workers() -> Iterator[WorkerPool]:
    pool = WorkerPool(1, timeout=20.0, memory_mb=WORKER_LIMIT_MB)
    yield pool
    pool.close()


@dataclass
class CycleResult:
    outcomes: dict[str, FeedOutcome]
    seconds: float
    peak_mb: float
    store: Store
    good: list[str] = field(default_factory=list)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.store.db.execute(sql, params).fetchall()]

    def feed_error(self, url: str) -> str | None:
        row = self.rows("SELECT last_status, last_error FROM feeds WHERE url = ?", (url,))
        assert row, url
        return row[0][1] if row[0][0] == "error" else None


class Harness:
    """One store and one site per test; ``cycle()`` runs a real pipeline cycle."""

    def __init__(self, site: LoopbackSite, tmp: Path, pool: WorkerPool) -> None:
        self.site = site
        self.tmp = tmp
        self.pool = pool
        self.store = Store(tmp / "watcher.db")
        self._n = 0

    def config(self, feeds: list[str], fetch: FetchConfig, extract: ExtractConfig) -> Config:
        return Config(path=self.tmp / "watcher.toml", baseline=ROOT / "config" /
                      "baseline.toml", db_path=self.tmp / "watcher.db",
                      feeds=tuple(FeedConfig(url=u, name=u.rsplit("/", 1)[-1] or u)
                                  for u in feeds), fetch=fetch, extract=extract)

    def good_feed(self) -> str:
        self._n += 1
        return publish(self.site, generate_articles(2, seed=self._n), feeds=1,
                       prefix=f"/good{self._n}")[0]

    def cycle(self, case: str, hostile: list[str], *, good: bool = True,
              fetch: FetchConfig | None = None, extract: ExtractConfig | None = None,
              resolver: Resolver = system_resolver,
              is_public: Any = loopback_is_public, expect_error: bool = True,
              bound_mb: float = MEMORY_BOUND_MB, budget_s: float = 30.0) -> CycleResult:
        """Run one cycle; check the good feed, integrity, time and memory; record."""
        fetch = fetch or FetchConfig(retries=0, backoff=0.05, deadline=5.0, read_timeout=3.0,
                                     connect_timeout=2.0, max_bytes=2_000_000)
        extract = extract or ExtractConfig(workers=1, item_timeout=20.0)
        goods = [self.good_feed()] if good else []
        config = self.config([*hostile, *goods], fetch, extract)
        peak = Peak(self.pool)

        async def go() -> list[FeedOutcome]:
            async with Fetcher(fetch, resolver=resolver, is_public=is_public) as f:
                pipeline = Pipeline(config, self.store, f, self.pool)
                report = await pipeline.run_cycle()
                return report.outcomes

        peak.start()
        start = time.monotonic()
        outcomes = asyncio.run(go())
        seconds = time.monotonic() - start
        peak_mb = peak.read()
        result = CycleResult({o.url: o for o in outcomes}, seconds, peak_mb, self.store,
                             goods)
        for g in goods:
            o = result.outcomes[g]
            assert o.status == "ok" and o.articles == 2, (case, o)
        assert self.store.integrity_check() == "ok"
        errors = [result.outcomes[u].error for u in hostile if result.outcomes[u].error]
        if expect_error:
            for u in hostile:
                assert result.outcomes[u].status == "error", (case, result.outcomes[u])
                assert result.feed_error(u), case
        outcome = "; ".join(e or "" for e in errors) or ", ".join(
            result.outcomes[u].status for u in hostile)
        record(case, outcome, seconds, peak_mb)
        assert seconds < budget_s, (case, seconds)
        assert peak_mb < bound_mb, (case, peak_mb)
        return result

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def victim() -> Iterator[LoopbackSite]:
    """An internal service on 127.0.0.1 that no hostile input may reach."""
    with LoopbackSite("127.0.0.1") as site:
        site.add("/secret", b"internal secret 4242", content_type="text/plain")
        yield site


@pytest.fixture
def harness(tmp_path: Path, workers: WorkerPool) -> Iterator[Harness]:
    with LoopbackSite(PUBLIC_HOST) as site:
        h = Harness(site, tmp_path, workers)
        try:
            yield h
        finally:
            h.close()


@pytest.fixture(autouse=True)
def _stop_handlers() -> Iterator[None]:
    """Misbehaving handlers run until the test ends, then stop."""
    from .servers import STOP

    STOP.clear()
    yield
    STOP.set()
