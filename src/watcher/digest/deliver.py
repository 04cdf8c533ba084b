"""Delivery through Apprise: email, Slack, Matrix, Telegram, ntfy and more, by URL."""

from __future__ import annotations

import logging
from collections.abc import Sequence

log = logging.getLogger("watcher.digest")


class _Capture(logging.Handler):
    """Keeps Apprise's own warnings, which say why a delivery failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def deliver(urls: Sequence[str], *, title: str, html: str, text: str) -> str | None:
    """Send to every URL. Returns None when all accepted it, else why not."""
    import apprise

    if not urls:
        return "no notify URLs configured ([digest] notify)"
    client = apprise.Apprise()
    bad = [u for u in urls if not client.add(u)]
    if bad:
        return f"{len(bad)} notify URL(s) not understood by Apprise"
    capture = _Capture()
    logger = logging.getLogger("apprise")
    logger.addHandler(capture)
    try:
        ok = client.notify(title=title, body=html, body_format=apprise.NotifyFormat.HTML)
    finally:
        logger.removeHandler(capture)
    if ok:
        return None
    reason = "; ".join(dict.fromkeys(capture.messages)) or "a notify target refused it"
    return f"delivery failed: {reason}"[:500]
