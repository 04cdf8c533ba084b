"""Issue 12, files and processes: output modes, `browse` and signals, OPML, feed editing, README."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli, write_config
from watcher.config import load_config
from watcher.sample_site import Item, LoopbackSite, render_rss2
from watcher.store import Store


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    """The CLI subprocesses inherit the umask, so the test sets the one it asserts against."""
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- 14: publishable outputs follow the umask -----------------------------------------

def test_published_outputs_follow_the_umask(tmp_path: Path) -> None:
    keep, page = tmp_path / "keep", tmp_path / "page.html"
    atom, opml = tmp_path / "changes.atom", tmp_path / "feeds.opml"
    with umask(0o022):
        r = cli("demo", "--keep", str(keep), "--html", str(page))
        assert r.code == 0, r.err
        db = keep / "demo.db"
        r = cli("--db", str(db), "digest", "--since", "24h", "--format", "atom", "-o", str(atom))
        assert r.code == 0, r.err
        r = cli("feeds", "export", "-o", str(opml))
        assert r.code == 0, r.err
    for published in (page, atom, opml):
        assert mode(published) == 0o644, published


def test_write_atomically_uses_the_umask_and_leaves_no_temp_file(tmp_path: Path) -> None:
    from watcher.digest.atom import write_atomically

    target = tmp_path / "out" / "chart.svg"
    with umask(0o027):
        write_atomically(target, "<svg/>")
    assert mode(target) == 0o640
    assert target.read_text(encoding="utf-8") == "<svg/>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["chart.svg"]


# --- 15: browse forwards SIGTERM and cleans up ----------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _pids_mentioning(text: str) -> list[int]:
    """Processes whose command line names `text` (the test's own temp folder)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if text.encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
    return pids


def test_browse_stopped_by_sigterm_stops_datasette_and_removes_metadata(tmp_path: Path) -> None:
    pytest.importorskip("datasette")
    config = write_config(tmp_path, [])
    with Store(tmp_path / "watcher.db"):
        pass
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    env["TMPDIR"] = str(scratch)
    proc = subprocess.Popen(
        [sys.executable, "-m", "watcher", "--config", str(config), "browse",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:   # Uvicorn says when it listens; EOF if it died
            seen.append(line)
            if "Uvicorn running on" in line:
                break
        else:
            pytest.fail("Datasette never started: " + "".join(seen))
        assert _listening(port)
        assert len(list(scratch.iterdir())) == 1          # the metadata file is where we look
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        assert not _listening(port)
        assert list(scratch.iterdir()) == []
        assert _pids_mentioning(str(scratch)) == []
    finally:
        for pid in _pids_mentioning(str(scratch)):        # today's orphaned Datasette
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


# --- 16: OPML keeps watcher's own attributes ------------------------------------------

def test_opml_export_then_import_keeps_intervals_and_enabled(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9/feeds"
    feeds: list[dict[str, object]] = [
        {"url": f"{base}/a.xml", "name": "A", "interval": "30m"},
        {"url": f"{base}/b.xml", "name": "B", "interval": "2h"},
        {"url": f"{base}/c.xml", "name": "C", "interval": "6h", "enabled": False},
        {"url": f"{base}/d.xml", "name": "D", "interval": "90s"},
    ]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    source = write_config(tmp_path / "a", feeds)
    target = write_config(tmp_path / "b", [])
    opml = tmp_path / "feeds.opml"
    assert cli("feeds", "export", "-o", str(opml), config=source).code == 0
    r = cli("feeds", "import", str(opml), "--interval", "12h", config=target)
    assert r.code == 0, r.err
    before = {f.url: (f.interval, f.enabled) for f in load_config(source).feeds}
    after = {f.url: (f.interval, f.enabled) for f in load_config(target).feeds}
    assert after == before
    assert after[f"{base}/c.xml"] == (6 * 3600.0, False)


def test_opml_from_elsewhere_gets_the_import_interval_and_bad_values_are_reported(
    tmp_path: Path,
) -> None:
    from watcher.opml import parse_opml

    opml = tmp_path / "other.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0" xmlns:w="https://watcher.invalid/ns/opml">'
        '<head/><body>'
        '<outline type="rss" text="X" xmlUrl="http://127.0.0.1:9/x.xml"/>'
        '<outline type="rss" text="Y" xmlUrl="http://127.0.0.1:9/y.xml" w:interval="soon"/>'
        '</body></opml>', encoding="utf-8")
    # A foreign namespace is not watcher's: its attributes are ignored, not misread.
    result = parse_opml(opml.read_bytes())
    assert [f.interval for f in result.feeds] == [None, None]
    config = write_config(tmp_path, [])
    assert cli("feeds", "import", str(opml), "--interval", "2h", config=config).code == 0
    assert [f.interval for f in load_config(config).feeds] == [7200.0, 7200.0]


def test_opml_bad_watcher_interval_is_reported_and_dropped() -> None:
    from watcher.opml import WATCHER_NS, parse_opml

    data = (f'<opml version="2.0" xmlns:watcher="{WATCHER_NS}"><body>'
            '<outline type="rss" text="Y" xmlUrl="http://127.0.0.1:9/y.xml" '
            'watcher:interval="soon" watcher:enabled="maybe"/></body></opml>').encode()
    result = parse_opml(data)
    assert [(f.url, f.interval, f.enabled) for f in result.feeds] == [
        ("http://127.0.0.1:9/y.xml", None, True)]
    reasons = " ".join(why for _, why in result.skipped)
    assert "interval" in reasons and "enabled" in reasons


# --- 17: feeds remove / disable / enable ----------------------------------------------

CONFIG_WITH_COMMENTS = """\
# my watcher config
baseline = {baseline}

[storage]
path = "watcher.db"   # next to this file

[fetch]
retries = 0
backoff = "0.1s"

[extract]
workers = 1

# the wires I trust
[[feeds]]
url = "{a}"
name = "Wire A"   # fast
interval = "30m"

# slow one
[[feeds]]
url = "{b}"
name = "Wire B"
tags = ["slow"]

# end of feeds
"""


def _feed_site(site: LoopbackSite) -> tuple[str, str]:
    body = render_rss2("Wire", site.base, [Item(title="nothing", link=site.url("/n.html"))])
    return site.add("/a.xml", body), site.add("/b.xml", body)


def test_feeds_disable_enable_remove_keep_comments(tmp_path: Path, site: LoopbackSite) -> None:
    a, b = _feed_site(site)
    path = tmp_path / "watcher.toml"
    original = CONFIG_WITH_COMMENTS.format(
        baseline=json.dumps(str(ROOT / "config" / "baseline.toml")), a=a, b=b)
    path.write_text(original, encoding="utf-8")

    r = cli("feeds", "disable", "Wire B", config=path)
    assert r.code == 0, r.err
    text = path.read_text(encoding="utf-8")
    assert "enabled = false" in text
    # every line the user wrote is still there, in order
    assert [ln for ln in text.splitlines() if "enabled" not in ln] == original.splitlines()
    assert [f.enabled for f in load_config(path).feeds] == [True, False]

    listed = json.loads(cli("feeds", "list", "--format", "json", config=path).out)
    assert [f["enabled"] for f in listed] == [True, False]
    assert cli("run", "--once", config=path).code == 0
    assert site.requests("/a.xml") and not site.requests("/b.xml")

    r = cli("feeds", "enable", b, config=path)
    assert r.code == 0, r.err
    assert path.read_text(encoding="utf-8") == original

    r = cli("feeds", "remove", "wire b", config=path)     # names match case-insensitively
    assert r.code == 0, r.err
    text = path.read_text(encoding="utf-8")
    assert b not in text and "# my watcher config" in text and "# end of feeds" in text
    assert "# the wires I trust" in text and 'name = "Wire A"   # fast' in text
    assert [f.url for f in load_config(path).feeds] == [a]


@pytest.mark.parametrize("command", ["remove", "disable", "enable"])
def test_feeds_edit_of_an_unknown_feed_is_a_usage_error(tmp_path: Path, command: str) -> None:
    config = write_config(tmp_path, [{"url": "http://127.0.0.1:9/a.xml", "name": "Same"},
                                     {"url": "http://127.0.0.1:9/b.xml", "name": "Same"}])
    before = config.read_text(encoding="utf-8")
    r = cli("feeds", command, "nope", config=config)
    assert r.code == 2
    assert r.err.strip().startswith("error:") and len(r.err.strip().splitlines()) == 1
    assert "nope" in r.err
    r = cli("feeds", command, "Same", config=config)
    assert r.code == 2 and "more than one" in r.err
    assert config.read_text(encoding="utf-8") == before


def test_disable_twice_and_enable_of_an_enabled_feed_change_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"url": "http://127.0.0.1:9/a.xml", "name": "A"}])
    before = config.read_text(encoding="utf-8")
    r = cli("feeds", "enable", "A", config=config)
    assert r.code == 0 and "already enabled" in r.out
    assert config.read_text(encoding="utf-8") == before
    assert cli("feeds", "disable", "A", config=config).code == 0
    once = config.read_text(encoding="utf-8")
    r = cli("feeds", "disable", "A", config=config)
    assert r.code == 0 and "already disabled" in r.out
    assert config.read_text(encoding="utf-8") == once


# --- 18: every path the README names exists -------------------------------------------

def _layout_paths(layout: str) -> list[str]:
    """Every file or folder the layout block names, as a path from the checkout's root.

    Top-level lines name a folder; two-space lines name entries in it (comma-separated
    before the description); a `name.py` in a description lives beside, or inside, its entry.
    """
    paths: list[str] = []
    top = here = ""
    for line in layout.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        head, _, description = line.strip().partition("  ")
        if indent == 0:
            top = here = head
            paths.append(head)
        elif indent == 2:
            names = [n.strip() for n in head.split(",")]
            paths += [top + n for n in names]
            here = top + names[0] if names[0].endswith("/") else top
        else:
            description = line
        paths += [here + n for n in re.findall(r"\b(\w+\.py)\b", description)]
    return paths


def test_readme_layout_paths_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```", 2)[1]
    paths = _layout_paths(layout)
    assert "src/watcher/config.py" in paths and "src/watcher/claims/match.py" in paths
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_readme_paths_in_text_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:src|tests|config|benchmarks|docs)/[\w./-]+)`", readme))
    missing = sorted(p for p in named if "*" not in p and not (ROOT / p).exists())
    assert missing == []
