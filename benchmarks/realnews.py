"""``python -m benchmarks.realnews {split,put,cache,check,score} ...``

The real-news development loop. Labels (facts: URL, claim, value, the number as written)
live in ``tests/data/realnews/``; page texts live in the git-ignored ``.cache/realnews/``.
The pages come from a search tool that only a developer's session can call, so ``cache``
cannot fetch them itself: it lists which labelled pages are missing and the queries that
found them, and ``put`` stores a page's text (from stdin) under its URL. ``score`` runs
watcher's analysis on every cached page and scores figure-to-claim P/R/F1 per language,
per claim and per split (dev/test). Nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "realnews"
CACHE = ROOT / ".cache" / "realnews"


def _main_checkout() -> Path:
    """The main checkout: ROOT itself, or the one a git worktree (".git" is then a file
    "gitdir: <main>/.git/worktrees/<name>") belongs to."""
    dot_git = ROOT / ".git"
    if dot_git.is_file():
        line = dot_git.read_text(encoding="utf-8").strip()
        if line.startswith("gitdir:"):
            gitdir = Path(line.split(":", 1)[1].strip())
            if gitdir.parent.name == "worktrees":
                return gitdir.parent.parent.parent
    return ROOT


# next to the main checkout, also when this runs from a git worktree elsewhere
HELDOUT = _main_checkout().parent / "shared" / "heldout-urls.txt"


def norm_url(url: str) -> str:
    u = url.strip()
    for p in ("https://", "http://"):
        if u.startswith(p):
            u = u[len(p):]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


def heldout() -> frozenset[str]:
    """The reserved pages, when the workspace has the list (a user's clone does not)."""
    path = Path(os.environ.get("WATCHER_HELDOUT", HELDOUT))
    if not path.is_file():
        return frozenset()
    return frozenset(norm_url(line) for line in path.read_text().splitlines()
                     if line.strip() and not line.startswith("#"))


def split_of(url: str) -> str:
    return "dev" if hashlib.sha1(url.encode()).hexdigest()[0] in "0123456789a" else "test"


def cache_path(url: str) -> Path:
    return CACHE / (hashlib.sha1(url.encode()).hexdigest()[:16] + ".txt")


@dataclass
class Page:
    url: str
    lang: str
    split: str
    published: str | None
    figures: list[dict[str, Any]] = field(default_factory=list)
    query: str | None = None


def pages() -> Iterator[Page]:
    seen: set[str] = set()
    reserved = heldout()
    for path in sorted(LABELS.glob("pages-*.jsonl")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path.name}:{n}: not JSON: {e}") from None
            url = d["url"]
            if norm_url(url) in reserved:
                raise SystemExit(f"{path.name}:{n}: {url} is reserved for evaluation; "
                                 "remove it")
            if url in seen:
                continue
            seen.add(url)
            yield Page(url, d["lang"], d.get("split") or split_of(url), d.get("published"),
                       list(d.get("figures") or []), d.get("query"))


# --------------------------------------------------------------------------- commands


def cmd_split(args: argparse.Namespace) -> int:
    for url in args.urls:
        print(split_of(url), url)
    return 0


def cmd_put(args: argparse.Namespace) -> int:
    if norm_url(args.url) in heldout():
        print(f"refused: {args.url} is reserved for independent evaluation", file=sys.stderr)
        return 2
    text = sys.stdin.read()
    if len(text.strip()) < 80:
        print("refused: fewer than 80 characters of text", file=sys.stderr)
        return 2
    CACHE.mkdir(parents=True, exist_ok=True)
    cache_path(args.url).write_text(text, encoding="utf-8")
    print(f"{split_of(args.url)} {cache_path(args.url).name} {len(text)} chars")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    """What is cached, what is missing, and the queries to run again for the rest."""
    missing: dict[str, list[str]] = defaultdict(list)
    have = total = 0
    for p in pages():
        total += 1
        if cache_path(p.url).is_file():
            have += 1
        else:
            missing[p.query or "?"].append(p.url)
    print(f"{have} of {total} labelled pages cached in {CACHE}")
    if missing:
        print("Run these searches (pages corpus) and store each listed page with\n"
              "  python -m benchmarks.realnews put URL < page.txt")
        for q, urls in sorted(missing.items()):
            print(f"- {q}")
            for u in urls:
                print(f"    {u}")
    return 0 if not missing else 1


def cmd_check(args: argparse.Namespace) -> int:
    """Label files are well formed and name only claims of the baseline."""
    sys.path.insert(0, str(ROOT / "src"))
    from watcher.claims import load_baseline

    ids = {c.id for c in load_baseline(ROOT / "config" / "baseline.toml").claims}
    bad = 0
    counts: dict[tuple[str, str], int] = defaultdict(int)
    figs: dict[str, int] = defaultdict(int)
    for p in pages():
        counts[(p.lang, p.split)] += 1
        for f in p.figures:
            figs[p.lang] += 1
            if f.get("claim") not in ids:
                print(f"{p.url}: unknown claim {f.get('claim')!r}")
                bad += 1
            if "as_written" not in f:
                print(f"{p.url}: a figure without as_written")
                bad += 1
    for (lang, split), n in sorted(counts.items()):
        print(f"{lang} {split}: {n} pages")
    for lang, n in sorted(figs.items()):
        print(f"{lang}: {n} labelled figures")
    return 1 if bad else 0


# --------------------------------------------------------------------------- scoring


def _key(claim: str, low: Any, high: Any, text: Any) -> tuple[Any, ...]:
    if text is not None:
        return (claim, str(text))
    return (claim, None if low is None else float(low), None if high is None else float(high))


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """One claim, and values equal within 1% (a figure read as 4,700 vs 4,700.0)."""
    if a[0] != b[0] or len(a) != len(b):
        return False
    if len(a) == 2:
        # a date as precise as the page allows: "2025-02" and "2025-02-07" agree
        x, y = str(a[1]), str(b[1])
        return x == y or (x[:4].isdigit() and (x.startswith(y) or y.startswith(x)))
    for x, y in zip(a[1:], b[1:], strict=True):
        if (x is None) != (y is None):
            return False
        if x is not None and abs(x - y) > 0.01 * max(abs(x), abs(y), 1.0):
            return False
    return True


def predicted(page: Page, text: str, baseline: Any, lang: str | None) -> set[tuple[Any, ...]]:
    from watcher.claims import analyze

    if lang == "auto":
        from watcher.language import detect_language

        lang = detect_language(text)
    out: set[tuple[Any, ...]] = set()
    for f in analyze(text, baseline, lang=lang or page.lang,
                     published=page.published or page_date(text)):
        if f.claim is None:
            continue
        fig = f.figure
        out.add(_key(f.claim, fig.low, fig.high, f.value_text))
    return out


_DATE_LINE = re.compile(r"^\s*date (\d{4}-\d{2}(?:-\d{2})?)")


def page_date(text: str) -> str | None:
    """The stored copy's date line, standing in for the feed's pubDate."""
    m = _DATE_LINE.match(text)
    return m.group(1) if m else None


def labelled(page: Page) -> set[tuple[Any, ...]]:
    return {_key(f["claim"], f.get("low"), f.get("high"), f.get("value_text"))
            for f in page.figures}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def cmd_score(args: argparse.Namespace) -> int:
    """Figure-to-claim P/R/F1 per language and split (and per claim with --claims)."""
    sys.path.insert(0, str(ROOT / "src"))
    from watcher.claims import load_baseline

    baseline = load_baseline(Path(args.baseline))
    by_lang: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_claim: dict[tuple[str, str], Tally] = defaultdict(Tally)
    missing = 0
    errors: list[str] = []
    for page in pages():
        if args.split != "all" and page.split != args.split:
            continue
        if args.lang and page.lang != args.lang:
            continue
        path = cache_path(page.url)
        if not path.is_file():
            missing += 1
            continue
        text = path.read_text(encoding="utf-8")
        pred = predicted(page, text, baseline, "auto" if args.detect else None)
        gold = labelled(page)
        tp = {p for p in pred if any(_same(p, g) for g in gold)}
        fp = pred - tp
        fn = {g for g in gold if not any(_same(p, g) for p in pred)}
        by_lang[(page.lang, page.split)].add(len(tp), len(fp), len(fn))
        for k in tp:
            by_claim[(k[0], page.split)].add(1, 0, 0)
        for k in fp:
            by_claim[(k[0], page.split)].add(0, 1, 0)
            errors.append(f"FP {page.lang} {page.split} {k} {page.url}")
        for k in fn:
            by_claim[(k[0], page.split)].add(0, 0, 1)
            errors.append(f"FN {page.lang} {page.split} {k} {page.url}")
    print(f"{'lang':5} {'split':5} {'tp':>4} {'fp':>4} {'fn':>4}  {'P':>5} {'R':>5} {'F1':>5}")
    total: dict[str, Tally] = defaultdict(Tally)
    for (lang, split), t in sorted(by_lang.items()):
        p, r, f = t.prf()
        total[split].add(t.tp, t.fp, t.fn)
        print(f"{lang:5} {split:5} {t.tp:4} {t.fp:4} {t.fn:4}  {p:5.2f} {r:5.2f} {f:5.2f}")
    for split, t in sorted(total.items()):
        p, r, f = t.prf()
        print(f"{'all':5} {split:5} {t.tp:4} {t.fp:4} {t.fn:4}  {p:5.2f} {r:5.2f} {f:5.2f}")
    if args.claims:
        print()
        for (claim, split), t in sorted(by_claim.items()):
            p, r, f = t.prf()
            print(f"{claim:24} {split:5} {t.tp:4} {t.fp:4} {t.fn:4}  {p:5.2f} {r:5.2f} {f:5.2f}")
    if args.errors:
        print()
        print("\n".join(sorted(errors)))
    if missing:
        print(f"\n{missing} labelled page(s) not cached: see `cache`", file=sys.stderr)
    return 0


def cmd_speed(args: argparse.Namespace) -> int:
    """claims.analyze and extract_figures on the cached real pages, one core, MB/s."""
    import time

    sys.path.insert(0, str(ROOT / "src"))
    from watcher.claims import analyze, load_baseline
    from watcher.figures import extract_figures

    texts = [(cache_path(p.url).read_text(encoding="utf-8"), p.lang) for p in pages()
             if cache_path(p.url).is_file()]
    if not texts:
        print("no cached pages: see `cache`", file=sys.stderr)
        return 1
    baseline = load_baseline(Path(args.baseline))
    analyze(texts[0][0], baseline)  # compile outside the timing
    mb = sum(len(t.encode("utf-8")) for t, _ in texts) / 1e6

    def best(fn: Any) -> float:
        runs = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t0)
        return sorted(runs)[len(runs) // 2]

    t_fig = best(lambda: [extract_figures(t, lang) for t, lang in texts])
    t_all = best(lambda: [analyze(t, baseline, lang=lang) for t, lang in texts])
    # the claim side alone: analyze with each page's figures found beforehand
    found = [extract_figures(t, lang) for t, lang in texts]
    t_claims = best(lambda: [analyze(t, baseline, lang=lang, figures=figs)
                             for (t, lang), figs in zip(texts, found, strict=True)])
    print(f"{len(texts)} pages, {mb:.2f} MB, median of {args.repeats}")
    print(f"extract_figures   {mb / t_fig:6.2f} MB/s")
    print(f"claims.analyze    {mb / t_all:6.2f} MB/s (extractor included; target 2 MB/s)")
    print(f"  claim side      {mb / t_claims:6.2f} MB/s (figures found beforehand; "
          f"{t_claims / t_all:.0%} of analyze)")
    return 0


def _paragraphs(text: str) -> list[str]:
    """The stored copy's paragraphs (its date line left out), for a page to serve."""
    lines = [ln.strip() for ln in re.split(r"\n\s*\n|\n", text) if ln.strip()]
    if lines and _DATE_LINE.match(lines[0]):
        lines[0] = _DATE_LINE.sub("", lines[0]).strip()
    return [ln for ln in lines if ln]


def cmd_pipeline(args: argparse.Namespace) -> int:
    """The held-out evaluation's own path: pages served as RSS on 127.0.0.1, one
    `watcher run --once`, then `watcher history --format json` scored against the labels,
    with the alerts (precision: an alert whose value is labelled on its page) and the
    end state of every claim (`watcher claims --format json`)."""
    import subprocess
    import tempfile
    from datetime import UTC, datetime

    sys.path.insert(0, str(ROOT / "src"))
    from watcher.sample_site import Item, LoopbackSite, render_article_html, render_rss2

    chosen = [p for p in pages() if cache_path(p.url).is_file()
              and (args.split == "all" or p.split == args.split)
              and (not args.lang or p.lang == args.lang)]
    by_path: dict[str, Page] = {}
    with tempfile.TemporaryDirectory() as tmp, LoopbackSite() as site:
        items: list[Item] = []
        for i, page in enumerate(chosen):
            text = cache_path(page.url).read_text(encoding="utf-8")
            day = page.published or page_date(text)
            when = None
            if day:
                when = datetime.fromisoformat((day + "-15")[:10]).replace(tzinfo=UTC)
            path = f"/p{i}.html"
            link = site.add(path, render_article_html(f"Page {i}", _paragraphs(text),
                                                      lang=page.lang,
                                                      published=(day or "2025-01-01")[:10]
                                                      if day and len(day) >= 10
                                                      else "2025-01-01"),
                            content_type="text/html")
            by_path[link] = page
            items.append(Item(f"Page {i}", link, published=when))
        feeds = []
        for n in range(0, len(items), 50):
            feeds.append(site.add(f"/feed{n}.xml", render_rss2(f"Feed {n}", site.base,
                                                               items[n:n + 50])))
        cfg = Path(tmp) / "watcher.toml"
        lines = [f'baseline = "{args.baseline}"', "[storage]",
                 f'path = "{Path(tmp) / "watcher.db"}"', "[fetch]", "retries = 0",
                 "[extract]", "workers = 2"]
        for u in feeds:
            lines += ["[[feeds]]", f'url = "{u}"']
        cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")

        def watcher(*a: str) -> str:
            r = subprocess.run([sys.executable, "-m", "watcher", "--config", str(cfg), *a],
                               capture_output=True, text=True, cwd=tmp, timeout=3600)
            if r.returncode != 0:
                raise SystemExit(f"watcher {' '.join(a)} failed: {r.stderr[-2000:]}")
            return r.stdout

        watcher("run", "--once")
        rows = json.loads(watcher("history", "--format", "json"))
        state = json.loads(watcher("claims", "--format", "json"))
    by_lang: dict[str, Tally] = defaultdict(Tally)
    predicted_by_url: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    alerts = alerts_ok = 0
    false_alerts: list[str] = []
    by_conf: list[tuple[float, bool]] = []
    for r in rows:
        found = by_path.get(r["url"])
        if found is None:
            continue
        page = found
        k = _key(r["claim"], r.get("low"), r.get("high"), r.get("value_text"))
        predicted_by_url[page.url].add(k)
        if r.get("alert"):
            alerts += 1
            ok = any(_same(k, g) for g in labelled(page))
            alerts_ok += ok
            by_conf.append((float(r.get("confidence") or 0.0), bool(ok)))
            if args.errors and not ok:
                false_alerts.append(f"false alert {page.lang} {page.split} {k} {page.url}\n"
                                    f"    {str(r.get('sentence') or r.get('evidence'))[:300]}")
    for page in by_path.values():
        pred, gold = predicted_by_url.get(page.url, set()), labelled(page)
        tp = {x for x in pred if any(_same(x, g) for g in gold)}
        fn = {g for g in gold if not any(_same(x, g) for x in pred)}
        by_lang[page.lang].add(len(tp), len(pred - tp), len(fn))
    print(f"pipeline over {len(by_path)} pages ({args.split})")
    total = Tally()
    for lang, t in sorted(by_lang.items()):
        p, r, f = t.prf()
        total.add(t.tp, t.fp, t.fn)
        print(f"{lang:5} tp {t.tp:4} fp {t.fp:4} fn {t.fn:4}  P {p:.2f} R {r:.2f} F1 {f:.2f}")
    p, r, f = total.prf()
    print(f"all   tp {total.tp:4} fp {total.fp:4} fn {total.fn:4}  P {p:.2f} R {r:.2f} F1 {f:.2f}")
    print(f"alerts {alerts}, of which {alerts_ok} state a labelled figure of their page "
          f"(precision {alerts_ok / alerts if alerts else 1.0:.2f})")
    for cut in (0.7, 0.8, 0.9):
        kept = [ok for c, ok in by_conf if c >= cut]
        print(f"  alerts at confidence >= {cut}: {len(kept)}, of which {sum(kept)} labelled")
    if false_alerts:
        print("\n".join(false_alerts))
    print("end state:")
    for c in state if isinstance(state, list) else state.get("claims", []):
        st = c.get("state") or {}
        print(f"  {c.get('id') or c.get('claim')}: {json.dumps(st, ensure_ascii=False)[:160]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.realnews", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("split", help="print dev/test for URLs")
    p.add_argument("urls", nargs="+")
    p.set_defaults(fn=cmd_split)
    p = sub.add_parser("put", help="store a page's text (stdin) in the cache")
    p.add_argument("url")
    p.set_defaults(fn=cmd_put)
    p = sub.add_parser("cache", help="list cached and missing pages, with their queries")
    p.set_defaults(fn=cmd_cache)
    p = sub.add_parser("check", help="check the label files")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("score", help="P/R/F1 of watcher's analysis on the cached pages")
    p.add_argument("--split", choices=("dev", "test", "all"), default="all")
    p.add_argument("--lang", choices=("en", "de", "es", "fr"))
    p.add_argument("--claims", action="store_true", help="per-claim figures too")
    p.add_argument("--errors", action="store_true", help="list every FP and FN")
    p.add_argument("--detect", action="store_true",
                   help="detect each page's language instead of using its label")
    p.add_argument("--baseline", default=str(ROOT / "config" / "baseline.toml"))
    p.set_defaults(fn=cmd_score)
    p = sub.add_parser("pipeline", help="the held-out path: RSS on 127.0.0.1, run --once, "
                                        "history scored; alerts and end states")
    p.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    p.add_argument("--lang", choices=("en", "de", "es", "fr"))
    p.add_argument("--baseline", default=str(ROOT / "config" / "baseline.toml"))
    p.add_argument("--errors", action="store_true", help="list every false alert")
    p.set_defaults(fn=cmd_pipeline)
    p = sub.add_parser("speed", help="analyze() MB/s on the cached pages, one core")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--baseline", default=str(ROOT / "config" / "baseline.toml"))
    p.set_defaults(fn=cmd_speed)
    args = ap.parse_args(argv)
    return int(args.fn(args))


if __name__ == "__main__":
    sys.exit(main())
