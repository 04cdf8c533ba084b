"""What every benchmark shares: sizes per mode, a config built in code, tables."""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from watcher.config import Config, ExtractConfig, FeedConfig, FetchConfig

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "config" / "baseline.toml"


@dataclass(frozen=True, slots=True)
class Mode:
    """How big and how often: ``smoke`` (toy, seconds), ``quick`` (< 1 min), ``full``."""

    name: str
    repeats: int

    @property
    def smoke(self) -> bool:
        return self.name == "smoke"

    @property
    def quick(self) -> bool:
        return self.name == "quick"

    def pick(self, smoke: Any, quick: Any, full: Any) -> Any:
        return {"smoke": smoke, "quick": quick, "full": full}[self.name]


def make_config(workdir: Path, urls: Sequence[str], *, fetch: FetchConfig | None = None,
                extract: ExtractConfig | None = None) -> Config:
    """A Config as ``load_config`` would build it, without a TOML file."""
    return Config(path=workdir / "watcher.toml", baseline=BASELINE,
                  db_path=workdir / "watcher.db",
                  feeds=tuple(FeedConfig(url=u, name=f"feed {n}") for n, u in enumerate(urls)),
                  fetch=fetch or FetchConfig(), extract=extract or ExtractConfig())


def fetch_config(**changes: Any) -> FetchConfig:
    """Shipped [fetch] defaults, with ``changes``; retries off so a failure shows."""
    return replace(FetchConfig(), **{"retries": 0, **changes})


def tempdir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f"watcher-bench-{prefix}-")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def fmt(value: float, digits: int = 1) -> str:
    if value != value:   # NaN
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
                notes: Sequence[str] = ()) -> None:
    """A plain-text table: one per benchmark, easy to paste into an issue."""
    cells = [list(headers)] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: Sequence[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if n else c.ljust(w)
                                 for n, (c, w) in enumerate(zip(r, widths, strict=True))) + " |"

    print()
    print(f"## {title}")
    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells[1:]:
        print(line(r))
    for n in notes:
        print(f"  {n}")
    print(flush=True)


T = TypeVar("T")


def items_per_second(fn: Callable[[T], object], items: Sequence[T], processes: int) -> float:
    """The library's own rate: ``fn`` over ``items`` in this process, or in a forkserver
    pool of ``processes`` that is started and warmed before the clock starts."""
    if processes == 1:
        fn(items[0])
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        return len(items) / (time.perf_counter() - t0)
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(processes) as pool:
        pool.map(fn, items[: processes * 2], chunksize=1)
        t0 = time.perf_counter()
        for _ in pool.imap_unordered(fn, items, chunksize=1):
            pass
        return len(items) / (time.perf_counter() - t0)
