"""Config loading under fuzzing: a valid Config or one clear ConfigError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watcher.config import Config, load_config, parse_config
from watcher.errors import ConfigError

KEYS = {
    None: ["baseline", "storage", "fetch", "extract", "daemon", "digest", "feeds", "bogus"],
    "storage": ["path"],
    "fetch": ["connect_timeout", "read_timeout", "deadline", "max_bytes", "concurrency",
              "per_host", "retries", "backoff", "max_redirects", "user_agent",
              "allow_private_links", "typo"],
    "extract": ["max_html_bytes", "item_timeout", "workers", "articles_per_feed"],
    "daemon": ["feed_deadline", "max_backoff", "unhealthy_after", "stale_after",
               "misfire_grace", "shutdown_grace", "jitter"],
    "digest": ["at", "timezone", "notify", "title", "atom_path", "html_path"],
    "feeds": ["url", "name", "interval", "enabled", "tags", "extra"],
}

scalars = st.one_of(
    st.integers(min_value=-2**63, max_value=2**63 - 1), st.floats(allow_nan=True),
    st.booleans(), st.text(max_size=30),
    st.sampled_from(["30m", "2h", "0s", "-1h", "1e309s", "1.5d", "99999999999w", "07:00",
                     "25:99", "Europe/Berlin", "Mars/Olympus", "http://news.example/rss",
                     "ftp://x/", "https://", "baseline.toml", "../../etc/passwd", "\x00",
                     "/dev/zero", "json://x"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8)


@st.composite
def config_dicts(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(KEYS[None]), max_size=6, unique=True)):
        if key in KEYS and key != "feeds":
            table = {k: draw(values) for k in draw(st.lists(st.sampled_from(KEYS[key]),
                                                            max_size=5, unique=True))}
            data[key] = draw(st.one_of(st.just(table), values))
        elif key == "feeds":
            feeds = [{k: draw(values) for k in draw(st.lists(st.sampled_from(KEYS["feeds"]),
                                                             max_size=5, unique=True))}
                     for _ in range(draw(st.integers(0, 3)))]
            data[key] = draw(st.one_of(st.just(feeds), values))
        else:
            data[key] = draw(values)
    return data


def _toml_fragment() -> st.SearchStrategy[str]:
    pieces = st.sampled_from([
        "[fetch]\n", "[[feeds]]\n", "url = \"http://news.example/a.xml\"\n", "deadline = ",
        "\"60s\"\n", "max_bytes = 1_000\n", "= = =\n", "[storage\n", "path = '''\n",
        "interval = \"2h\"\n", "tags = [1, \"a\", {x = 1}]\n", "\x00", "\ufeff", "\"\\u0000\"",
        "[fetch.sub]\n", "a.b.c = 1\n", "baseline = \"b.toml\"\n", "enabled = maybe\n",
        "1979-05-27T07:32:00Z\n", "nan\n", "inf\n", "x = -0x10\n", "[[fetch]]\n",
    ])
    return st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=12).map("".join)


def _check(call: Any) -> None:
    try:
        result = call()
    except ConfigError as e:
        message = str(e)
        assert message and "Traceback" not in message
        assert e.path
    else:
        assert isinstance(result, Config)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config_dicts())
def test_parse_config_on_any_structure(data: dict[str, Any]) -> None:
    _check(lambda: parse_config(data, Path("/nonexistent/watcher.toml")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_toml_fragment(), st.binary(max_size=200).map(
    lambda b: b.decode("latin-1"))))
def test_load_config_on_any_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "watcher.toml"
        (Path(d) / "baseline.toml").write_text("")
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check(lambda: load_config(path))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_load_config_on_any_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "watcher.toml"
        path.write_bytes(raw)
        _check(lambda: load_config(path))
