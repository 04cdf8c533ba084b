"""Summarise a ``py-spy record -f raw`` profile: samples per process, then the functions
with the largest inclusive and self share of each busy process.

    py-spy record --subprocesses -r 200 -f raw -o prof.raw -- python -m benchmarks burst --quick
    python -m benchmarks.pyspy_summary prof.raw [--top 25] [--match watcher]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

_LINE = re.compile(r"^(.*) (\d+)$")
_FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _short(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    path = m.group("file")
    for cut in ("site-packages/", "src/", "lib/python3.11/"):
        if cut in path:
            path = path.split(cut, 1)[1]
            break
    return f"{m.group('fn')} ({path})"


def summarise(path: str, top: int, match: str | None, idle: bool,
              root: str | None = None) -> None:
    per_proc: dict[str, Counter[str]] = defaultdict(Counter)
    selfc: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            m = _LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            frames, n = m.group(1).split(";"), int(m.group(2))
            procs = [f for f in frames if f.startswith("process ")]
            proc = procs[-1][:90] if procs else "main"
            stack = [_short(f) for f in frames if not f.startswith(("process ", "thread "))]
            if root and not any(root in f for f in stack):
                continue
            if not idle and stack and any(k in stack[-1] for k in (
                    "select (selectors.py)", "poll (selectors.py)", "wait (threading.py)",
                    "_recv (multiprocessing", "accept (socket.py)", "_poll (multiprocess")):
                continue
            totals[proc] += n
            for f in set(stack):
                per_proc[proc][f] += n
            if stack:
                selfc[proc][stack[-1]] += n
    grand = sum(totals.values()) or 1
    for proc, n in totals.most_common():
        if n < grand * 0.02:
            continue
        print(f"\n=== {proc}  ({n} busy samples, {100 * n / grand:.0f}% of all)")
        print("  inclusive:")
        shown = 0
        for f, c in per_proc[proc].most_common():
            if match and match not in f:
                continue
            print(f"    {100 * c / n:5.1f}%  {f}")
            shown += 1
            if shown >= top:
                break
        print("  self:")
        for f, c in selfc[proc].most_common(top):
            print(f"    {100 * c / n:5.1f}%  {f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--match", default=None, help="only inclusive frames containing this")
    ap.add_argument("--idle", action="store_true", help="keep samples waiting in select/poll")
    ap.add_argument("--root", default=None, help="only stacks through a frame containing this")
    args = ap.parse_args()
    summarise(args.path, args.top, args.match, args.idle, args.root)


if __name__ == "__main__":
    main()
