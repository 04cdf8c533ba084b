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
