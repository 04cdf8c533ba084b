"""Comparing figures with the baseline and with what was last recorded (watcher.changes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from watcher.changes import STATUSES, Value, classify, delta, describe
from watcher.claims import Baseline, Claim, ClaimValue, analyze

ROOT = Path(__file__).resolve().parent.parent



def claim(baseline: Baseline, cid: str) -> Claim:
    c = baseline.get(cid)
    assert c is not None
    return c


def more_than(x: float) -> Value:
    return Value(None, x, None, "more_than")


def at_most(x: float) -> Value:
    return Value(None, None, x, "at_most")


def exact(x: float) -> Value:
    return Value(x, x, x, "exact")


def approx(x: float) -> Value:
    return Value(x, x, x, "approx")


def rng(lo: float, hi: float) -> Value:
    return Value(None, lo, hi, "exact")


COUNT = Claim(id="c", statement="s", subject="North Korea", metric="killed", kind="count",
              unit="soldiers", source="seed", value=None)

# (latest recorded, new, expected status): the interval comparison table
TABLE = [
    (more_than(3000), exact(3500), "confirmed"),
    (more_than(3000), at_most(4000), "confirmed"),
    (at_most(4000), more_than(3000), "confirmed"),
    (more_than(3000), exact(2500), "lower"),
    (more_than(3000), more_than(4000), "higher"),
    (more_than(3000), more_than(2000), "confirmed"),   # a stale floor is still true
    (more_than(3000), more_than(3000), "confirmed"),
    (at_most(200), at_most(300), "confirmed"),
    (at_most(300), at_most(200), "lower"),
    (at_most(200), exact(150), "confirmed"),
    (at_most(200), exact(250), "higher"),
    (exact(3000), exact(3000), "confirmed"),
    (exact(3000), exact(4700), "higher"),
    (exact(4700), exact(3000), "lower"),
    (approx(2000), exact(2100), "confirmed"),
    (approx(2000), exact(2500), "higher"),
    (exact(2000), exact(2100), "higher"),
    (rng(10000, 12000), exact(11000), "confirmed"),
    (rng(10000, 12000), rng(11000, 13000), "confirmed"),
    (rng(10000, 12000), exact(14000), "higher"),
    (rng(10000, 12000), approx(8000), "lower"),
    (Value(None, 24, 99, "approx"), exact(600), "higher"),
    (Value(None, 200, 999, "approx"), exact(2700), "higher"),
]


@pytest.mark.parametrize(("latest", "new", "status"), TABLE)
def test_interval_table(latest: Value, new: Value, status: str) -> None:
    assert classify(COUNT, latest, new) == status


def test_statuses_are_known() -> None:
    assert {s for _l, _n, s in TABLE} <= set(STATUSES)


@pytest.mark.parametrize(("cid", "new", "status"), [
    ("nk-casualties", exact(3500), "confirmed"),
    ("nk-casualties", more_than(4000), "higher"),
    ("nk-casualties", exact(2000), "lower"),
    ("nk-troops-deployed", exact(12000), "confirmed"),
    ("nk-troops-deployed", approx(10500), "confirmed"),   # the other seed's 10,000-12,000
    ("nk-troops-deployed", exact(15000), "higher"),
    ("nk-troops-deployed", exact(8000), "lower"),
    ("nk-killed", exact(600), "higher"),
    ("nk-factories", exact(150), "confirmed"),
    ("nk-factories", exact(300), "higher"),
    ("nk-casualty-share", approx(25), "confirmed"),
    ("nk-casualty-share", exact(40), "higher"),
    ("russia-daily-losses", approx(1500), "lower"),
    ("nk-captured", exact(2), "new"),
    ("nk-additional-troops", exact(30000), "new"),
])
def test_against_baseline(baseline: Baseline, cid: str, new: Value, status: str) -> None:
    assert classify(claim(baseline, cid), None, new) == status


def test_latest_wins_over_baseline(baseline: Baseline) -> None:
    c = claim(baseline, "nk-casualties")
    assert classify(c, exact(4700), exact(4700)) == "confirmed"
    # "more than 3,000" is still true of 4,700: compatible, not a fall
    assert classify(c, exact(4700), more_than(3000)) == "confirmed"
    assert classify(c, exact(4700), exact(3000)) == "lower"
    assert classify(claim(baseline, "nk-captured"), exact(2), exact(3)) == "higher"


def test_restated_flag_wins(baseline: Baseline) -> None:
    c = claim(baseline, "nk-casualties")
    assert classify(c, exact(4700), exact(3000), restated=True) == "restated"
    assert classify(c, None, exact(9999), restated=True) == "restated"


@pytest.mark.parametrize(("cid", "latest", "new", "status"), [
    ("nk-commander", None, "Kim Yong Bok", "confirmed"),
    ("nk-commander", None, "Kim Yong-bok", "confirmed"),
    ("nk-commander", None, "Ri Chang Ho", "changed"),
    ("nk-commander", "Ri Chang Ho", "Ri Chang Ho", "confirmed"),
    ("nk-commander", "Ri Chang Ho", "Kim Yong Bok", "changed"),
    ("shoigu-pyongyang-visit", None, "2025-03-22", "confirmed"),
    ("shoigu-pyongyang-visit", None, "2025-03", "confirmed"),
    ("shoigu-pyongyang-visit", None, "2025-03-21", "lower"),
    ("shoigu-pyongyang-visit", None, "2025-06-04", "higher"),
    ("nk-withdrawal", None, "2025-01", "confirmed"),
    ("nk-withdrawal", None, "2025-01-20", "confirmed"),
    ("nk-withdrawal", None, "2025-02", "higher"),
    ("nk-withdrawal", "2025-02", "2025-02-10", "confirmed"),
])
def test_names_and_dates(baseline: Baseline, cid: str, latest: str | None, new: str,
                         status: str) -> None:
    old = None if latest is None else Value(value_text=latest)
    assert classify(claim(baseline, cid), old, Value(value_text=new)) == status


def test_value_from_claim_and_finding(baseline: Baseline) -> None:
    assert Value.from_claim(claim(baseline, "nk-captured")) is None
    v = Value.from_claim(claim(baseline, "nk-casualties"))
    assert v == Value(None, 3000.0, None, "more_than", None)
    found = [f for f in analyze("About 600 North Korean troops have been killed, Seoul said.",
                                baseline) if f.claim]
    fv = Value.from_finding(found[0])
    assert (fv.value, fv.low, fv.high, fv.qualifier) == (600.0, 600.0, 600.0, "approx")
    named = [f for f in analyze("Colonel General Kim Yong Bok commands the North Korean "
                                "contingent.", baseline) if f.claim == "nk-commander"]
    assert Value.from_finding(named[0]).value_text == "Kim Yong Bok"


def test_end_to_end_status_from_text(baseline: Baseline) -> None:
    """A later article's figure, compared with the seeds' baseline."""
    text = ("South Korea's spy agency now says about 4,700 North Korean soldiers have been "
            "killed or wounded.")
    f = next(f for f in analyze(text, baseline) if f.claim == "nk-casualties")
    c = claim(baseline, "nk-casualties")
    assert classify(c, None, Value.from_finding(f), restated=f.restated) == "confirmed"
    assert classify(c, more_than(3000), Value.from_finding(f)) == "confirmed"
    assert classify(c, exact(3000), Value.from_finding(f)) == "higher"


@pytest.mark.parametrize(("old", "new", "d"), [
    (exact(3000), exact(4700), 1700.0),
    (rng(10000, 12000), rng(11000, 13000), 1000.0),
    (more_than(3000), more_than(4000), 1000.0),
    (None, exact(5), None),
    (Value(value_text="2025-01"), Value(value_text="2025-02"), None),
])
def test_delta(old: Value | None, new: Value, d: float | None) -> None:
    assert delta(old, new) == d


@pytest.mark.parametrize(("v", "unit", "text"), [
    (more_than(3000), "soldiers", "more than 3,000"),
    (rng(10000, 12000), "troops", "10,000–12,000"),
    (approx(25), "percent", "about 25%"),
    (at_most(200), "factories", "up to 200"),
    (exact(600), None, "600"),
    (Value(None, 2_000_000, 9_999_999, "approx"), "shells", "millions"),
    (Value(None, 24, 99, "approx"), None, "dozens"),
    (Value(None, 2_000, 3_000, "approx"), None, "about 2,000–3,000"),
    (Value(None, None, 100, "less_than"), None, "fewer than 100"),
    (Value(None, 300, None, "at_least"), None, "at least 300"),
    (exact(33.3), "percent", "33.3%"),
    (Value(value_text="Kim Yong Bok"), "name", "Kim Yong Bok"),
    (Value(), None, "unknown"),
])
def test_describe(v: Value, unit: str | None, text: str) -> None:
    assert describe(v, unit) == text


def test_claim_value_alternatives_are_used() -> None:
    c = Claim(id="t", statement="s", subject="North Korea", metric="deployed", kind="count",
              unit="troops", source="a", low=11000, high=13000,
              values=(ClaimValue(None, 10000, 12000, "approx"),))
    assert classify(c, None, exact(10200)) == "confirmed"
    assert classify(c, None, exact(8000)) == "lower"
    assert classify(c, None, exact(20000)) == "higher"
