"""Baseline loading and figure-to-claim matching (watcher.claims)."""

from __future__ import annotations

import importlib.util
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

import watcher.claims as claims_mod
from watcher.claims import Baseline, Claim, Finding, analyze, load_baseline
from watcher.errors import ConfigError
from watcher.figures import Figure

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "config" / "baseline.toml"
DEV = ROOT / "tests" / "data" / "claims_dev.jsonl"

REQUIRED_IDS = (
    "nk-troops-deployed", "nk-casualties", "nk-killed", "nk-wounded", "nk-casualty-share",
    "nk-additional-troops", "nk-captured", "russia-daily-losses", "nk-ammo-share",
    "nk-factories", "nk-shells-supplied", "nk-commander", "nk-withdrawal",
    "shoigu-pyongyang-visit",
)



def matched(text: str, baseline: Baseline, **kw: Any) -> list[Finding]:
    return [f for f in analyze(text, baseline, **kw) if f.claim is not None]


# --------------------------------------------------------------------------- baseline file


def test_baseline_has_every_required_claim(baseline: Baseline) -> None:
    ids = [c.id for c in baseline.claims]
    for cid in REQUIRED_IDS:
        assert cid in ids
    assert len(ids) == len(set(ids))
    assert baseline.path == BASELINE


@pytest.mark.parametrize(("cid", "expect"), [
    ("nk-troops-deployed", {"low": 11000.0, "high": 13000.0, "value": None}),
    ("nk-casualties", {"low": 3000.0, "high": None, "qualifier": "more_than"}),
    ("nk-casualty-share", {"value": 25.0, "qualifier": "approx", "kind": "share"}),
    ("russia-daily-losses", {"value": 2000.0, "per": "day"}),
    ("nk-ammo-share", {"value": 60.0, "attributed_to": "The Wall Street Journal"}),
    ("nk-factories", {"high": 200.0, "low": None, "qualifier": "at_most"}),
    ("nk-commander", {"value_text": "Kim Yong Bok", "kind": "name"}),
    ("nk-withdrawal", {"value_text": "2025-01", "kind": "date"}),
    ("shoigu-pyongyang-visit", {"value_text": "2025-03-22", "as_of": "2025-03-22"}),
    ("nk-additional-troops", {"value": None, "low": None, "high": None}),
    ("nk-captured", {"value": None, "low": None, "high": None}),
])
def test_baseline_values(baseline: Baseline, cid: str, expect: dict[str, Any]) -> None:
    c = baseline.get(cid)
    assert c is not None
    for key, val in expect.items():
        assert getattr(c, key) == val, key


def test_two_seed_troop_figures_both_kept(baseline: Baseline) -> None:
    c = baseline.get("nk-troops-deployed")
    assert c is not None
    spans = {(v.low, v.high) for v in c.all_values()}
    assert spans == {(11000.0, 13000.0), (10000.0, 12000.0)}
    assert not baseline.get("nk-captured").has_value  # type: ignore[union-attr]
    assert baseline.get("no-such-claim") is None


GOOD = '''
[[claims]]
id = "x-one"
statement = "s"
subject = "North Korea"
metric = "killed"
kind = "count"
unit = "soldiers"
source = "seed.txt"
'''


@pytest.mark.parametrize(("extra", "key", "words"), [
    ('value = "3000"\n', "claims[0].value", "must be a number"),
    ('value = true\n', "claims[0].value", "must be a number"),
    ('colour = "red"\n', "claims[0].colour", "unknown key"),
    ('qualifier = "lots"\n', "claims[0].qualifier", "must be one of"),
    ('qualifier = "more_than"\n', "claims[0].low", "needs low"),
    ('low = 5\nhigh = 3\n', "claims[0].low", "must not exceed"),
    ('low = 5\n', "claims[0].low", "needs both"),
    ('subject_terms = "DPRK"\n', "claims[0].subject_terms", "list of non-empty strings"),
    ('as_of = "last spring"\n', "claims[0].as_of", "ISO date"),
    ('first_until = "2024"\n', "claims[0].first_until", "a month, YYYY-MM"),
    ('first_until = "end of 2024"\n', "claims[0].first_until", "ISO date"),
    ('date_of = "x-one"\n', "claims[0].date_of", "only a date claim"),
    ('per = "fortnight"\n', "claims[0].per", "must be one of"),
    ('value_text = "Kim"\n', "claims[0].value_text", "takes numbers"),
    ('values = [{ value = 1, colour = "x" }]\n', "claims[0].values[0].colour", "unknown key"),
    ('values = [{ note = "x" }]\n', "claims[0].values[0]", "needs a value"),
])
def test_baseline_errors_name_file_and_key(tmp_path: Path, extra: str, key: str,
                                           words: str) -> None:
    p = tmp_path / "baseline.toml"
    p.write_text(GOOD + extra, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_baseline(p)
    assert ei.value.key == key
    assert ei.value.path == str(p)
    assert words in str(ei.value)
    assert str(p) in str(ei.value)


@pytest.mark.parametrize(("text", "key", "words"), [
    (GOOD + GOOD, "claims[1].id", "duplicate id"),
    (GOOD.replace('kind = "count"', 'kind = "vibe"'), "claims[0].kind", "must be one of"),
    (GOOD.replace('metric = "killed"', 'metric = "mood"'), "claims[0].event", "is required"),
    (GOOD.replace('metric = "killed"', 'event = "mood"'), "claims[0].event", "must be one of"),
    (GOOD.replace('metric = "killed"', 'event = "killed"\nscope = "partial"'),
     "claims[0].scope", "must be one of"),
    (GOOD + 'range = [10, 1]\n', "claims[0].range", "low <= high"),
    (GOOD.replace('metric = "killed"', 'event = "killed"\npatterns = ["(unclosed"]'),
     "claims[0].patterns", "not a valid pattern"),
    ("[[actors]]\naliases = [\"x\"]\n", "actors[0].name", "is required"),
    ("[story]\nplaces = \"Kursk\"\n", "story.places", "list of non-empty strings"),
    (GOOD.replace('id = "x-one"', 'id = "X One"'), "claims[0].id", "lower-case"),
    (GOOD.replace('unit = "soldiers"\n', ""), "claims[0].unit", "is required"),
    ("[meta]\nname = 1\n", "meta", "unknown key"),
    ("claims = 3\n", "claims", "array of tables"),
    (GOOD.replace('metric = "killed"\nkind = "count"', 'metric = "visit"\nkind = "date"')
     + 'value_text = "March"\n', "claims[0].value_text", "ISO date"),
    (GOOD.replace('metric = "killed"\nkind = "count"', 'metric = "commander"\nkind = "name"')
     + "value = 3\n", "claims[0].value", "takes value_text"),
    (GOOD.replace('metric = "killed"\nkind = "count"', 'metric = "visit"\nkind = "date"')
     + 'patterns = ["met"]\ndate_of = "nope"\n', "claims[0].date_of",
     "not the id of a count claim"),
])
def test_baseline_structure_errors(tmp_path: Path, text: str, key: str, words: str) -> None:
    p = tmp_path / "b.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_baseline(p)
    assert ei.value.key == key
    assert words in ei.value.detail


def test_baseline_unreadable_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_baseline(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[claims]\nid = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML") as ei:
        load_baseline(bad)
    assert ei.value.key is None
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_baseline(binary)


def test_good_minimal_baseline(tmp_path: Path) -> None:
    p = tmp_path / "ok.toml"
    p.write_text(GOOD + "value = 600\nqualifier = \"approx\"\n", encoding="utf-8")
    b = load_baseline(p)
    c = b.claims[0]
    assert isinstance(c, Claim)
    assert (c.value, c.low, c.high) == (600.0, 600.0, 600.0)


# --------------------------------------------------------------------------- matching

POSITIVE = [
    # (text, claim, value, low, high, qualifier) ; None = not checked
    ("More than 3,000 North Korean soldiers have been killed or wounded in Kursk, "
     "Zelenskyy said.", "nk-casualties", None, 3000, None, "more_than"),
    ("North Korea's casualties have climbed to about 4,000, Seoul said.",
     "nk-casualties", 4000, 4000, 4000, "approx"),
    ("Ukraine says North Korean losses now stand at 3,800 killed and wounded.",
     "nk-casualties", 3800, None, None, None),
    ("As many as 4,000 North Korean troops may have been killed or injured.",
     "nk-casualties", None, None, 4000, "at_most"),
    ("About 600 North Korean troops have been killed, the NIS said.",
     "nk-killed", 600, 600, 600, "approx"),
    ("The North Korean death toll is now more than 1,000, officials in Kyiv said.",
     "nk-killed", None, 1000, None, "more_than"),
    ("Pyongyang has suffered roughly 3,000 fatalities, Kyiv says.",
     "nk-killed", 3000, None, None, None),
    ("Around 2,700 North Korean soldiers have been injured, according to Seoul.",
     "nk-wounded", 2700, None, None, None),
    ("Between 11,000 and 13,000 North Korean soldiers were deployed to the Kursk region.",
     "nk-troops-deployed", None, 11000, 13000, None),
    ("Pyongyang has sent roughly 11,000 soldiers to help Moscow, the Pentagon said.",
     "nk-troops-deployed", 11000, None, None, "approx"),
    ("A 12,000-strong North Korean force is training in eastern Russia.",
     "nk-troops-deployed", 12000, None, None, None),
    ("North Korea is preparing to send an additional 30,000 troops to Russia.",
     "nk-additional-troops", 30000, None, None, None),
    ("Pyongyang sent at least 1,500 more soldiers to Russia in January, the NIS said.",
     "nk-additional-troops", None, 1500, None, "at_least"),
    ("Ukrainian forces have captured two North Korean soldiers, Zelenskyy said.",
     "nk-captured", 2, None, None, None),
    ("Kyiv says it is holding two North Korean prisoners of war.",
     "nk-captured", 2, None, None, None),
    ("Russia is losing about 1,500 soldiers a day along the front, Kyiv's commander said.",
     "russia-daily-losses", 1500, None, None, "approx"),
    ("Russian forces lose roughly 2,000 troops every day across the whole front.",
     "russia-daily-losses", 2000, None, None, "approx"),
    ("Those losses amount to roughly a quarter of the force Pyongyang sent to Russia.",
     "nk-casualty-share", 25, None, None, "approx"),
    ("About 30% of the North Korean contingent has been killed or wounded.",
     "nk-casualty-share", 30, None, None, "approx"),
    ("About 60% of the ammunition Russia moves by rail now comes from North Korea.",
     "nk-ammo-share", 60, None, None, "approx"),
    ("Up to 200 North Korean factories could be turned over to Russia's war needs.",
     "nk-factories", None, None, 200, "at_most"),
    ("North Korea has supplied more than 9 million artillery rounds to Russia.",
     "nk-shells-supplied", None, 9_000_000, None, "more_than"),
    ("Seoul estimates North Korea has sent Russia about 5 million shells since 2023.",
     "nk-shells-supplied", 5_000_000, None, None, "approx"),
]


@pytest.mark.parametrize(("text", "cid", "value", "low", "high", "qualifier"), POSITIVE)
def test_claim_matched(baseline: Baseline, text: str, cid: str, value: float | None,
                       low: float | None, high: float | None, qualifier: str | None) -> None:
    found = matched(text, baseline)
    assert [f.claim for f in found] == [cid], [f.to_dict() for f in found]
    fig = found[0].figure
    if value is not None:
        assert fig.value == pytest.approx(value) or fig.low == pytest.approx(value)
    if low is not None:
        assert fig.low == pytest.approx(low)
    if high is not None:
        assert fig.high == pytest.approx(high)
    if qualifier is not None:
        assert fig.qualifier == qualifier
    assert found[0].on_topic
    assert found[0].subject in ("North Korea", "Russia")


DISTRACTORS = [
    "Some 50,000 Russian and North Korean soldiers are taking part in the push on Kursk.",
    "North Korea's 1.2 million-strong army is one of the largest in the world.",
    "The M1991 launcher fires 240mm rockets and can reach Seoul from the border.",
    "North Korean units lost 1,000 men in one week during the assaults, a commander said.",
    "Around 200 North Korean soldiers were killed in a single day of fighting.",
    "Russia has massed about 50,000 troops for the counteroffensive in Kursk.",
    "Some 600,000 Russian troops are now deployed inside Ukraine, according to Kyiv.",
    "Ukraine has lost about 500 soldiers in the Kursk operation, a Russian blogger claimed.",
    "Russia says it has killed 38,000 Ukrainian troops in Kursk since August.",
    "Kyiv has captured about 900 Russian soldiers in the Kursk region.",
    "About 10,000 North Korean workers are expected at Russian building sites this year.",
    "The KN-23 missile has a range of about 690 kilometres.",
    "Kim Jong Un, 41, has ruled North Korea since 2011.",
    "North Korea fired 10 ballistic missiles into the sea on Friday, Seoul said.",
    "The North Korean army has about 200,000 special forces troops, a white paper says.",
    "Russia has lost more than 800,000 soldiers killed or wounded since February 2022.",
    "North Korea spends about a quarter of its GDP on the military, U.S. estimates say.",
    "North Korean soldiers account for roughly 20% of the forces Russia has in Kursk.",
    "Three Ukrainian soldiers were wounded in the clash, the brigade said.",
    "Over three days, about 500 North Korean troops were killed or wounded near a village.",
    "South Korea keeps roughly 500,000 active-duty troops on the peninsula.",
    "Some 100,000 North Koreans work abroad, earning hard currency for the regime.",
    "About 2,000 North Korean soldiers took part in a military parade in Pyongyang.",
    "Officials said 12 North Korean soldiers were killed in a drone strike overnight.",
    "Kyiv says 200 North Korean soldiers have been taken prisoner or killed this month.",
    "Ukraine said it had eliminated around 300 North Korean soldiers over the weekend.",
    "Seoul says 70% of North Korea's munitions factories are working for Russia.",
]


@pytest.mark.parametrize("text", DISTRACTORS)
def test_distractor_not_matched(baseline: Baseline, text: str) -> None:
    assert matched(text, baseline) == []


def test_killed_is_never_a_casualty_revision(baseline: Baseline) -> None:
    found = matched("About 600 North Korean soldiers killed, the agency said.", baseline)
    assert [f.claim for f in found] == ["nk-killed"]
    assert found[0].event == "killed"


def test_mixed_sentence_keeps_figures_apart(baseline: Baseline) -> None:
    text = ("Of the 11,000 troops North Korea sent, about 300 were killed and another "
            "2,700 wounded, while Russia is losing about 1,500 soldiers daily.")
    got = [(f.claim, f.figure.value) for f in matched(text, baseline)]
    assert got == [("nk-troops-deployed", 11000.0), ("nk-killed", 300.0),
                   ("nk-wounded", 2700.0), ("russia-daily-losses", 1500.0)]


def test_period_figure_is_flagged(baseline: Baseline) -> None:
    f = next(f for f in analyze("North Korean units lost 1,000 men in one week.", baseline)
             if f.figure.value == 1000)
    assert f.per_period and f.claim is None
    assert f.period is not None and "week" in f.period


def test_unmatched_on_topic_figure_is_kept(baseline: Baseline) -> None:
    found = analyze("North Korean crews fired 40 rockets at the town.", baseline)
    assert any(f.figure.value == 40 and f.claim is None and f.on_topic for f in found)


def test_previous_sentence_gives_the_subject(baseline: Baseline) -> None:
    text = ("The North Korean deployment is larger than first thought. "
            "It numbers about 14,000 soldiers, according to Seoul.")
    found = matched(text, baseline)
    assert [(f.claim, f.figure.value) for f in found] == [("nk-troops-deployed", 14000.0)]


# --------------------------------------------------------------------------- context

@pytest.mark.parametrize(("text", "source"), [
    ("More than 3,000 North Korean soldiers have been killed or wounded, Ukrainian "
     "President Volodymyr Zelenskyy said.", "Ukrainian President Volodymyr Zelenskyy"),
    ("The Wall Street Journal reports that 60% of the ammunition moved by rail comes from "
     "North Korea.", "The Wall Street Journal"),
    ("About 600 North Korean troops have been killed, according to South Korea's National "
     "Intelligence Service.", "South Korea's National Intelligence Service"),
    ("Kim Jong Un plans to send another 30,000 troops, Seoul's spy agency said.",
     "Seoul's spy agency"),
    ("Pentagon officials estimate that 11,000 North Korean troops are in Kursk.",
     "Pentagon officials"),
])
def test_attribution(baseline: Baseline, text: str, source: str) -> None:
    found = matched(text, baseline)
    assert found and found[0].source == source


def test_time_anchor_and_refers_to(baseline: Baseline) -> None:
    f = matched("By late December, at least 1,100 North Korean soldiers had been killed or "
                "wounded, Seoul said.", baseline, published="2025-01-14")[0]
    assert f.period is not None and "December" in f.period
    assert f.refers_to == "2024-12"
    assert not f.restated


@pytest.mark.parametrize(("text", "published", "restated"), [
    ("In January the NIS put North Korean casualties at 3,000, but on Thursday it raised "
     "the estimate to 4,700.", "2025-02-27", [True, False]),
    ("The tally of North Korean killed and wounded rose from 3,000 to 4,000, lawmakers said.",
     None, [True, False]),
    ("The agency had earlier estimated that about 300 North Korean soldiers had been killed.",
     None, [True]),
    ("At the time, Kyiv said some 3,000 North Korean troops had been killed or wounded.",
     None, [True]),
    ("Seoul now says roughly 4,700 North Koreans have been killed or wounded, up from 3,000 "
     "in its previous estimate.", None, [False, True]),
    ("About 4,000 North Korean soldiers have been killed or wounded, Kyiv said.", None,
     [False]),
])
def test_restated(baseline: Baseline, text: str, published: str | None,
                  restated: list[bool]) -> None:
    found = matched(text, baseline, published=published)
    assert [f.claim for f in found] == ["nk-casualties"] * len(restated) or \
        [f.claim for f in found] == ["nk-killed"]
    assert [f.restated for f in found] == restated


# --------------------------------------------------------------------------- names, dates

@pytest.mark.parametrize(("text", "published", "cid", "value_text"), [
    ("The North Korean troops in Kursk are reportedly commanded by Colonel General "
     "Kim Yong Bok.", None, "nk-commander", "Kim Yong Bok"),
    ("Kim Yong-bok, a deputy chief of the General Staff, leads the North Korean contingent.",
     None, "nk-commander", "Kim Yong Bok"),
    ("Pyongyang has named General Ri Chang Ho as the new commander of its forces in Russia.",
     None, "nk-commander", "Ri Chang Ho"),
    ("Sergei Shoigu met Kim Jong Un in Pyongyang on 22 March 2025.", None,
     "shoigu-pyongyang-visit", "2025-03-22"),
    ("Security Council Secretary Sergei Shoigu arrived in Pyongyang on March 21 for talks.",
     "2025-03-22", "shoigu-pyongyang-visit", "2025-03-21"),
    ("The North Korean troops were pulled back from the front in January, officials said.",
     "2025-02-15", "nk-withdrawal", "2025-01"),
    ("The North Koreans rejoined the fighting in Kursk in February 2025.", None,
     "nk-return", "2025-02"),
])
def test_name_and_date_claims(baseline: Baseline, text: str, published: str | None,
                              cid: str, value_text: str) -> None:
    found = [f for f in matched(text, baseline, published=published) if f.claim == cid]
    assert len(found) == 1
    f = found[0]
    assert f.value_text == value_text
    assert f.figure.kind in ("name", "date")
    assert f.figure.value is None
    assert text[f.figure.start:f.figure.end] == f.figure.text


@pytest.mark.parametrize("text", [
    "Kim Jong Un inspected a special forces unit near Pyongyang on Tuesday.",
    "Shoigu said on Tuesday that Moscow valued its partnership with Pyongyang.",
    "Putin signed the defence treaty with Kim Jong Un in June 2024.",
    # one soldier's own story: his arrival is not the force's
    "A North Korean prisoner told interrogators he arrived in Russia in December 2024 and "
    "trained for two weeks.",
])
def test_name_and_date_distractors(baseline: Baseline, text: str) -> None:
    assert matched(text, baseline) == []


def test_withdrawn_and_returned_in_one_sentence(baseline: Baseline) -> None:
    text = ("North Korean units disappeared from the front in mid-January and were sent back "
            "in early February with fresh manpower.")
    got = {f.claim: f.value_text for f in matched(text, baseline, published="2025-03-10")}
    assert got == {"nk-withdrawal": "2025-01", "nk-return": "2025-02"}


# --------------------------------------------------------------------------- hand-made figures

def _fig(sentence: str, written: str, **kw: Any) -> Figure:
    start = sentence.index(written)
    base: dict[str, Any] = dict(text=written, start=start, end=start + len(written),
                                kind="number", value=None, low=None, high=None,
                                qualifier="exact", change=None, unit=None, sentence=sentence,
                                sentence_start=0, sentence_end=len(sentence))
    base.update(kw)
    return Figure(**base)


def test_matching_with_hand_made_figures(baseline: Baseline,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The matcher relies only on spans and kinds, not on the extractor's unit guess."""
    s = "Officials say 5,000 North Korean soldiers were killed or wounded, not 240 mm shells."
    figs = [_fig(s, "5,000", value=5000.0, low=5000.0, high=5000.0),
            _fig(s, "240 mm", kind="measure", value=240.0, low=240.0, high=240.0)]
    monkeypatch.setattr(claims_mod, "extract_figures", lambda text, lang="en": figs)
    found = analyze(s, baseline)
    assert [(f.claim, f.figure.text) for f in found] == [("nk-casualties", "5,000"),
                                                         (None, "240 mm")]


def test_finding_to_dict_flattens(baseline: Baseline) -> None:
    f = matched("About 600 North Korean troops have been killed, the NIS said.", baseline)[0]
    d = f.to_dict()
    for key in ("text", "start", "end", "kind", "value", "low", "high", "qualifier", "change",
                "unit", "sentence", "claim", "subject", "source", "event", "period",
                "restated", "confidence", "value_text"):
        assert key in d
    assert d["claim"] == "nk-killed" and d["text"] == f.figure.text
    json.dumps(d)
    assert 0.0 < d["confidence"] <= 1.0


def test_other_language_number_format(baseline: Baseline) -> None:
    found = matched("Rund 11.000 nordkoreanische Soldaten sind nach Russland entsandt worden.",
                    baseline, lang="de")
    assert [(f.claim, f.figure.value) for f in found] == [("nk-troops-deployed", 11000.0)]


# --------------------------------------------------------------------------- dev set

def test_dev_set_is_well_formed(baseline: Baseline) -> None:
    rows = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) >= 200
    ids = {c.id for c in baseline.claims}
    assert sum(1 for r in rows if not r["expected"]) >= 40
    assert {r["lang"] for r in rows} >= {"en", "de", "fr", "es"}
    for r in rows:
        assert isinstance(r["text"], str) and r["text"]
        for e in r["expected"]:
            assert e["claim"] in ids


def test_dev_set_meets_targets() -> None:
    spec = importlib.util.spec_from_file_location("claims_bench",
                                                  ROOT / "benchmarks" / "claims_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    counts = bench.score(rows, BASELINE)
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.90


def test_metric_terms_extend_the_vocabulary(tmp_path: Path) -> None:
    p = tmp_path / "b.toml"
    p.write_text(GOOD + 'subject_terms = ["Hermit Kingdom"]\n'
                 'metric_terms = ["eliminated", "neutralised"]\n', encoding="utf-8")
    b = load_baseline(p)
    found = matched("Kyiv says 300 Hermit Kingdom soldiers were eliminated last month.", b)
    assert [(f.claim, f.event, f.figure.value) for f in found] == [("x-one", "killed", 300.0)]
    assert matched("Kyiv says 300 Hermit Kingdom soldiers were fed last month.", b) == []


def test_analyze_never_breaks_spans(baseline: Baseline) -> None:
    texts = ["", "   ", "İstanbul İİİ 3,000 North Korean troops were killed.",
             "3,000", "Kim Yong Bok", "Shoigu 22 March", "((( 1.2 million )))",
             "North Korea: 11,000; killed: 300; wounded: 2,700."]
    for text in texts:
        for f in analyze(text, baseline, published="2025"):
            assert text[f.figure.start:f.figure.end] == f.figure.text


def test_stray_number_in_markup_is_not_a_deployment(baseline: Baseline) -> None:
    text = ("Officials in Kyiv said more than 5,000 North Korean soldiers have been killed or "
            "wounded in the Kursk region. <img src=x onerror=alert(1)>")
    assert [f.claim for f in matched(text, baseline)] == ["nk-casualties"]
    src = [f.source for f in matched("By Staff reporter Officials in Kyiv said 600 North "
                                     "Korean soldiers were killed.", baseline)]
    assert src and src[0] is not None and not src[0].startswith("taff")


def test_unrelated_article_keeps_figures_without_reading_them(baseline: Baseline) -> None:
    text = "The council approved 3.2 million euros for 1,200 new teachers. I think the bank agreed."
    found = analyze(text, baseline)
    assert found and all(f.claim is None and not f.on_topic for f in found)


# --------------------------------------------------------------------------- fast paths
# The analysis looks for its word patterns at the few offsets where they can start, with
# only the branches that can start there, and skips windows that lack the words a pattern
# needs. Each shortcut must find exactly what the plain regular expression finds.

def _texts() -> list[str]:
    """Dev sentences, pieces of them (cut mid-word too), and awkward strings."""
    rows = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    rng = random.Random(5)
    out = [r["text"] for r in rows]
    for t in list(out):
        a = rng.randrange(len(t))
        out.append(t[a:a + rng.randrange(1, 120)])
    parts = ["said ", "according to ", "in ", "by the ", "north korean ", "Russia's ", "the ",
             "killed ", "a ", "à ", "y ", "-", "’", ",", ".", "İ", "ı", "ſ", "Σ", "K", "3,000 ",
             "thousands ", "a day ", "in January ", "Pyongyang", "withdrawn ", "met "]
    for _ in range(300):
        out.append("".join(rng.choice(parts) for _ in range(rng.randrange(1, 12))))
    return out


def _spans(found: Any) -> list[tuple[int, int, str | None, str]]:
    return [(m.start(), m.end(), m.lastgroup, m.group(0)) for m in found]


def test_scan_starts_are_every_start() -> None:
    from watcher.claims.scan import starts

    assert starts(r"\b(?:said|says|told)\b") == frozenset({"sai", "say", "tol"})
    assert starts(r"(?:a\w+|b)c") == frozenset({"a", "bc"})  # an open start is not extended
    assert starts(r"(?i:said)") is None and starts(r"\w+") is None
    assert starts(r"(?P<a>(?!))|nk") == frozenset({"nk"})  # a never-matching branch: nowhere


def test_indexed_patterns_find_what_the_regex_finds(baseline: Baseline) -> None:
    from watcher.claims.attribution import attributions
    from watcher.claims.sentences import folds_like_lower, lower
    from watcher.claims.vocab import vocabulary

    v, a = vocabulary(baseline), attributions()
    for text in _texts():
        low = lower(text)
        scan = v.scanner.scan(low)
        assert _spans(v.actor_ix.finditer(low, scan)) == _spans(v.actor_re.finditer(low))
        assert _spans(v.anchor_ix.finditer(low, scan)) == _spans(v.anchor_ix.rx.finditer(low))
        assert _spans(v.attr_ix.verb.finditer(low, scan)) == _spans(a.verb_l.finditer(low))
        assert _spans(v.attr_ix.after.finditer(text, scan)) == _spans(a.after.finditer(text))
        assert bool(v.attr_ix.hint.search(low, scan)) == bool(a.hint_l.search(low))
        assert a.source(text, low, scan, v.attr_ix) == a.source(text, low)
        plain = folds_like_lower(text)
        assert _spans(v.attr_ix.according_text.finditer(text, scan if plain else None)) \
            == _spans(a.according.finditer(text))
        assert bool(v.topic_any.search(low)) == bool(v.topic_re.search(low))
        assert v.parties(text, v.sentence(text, 0)) == v.parties(text)
        for lo in range(0, len(text), 5):
            hi = min(len(text), lo + 22)
            assert v._prep_before(text, low, lo, hi, plain) \
                == bool(v.prep_before.search(text, lo, hi))


def test_prefiltered_walks_agree(baseline: Baseline) -> None:
    from watcher.claims.named import _named
    from watcher.claims.sentences import lower
    from watcher.claims.vocab import vocabulary

    v = vocabulary(baseline)
    ev = v.events
    assert ev.stems is not None and v.events_ix is not None

    def walk(text: str) -> list[tuple[int, int, str | None, str]]:
        # the walk Prefiltered always made: every stem, the whole pattern at each
        end, out = -1, []
        for s in ev.stems.finditer(text):  # type: ignore[union-attr]
            if s.start() >= end and (m := ev.at.match(text, s.start())):
                end = m.end()
                out.append(m)
        return _spans(out)

    nd = _named(baseline)
    for text in _texts():
        low = lower(text)
        offsets = v.events_ix.offsets(v.scanner.scan(low))
        assert _spans(ev.finditer(low, offsets)) == _spans(ev.finditer(low)) == walk(low)
        assert nd.present(low, text) == [r for r in nd.rules if r.present(low, text)]


def test_guards_and_caseless_twins() -> None:
    from watcher.claims.lexicon import word_start
    from watcher.claims.prefilter import Caseless, Guarded, needs

    assert needs(r"\b(?:killed|wounded) in (?:action|combat)") == frozenset({"killed",
                                                                           "wounded"})
    assert needs(r"\w+") is None
    rxs = [re.compile(r"\b(?:a|per|each) (?:day|week)\b|\bdaily\b"),
           re.compile(r"(?:earlier|previously) (?:said|put)|\bup from\b")]
    ci = [re.compile(r"\b(?:another|fresh) (?:troops|forces)\b", re.I),
          re.compile(r"\bin total\b|\bso far\b", re.I)]
    lead = re.compile(word_start(["Kim", "Ri", "Pak"]) + "[ ][A-Z]")
    bare = re.compile(r"\b(?:Kim|Ri|Pak)[ ][A-Z]")
    for text in [*_texts(), "Another Troops", "SO FAR", "İn total", "ſo far", "a DAY"]:
        for rx in rxs:
            g = Guarded(rx)
            assert _spans([g.search(text)] if g.search(text) else []) \
                == _spans([rx.search(text)] if rx.search(text) else [])
        for rx in ci:
            assert bool(Caseless(rx).search(text)) == bool(rx.search(text))
        assert _spans(lead.finditer(text)) == _spans(bare.finditer(text))


def test_capitalised_case_blind_patterns_get_the_lower_case_fast_path() -> None:
    """A case-blind pattern written with capitals (a German noun, a user's "POWs") is
    searched as its lower-case twin, and finds what the pattern itself finds."""
    from watcher.claims.named import _rule
    from watcher.claims.prefilter import Caseless, lowered
    from watcher.claims.sentences import lower

    assert lowered(r"\bAbzug\b|POWs?") == r"\babzug\b|pows?"
    # escapes, group names and inline flags keep their letters
    assert lowered(r"(?P<Who>Kim)\S+\N{EN DASH}(?i:X)") == r"(?P<Who>kim)\S+\N{EN DASH}(?i:x)"
    assert lowered(r"[A-z]") is None  # the range takes signs between the two cases
    assert lowered("\u0130stanbul") is None  # dotted capital I lower-cases to two letters
    rx = re.compile(r"\b(?:Abzug|Ankunft|POWs)\b", re.I)
    assert Caseless(rx).twin is not None
    for text in ["Der ABZUG begann", "nach der Ankunft", "two pows held", "Abzugs", "none"]:
        assert bool(Caseless(rx).search(text)) == bool(rx.search(text))
    claim = Claim(id="x-arrival", statement="", subject="x", metric="arrival", kind="date",
                  unit="date", source="")
    rule = _rule(claim, ["Ankunft", "arrived"])
    assert rule.scan is not None
    for text in ["Die ANKUNFT der Truppen", "They arrived.", "Ankünfte", "nothing here"]:
        assert rule.present(lower(text), text) == bool(rule.trigger.search(text))
