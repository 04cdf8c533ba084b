"""Soak the daemon: many loopback feeds at short intervals for N minutes.

    python benchmarks/soak_daemon.py --minutes 10 --feeds 500 --interval 10s

Starts a loopback news site in this process and the real daemon (`python -m watcher
run`) as a subprocess, adds new entries to random feeds as it goes, keeps a few feeds
failing, then stops the daemon with SIGTERM and reports: the daemon's RSS at the start
(after its first pass over the feeds) and at the end, job runs and windows from the runs
table, failures, missed and skipped runs and job errors from daemon_events, the exit
status and PRAGMA integrity_check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from watcher.sample_site import Item, LoopbackSite, Resource, render_rss2

ROOT = Path(__file__).resolve().parent.parent


def rss_kb(pid: int) -> int:
    """VmRSS of ``pid`` in kB (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_rss_kb(pid: int) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            total += rss_kb(int(entry.name)) + children_rss_kb(int(entry.name))
    return total


def scalar(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0] or 0)
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _quiet(request: object, client_address: object) -> None:
    """Replaces the server's handle_error: a reset connection is not worth a traceback."""


def feed_body(site: LoopbackSite, n: int, count: int) -> bytes:
    items = [Item(f"Feed {n} bulletin {i}", None,
                  summary=f"Bulletin {i} of feed {n}: the port handled {100 + i} ships.",
                  guid=f"soak-{n}-{i}") for i in range(count)]
    return render_rss2(f"Soak feed {n}", site.base, items)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--interval", default="10s", help="poll interval of every feed")
    ap.add_argument("--failing", type=int, default=10, help="feeds that answer HTTP 503")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="watcher-soak-"))
    db = work / "watcher.db"
    rng = random.Random(1)
    with LoopbackSite() as site:
        # a client closing a connection early is the daemon's business, not a server error
        site._server.handle_error = _quiet  # type: ignore[method-assign]
        counts = [2] * args.feeds
        lines = [f'baseline = {json.dumps(str(ROOT / "config" / "baseline.toml"))}',
                 "[storage]", 'path = "watcher.db"',
                 "[fetch]", "retries = 0", 'deadline = "20s"', "per_host = 16",
                 "[extract]", f"workers = {args.workers}",
                 "[daemon]", 'feed_deadline = "60s"', 'max_backoff = "2m"',
                 'misfire_grace = "60s"']
        for n in range(args.feeds):
            if n < args.failing:
                url = site.add(f"/soak/{n}.xml", Resource(b"overloaded", status=503,
                                                          content_type="text/plain"))
            else:
                url = site.add(f"/soak/{n}.xml", feed_body(site, n, counts[n]))
            lines += ["[[feeds]]", f'url = "{url}"', f'name = "soak {n}"',
                      f'interval = "{args.interval}"']
        config = work / "watcher.toml"
        config.write_text("\n".join(lines) + "\n")
        log_path = work / "daemon.log"
        log = log_path.open("wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
        proc = subprocess.Popen([sys.executable, "-m", "watcher", "--config", str(config),
                                 "run", "--log-level", "warning"], stdout=log,
                                stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        t0 = time.monotonic()
        end = t0 + args.minutes * 60
        # "start" is after the first pass: every feed has been polled once
        while time.monotonic() < end and scalar(
                db, "SELECT count(*) FROM feeds WHERE last_checked_at IS NOT NULL") < args.feeds:
            time.sleep(0.5)
        first_pass = time.monotonic() - t0
        rss_start, kids_start = rss_kb(proc.pid), children_rss_kb(proc.pid)
        print(f"first pass over {args.feeds} feeds took {first_pass:.1f} s; "
              f"RSS daemon {rss_start / 1024:.1f} MB, workers {kids_start / 1024:.1f} MB",
              flush=True)
        added = 0
        next_report = time.monotonic() + 60
        while time.monotonic() < end and proc.poll() is None:
            for n in rng.sample(range(args.failing, args.feeds), 10):
                counts[n] += 1
                site.add(f"/soak/{n}.xml", feed_body(site, n, counts[n]))
                added += 1
            if time.monotonic() >= next_report:
                jobs = scalar(db, "SELECT sum(feeds) FROM runs WHERE kind = 'daemon'")
                print(f"{(time.monotonic() - t0) / 60:.1f} min: {jobs} job runs, RSS "
                      f"{rss_kb(proc.pid) / 1024:.1f} MB", flush=True)
                next_report += 60
            time.sleep(5)
        rss_end, kids_end = rss_kb(proc.pid), children_rss_kb(proc.pid)
        alive = proc.poll() is None
        if alive:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = -9
        log.close()
        elapsed = time.monotonic() - t0

    def q(sql: str) -> int:
        return scalar(db, sql)

    jobs = q("SELECT sum(feeds) FROM runs WHERE kind = 'daemon'")
    report = {
        "minutes": round(elapsed / 60, 2), "feeds": args.feeds, "interval": args.interval,
        "failing_feeds": args.failing, "first_pass_s": round(first_pass, 1),
        "rss_start_mb": round(rss_start / 1024, 1), "rss_end_mb": round(rss_end / 1024, 1),
        "workers_rss_start_mb": round(kids_start / 1024, 1),
        "workers_rss_end_mb": round(kids_end / 1024, 1),
        "job_runs": jobs, "run_windows": q("SELECT count(*) FROM runs WHERE kind='daemon'"),
        "job_runs_per_s": round(jobs / elapsed, 1),
        "failed_runs": q("SELECT sum(failed) FROM runs WHERE kind = 'daemon'"),
        "new_entries_added_by_soak": added,
        "entries_stored": q("SELECT count(*) FROM entries"),
        "expected_entries": 2 * (args.feeds - args.failing) + added,
        "missed_runs": q("SELECT sum(count) FROM daemon_events WHERE kind = 'missed'"),
        "max_instances_skips": q(
            "SELECT sum(count) FROM daemon_events WHERE kind = 'max_instances'"),
        "job_errors": q("SELECT sum(count) FROM daemon_events WHERE kind = 'job_error'"),
        "unhealthy_feeds": q("SELECT count(*) FROM feeds WHERE health = 'unhealthy'"),
        "daemon_alive_until_sigterm": alive, "exit_status": code,
        "tracebacks_in_log": log_path.read_text(errors="replace").count("Traceback"),
    }
    conn = sqlite3.connect(db)
    report["integrity_check"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    print(json.dumps(report, indent=2))
    print(f"work directory: {work}")
    return 0 if code == 0 and alive else 1


if __name__ == "__main__":
    sys.exit(main())
