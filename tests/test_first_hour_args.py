"""Issue 12, items 5, 9, 10: arguments and settings that used to mean silent nonsense.

Dates (history, digest) accept the same forms everywhere and a bad one is a usage error;
an unknown claim id is refused; a feed URL that is not a URL, or an interval faster than
the floor, is refused when the config loads, naming the file and the feed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from watcher.config import load_config
from watcher.errors import ConfigError
from watcher.sample_site import LoopbackSite, publish_demo
from watcher.timespec import Moment, check_range, parse_moment

from .conftest import ROOT, Result, cli, write_config

BASELINE = str(ROOT / "config" / "baseline.toml")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cycle over the offline demo stories (published in April 2025)."""
    folder = tmp_path_factory.mktemp("first-hour")
    with LoopbackSite() as site:
        urls = publish_demo(site)
        config = write_config(folder, [{"url": u, "name": f"wire {i + 1}"}
                                       for i, u in enumerate(urls)], baseline=BASELINE)
        r = cli("run", "--once", config=config)
        assert r.code == 0, r.err
    yield config


def rows(config: Path, *args: str) -> list[dict[str, object]]:
    r = cli("history", "--format", "json", *args, config=config)
    assert r.code == 0, r.err
    found: list[dict[str, object]] = json.loads(r.out)
    return found


def refused(r: Result, *fragments: str) -> None:
    """A usage error: exit 2, the reason on stderr, nothing pretending to be a result."""
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.err
    assert r.out == "", r.out
    for fragment in fragments:
        assert fragment in r.err, r.err


# --- item 5: date arguments ------------------------------------------------------------

NOW = datetime(2025, 4, 10, 15, 30, 12, 345000, tzinfo=UTC)


@pytest.mark.parametrize(("text", "start", "day"), [
    ("2025-04-01", datetime(2025, 4, 1, tzinfo=UTC), date(2025, 4, 1)),
    ("today", datetime(2025, 4, 10, tzinfo=UTC), date(2025, 4, 10)),
    ("Yesterday", datetime(2025, 4, 9, tzinfo=UTC), date(2025, 4, 9)),
    ("7d", NOW - timedelta(days=7), None),
    ("2w", NOW - timedelta(weeks=2), None),
    ("24h", NOW - timedelta(hours=24), None),
    ("90m ago", NOW - timedelta(minutes=90), None),
    ("2025-04-01T07:00", datetime(2025, 4, 1, 7, tzinfo=UTC), None),
    ("2025-04-01T09:00+02:00", datetime(2025, 4, 1, 7, tzinfo=UTC), None),
    ("2025-04-01T07:00:00Z", datetime(2025, 4, 1, 7, tzinfo=UTC), None),
    ("now", NOW, None),
])
def test_date_forms(text: str, start: datetime, day: date | None) -> None:
    assert parse_moment(text, NOW) == Moment(start, day)


@pytest.mark.parametrize("text", ["2025-13-01", "2025-02-30", "7x", "tomorrowish", "",
                                  "2025-04-01T25:00", "-3d", "20250401", "1e9w"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"date|time|year"):
        parse_moment(text, NOW)


def test_a_day_as_the_end_includes_the_whole_day() -> None:
    day = parse_moment("2025-04-01", NOW)
    assert day.end == datetime(2025, 4, 2, tzinfo=UTC)
    check_range(day, day)                          # one whole day: fine
    with pytest.raises(ValueError, match="reversed"):
        check_range(parse_moment("2025-04-02", NOW), day)
    instant = parse_moment("2025-04-01T07:00", NOW)
    with pytest.raises(ValueError, match="reversed"):
        check_range(instant, instant)              # an empty range selects nothing
    assert parse_moment("7d", NOW).query_text() == "2025-04-03T15:30:12"


def test_history_reads_relative_dates(demo: Path) -> None:
    everything = rows(demo)
    assert everything
    # The demo stories are from April 2025: none is from the last day or two weeks, all
    # are from the last 1,000 weeks. (These used to be compared as text: "1d" and "2w"
    # matched every row, "2025-13-01" none.)
    assert rows(demo, "--since", "1d") == []
    assert rows(demo, "--since", "2w") == []
    assert rows(demo, "--since", "yesterday") == []
    assert len(rows(demo, "--since", "1000w")) == len(everything)
    assert len(rows(demo, "--until", "today")) == len(everything)
    assert len(rows(demo, "--since", "2025-04-10", "--until", "today")) == \
        len(rows(demo, "--since", "2025-04-10"))
    one_day = rows(demo, "--since", "2025-04-02", "--until", "2025-04-02")
    assert one_day and all(str(r["published"]).startswith("2025-04-02") for r in one_day)


@pytest.mark.parametrize(("args", "fragments"), [
    (["--since", "7x"], ["--since", "'7x'", "2025-04-01"]),
    (["--since", "2025-13-01"], ["--since", "2025-13-01", "month"]),
    (["--until", "2025-02-30"], ["--until", "2025-02-30"]),
    (["--since", "2025-04-12", "--until", "2025-04-10"], ["reversed"]),
    (["--until", "2025-04-10", "--since", "2025-04-12"], ["reversed"]),
    (["--since", "today", "--until", "yesterday"], ["reversed"]),
    (["--claim", "nope"], ["--claim", "'nope'", "nk-casualties"]),
    (["--claim", "nk-casualty"], ["nk-casualties"]),     # suggests the close one
])
def test_history_refuses_bad_arguments(demo: Path, args: list[str],
                                       fragments: list[str]) -> None:
    refused(cli("history", *args, config=demo), *fragments)


def test_history_known_claim_still_works(demo: Path) -> None:
    assert rows(demo, "--claim", "nk-casualties")


def test_claims_show_refuses_an_unknown_claim_as_usage(demo: Path) -> None:
    refused(cli("claims", "show", "nope", config=demo), "'nope'", "nk-casualties")
    assert cli("claims", "show", "nk-casualties", config=demo).code == 0


def test_candidates_take_the_same_dates(demo: Path) -> None:
    def listed(*args: str) -> list[object]:
        r = cli("candidates", "list", "--format", "json", *args, config=demo)
        assert r.code == 0, r.err
        found: list[object] = json.loads(r.out)
        return found

    assert len(listed("--since", "1000w")) == len(listed())
    refused(cli("candidates", "list", "--since", "2025-13-01", config=demo), "month")


def test_digest_takes_the_same_dates(demo: Path) -> None:
    # The figures were recorded just now, so each of these periods holds the whole run;
    # a day given as --until counts whole, as in history (it used to mean its midnight).
    today = datetime.now(UTC).date()
    yesterday = (today - timedelta(days=1)).isoformat()
    got = []
    for since, until in (("yesterday", "today"), (yesterday, today.isoformat()),
                         ("2d", "now"), ("1000w", "today")):
        r = cli("digest", "--format", "json", "--since", since, "--until", until,
                config=demo)
        assert r.code == 0, r.err
        got.append(json.loads(r.out)["counts"]["observations"])
    assert got[0] > 0 and len(set(got)) == 1, got
    # ... and the same words are refused the same way.
    refused(cli("digest", "--since", "2025-13-01", config=demo), "--since", "month")
    refused(cli("digest", "--since", "today", "--until", "yesterday", config=demo),
            "reversed")
    refused(cli("digest", "--until", "1d", "--since", "1h", config=demo), "reversed")


def test_digest_refuses_a_bad_date_before_needing_a_database(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    refused(cli("digest", "--since", "soonish", config=config), "--since", "'soonish'")


# --- item 9: feed URLs ------------------------------------------------------------------

@pytest.mark.parametrize(("url", "fragment"), [
    ("https://example.org/my feed.xml", "space"),
    ("https://exa mple.org/feed.xml", "space"),
    ("https://example.org/feed.xml\tx", "tab"),
    ("https://example.org/<feed>", "'<'"),
    ("https://-bad-.example/feed", "host name"),
    ("https://exa_mple..org/feed", "host name"),
    ("https:///feed.xml", "host name"),
    ("https://[::1/feed", "URL"),
    ("https://[zz::1]/feed", "IPv6"),
    ("feed.example/rss", "http"),
])
def test_bad_feed_urls_are_refused_at_load(tmp_path: Path, url: str, fragment: str) -> None:
    config = write_config(tmp_path, [{"url": "https://good.example/rss", "name": "fine"},
                                     {"url": url, "name": "Broken Wire"}])
    with pytest.raises(ConfigError) as info:
        load_config(config)
    message = str(info.value)
    assert str(config) in message and "feeds[1].url" in message, message
    assert "Broken Wire" in message and fragment in message, message
    r = cli("feeds", "list", config=config)
    assert r.code == 2 and r.err.startswith("error:") and "Broken Wire" in r.err, r.err


@pytest.mark.parametrize("url", [
    "https://example.org/feed.xml?x=1&y=%20z", "http://127.0.0.1:8080/f.xml",
    "https://[2001:db8::1]/rss", "https://news.exämple.org/rss", "HTTPS://Example.ORG/rss",
    "https://user:secret@example.org/rss", "https://some_host.example.org/rss",
])
def test_good_feed_urls_still_load(tmp_path: Path, url: str) -> None:
    config = write_config(tmp_path, [{"url": url}])
    assert load_config(config).feeds[0].url == url


def test_feeds_add_refuses_a_url_with_a_space(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    before = config.read_text()
    r = cli("feeds", "add", "https://example.org/my feed.xml", config=config)
    assert r.code == 2 and "space" in r.err, r.err
    assert config.read_text() == before


# --- item 10: the interval floor ----------------------------------------------------------

@pytest.mark.parametrize("interval", ["5s", "59s", 30, "0.5m"])
def test_an_interval_below_the_floor_is_refused(tmp_path: Path,
                                                interval: str | int) -> None:
    config = write_config(tmp_path, [{"url": "https://news.example/rss", "name": "Wire",
                                      "interval": interval}])
    with pytest.raises(ConfigError) as info:
        load_config(config)
    message = str(info.value)
    assert str(config) in message and "feeds[0].interval" in message, message
    assert "Wire" in message and "1 minute" in message and "own_server" in message
    r = cli("run", "--once", config=config)
    assert r.code == 2 and r.err.startswith("error:") and "own_server" in r.err


def test_own_server_lifts_the_floor_and_the_floor_is_inclusive(tmp_path: Path) -> None:
    config = write_config(tmp_path, [
        {"url": "https://mine.example/rss", "interval": "5s", "own_server": True},
        {"url": "https://news.example/rss", "interval": "1m"},
        {"url": "http://127.0.0.1:9/local.xml", "interval": "1s"},   # this machine
    ])
    feeds = load_config(config).feeds
    assert [f.interval for f in feeds] == [5, 60, 1]
    assert [f.own_server for f in feeds] == [True, False, False]
    config = write_config(tmp_path, [{"url": "https://mine.example/rss",
                                      "own_server": "yes"}])
    with pytest.raises(ConfigError, match=r"feeds\[0\]\.own_server"):
        load_config(config)


def test_feeds_add_refuses_a_fast_interval_and_leaves_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    before = config.read_text()
    r = cli("feeds", "add", "https://news.example/rss", "--interval", "5s", config=config)
    assert r.code == 2 and "1 minute" in r.err and "Traceback" not in r.err, r.err
    assert config.read_text() == before


def test_readme_documents_the_floor_and_the_date_forms() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "own_server" in readme and "1 minute" in readme
    assert "yesterday" in readme and "2w" in readme
