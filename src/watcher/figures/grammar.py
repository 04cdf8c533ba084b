"""The regular expressions of one language's lexicon, compiled once per process.

English is compiled at import; other languages the first time a text of theirs is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from watcher.figures.lexicon import (
    QUAL_NAMES,
    Lexicon,
    english_qualifiers,
    lexicon,
    lexicon_key,
    trie_regex,
)
from watcher.figures.patterns import CHG_DOWN, CHG_UP, CHG_WORDS, CUR, CUR_CODE_WORDS, DIGITS

__all__ = ["Grammar", "grammar"]


def _alt(words: Iterable[str]) -> str:
    return trie_regex(sorted(words))


def _qual_alt(quals: dict[str, tuple[str, ...]], prefix: str) -> str:
    return "|".join(f"(?P<{prefix}{name}>{_alt(quals[name])})" for name in QUAL_NAMES
                    if quals.get(name))


def _left_pattern(qual_alt: str, rng_words: str) -> re.Pattern[str]:
    """What may stand just before a number: change verb, between/from, qualifier, currency.
    Each part may only start after a space or bracket, which keeps the search cheap."""
    return re.compile(
        r"(?:(?<![^\s(\[\"'“])(?:(?P<up>" + CHG_UP + r")|(?P<down>" + CHG_DOWN + r"))\s+"
        r"(?:(?P<prep>by|to|of|from|at)\s+)?)?"
        r"(?:(?<![^\s(\[\"'“])(?P<rng>" + rng_words + r")\s+)?"
        r"(?:(?<![^\s(\[\"'“])(?:" + qual_alt + r")\s*)?"
        r"(?:(?<![^\s(\[\"'“])" + CUR + r")?\Z",
        re.IGNORECASE,
    )


def _mult_pattern(lx: Lexicon) -> re.Pattern[str]:
    """Multipliers after digits: "1.2 million", "3 Mio.", "1,5 millones"; a trailing "."
    of an abbreviation may be left out."""
    keys = {k for key in lx.multipliers for k in (key, key.rstrip("."))}
    return re.compile(r"\s*+(?:-\s*+)?(?P<m>" + _alt(keys) + r")(?![\w])", re.IGNORECASE)


def _word_patterns(lx: Lexicon) -> tuple[str, str, str]:
    """(one number word, a run of them, the words that may lead a run)."""
    words = lx.number_words
    word = "(?:" + _alt(words) + ")"
    if lx.compound:
        parts = set(lx.units) | set(lx.scales) | set(lx.compound)
        word = "(?:" + _alt(words) + r"\b|(?:" + _alt(parts) + "){2,})"
    art = _alt(lx.articles)
    lead = _lead_words(lx)
    joins = _alt(set(lx.and_words) | set(lx.tens_and) | set(lx.of_words))
    seq = (
        r"\b(?:(?:" + _alt(lead) + r")\s+)?" + word + r"\b"
        r"(?:(?:\s*+-\s*+|\s++(?:(?:" + joins + r")\s++(?:(?:" + art + r")\s++)?|(?:" + art
        + r")\s++)?)" + word + r"\b){0,14}"
    )
    return word, seq, _alt(lead)


def _lead_words(lx: Lexicon) -> set[str]:
    """Words that may lead a run of number words: "a", "several", "a couple of"."""
    return (set(lx.articles) | set(lx.few) | set(lx.half_articles)
            | {f"{a} {f}" for a in lx.articles for f in lx.few}
            | {f"{a} {f} {o}" for a in lx.articles for f in lx.few for o in lx.of_words})


def _scan_word(lx: Lexicon) -> re.Pattern[str]:
    """Finds number words; written out in each case rather than with IGNORECASE, which
    keeps the scan's first-character skip fast."""
    variants = {v for w in lx.number_words for v in (w, w.capitalize(), w.upper())}
    body = "(?:" + trie_regex(variants) + r")\b"
    if lx.compound:
        parts = set(lx.units) | set(lx.scales) | set(lx.compound)
        body += r"|(?i:(?:" + _alt(parts) + r"){2,})\b"
    return re.compile(body)


def _label_tokens(lx: Lexicon) -> frozenset[str]:
    """The last word before a number that makes it a label: names as capitalised ("Article",
    "iPhone", "S&P"), with or without a full stop, and words as written ("row", "no.")."""
    return frozenset(set(lx.label_names) | {n + "." for n in lx.label_names}
                     | set(lx.label_words))


@dataclass(frozen=True)
class Grammar:
    """One language's compiled patterns, with its lexicon."""

    lx: Lexicon
    scan_word: re.Pattern[str]
    word_re: re.Pattern[str]
    word_prefix: re.Pattern[str]
    prefix_window: int
    core: re.Pattern[str]
    left: re.Pattern[str]
    left_last: frozenset[str] | None        # None: no cheap pre-check (foreign texts)
    qual_groups: tuple[str, ...]
    mult: re.Pattern[str]
    range_conn: re.Pattern[str] | None      # the language's own range words, if foreign
    in_n: re.Pattern[str]
    label_tokens: frozenset[str]
    cap_name_left: re.Pattern[str]
    half_before_bad: re.Pattern[str]
    half_before_ok: re.Pattern[str]
    half_follow: re.Pattern[str]
    share_time: re.Pattern[str]
    share_of: re.Pattern[str] | None
    one_next: re.Pattern[str]
    numwords_stop: frozenset[str]
    unit_stop: frozenset[str]               # words that end a unit: stop and number words
    measure: re.Pattern[str] | None         # the language's own measure words, if any


def _build(lx: Lexicon) -> Grammar:
    _, seq, lead_alt = _word_patterns(lx)
    lead = _lead_words(lx)
    own = _qual_alt(dict(lx.qualifiers), "q_")
    if lx.foreign:
        qual = own + "|" + _qual_alt(english_qualifiers(), "e_")
        left = _left_pattern(qual, _alt(set(lx.range_start) | {"between", "from"}))
        left_last = None
        joins = _alt(set(lx.range_join))
        range_conn: re.Pattern[str] | None = re.compile(
            r"\s*(?P<c>-|–|—|" + joins + r")\s+(?:" + CUR + r")?", re.IGNORECASE)
    else:
        left = _left_pattern(own, _alt(lx.range_start))
        left_last = frozenset(
            [p.split()[-1].lower() for ps in lx.qualifiers.values() for p in ps]
            + list(CHG_WORDS) + ["up", "down", "by", "to", "of", "from", "at", "between"]
            + list(CUR_CODE_WORDS))
        range_conn = None
    art = _alt(lx.articles)
    of = _alt(set(lx.of_words) | set(lx.share_need_of) | {"of"})
    return Grammar(
        lx=lx,
        scan_word=_scan_word(lx),
        word_re=re.compile(r"(?P<word>" + seq + r")", re.IGNORECASE),
        word_prefix=re.compile(r"(?:\b(?:" + lead_alt + r")\s+)\Z", re.IGNORECASE),
        prefix_window=2 + max(len(w) for w in lead),
        core=re.compile(r"(?P<num>" + DIGITS + r")(?P<suf>[A-Za-z][A-Za-z0-9]*)?|(?P<word>"
                        + seq + r")", re.IGNORECASE),
        left=left,
        left_last=left_last,
        qual_groups=tuple(g for g in left.groupindex if g.startswith(("q_", "e_"))),
        mult=_mult_pattern(lx),
        range_conn=range_conn,
        in_n=re.compile(r"\s+(?:" + _alt(lx.in_n) + r")\s+(?:every\s+)?", re.IGNORECASE),
        label_tokens=_label_tokens(lx),
        cap_name_left=re.compile(
            r"(?-i:\b(?:[A-Z][A-Za-z]+\s+of|" + _alt(lx.label_word_names) + r"))\s+\Z"),
        half_before_bad=re.compile(r"\b(?:" + _alt(lx.half_not_after) + r")\s+\Z",
                                   re.IGNORECASE),
        half_before_ok=re.compile(r"\b(?:" + _alt(lx.half_after) + r")\s+\Z", re.IGNORECASE),
        half_follow=re.compile(r"\s+(?:" + _alt(lx.half_follow) + r")\b(?!\s+(?:19|20)\d\d)",
                               re.IGNORECASE),
        share_time=re.compile(
            r"\s*(?:" + of + r")(?:\s+|(?<=d)['’])(?:(?:" + art + r")\s+)?(?:"
            + _alt(lx.share_time) + r")\b", re.IGNORECASE),
        share_of=(re.compile(r"\s*(?:" + _alt(lx.share_need_of) + r")(?:\s|['’])",
                             re.IGNORECASE) if lx.share_need_of else None),
        one_next=re.compile(
            r"[ \t]+(?:(?P<adj>[A-Z][a-z]+)[ \t]+)?(?P<noun>[a-z][a-z'’]*)\b(?![-'’])"
            r"(?:[ \t]+(?P<next>[a-z]+))?"),
        numwords_stop=(lx.number_words - lx.single) | frozenset(lx.few),
        unit_stop=lx.unit_stop | (lx.number_words - lx.single) | frozenset(lx.few),
        measure=(re.compile(r"\s*+(?:-\s*+)?(?P<u>" + _alt(lx.measures) + r")(?![\w])",
                            re.IGNORECASE) if lx.measures else None),
    )


@cache
def grammar(lang: str) -> Grammar:
    """The grammar a text in ``lang`` is read with (compiled once per data file)."""
    return _grammar_for_key(lexicon_key(lang))


@cache
def _grammar_for_key(key: str) -> Grammar:
    return _build(lexicon(key))


ENGLISH = grammar("en")
