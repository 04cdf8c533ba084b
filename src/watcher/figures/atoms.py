"""Atoms: every place a figure may start (a number in digits or words, a date) and every
thing that only looks like a number (a time, a phone number, a model name such as
XR-7, a list marker, a URL).

Fast scans each start with a plain character or class so the regex engine can skip
ahead; the slower, exact patterns are only tried where a scan hit.
"""

from __future__ import annotations

import re
from operator import itemgetter

from watcher.figures.dates import (
    DATE_DIGIT,
    MIDYEAR,
    MIDYEAR_WORD,
    MONTH_STEMS,
    SCAN_MONTH,
)
from watcher.figures.grammar import Grammar
from watcher.figures.patterns import DIGITS

Atom = tuple[int, int, str, re.Match[str]]   # start, priority, kind, match

_LIST = re.compile(r"\d{1,2}[.)](?=[ \t])")
# (a phone number holds seven digits or more: "+0.08 points" is a change, not a phone)
_PHONE = re.compile(r"\+(?=\d(?:[ .()-]{0,2}\d){6})\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\d)"
                    r"|\(\d{3}\)\s?\d{3}[ .-]\d{4}(?!\d)|\d{3}[.-]\d{3}[.-]\d{4}(?!\d)")
_TIME = (r"(?:[01]\d|2[0-3])[0-5]\d\s?(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|MSK|KST|hrs"
         # "9/11", "24/7", and cricket scores and figures "175/3", "8/106"
         r"|hours\s+(?:GMT|local))\b|\d{1,3}/\d{1,3}(?![\d/])"
         # clock, race and lap times: "10:30", "2:05:33", "1:36.6"
         r"|(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?(?:\.\d{1,3})?(?:\s?[ap]\.?m\.?(?!\w))?"
         r"(?![\d.,:]\d)|(?:1[0-2]|0?\d)(?:[.:][0-5]\d)?\s?[ap]\.?m\b\.?"
         # lap times and match minutes: "1'15″915", "1'16”", "63′", "90+3′"
         r"|\d{1,2}['’′][0-5]\d(?!\d)(?:[″”\"](?:\d{1,3}(?!\d))?)?|\d{1,3}(?:\+\d{1,2})?′")
# What a run of digits starts: a phone number, a time or a digit-led date, else a number,
# in that order of preference, in one anchored pattern. A number that is also one of the
# others is never read (the caller goes on past the first), so the first that matches is
# the only atom there.
_DIGIT_ATOM = re.compile(
    "(?P<phone>" + _PHONE.pattern + ")|(?P<time>(?i:" + _TIME + "))|(?P<date>"
    + DATE_DIGIT + r")|(?P<num>" + DIGITS + r")(?P<suf>[A-Za-z][A-Za-z0-9]*)?"
)
_NUM_GROUPS = frozenset(("num", "suf"))   # a number's last group: its digits or suffix

# Where a run of digits starts with no word character, "." or "," before it: the scans
# for numbers and for "'90s" / "mid-2020" (a dash or quote before the digit) both read
# these, which costs one pass over the text instead of two. The digit comes first so the
# regex engine can skip to the next digit; the look-behind then reads the one before.
_RUN_START = re.compile(r"\d(?<![\w.,]\d)")
_DASH = frozenset("-'’")
_SCAN_URL = re.compile(r"(?:https?://|www\.)\S+")
# (the letters are taken possessively: giving one back leaves a letter where "-" or a
# digit must stand, so it never helps; at every capital it saved up to eight retries)
_SCAN_MODEL = re.compile(r"[A-Z](?<![\w][A-Z])[A-Za-z]{0,7}+-?\d[\dA-Za-z]{0,12}"
                         r"(?:[-/]\d{1,6}[A-Za-z]{0,6}){0,4}\b")
# an amount glued to a currency code ("USD100", "A$5"), not a model name; a lone letter
# or "US"/"HK" needs the "$" ("A350", "C17" are models)
_CURRENCY_MODEL = re.compile(r"(?:USD|EUR|GBP|RUB|UAH|KRW|CHF|JPY|CNY)\$?\d|(?:US|A|C|HK)\$\d")
PRIORITY = {"url": 0, "list": 1, "phone": 2, "time": 3, "date": 4, "model": 5, "num": 6,
            "word": 7}
_ORDER = itemgetter(0, 1)
SKIPPED = frozenset(("url", "list", "phone", "time", "model"))


def atoms(text: str, g: Grammar) -> list[Atom]:
    """Every candidate atom, sorted by start then priority; overlaps are resolved by
    the caller, which skips atoms that start inside one already used."""
    out: list[Atom] = []
    add = out.append
    pr = PRIORITY
    if "http" in text or "www." in text:    # every URL the scan finds holds one of them
        for m in _SCAN_URL.finditer(text):
            add((m.start(), pr["url"], "url", m))
    for m in _SCAN_MODEL.finditer(text):
        if not _CURRENCY_MODEL.match(m.group(0)):
            add((m.start(), pr["model"], "model", m))
    if any(stem in text for stem in MONTH_STEMS):     # a month name starts with one
        for m in SCAN_MONTH.finditer(text):
            add((m.start(), pr["date"], "date", m))
    runs = [m.start() for m in _RUN_START.finditer(text)]
    for r in runs:
        if not r or text[r - 1] not in _DASH:
            continue
        p = r - 1
        if text[p] == "-":
            wm = MIDYEAR_WORD.search(text, max(0, p - 5), p)
            if wm is None:
                continue
            p = wm.start()
        ym = MIDYEAR.match(text, p)
        if ym is not None:
            add((p, pr["date"], "date", ym))
    _digit_atoms(text, runs, out)
    _word_atoms(text, g, out)
    out.sort(key=_ORDER)
    return out


def _digit_atoms(text: str, runs: list[int], out: list[Atom]) -> None:
    """The atom at each run of digits (``runs``: none has a word character, "." or ","
    before it)."""
    add = out.append
    pr = PRIORITY
    num = ("num", pr["num"])
    for p in runs:
        prev = text[p - 1] if p else ""
        if prev in ("+", "("):
            ph = _PHONE.match(text, p - 1)
            if ph is not None:
                add((p - 1, pr["phone"], "phone", ph))
                continue
        # a list marker stands after "(", or after a line start, ":" or ";" and blanks
        i = p - 1
        if prev != "(":
            while i >= 0 and text[i] in " \t":
                i -= 1
        if i < 0 or text[i] in "(\n:;":
            lm = _LIST.match(text, p)
            if lm is not None and _is_list_marker(text, p, lm.end()):
                add((p, pr["list"], "list", lm))
                continue
        m = _DIGIT_ATOM.match(text, p)
        if m is not None:
            name = str(m.lastgroup)
            kind, prio = num if name in _NUM_GROUPS else (name, pr[name])
            add((p, prio, kind, m))


def _word_atoms(text: str, g: Grammar, out: list[Atom]) -> None:
    add = out.append
    prio = PRIORITY["word"]
    window = g.prefix_window
    # a hit of the lead scan starts at the character before the word: with the space put
    # before the text, its start is the word's start in the text
    for m in g.scan_word.finditer(" " + text if g.scan_word_lead else text):
        p = m.start()
        if p and (text[p - 1].isalnum() or text[p - 1] == "_"):
            continue
        if p and text[p - 1].isspace():     # word_prefix ends in whitespace
            wp = g.word_prefix.search(text, max(0, p - window), p)
            if wp is not None:
                p = wp.start()
        wm = g.word_re.match(text, p)
        if wm is not None:
            add((p, prio, "word", wm))


def _is_list_marker(text: str, start: int, end: int) -> bool:
    """"1." or "2)" opening a line, or inline after ":"/";" ("are: 1. a ceasefire")."""
    i = start - 1
    if i >= 0 and text[i] == "(":
        return text[end - 1] == ")"
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    return text[i] in ":;" and text[end - 1] in ".)"
