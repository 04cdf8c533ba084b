"""The benchmarks start and finish at toy size (their figures are read by people)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_benchmark_suite_runs_at_toy_size() -> None:
    r = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for table in ("unchanged", "burst", "changed", "history"):
        assert table in r.stdout.lower()


def test_reprocess_benchmark_runs_at_toy_size() -> None:
    """Run on its own (not in ``python -m benchmarks``): `watcher reprocess` beside
    claims.analyze in a Pool, on 200 stored articles."""
    r = subprocess.run([sys.executable, "-m", "benchmarks.reprocess_bench", "--smoke"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "watcher reprocess" in r.stdout and "ratio" in r.stdout
    assert "reprocessed 200 article(s)" in r.stdout
