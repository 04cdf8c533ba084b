"""`watcher reprocess`: progress, resuming after an interrupt, one claim at a time.

The runs are stopped at chosen points by the test-only WATCHER_TEST_REPROCESS_STOP (the
process kills itself, or sends itself Ctrl-C, right after the K-th batch commits), so
no test waits on time.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watcher.claims import analyze, load_baseline
from watcher.reprocess import claim_search_words
from watcher.sample_news import DEMO_STORIES
from watcher.sample_site import (
    Item,
    LoopbackSite,
    generate_articles,
    publish,
    publish_demo,
    render_article_html,
    render_rss2,
)
from watcher.store import FeedUpdate, NewArticle, NewEntry, Store, search_query

from .conftest import ROOT, Result, cli, query, write_config

BASELINE = ROOT / "config" / "baseline.toml"
ONE_BY_ONE = {"WATCHER_TEST_REPROCESS_BATCH": "1"}
# the analysis engine's hash pinned: other work landing in the source between two runs
# of one test must not read as an upgrade that restarts the analysis
PINNED = {"WATCHER_TEST_REPROCESS_ENGINE": "tests"}
CLOCKS = frozenset(("observed_at", "updated_at", "last_alert"))
# row ids, and the columns that hold them: they depend on the order rows were inserted
# in, across claims
IDS = frozenset(("id", "prev_from", "corroborated_by", "observation_id", "alert_id"))
EVERYTHING: frozenset[str] = frozenset()
Rows = list[tuple[object, ...]]


@pytest.fixture
def demo(site: LoopbackSite, tmp_path: Path) -> Path:
    """The sample reporting plus unrelated articles (16 in all) after one cycle, with a
    copy of the baseline the test may edit."""
    urls = publish_demo(site) + publish(site, generate_articles(9), prefix="/other", feeds=1)
    baseline = tmp_path / "baseline.toml"
    shutil.copy(BASELINE, baseline)
    config = write_config(tmp_path, [{"url": u, "name": f"wire {i + 1}"}
                                     for i, u in enumerate(urls)], baseline=str(baseline))
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    return config


def reprocess(*args: str, config: Path, env: dict[str, str] | None = None) -> Result:
    return cli("reprocess", *args, config=config, env={**PINNED, **(env or {})})


def db_of(config: Path) -> Path:
    return config.parent / "watcher.db"


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy (the WAL included), as `watcher db backup` makes."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def rows(db: Path, table: str, *, skip: frozenset[str] = CLOCKS, where: str = "") -> Rows:
    """A table's rows, without the columns in ``skip``, in a stable order."""
    cols = [r[1] for r in query(db, f"PRAGMA table_info({table})") if r[1] not in skip]
    order = ", ".join(f'"{c}"' for c in cols)
    return query(db, f"SELECT {order} FROM {table} {where} ORDER BY {order}")


def state(db: Path, skip: frozenset[str] = CLOCKS) -> dict[str, Rows]:
    """Everything reprocess rebuilds (by default without clock times)."""
    return {t: rows(db, t, skip=skip) for t in
            ("observations", "candidates", "claim_state", "claim_stats", "claim_sources")}


def reference(config: Path, tmp_path: Path, skip: frozenset[str] = CLOCKS
              ) -> dict[str, Rows]:
    """The result of one uninterrupted reprocess, run on a copy of the database."""
    ref = copy_db(db_of(config), tmp_path / "reference.db")
    r = reprocess("--db", str(ref), config=config)
    assert r.code == 0, r.err
    return state(ref, skip)


# --- progress and output ------------------------------------------------------------------

def test_progress_goes_to_stderr_and_the_summary_to_stdout(demo: Path) -> None:
    r = reprocess("--progress", config=demo)
    assert r.code == 0, r.err
    assert r.out.count("\n") == 1 and r.out.startswith("reprocessed 16 article(s): ")
    assert "analysing: 16/16 articles (100%)" in r.err and "ETA" in r.err
    assert "recording:" in r.err
    for quiet in (("--no-progress",), ()):         # the default into a pipe: quiet
        r = reprocess(*quiet, config=demo)
        assert r.code == 0 and r.err == "" and r.out.startswith("reprocessed 16 article(s)")


def test_reprocess_in_batches_twice_gives_the_very_same_rows(demo: Path) -> None:
    """Ids included: the Atom feed's entry ids must not change from one replay to the
    next, however the articles were batched."""
    db = db_of(demo)
    what = "SELECT claim_id, article_id, value_key, status FROM observations ORDER BY 1, 2, 3"
    live = query(db, what)
    counts = [rows(db, "claim_stats"), rows(db, "claim_sources")]
    r = reprocess(config=demo, env=ONE_BY_ONE)
    assert r.code == 0, r.err
    first = state(db)
    # what the live path recorded, and its per-claim counts (kept row by row there,
    # rebuilt at once here)
    assert first["observations"] and query(db, what) == live
    assert [rows(db, "claim_stats"), rows(db, "claim_sources")] == counts
    r = reprocess(config=demo)
    assert r.code == 0, r.err
    assert state(db) == first
    assert query(db, "SELECT count(*) FROM reprocess_runs") == [(0,)]
    assert query(db, "SELECT count(*) FROM reprocess_findings") == [(0,)]


# --- interrupted runs ----------------------------------------------------------------------

def test_killed_midway_changes_nothing_and_resumes_to_the_same_result(
        demo: Path, tmp_path: Path) -> None:
    db = db_of(demo)
    expected = reference(demo, tmp_path)
    before = state(db, EVERYTHING)
    r = reprocess(config=demo, env={**ONE_BY_ONE, "WATCHER_TEST_REPROCESS_STOP": "5"})
    assert r.code == -9, (r.code, r.err)                  # SIGKILL, after 5 batches
    assert state(db, EVERYTHING) == before                # observations untouched
    assert query(db, "SELECT scope, analysed, done_upto > 0 FROM reprocess_runs") == [
        ("*", 5, 1)]
    r = reprocess(config=demo, env=ONE_BY_ONE)
    assert r.code == 0, r.err
    assert "resuming: 5 of 16 articles already analysed" in r.err
    assert r.out.startswith("reprocessed 16 article(s)")
    assert state(db) == expected
    assert query(db, "SELECT count(*) FROM reprocess_runs") == [(0,)]


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(demo: Path, tmp_path: Path) -> None:
    db = db_of(demo)
    expected = reference(demo, tmp_path)
    before = state(db, EVERYTHING)
    r = reprocess(config=demo, env={**ONE_BY_ONE, "WATCHER_TEST_REPROCESS_STOP": "3:INT"})
    assert r.code == 130, (r.code, r.err)
    assert "interrupted: observations are unchanged" in r.err
    assert "Traceback" not in r.err
    assert r.out == ""
    assert state(db, EVERYTHING) == before
    done = query(db, "SELECT analysed FROM reprocess_runs")[0][0]
    assert 3 <= done < 16           # batches already in the pool may still commit
    r = reprocess(config=demo, env=ONE_BY_ONE)
    assert r.code == 0, r.err
    assert f"resuming: {done} of 16 articles already analysed" in r.err
    assert state(db) == expected


def test_killed_while_recording_leaves_observations_whole(demo: Path, tmp_path: Path) -> None:
    db = db_of(demo)
    expected = reference(demo, tmp_path)
    before = state(db, EVERYTHING)
    r = reprocess(config=demo, env={"WATCHER_TEST_REPROCESS_STOP": "record"})
    assert r.code == -9, (r.code, r.err)
    assert state(db, EVERYTHING) == before    # the recording transaction never committed
    r = reprocess(config=demo)
    assert r.code == 0, r.err
    assert "resuming: 16 of 16 articles already analysed" in r.err
    assert state(db) == expected


def test_articles_stored_meanwhile_are_neither_lost_nor_counted_twice(
        demo: Path, site: LoopbackSite, tmp_path: Path) -> None:
    db = db_of(demo)
    r = reprocess(config=demo, env={**ONE_BY_ONE, "WATCHER_TEST_REPROCESS_STOP": "4"})
    assert r.code == -9
    # the daemon stores more articles (with their live observations) before the resume
    url = site.add("/late.xml", _late_feed(site))
    config = demo
    config.write_text(config.read_text() + f'[[feeds]]\nurl = "{url}"\nname = "late"\n')
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    total = query(db, "SELECT count(*) FROM articles")[0][0]
    assert total == 17
    expected = reference(config, tmp_path)
    r = reprocess(config=config, env=ONE_BY_ONE)
    assert r.code == 0, r.err
    assert "resuming: 4 of 17 articles already analysed" in r.err
    assert r.out.startswith("reprocessed 17 article(s)")
    assert state(db) == expected


def _late_feed(site: LoopbackSite) -> bytes:
    link = site.add("/late.html", render_article_html(
        "Kyiv gives a new toll",
        ["Officials in Kyiv said on Tuesday that more than 5,000 North Korean soldiers "
         "have been killed or wounded in the Kursk region since the autumn, citing the "
         "intelligence service."]), content_type="text/html")
    return render_rss2("Late wire", site.base, [
        Item("Kyiv gives a new toll", link, guid="late-1",
             published=datetime(2025, 3, 20, tzinfo=UTC))])


def test_a_changed_baseline_starts_the_analysis_again(demo: Path) -> None:
    r = reprocess(config=demo, env={**ONE_BY_ONE, "WATCHER_TEST_REPROCESS_STOP": "2"})
    assert r.code == -9
    baseline = demo.parent / "baseline.toml"
    baseline.write_text(baseline.read_text() + "\n# edited\n")
    r = reprocess(config=demo)
    assert r.code == 0, r.err
    assert "changed since an unfinished reprocess: starting again" in r.err
    assert "resuming" not in r.err


def test_another_analysis_engine_starts_the_analysis_again(demo: Path) -> None:
    r = reprocess(config=demo, env={**ONE_BY_ONE, "WATCHER_TEST_REPROCESS_STOP": "2"})
    assert r.code == -9
    r = reprocess(config=demo, env={"WATCHER_TEST_REPROCESS_ENGINE": "upgraded"})
    assert r.code == 0, r.err
    assert "starting again" in r.err and "resuming" not in r.err


# --- one claim ----------------------------------------------------------------------------

def test_one_claim_is_rebuilt_from_its_articles_and_the_rest_is_untouched(
        demo: Path, tmp_path: Path) -> None:
    db = db_of(demo)
    baseline = demo.parent / "baseline.toml"
    text = baseline.read_text()
    old = 'low = 3000\nqualifier = "more_than"\nunit = "soldiers killed or wounded"'
    assert text.count(old) == 1
    baseline.write_text(text.replace(old, old.replace("3000", "5000")))
    expected = reference(demo, tmp_path, CLOCKS | IDS)    # every claim, edited baseline
    others = "WHERE claim_id != 'nk-casualties'"
    before = {t: rows(db, t, where=others) for t in
              ("observations", "claim_state", "claim_stats", "claim_sources")}
    statuses = query(db, "SELECT status FROM observations WHERE claim_id = 'nk-casualties'")
    r = reprocess("--claim", "nk-casualties", "--progress", config=demo)
    assert r.code == 0, r.err
    assert r.out.startswith("reprocessed ") and "of 16 article(s) for claim nk-casualties" \
        in r.out
    analysed = int(r.out.split()[1])
    assert 0 < analysed < 16                       # only the articles that can state it
    assert f"analysing: {analysed}/{analysed} articles" in r.err
    # other claims' rows are the very same rows, ids included
    assert {t: rows(db, t, where=others) for t in before} == before
    # and the claim's own are what a full reprocess gives
    assert state(db, CLOCKS | IDS) == expected
    assert query(db, "SELECT status FROM observations WHERE claim_id = 'nk-casualties'"
                 ) != statuses


def test_an_unknown_claim_is_refused(demo: Path) -> None:
    before = state(db_of(demo), EVERYTHING)
    r = reprocess("--claim", "nk-casualtes", config=demo)
    assert r.code == 2
    assert "no claim 'nk-casualtes' in the baseline; did you mean nk-casualties" in r.err
    assert r.out == ""
    assert state(db_of(demo), EVERYTHING) == before


def test_a_claim_without_searchable_words_falls_back_to_every_article(demo: Path) -> None:
    baseline = demo.parent / "baseline.toml"
    baseline.write_text(baseline.read_text() + """
[[claims]]
id = "nk-retreat"
statement = "The units retreated."
subject = "Nobody Named"
metric = "retreat"
event = "retreat"
kind = "date"
patterns = ["retrea\\\\w*"]
unit = "date"
source = "test"
""")
    r = reprocess("--claim", "nk-retreat", config=demo)
    assert r.code == 0, r.err
    assert "claim nk-retreat has no words the search index can find: analysing every " \
           "article" in r.err
    assert r.out.startswith("reprocessed 16 of 16 article(s) for claim nk-retreat")


def test_claim_words_find_every_text_that_states_the_claim(tmp_path: Path) -> None:
    """The search words are only a prefilter: every text that analysis finds a claim
    in must be among the articles the index returns for that claim."""
    baseline = load_baseline(BASELINE)
    texts: list[tuple[str, str]] = []
    for name in ("claims_dev.jsonl", "claims_holdout.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text().splitlines():
            row = json.loads(line)
            texts.append((row["text"], row.get("lang", "en")))
    texts += [("\n\n".join(s.paragraphs), "en") for s in DEMO_STORIES]
    with Store(tmp_path / "words.db") as store:
        feed = store.ensure_feeds([("http://example.org/feed", "f")])["http://example.org/feed"]
        store.save_feed_update(FeedUpdate(feed.id, "ok", 200, None, None, None, entries=[
            NewEntry(str(i), None, None, "", None, "", None, f"http://example.org/{i}",
                     NewArticle(f"http://example.org/{i}", f"http://example.org/{i}", None,
                                None, None, None, "2025-03-01", None, lang, text, "page",
                                None, None))
            for i, (text, lang) in enumerate(texts)]))
        ids = {r["url"]: r["id"] for r in store.db.query("SELECT id, url FROM articles")}
        searched = 0
        for claim in baseline.claims:
            words = claim_search_words(baseline, claim)
            if not words:
                continue
            found = {r["id"] for r in store.reprocess_articles(
                0, -1, search_query(words), claim.id)}
            need = {ids[f"http://example.org/{i}"] for i, (text, lang) in enumerate(texts)
                    if any(f.claim == claim.id for f in analyze(
                        text, baseline, lang=lang, published="2025-03-01"))}
            assert need <= found, (claim.id, len(need - found))
            searched += bool(found) and len(found) < len(texts)
    assert searched >= 10       # most claims narrow the articles down


def test_a_text_that_never_names_the_story_is_not_read_for_figures() -> None:
    """Recording keeps only claim figures and on-topic candidates: a text that names
    nothing of the story has neither, so the worker skips reading its figures. A text
    that does name it gets the full analysis."""
    from watcher.analysis import analyse_task, is_candidate
    from watcher.claims import names_the_story

    baseline = load_baseline(BASELINE)
    off = ("The harbour board approved 3.2 million euros for repairs, and 1,200 workers "
           "will be hired by June, up 12% on last year.")
    assert not names_the_story(off, baseline)
    assert analyze(off, baseline)                       # it does hold figures
    assert not any(f.claim or is_candidate(f) for f in analyze(off, baseline))
    assert analyse_task(off, "en", None, str(BASELINE)) == []
    on = ("About 11,000 North Korean soldiers were sent to Russia's Kursk region, "
          "officials in Seoul said.")
    assert names_the_story(on, baseline)
    found = analyse_task(on, "en", None, str(BASELINE))
    assert found == analyze(on, baseline) and any(f.claim for f in found)
