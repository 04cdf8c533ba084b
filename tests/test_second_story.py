"""A different story, followed from its baseline file alone: no code names it.

The example baseline (config/examples/earthquake.toml) follows a made-up earthquake. These
tests read articles about it through the real pipeline and the real CLI, in four
languages, and check that the shipped story's words play no part.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli, query, write_config
from watcher.claims import analyze, load_baseline
from watcher.sample_site import Item, LoopbackSite, render_article_html, render_rss2

QUAKE = ROOT / "config" / "examples" / "earthquake.toml"


@pytest.fixture(scope="module")
def quake():  # type: ignore[no-untyped-def]
    return load_baseline(QUAKE)


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Officials in Varnia said the earthquake has killed at least 1,450 people and "
     "injured more than 5,000.", "en",
     [("quake-deaths", 1450.0, None), ("quake-injured", 5000.0, None)]),
    ("Some 95,000 residents of Ostrel have been displaced, the regional governor said.",
     "en", [("quake-displaced", 95000.0, 95000.0)]),
    ("Around 400 people are still missing after the quake, rescuers in Kaldun said.",
     "en", [("quake-missing", 400.0, 400.0)]),
    ("In Varnia, teams have rescued 210 people from the rubble since Monday.", "en",
     [("quake-rescued", 210.0, 210.0)]),
    ("Das Erdbeben in Varnia hat 1.600 Menschen getötet.", "de",
     [("quake-deaths", 1600.0, 1600.0)]),
    ("El terremoto en Varnia dejó 1.700 muertos.", "es",
     [("quake-deaths", 1700.0, 1700.0)]),
    ("Le séisme a fait 1 800 morts dans la province de Varnia.", "fr",
     [("quake-deaths", 1800.0, 1800.0)]),
])
def test_quake_figures_match_their_claims(quake, text: str, lang: str,  # type: ignore[no-untyped-def]
                                          expected: list[tuple[str, float, float | None]]
                                          ) -> None:
    got = [(f.claim, f.figure.low, f.figure.high) for f in analyze(text, quake, lang=lang)
           if f.claim]
    assert got == expected


@pytest.mark.parametrize("text", [
    "A dealer in Varnia sold 1,500 cars last month.",                  # no toll at all
    "Pyongyang sent 11,000 soldiers to Kursk, officials said.",         # another story
    "In Varnia, 30 people were killed in a single landslide on the coast road.",  # a part
])
def test_quake_baseline_ignores_what_it_does_not_follow(quake, text: str  # type: ignore[no-untyped-def]
                                                         ) -> None:
    assert [f.claim for f in analyze(text, quake) if f.claim] == []


def test_shipped_story_words_do_not_leak_into_another_baseline(quake) -> None:  # type: ignore[no-untyped-def]
    # "North Korean troops" is the shipped story's subject; here it is nobody's
    text = "North Korean troops killed 300 people in the attack, Varnia's governor said."
    assert all(f.subject != "North Korea" for f in analyze(text, quake))


def test_quake_story_end_to_end_through_feeds(tmp_path: Path) -> None:
    """A feed about the quake, one cycle, then the change history from the real CLI."""
    with LoopbackSite() as site:
        page = render_article_html("Quake toll rises", [
            "Rescue teams kept digging through the night in Varnia.",
            "Officials in Ostrel said the earthquake has killed at least 1,450 people.",
            "Around 400 people are still missing, the regional governor said.",
        ])
        link = site.add("/quake.html", page, content_type="text/html")
        feed = site.add("/quake.xml", render_rss2("Quake desk", site.base, [
            Item("Quake toll rises", link, published=datetime(2026, 3, 4, tzinfo=UTC))]))
        config = write_config(tmp_path, [{"url": feed, "name": "quake"}],
                              baseline=str(QUAKE))
        r = cli("run", "--once", config=config)
        assert r.code == 0, r.err
        db = tmp_path / "watcher.db"
        claims = {c for (c,) in query(db, "SELECT claim_id FROM observations")}
        assert claims == {"quake-deaths", "quake-missing"}
        h = cli("history", "--format", "json", config=config)
        assert h.code == 0, h.err
        rows = json.loads(h.out)
        deaths = [x for x in rows if x["claim"] == "quake-deaths"]
        assert deaths and deaths[0]["low"] == 1450


def test_no_python_module_names_the_shipped_story() -> None:
    """The story lives in config and data: the check the issue gives, as a test."""
    import re

    pkg = Path(__file__).parent.parent / "src" / "watcher"
    story = re.compile("korea|pyongyang|kursk|dprk", re.IGNORECASE)
    named = [str(p.relative_to(pkg)) for p in pkg.rglob("*.py")
             if not p.name.startswith("sample_") and story.search(p.read_text("utf-8"))]
    assert named == []
