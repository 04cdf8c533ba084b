"""Small text helpers shared by the stages: make strangers' strings safe to keep."""

from __future__ import annotations

import html
import re

# C0/C1 controls except tab and newline, plus lone surrogates; ANSI escapes go with ESC.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_TAGS = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLOCK = re.compile(r"(?i)</?(?:p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>")


def clean_text(s: str) -> str:
    """Drop terminal escapes and control characters (tab and newline stay)."""
    if not s:
        return ""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ANSI.sub("", s))


def html_to_text(s: str) -> str:
    """Plain text from a feed's HTML snippet; block tags become line breaks."""
    if "<" not in s and "&" not in s:
        return s.strip()
    s = _BLOCK.sub("\n", s)
    s = html.unescape(_TAGS.sub("", s))
    lines = (_SPACE.sub(" ", line).strip() for line in s.split("\n"))
    return "\n".join(line for line in lines if line)


_GARBAGE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ud800-\udfff]")


GARBAGE_LIMIT = 0.05   # share of replacement/control characters that marks text garbled


def garbage_share(s: str) -> float:
    """Share of replacement and control characters: high for binary decoded as text.

    Judge the raw string, before ``clean_text`` strips the controls it would count.
    Samples the start, middle and end so a long clean preamble cannot hide a binary body.
    """
    if not s:
        return 0.0
    if len(s) > 300_000:
        mid = len(s) // 2
        s = s[:100_000] + s[mid - 50_000:mid + 50_000] + s[-100_000:]
    return len(_GARBAGE.findall(s)) / len(s)
