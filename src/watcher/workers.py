"""CPU-bound work (feed parsing, extraction, figures) in worker processes.

A blocking parse on the event loop stalls every feed, and a hostile document can make
feedparser or trafilatura spin or balloon. Each item therefore runs in a worker process
under a wall-clock deadline and an address-space limit; a worker that overruns or dies
is replaced, and only that item is reported as failed.

A worker must not outlive the daemon, even one killed with SIGKILL: each worker asks the
kernel for SIGKILL when its parent, the forkserver, dies (Linux's parent-death signal),
and lets go of the forkserver's "alive" pipe, so the forkserver sees EOF and exits as
soon as the daemon is gone. The resource tracker then exits too: every holder of its
pipe is gone.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import multiprocessing
import os
import sys
import threading
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from watcher.config import ExtractConfig
from watcher.errors import WatcherError

T = TypeVar("T")

# Imported once in the forkserver, so a new or replacement worker starts warm.
_PRELOAD = ["watcher.tasks", "watcher.analysis", "trafilatura", "feedparser", "lxml.html"]


class WorkerError(WatcherError):
    """An item could not be processed: its worker overran the deadline or died."""


_PR_SET_PDEATHSIG = 1     # from <linux/prctl.h>


def _init_worker(megabytes: int) -> None:
    """Runs first in every worker process."""
    _die_with_parent()
    _limit_memory(megabytes)


def _die_with_parent() -> None:
    """Make this worker exit when the daemon dies, however it dies.

    Order matters: the parent-death signal is armed while this worker still holds the
    forkserver's alive pipe, so the forkserver cannot have exited before it is armed.
    """
    if not _set_parent_death_signal():
        _watch_parent_sentinel()
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int):
        # Every forkserver child inherits the write end of this pipe, which keeps the
        # forkserver alive as long as any worker lives: a cycle that outlives the daemon.
        # Workers start no processes of their own, so they do not need it.
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent_sentinel() -> None:
    """Without prctl: a thread that exits the worker when its parent's pipe hits EOF."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if not isinstance(sentinel, int):
        return

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="watcher-parent-watch", daemon=True).start()


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_PIPE_BYTES = 1 << 20


def _widen_pipes(pool: ProcessPoolExecutor) -> None:
    """Let the pipe that carries items to the workers hold the waiting ones whole (a
    page is larger than a pipe's default 64 kB): a worker that finishes an item then
    reads the next at once, instead of waiting for this process to write its rest."""
    if not sys.platform.startswith("linux"):
        return
    import fcntl

    for name in ("_call_queue", "_result_queue"):       # private, hence the care
        fileno = getattr(getattr(getattr(pool, name, None), "_writer", None), "fileno", None)
        if callable(fileno):
            with contextlib.suppress(OSError, ValueError):
                fcntl.fcntl(fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _start_processes(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start a new pool's processes; blocks (run it in a thread). The pool starts one
    process per item submitted while none is idle, and the first start waits for the
    forkserver to import trafilatura and the rest."""
    futures = []
    with contextlib.suppress(BrokenProcessPool, RuntimeError):
        futures = [pool.submit(os.getpid) for _ in range(max(1, workers))]
    concurrent.futures.wait(futures)


@dataclass(slots=True)
class _Ticket:
    deadline: asyncio.Timeout
    started: bool = False


class _Order:
    """Which of a pool's items run and which wait for a worker.

    The pool hands items to workers first come, first served, so a waiting item starts
    when a running one ends: its deadline starts then, and measures its own run."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.free = max(1, workers)
        self.timeout = timeout
        self.waiting: deque[_Ticket] = deque()

    def submitted(self, deadline: asyncio.Timeout) -> _Ticket:
        ticket = _Ticket(deadline)
        self.waiting.append(ticket)
        self._start_waiting()
        return ticket

    def finished(self, ticket: _Ticket) -> None:
        if ticket.started:
            self.free += 1
        else:
            self.waiting.remove(ticket)
        self._start_waiting()

    def _start_waiting(self) -> None:
        while self.free > 0 and self.waiting:
            ticket = self.waiting.popleft()
            ticket.started = True
            self.free -= 1
            ticket.deadline.reschedule(asyncio.get_running_loop().time() + self.timeout)


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
        # the pool whose processes are being started, and that start, off the loop
        self._starting: tuple[ProcessPoolExecutor, asyncio.Future[None]] | None = None
        self._order: tuple[ProcessPoolExecutor, _Order] | None = None
        self._replaced: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(self._depth())
        self._retry = asyncio.Lock()
        self.restarts = 0

    def _depth(self) -> int:
        """Items submitted at once: two per worker, so that a worker finishing one finds
        the next one waiting, instead of idling while its result travels back to the
        event loop and the next item comes out (measured: a tenth of a burst's time)."""
        return 2 * max(1, self.workers)

    @classmethod
    def from_config(cls, cfg: ExtractConfig) -> WorkerPool:
        return cls(cfg.workers, timeout=cfg.item_timeout, memory_mb=cfg.worker_memory_mb)

    def _new_pool(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        if hasattr(ctx, "set_forkserver_preload"):
            ctx.set_forkserver_preload(_PRELOAD)
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                   initializer=_init_worker, initargs=(self.memory_mb,))
        _widen_pipes(pool)
        return pool

    def _current(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool()
        return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Kill every process of ``broken`` (a hung one cannot be stopped otherwise).

        Several items may see the same pool break; only the first replaces it.
        """
        if self._pool is not broken:
            return
        self._pool = None
        self._replaced.add(broken)
        self.restarts += 1
        procs = list((getattr(broken, "_processes", None) or {}).values())
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
        if loop is not self._loop:      # asyncio primitives belong to one loop
            self._loop = loop
            self._slots = asyncio.Semaphore(self._depth())
            self._retry = asyncio.Lock()
            self._starting = None
            self._order = None
        # A few items are submitted at once, not thousands: memory stays bounded, and a
        # deadline starts when its item starts (see _Order), not in a queue.
        async with self._slots:
            return await self._run(fn, *args)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await self._once(fn, *args)
        except BrokenProcessPool:
            pass
        # This item killed its worker, or was a bystander when another item did. Retries
        # run one at a time, so a killer dies alone and its bystanders then succeed.
        async with self._retry:
            try:
                return await self._once(fn, *args)
            except BrokenProcessPool:
                raise WorkerError("worker process died (memory limit or crash)") from None

    async def _started(self) -> ProcessPoolExecutor:
        """The current pool, its processes started in a thread: started by ``submit``
        on the event loop, the forkserver's first start (a second or more of imports)
        would stall every feed in flight."""
        pool = self._current()
        starting = self._starting
        if starting is None or starting[0] is not pool:
            starting = self._starting = (pool, asyncio.ensure_future(
                asyncio.to_thread(_start_processes, pool, self.workers)))
        if not starting[1].done():
            await asyncio.shield(starting[1])
        return pool

    async def _once(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        pool = await self._started()
        try:
            fut = loop.run_in_executor(pool, fn, *args)
        except (BrokenProcessPool, RuntimeError):      # broken before we got to it
            self._replace(pool)
            pool = await self._started()
            fut = loop.run_in_executor(pool, fn, *args)
        if self._order is None or self._order[0] is not pool:
            self._order = (pool, _Order(self.workers, self.timeout))
        order = self._order[1]
        try:
            # submitted just above, with no await since: the order is the pool's order
            async with asyncio.timeout(None) as deadline:
                ticket = order.submitted(deadline)
                try:
                    return await fut
                except asyncio.CancelledError:
                    task = asyncio.current_task()
                    if fut.cancelled() and pool in self._replaced and task is not None \
                            and not task.cancelling():
                        # an item still waiting when its pool was replaced is cancelled
                        # by the pool, not by its caller: it is retried like the rest
                        raise BrokenProcessPool("pool replaced before the item ran"
                                                ) from None
                    raise
                finally:
                    order.finished(ticket)
        except TimeoutError:
            self._replace(pool)
            raise WorkerError(f"took longer than {self.timeout:g} s; worker replaced"
                              ) from None
        except BrokenProcessPool:
            self._replace(pool)
            raise
        except MemoryError:
            raise WorkerError(f"needed more than {self.memory_mb} MB") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
