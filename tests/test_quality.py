"""The code stays ruff- and mypy-clean: checked with the tests so it cannot drift."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(
        name, path=str(sys.executable).rsplit("/", 1)[0])
    if exe is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [exe]


def test_ruff_clean() -> None:
    r = subprocess.run([*_tool("ruff"), "check", "src", "tests", "benchmarks"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_clean() -> None:
    r = subprocess.run([*_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
