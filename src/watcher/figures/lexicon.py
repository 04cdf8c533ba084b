"""Number words, qualifier phrases and labels of each language, read from the package's
data files (``watcher/data/numbers/<lang>.toml``) once, at import.

A text in language L is read with L's number words merged over English ones (articles
quote English, and English number words are what most feeds use); qualifier phrases and
range words of every non-English file are read in every non-English text, as a story is
often quoted across languages. A language with no file of its own reads like one with a
file but no number words: English words, foreign qualifiers. Words of change ("rose by",
"stieg um") are read like number words: the language's own merged over English ones.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "FILES",
    "QUAL_NAMES",
    "ChangeParticle",
    "Lexicon",
    "Vague",
    "english_qualifiers",
    "lexicon",
    "lexicon_key",
    "trie_regex",
    "wordset",
]

QUAL_NAMES = ("more_than", "at_least", "at_most", "less_than", "approx")


def _load_files() -> dict[str, dict[str, Any]]:
    root = resources.files("watcher").joinpath("data", "numbers")
    out: dict[str, dict[str, Any]] = {}
    for entry in root.iterdir():
        name = entry.name
        if name.endswith(".toml"):
            out[name[:-5]] = tomllib.loads(entry.read_text(encoding="utf-8"))
    if "en" not in out:
        raise RuntimeError("watcher/data/numbers/en.toml is missing from the package")
    return out


FILES: Mapping[str, Mapping[str, Any]] = MappingProxyType(_load_files())


def wordset(words: str) -> frozenset[str]:
    """The words of a space-separated string."""
    return frozenset(words.split())


def trie_regex(words: Iterable[str]) -> str:
    """A prefix-factored alternation, so patterns fail fast on ordinary words; a space in
    a phrase stands for any run of whitespace."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(sub)
                for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    if not trie:
        return "(?!)"
    return build(trie)


@dataclass(frozen=True, slots=True)
class Vague:
    """A plural amount word ("hundreds"): its span alone, the count it is made of, and the
    multiple it makes of a following plural ("tens of thousands")."""

    alone: tuple[float, float] | None
    unit: float | None
    of: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class ChangeParticle:
    """A particle that reads as a change before a number ("up 12%"), unless a word of
    ``not_after`` stands just before it or one of ``not_before`` just after it."""

    word: str
    direction: str                          # "up" or "down"
    not_after: tuple[str, ...]
    not_before: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """Everything language-specific the grammar reads, merged for one language."""

    key: str                                   # file name: "en", "de", ...; "xx" for others
    foreign: bool
    units: Mapping[str, float]
    multi_units: Mapping[tuple[str, ...], float]
    hundreds: Mapping[str, float]
    scales: Mapping[str, float]
    compound: Mapping[str, float]              # parts of one-word numbers (German)
    about: Mapping[str, float]                 # "a dozen" 12, "une dizaine" 10: approximate
    vague: Mapping[str, Vague]
    few: Mapping[str, tuple[float, float]]
    fractions: Mapping[str, int]
    articles: frozenset[str]
    and_words: frozenset[str]
    tens_and: frozenset[str]
    tens_take_teens: bool
    of_words: frozenset[str]
    single: frozenset[str]
    in_n: tuple[str, ...]
    capitalised_nouns: bool
    comma_thousands: bool                      # "12,000 soldados" may be twelve thousand
    half_words: frozenset[str]
    half_articles: frozenset[str]
    half_not_after: frozenset[str]
    half_follow: frozenset[str]
    half_after: frozenset[str]
    share_need_of: frozenset[str]              # empty: any fraction may stand alone
    share_time: frozenset[str]
    share_ordinal: frozenset[str]              # fractions that are also ordinals: "third"
    share_follow: frozenset[str]               # words after "a third" that keep it a share
    qualifiers: Mapping[str, tuple[str, ...]]  # this grammar's own (English or foreign)
    until: frozenset[str]                      # at_most phrases that also mean "until"
    after_at_least: tuple[str, ...]            # after the number: "10.000 oder mehr"
    after_at_most: tuple[str, ...]             # "10 000 ou moins"
    qual_not_after: Mapping[str, frozenset[str]]   # "over" is no qualifier after "hand"
    range_start: tuple[str, ...]
    range_join: tuple[str, ...]
    range_need_start: frozenset[str]
    multipliers: Mapping[str, float]
    label_names: tuple[str, ...]
    label_words: tuple[str, ...]
    label_word_names: tuple[str, ...]
    one_words: frozenset[str]
    one_not_after: frozenset[str]
    one_not_before: frozenset[str]
    one_said: frozenset[str]
    unit_stop: frozenset[str]
    unit_skip: frozenset[str]
    back_joins: frozenset[str]                 # "muertos en 600", "victimes estimées à"
    back_verbs: tuple[str, ...]
    back_not: frozenset[str]                   # nouns that are no unit: "número", "Zahl"
    measures: Mapping[str, str]
    chg_up: tuple[str, ...]                    # change words before a number: "rose", "stieg"
    chg_down: tuple[str, ...]
    chg_no_change: frozenset[str]              # read, but no change: "higher at 5"
    chg_particles: tuple[ChangeParticle, ...]  # "up 12%", "down 3,000"
    chg_amount: frozenset[str]                 # prepositions after them: "by", "um", "en"
    chg_amount_range: frozenset[str]           # amount, "X to Y" a range: "of"
    chg_level: frozenset[str]                  # the new level: "to", "auf", "hasta", "à"
    chg_start: frozenset[str]                  # the old level: "from", "von", "desde"
    chg_none: frozenset[str]                   # no change: "at"

    @cached_property
    def chg_preps(self) -> tuple[str, ...]:
        """Every preposition that may follow a change word."""
        return tuple(sorted(self.chg_amount | self.chg_amount_range | self.chg_level
                            | self.chg_start | self.chg_none))

    @cached_property
    def number_words(self) -> frozenset[str]:
        """Every single word the word grammar reads as (part of) a number."""
        return frozenset(
            set(self.units) | {w for k in self.multi_units for w in k} | set(self.hundreds)
            | set(self.scales) | set(self.vague) | set(self.fractions) | set(self.about)
            | set(self.single))


def _words(data: Mapping[str, Any], *path: str) -> list[str]:
    node: Any = data
    for p in path:
        if not isinstance(node, Mapping) or p not in node:
            return []
        node = node[p]
    return [str(w).lower() for w in node] if isinstance(node, list) else []


def _table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    node = data.get(name, {})
    return {str(k).lower(): v for k, v in node.items()} if isinstance(node, Mapping) else {}


def _pair(v: Any) -> tuple[float, float] | None:
    return (float(v[0]), float(v[1])) if isinstance(v, list) and len(v) == 2 else None


def _vague(v: Mapping[str, Any]) -> Vague:
    unit = v.get("unit")
    return Vague(_pair(v.get("alone")), None if unit is None else float(unit),
                 _pair(v.get("of")))


def _merge_words(files: list[Mapping[str, Any]], *path: str) -> frozenset[str]:
    return frozenset(w for f in files for w in _words(f, *path))


def _merge_table(files: list[Mapping[str, Any]], name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in files:
        out.update(_table(f, name))
    return out


def _qualifiers(files: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {name: [] for name in QUAL_NAMES}
    for f in files:
        for name in QUAL_NAMES:
            phrases = _with_articles(_words(f, "qualifiers", name), f)
            out[name] += [w for w in phrases if w not in out[name]]
    return {k: tuple(v) for k, v in out.items()}


def _qual_not_after(files: Iterable[Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    """``qualifiers.not_after``: for a qualifier phrase, the words before it that make it a
    verb's particle ("hand over two prisoners" is no "more than two")."""
    out: dict[str, set[str]] = {}
    for f in files:
        quals = f.get("qualifiers")
        table = _table(quals, "not_after") if isinstance(quals, Mapping) else {}
        for phrase, words in table.items():
            if isinstance(words, list):
                out.setdefault(phrase, set()).update(str(w).lower() for w in words)
    return {k: frozenset(v) for k, v in out.items()}


def _with_articles(phrases: list[str], data: Mapping[str, Any]) -> list[str]:
    """The phrases, each also followed by each of the file's ``qualifiers.article`` words.

    Spanish and French put a definite article between a qualifier and its number ("hasta
    el 40%", "superan los 12 millones", "jusqu'aux 40 %"); listing every pair by hand would
    miss some. ``qualifiers.contract`` merges a preposition with the article as the
    language writes it ("de el" -> "del", "à les" -> "aux")."""
    articles = _words(data, "qualifiers", "article")
    if not articles:
        return phrases
    quals = data.get("qualifiers")
    contract = _table(quals, "contract") if isinstance(quals, Mapping) else {}
    out = list(phrases)
    for p in phrases:
        for a in articles:
            joined = f"{p} {a}"
            for pair, merged in contract.items():
                cut = len(joined) - len(pair)      # the pair must start a word
                if joined.endswith(pair) and (cut == 0 or joined[cut - 1] in " '’"):
                    joined = joined[:cut] + str(merged).lower()
                    break
            if joined not in out:
                out.append(joined)
    return out


def _units(files: list[Mapping[str, Any]]) -> tuple[dict[str, float], dict[tuple[str, ...], float]]:
    single: dict[str, float] = {}
    multi: dict[tuple[str, ...], float] = {}
    for w, v in _merge_table(files, "units").items():
        parts = tuple(re.split(r"[\s-]+", w))
        if len(parts) > 1:
            multi[parts] = float(v)
        else:
            single[w] = float(v)
    return single, multi


def _particles(files: list[Mapping[str, Any]]) -> tuple[ChangeParticle, ...]:
    out: dict[str, ChangeParticle] = {}
    for f in files:
        change = f.get("change")
        table = _table(change, "particles") if isinstance(change, Mapping) else {}
        for word, v in table.items():
            if isinstance(v, Mapping):
                direction = str(v.get("direction"))
                if direction not in ("up", "down"):
                    raise ValueError(f"change particle {word!r}: direction must be up or down")
                out[word] = ChangeParticle(word, direction,
                                           tuple(_words(v, "not_after")),
                                           tuple(_words(v, "not_before")))
    return tuple(out[w] for w in sorted(out))


def _ordered(files: list[Mapping[str, Any]], *path: str) -> tuple[str, ...]:
    """The words of every file at ``path``, each once, in file order."""
    return tuple(dict.fromkeys(w for f in files for w in _words(f, *path)))


def lexicon_key(lang: str) -> str:
    """The data file a language reads with: its own, "en", or "xx" for the rest."""
    key = lang[:2].lower() if isinstance(lang, str) else "en"
    if not key or key == "en":
        return "en"
    return key if key in FILES else "xx"


@cache
def lexicon(key: str) -> Lexicon:
    """The merged lexicon of a key from :func:`lexicon_key` (built once per key)."""
    en = FILES["en"]
    own = FILES.get(key, {}) if key != "en" else {}
    words = [en, own]                      # number words: English, then the language's own
    foreign = key != "en"
    others = [f for k, f in sorted(FILES.items()) if k != "en"]
    ctx = others if foreign else [en]      # qualifiers and ranges: all foreign, or English
    units, multi = _units(words)
    mult: dict[str, float] = {}
    for f in FILES.values():
        mult.update({k: float(v) for k, v in _table(f, "multipliers").items()})
    mult.update({k: float(v) for k, v in _table(own, "multipliers_local").items()})
    return Lexicon(
        key=key, foreign=foreign, units=units, multi_units=multi,
        hundreds={k: float(v) for k, v in _merge_table(words, "hundreds").items()},
        scales={k: float(v) for k, v in _merge_table(words, "scales").items()},
        compound={k: float(v) for k, v in _table(own, "compound").items()},
        about={k: float(v) for k, v in _merge_table(words, "about").items()},
        vague={k: _vague(v) for k, v in _merge_table(words, "vague").items()},
        few={k: (float(v[0]), float(v[1])) for k, v in _merge_table(words, "few").items()},
        fractions={k: int(v) for k, v in _merge_table(words, "fractions").items()},
        articles=_merge_words(words, "articles"), and_words=_merge_words(words, "and"),
        tens_and=_merge_words(words, "tens_and"),
        tens_take_teens=bool(own.get("tens_take_teens", False)),
        of_words=_merge_words(words, "of"), single=_merge_words(words, "single"),
        in_n=tuple(sorted(_merge_words(words, "in_n"))),
        capitalised_nouns=bool(own.get("capitalised_nouns", False)),
        comma_thousands=bool(own.get("comma_thousands", False)),
        half_words=_merge_words(words, "half", "words"),
        half_articles=_merge_words([own], "half", "article"),
        half_not_after=_merge_words(words, "half", "not_after"),
        half_follow=_merge_words(words, "half", "follow"),
        half_after=_merge_words(words, "half", "after"),
        share_need_of=(_merge_words([own], "shares", "need_of") | _merge_words([en], "of")
                       if _words(own, "shares", "need_of") else frozenset()),
        share_time=_merge_words(words, "shares", "time"),
        share_ordinal=_merge_words(words, "shares", "ordinal"),
        share_follow=_merge_words(words, "shares", "follow"),
        qualifiers=_qualifiers(ctx),
        until=frozenset(w for f in ctx for w in _with_articles(_words(f, "qualifiers",
                                                                       "until"), f)),
        qual_not_after=_qual_not_after([en, *ctx]),
        after_at_least=tuple(sorted(_merge_words([own], "qualifiers", "after_at_least"))),
        after_at_most=tuple(sorted(_merge_words([own], "qualifiers", "after_at_most"))),
        range_start=tuple(sorted(_merge_words(ctx, "ranges", "start"))),
        range_join=tuple(sorted(_merge_words(ctx, "ranges", "join"))),
        range_need_start=_merge_words(ctx, "ranges", "need_start"),
        multipliers=mult,
        label_names=tuple(sorted({str(w) for f in words
                                  for w in f.get("labels", {}).get("names", [])})),
        label_words=tuple(sorted(_merge_words(words, "labels", "words"))),
        label_word_names=tuple(str(w) for w in en.get("labels", {}).get("word_names", [])),
        one_words=_merge_words([en], "one", "words"),
        one_not_after=_merge_words([en], "one", "not_after"),
        one_not_before=_merge_words([en], "one", "not_before"),
        one_said=_merge_words([en], "one", "said"),
        unit_stop=_merge_words(words, "unit", "stop"),
        unit_skip=_merge_words(words, "unit", "skip"),
        back_joins=_merge_words([own], "unit", "back_joins"),
        back_verbs=tuple(sorted(_merge_words([own], "unit", "back_verbs"))),
        back_not=_merge_words([own], "unit", "back_not"),
        measures={k: str(v) for k, v in _table(own, "measures").items()},
        chg_up=_ordered(words, "change", "up"),
        chg_down=_ordered(words, "change", "down"),
        chg_no_change=_merge_words(words, "change", "no_change"),
        chg_particles=_particles(words),
        chg_amount=_merge_words(words, "change", "amount"),
        chg_amount_range=_merge_words(words, "change", "amount_range"),
        chg_level=_merge_words(words, "change", "level"),
        chg_start=_merge_words(words, "change", "start"),
        chg_none=_merge_words(words, "change", "none"),
    )


def english_qualifiers() -> dict[str, tuple[str, ...]]:
    """English qualifier phrases, also read in non-English texts."""
    return _qualifiers([FILES["en"]])
