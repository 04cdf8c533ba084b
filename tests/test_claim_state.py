"""A claim's state (its best estimate over time), each figure's status against it, and
the alerts that only a move of that estimate raises (issue 11)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from watcher.changes import Obs, State, Value, assess, is_vague, replay, revised_down
from watcher.claims import Baseline, Claim, Finding
from watcher.figures.model import Figure
from watcher.observe import ArticleRef, Recorder
from watcher.sample_site import LoopbackSite, publish_demo
from watcher.store import HistoryFilter, Store

from .conftest import ROOT, cli, query, write_config

TOLL = Claim(id="toll", statement="How many soldiers were killed or wounded", label="Toll",
             subject="X", metric="killed_or_wounded", kind="count", unit="soldiers",
             source="seed", event="killed_or_wounded", low=3000, qualifier="more_than",
             as_of="2024-12")
LEVEL = Claim(id="troops", statement="How many troops are deployed", subject="X",
              metric="deployed", kind="count", unit="troops", source="seed",
              event="deployed", value=11000, low=11000, high=11000, as_of="2025-01")
FRESH = Claim(id="prisoners", statement="How many were captured", subject="X",
              metric="captured", kind="count", unit="soldiers", source="seed",
              event="captured")
VISIT = Claim(id="visit", statement="When the minister visited", subject="X",
              metric="visit", kind="date", unit="date", source="seed", event="visit",
              value_text="2025-03-22", as_of="2025-03-22")


def more_than(x: float) -> Value:
    return Value(None, x, None, "more_than")


def exact(x: float) -> Value:
    return Value(x, x, x, "exact")


def about(x: float) -> Value:
    return Value(x, x, x, "approx")


def vague(lo: float, hi: float) -> Value:
    return Value(None, lo, hi, "approx")


def obs(v: Value, day: str, source: str = "agency", *, restated: bool = False,
        sentence: str = "", refers_to: str | None = None, conf: float = 0.8) -> Obs:
    return Obs(v, f"2025-{day}T09:00:00Z", source, restated=restated, sentence=sentence,
               refers_to=refers_to, confidence=conf)


def run(claim: Claim, *steps: Obs) -> tuple[list[str], State | None]:
    state: State | None = None
    statuses = []
    for o in steps:
        out = assess(claim, state, o)
        statuses.append(out.status)
        state = out.state
    return statuses, state


# --- statuses --------------------------------------------------------------------------

def test_first_figure_of_a_claim_without_baseline_is_new_and_an_alert() -> None:
    out = assess(FRESH, None, obs(exact(2), "01-10"))
    assert (out.status, out.moved, out.alert) == ("new", True, True)
    assert out.state is not None and out.state.figure == exact(2)
    assert out.state.sources == 1 and out.state.as_of == "2025-01-10"


def test_a_point_above_a_floor_is_higher_not_a_confirmation() -> None:
    """"more than 3,000", then "about 4,700": the estimate moved (the issue's example)."""
    statuses, state = run(TOLL, obs(about(4700), "02-01"))
    assert statuses == ["higher"]
    assert state is not None and state.figure.point() == 4700 and state.trend == "higher"
    # a rising floor is higher too; a stale floor still holds, so it is only "wider"
    assert run(TOLL, obs(more_than(4000), "02-01"))[0] == ["higher"]
    assert run(TOLL, obs(about(4700), "02-01"), obs(more_than(3000), "02-05"))[0] == \
        ["higher", "wider"]


@pytest.mark.parametrize(("second", "status"), [
    (exact(11000), "confirmed"),
    (exact(11800), "confirmed"),          # within the claim's 10% tolerance
    (about(11000), "wider"),              # the same estimate, told less precisely
    (exact(14000), "higher"),
    (exact(8000), "lower"),               # a level may fall
])
def test_level_claim_statuses(second: Value, status: str) -> None:
    statuses, _ = run(LEVEL, obs(exact(11200), "02-01"), obs(second, "02-03", "other"))
    assert statuses == ["confirmed", status]      # 11,200 agrees with the baseline's 11,000


def test_narrower_refines_the_figure_without_an_alert() -> None:
    statuses, state = run(TOLL, obs(more_than(4000), "02-01"), obs(exact(4100), "02-03"))
    assert statuses == ["higher", "narrower"]
    assert state is not None and state.figure == exact(4100)
    out = assess(TOLL, state, obs(about(4100), "02-04", "other"))
    assert (out.status, out.alert) == ("wider", False)


def test_inside_the_stated_range_is_confirmed() -> None:
    rng = Claim(id="r", statement="s", subject="X", metric="deployed", kind="count",
                unit="troops", source="seed", event="deployed", low=10000, high=14000)
    statuses, _ = run(rng, obs(about(13500), "02-01"), obs(exact(10500), "02-02", "b"))
    assert statuses == ["confirmed", "narrower"]


def test_restated_flag_never_moves_the_state() -> None:
    statuses, state = run(TOLL, obs(more_than(4000), "02-01"),
                          obs(exact(9000), "03-01", restated=True))
    assert statuses == ["higher", "restated"]
    assert state is not None and state.figure == more_than(4000)


# --- the cumulative rule ---------------------------------------------------------------

def test_a_cumulative_count_does_not_fall() -> None:
    statuses, state = run(TOLL, obs(about(4700), "02-01"), obs(exact(3500), "03-01", "b"))
    assert statuses == ["higher", "conflicting"]
    assert state is not None and state.figure.point() == 4700


def test_an_older_lower_figure_of_a_cumulative_count_is_restated() -> None:
    statuses, _ = run(TOLL, obs(about(4700), "02-01"),
                      obs(exact(3000), "03-01", "b", refers_to="2025-01"))
    assert statuses == ["higher", "restated"]


def test_a_cumulative_count_falls_when_the_text_says_it_was_revised_down() -> None:
    text = "The ministry revised its estimate down to 3,500 after double counting."
    assert revised_down(text) and revised_down("The toll was lowered to 3,500.")
    assert not revised_down("A lower-ranking officer said 3,500 were wounded.")
    statuses, state = run(TOLL, obs(about(4700), "02-01"),
                          obs(exact(3500), "03-01", "b", sentence=text))
    assert statuses == ["higher", "lower"]
    assert state is not None and state.figure == exact(3500)


# --- vague figures ---------------------------------------------------------------------

def test_vague_figures_never_move_the_state() -> None:
    assert is_vague(vague(2000, 9999)) and not is_vague(Value(None, 10000, 12000, "approx"))
    statuses, state = run(TOLL, obs(about(4700), "02-01"), obs(vague(2000, 9999), "03-01"),
                          obs(vague(20000, 99999), "03-02"))
    assert statuses == ["higher", "wider", "conflicting"]
    assert state is not None and state.figure.point() == 4700
    out = assess(FRESH, None, obs(vague(200, 999), "02-01"))
    assert (out.alert, out.state) == (False, None)


# --- dates -----------------------------------------------------------------------------

def test_dates_move_earlier_or_later_and_refine() -> None:
    def d(text: str) -> Value:
        return Value(value_text=text)

    assert run(VISIT, obs(d("2025-03-21"), "04-01"))[0] == ["lower"]
    assert run(VISIT, obs(d("2025-03-22"), "04-01"))[0] == ["confirmed"]
    assert run(VISIT, obs(d("2025-03"), "04-01"))[0] == ["wider"]
    month = Claim(id="m", statement="s", subject="X", metric="m", kind="date", unit="date",
                  source="seed", value_text="2025-03")
    statuses, state = run(month, obs(d("2025-03-22"), "04-01"))
    assert statuses == ["narrower"] and state is not None
    assert state.figure.value_text == "2025-03-22"
    from watcher.changes import status_word
    assert status_word("lower", VISIT.kind_of_metric) == "earlier"
    assert status_word("higher", "cumulative") == "higher"


# --- out of order ----------------------------------------------------------------------

def test_an_article_older_than_the_state_is_not_an_alert() -> None:
    _, state = run(TOLL, obs(about(4700), "03-01"))
    late = assess(TOLL, state, obs(about(3500), "01-15", "b"))
    assert (late.status, late.alert, late.moved) == ("restated", False, False)
    late = assess(TOLL, state, obs(about(9000), "01-15", "b"))
    assert (late.status, late.alert) == ("conflicting", False)
    late = assess(LEVEL, None, obs(exact(14000), "03-01"))
    assert late.state is not None
    older = assess(LEVEL, late.state, obs(exact(20000), "02-01", "b"))
    assert (older.status, older.alert) == ("restated", False)


# --- thresholds and single-source alerts -----------------------------------------------

def test_alert_percent_is_measured_from_the_last_alert() -> None:
    c = Claim(id="p", statement="s", subject="X", metric="deployed", kind="count",
              unit="troops", source="seed", event="deployed", alert_percent=30)
    steps = [obs(exact(1000), "01-01"), obs(exact(1200), "01-02"), obs(exact(1400), "01-03")]
    state = None
    alerts = []
    for o in steps:
        out = assess(c, state, o)
        alerts.append((out.status, out.alert))
        state = out.state
    # 1,200 moves the estimate by 20%: no alert; 1,400 is 40% above the alerted 1,000
    assert alerts == [("new", True), ("higher", False), ("higher", True)]


def test_alert_cross() -> None:
    c = Claim(id="x", statement="s", subject="X", metric="deployed", kind="count",
              unit="troops", source="seed", event="deployed", value=9000, low=9000,
              high=9000, alert_cross=(10000.0,))
    a = assess(c, None, obs(exact(9700), "01-01"))   # within tolerance: confirmed
    assert a.status == "confirmed" and not a.alert
    b = assess(c, None, obs(exact(10100), "01-01"))
    assert b.status == "higher" and b.alert          # 9,000 -> 10,100 crosses 10,000
    below = Claim(id="y", statement="s", subject="X", metric="deployed", kind="count",
                  unit="troops", source="seed", event="deployed", value=5000, low=5000,
                  high=5000, alert_cross=(10000.0,))
    c2 = assess(below, None, obs(exact(7000), "01-01"))
    assert c2.status == "higher" and c2.moved and not c2.alert


def test_corroboration_by_a_second_source() -> None:
    _, state = run(TOLL, obs(about(4700), "02-01", "nis"))
    assert state is not None and state.sources == 1
    same = assess(TOLL, state, obs(exact(4700), "02-02", "nis"))
    assert not same.corroborates and same.state is not None and same.state.sources == 1
    other = assess(TOLL, state, obs(exact(4800), "02-02", "gur", conf=0.9))
    assert other.corroborates and other.state is not None and other.state.sources == 2
    assert other.state.confidence == pytest.approx(1 - 0.2 * 0.1, abs=1e-3)
    assert other.state.reported == "2025-02-02T09:00:00Z"


def test_replay_is_order_free_for_publication_order() -> None:
    steps = [obs(more_than(4000), "02-01", "a"), obs(about(4700), "02-10", "b"),
             obs(exact(3000), "01-15", "c", refers_to="2025-01"), obs(exact(4800), "03-01", "d")]
    in_order = sorted(steps, key=lambda o: o.published)
    assert replay(TOLL, in_order) == run(TOLL, *in_order)[1]


# --- the store: state kept in the recording transaction, alerts, reprocess ------------

def finding(v: Value, sentence: str, source: str | None, *, claim: str = "toll",
            restated: bool = False, conf: float = 0.8) -> Finding:
    fig = Figure(text=str(v.point()), start=0, end=5, kind="number", value=v.value,
                 low=v.low, high=v.high, qualifier=v.qualifier, change=None,
                 unit="soldiers", sentence=sentence, sentence_start=0,
                 sentence_end=len(sentence))
    return Finding(figure=fig, claim=claim, source=source, restated=restated,
                   on_topic=True, confidence=conf)


ARTICLES: list[tuple[int, str, str, list[Finding]]] = [
    (1, "2025-02-01T09:00:00Z", "http://a.example/1",
     [finding(more_than(4000), "More than 4,000 were killed or wounded.", "NIS")]),
    (2, "2025-02-10T09:00:00Z", "http://b.example/2",
     [finding(about(4700), "About 4,700 were killed or wounded.", "NIS")]),
    (3, "2025-02-12T09:00:00Z", "http://www.c.example/3",
     [finding(exact(4650), "4,650 were killed or wounded.", None)]),
    (4, "2025-01-20T09:00:00Z", "http://d.example/4",
     [finding(exact(3000), "3,000 were killed or wounded.", "GUR")]),
    (5, "2025-02-20T09:00:00Z", "http://e.example/5",
     [finding(exact(3900), "3,900 were killed or wounded.", "Kremlin")]),
    (6, "2025-02-21T09:00:00Z", "http://f.example/6",
     [finding(vague(2000, 9999), "Thousands were killed or wounded.", "Pentagon")]),
]


def store_articles(s: Store) -> None:
    """ARTICLES as stored rows, for observations to point at."""
    with s.transaction():
        for aid, published, url, _ in ARTICLES:
            s.db.execute(
                "INSERT INTO articles (id, url, link, published, text, text_source, "
                "text_hash, fetched_at) VALUES (?, ?, ?, ?, 'body', 'page', ?, ?)",
                (aid, url, url, published, f"h{aid}", "2025-03-01T00:00:00Z"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    store_articles(s)
    yield s
    s.close()


def record(store: Store, order: list[int]) -> None:
    rec = Recorder(Baseline(claims=(TOLL,)))
    by_id = {a[0]: a for a in ARTICLES}
    for aid in order:
        _, published, url, found = by_id[aid]
        with store.transaction():
            rec.record(store, ArticleRef(aid, url, None, published, "wire", f"h{aid}"), found)


CORE = ("claim_id", "best", "value", "low", "high", "qualifier", "value_text", "as_of",
        "reported", "sources", "support", "observations", "confidence", "observation_id",
        "trend")


def core(store: Store) -> dict[str, Any]:
    row = store.claim_state("toll")
    assert row is not None
    return {k: row[k] for k in CORE if k != "observation_id"}


def test_recorded_state_statuses_and_alerts(store: Store) -> None:
    record(store, [1, 2, 3, 5, 6])
    rows = {r["article_id"]: r for r in store.history(HistoryFilter(claim="toll"))}
    assert {a: r["status"] for a, r in rows.items()} == {
        1: "higher", 2: "higher", 3: "narrower", 5: "conflicting", 6: "wider"}
    alerts = store.history(HistoryFilter(changes_only=True))
    assert [r["article_id"] for r in alerts] == [2, 1]
    # "about 4,700" from NIS was single-source until c.example's 4,650 agreed with it,
    # telling the same estimate more precisely
    assert rows[1]["single_source"] == 1
    assert rows[2]["single_source"] == 0 and rows[2]["corroborated_by"] == rows[3]["id"]
    state = store.claim_state("toll")
    assert state is not None
    assert (state["best"], state["qualifier"], state["sources"]) == (4650, "exact", 2)
    assert state["as_of"] == "2025-02-12" and state["reported"] == "2025-02-12T09:00:00Z"
    assert json.loads(state["support"]) == {"c.example": 0.8, "nis": 0.8}
    assert state["alert_id"] == rows[2]["id"] and state["trend"] == "higher"


def test_out_of_order_article_is_placed_by_its_date_without_an_alert(store: Store) -> None:
    record(store, [1, 2, 3])
    before = core(store)
    record(store, [4])                     # published in January, fetched last
    row = store.history(HistoryFilter(claim="toll", source="GUR"))[0]
    assert (row["status"], row["alert"]) == ("restated", 0)
    assert core(store) == before


@pytest.mark.parametrize("order", [[4, 1, 2, 3, 5, 6], [2, 3, 1, 4, 6, 5], [6, 5, 3, 2, 4, 1]])
def test_state_does_not_depend_on_arrival_order(tmp_path: Path, order: list[int]) -> None:
    def build(path: Path, order: list[int]) -> dict[str, Any]:
        with Store(path) as s:
            store_articles(s)
            record(s, order)
            return core(s)

    in_order = sorted(a[0] for a in ARTICLES)
    in_order.sort(key=lambda a: next(x[1] for x in ARTICLES if x[0] == a))
    assert build(tmp_path / "live.db", order) == build(tmp_path / "sorted.db", in_order)


@pytest.mark.parametrize("order", [[1, 2, 3, 4, 5, 6], [2, 3, 1, 4, 6, 5]])
def test_states_held_in_memory_end_as_when_saved_per_figure(
        tmp_path: Path, order: list[int]) -> None:
    """reprocess holds the claim states across one transaction and writes them once;
    what it writes must be what saving after every figure gives, out-of-order articles
    (replayed from the stored observations) included."""
    def build(path: Path, held: bool) -> tuple[dict[str, Any], list[Any]]:
        with Store(path) as s:
            store_articles(s)
            rec = Recorder(Baseline(claims=(TOLL,)))
            by_id = {a[0]: a for a in ARTICLES}
            with s.transaction(), (rec.holding_states(s) if held
                                   else contextlib.nullcontext()):
                for aid in order:
                    _, published, url, found = by_id[aid]
                    rec.record(s, ArticleRef(aid, url, None, published, "wire", f"h{aid}"),
                               found)
            row = s.claim_state("toll")
            assert row is not None
            state = {k: row[k] for k in (*CORE, "alert_id", "alerted")}
            state["alerted_once"] = row["last_alert"] is not None     # a clock
            statuses = query(path, "SELECT article_id, status, alert, single_source "
                                   "FROM observations ORDER BY id")
            return state, statuses

    assert build(tmp_path / "held.db", True) == build(tmp_path / "saved.db", False)


def test_held_states_are_not_written_when_recording_fails(store: Store) -> None:
    rec = Recorder(Baseline(claims=(TOLL,)))
    _, published, url, found = ARTICLES[0]
    with pytest.raises(RuntimeError), store.transaction(), rec.holding_states(store):
        rec.record(store, ArticleRef(1, url, None, published, "wire", "h1"), found)
        raise RuntimeError("interrupted")
    assert store.claim_state("toll") is None
    rec.record(store, ArticleRef(1, url, None, published, "wire", "h1"), found)
    assert store.claim_state("toll") is not None       # and the recorder saves again


def test_clear_observations_clears_state(store: Store) -> None:
    record(store, [1, 2])
    store.clear_observations()
    assert store.claim_state("toll") is None


# --- the real CLI: live run, then reprocess --------------------------------------------

@pytest.fixture
def demo(site: LoopbackSite, tmp_path: Path) -> Path:
    urls = publish_demo(site)
    config = write_config(tmp_path, [{"url": u, "name": f"wire {i + 1}"}
                                     for i, u in enumerate(urls)],
                          baseline=str(ROOT / "config" / "baseline.toml"))
    r = cli("run", "--once", config=config)
    assert r.code == 0, r.err
    return config


def test_reprocess_gives_the_live_state_and_claims_shows_it(demo: Path) -> None:
    db = demo.parent / "watcher.db"
    cols = ", ".join(c for c in CORE if c != "observation_id")
    live = query(db, f"SELECT {cols} FROM claim_state ORDER BY claim_id")
    assert live
    alerts = query(db, "SELECT claim_id, status FROM observations WHERE alert = 1 "
                       "ORDER BY 1, 2")
    r = cli("reprocess", config=demo)
    assert r.code == 0, r.err
    assert query(db, f"SELECT {cols} FROM claim_state ORDER BY claim_id") == live
    assert query(db, "SELECT claim_id, status FROM observations WHERE alert = 1 "
                     "ORDER BY 1, 2") == alerts
    states = dict(query(db, "SELECT claim_id, trend FROM claim_state"))
    assert states["nk-casualties"] == "higher"
    # no lower alert on a cumulative claim; the restated January toll is no alert
    assert ("nk-casualties", "lower") not in alerts
    r = cli("claims", "--format", "json", config=demo)
    assert r.code == 0, r.err
    claims = {c["id"]: c for c in json.loads(r.out)}
    toll = claims["nk-casualties"]["state"]
    assert toll["estimate"] == "more than 4,000" and toll["range"] == "4,000–…"
    assert toll["sources"] == 1 and toll["trend"] == "higher"
    assert claims["nk-commander"]["state"] is None
    r = cli("claims", config=demo)
    assert r.code == 0, r.err
    assert "North Korean killed or wounded" in r.out and "more than 4,000" in r.out
    r = cli("history", "--changes-only", "--format", "json", config=demo)
    assert r.code == 0, r.err
    rows = json.loads(r.out)
    assert rows and all(row["alert"] == 1 for row in rows)
    assert len(rows) == len(alerts)
