"""`watcher claims add` and `watcher candidates list/promote`: growing the baseline.

A claim used to be added by editing config/baseline.toml by hand; these commands write the
same [[claims]] table through watcher.baseline_edit, which keeps the file's comments and
refuses anything the loader would refuse. Candidates (on-topic figures that matched no
claim) are the usual source of a new claim, so `promote` turns one into a claim directly.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

import click

from watcher.cli.base import Context, err, fails_cleanly, main, out, safe
from watcher.cli.figures import _baseline_path, _fmt_value, _history_date, claims
from watcher.text import clean_text

# Spelt out, not imported: importing watcher.claims or watcher.figures here would slow every
# `watcher` command down by a few hundred ms. tests/test_claims_edit.py keeps them in step.
KINDS = ("count", "share", "money", "name", "date")              # claims.CLAIM_KINDS
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
PERIODS = ("day", "week", "month")
# What a candidate figure's kind becomes as a claim; other figures cannot be promoted.
CANDIDATE_KINDS = {"number": "count", "percent": "share", "share": "share", "money": "money"}
DEFAULT_SOURCE = "watcher claims add"
DEFAULT_UNITS = {"share": "percent", "name": "name", "date": "date"}

_WORD_RE = re.compile(r"^[a-z][a-z_]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LIST_SENTENCE = 60
_STATEMENT = 200


def _refuse(message: str) -> NoReturn:
    """Print an error the way fails_cleanly does and exit 2 (a usage or baseline problem)."""
    err.print(f"[bold red]error:[/] {safe(message)}", markup=True)
    sys.exit(2)


def _word(_ctx: click.Context, param: click.Parameter, raw: str | None) -> str | None:
    """--event and --counted take one lower-case word (underscores join words)."""
    if raw is None:
        return None
    word = raw.strip().lower()
    if not _WORD_RE.match(word):
        raise click.BadParameter(f"{raw!r} is not one lower-case word (a-z and '_'), e.g. "
                                 "killed, killed_or_wounded", param=param)
    return word


def _claim_id(_ctx: click.Context, param: click.Parameter, raw: str) -> str:
    """A bad id is a usage error before anything is read (the loader's rule)."""
    from watcher.baseline_edit import CLAIM_ID_RE

    claim_id = raw.strip()
    if not CLAIM_ID_RE.match(claim_id):
        raise click.BadParameter(f"{raw!r} is not a valid claim id: use lower-case letters, "
                                 "digits and '-', starting with a letter or digit", param=param)
    return claim_id


def shorten(text: str | None, width: int) -> str:
    """One line of at most `width` characters, cut at a word boundary with an ellipsis."""
    line = " ".join(clean_text(text or "").split())
    if len(line) <= width:
        return line
    cut = line[:width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _create(obj: Context, baseline: str | None, claim: dict[str, Any]) -> None:
    """The one path both commands take: write the claim, then say what to do next."""
    if not claim.get("unit"):
        # The hand-written claims' convention, so the common cases need no --unit.
        claim["unit"] = DEFAULT_UNITS.get(str(claim.get("kind")))
    from watcher.baseline_edit import add_claim
    from watcher.config import editable

    path = editable(_baseline_path(obj, baseline))
    added = add_claim(path, claim)
    click.echo(f"added claim {added.id} to {path}")
    err.print("run `watcher reprocess` to match it against the stored articles",
              markup=False)


# --- claims add -------------------------------------------------------------------------

@claims.command("add")
@click.argument("claim_id", metavar="ID", callback=_claim_id)
@click.option("--statement", required=True, help="The claim in one sentence, in your words.")
@click.option("--subject", required=True, help="Whose figure: an actor's name.")
@click.option("--kind", required=True, type=click.Choice(KINDS))
@click.option("--event", required=True, callback=_word,
              help="What happened: deployed, killed, wounded, killed_or_wounded, ...")
@click.option("--counted", callback=_word,
              help="What is counted (count/share/money): people, shells, factories, ...")
@click.option("--unit", help="The unit as written, e.g. 'soldiers killed' [default: percent "
              "for share, name/date for name/date claims].")
@click.option("--value", type=float, help="A single figure.")
@click.option("--low", type=float, help="Lower bound (a range, or with more_than/at_least).")
@click.option("--high", type=float, help="Upper bound (a range, or with less_than/at_most).")
@click.option("--qualifier", type=click.Choice(QUALIFIERS), help="[default: exact]")
@click.option("--value-text", help="The name or ISO date of a name/date claim.")
@click.option("--as-of", help="When the figure was true: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--per", type=click.Choice(PERIODS), help="A rate: the figure is per day/...")
@click.option("--term", "terms", multiple=True,
              help="A word that identifies the metric (repeatable; metric_terms).")
@click.option("--subject-term", "subject_terms", multiple=True,
              help="Another name of the subject (repeatable; subject_terms).")
@click.option("--name-word", "name_words", multiple=True,
              help="A family name a name claim looks for (repeatable; name_words).")
@click.option("--source", default=DEFAULT_SOURCE, show_default=True,
              help="Where the figure comes from.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Baseline file [default: the config's].")
@click.pass_obj
@fails_cleanly
def claims_add(obj: Context, claim_id: str, statement: str, subject: str, kind: str,
               event: str, counted: str | None, unit: str | None, value: float | None,
               low: float | None, high: float | None, qualifier: str | None,
               value_text: str | None, as_of: str | None, per: str | None,
               terms: tuple[str, ...], subject_terms: tuple[str, ...],
               name_words: tuple[str, ...], source: str, baseline: str | None) -> None:
    """Add claim ID to the baseline file, keeping its comments and layout.

    The claim is checked by the baseline loader before the file is replaced; nothing is
    written when it is refused.
    """
    if value is not None and (low is not None or high is not None):
        raise click.UsageError("give --value, or --low and/or --high, not both")
    _create(obj, baseline, {
        "id": claim_id, "statement": statement, "subject": subject, "kind": kind,
        "event": event, "counted": counted, "value": value, "low": low, "high": high,
        "qualifier": qualifier, "value_text": value_text, "unit": unit, "per": per,
        "as_of": as_of, "source": source, "subject_terms": list(subject_terms),
        "metric_terms": list(terms), "name_words": list(name_words),
    })


# --- candidates -------------------------------------------------------------------------

@main.group()
def candidates() -> None:
    """On-topic figures that matched no claim, and promoting one to a claim."""


@candidates.command("list")
@click.option("--since", callback=_history_date,
              help="Published on or after this moment: 7d, yesterday, 2025-04-01 ...")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json carries every column and the full sentence.")
@click.pass_obj
@fails_cleanly
def candidates_list(obj: Context, since: str | None, limit: int, fmt: str) -> None:
    """Candidate figures, newest first: promote one with `watcher candidates promote`."""
    import json

    from rich import box
    from rich.table import Table

    with obj.store(create=False) as store:
        rows = store.candidates(since=since, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no candidates")
        return
    # Ids and dates never wrap (they are what `promote` takes); long text folds instead of
    # pushing columns off a narrow terminal.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True, min_width=10)
    for col, width in (("figure", 24), ("value", 18), ("kind", 7), ("unit", 16),
                       ("sentence", None), ("url", None)):
        table.add_column(col, overflow="fold", max_width=width)
    for r in rows:
        table.add_row(str(r["id"]), safe((r["published"] or "")[:10]), safe(r["text"]),
                      safe(_fmt_value(r)), safe(r["kind"] or ""), safe(r["unit"] or ""),
                      safe(shorten(r["sentence"], _LIST_SENTENCE)), safe(r["url"]))
    out.print(table)


def claim_from_candidate(row: dict[str, Any]) -> dict[str, Any]:
    """The baseline keys a candidate figure supplies: its value, kind, unit and evidence.

    Figures follow the extractor's conventions (exact: low == high == value; "more than
    3,000": low only; a range: low and high), which become the loader's value/low/high.
    """
    kind = CANDIDATE_KINDS.get(str(row.get("kind")))
    if kind is None:
        _refuse(f"candidate {row['id']} is a {row.get('kind')} figure; only "
                f"{', '.join(CANDIDATE_KINDS)} figures can be promoted")
    qualifier = row.get("qualifier") or "exact"
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    numbers: dict[str, Any]
    if qualifier in ("more_than", "at_least"):
        numbers = {"low": low if low is not None else value}
    elif qualifier in ("less_than", "at_most"):
        numbers = {"high": high if high is not None else value}
    elif value is not None:
        numbers = {"value": value}
    else:
        numbers = {"low": low, "high": high}
    published = row.get("article_published") or row.get("published") or ""
    return {
        "kind": kind, **numbers, "qualifier": qualifier,
        "unit": row.get("unit"),
        "statement": shorten(row.get("sentence"), _STATEMENT),
        "source": row.get("url"),
        "as_of": published[:10] if _DATE_RE.match(published) else None,
    }


@candidates.command("promote")
@click.argument("candidate_id", type=int)
@click.option("--id", "claim_id", required=True, callback=_claim_id,
              help="Id of the new claim, e.g. nk-shells-supplied.")
@click.option("--subject", required=True, help="Whose figure: an actor's name.")
@click.option("--event", required=True, callback=_word,
              help="What happened: deployed, killed, supplied, ...")
@click.option("--statement", help="[default: the candidate's sentence, shortened]")
@click.option("--counted", callback=_word, help="What is counted: people, shells, ...")
@click.option("--unit", help="[default: the candidate's unit]")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Baseline file [default: the config's].")
@click.pass_obj
@fails_cleanly
def candidates_promote(obj: Context, candidate_id: int, claim_id: str, subject: str,
                       event: str, statement: str | None, counted: str | None,
                       unit: str | None, baseline: str | None) -> None:
    """Make candidate CANDIDATE_ID a claim (value, unit, source and date from its article)."""
    with obj.store(create=False) as store:
        row = store.candidate(candidate_id)
    if row is None:
        _refuse(f"no candidate {candidate_id} (see `watcher candidates list`)")
    claim = claim_from_candidate(row)
    if statement is not None:
        claim["statement"] = statement
    if unit is not None:
        claim["unit"] = unit
    _create(obj, baseline, {"id": claim_id, "subject": subject, "event": event,
                            "counted": counted, **claim})
