"""``python -m benchmarks [NAME ...] [--quick | --smoke] [--repeats N]``

Runs the performance suite against a loopback news farm (127.0.0.1 only) and prints one
table per benchmark: watcher's figure, the limit measured in the same run, their ratio.
Without names every benchmark runs. ``--quick`` takes under a minute in all; ``--smoke``
runs each benchmark at toy size in seconds (what CI checks); the default is full size.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
import time
import traceback

from benchmarks.common import Mode

NAMES = ("unchanged", "burst", "changed", "figures", "history", "memory")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks",
                                 description="watcher performance suite")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"benchmarks to run (default: all): {', '.join(NAMES)}")
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes: under a minute")
    size.add_argument("--smoke", action="store_true", help="toy sizes: a few seconds")
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed repeats per figure (default: 1 smoke, 3 quick/full)")
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in NAMES]
    if unknown:
        ap.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(NAMES)}")
    name = "smoke" if args.smoke else "quick" if args.quick else "full"
    repeats = args.repeats or {"smoke": 1, "quick": 1, "full": 3}[name]
    mode = Mode(name, max(1, repeats))
    start = time.perf_counter()
    failed: list[str] = []
    for bench in args.names or NAMES:
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{bench}")
            module.run(mode)
        except (Exception, SystemExit, asyncio.CancelledError) as e:   # one broken benchmark
            # must not hide the rest
            failed.append(bench)
            print(f"\n## {bench}: FAILED: {type(e).__name__}: {e}", flush=True)
            traceback.print_exc(limit=-3)
        print(f"  ({bench}: {time.perf_counter() - t0:.1f} s)", flush=True)
    print(f"suite ({mode.name}): {time.perf_counter() - start:.1f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
