"""Figures: extractor throughput in MB/s on a news corpus (built by figures_bench.py,
which also scores accuracy), next to a plain number regex over the same text (the floor
any figure finder pays) and the whole per-article analysis the pipeline runs.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import BASELINE, Mode, print_table

_NUMBER = re.compile(r"\d[\d,.]*")


def _rate(fn: Callable[[], Any], nbytes: int, runs: int) -> tuple[float, float]:
    """MB/s by wall clock and by this process's CPU time, medians of ``runs``."""
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return nbytes / statistics.median(walls) / 1e6, nbytes / statistics.median(cpus) / 1e6


def run(mode: Mode) -> None:
    try:
        from benchmarks import figures_bench
    except ImportError:
        print("\n## figures: benchmarks/figures_bench.py is missing: skipped\n")
        return
    from watcher.claims import analyze, load_baseline
    from watcher.figures import extract_figures

    size = mode.pick(100_000, 1_000_000, 5_000_000)
    runs = mode.pick(1, 3, 5)
    corpus = figures_bench.build_corpus(size, figures_bench.load_dev())
    nbytes = len(corpus.encode("utf-8"))
    ours_wall, ours_cpu = _rate(lambda: extract_figures(corpus, "en"), nbytes, runs)
    floor_wall, floor_cpu = _rate(lambda: _NUMBER.findall(corpus), nbytes, runs)
    baseline = load_baseline(BASELINE)
    # analyze works per article: cut the corpus at paragraph breaks into ~5 kB pieces
    pieces, cur, n = [], [], 0
    for para in corpus.split("\n\n"):
        cur.append(para)
        n += len(para)
        if n >= 5_000:
            pieces.append("\n\n".join(cur))
            cur, n = [], 0
    if cur:
        pieces.append("\n\n".join(cur))
    an_wall, an_cpu = _rate(lambda: [analyze(p, baseline, lang="en") for p in pieces],
                            nbytes, max(1, runs // 2))
    print_table(
        f"figures: MB/s on a {nbytes / 1e6:.1f} MB news corpus, median of {runs}",
        ["stage", "MB/s wall", "MB/s CPU", "plain regex MB/s (floor)", "ratio (CPU)",
         "target"],
        [["extract_figures", f"{ours_wall:.2f}", f"{ours_cpu:.2f}", f"{floor_cpu:.1f}",
          f"{ours_cpu / floor_cpu:.3f}", ">= 1 MB/s"],
         ["claims.analyze per 5 kB article", f"{an_wall:.2f}", f"{an_cpu:.2f}",
          f"{floor_cpu:.1f}", f"{an_cpu / floor_cpu:.3f}", "-"]],
        notes=["corpus = figures_bench.build_corpus (dev sentences among filler); "
               "plain regex = re.findall(r'\\d[\\d,.]*') over the same text",
               f"plain regex wall: {floor_wall:.1f} MB/s; accuracy: "
               "python benchmarks/figures_bench.py"])
