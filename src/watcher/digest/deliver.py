"""Delivery through Apprise: email, Slack, Matrix, Telegram, ntfy and more, by URL.

Each target gets the format it takes. Email gets the HTML page, its charts as inline
image parts (so Apprise's plain-text part, derived from the HTML, carries no SVG
markup). Chat and push services get the text or Markdown digest; where that exceeds
what the service accepts, they get a short summary that ends with a link to the page.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("watcher.digest")

# Message limits (UTF-8 bytes) that are smaller than what Apprise assumes: ntfy's server
# turns a message over 4096 bytes into an attachment, which shows up cut off.
SERVICE_LIMITS: dict[str, int] = {"ntfy": 4096, "ntfys": 4096}


@dataclass(frozen=True, slots=True)
class Message:
    """One digest in every form a target may take."""

    title: str
    html: str                            # the email page; charts as cid:<name> images
    text: str
    markdown: str
    headline: str                        # the first line of a summary
    summary: tuple[str, ...] = ()        # one line per change, most important first
    link: str | None = None              # where the full page is published
    images: Mapping[str, str] = field(default_factory=dict)   # file name -> SVG


class _Capture(logging.Handler):
    """Keeps Apprise's own warnings, which say why a delivery failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _formats(plugin: Any) -> tuple[Any, ...]:
    fmt = plugin.notify_format
    return tuple(fmt) if isinstance(fmt, (tuple, list)) else (fmt,)


def limit_of(plugin: Any) -> int | None:
    """The most a service takes in one message, in UTF-8 bytes; None when unbounded."""
    limits = [int(plugin.body_maxlen or 0)]
    for proto in (getattr(plugin, "protocol", None), getattr(plugin, "secure_protocol", None)):
        for p in proto if isinstance(proto, (tuple, list)) else (proto,):
            if isinstance(p, str) and p in SERVICE_LIMITS:
                limits.append(SERVICE_LIMITS[p])
    limits = [n for n in limits if n > 0]
    return min(limits) if limits else None


def fit(message: Message, limit: int) -> str:
    """The summary, as many change lines as fit in ``limit`` bytes, the link kept last."""
    tail = [f"Full digest: {message.link}"] if message.link else []
    lines = [message.headline]

    def size(xs: list[str]) -> int:
        return len("\n".join(xs).encode())

    for i, line in enumerate(message.summary):
        rest = len(message.summary) - i - 1
        more = [f"… and {rest} more"] if rest else []
        if size([*lines, line, *more, *tail]) > limit:
            lines.append(f"… and {len(message.summary) - i} more")
            break
        lines.append(line)
    text = "\n".join([*lines, *tail])
    while len(text.encode()) > limit:            # a tiny limit: cut, keep valid UTF-8
        text = text.encode()[:limit].decode(errors="ignore")
    return text


def body_for(plugin: Any, message: Message) -> tuple[str, str]:
    """(body, format name) for one target: HTML for email, else Markdown or text,
    replaced by the summary when the service's limit is smaller."""
    from apprise import NotifyFormat
    from apprise.plugins.email import NotifyEmail

    if isinstance(plugin, NotifyEmail):
        return message.html, NotifyFormat.HTML.value
    formats = _formats(plugin)
    if NotifyFormat.MARKDOWN in formats and formats[0] != NotifyFormat.TEXT:
        body, fmt = message.markdown, NotifyFormat.MARKDOWN
    else:
        body, fmt = message.text, NotifyFormat.TEXT
    if message.link:
        body = f"{body.rstrip()}\n\nFull digest: {message.link}\n"
    limit = limit_of(plugin)
    if limit is not None and len(body.encode()) > limit:
        body, fmt = fit(message, limit), NotifyFormat.TEXT
    return body, fmt.value


def deliver(urls: Sequence[str], message: Message) -> str | None:
    """Send to every URL. Returns None when all accepted it, else why not."""
    import apprise

    if not urls:
        return "no notify URLs configured ([digest] notify)"
    plugins = [apprise.Apprise.instantiate(u) for u in urls]
    bad = sum(p is None for p in plugins)
    if bad:
        return f"{bad} notify URL(s) not understood by Apprise"
    capture = _Capture()
    logger = logging.getLogger("apprise")
    logger.addHandler(capture)
    failed = 0
    try:
        with tempfile.TemporaryDirectory(prefix="watcher-charts-") as tmp:
            files = []
            for name, svg in message.images.items():
                path = Path(tmp) / name
                path.write_text(svg, encoding="utf-8")
                files.append(str(path))
            for plugin in plugins:
                assert plugin is not None
                body, fmt = body_for(plugin, message)
                kwargs: dict[str, Any] = {}
                if fmt == "html" and files:
                    setattr(plugin, "inline", True)   # noqa: B010 (email only: charts as parts)
                    kwargs["attach"] = apprise.AppriseAttachment(files)
                if not plugin.notify(body=body, title=message.title, body_format=fmt,
                                     **kwargs):
                    failed += 1
    finally:
        logger.removeHandler(capture)
    if not failed:
        return None
    reason = "; ".join(dict.fromkeys(capture.messages)) or "a notify target refused it"
    return f"delivery failed ({failed} of {len(plugins)} target(s)): {reason}"[:500]
