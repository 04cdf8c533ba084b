"""The timeline a person reads at a glance, and changes told in words that read right."""

from __future__ import annotations

from typing import Any

from watcher.changes import Value, change_words, status_word
from watcher.digest.atom import entry_title
from watcher.digest.charts import estimate_steps, timeline_svg
from watcher.digest.model import ClaimSection, Digest, Report
from watcher.digest.render import render_html, render_markdown, render_text

TOLL = {"id": "nk-casualties", "label": "North Korean killed or wounded",
        "statement": "Losses in killed and wounded had passed three thousand.",
        "kind": "count", "unit": "soldiers killed or wounded", "value": None, "low": 3000.0,
        "high": None, "qualifier": "more_than", "value_text": None, "as_of": "2024-12",
        "metric_type": "cumulative"}


def obs(i: int, published: str, status: str, value: float | None = None, *,
        low: float | None = None, high: float | None = None, qualifier: str = "exact",
        source: str = "wire") -> dict[str, Any]:
    if value is not None and qualifier not in ("more_than", "at_most"):
        low = high = value
    elif qualifier == "more_than":
        low = value
    elif qualifier == "at_most":
        high = value
        value = None
    if qualifier == "more_than":
        value = None
    return {"id": i, "published": published, "status": status, "value": value, "low": low,
            "high": high, "qualifier": qualifier, "value_text": None, "source": source,
            "feed": "Wire", "url": "http://example.org/a", "alert": int(status == "higher")}


TOLL_OBS = [
    obs(1, "2025-02-02T09:00:00Z", "higher", 4000, qualifier="more_than", source="NIS"),
    obs(2, "2025-02-20T09:00:00Z", "higher", 4700, qualifier="approx", source="GUR"),
    obs(3, "2025-03-01T09:00:00Z", "conflicting", 3500, qualifier="approx",
        source="a blogger"),
    obs(4, "2025-03-10T09:00:00Z", "higher", None, low=5500, high=6000, source="UK MoD"),
]


def test_the_estimate_steps_from_the_baseline_through_each_move_only() -> None:
    steps = estimate_steps(TOLL, TOLL_OBS)
    assert steps[0].baseline and steps[0].start.isoformat()[:10] == "2024-12-01"
    assert [s.bounds.mid for s in steps] == [3000, 4000, 4700, 5750]   # not the 3,500
    assert steps[0].bounds.open_up and steps[1].bounds.open_up
    assert (steps[3].bounds.low, steps[3].bounds.high) == (5500, 6000)


def test_observations_are_placed_by_publication_date_not_arrival() -> None:
    arrived = [TOLL_OBS[2], TOLL_OBS[3], TOLL_OBS[0], TOLL_OBS[1]]
    assert [s.bounds.mid for s in estimate_steps(TOLL, arrived)] == [3000, 4000, 4700, 5750]


def test_a_baseline_of_a_whole_year_does_not_hide_a_move_early_that_year() -> None:
    share = {"id": "s", "label": "Share", "statement": "s", "kind": "share",
             "unit": "percent", "value": 60.0, "low": 60.0, "high": 60.0,
             "qualifier": "exact", "as_of": "2025"}
    steps = estimate_steps(share, [obs(1, "2025-02-09T09:00:00Z", "lower", 50,
                                       qualifier="approx")])
    assert [s.bounds.mid for s in steps] == [60, 50]


def test_the_chart_has_the_band_the_open_end_the_baseline_and_the_label() -> None:
    svg = timeline_svg(TOLL, TOLL_OBS)
    assert svg is not None and svg.startswith("<svg")
    for gid in ("estimate-line", "estimate-band", "estimate-open-up", "baseline",
                "observations"):
        assert f'id="{gid}' in svg, gid
    assert "North Korean killed or wounded" in svg and ">nk-casualties<" not in svg
    assert "soldiers killed or wounded" in svg           # the axis says its unit
    assert "baseline (2024-12)" in svg
    for source in ("NIS", "GUR", "A blogger", "UK MoD"):  # one legend entry per source
        assert source in svg
    assert "5,500–6,000" in svg                          # the current estimate, said
    assert "estimate-open-down" not in svg
    untitled = timeline_svg(TOLL, TOLL_OBS, title=False)
    assert untitled is not None and "North Korean killed or wounded" not in untitled


def test_an_up_to_figure_fades_downward_and_shares_are_percent() -> None:
    share = {"id": "nk-ammo-share", "label": "Share of ammunition", "statement": "s",
             "kind": "share", "unit": "percent", "value": 60.0, "low": 60.0, "high": 60.0,
             "qualifier": "exact", "as_of": "2025"}
    svg = timeline_svg(share, [obs(1, "2025-03-01T09:00:00Z", "higher", 70,
                                   qualifier="at_most")])
    assert svg is not None
    assert 'id="estimate-open-down' in svg and 'id="estimate-open-up' not in svg
    assert "50%" in svg and "up to 70%" in svg and "percent" in svg


def test_no_chart_for_a_claim_without_numbers() -> None:
    date = {"id": "d", "statement": "s", "kind": "date", "value_text": "2025-03-22",
            "as_of": "2025-03-22"}
    row = dict(obs(1, "2025-04-14T09:00:00Z", "lower"), value_text="2025-03-21")
    assert timeline_svg(date, [row]) is None


def test_a_difference_is_only_given_between_figures_of_the_same_kind() -> None:
    dozens = Value(None, 24, 99, "approx")
    assert change_words(dozens, Value(600, 600, 600, "approx")) == ""
    floor = Value(None, 3000, None, "more_than")
    assert change_words(floor, Value(None, 4000, None, "more_than")) == "+1,000"
    assert change_words(floor, Value(4700, 4700, 4700, "approx")) == ""
    assert change_words(Value(None, 11000, 13000), Value(12000)) == ""
    assert change_words(Value(1000), Value(1200)) == "+200"
    assert change_words(Value(60), Value(50), unit="percent") == "\u221210 points"
    assert change_words(Value(60), Value(61), unit="percent") == "+1 point"
    assert change_words(Value(value_text="2025-03-22"), Value(value_text="2025-03-21"),
                        metric_type="date") == "1 day earlier"
    assert change_words(Value(value_text="2025-03"), Value(value_text="2025-04"),
                        metric_type="date") == ""
    assert status_word("lower", "date") == "earlier" and status_word("lower", "level") == "lower"


def _digest() -> Digest:
    killed = ClaimSection(
        id="nk-killed", statement="North Korean dead were counted in the dozens.",
        unit="soldiers killed", baseline="dozens", label="North Korean killed",
        metric_type="cumulative", reports=[Report(
            status="higher", value="about 600", previous="dozens", delta=538.5,
            text="about 600", sentence="About 600 of them were killed.",
            attribution="the agency", alert=True, single_source=True, change="",
            word="higher")])
    visit = ClaimSection(
        id="shoigu-visit", statement="Shoigu met Kim Jong Un on 22 March 2025.",
        unit="date", baseline="2025-03-22", label="Shoigu's visit to Pyongyang",
        metric_type="date", reports=[Report(
            status="lower", value="2025-03-21", previous="2025-03-22", delta=None,
            text="21 March 2025", sentence="Shoigu visited Pyongyang on 21 March 2025.",
            attribution=None, alert=True, change="1 day earlier", word="earlier")])
    return Digest(title="digest", start="2025-04-01", end="2025-04-15",
                  generated="2025-04-15", claims=[killed, visit], candidates=[], health=[],
                  counts={"changes": 2, "observations": 2, "articles": 2, "candidates": 0})


def test_text_digest_heads_with_the_label_and_says_earlier_not_lower() -> None:
    text = render_text(_digest())
    assert "North Korean killed [nk-killed]" in text
    assert "HIGHER: about 600 (was dozens) [single source]" in text
    assert "+538" not in text and "+539" not in text
    assert "EARLIER: 2025-03-21 (was 2025-03-22, 1 day earlier)" in text
    assert "LOWER" not in text


def test_markdown_and_html_head_with_the_label() -> None:
    md = render_markdown(_digest())
    assert "## North Korean killed\n" in md and "## nk-killed" not in md
    assert "| earlier [single source] |" not in md and "| earlier |" in md
    page = render_html(_digest())
    assert "<h2>North Korean killed</h2>" in page and "<h2>nk-killed</h2>" not in page
    assert ">earlier</span>" in page and "(was dozens)" in page


def test_atom_titles_use_the_label_and_say_earlier() -> None:
    row = {"claim_id": "shoigu-visit", "claim_label": "Shoigu's visit to Pyongyang",
           "status": "lower", "kind": "date", "value": None, "low": None, "high": None,
           "qualifier": "exact", "value_text": "2025-03-21", "prev_value_text": "2025-03-22",
           "single_source": 1}
    assert entry_title(row) == ("Shoigu's visit to Pyongyang: earlier - 2025-03-21 "
                                "(was 2025-03-22, 1 day earlier) [single source]")
