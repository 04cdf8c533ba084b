"""``python -m benchmarks.extract_bench [--mb 2] [--repeats 3] [--min-mb-s 1]``

End-to-end speed of ``watcher extract --all --format json``: the installed entry point in
a subprocess, on a temp file of synthetic English news (a figure about every 60
characters), its output written to a file as a user's redirect would. The issue's
target is 1 MB/s on 2 MB. Printed beside it: analyze() alone on the same text in this
process, and the rest (start-up, language detection, to_dict, JSON writing), so a slow
run says whose part is slow. Not in ``python -m benchmarks``: run it on its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "config" / "baseline.toml"
TARGET_MB_S = 1.0

# One figure each, 45-75 characters: troops, shells, losses, shares, money, ranges.
SENTENCES = [
    "Kyiv said {n:,} North Korean soldiers had reached the front.",
    "Gun crews fired roughly {n:,} shells along the river overnight.",
    "Turnout slipped {p}% against the previous election.",
    "Nearly {n:,} troops were moved to the Kursk border this week.",
    "The brigade lost at least {s} armoured vehicles in March.",
    "Officials counted {n:,} wounded after the latest assault.",
    "Ammunition output rose by {p}% in the second quarter.",
    "Between {s} and {t} drones were shot down before dawn.",
    "The ministry put the monthly shell supply at {n:,} rounds.",
    "Some {n:,} reservists have been called up since spring.",
    "Grain exports fell {p} per cent after the port was hit.",
    "A convoy of {s} lorries brought aid to the town on Friday.",
    "Pyongyang may send up to {n:,} more soldiers, Seoul warned.",
    "Inflation eased to {p}% as fuel prices dropped.",
    "The fund pledged ${s} million for demining the fields.",
    "More than {n:,} civilians left the city by rail.",
]


def make_text(size: int, seed: int = 7) -> str:
    """``size`` characters of sentences, each with one figure; the same text every run."""
    rnd = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        s = rnd.choice(SENTENCES).format(
            n=rnd.randint(1_000, 60_000), s=rnd.randint(2, 400), t=rnd.randint(401, 900),
            p=f"{rnd.randint(1, 60)}.{rnd.randint(0, 9)}")
        parts.append(s)
        total += len(s) + 1
    return " ".join(parts)[:size]


def watcher_command() -> list[str]:
    """The installed ``watcher`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("watcher")
    if script.is_file():
        return [str(script)]
    found = shutil.which("watcher")
    return [found] if found else [sys.executable, "-m", "watcher"]


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall time of ``fn``, and median CPU time (user + system) of the processes it
    ran: on a machine shared with other jobs the second is the steadier."""
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


# The same CLI, run by ``python -c`` with analyze() and detect_language() wrapped in
# timers: the split of one run's own wall time, immune to what else the machine does.
INSTRUMENTED = """
import atexit, sys, time
import watcher.claims, watcher.language
spent = {"analyze": 0.0, "language": 0.0, "analyze_cpu": 0.0}
def timer(name, fn):
    def run(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
            if name == "analyze":
                spent["analyze_cpu"] += time.process_time() - cpu
    return run
watcher.claims.analyze = timer("analyze", watcher.claims.analyze)
watcher.language.detect_language = timer("language", watcher.language.detect_language)
atexit.register(lambda: sys.stderr.write(
    "SPENT %(analyze)r %(language)r %(analyze_cpu)r\\n" % spent))
from watcher.cli import main
sys.argv[0] = "watcher"
main()
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.extract_bench")
    ap.add_argument("--mb", type=float, default=2.0, help="text size in MB (default 2)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs (median; default 3)")
    ap.add_argument("--min-mb-s", type=float, default=None,
                    help="exit 1 when end to end is slower than this")
    args = ap.parse_args(argv)
    repeats = max(1, args.repeats)

    text = make_text(int(args.mb * 1_000_000))
    size_mb = len(text.encode()) / 1e6
    extract = ["extract", "--all", "--format", "json", "--baseline", str(BASELINE)]
    with tempfile.TemporaryDirectory(prefix="watcher-bench-extract-") as tmp:
        src, dst = Path(tmp) / "input.txt", Path(tmp) / "out.json"
        src.write_text(text, encoding="utf-8")

        def cli(*args: str, cmd: list[str] | None = None) -> str:
            with dst.open("wb") as out:
                return subprocess.run([*(cmd or watcher_command()), *extract, *args],
                                      stdout=out, stderr=subprocess.PIPE, text=True,
                                      stdin=subprocess.DEVNULL, check=True).stderr

        # warm-up: page cache, and the language model's cache on first use (an empty input
        # is too short to detect a language on)
        warm = Path(tmp) / "warm.txt"
        warm.write_text(text[:5000], encoding="utf-8")
        cli(str(warm))
        startup, startup_cpu = timed(cli, repeats)
        e2e, e2e_cpu = timed(lambda: cli(str(src)), repeats)
        figures = len(json.loads(dst.read_text(encoding="utf-8")))
        out_mb = dst.stat().st_size / 1e6
        walls, analyses, languages, analyses_cpu = [], [], [], []
        for _ in range(repeats):
            start = time.perf_counter()
            err = cli(str(src), cmd=[sys.executable, "-c", INSTRUMENTED])
            walls.append(time.perf_counter() - start)
            spent = next(line for line in err.splitlines() if line.startswith("SPENT "))
            analyses.append(float(spent.split()[1]))
            languages.append(float(spent.split()[2]))
            analyses_cpu.append(float(spent.split()[3]))

    wall, analysis = statistics.median(walls), statistics.median(analyses)
    detect, rest = statistics.median(languages), statistics.median(
        w - a for w, a in zip(walls, analyses, strict=True))
    rate = size_mb / e2e
    print(f"watcher extract --all --format json: {size_mb:.2f} MB in, {figures:,} figures "
          f"(one per {len(text) / max(figures, 1):.0f} chars), {out_mb:.1f} MB of JSON out")
    print(f"  end to end   {e2e:7.2f} s  {rate:5.2f} MB/s  (entry point, median of {repeats}; "
          f"target {TARGET_MB_S:g} MB/s: {'met' if rate >= TARGET_MB_S else 'NOT met'})")
    print(f"               {e2e_cpu:7.2f} s  {size_mb / e2e_cpu:5.2f} MB/s  of CPU time (user + "
          f"system): the rate with a core of its own")
    print(f"  split of instrumented runs (wall {wall:.2f} s, medians):")
    print(f"    analyze    {analysis:7.2f} s  {size_mb / analysis:5.2f} MB/s  "
          f"({statistics.median(analyses_cpu):.2f} s of CPU time)")
    print(f"    the rest   {rest:7.2f} s  (start-up, reading, language, to_dict, JSON), "
          f"of which:")
    print(f"      start-up, empty input      {startup:6.2f} s  (entry point, separate runs; "
          f"{startup_cpu:.2f} s of CPU time)")
    print(f"      language detection         {detect:6.2f} s  (model load included)")
    print(f"      reading, to_dict, JSON out {max(rest - startup - detect, 0.0):6.2f} s  "
          f"(what remains)")
    if args.min_mb_s is not None and rate < args.min_mb_s:
        print(f"FAIL: {rate:.2f} MB/s < {args.min_mb_s:g} MB/s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
