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
