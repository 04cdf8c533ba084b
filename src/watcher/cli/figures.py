"""`watcher extract`, `history`, `claims`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from watcher.cli.base import Context, err, fails_cleanly, main, out, safe
from watcher.errors import WatcherError
from watcher.text import clean_text

# --- figures and claims ---------------------------------------------------------------

def _baseline_path(obj: Context, override: str | None) -> Path:
    return Path(override) if override else obj.config.baseline


def _fmt_value(row: dict[str, Any], prefix: str = "") -> str:
    from watcher.digest.model import described

    text = described(row, prefix)
    return "-" if text == "unknown" else text


def _extract_lang(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> str | None:
    """``--lang``: a language the figure reader knows, or None to detect per text."""
    from watcher.language import KNOWN, normalise

    if value is None or value.strip().lower() == "auto":
        return None
    code = normalise(value)
    if code not in KNOWN:
        raise click.BadParameter(
            f"{value!r} is not a supported language; use auto or one of {', '.join(KNOWN)}")
    return code


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--all", "show_all", is_flag=True, help="Every figure, not only matched ones.")
@click.option("--lines", is_flag=True, help="Each input line is a separate text.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]),
              default="table", show_default=True)
@click.option("--lang", callback=_extract_lang, metavar="CODE",
              help="Language of the text, which decides number formats (de/fr/es read "
                   "3.000 as 3000) [default: auto, detected per text].")
@click.option("--baseline", "baseline_override", type=click.Path(dir_okay=False),
              help="Baseline file [default: the config's].")
@click.pass_obj
@fails_cleanly
def extract(obj: Context, files: tuple[str, ...], show_all: bool, lines: bool, fmt: str,
            lang: str | None, baseline_override: str | None) -> None:
    """Find the figures in FILES (or stdin) and the claims they match."""
    import gc

    from watcher.claims import analyze, load_baseline
    from watcher.language import detect_language

    baseline = load_baseline(_baseline_path(obj, baseline_override))
    inputs: list[tuple[str, str]] = []
    for name in files or ("-",):
        if name == "-":
            inputs.append(("<stdin>", sys.stdin.read()))
        else:
            try:
                inputs.append((name, Path(name).read_text(encoding="utf-8",
                                                          errors="replace")))
            except OSError as e:
                raise WatcherError(f"{name}: {e.strerror}") from None
    texts: list[tuple[str, str]] = []
    for name, text in inputs:
        if lines:
            texts += [(f"{name}:{i + 1}", line) for i, line in enumerate(text.splitlines())]
        else:
            texts.append((name, text))

    def figures(text: str) -> list[dict[str, Any]]:
        found = analyze(text, baseline, lang=lang or detect_language(text))
        return [f.to_dict() for f in found if show_all or f.claim]

    # A command that exits when done: what it makes is freed by reference counts, and
    # the cycle collector, run every few hundred new objects, only costs time (a tenth of
    # the analysis of a big input).
    gc.disable()
    try:
        if fmt == "table":
            _print_table(texts, figures)
        else:
            _write_json(texts, figures, fmt == "jsonl")
    finally:
        gc.enable()


def _print_table(texts: list[tuple[str, str]],
                 figures: Callable[[str], list[dict[str, Any]]]) -> None:
    from rich.table import Table

    table = Table()
    for col in ("figure", "value", "kind", "claim", "unit", "source"):
        table.add_column(col, overflow="fold")
    for _name, text in texts:
        for f in figures(text):
            table.add_row(safe(f["text"]), safe(_fmt_value(f)), f["kind"],
                          safe(f["claim"] or "-"), safe(f["unit"] or ""),
                          safe(f["source"] or ""))
    out.print(table)


def _json_encoder() -> Callable[[Any], bytes]:
    """Compact UTF-8 JSON by orjson (five times faster than json on many figures); by
    json for what orjson refuses, such as a lone surrogate that undecodable stdin leaves
    in a text, written back as the byte it stood for."""
    import json

    import orjson

    def dumps(obj: Any) -> bytes:
        try:
            return orjson.dumps(obj)
        except orjson.JSONEncodeError:
            return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8", "surrogateescape")

    return dumps


def _write_json(texts: list[tuple[str, str]],
                figures: Callable[[str], list[dict[str, Any]]], jsonl: bool) -> None:
    """``--format json``: one list of every figure, each with its ``input`` as the last
    key; ``jsonl``: one object per input. Written as made, one figure a line: an indented
    dump of a big input took longer than the analysis and held it all twice."""
    dumps = _json_encoder()
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    write: Callable[[bytes], object] = (
        buffer.write if buffer is not None
        else lambda data: sys.stdout.write(data.decode("utf-8", "surrogateescape")))
    if jsonl:
        for name, text in texts:
            write(dumps({"input": name, "figures": figures(text)}) + b"\n")
        return
    sep = b"[\n"
    for name, text in texts:
        tail = b',"input":' + dumps(name) + b"}"       # last, as dict(f, input=name) had it
        chunk = []
        for f in figures(text):
            chunk.append(sep + dumps(f)[:-1] + tail)     # a figure's dict is never empty
            sep = b",\n"
            if len(chunk) == 1000:
                write(b"".join(chunk))
                chunk.clear()
        write(b"".join(chunk))
    write(b"[]\n" if sep == b"[\n" else b"\n]\n")
    if buffer is not None:
        buffer.flush()


def _history_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("id", "claim", "kind", "value", "low", "high", "qualifier", "value_text", "unit",
            "text", "sentence", "source", "url", "title", "feed", "published", "status",
            "prev_value", "prev_low", "prev_high", "prev_qualifier", "prev_value_text",
            "delta", "event", "period", "observed_at", "confidence", "alert",
            "single_source")
    result = []
    for r in rows:
        result.append({k: r.get("claim_id" if k == "claim" else k) for k in keep})
    return result


def _history_date(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> str | None:
    """``--since``/``--until``: any date form (7d, yesterday, 2025-04-01), checked and
    turned into the text the store compares ``published`` with."""
    from watcher.timespec import option_moment

    moment = option_moment(ctx, param, value)
    return None if moment is None else moment.query_text()


def _known_claim(ctx: click.Context, param: click.Parameter, value: str | None
                 ) -> str | None:
    """A claim id from the baseline; an unknown one is a usage error, not an empty
    result that reads as "nothing happened"."""
    obj = ctx.find_object(Context)
    if value is None or obj is None:
        return value
    import difflib

    from watcher.claims import load_baseline

    try:
        known = [c.id for c in load_baseline(obj.config.baseline).claims]
    except WatcherError:
        return value    # the command itself reports the unreadable config or baseline
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=3)
    hint = (f"did you mean {', '.join(close)}?" if close
            else f"known: {', '.join(known) or 'none'}")
    raise click.BadParameter(f"no claim {value!r} in the baseline; {hint} "
                             "(`watcher claims` lists them)", ctx=ctx, param=param)


_DATE_HELP = "7d, 2w, 24h, today, yesterday, 2025-04-01 or 2025-04-01T07:00 (UTC)"


@main.command()
@click.option("--claim", callback=_known_claim, help="Only this claim id.")
@click.option("--since", callback=_history_date,
              help=f"Published on or after this moment: {_DATE_HELP}.")
@click.option("--until", callback=_history_date,
              help="Published before this moment; a day counts whole (inclusive).")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["new", "confirmed", "higher", "lower", "restated",
                                 "changed", "conflicting", "narrower", "wider"]),
              help="Only these statuses (repeatable).")
@click.option("--source", help="Attribution, URL or title contains this text.")
@click.option("--feed", help="Feed name contains this text.")
@click.option("--changes-only", is_flag=True,
              help="Only alerts: figures that moved a claim's best estimate.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]),
              default="table", show_default=True)
@click.pass_obj
@fails_cleanly
def history(obj: Context, claim: str | None, since: str | None, until: str | None,
            statuses: tuple[str, ...], source: str | None, feed: str | None,
            changes_only: bool, limit: int | None, fmt: str) -> None:
    """Observations of the claims, newest first."""
    from watcher.store import HistoryFilter

    with obj.store(create=False) as store:
        rows = _history_rows(store.history(HistoryFilter(
            claim=claim, since=since, until=until, statuses=statuses, source=source,
            feed=feed, changes_only=changes_only, limit=limit)))
        metric_types = _metric_types(store, {r["claim"] for r in rows})
    _emit(rows, fmt, columns=[
        ("published", lambda r: (r["published"] or "")[:10]),
        ("claim", lambda r: r["claim"]),
        ("value", _fmt_value),
        ("status", lambda r: _status_cell(r, metric_types.get(r["claim"]))),
        ("was", lambda r: _was_cell(r, metric_types.get(r["claim"]))),
        ("source", lambda r: r["source"] or r["feed"] or ""),
    ])


def _metric_types(store: Any, claim_ids: set[str]) -> dict[str, str]:
    """Each claim's metric type (a date claim's statuses read earlier / later)."""
    found = {}
    for cid in claim_ids:
        row = store.claim_row(cid)
        if row and row.get("metric_type"):
            found[cid] = str(row["metric_type"])
    return found


def _status_cell(r: dict[str, Any], metric_type: str | None = None) -> str:
    """The status as a reader says it (a date is earlier or later), with ! for an alert
    and ? for one a single source backs."""
    from watcher.changes import status_word

    mark = ("!?" if r.get("single_source") else "!") if r.get("alert") else ""
    if metric_type is None and r.get("kind") == "date":
        metric_type = "date"
    return f"{status_word(r['status'], metric_type)}{mark}"


def _was_cell(r: dict[str, Any], metric_type: str | None = None) -> str:
    """What the figure was compared with and how far it moved: "more than 3,000, +1,000",
    or just "dozens" when a difference would mislead."""
    from watcher.changes import Value, change_words

    prev, new = Value.from_row(r, "prev_"), Value.from_row(r)
    if prev is None:
        return ""
    if metric_type is None and r.get("kind") == "date":
        metric_type = "date"
    pct = "percent" if r.get("kind") in ("percent", "share") else None
    moved = change_words(prev, new, unit=pct, metric_type=metric_type) if new else ""
    return _fmt_value(r, "prev_") + (f", {moved}" if moved else "")


MIN_WIDTH = {"published": 10, "status": 9, "value": 15, "claim": 12}
MAX_WIDTH = {"claim": 20, "value": 20, "was": 28}


def _emit(rows: list[dict[str, Any]], fmt: str,
          columns: list[tuple[str, Callable[[dict[str, Any]], Any]]]) -> None:
    import csv
    import json

    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["claim"])
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "md":
        click.echo("| " + " | ".join(c for c, _ in columns) + " |")
        click.echo("|" + "---|" * len(columns))
        for r in rows:
            cells = [clean_text(str(f(r))).replace("|", "\\|").replace("\n", " ")
                     for _, f in columns]
            click.echo("| " + " | ".join(cells) + " |")
    else:
        if not rows:
            click.echo("no observations")
            return
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for name, _ in columns:
            table.add_column(name, overflow="ellipsis", no_wrap=True,
                             min_width=MIN_WIDTH.get(name), max_width=MAX_WIDTH.get(name))
        for r in rows:
            table.add_row(*(safe(f(r)) for _, f in columns))
        out.print(table)


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
@fails_cleanly
def claims(ctx: click.Context, fmt: str) -> None:
    """Each claim: its best estimate (range, as-of date, sources, trend) and baseline."""
    import json

    from rich.table import Table

    from watcher.changes import status_word

    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    rows = _claim_summaries(obj)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for col in ("claim", "estimate", "range", "as of", "trend", "sources", "baseline"):
        table.add_column(col, overflow="fold")
    for r in rows:
        state = r.get("state")
        if state is None:
            table.add_row(safe(r.get("label") or r["statement"]), "-", "", "", "", "0",
                          safe(_fmt_value(r)))
            continue
        trend = status_word(state["trend"] or "", r.get("metric_type"))
        table.add_row(safe(r.get("label") or r["statement"]), safe(state["estimate"]),
                      safe(state["range"]), safe(state["as_of"] or ""),
                      TREND.get(trend, trend), str(state["sources"]),
                      safe(_fmt_value(r)))
    out.print(table)


TREND = {"higher": "▲ higher", "lower": "▼ lower", "new": "● new", "changed": "◆ changed",
         "later": "▶ later", "earlier": "◀ earlier", "confirmed": "= same",
         "restated": "↺ restated"}


def _state(r: dict[str, Any]) -> dict[str, Any] | None:
    """A claim's stored state, as ``claims`` shows it (None: nothing recorded yet)."""
    if r.get("state_sources") is None:
        return None
    from watcher.changes import Value, describe

    v = Value.from_row(r, "state_")
    pct = r.get("kind") == "share"
    unit = "percent" if pct else None
    rng = ""
    if v is not None and not v.is_text:
        lo = r["state_low"] if r["state_low"] is not None else r["state_value"]
        hi = r["state_high"] if r["state_high"] is not None else r["state_value"]
        if v.qualifier in ("more_than", "at_least"):
            hi = None
        if v.qualifier in ("less_than", "at_most"):
            lo = None
        rng = (f"{describe(Value(lo), unit) if lo is not None else '…'}–"
               f"{describe(Value(hi), unit) if hi is not None else '…'}")
    return {"estimate": describe(v, unit) if v is not None else "-", "best": r["state_best"],
            "low": r["state_low"], "high": r["state_high"],
            "qualifier": r["state_qualifier"], "value_text": r["state_value_text"],
            "range": rng, "as_of": r["state_as_of"], "reported": r["state_reported"],
            "sources": r["state_sources"], "confidence": r["state_confidence"],
            "trend": r["state_trend"], "from_baseline": bool(r["state_from_baseline"])}


@claims.command("show")
@click.argument("claim_id", callback=_known_claim)
@click.option("--chart", type=click.Path(dir_okay=False),
              help="Write the timeline chart (SVG) to this file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
@fails_cleanly
def claims_show(obj: Context, claim_id: str, chart: str | None, fmt: str) -> None:
    """One claim's full timeline: the baseline, then every observation."""
    import json

    summaries = {r["id"]: r for r in _claim_summaries(obj)}
    if claim_id not in summaries:
        raise WatcherError(f"no claim {claim_id!r}; known: {', '.join(summaries)}")
    claim = summaries[claim_id]
    with obj.store() as store:
        timeline = store.claim_timeline(claim_id)
    if chart:
        from watcher.digest.atom import write_atomically
        from watcher.digest.charts import timeline_svg

        svg = timeline_svg(claim, timeline)
        if svg is None:
            raise WatcherError(f"{claim_id} has no numeric observations to chart")
        write_atomically(Path(chart), svg)
        err.print(f"wrote {chart}")
    if fmt == "json":
        click.echo(json.dumps({"claim": claim, "timeline": _history_rows(timeline)},
                              ensure_ascii=False, indent=2))
        return
    metric = claim.get("metric_type")
    label = claim.get("label") or claim["statement"]
    out.print(f"[bold]{safe(label)}[/] ({safe(claim_id)})")
    if label != claim["statement"]:
        out.print(safe(claim["statement"]))
    out.print(f"baseline: {safe(_fmt_value(claim))} ({safe(claim['as_of'] or 'undated')}, "
              f"{safe(claim['attributed_to'] or claim['source'])})")
    state = claim.get("state")
    if state:
        sources = int(state["sources"] or 0)
        out.print(f"best estimate: {safe(state['estimate'])}"
                  + (f" (range {safe(state['range'])})" if state["range"] else "")
                  + f", as of {safe(state['as_of'] or 'undated')}, "
                  f"{sources} independent source{'s' if sources != 1 else ''}")
    _emit(_history_rows(timeline), "table", columns=[
        ("published", lambda r: (r["published"] or "")[:10]),
        ("value", _fmt_value),
        ("status", lambda r: _status_cell(r, metric)),
        ("was", lambda r: _was_cell(r, metric)),
        ("source", lambda r: r["source"] or r["feed"] or ""),
    ])


def _claim_summaries(obj: Context) -> list[dict[str, Any]]:
    from watcher.claims import load_baseline
    from watcher.observe import claim_row

    baseline = load_baseline(obj.config.baseline)
    with obj.store() as store:
        store.sync_claims(claim_row(c) for c in baseline.claims)
        rows = store.claim_summaries()
    for r in rows:
        r["state"] = _state(r)
        for k in [k for k in r if k.startswith("state_")]:
            del r[k]
    return rows
