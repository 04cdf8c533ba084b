"""Shared fixtures: a real loopback site, config files in tmp, the real CLI, and the
shipped baseline."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from watcher.sample_site import LoopbackSite

if TYPE_CHECKING:
    from watcher.claims import Baseline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def baseline() -> Baseline:
    """The shipped baseline (config/baseline.toml), read once: it is frozen, and one
    object lets the engine's per-baseline caches serve every test."""
    from watcher.claims import load_baseline

    return load_baseline(ROOT / "config" / "baseline.toml")


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as s:
        yield s


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return json.dumps(str(v))


def write_config(directory: Path, feeds: list[dict[str, Any]], *,
                 fetch: dict[str, Any] | None = None, extract: dict[str, Any] | None = None,
                 extra: str = "", baseline: str | None = None) -> Path:
    """A config in ``directory`` with fast-failing fetch settings for tests."""
    fetch = {"retries": 0, "backoff": "0.1s", "deadline": "10s", **(fetch or {})}
    extract = {"workers": 1, **(extract or {})}
    lines = [f"baseline = {json.dumps(baseline or str(ROOT / 'config' / 'baseline.toml'))}"]
    lines += ["[storage]", 'path = "watcher.db"', "[fetch]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in fetch.items()]
    lines.append("[extract]")
    lines += [f"{k} = {toml_value(v)}" for k, v in extract.items()]
    for f in feeds:
        lines.append("[[feeds]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in f.items()]
    path = directory / "watcher.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(*args: str, config: Path | None = None, env: dict[str, str] | None = None,
        input: str | None = None, timeout: float = 120) -> Result:
    """Run the real ``watcher`` command in a subprocess."""
    cmd = [sys.executable, "-m", "watcher"]
    if config is not None:
        cmd += ["--config", str(config)]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    full_env.update(env or {})
    full_env.setdefault("COLUMNS", "200")
    p = subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env,
                       input=input, timeout=timeout, cwd=ROOT)
    return Result(p.returncode, p.stdout, p.stderr)


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def integrity(db: Path) -> str:
    return str(query(db, "PRAGMA integrity_check")[0][0])


# A real SMTP server on 127.0.0.1 for delivery tests (aiosmtpd).
@dataclass
class Mailbox:
    port: int
    messages: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
