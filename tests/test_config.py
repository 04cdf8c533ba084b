"""Config loading: valid files become typed settings; bad ones give one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from watcher.config import load_config, parse_duration
from watcher.errors import ConfigError

from .conftest import ROOT, cli, write_config


def test_shipped_config_is_valid_and_lists_real_feeds() -> None:
    cfg = load_config(ROOT / "config" / "watcher.toml")
    assert 8 <= len(cfg.feeds) <= 15
    assert all(f.url.startswith("https://") for f in cfg.feeds)
    assert cfg.baseline == (ROOT / "config" / "baseline.toml").resolve()
    assert cfg.db_path == (ROOT / "db" / "watcher.db").resolve()
    assert cfg.fetch.max_bytes == 10_000_000
    assert "watcher" in cfg.fetch.user_agent


def test_paths_relative_to_config_and_overrides(tmp_path: Path) -> None:
    path = write_config(tmp_path, [{"url": "http://127.0.0.1:9/f.xml", "interval": "2h"}])
    cfg = load_config(path)
    assert cfg.db_path == (tmp_path / "watcher.db").resolve()
    assert cfg.feeds[0].interval == 7200
    assert cfg.feeds[0].name == "127.0.0.1"
    assert load_config(path, db=tmp_path / "other.db").db_path == tmp_path / "other.db"


@pytest.mark.parametrize(("text", "seconds"), [
    ("30m", 1800), ("2h", 7200), ("1d", 86400), ("90s", 90), ("1.5h", 5400), ("1w", 604800),
])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("body", "key", "fragment"), [
    ('[[feeds]]\nurl = "http://a.example/f"\nintervall = "1h"\n', "feeds[0].intervall",
     "unknown key"),
    ('[[feeds]]\nurl = "ftp://a.example/f"\n', "feeds[0].url", "http"),
    ('[[feeds]]\nurl = "http://a.example/f"\ninterval = "soon"\n', "feeds[0].interval",
     "duration"),
    ('[[feeds]]\nname = "x"\n', "feeds[0].url", "required"),
    ('[[feeds]]\nurl = "http://a.example/f"\nenabled = "yes"\n', "feeds[0].enabled",
     "true or false"),
    ('[fetch]\nmax_bytes = "big"\n', "fetch.max_bytes", "whole number"),
    ('[fetch]\nconcurrency = 0\n', "fetch.concurrency", "at least 1"),
    ('[fetch]\nretries = true\n', "fetch.retries", "whole number"),
    ('colour = "blue"\n', "colour", "unknown key"),
    ('[[feeds]]\nurl = "http://a.example/f"\n[[feeds]]\nurl = "http://a.example/f"\n',
     "feeds[1].url", "repeats"),
])
def test_bad_config_names_file_and_key(tmp_path: Path, body: str, key: str,
                                       fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == key
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_cli_reports_bad_config_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[feeds]]\nurl = "http://a.example/f"\ninterval = "fortnightly"\n')
    r = cli("run", "--once", config=path)
    assert r.code == 2
    assert "Traceback" not in r.err
    assert r.err.startswith("error:")
    assert "bad.toml: feeds[0].interval" in r.err


def test_cli_missing_and_broken_files(tmp_path: Path) -> None:
    r = cli("feeds", "list", config=tmp_path / "nope.toml")
    assert r.code == 2 and "no such file" in r.err and "Traceback" not in r.err
    broken = tmp_path / "broken.toml"
    broken.write_text("[fetch\nx=1")
    r = cli("feeds", "list", config=broken)
    assert r.code == 2 and "not valid TOML" in r.err


def test_env_variables_choose_config_and_db(tmp_path: Path) -> None:
    path = write_config(tmp_path, [{"url": "http://127.0.0.1:9/f.xml", "name": "local"}])
    r = cli("feeds", "list", "--format", "json",
            env={"WATCHER_CONFIG": str(path), "WATCHER_DB": str(tmp_path / "x.db")})
    assert r.code == 0, r.err
    assert '"name": "local"' in r.out


def test_feeds_add_refuses_bad_input_and_leaves_the_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, [{"url": "http://127.0.0.1:9/f.xml"}])
    before = path.read_text()
    for args, key in ((["ftp://example.org/feed"], "feeds.url"),
                      (["http://example.org:99999/feed"], "feeds.url"),
                      (["http://example.org/feed", "--interval", "often"], "feeds.interval")):
        r = cli("feeds", "add", *args, config=path)
        assert r.code == 2 and key in r.err and "Traceback" not in r.err, r.err
    assert path.read_text() == before
