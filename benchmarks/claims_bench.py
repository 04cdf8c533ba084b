"""Claim-matching accuracy and analyze() speed on the labelled development set.

Run from the repository root:  python benchmarks/claims_bench.py [--verbose] [--min-mb 1]

A predicted figure counts as a true positive when its claim id equals an expected one and
every number the label gives (value, low, high) agrees within 1% (and value_text for name
and date claims). Labels without numbers (vague amounts like "dozens") match on the claim
alone. Everything else the matcher ties to a claim is a false positive.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from watcher.claims import Finding, analyze, load_baseline  # noqa: E402
from watcher.figures import extract_figures  # noqa: E402

DEV = ROOT / "tests" / "data" / "claims_dev.jsonl"
BASELINE = ROOT / "config" / "baseline.toml"


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1.0)


def agrees(expected: dict[str, Any], f: Finding) -> bool:
    """Does finding ``f`` satisfy label ``expected``?"""
    if f.claim != expected["claim"]:
        return False
    fig = f.figure
    for key in ("value", "low", "high"):
        if key in expected and not _close(expected[key], getattr(fig, key)):
            return False
    if "value_text" in expected:
        return (f.value_text or "").lower() == str(expected["value_text"]).lower()
    return True


def score(rows: list[dict[str, Any]], baseline_path: Path, verbose: bool = False
          ) -> dict[str, dict[str, int]]:
    """Per-claim tp/fp/fn counts over the dev set."""
    baseline = load_baseline(baseline_path)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for n, row in enumerate(rows, 1):
        findings = [f for f in analyze(row["text"], baseline, lang=row.get("lang", "en"),
                                       published=row.get("published"))
                    if f.claim is not None]
        used: set[int] = set()
        misses: list[dict[str, Any]] = []
        for exp in row["expected"]:
            hit = next((i for i, f in enumerate(findings) if i not in used and agrees(exp, f)),
                       None)
            if hit is None:
                counts[exp["claim"]]["fn"] += 1
                misses.append(exp)
            else:
                used.add(hit)
                counts[exp["claim"]]["tp"] += 1
        extras = [f for i, f in enumerate(findings) if i not in used]
        for f in extras:
            counts[f.claim or "?"]["fp"] += 1
        if verbose and (misses or extras):
            print(f"line {n}: {row['text']}")
            for exp in misses:
                print(f"   MISSED {exp}")
            for f in extras:
                d = f.to_dict()
                print(f"   EXTRA  {d['claim']} {d['text']!r} value={d['value']} "
                      f"low={d['low']} high={d['high']} subject={d['subject']} "
                      f"event={d['event']}")
    return counts


def _prf(c: dict[str, int]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# Figure-free prose (our own words) to pad dev sentences into article-like text: real
# articles carry a figure in only a minority of their sentences.
FILLER = (
    "Soldiers interviewed near the border described long marches at night and little food.",
    "The commanders of the brigade declined to comment on the fighting around the villages.",
    "Analysts in Seoul say the deployment gives the regime combat experience it has lacked.",
    "Drone operators on both sides now shape how infantry moves across open fields.",
    "Officials in Washington have urged Moscow and Pyongyang to halt their military dealings.",
    "Families of the soldiers have received little information about where they serve.",
    "The Kremlin has said little in public about the foreign units fighting in the region.",
    "Diplomats expect the partnership between the two governments to deepen further.",
)


# Unrelated reporting with figures, as most articles in a real feed are.
OFF_TOPIC = (
    "The city council approved a budget of 3.2 million euros, with 40% set aside for schools.",
    "About 1,200 new teachers will be hired by September, the education office said.",
    "Rail traffic fell by 12 percent in the first quarter after a strike that lasted 9 days.",
    "The club signed the 24-year-old striker for a fee of around 18 million pounds.",
    "Prices rose 2.4% in March, the statistics agency said, down from 2.9% in February.",
    "More than 300 people attended the festival, which ran for three days near the river.",
)


def make_articles(rows: list[dict[str, Any]], filler_per_fact: int) -> list[str]:
    """Dev sentences joined into ~3 kB articles, each followed by some figure-free prose."""
    texts = [r["text"] for r in rows if r.get("lang", "en") == "en"]
    articles: list[str] = []
    buf: list[str] = []
    size = 0
    k = 0
    for t in texts:
        buf.append(t)
        for _ in range(filler_per_fact):
            buf.append(FILLER[k % len(FILLER)])
            k += 1
        size = sum(len(x) + 1 for x in buf)
        if size > 3000:
            articles.append(" ".join(buf))
            buf = []
    if buf:
        articles.append(" ".join(buf))
    return articles


def throughput(articles: list[str], baseline_path: Path, min_mb: float,
               extractor_only: bool = False) -> float:
    """MB/s of analyze() (or of extract_figures alone) over ``articles``."""
    baseline = load_baseline(baseline_path)
    analyze(articles[0], baseline)  # compile the matcher outside the timing
    total = 0
    start = time.perf_counter()
    while total < min_mb * 1_000_000:
        for a in articles:
            if extractor_only:
                extract_figures(a)
            else:
                analyze(a, baseline, published="2025-03-01")
            total += len(a.encode("utf-8"))
    elapsed = time.perf_counter() - start
    return total / 1_000_000 / elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--baseline", type=Path, default=BASELINE)
    ap.add_argument("--verbose", action="store_true", help="print every miss and extra")
    ap.add_argument("--min-mb", type=float, default=1.0, help="text to analyse for speed")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.dev.read_text("utf-8").splitlines()
            if line.strip()]
    counts = score(rows, args.baseline, args.verbose)
    print(f"dev set: {len(rows)} texts, "
          f"{sum(len(r['expected']) for r in rows)} labelled figures, "
          f"{sum(1 for r in rows if not r['expected'])} texts with no claim figure")
    print(f"{'claim':<26}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    overall = {"tp": 0, "fp": 0, "fn": 0}
    for claim in sorted(counts):
        c = counts[claim]
        for k in overall:
            overall[k] += c[k]
        p, r, f = _prf(c)
        print(f"{claim:<26}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    p, r, f = _prf(overall)
    print(f"{'OVERALL':<26}{overall['tp']:>5}{overall['fp']:>5}{overall['fn']:>5}"
          f"{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    dense = make_articles(rows, 0)
    mixed = make_articles(rows, 3)
    off = [" ".join(OFF_TOPIC * 8)] * 4
    print("throughput, one core (MB/s of UTF-8 text):")
    for label, arts in (("dense (every sentence has a figure)", dense),
                        ("article-like (1 in 4 sentences has a figure)", mixed),
                        ("unrelated articles (no story terms)", off)):
        ext = throughput(arts, args.baseline, args.min_mb, extractor_only=True)
        ana = throughput(arts, args.baseline, args.min_mb)
        print(f"  {label}: extract_figures {ext:.2f}, analyze (extractor included) {ana:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
