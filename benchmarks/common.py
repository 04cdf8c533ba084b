"""What every benchmark shares: sizes per mode, a config built in code, tables."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Sequence
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
    return rate_and_cpu(fn, items, processes)[0]


def rate_and_cpu(fn: Callable[[T], object], items: Sequence[T], processes: int
                 ) -> tuple[float, float]:
    """``items_per_second``, and the CPU seconds per item it took in all its processes
    (this one and the pool's workers)."""
    if processes == 1:
        fn(items[0])
        with TreeCPU(descendants=False) as cpu:
            t0 = time.perf_counter()
            for item in items:
                fn(item)
            elapsed = time.perf_counter() - t0
        return len(items) / elapsed, cpu.seconds / len(items)
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(processes) as pool:
        pool.map(fn, items[: processes * 2], chunksize=1)
        with TreeCPU(only=[p.pid for p in pool._pool]) as cpu:  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            for _ in pool.imap_unordered(fn, items, chunksize=1):
                pass
            elapsed = time.perf_counter() - t0
        return len(items) / elapsed, cpu.seconds / len(items)


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def descendants(pid: int, exclude: Collection[int] = ()) -> list[int]:
    """Every live process below ``pid`` (Linux /proc), leaving out ``exclude`` and what
    runs below them."""
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            if child not in exclude:
                found.append(child)
                todo.append(child)
    return found


class TreeCPU:
    """CPU seconds used while open by this process and its descendants (or by the
    processes ``only``), minus ``exclude``.

    On a machine shared with other jobs, wall-clock rates swing with their load; the
    CPU an amount of work takes swings far less, so a ratio of CPU per item is the
    steadier comparison. Other processes are sampled every ``interval`` seconds from
    /proc (Linux): what one uses after its last sample is lost. ``seconds`` is NaN where
    /proc is missing.
    """

    def __init__(self, *, descendants: bool = True, only: Sequence[int] = (),
                 exclude: Sequence[int] = (), interval: float = 0.1) -> None:
        self.descendants = descendants
        self.only = list(only)
        self.exclude = set(exclude)
        self.interval = interval
        self.seconds = float("nan")
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._own = 0.0
        self._started = False

    def _pids(self) -> list[int]:
        if self.only:
            return self.only
        if not self.descendants:
            return []
        return descendants(os.getpid(), self.exclude)

    def _sample(self) -> None:
        for pid in self._pids():
            cpu = process_cpu(pid)
            if cpu is not None:
                self._first.setdefault(pid, cpu if not self._started else 0.0)
                self._last[pid] = cpu

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> TreeCPU:
        self._sample()           # what processes alive now had used before
        self._started = True
        t = os.times()
        self._own = t.user + t.system
        if self.only or self.descendants:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        t = os.times()
        own = t.user + t.system - self._own
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()
        if not os.path.isdir("/proc/self/task"):
            return
        self.seconds = own + sum(v - self._first.get(pid, 0.0) for pid, v in self._last.items())
