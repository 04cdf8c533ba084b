"""A new user's first hour with the CLI (issue 12): where the config is found, `init`,
--db/--config after the subcommand, read commands that never create a database, no
directory trees made by accident, square brackets that survive, and piped output."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import ROOT, Result, write_config
from watcher.store import Store

SRC = ROOT / "src"
TEXT = "Some 12,000 North Korean troops were sent to the Kursk region, officials said.\n"


def run_in(cwd: Path, *args: str, env: dict[str, str] | None = None,
           input: str | None = None, columns: str | None = "200") -> Result:
    """The real CLI run from ``cwd``, with HOME and the XDG folders inside ``cwd``."""
    full = {k: v for k, v in os.environ.items()
            if not k.startswith(("WATCHER_", "XDG_")) and k != "COLUMNS"}
    full["HOME"] = str(cwd / "home")
    full["PYTHONPATH"] = os.pathsep.join([str(SRC), full.get("PYTHONPATH", "")]).rstrip(":")
    if columns is not None:
        full["COLUMNS"] = columns
    full.update(env or {})
    p = subprocess.run([sys.executable, "-m", "watcher", *args], capture_output=True,
                       text=True, env=full, input=input, timeout=180, cwd=cwd)
    return Result(p.returncode, p.stdout, p.stderr)


def one_feed_config(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return write_config(directory, [{"url": "http://127.0.0.1:9/feed.xml", "name": name}])


def empty_config(directory: Path, db: str = "watcher.db") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = write_config(directory, [])
    text = path.read_text(encoding="utf-8").replace('path = "watcher.db"', f'path = "{db}"')
    path.write_text(text, encoding="utf-8")
    return path


# --- item 3: packaged defaults, search order, init ---------------------------------------

def test_packaged_defaults_equal_the_checkout_copies() -> None:
    defaults = resources.files("watcher") / "data" / "defaults"
    for name in ("watcher.toml", "baseline.toml"):
        packaged = (defaults / name).read_text(encoding="utf-8")
        assert packaged == (ROOT / "config" / name).read_text(encoding="utf-8"), name


def test_extract_works_from_any_folder(tmp_path: Path) -> None:
    r = run_in(tmp_path, "extract", "--format", "jsonl", input=TEXT)
    assert r.code == 0, r.err
    assert "nk-troops" in r.out or "12000" in r.out.replace(",", "")
    assert not (tmp_path / "config").exists()


def test_demo_works_from_any_folder(tmp_path: Path) -> None:
    r = run_in(tmp_path, "demo", "--html", "demo.html")
    assert r.code == 0, r.err
    assert (tmp_path / "demo.html").exists()


def test_config_search_order(tmp_path: Path) -> None:
    work = tmp_path
    flag = one_feed_config(work / "flag", "from-flag")
    env_cfg = one_feed_config(work / "env", "from-env")
    one_feed_config(work / "config", "from-cwd")
    xdg = work / "xdg"
    one_feed_config(xdg / "watcher", "from-xdg")
    env = {"XDG_CONFIG_HOME": str(xdg)}

    def chosen(*extra: str, e: dict[str, str] | None = None) -> str:
        r = run_in(work, *extra, "feeds", "export", env={**env, **(e or {})})
        assert r.code == 0, r.err
        return r.out

    assert "from-flag" in chosen("--config", str(flag), e={"WATCHER_CONFIG": str(env_cfg)})
    assert "from-env" in chosen(e={"WATCHER_CONFIG": str(env_cfg)})
    assert "from-cwd" in chosen()
    (work / "config" / "watcher.toml").unlink()
    assert "from-xdg" in chosen()
    (xdg / "watcher" / "watcher.toml").unlink()
    assert "BBC News" in chosen()          # the packaged default


def test_xdg_default_is_home_config(tmp_path: Path) -> None:
    one_feed_config(tmp_path / "home" / ".config" / "watcher", "from-home")
    r = run_in(tmp_path, "feeds", "export")
    assert r.code == 0, r.err
    assert "from-home" in r.out


def test_named_config_that_is_missing_is_an_error(tmp_path: Path) -> None:
    r = run_in(tmp_path, "feeds", "export", env={"WATCHER_CONFIG": str(tmp_path / "no.toml")})
    assert r.code == 2
    assert "no.toml" in r.err and "BBC" not in r.out


def test_init_writes_an_editable_copy(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    r = run_in(tmp_path, "init", str(target))
    assert r.code == 0, r.err
    assert (target / "baseline.toml").read_text(encoding="utf-8") == (
        ROOT / "config" / "baseline.toml").read_text(encoding="utf-8")
    text = (target / "watcher.toml").read_text(encoding="utf-8")
    assert "# watcher configuration" in text            # comments kept
    r = run_in(tmp_path, "--config", str(target / "watcher.toml"), "feeds", "export")
    assert r.code == 0 and "BBC News" in r.out, r.err
    again = run_in(tmp_path, "init", str(target))
    assert again.code == 2 and "error:" in again.err and "--force" in again.err
    assert run_in(tmp_path, "init", str(target), "--force").code == 0


def test_init_without_dir_writes_the_user_config_that_is_then_found(tmp_path: Path) -> None:
    r = run_in(tmp_path, "init")
    assert r.code == 0, r.err
    written = tmp_path / "home" / ".config" / "watcher" / "watcher.toml"
    assert written.exists()
    written.write_text(written.read_text(encoding="utf-8").replace(
        'name = "BBC News - World"', 'name = "My edited feed"'), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_in(elsewhere, "feeds", "export",
               env={"HOME": str(tmp_path / "home")})
    assert r.code == 0, r.err
    assert "My edited feed" in r.out


def test_packaged_config_keeps_its_database_in_the_user_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = run_in(tmp_path, "claims", env={"XDG_DATA_HOME": str(data)})
    assert r.code == 2
    assert str(data / "watcher" / "watcher.db") in r.err
    assert not data.exists()


# --- item 4: --db and --config after the subcommand -------------------------------------

def test_db_and_config_after_the_subcommand(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    db = tmp_path / "x.db"
    r = run_in(tmp_path, "run", "--once", "--db", str(db), "--config", str(cfg))
    assert r.code == 0, r.err
    assert db.exists()
    r = run_in(tmp_path, "claims", "--db", str(db), "--config", str(cfg))
    assert r.code == 0, r.err
    r = run_in(tmp_path, "feeds", "export", "--config", str(one_feed_config(
        tmp_path / "other", "after-sub")))
    assert r.code == 0 and "after-sub" in r.out, r.err


def test_option_after_the_subcommand_wins(tmp_path: Path) -> None:
    first = one_feed_config(tmp_path / "a", "first")
    second = one_feed_config(tmp_path / "b", "second")
    r = run_in(tmp_path, "--config", str(first), "feeds", "export", "--config", str(second))
    assert r.code == 0, r.err
    assert "second" in r.out and "first" not in r.out


# --- item 6: read commands never create a database --------------------------------------

@pytest.mark.parametrize("command", [
    ["claims"], ["claims", "show", "nk-troops-deployed"], ["history"], ["digest"],
    ["reprocess"],
])
def test_read_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    cfg = empty_config(tmp_path / "cfg")
    db = tmp_path / "no" / "such.db"
    r = run_in(tmp_path, "--config", str(cfg), *command, "--db", str(db))
    assert r.code == 2, (r.code, r.err)
    assert r.err.startswith("error:") and str(db) in r.err
    assert not db.parent.exists()
    beside = tmp_path / "such.db"
    r = run_in(tmp_path, "--config", str(cfg), *command, "--db", str(beside))
    assert r.code == 2
    assert not beside.exists()
    assert not list(tmp_path.glob("such.db*"))


@pytest.mark.parametrize("command", [["feeds", "list"], ["status"]])
def test_config_views_without_a_database_create_none(tmp_path: Path,
                                                     command: list[str]) -> None:
    cfg = empty_config(tmp_path / "cfg")
    db = tmp_path / "such.db"
    run_in(tmp_path, "--config", str(cfg), *command, "--db", str(db))
    assert not list(tmp_path.glob("such.db*"))


# --- item 7: no directory trees ---------------------------------------------------------

def test_run_once_does_not_create_a_directory_tree_for_db(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    r = run_in(tmp_path, "run", "--once", "--config", str(cfg), "--db", str(db))
    assert r.code == 2
    assert r.err.startswith("error:") and str(db.parent) in r.err
    assert not (tmp_path / "nonexistent").exists()


def test_daemon_does_not_create_a_directory_tree_for_db(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    r = run_in(tmp_path, "run", "--config", str(cfg), "--db", str(db))
    assert r.code == 2
    assert str(db.parent) in r.err
    assert not (tmp_path / "nonexistent").exists()


def test_default_database_folder_is_created_and_said(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg", db="db/watcher.db")
    r = run_in(tmp_path, "run", "--once", "--config", str(cfg))
    assert r.code == 0, r.err
    assert (tmp_path / "cfg" / "db" / "watcher.db").exists()
    assert "created" in r.err and str(tmp_path / "cfg" / "db") in r.err


def test_configured_database_two_folders_deep_is_refused(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg", db="a/b/watcher.db")
    r = run_in(tmp_path, "run", "--once", "--config", str(cfg))
    assert r.code == 2
    assert str(tmp_path / "cfg" / "a" / "b") in r.err
    assert not (tmp_path / "cfg" / "a").exists()


# --- item 8: square brackets survive ----------------------------------------------------

def test_brackets_in_the_datasette_hint_survive(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    Store(tmp_path / "cfg" / "watcher.db").close()
    hide = tmp_path / "hide"
    hide.mkdir()
    # a Python where datasette is not installed: no import, nothing on PATH
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['datasette'] = None\n",
                                           encoding="utf-8")
    r = run_in(tmp_path, "--config", str(cfg), "browse", env={
        "PYTHONPATH": os.pathsep.join([str(hide), str(SRC)]), "PATH": "/usr/bin:/bin"})
    assert r.code == 1
    assert "pip install 'watcher[browse]'" in r.err


def test_brackets_in_the_notify_message_survive(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    cfg.write_text(cfg.read_text(encoding="utf-8") + "[digest]\nsend_empty = true\n",
                   encoding="utf-8")
    Store(tmp_path / "cfg" / "watcher.db").close()
    r = run_in(tmp_path, "--config", str(cfg), "digest", "--send")
    assert "no notify URLs configured ([digest] notify)" in r.out + r.err


def test_brackets_in_config_errors_survive(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    cfg.write_text("digest = 5\n" + cfg.read_text(encoding="utf-8"), encoding="utf-8")
    r = run_in(tmp_path, "--config", str(cfg), "feeds", "export")
    assert r.code == 2
    assert "must be a table ([digest])" in r.err


def test_brackets_in_paths_survive(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    db = tmp_path / "x[1].db"
    r = run_in(tmp_path, "--config", str(cfg), "claims", "--db", str(db))
    assert r.code == 2
    assert "x[1].db" in r.err


# --- item 13: piped output --------------------------------------------------------------

def test_piped_tables_use_their_full_width_without_columns(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    r = run_in(tmp_path, "--config", str(cfg), "run", "--once")
    assert r.code == 0, r.err
    r = run_in(tmp_path, "--config", str(cfg), "claims", columns=None)
    assert r.code == 0, r.err
    assert "North Korean troops sent" in r.out      # one cell, not wrapped
    assert max(len(line) for line in r.out.splitlines()) > 80


def test_piped_tables_honour_columns(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    assert run_in(tmp_path, "--config", str(cfg), "run", "--once").code == 0
    r = run_in(tmp_path, "--config", str(cfg), "claims", columns="100")
    assert r.code == 0, r.err
    assert max(len(line) for line in r.out.splitlines()) <= 100


def test_piped_messages_never_wrap(tmp_path: Path) -> None:
    cfg = empty_config(tmp_path / "cfg")
    url = "ftp://example.org/" + "a-very-long-path-segment/" * 8 + "feed.xml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f'[[feeds]]\nurl = "{url}"\n',
                   encoding="utf-8")
    for columns in (None, "40"):
        r = run_in(tmp_path, "--config", str(cfg), "feeds", "export", columns=columns)
        assert r.code == 2
        assert url in r.err
        assert r.err.count("\n") == 1, r.err


def test_piped_stdout_lines_never_wrap(tmp_path: Path) -> None:
    deep = tmp_path / ("a-long-folder-name-" * 3) / ("another-long-folder-name-" * 3)
    cfg = empty_config(deep)
    r = run_in(tmp_path, "--config", str(cfg), "run", "--once", columns="40")
    assert r.code == 0, r.err
    assert f"database: {deep / 'watcher.db'}\n" in r.out


def test_the_packaged_defaults_are_never_edited(tmp_path: Path) -> None:
    """With no config of one's own, edits must not change the copy inside the package."""
    from watcher.config import packaged_defaults

    shipped = packaged_defaults() / "watcher.toml"
    before = shipped.read_bytes()
    home = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "XDG_DATA_HOME": str(tmp_path / "data")}
    r = run_in(tmp_path, "feeds", "add", "http://127.0.0.1:9/feed.xml", env=home)
    assert r.code == 2
    assert "watcher init" in r.err
    r = run_in(tmp_path, "claims", "add", "x-one", "--statement", "One.", "--subject",
               "North Korea", "--kind", "count", "--event", "killed", env=home)
    assert r.code == 2
    assert "watcher init" in r.err
    assert shipped.read_bytes() == before
