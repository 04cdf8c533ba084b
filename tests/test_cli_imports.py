"""The command line imports what a command needs, not what every command could need.

Every `watcher` invocation imports watcher.cli, so a heavy import at the top of a CLI
module (the store and with it sqlite_utils and numpy, rich, the digest, the fetcher...)
is paid by `watcher --help` and `watcher extract` alike. Each case runs in a fresh
interpreter and lists which of the heavy modules it ended up with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT

# Third-party packages and watcher modules that no command needs merely to be listed.
HEAVY = (
    "sqlite_utils", "numpy", "rich", "trafilatura", "apscheduler", "httpx", "tomlkit",
    "matplotlib", "apprise", "feedparser", "lxml", "orjson", "py3langid", "asyncio",
    "watcher.store", "watcher.claims", "watcher.figures", "watcher.config",
    "watcher.digest", "watcher.daemon", "watcher.pipeline", "watcher.observe",
    "watcher.language", "watcher.changes",
)

# What `extract` must still do without: the database, the terminal tables (json output)
# and everything that fetches, schedules or delivers.
NOT_FOR_EXTRACT = (
    "sqlite_utils", "watcher.store", "rich", "trafilatura", "apscheduler", "httpx",
    "matplotlib", "apprise", "feedparser", "watcher.digest", "watcher.daemon",
    "watcher.pipeline", "watcher.observe",
)

_REPORT = """
import json, sys
def _loaded(names):
    return sorted(n for n in names if n in sys.modules)
"""


def _loaded_after(code: str, names: tuple[str, ...], stdin: str = "") -> list[str]:
    """Run ``code`` in a fresh interpreter; the modules of ``names`` it had imported."""
    script = _REPORT + code + f"\nprint(json.dumps(_loaded({list(names)!r})))\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       env=env, cwd=ROOT, input=stdin, timeout=120)
    assert p.returncode == 0, p.stderr
    loaded: list[str] = json.loads(p.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_cli_imports_no_heavy_module() -> None:
    assert _loaded_after("import watcher.cli", HEAVY) == []


def test_help_imports_no_heavy_module() -> None:
    code = """
import contextlib, io
from watcher.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(["--help"], prog_name="watcher")
    except SystemExit as e:
        assert e.code == 0, e.code
assert "extract" in out.getvalue()
"""
    assert _loaded_after(code, HEAVY) == []


def test_extract_as_json_imports_neither_store_nor_rich() -> None:
    code = """
import contextlib, io
from watcher.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["extract", "--all", "--format", "json"], prog_name="watcher")
    except SystemExit as e:
        assert not e.code, e.code
"""
    text = "Officials said at least 3,000 soldiers were killed last week.\n"
    assert _loaded_after(code, NOT_FOR_EXTRACT, stdin=text) == []


def test_worker_preload_leaves_the_store_out() -> None:
    # every extraction worker starts from the forkserver's imports: the store and
    # sqlite_utils would cost each start time and each worker memory for nothing
    from watcher.workers import _PRELOAD

    code = f"import importlib\nfor m in {_PRELOAD!r}:\n    importlib.import_module(m)\n"
    assert _loaded_after(code, ("sqlite_utils", "watcher.store", "watcher.observe",
                                "watcher.pipeline", "httpx")) == []
