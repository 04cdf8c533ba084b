"""End to end: loopback feed -> article -> figures -> observations with the right status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watcher.sample_news import DEMO_STORIES
from watcher.sample_site import LoopbackSite, publish_demo

from .conftest import ROOT, cli, integrity, query, write_config

BASELINE = str(ROOT / "config" / "baseline.toml")


@pytest.fixture
def demo(site: LoopbackSite, tmp_path: Path) -> Path:
    urls = publish_demo(site)
    config = write_config(tmp_path, [{"url": u, "name": f"wire {i + 1}"}
                                     for i, u in enumerate(urls)], baseline=BASELINE)
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    assert "observations" in r.out
    return config


def history(config: Path, *args: str) -> list[dict[str, object]]:
    r = cli("history", "--format", "json", *args, config=config)
    assert r.code == 0, r.err
    rows: list[dict[str, object]] = json.loads(r.out)
    return rows


def test_each_story_yields_the_expected_status(demo: Path) -> None:
    rows = history(demo)
    got = {(str(r["claim"]), str(r["status"])) for r in rows}
    for story in DEMO_STORIES:
        for claim, status in story.expect:
            assert (claim, status) in got, f"{story.slug}: {claim} {status} not in {got}"
    # the distractor story (240mm, M1991, "1,000 homes in one week") matches nothing
    distractor = [r for r in rows if "unrelated-distractors" in str(r["url"])]
    assert distractor == []
    fields = {"claim", "value", "low", "high", "qualifier", "unit", "text", "sentence",
              "source", "url", "title", "feed", "published", "status"}
    assert fields <= set(rows[0])


def test_observation_carries_evidence_and_old_value(demo: Path) -> None:
    rows = history(demo, "--claim", "nk-casualties", "--status", "higher")
    assert len(rows) == 1
    row = rows[0]
    assert row["low"] == 4000 and row["qualifier"] == "more_than"
    assert "killed or wounded" in str(row["sentence"])
    assert row["prev_low"] == 3000
    assert str(row["url"]).endswith("/demo/seoul-raises-toll.html")
    assert row["feed"] in ("wire 1", "wire 2")
    assert str(row["published"]).startswith("2025-04-02")


def test_second_cycle_and_reprocess_change_nothing(demo: Path) -> None:
    db = demo.parent / "watcher.db"
    before = query(db, "SELECT claim_id, status, value_key FROM observations ORDER BY 1, 3")
    assert cli("run", "--once", config=demo).code == 0
    r = cli("reprocess", config=demo)
    assert r.code == 0, r.err
    r = cli("reprocess", config=demo)
    assert r.code == 0, r.err
    after = query(db, "SELECT claim_id, status, value_key FROM observations ORDER BY 1, 3")
    assert after == before
    assert integrity(db) == "ok"


def test_history_filters_and_claims_view(demo: Path) -> None:
    assert all(r["status"] in ("new", "higher", "lower", "changed")
               for r in history(demo, "--changes-only"))
    assert history(demo, "--since", "2025-04-10", "--until", "2025-04-12") != []
    assert all(str(r["published"]) >= "2025-04-10"
               for r in history(demo, "--since", "2025-04-10"))
    assert len(history(demo, "--limit", "2")) == 2
    r = cli("claims", "--format", "json", config=demo)
    assert r.code == 0, r.err
    claims = {c["id"]: c for c in json.loads(r.out)}
    assert claims["nk-casualties"]["observations"] >= 1
    assert claims["nk-ammo-share"]["latest_status"] == "lower"
    r = cli("history", "--format", "csv", config=demo)
    assert r.code == 0 and r.out.startswith("id,claim")
    r = cli("history", config=demo, env={"COLUMNS": "80"})
    assert r.code == 0 and all(len(line) <= 80 for line in r.out.splitlines())
