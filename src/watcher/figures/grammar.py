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
from watcher.figures.patterns import (
    CUR,
    CUR_CODE_WORDS,
    CUR_STARTS,
    DIGITS,
)

__all__ = ["ELIDED", "LEFT_SEPS", "Grammar", "grammar"]


def _alt(words: Iterable[str]) -> str:
    return trie_regex(sorted(words))


def _qual_alt(quals: dict[str, tuple[str, ...]], prefix: str) -> str:
    return "|".join(f"(?P<{prefix}{name}>{_alt(quals[name])})" for name in QUAL_NAMES
                    if quals.get(name))


# Where each part of the left pattern may start, besides after whitespace: after a bracket,
# an opening quote mark (English “ ‘, German „ ‚ » ›, French « ‹) or a Spanish ¿ ¡. A
# qualifier right after one keeps its meaning: „mindestens 100“, «au moins 100».
LEFT_SEPS = "([\"'“‘„‚«»‹›¿¡"
_SEP_CLASS = "".join(map(re.escape, LEFT_SEPS))
_PART_START = r"(?<![^\s" + _SEP_CLASS + r"])"
_PART_SEP_RE = re.compile(r"[\s" + _SEP_CLASS + r"]")
# The straight apostrophe of an elision ("d'"), also a quote mark in LEFT_SEPS
ELIDED = "'"


def _chg_alt(lx: Lexicon, direction: str) -> str:
    """The change words of one direction ("rose", "erhöhte sich"; a space reads as any
    whitespace), then its particles ("up", not after "made" nor before "to")."""
    words = lx.chg_up if direction == "up" else lx.chg_down
    alts = [trie_regex(words)]
    for p in lx.chg_particles:
        if p.direction == direction:
            after = "".join(f"(?<!{re.escape(w)} )" for w in p.not_after)
            before = (r"(?!\s+(?:" + _alt(p.not_before) + r")\b)" if p.not_before else "")
            alts.append(after + re.escape(p.word) + before)
    return "|".join(alts)


def _chg_words(lx: Lexicon) -> list[str]:
    """Every change word and particle, as the cheap scans read them."""
    return [*lx.chg_up, *lx.chg_down, *(p.word for p in lx.chg_particles)]


def _left_pattern(qual_alt: str, rng_words: str, lx: Lexicon) -> re.Pattern[str]:
    """What may stand just before a number: change verb (and its preposition), between/from,
    qualifier, currency. Each part may only start after a space or bracket, which keeps the
    search cheap; an elided preposition needs no space after it ("baisse d'environ 5 %")."""
    return re.compile(
        r"(?:" + _PART_START + r"(?:(?P<up>" + _chg_alt(lx, "up") + r")|(?P<down>"
        + _chg_alt(lx, "down") + r"))\s+"
        r"(?:(?P<prep>" + _alt(lx.chg_preps) + r")(?:\s+|(?<=" + ELIDED + r")))?)?"
        r"(?:" + _PART_START + r"(?P<rng>" + rng_words + r")\s+)?"
        r"(?:" + _PART_START + r"(?:" + qual_alt + r")\s*)?"
        r"(?:" + _PART_START + CUR + r")?\Z",
        re.IGNORECASE,
    )


def _left_scans(quals: Iterable[str], rng: Iterable[str],
                lx: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two cheap patterns that find where the left pattern may match, so it is tried at few
    places instead of searched for across the whole window (see extract._left_match).

    ``start``: where a part may begin (its first word, after a space or bracket). ``end``:
    the last piece of the window (after its last space, bracket or quote) when a part ends
    the window; a currency sign may also end it (extract.CUR_CHARS). Both read case as the
    left pattern does (IGNORECASE), so they never miss a place it would match."""
    quals, rng = list(quals), list(rng)
    chg = _chg_words(lx)
    starts = set(CUR_STARTS)
    for phrase in quals:
        first, *more = phrase.split(" ", 1)
        starts.add(first + (" " if more else ""))   # a space reads as any whitespace
    starts.update(w.split(" ", 1)[0] + " " for w in [*rng, *chg])
    ends = set()
    for phrase in [*quals, *rng, *chg, *lx.chg_preps, *CUR_CODE_WORDS]:
        # an elided article ends a phrase whose number follows it unspaced: "plus d'un"
        last = _PART_SEP_RE.split(phrase.removesuffix(ELIDED))[-1]
        if not last:
            raise ValueError(f"a phrase before numbers ends in a separator: {phrase!r}")
        ends.add(last)
    return (re.compile(_PART_START + _caseless_prefixes(starts)),
            re.compile(_caseless_prefixes(ends)))


def _caseless_prefixes(words: Iterable[str]) -> str:
    """A pattern, for use without IGNORECASE, that matches the same strings as
    ``(?i:_alt(words))`` (only whether and where it matches is read; the order in which it
    tries the words may differ). A caseless alternation is tried alternative by
    alternative at every place; one whose alternatives each start with a plain character
    is turned away at once. So the first character is written out in lower and upper case,
    each followed by the caseless rest of its words; a first character written in neither
    case (such as "ſ" for "s") is read by the caseless alternation itself."""
    words = sorted(set(words))
    plain = sorted({c for w in words for c in (w[0].lower(), w[0].upper()) if len(c) == 1})
    rests_by_first: dict[str, list[str]] = {}
    for w in words:
        rests_by_first.setdefault(w[0], []).append(w[1:])
    caseless = [(re.compile(re.escape(first), re.IGNORECASE).fullmatch, rs)
                for first, rs in rests_by_first.items()]
    branches = []
    for c in plain:
        rests = [r for same, rs in caseless if same(c) for r in rs]
        if rests:
            branches.append(re.escape(c) + "(?i:" + _alt(rests) + ")")
    return ("(?:" + "|".join(branches) + "|(?![" + "".join(map(re.escape, plain))
            + "])(?i:" + _alt(words) + "))")


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


def _scan_word(lx: Lexicon) -> tuple[re.Pattern[str], bool]:
    """Finds number words; written out in each case rather than with IGNORECASE, which
    keeps the scan's first-character skip fast. Returns the pattern and whether it reads
    the character before a word (the text is then scanned with a space before it)."""
    variants = {v for w in lx.number_words for v in (w, w.capitalize(), w.upper())}
    body = "(?:" + trie_regex(variants) + r")\b"
    first = {re.escape(v[0]) for v in variants}
    compound = ""
    if lx.compound:
        parts = set(lx.units) | set(lx.scales) | set(lx.compound)
        compound = r"|(?i:(?:" + _alt(parts) + r"){2,})\b"
        if not all(re.fullmatch(r"\w+", w) for w in parts):
            return re.compile(body + compound), False
        compound = _compound_scan(parts)
        first |= {re.escape(p[0]) for p in parts}
    if not all(re.fullmatch(r"\w+", w) for w in variants):
        return re.compile(body + compound), False
    # The caller keeps only words that start a word. When every word is made of word
    # characters no hit can hide another at a word start, so the scan may look only
    # after a non-word character (the first character of the hit); trying each place
    # where a word's first letter stands (or, for compounds, every place) costs more.
    return re.compile(r"\W(?=(?i:[" + "".join(sorted(first)) + r"]))(?:" + body + compound
                      + ")"), True


def _compound_scan(parts: set[str]) -> str:
    """``|(?i:(?:parts){2,})\\b`` for the word scan, its first part written with
    _caseless_prefixes (the caseless alternation is tried at every word otherwise)."""
    return "|" + _caseless_prefixes(parts) + r"(?i:(?:" + _alt(parts) + r")+)\b"


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
    scan_word_lead: bool                    # scan_word's hits begin one character early
    word_re: re.Pattern[str]
    word_prefix: re.Pattern[str]
    prefix_window: int
    core: re.Pattern[str]
    left: re.Pattern[str]
    left_last: frozenset[str] | None        # None: no cheap pre-check (foreign texts)
    left_start: re.Pattern[str]             # where a part of ``left`` may start
    left_end: re.Pattern[str]               # the last piece of a window ``left`` matches
    qual_groups: tuple[tuple[str, int], ...]   # the qualifier groups of ``left``: name, index
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
    one_or_single: frozenset[str]           # lx.one_words | lx.single
    unit_stop: frozenset[str]               # words that end a unit: stop and number words
    measure: re.Pattern[str] | None         # the language's own measure words, if any
    back_noun: re.Pattern[str] | None       # "victimes estimées à", "Toten stieg auf"
    post_qual: re.Pattern[str] | None       # the language's own "or more" after a number
    chg_level_next: re.Pattern[str]         # a new level after the number: " auf 4.000"


def _build(lx: Lexicon) -> Grammar:
    _, seq, lead_alt = _word_patterns(lx)
    lead = _lead_words(lx)
    own = _qual_alt(dict(lx.qualifiers), "q_")
    quals = [p for ps in lx.qualifiers.values() for p in ps]
    rng_words: Iterable[str] = lx.range_start
    if lx.foreign:
        qual = own + "|" + _qual_alt(english_qualifiers(), "e_")
        quals += [p for ps in english_qualifiers().values() for p in ps]
        rng_words = set(lx.range_start) | {"between", "from"}
        left = _left_pattern(qual, _alt(rng_words), lx)
        left_last = None
        joins = _alt(set(lx.range_join))
        range_conn: re.Pattern[str] | None = re.compile(
            r"\s*(?P<c>-|–|—|" + joins + r")\s+(?:" + CUR + r")?", re.IGNORECASE)
    else:
        left = _left_pattern(own, _alt(lx.range_start), lx)
        left_last = frozenset(
            [p.split()[-1].lower() for ps in lx.qualifiers.values() for p in ps]
            + [w.split()[-1] for w in _chg_words(lx)] + list(lx.chg_preps) + ["between"]
            + list(CUR_CODE_WORDS))
        range_conn = None
    left_start, left_end = _left_scans(quals, rng_words, lx)
    scan_word, scan_word_lead = _scan_word(lx)
    art = _alt(lx.articles)
    of = _alt(set(lx.of_words) | set(lx.share_need_of) | {"of"})
    return Grammar(
        lx=lx,
        scan_word=scan_word,
        scan_word_lead=scan_word_lead,
        word_re=re.compile(r"(?P<word>" + seq + r")", re.IGNORECASE),
        word_prefix=re.compile(r"(?:\b(?:" + lead_alt + r")\s+)\Z", re.IGNORECASE),
        prefix_window=2 + max(len(w) for w in lead),
        core=re.compile(r"(?P<num>" + DIGITS + r")(?P<suf>[A-Za-z][A-Za-z0-9]*)?|(?P<word>"
                        + seq + r")", re.IGNORECASE),
        left=left,
        left_last=left_last,
        left_start=left_start,
        left_end=left_end,
        qual_groups=tuple((g, i) for g, i in left.groupindex.items()
                          if g.startswith(("q_", "e_"))),
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
        one_or_single=lx.one_words | lx.single,
        unit_stop=lx.unit_stop | (lx.number_words - lx.single) | frozenset(lx.few),
        measure=(re.compile(r"\s*+(?:-\s*+)?(?P<u>" + _alt(lx.measures) + r")(?![\w])",
                            re.IGNORECASE) if lx.measures else None),
        back_noun=_back_noun(lx),
        post_qual=_post_qual(lx),
        chg_level_next=_chg_level_next(lx),
    )


def _chg_level_next(lx: Lexicon) -> re.Pattern[str]:
    """A new level after a change's first number ("rose from 3,000 to 4,000", "stieg um
    1.000 auf 4.000"). English reads " to" as its range words do ("3,000 to"); in other
    languages the word must stand alone and a number follow ("de 5 % à Paris" is a place)."""
    level = _alt(lx.chg_level)
    if not lx.foreign:
        return re.compile(r"\s*(?:" + level + r")", re.IGNORECASE)
    return re.compile(r"\s+(?:" + level + r")\s+(?=(?:" + CUR + r")?\d)", re.IGNORECASE)


def _post_qual(lx: Lexicon) -> re.Pattern[str] | None:
    """"10.000 oder mehr", "10 000 ou moins": a bound written after the number."""
    if not (lx.after_at_least or lx.after_at_most):
        return None
    least = _alt(lx.after_at_least) if lx.after_at_least else r"(?!)"
    most = _alt(lx.after_at_most) if lx.after_at_most else r"(?!)"
    return re.compile(r",?\s+(?:(?P<atleast>" + least + r")|(?P<atmost>" + most + r"))\b",
                      re.IGNORECASE)


def _back_noun(lx: Lexicon) -> re.Pattern[str] | None:
    """The noun before a figure in the language's own words: a noun, perhaps a verb
    ("estimées", "stieg"), then a linking word ("à", "en", "auf") that ends the window."""
    if not lx.back_joins:
        return None
    verbs = r"(?:(?i:" + _alt(lx.back_verbs) + r")\s+)?" if lx.back_verbs else ""
    return re.compile(r"(?<![\w'’-])(?P<n>[^\W\d_]{3,}),?\s+" + verbs + r"(?i:"
                      + _alt(lx.back_joins) + r")\s+\Z")


@cache
def grammar(lang: str) -> Grammar:
    """The grammar a text in ``lang`` is read with (compiled once per data file)."""
    return _grammar_for_key(lexicon_key(lang))


@cache
def _grammar_for_key(key: str) -> Grammar:
    return _build(lexicon(key))


ENGLISH = grammar("en")
