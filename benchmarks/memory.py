"""Memory: the daemon's RSS while it polls N feeds on short intervals (every feed on the
farm, primed so they answer 304). RSS at start, peak and end must stay flat and under
200 MB; the floor measured in the same run is a process that only imports what the
daemon imports. Skipped when ``watcher.daemon`` does not exist.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import BASELINE, ROOT, Mode, print_table, tempdir
from benchmarks.farm import Farm
from benchmarks.unchanged import prime
from watcher.store import Store

TARGET_MB = 200.0


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree_rss_mb(pid: int) -> float:
    """RSS of the children and grandchildren (worker processes, forkserver)."""
    total, todo = 0.0, children(pid)
    while todo:
        c = todo.pop()
        total += rss_mb(c)
        todo += children(c)
    return total


def floor_mb(env: dict[str, str]) -> float:
    code = ("import watcher.daemon, watcher.pipeline, watcher.observe, watcher.fetch, "
            "sys, time; print('ok', flush=True); time.sleep(30)")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env)
    try:
        assert p.stdout is not None
        p.stdout.readline()
        return rss_mb(p.pid)
    finally:
        p.kill()
        p.wait()


def write_config(path: Path, urls: list[str], interval: float) -> None:
    lines = [f'baseline = "{BASELINE}"', "", "[storage]", 'path = "watcher.db"', "",
             "[fetch]", "retries = 0", ""]
    for n, u in enumerate(urls):
        lines += ["[[feeds]]", f'url = "{u}"', f'name = "feed {n}"',
                  f'interval = "{interval:g}s"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def run(mode: Mode) -> None:
    if importlib.util.find_spec("watcher.daemon") is None:
        print("\n## memory: watcher.daemon does not exist yet: skipped\n")
        return
    n = mode.pick(50, 1_000, 10_000)
    seconds = mode.pick(3.0, 12.0, 120.0)
    interval = float(max(5, round(n / 150)))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with Farm(entries=0) as farm, tempdir("memory") as d:
        urls = [farm.feed_url(i) for i in range(n)]
        cfg = Path(d) / "watcher.toml"
        write_config(cfg, urls, interval)
        store = Store(Path(d) / "watcher.db")
        prime(store, urls)
        store.close()
        floor = floor_mb(env)
        before = farm.served()
        proc = subprocess.Popen(
            [sys.executable, "-m", "watcher", "--config", str(cfg), "run",
             "--log-level", "warning"], env=env, cwd=d,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples: list[tuple[float, float, float]] = []
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < seconds and proc.poll() is None:
                time.sleep(0.5)
                samples.append((time.monotonic() - t0, rss_mb(proc.pid),
                                tree_rss_mb(proc.pid)))
        finally:
            served = farm.served() - before
            proc.send_signal(signal.SIGTERM)
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
    if not samples or proc.returncode not in (0, -signal.SIGTERM):
        tail = err.decode(errors="replace").strip().splitlines()[-5:]
        print(f"\n## memory: the daemon exited with {proc.returncode}: {' | '.join(tail)}\n")
        if not samples:
            return
    start = next((s for s in samples if s[0] >= 2.0), samples[0])
    peak = max(s[1] for s in samples)
    end = samples[-1]
    half = [s[1] for s in samples if s[0] >= samples[-1][0] / 2]
    elapsed = samples[-1][0]
    print_table(
        f"memory: daemon with {n:,} feeds (interval {interval:g} s) over {elapsed:.0f} s, MB",
        ["feeds", "RSS start", "RSS peak", "RSS end", "2nd half min..max", "workers RSS",
         "import floor", "target", "peak / target", "checks/s"],
        [[f"{n:,}", f"{start[1]:.0f}", f"{peak:.0f}", f"{end[1]:.0f}",
          f"{min(half):.0f}..{max(half):.0f}", f"{max(s[2] for s in samples):.0f}",
          f"{floor:.0f}", f"{TARGET_MB:.0f}", f"{peak / TARGET_MB:.2f}",
          f"{served / max(elapsed, 1e-9):.0f}"]],
        notes=["the daemon is `python -m watcher --config <tmp> run` against the farm; feeds "
               "primed with ETags so they answer 304",
               "RSS start = 2 s after launch; workers RSS = peak of its child processes "
               "(forkserver and workers); import floor = a process importing the daemon's "
               "modules only",
               "checks/s = requests the farm answered during the run"])
