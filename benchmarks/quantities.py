"""``python -m benchmarks.quantities {score,put} ...``

The general-news quantity set: real sentences of business, sports, technology and
politics news, each labelled with the quantities it states (counts, money, percents,
shares). Labels (facts: URL, sentence hash and offset, values) live in
``tests/data/quantities/labels.jsonl``; the page texts live in the git-ignored
``.cache/quantities/`` (``put URL < text`` stores one). ``score`` runs extract_figures on
every labelled sentence and prints value P/R/F1 per split (dev/test); ``--errors`` lists
every miss and false alarm. Only the kinds number, percent, share and money are scored; a
prediction matches a gold quantity when value, low and high are equal (rounded to 0.1).
Nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.realnews import Tally, heldout, norm_url, split_of

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "quantities" / "labels.jsonl"
CACHE = ROOT / ".cache" / "quantities"

Key = tuple[float | None, float | None, float | None]


def cache_path(url: str) -> Path:
    return CACHE / (hashlib.sha1(url.encode()).hexdigest()[:16] + ".txt")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def labels(path: Path = LABELS) -> Iterator[dict[str, Any]]:
    reserved = heldout()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        if norm_url(d["url"]) in reserved:
            raise SystemExit(f"{path.name}:{n}: {d['url']} is a held-out page: remove it")
        yield d


def sentence_of(label: dict[str, Any], text: str) -> str | None:
    """The labelled sentence: split_sentences' span at ``start``, if its sha1 matches (the
    cached text may have changed since it was labelled)."""
    from watcher.figures import split_sentences

    start = int(label["start"])
    spans = split_sentences(text)
    end = dict(spans).get(start)
    if end is not None and sha1(text[start:end]) == label["sentence_sha1"]:
        return text[start:end]
    # the search tool's excerpt of a page may have gained a header line since: the same
    # sentence elsewhere in it is still the labelled one
    found = [text[a:b] for a, b in spans if sha1(text[a:b]) == label["sentence_sha1"]]
    return found[0] if len(found) == 1 else None


def _r(x: object) -> float | None:
    return None if x is None else round(float(x), 1)  # type: ignore[arg-type]


def _key(d: Any) -> Key:
    if isinstance(d, dict):
        return (_r(d.get("value")), _r(d.get("low")), _r(d.get("high")))
    return (_r(d.value), _r(d.low), _r(d.high))


def _match(gold: list[Key], pred: list[Key]) -> tuple[list[int], list[int]]:
    used: set[int] = set()
    missed: list[int] = []
    for gi, gk in enumerate(gold):
        for pi, pk in enumerate(pred):
            if pi not in used and pk == gk:
                used.add(pi)
                break
        else:
            missed.append(gi)
    return missed, [pi for pi in range(len(pred)) if pi not in used]


def score(split: str, errors: bool) -> int:
    from watcher.figures import SCORABLE_KINDS, extract_figures

    totals: dict[str, list[int]] = {}
    missing: set[str] = set()
    pages: dict[str, set[str]] = {}
    for lab in labels():
        sp = lab["split"]
        if split != "all" and sp != split:
            continue
        path = cache_path(lab["url"])
        if not path.is_file():
            if lab["url"] not in missing:
                print(f"skipped (not cached): {lab['url']}", file=sys.stderr)
            missing.add(lab["url"])
            continue
        sent = sentence_of(lab, path.read_text(encoding="utf-8"))
        if sent is None:
            print(f"skipped (sentence not found at {lab['start']}): {lab['url']}",
                  file=sys.stderr)
            continue
        pages.setdefault(sp, set()).add(lab["url"])
        figs = [f for f in extract_figures(sent, lab.get("lang", "en"))
                if f.kind in SCORABLE_KINDS]
        gold = [q for q in lab["quantities"] if q["kind"] in SCORABLE_KINDS]
        missed, extra = _match([_key(g) for g in gold], [_key(f) for f in figs])
        t = totals.setdefault(sp, [0, 0, 0, 0])
        t[0] += len(gold) - len(missed)
        t[1] += len(figs)
        t[2] += len(gold)
        t[3] += 1
        if errors and (missed or extra):
            print(f"[{sp}] {sent}")
            for gi in missed:
                g = gold[gi]
                print(f"    MISS  {g['as_written']!r} {g['kind']} v={g.get('value')} "
                      f"l={g.get('low')} h={g.get('high')} q={g.get('qualifier')}")
            for pi in extra:
                f = figs[pi]
                print(f"    EXTRA {f.text!r} {f.kind} v={f.value} l={f.low} h={f.high} "
                      f"q={f.qualifier}")
    print(f"{'split':6} {'pages':>5} {'sents':>5} {'gold':>5} {'tp':>5} {'fp':>4} {'fn':>4}"
          f" {'P':>6} {'R':>6} {'F1':>6}")
    rows = sorted(totals.items())
    if len(rows) > 1:
        rows.append(("all", [sum(t[i] for _, t in rows) for i in range(4)]))
    for sp, (tp, npred, ngold, nsent) in rows:
        p, r, f1 = Tally(tp, npred - tp, ngold - tp).prf()
        npages = len(set().union(*pages.values())) if sp == "all" else len(pages[sp])
        print(f"{sp:6} {npages:5d} {nsent:5d} {ngold:5d} {tp:5d} {npred - tp:4d} "
              f"{ngold - tp:4d} {p:6.3f} {r:6.3f} {f1:6.3f}")
    if missing:
        print(f"{len(missing)} page(s) not cached: skipped", file=sys.stderr)
    return 0


def put(url: str) -> int:
    if norm_url(url) in heldout():
        print(f"refused: {url} is a held-out page", file=sys.stderr)
        return 2
    text = sys.stdin.read()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = cache_path(url)
    path.write_text(text, encoding="utf-8")
    print(f"{path.relative_to(ROOT)} ({len(text)} chars, split {split_of(url)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.quantities")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sc = sub.add_parser("score", help="value P/R/F1 of extract_figures per split")
    sc.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    sc.add_argument("--errors", action="store_true", help="list misses and false alarms")
    pu = sub.add_parser("put", help="store a page text (stdin) in the cache")
    pu.add_argument("url")
    args = ap.parse_args(argv)
    if args.cmd == "score":
        return score(args.split, args.errors)
    return put(args.url)


if __name__ == "__main__":
    sys.exit(main())
