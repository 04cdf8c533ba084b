"""CPU-bound work (feed parsing, extraction, figures) in worker processes.

A blocking parse on the event loop stalls every feed, and a hostile document can make
feedparser or trafilatura spin or balloon. Each item therefore runs in a worker process
under a wall-clock deadline and an address-space limit; a worker that overruns or dies
is replaced, and only that item is reported as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from watcher.config import ExtractConfig
from watcher.errors import WatcherError

T = TypeVar("T")

_PRELOAD = ["watcher.tasks"]


class WorkerError(WatcherError):
    """An item could not be processed: its worker overran the deadline or died."""


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class WorkerPool:
    """``await pool.run(fn, *args)`` runs ``fn`` in a worker; ``workers=0`` runs inline.

    Inline mode (a thread) is for tiny jobs and debugging; it has no memory limit and
    cannot stop a runaway item.
    """

    def __init__(self, workers: int, *, timeout: float, memory_mb: int = 2048) -> None:
        self.workers = workers
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    @classmethod
    def from_config(cls, cfg: ExtractConfig) -> WorkerPool:
        return cls(cfg.workers, timeout=cfg.item_timeout, memory_mb=cfg.worker_memory_mb)

    def _new_pool(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        if hasattr(ctx, "set_forkserver_preload"):
            ctx.set_forkserver_preload(_PRELOAD)
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                   initializer=_limit_memory, initargs=(self.memory_mb,))

    def _current(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool()
        return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Kill every process of ``broken`` (a hung one cannot be stopped otherwise)."""
        if self._pool is broken:
            self._pool = None
            self.restarts += 1
        procs = list(getattr(broken, "_processes", {}).values())
        for p in procs:
            with contextlib.suppress(Exception):
                p.kill()
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self.workers <= 0:
            try:
                async with asyncio.timeout(self.timeout):
                    return await asyncio.to_thread(fn, *args)
            except TimeoutError:
                raise WorkerError(f"took longer than {self.timeout:g} s") from None
        loop = asyncio.get_running_loop()
        for attempt in range(2):
            pool = self._current()
            try:
                fut = loop.run_in_executor(pool, fn, *args)
            except (BrokenProcessPool, RuntimeError):
                self._replace(pool)
                continue
            try:
                async with asyncio.timeout(self.timeout):
                    return await fut
            except TimeoutError:
                self._replace(pool)
                raise WorkerError(f"took longer than {self.timeout:g} s; worker replaced"
                                  ) from None
            except BrokenProcessPool:
                # either this item killed its worker, or it was a bystander of another
                # item's death: one more try tells them apart
                self._replace(pool)
                if attempt == 0:
                    continue
                raise WorkerError("worker process died (memory limit or crash)") from None
            except MemoryError:
                raise WorkerError(f"needed more than {self.memory_mb} MB") from None
        raise WorkerError("worker process died (memory limit or crash)")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
