"""The worker pool: deadlines measure an item's own run, and a broken pool heals."""

from __future__ import annotations

import asyncio
import os
import time

from watcher.workers import WorkerError, WorkerPool


def test_queued_items_do_not_use_up_their_deadline() -> None:
    """Eight items of 0.3 s on one worker take 2.4 s in all; each is far inside 1 s."""
    pool = WorkerPool(1, timeout=1.0, memory_mb=0)

    async def go() -> list[None]:
        return await asyncio.gather(*(pool.run(time.sleep, 0.3) for _ in range(8)))

    try:
        assert asyncio.run(go()) == [None] * 8
        assert pool.restarts == 0
    finally:
        pool.close()


def test_a_dying_worker_costs_one_item() -> None:
    pool = WorkerPool(2, timeout=30.0, memory_mb=0)

    async def go() -> tuple[BaseException | int, ...]:
        results = await asyncio.gather(pool.run(os._exit, 3), pool.run(abs, -5),
                                       pool.run(abs, -6), return_exceptions=True)
        return tuple(results)

    try:
        died, a, b = asyncio.run(go())
        assert isinstance(died, WorkerError) and (a, b) == (5, 6)
        assert asyncio.run(pool_run(pool, abs, -7)) == 7       # replaced, works again
    finally:
        pool.close()


async def pool_run(pool: WorkerPool, fn: object, arg: int) -> int:
    return await pool.run(fn, arg)  # type: ignore[arg-type]


def spin(seconds: float) -> int:
    """Busy for ``seconds`` of wall time, then done."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return n


def test_items_queued_behind_a_runaway_still_complete() -> None:
    """Two items overrun and replace the pool; those submitted behind them (waiting in
    the pool, or not yet handed to it) are retried and succeed."""
    pool = WorkerPool(2, timeout=1.0, memory_mb=0)

    async def go() -> list[object]:
        got = await asyncio.gather(pool.run(spin, 30.0), pool.run(spin, 30.0),
                                   *(pool.run(abs, -n) for n in range(1, 5)),
                                   return_exceptions=True)
        return list(got)

    try:
        first, second, *rest = asyncio.run(go())
        assert isinstance(first, WorkerError) and isinstance(second, WorkerError)
        assert rest == [1, 2, 3, 4]
    finally:
        pool.close()


def test_an_item_waiting_in_the_pool_has_its_whole_deadline() -> None:
    """Items are handed to the pool ahead of time (two per worker); one that waits there
    behind a 1.2 s item still gets all of its 2 s to run its own 1.2 s. (Were the
    deadline counted from the hand-over, the second item would overrun it by 0.4 s.)"""
    pool = WorkerPool(1, timeout=2.0, memory_mb=0)

    async def go() -> list[None]:
        await pool.run(abs, -1)            # the worker is up
        return await asyncio.gather(*(pool.run(time.sleep, 1.2) for _ in range(3)))

    try:
        assert asyncio.run(go()) == [None] * 3
        assert pool.restarts == 0
    finally:
        pool.close()
