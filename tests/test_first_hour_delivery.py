"""Delivery per target (issue 12, items 1 and 2): each Apprise target gets the format it
takes, sized for the service, and an empty digest is not delivered unless asked.

A real SMTP server (aiosmtpd) and a real HTTP endpoint on 127.0.0.1 standing in for a
push service (Apprise's ``ntfy://`` and ``json://`` pointed at it) receive the messages.
"""

from __future__ import annotations

import email
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from watcher.sample_site import LoopbackSite, publish_demo

from .conftest import Mailbox, cli, query, write_config


@dataclass
class Push:
    """A push service on 127.0.0.1 that keeps every POST it receives."""

    port: int
    posts: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(body) for p, _h, body in self.posts if p == path]


@pytest.fixture
def push() -> Iterator[Push]:
    box = Push(0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            box.posts.append((self.path, dict(self.headers), self.rfile.read(length)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "1"}')

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()


def mail_url(port: int) -> str:
    return (f"mailto://127.0.0.1:{port}?from=watcher@example.org&to=analyst@example.org"
            "&mode=insecure")


def parts(raw: bytes) -> dict[str, list[Message]]:
    """An email's leaf parts, by content type."""
    msg = email.message_from_bytes(raw)
    found: dict[str, list[Message]] = {}
    for part in msg.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def payload(part: Message) -> str:
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data.decode(part.get_content_charset() or "utf-8")


JUNK = ("image/svg+xml", "Matplotlib", "<svg", "<div", "</p>")


def test_each_target_gets_its_own_format(site: LoopbackSite, tmp_path: Path, smtp: Mailbox,
                                         push: Push) -> None:
    urls = publish_demo(site)
    targets = [mail_url(smtp.port), f"ntfy://127.0.0.1:{push.port}/digest",
               f"json://127.0.0.1:{push.port}/hook"]
    config = write_config(tmp_path, [{"url": u} for u in urls],
                          extra="[digest]\nlink = \"https://news.example.org/digest.html\"\n"
                                f"notify = {json.dumps(targets)}\n")
    assert cli("run", "--once", config=config).code == 0
    r = cli("digest", "--since", "2000-01-01", "--send", config=config)
    assert r.code == 0, r.err
    full = cli("digest", "--since", "2000-01-01", config=config).out

    # email: the HTML page with its charts, and a plain-text part that is the text digest
    assert len(smtp.messages) == 1
    found = parts(smtp.messages[0].content)
    html = payload(found["text/html"][0])
    text = payload(found["text/plain"][0])
    assert "nk-casualties" in html
    charts = found.get("image/svg+xml", [])
    assert charts and all(payload(c).startswith("<svg") for c in charts)
    assert html.count("cid:chart-") == len(charts)
    assert "more than 4,000" in text and "nk-casualties" in text
    assert not any(j in text for j in JUNK), text[:400]

    # ntfy: plain text that fits ntfy's 4 KB message, every changed claim, and the link
    (note,) = push.bodies("/")
    body = note["message"]
    assert len(body.encode()) <= 4096
    assert not any(j in body for j in JUNK)
    assert "https://news.example.org/digest.html" in body
    for claim in ("North Korean killed or wounded", "Shoigu's visit to Pyongyang",
                  "Share of Russian ammunition from North Korea"):
        assert claim in body, body
    assert "change(s)" in note["title"]

    # json: a service without a small limit gets the whole text digest, not the HTML
    (hook,) = push.bodies("/hook")
    # the same text as `watcher digest` prints (its second line is the period's end: now)
    got = hook["message"].splitlines()
    assert got[2:len(full.strip().splitlines())] == full.strip().splitlines()[2:]
    assert hook["message"].rstrip().endswith("Full digest: https://news.example.org/digest.html")
    assert not any(j in hook["message"] for j in JUNK)


def test_summary_fits_the_service_and_keeps_the_link() -> None:
    from watcher.digest.deliver import Message, fit

    lines = tuple(f"HIGHER: claim number {i}: more than {i},000" for i in range(400))
    m = Message(title="t", html="", text="", markdown="", headline="400 change(s)",
                summary=lines, link="https://news.example.org/d.html")
    short = fit(m, 4096)
    assert len(short.encode()) <= 4096
    assert short.startswith("400 change(s)\nHIGHER: claim number 0:")
    assert short.endswith("more\nFull digest: https://news.example.org/d.html")
    assert "… and " in short
    assert fit(Message(title="t", html="", text="", markdown="", headline="1 change(s)",
                       summary=lines[:1]), 4096) == "1 change(s)\n" + lines[0]


def test_empty_digest_is_not_delivered_unless_asked(site: LoopbackSite, tmp_path: Path,
                                                     smtp: Mailbox) -> None:
    urls = publish_demo(site)
    config = write_config(tmp_path, [{"url": u} for u in urls],
                          extra=f'[digest]\nnotify = ["{mail_url(smtp.port)}"]\n')
    assert cli("run", "--once", config=config).code == 0
    # a period before anything was recorded: no change in it
    r = cli("digest", "--since", "2000-01-01", "--until", "2000-01-02", "--send",
            config=config)
    assert r.code == 0, r.err
    assert "not sent" in r.err and "send_empty" in r.err
    assert smtp.messages == []

    from watcher.config import load_config
    from watcher.digest import daily_digest
    from watcher.store import Store

    cfg = load_config(config)
    with Store(cfg.db_path) as store:
        daily_digest(cfg, store)        # the daemon's daily job: the cycle's changes
        daily_digest(cfg, store)        # nothing new since: not mailed
    assert len(smtp.messages) == 1
    assert "0 change(s)" not in smtp.messages[0].content.decode()
    db = tmp_path / "watcher.db"
    assert query(db, "SELECT count(*) FROM digests WHERE error IS NOT NULL")[0][0] == 0

    config.write_text(config.read_text().replace("[digest]\n", "[digest]\nsend_empty = true\n"))
    r = cli("digest", "--since", "2000-01-01", "--until", "2000-01-02", "--send",
            config=config)
    assert r.code == 0, r.err
    assert len(smtp.messages) == 2 and "0 change(s)" in smtp.messages[1].content.decode()


def test_send_empty_must_be_a_boolean(tmp_path: Path) -> None:
    config = write_config(tmp_path, [], extra='[digest]\nsend_empty = "no"\n')
    r = cli("digest", config=config)
    assert r.code == 2
    assert "send_empty" in r.err and "true or false" in r.err
