"""`watcher claims add` and `watcher candidates list/promote`, through the real CLI."""

from __future__ import annotations

import difflib
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from watcher.claims import CLAIM_KINDS, load_baseline
from watcher.claims.model import PERIODS
from watcher.cli import claims_edit
from watcher.figures import QUALIFIERS
from watcher.store import FeedUpdate, NewArticle, NewEntry, Store

from .conftest import ROOT, cli, write_config

SENTENCE = ("North Korea has shipped more than 5,000 containers of munitions to Russia since "
            "the autumn, according to the report, which cites satellite imagery of the port of "
            "Rajin and interviews with officials in Seoul who asked not to be named.")


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """A copy of the project's baseline, so each test edits its own."""
    path = tmp_path / "baseline.toml"
    shutil.copyfile(ROOT / "config" / "baseline.toml", path)
    return path


@pytest.fixture
def config(tmp_path: Path, baseline: Path) -> Path:
    return write_config(tmp_path, [], baseline=str(baseline))


def raw_claims(path: Path) -> dict[str, dict[str, Any]]:
    """The [[claims]] tables as written, by id (what the file says, not the loader)."""
    tables = tomllib.loads(path.read_text(encoding="utf-8")).get("claims", [])
    return {t["id"]: t for t in tables}


def only_inserted(before: str, after: str) -> bool:
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(),
                                      autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def said(text: str) -> str:
    """stderr as one line: rich wraps long messages on word boundaries."""
    return " ".join(text.split())


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".baseline.toml.")]


ADD = ("claims", "add", "cli-added-shells",
       "--statement", "North Korea has sent Russia millions of artillery shells.",
       "--subject", "North Korea", "--kind", "count", "--event", "supplied",
       "--counted", "shells", "--unit", "shells", "--low", "2000000", "--high", "9999999",
       "--qualifier", "approx", "--as-of", "2025-01", "--term", "shells", "--term", "rounds",
       "--subject-term", "Pyongyang")


# --- claims add ---------------------------------------------------------------------------

def test_choices_match_the_loader() -> None:
    """The CLI spells its choices out (for start-up time); they must not drift."""
    assert claims_edit.KINDS == CLAIM_KINDS
    assert claims_edit.QUALIFIERS == QUALIFIERS
    assert claims_edit.PERIODS == PERIODS


def test_add_appends_a_claim_and_keeps_every_comment(config: Path, baseline: Path) -> None:
    before = baseline.read_text(encoding="utf-8")
    r = cli(*ADD, config=config)
    assert r.code == 0, r.err
    assert "cli-added-shells" in r.out
    after = baseline.read_text(encoding="utf-8")
    assert only_inserted(before, after)
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    table = raw_claims(baseline)["cli-added-shells"]
    assert table == {
        "id": "cli-added-shells",
        "statement": "North Korea has sent Russia millions of artillery shells.",
        "subject": "North Korea", "kind": "count", "event": "supplied", "counted": "shells",
        "low": 2000000, "high": 9999999, "qualifier": "approx", "unit": "shells",
        "as_of": "2025-01", "source": "watcher claims add", "subject_terms": ["Pyongyang"],
        "metric_terms": ["shells", "rounds"],
    }
    claim = load_baseline(baseline).get("cli-added-shells")
    assert claim is not None
    assert (claim.low, claim.high, claim.qualifier) == (2_000_000, 9_999_999, "approx")
    assert leftovers(baseline.parent) == []


def test_add_writes_to_an_explicit_baseline_and_defaults_units(tmp_path: Path,
                                                               config: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text("# my own story\n", encoding="utf-8")
    r = cli("claims", "add", "cli-ammo-share",
            "--statement", "Half the shells come from Pyongyang.", "--subject", "Russia",
            "--kind", "share", "--event", "supplied",
            "--counted", "shells", "--value", "50", "--baseline", str(other), config=config)
    assert r.code == 0, r.err
    text = other.read_text(encoding="utf-8")
    assert text.startswith("# my own story\n")
    table = raw_claims(other)["cli-ammo-share"]
    assert table["value"] == 50 and isinstance(table["value"], int)
    assert table["unit"] == "percent"
    assert load_baseline(other).get("cli-ammo-share") is not None


def test_duplicate_id_is_refused(config: Path, baseline: Path) -> None:
    before = baseline.read_bytes()
    existing = next(iter(raw_claims(baseline)))
    r = cli("claims", "add", existing, *ADD[3:], config=config)
    assert r.code == 2
    assert "already exists" in said(r.err) and existing in said(r.err)
    assert baseline.read_bytes() == before


@pytest.mark.parametrize("bad_id", ["Nk-Shells", "shells.v2", "nk_shells", "nk shells"])
def test_malformed_id_is_refused(config: Path, baseline: Path, bad_id: str) -> None:
    before = baseline.read_bytes()
    r = cli("claims", "add", bad_id, *ADD[3:], config=config)
    assert r.code == 2
    assert "not a valid claim id" in said(r.err)
    assert baseline.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (("--low", "5000", "--high", "100"), "exceed"),             # the loader refuses it
    (("--value", "nan"), "finite"),                             # caught before writing
    (("--value", "10", "--low", "5"), "not both"),              # a usage error
])
def test_bad_value_is_refused_and_the_file_unchanged(config: Path, baseline: Path,
                                                     args: tuple[str, ...],
                                                     message: str) -> None:
    before = baseline.read_bytes()
    r = cli("claims", "add", "nk-bad", "--statement", "A figure that cannot be.",
            "--subject", "North Korea", "--kind", "count", "--event", "killed",
            "--unit", "soldiers killed", *args, config=config)
    assert r.code == 2, r.err
    assert message in said(r.err)
    assert baseline.read_bytes() == before
    assert leftovers(baseline.parent) == []


def test_name_claim_refuses_a_number(config: Path, baseline: Path) -> None:
    before = baseline.read_bytes()
    r = cli("claims", "add", "nk-new-commander", "--statement", "A new commander.",
            "--subject", "North Korea", "--kind", "name", "--event", "commanded",
            "--value", "3", config=config)
    assert r.code == 2
    assert "value_text" in said(r.err) and "not added" in said(r.err)
    assert baseline.read_bytes() == before


def test_bad_event_word_is_a_usage_error(config: Path, baseline: Path) -> None:
    before = baseline.read_bytes()
    r = cli("claims", "add", "nk-x", "--statement", "x", "--subject", "North Korea",
            "--kind", "count", "--event", "killed or wounded", config=config)
    assert r.code == 2 and "--event" in said(r.err)
    assert baseline.read_bytes() == before


# --- candidates ---------------------------------------------------------------------------

CANDIDATES = [
    {"start": 27, "text": "more than 5,000 containers", "kind": "number", "value": None,
     "low": 5000.0, "high": None, "qualifier": "more_than", "unit": "containers",
     "subject": "North Korea", "event": None, "source": "the report", "sentence": SENTENCE},
    {"start": 400, "text": "60 percent", "kind": "percent", "value": 60.0, "low": 60.0,
     "high": 60.0, "qualifier": "approx", "unit": None, "subject": "Russia", "event": None,
     "source": None, "sentence": "About 60 percent of the shells Russia fires come from "
                                 "North Korea."},
]


def make_db(path: Path) -> list[int]:
    """A real database: one feed, two articles, candidates added through the store."""
    url = "https://news.example.org/feed.xml"
    pages = [("https://news.example.org/2025/03/munitions.html", "2025-03-14T08:00:00Z",
              CANDIDATES[0]),
             ("https://news.example.org/2025/04/shells.html", "2025-04-02T10:30:00Z",
              CANDIDATES[1])]
    ids: list[int] = []
    with Store(path) as store:
        feed_id = store.ensure_feeds([(url, "example")])[url].id
        for page, published, candidate in pages:
            article = NewArticle(url=page, link=page, final_url=page, page_canonical=None,
                                 title="Munitions", author=None, published=published,
                                 sitename=None, language="en", text=str(candidate["sentence"]),
                                 text_source="page", problem=None, html_z=None)
            entry = NewEntry(key=page, guid=page, link=page, title="Munitions",
                             published=published, summary="", author=None, article_url=page,
                             article=article)
            [article_id] = store.save_feed_update(FeedUpdate(
                feed_id=feed_id, status="ok", http_status=200, etag=None, last_modified=None,
                body_hash=None, entries=[entry]))
            with store.transaction():
                assert store.add_candidate({
                    **candidate, "article_id": article_id, "url": page, "title": "Munitions",
                    "feed": "example", "published": published,
                    "observed_at": "2025-04-03T00:00:00.000Z"})
        ids = [int(r["id"]) for r in store.candidates()]
    return ids


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "watcher.db"    # the config's [storage] path
    make_db(path)
    return path


def candidates_json(config: Path, *args: str) -> list[dict[str, Any]]:
    r = cli("candidates", "list", "--format", "json", *args, config=config)
    assert r.code == 0, r.err
    rows: list[dict[str, Any]] = json.loads(r.out)
    return rows


def test_candidates_list(config: Path, db: Path) -> None:
    rows = candidates_json(config)
    assert [r["text"] for r in rows] == ["60 percent", "more than 5,000 containers"]
    first = rows[1]
    assert first["low"] == 5000 and first["qualifier"] == "more_than"
    assert first["url"] == "https://news.example.org/2025/03/munitions.html"
    assert first["sentence"] == SENTENCE
    assert [r["text"] for r in candidates_json(config, "--since", "2025-04-01")] == \
        ["60 percent"]
    assert len(candidates_json(config, "--limit", "1")) == 1

    r = cli("candidates", "list", config=config)
    assert r.code == 0, r.err
    assert "more than 5,000 containers" in r.out
    assert "munitions.html" in r.out and "2025-03-14" in r.out
    assert "Rajin" not in r.out        # the sentence is shortened in the table
    assert "…" in r.out


def test_promote_creates_a_claim(config: Path, db: Path, baseline: Path) -> None:
    before = baseline.read_text(encoding="utf-8")
    rows = {r["text"]: r for r in candidates_json(config)}
    candidate = rows["more than 5,000 containers"]
    r = cli("candidates", "promote", str(candidate["id"]), "--id", "cli-munition-containers",
            "--subject", "North Korea", "--event", "supplied", "--counted", "shells",
            config=config)
    assert r.code == 0, r.err
    assert only_inserted(before, baseline.read_text(encoding="utf-8"))
    table = raw_claims(baseline)["cli-munition-containers"]
    assert table["kind"] == "count" and table["event"] == "supplied"
    assert table["counted"] == "shells"
    assert table["low"] == 5000 and table["qualifier"] == "more_than"
    assert "value" not in table and "high" not in table
    assert table["unit"] == "containers"
    assert table["source"] == "https://news.example.org/2025/03/munitions.html"
    assert table["as_of"] == "2025-03-14"
    assert table["statement"].startswith("North Korea has shipped more than 5,000")
    assert table["statement"].endswith("…") and len(table["statement"]) <= 200
    claim = load_baseline(baseline).get("cli-munition-containers")
    assert claim is not None and claim.low == 5000


def test_promote_a_percent_with_a_statement(config: Path, db: Path, baseline: Path) -> None:
    rows = {r["text"]: r for r in candidates_json(config)}
    r = cli("candidates", "promote", str(rows["60 percent"]["id"]), "--id", "cli-shell-share",
            "--subject", "Russia", "--event", "supplied", "--counted", "shells",
            "--statement", "Most of Russia's shells come from North Korea.", config=config)
    assert r.code == 0, r.err
    table = raw_claims(baseline)["cli-shell-share"]
    assert table["kind"] == "share" and table["unit"] == "percent"
    assert table["value"] == 60 and table["qualifier"] == "approx"
    assert table["statement"] == "Most of Russia's shells come from North Korea."
    assert table["as_of"] == "2025-04-02"


def test_promote_unknown_candidate_is_an_error(config: Path, db: Path,
                                               baseline: Path) -> None:
    before = baseline.read_bytes()
    r = cli("candidates", "promote", "999", "--id", "nk-nothing", "--subject", "North Korea",
            "--event", "supplied", config=config)
    assert r.code == 2
    assert "no candidate 999" in said(r.err)
    assert baseline.read_bytes() == before


def test_promote_to_an_existing_id_is_refused(config: Path, db: Path,
                                              baseline: Path) -> None:
    before = baseline.read_bytes()
    existing = next(iter(raw_claims(baseline)))
    candidate_id = candidates_json(config)[0]["id"]
    r = cli("candidates", "promote", str(candidate_id), "--id", existing,
            "--subject", "North Korea", "--event", "supplied", config=config)
    assert r.code == 2 and "already exists" in said(r.err)
    assert baseline.read_bytes() == before


@pytest.mark.parametrize("args", [
    ("candidates", "list"),
    ("candidates", "promote", "1", "--id", "nk-x", "--subject", "North Korea",
     "--event", "supplied"),
])
def test_missing_database_is_refused_not_created(tmp_path: Path, config: Path,
                                                 baseline: Path, args: tuple[str, ...]) -> None:
    before = baseline.read_bytes()
    missing = tmp_path / "nowhere" / "missing.db"
    r = cli("--db", str(missing), *args, config=config)
    assert r.code != 0
    assert "error:" in said(r.err) and "no database" in said(r.err)
    assert not missing.exists() and not missing.parent.exists()
    assert not (tmp_path / "watcher.db").exists()
    assert baseline.read_bytes() == before
