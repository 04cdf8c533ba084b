"""The backstop behind every parser defence: a bomb costs one worker and one error."""

from __future__ import annotations

import asyncio
import time

import pytest

from watcher.workers import WorkerError, WorkerPool

from .conftest import record


def hog() -> int:
    """Allocate far past the worker's memory limit."""
    blocks = [bytearray(64 << 20) for _ in range(64)]    # 4 GiB
    return len(blocks)


def spin() -> int:
    """Never finish."""
    n = 0
    while True:
        n += 1


def fine(x: int) -> int:
    return x * 2


@pytest.mark.parametrize("bomb,expected", [(hog, "MB|died"), (spin, "longer than")])
def test_bomb_costs_one_worker(bomb: object, expected: str) -> None:
    pool = WorkerPool(1, timeout=2.0, memory_mb=400)

    async def go() -> tuple[str, int]:
        try:
            with pytest.raises(WorkerError, match=expected) as info:
                await pool.run(bomb)                     # type: ignore[arg-type]
            return str(info.value), await pool.run(fine, 21)
        finally:
            pool.close()

    start = time.monotonic()
    error, after = asyncio.run(go())
    seconds = time.monotonic() - start
    record(f"worker: {getattr(bomb, '__name__', bomb)} bomb",
           f"{error}; next item ok (peak = the RLIMIT_AS)", seconds, 400.0)
    assert after == 42
    assert seconds < 15
