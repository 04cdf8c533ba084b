"""Accuracy and speed of the figure extractor.

Run from the repository root::

    python benchmarks/figures_bench.py           # full: ~5 MB corpus, 5 timing runs
    python benchmarks/figures_bench.py --quick   # ~1 MB corpus, 3 timing runs
    python benchmarks/figures_bench.py --errors  # also list every miss and false alarm

Accuracy is measured on tests/data/figures_dev.jsonl, and on tests/data/figures_families.jsonl
(one or more sentences per error family fixed: names and sequence numbers read as counts,
"one", word fractions, spaced digits, German, Spanish and French number words). Only the
kinds in SCORABLE_KINDS
(number, percent, share, money) are scored; dates, ordinals and measures the extractor
emits are ignored on both sides. A predicted figure matches a gold one on value (value,
low and high equal) or on value + qualifier.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from watcher.figures import SCORABLE_KINDS, Figure, extract_figures  # noqa: E402

DEV = ROOT / "tests" / "data" / "figures_dev.jsonl"
FAMILIES = ROOT / "tests" / "data" / "figures_families.jsonl"

Key = tuple[float | None, float | None, float | None]

# Filler prose for the speed corpus: ordinary news sentences with and without numbers.
FILLER = [
    "The talks resumed on Thursday after a pause of several weeks, diplomats said.",
    "Residents described a night of explosions and sirens across the eastern districts.",
    "The minister declined to comment on the reports, citing security concerns.",
    "Analysts say the shift reflects a broader change in how the war is being fought.",
    "Officials have repeatedly denied that any foreign troops are stationed in the area.",
    "The statement, issued late in the evening, did not give further details.",
    "Satellite images reviewed by researchers show new trenches along the river bank.",
    "Prices for bread and fuel have risen sharply in the frontline towns this winter.",
    "The committee will meet again next month to review the progress of the programme.",
    "A spokesman for the regional administration said repairs would take some time.",
    "Aid workers warned that the humanitarian situation was deteriorating quickly.",
    "The opposition accused the government of hiding the true scale of the losses.",
    "Several villages remain without electricity after the latest wave of strikes.",
    "He spoke to reporters on condition of anonymity because he was not authorised.",
    "Markets in Asia were mixed on Monday as investors awaited the central bank.",
    "The footage could not be independently verified by news organisations.",
]


def load_dev(path: Path = DEV) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _r(x: object) -> float | None:
    return None if x is None else round(float(x), 1)  # type: ignore[arg-type]


def _key(value: object, low: object, high: object) -> Key:
    return (_r(value), _r(low), _r(high))


def _match(gold: list[tuple[Key, str]], pred: list[tuple[Key, str]],
           with_qualifier: bool) -> tuple[int, list[int], list[int]]:
    """Greedy one-to-one matching; returns (tp, unmatched gold idx, unmatched pred idx)."""
    used: set[int] = set()
    tp = 0
    missed: list[int] = []
    for gi, (gk, gq) in enumerate(gold):
        hit = None
        for pi, (pk, pq) in enumerate(pred):
            if pi in used or pk != gk or (with_qualifier and pq != gq):
                continue
            hit = pi
            break
        if hit is None:
            missed.append(gi)
        else:
            used.add(hit)
            tp += 1
    extra = [pi for pi in range(len(pred)) if pi not in used]
    return tp, missed, extra


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(rows: Iterable[dict[str, object]], show_errors: bool = False) -> dict[str, float]:
    totals = {"value": [0, 0, 0], "value+qualifier": [0, 0, 0]}
    for row in rows:
        text = str(row["text"])
        lang = str(row.get("lang", "en"))
        figs: list[Figure] = [f for f in extract_figures(text, lang) if f.kind in SCORABLE_KINDS]
        gold_figs = row["figures"]
        assert isinstance(gold_figs, list)
        gold = [(_key(g["value"], g["low"], g["high"]), str(g["qualifier"])) for g in gold_figs]
        pred = [(_key(f.value, f.low, f.high), f.qualifier) for f in figs]
        for name, with_q in (("value", False), ("value+qualifier", True)):
            tp, missed, extra = _match(gold, pred, with_q)
            t = totals[name]
            t[0] += tp
            t[1] += len(pred)
            t[2] += len(gold)
            if show_errors and (missed or extra):
                print(f"[{name}] {text}")
                for gi in missed:
                    print(f"    MISS  {gold_figs[gi]}")
                for pi in extra:
                    fig = figs[pi]
                    print(f"    EXTRA {fig.text!r} {fig.kind} v={fig.value} l={fig.low} "
                          f"h={fig.high} q={fig.qualifier}")
    out: dict[str, float] = {}
    for name, (tp, n_pred, n_gold) in totals.items():
        p, r, f = _prf(tp, n_pred, n_gold)
        out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_f1"] = p, r, f
        out[f"{name}_gold"] = float(n_gold)
    return out


def build_corpus(target_bytes: int, rows: list[dict[str, object]], seed: int = 7) -> str:
    """News-like text: dev sentences (English only) interleaved with filler paragraphs."""
    rnd = random.Random(seed)
    sentences = [str(r["text"]) for r in rows if r.get("lang", "en") == "en"]
    parts: list[str] = []
    size = 0
    while size < target_bytes:
        para = []
        for _ in range(rnd.randint(3, 7)):
            para.append(rnd.choice(sentences) if rnd.random() < 0.4 else rnd.choice(FILLER))
        chunk = " ".join(para) + "\n\n"
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(parts)


def throughput(corpus: str, runs: int) -> tuple[float, float, int]:
    """MB/s by wall clock and by CPU time of this process (the latter is steadier when
    other jobs share the machine), each the median of ``runs`` runs."""
    nbytes = len(corpus.encode("utf-8"))
    walls: list[float] = []
    cpus: list[float] = []
    count = 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        count = len(extract_figures(corpus, "en"))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (nbytes / statistics.median(walls) / 1e6, nbytes / statistics.median(cpus) / 1e6,
            count)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 MB corpus, 3 runs")
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    ap.add_argument("--data", type=Path, default=DEV,
                    help="labelled set to score (e.g. tests/data/figures_holdout.jsonl)")
    ap.add_argument("--accuracy-only", action="store_true", help="skip the speed runs")
    args = ap.parse_args(argv)
    rows = load_dev(args.data)
    res = score(rows, show_errors=args.errors)
    print(f"{args.data.name}: {len(rows)} sentences, {int(res['value_gold'])} scorable gold "
          f"figures (kinds: {', '.join(SCORABLE_KINDS)})")
    for name in ("value", "value+qualifier"):
        print(f"  {name:<16} P={res[name + '_precision']:.3f} R={res[name + '_recall']:.3f} "
              f"F1={res[name + '_f1']:.3f}")
    if args.data == DEV and FAMILIES.is_file():
        fam = score(load_dev(FAMILIES), show_errors=args.errors)
        print(f"{FAMILIES.name}: value+qualifier P={fam['value+qualifier_precision']:.3f} "
              f"R={fam['value+qualifier_recall']:.3f} F1={fam['value+qualifier_f1']:.3f}")
    if args.accuracy_only:
        return 0
    size = 1_000_000 if args.quick else 5_000_000
    runs = 3 if args.quick else 5
    corpus = build_corpus(size, rows)
    wall, cpu, count = throughput(corpus, runs)
    print(f"throughput: {wall:.2f} MB/s wall, {cpu:.2f} MB/s CPU on "
          f"{len(corpus.encode('utf-8')) / 1e6:.1f} MB ({count} figures, median of {runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
