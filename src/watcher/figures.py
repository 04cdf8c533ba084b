"""The quantity grammar: finds every figure in a text, with its qualifier, range and unit.

Rule-based on purpose: the packages we tried drop "more than", "up to" and vague amounts,
which are exactly what a change in a reported figure turns on.

How it works: a few fast scans (each starts with a plain character class, so the regex
engine can skip ahead) find *atoms*: a number in digits or words, a date, or something
that only looks like a number (a time, a phone number, a model name such as KN-23, a list
marker, a URL). Each number atom is then widened with anchored patterns that look left
(qualifier, currency, change verb, "between"/"from") and right (multiplier, percent,
range, unit, measure). Work is done per atom, never per character: about 2 MB/s of
number-dense news text per core (see benchmarks/figures_bench.py).

Documented choices:

* Emitted kinds: number, percent, share, money, measure, date, ordinal.
* Never emitted: times ("10:30", "3 p.m."), phone numbers, list markers ("1." / "2)" at
  a line start), model and designator names (M1991, KN-23, Su-25, S-400, COVID-19),
  labels ("Article 5", "No. 3", "Unit 8200"), ages ("aged 19", "19-year-old", "Kim, 26,"),
  word ordinals ("third", "second") and a bare "one" ("one of them", "one day").
* Digit ordinals ("21st", "155th") are kind "ordinal"; dates and years are kind "date" with
  value/low/high None and ``norm`` holding an ISO-like form ("2025-03-22", "2025-03",
  "2024", "--03-22", "1990s").
* Calibres and physical quantities ("240mm", "50 km", "3 tonnes") and durations
  ("three days", "a 30-day truce") are kind "measure", ``unit`` the normalised measure.
* Vague amounts are approx with low/high and no value: dozens 24..99, scores 40..99,
  hundreds 200..999, thousands 2,000..9,999, tens of thousands 20,000..99,999, hundreds of
  thousands 200,000..999,999, millions 2e6..9,999,999; "several" = 3..9 times the scale
  ("several hundred" 300..900), "a few" = 2..5 times, "many" = 2..9 times. "a dozen" is
  approx 12.
* Shares are in percent: "a third" = 33.3, "one in five" = 20, "half" = 50.
* ``change`` is the direction a verb or word gives the figure ("rose by 1,000", "up 19
  cents", "fell 3%", "rose to 3,000", "1,000 more troops"); ``delta`` tells an amount of
  change (True: "rose by 1,000") from a new level (False: "rose to 3,000").
* Locale: for languages written with a decimal comma (de, es, fr, it, pt, nl, ru, uk, pl
  and others, see _DECIMAL_COMMA) "3.000" is 3000 and "1,5" is 1.5; in English "3,000" is
  3000, "1.5" is 1.5, and "1.200 soldiers" (dot, three digits, plural noun) is 1200. A
  thin, no-break or plain space groups thousands ("3 000"). Common qualifiers and range
  words of those languages ("mehr als", "environ", "más de", "zwischen ... und") are read
  when ``lang`` is not English.
* Skipped on purpose: a capitalised number word inside a name ("Group of Seven"), "zero".
* ``unit``: the noun phrase after the figure, lowercase, determiners dropped, adjectives
  kept ("north korean troops", "killed or wounded"); when nothing follows, the noun before
  ("a force of 12,000" -> "force", "the toll rose to 3,000" -> "toll"). Money: a currency
  code ("usd", "eur", "cents"); measures: the measure ("mm", "km", "days").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("number", "percent", "share", "money", "measure", "date", "ordinal")
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
SCORABLE_KINDS = ("number", "percent", "share", "money")


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as written in a text.

    Conventions: an exact or approximate figure has low == high == value; "more than
    3,000" has low=3000, high=None; "up to 200" has high=200, low=None; a range has low
    and high and value=None. Shares and percents are in percent (a third = 33.3).
    """

    text: str              # as written, e.g. "more than 3,000"
    start: int             # character span in the input text: text == source[start:end]
    end: int
    kind: str              # one of KINDS
    value: float | None
    low: float | None
    high: float | None
    qualifier: str         # one of QUALIFIERS
    change: str | None     # "up", "down" or None
    unit: str | None       # what is counted: "troops", "soldiers killed or wounded", ...
    sentence: str          # the sentence the figure stands in
    sentence_start: int    # span of that sentence in the input text
    sentence_end: int
    delta: bool = False    # True when the figure is an amount of change ("rose by 1,000")
    norm: str | None = None  # normalised dates ("2025-03-22"); None for other kinds

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- words

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000,
           "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_VAGUE = {"dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1_000,
          "millions": 1_000_000, "billions": 1_000_000_000, "trillions": 1_000_000_000_000}
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
              "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
              "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9,
              "ninths": 9, "tenth": 10, "tenths": 10}
_FEW = {"several": (3, 9), "few": (2, 5), "many": (2, 9), "couple": (2, 3)}
_ALL_WORDS = (set(_UNITS) | set(_SCALES) | set(_VAGUE) | set(_FRACTIONS)
              | {"dozen", "score"})


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _trie_alts(alternatives: str) -> str:
    """Trie regex of "a|b|c" phrase alternatives."""
    return _trie_regex(alternatives.split("|"))


def _trie_regex(words: set[str] | list[str]) -> str:
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

    return build(trie)


_WORD = _trie_regex(_ALL_WORDS)
_WORDSEQ = (
    r"\b(?:(?:an?|several|a\s+few|many|a\s+couple(?:\s+of)?)\s+)?(?:" + _WORD + r")\b"
    r"(?:(?:\s*+-\s*+|\s++(?:and\s++(?:an?\s++)?|of\s++(?:an?\s++)?|an?\s++)?)(?:" + _WORD
    + r")\b){0,14}"
)

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
_MONTH_RE = (r"(?-i:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
             r"|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))\b\.?")
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d(?!\d)"

_DIGITS = (r"(?<![\w.,])(?:\d{1,3}(?:[,.\u00a0\u202f\u2009'’ ]\d{3}){1,6}(?![\d])(?:[.,]\d+)?"
           r"|\d+(?:[.,]\d+)?)")

_MONTH_TAIL = (r"(?:an(?:uary)?|eb(?:ruary)?|ar(?:ch)?|pr(?:il)?|ay|une?|uly?|ug(?:ust)?"
               r"|ept?(?:ember)?|ct(?:ober)?|ov(?:ember)?|ec(?:ember)?)\b\.?")
_DAY_YEAR = (r"\s+\d{1,2}" + _ORD + r"(?![\d,.]?\d)(?:\s*[-–]\s*\d{1,2}(?!\d))?"
             r"(?:,?\s+" + _YEAR + r")?|,?\s+" + _YEAR)
# Dates that start with a digit, tried where a number starts.
_DATE_DIGIT = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?!\d)"
    r"|\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?![\d.,]?\d)"
    r"|\d{1,2}" + _ORD + r"(?:\s*[-–]\s*\d{1,2}" + _ORD + r")?\s+(?:of\s+)?" + _MONTH_RE
    + r"(?:,?\s+" + _YEAR + r")?"
    r"|(?:1[89]|20)?\d0['’]?s\b"
    r"|" + _YEAR + r"\s?[-–/]\s?(?:" + _YEAR + r"|\d\d(?!\d))"
)
_LIST = re.compile(r"\d{1,2}[.)](?=[ \t])")
_PHONE = re.compile(r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\d)"
                    r"|\(\d{3}\)\s?\d{3}[ .-]\d{4}(?!\d)|\d{3}[.-]\d{3}[.-]\d{4}(?!\d)")
_TIME = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d\s?(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|MSK|KST|hrs"
                   r"|hours\s+(?:GMT|local))\b|\d{1,2}/\d{1,2}(?![\d/])"
                   r"|(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\.?(?!\w))?"
                   r"(?![\d.,:]\d)|(?:1[0-2]|0?\d)(?:[.:][0-5]\d)?\s?[ap]\.?m\b\.?",
                   re.IGNORECASE)
# phone, time and digit-led date in one anchored pattern, in that order of preference
_DIGIT_SPECIAL = re.compile(
    "(?P<phone>" + _PHONE.pattern + ")|(?P<time>(?i:" + _TIME.pattern + "))|(?P<date>"
    + _DATE_DIGIT.pattern + ")"
)
_NUM = re.compile(r"(?P<num>" + _DIGITS + r")(?P<suf>[A-Za-z][A-Za-z0-9]*)?")
_WORD_RE = re.compile(r"(?P<word>" + _WORDSEQ + r")", re.IGNORECASE)

# Fast scans: each starts with a plain character or class so the regex engine can skip
# ahead; the slower, exact patterns above are only tried where a scan hit.
_SCAN_DIGIT = re.compile(r"\d(?<![\w.,]\d)")
_SCAN_URL = re.compile(r"(?:https?://|www\.)\S+")
_SCAN_MODEL = re.compile(r"[A-Z](?<![\w][A-Z])[A-Za-z]{0,7}-?\d[\dA-Za-z]{0,12}"
                         r"(?:[-/]\d{1,6}[A-Za-z]{0,6}){0,4}\b")
_SCAN_MONTH = re.compile(
    r"[JFMASOND](?<![\w][JFMASOND])" + _MONTH_TAIL + r"(?:" + _DAY_YEAR + r")"
)
_SCAN_DASH_DIGIT = re.compile(r"[-'’]\d")
_MIDYEAR = re.compile(r"(?:mid|early|late|end|start)-" + _YEAR + r"|['’]\d0s\b", re.IGNORECASE)
_MIDYEAR_WORD = re.compile(r"(?:mid|early|late|end|start)\Z", re.IGNORECASE)
_SCAN_WORD = re.compile(
    r"(?:" + _trie_regex({v for w in _ALL_WORDS for v in (w, w.capitalize(), w.upper())})
    + r")\b"
)
_CURRENCY_MODEL = re.compile(r"(?:USD|EUR|GBP|US|RUB|UAH|KRW|CHF|JPY|CNY|A|C|HK)\$?\d")
_WORD_PREFIX = re.compile(r"(?:\b(?:an?|several|a\s+few|many|a\s+couple(?:\s+of)?)\s+)\Z",
                          re.IGNORECASE)
_PRIORITY = {"url": 0, "list": 1, "phone": 2, "time": 3, "date": 4, "model": 5, "num": 6,
             "word": 7}

_CORE = re.compile(
    r"(?P<num>" + _DIGITS + r")(?P<suf>[A-Za-z][A-Za-z0-9]*)?|(?P<word>" + _WORDSEQ + r")",
    re.IGNORECASE,
)

# ------------------------------------------------------------------ context patterns

_QUAL_PHRASES: dict[str, str] = {
    "more_than": "more than|over|in excess of|upwards of|upward of|above|exceeding|exceeds|exceed"
                 "|exceeded|greater than|north of|surpassed|surpassing|surpasses|surpass|topped"
                 "|topping|beyond|just over|well over|slightly over|a little over|just above"
                 "|well above|slightly above|just more than|well more than|slightly more than"
                 "|a little more than|far more than|much more than|well in excess of",
    "at_least": "at least|no fewer than|no less than|not fewer than|not less than|a minimum of"
                "|minimum of|at a minimum",
    "at_most": "up to|as many as|as much as|as high as|at most|at the most|no more than"
               "|not more than|a maximum of|maximum of",
    "less_than": "fewer than|less than|lower than|under|below|short of|just under|well under"
                 "|slightly under|a little under|just below|well below|slightly below"
                 "|just short of|just shy of|shy of",
    "approx": "nearly|almost|about|around|roughly|some|approximately|approx.|an estimated"
              "|the estimated|estimated|close to|circa|ca.|c.|just about|more or less"
              "|in the region of|on the order of|an approximate|approximate|~|≈|around about"
              "|perhaps|maybe|possibly|an average of|on average|almost exactly|nearly all",
}
# qualifiers of the article's own language, used when lang is not English
_QUAL_FOREIGN: dict[str, str] = {
    "more_than": "mehr als|über|plus de|más de|più di|mais de|meer dan|более|свыше|больше"
                 "|понад|більше",
    "at_least": "mindestens|wenigstens|au moins|al menos|por lo menos|almeno|pelo menos"
                "|ten minste|minstens|не менее|как минимум|щонайменше|не менше",
    "at_most": "bis zu|jusqu'à|jusqu’à|hasta|fino a|até|tot wel|до",
    "less_than": "weniger als|unter|moins de|menos de|meno di|minder dan|менее|меньше|менше",
    "approx": "fast|knapp|rund|etwa|ungefähr|circa|ca.|environ|près de|presque|quelque"
              "|unos|unas|cerca de|alrededor de|casi|aproximadamente|quasi|ongeveer|bijna"
              "|около|почти|примерно|приблизно|близько|майже|~",
}
_QUALS = [(name, _trie_alts(pat)) for name, pat in _QUAL_PHRASES.items()]
_QUALS_FOREIGN = [(name, _trie_alts(pat)) for name, pat in _QUAL_FOREIGN.items()]
_QUAL_ALT = "|".join(f"(?P<q_{name}>{pat})" for name, pat in _QUALS)
_QUAL_ALT_FOREIGN = "|".join(f"(?P<q_{name}>{pat})" for name, pat in _QUALS_FOREIGN)

_CHG_WORDS = (
    "rose|risen|rising|rises|rise|increased|increases|increasing|increase|grew|grown"
    "|growing|grows|climbed|climbing|climbs|jumped|jumps|soared|surged|gained|swelled"
    "|doubled|tripled|raised|raising|boosted|added|adding|higher"
    "|fell|fallen|falling|falls|fall|dropped|dropping|drops|drop|declined|declining"
    "|declines|decline|decreased|decreasing|decreases|decrease|slipped|slid|plunged"
    "|tumbled|sank|sunk|shrank|shrunk|shrinking|eased|cut|cutting|reduced"
    "|reducing|lowered|slashed|lower"
)
_CHG_UP = _trie_alts(
    "rose|risen|rising|rises|rise|increased|increases|increasing|increase|grew|grown"
    "|growing|grows|climbed|climbing|climbs|jumped|jumps|soared|surged|gained|swelled"
    "|doubled|tripled|raised|raising|boosted|added|adding|higher"
) + r"|(?<!made )(?<!make )(?<!makes )(?<!making )(?<!set )(?<!sets )up(?!\s+to\b)"
_CHG_DOWN = _trie_alts(
    "fell|fallen|falling|falls|fall|dropped|dropping|drops|drop|declined|declining"
    "|declines|decline|decreased|decreasing|decreases|decrease|slipped|slid|plunged"
    "|tumbled|sank|sunk|shrank|shrunk|shrinking|eased|cut|cutting|reduced"
    "|reducing|lowered|slashed|lower"
) + r"|(?<!shot )(?<!shoot )(?<!shoots )(?<!brought )(?<!bring )(?<!gunned )(?<!took )down"
_CUR = (r"(?P<cur>US\s?\$|A\$|C\$|HK\$|\$|€|£|¥|₽|₩|₴|₹|(?:USD|EUR|GBP|RUB|UAH|KRW|CHF|JPY|CNY"
        r"|Rs\.?)\s?)")



def _left_pattern(qual_alt: str, rng_words: str) -> re.Pattern[str]:
    """What may stand just before a number: change verb, between/from, qualifier, currency.
    Each part may only start after a space or bracket, which keeps the search cheap."""
    return re.compile(
        r"(?:(?<![^\s(\[\"'“])(?:(?P<up>" + _CHG_UP + r")|(?P<down>" + _CHG_DOWN + r"))\s+"
        r"(?:(?P<prep>by|to|of|from|at)\s+)?)?"
        r"(?:(?<![^\s(\[\"'“])(?P<rng>" + rng_words + r")\s+)?"
        r"(?:(?<![^\s(\[\"'“])(?:" + qual_alt + r")\s*)?"
        r"(?:(?<![^\s(\[\"'“])" + _CUR + r")?\Z",
        re.IGNORECASE,
    )


_LEFT = _left_pattern(_QUAL_ALT, "between|from")
# The word just before a number must end one of the phrases above for _LEFT to match;
# checking that first skips the regex search for most numbers.
_LEFT_LAST = frozenset(
    [p.split()[-1].lower() for p in "|".join(_QUAL_PHRASES.values()).split("|")]
    + _CHG_WORDS.split("|") + ["up", "down", "by", "to", "of", "from", "at", "between"]
    + ["usd", "eur", "gbp", "rub", "uah", "krw", "chf", "jpy", "cny", "rs", "rs."]
)
_CUR_CHARS = frozenset("$€£¥₽₩₴₹~≈")
_LEFT_FOREIGN = _left_pattern(_QUAL_ALT_FOREIGN + "|" + _QUAL_ALT.replace("?P<q_", "?P<e_"),
                              "between|from|zwischen|von|entre|de|tra|fra|tussen|van|от|між|від")
_MULT = re.compile(
    r"\s*+(?:-\s*+)?(?P<m>million|billion|trillion|thousand|hundred|mln|mn|bln|bn|tn|trn"
    r"|Mio\.?|Mrd\.?|Millionen|Million|Milliarden?|Tausend|milliards?|millions?|mille"
    r"|millones|millón|mil\s+millones|mil|тыс\.?|млн|млрд|dozen)(?![\w])",
    re.IGNORECASE,
)
_MULT_VALUES = {
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "mln": 1e6, "mn": 1e6,
    "millones": 1e6, "millón": 1e6, "млн": 1e6, "billion": 1e9, "bln": 1e9, "bn": 1e9,
    "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9, "milliard": 1e9, "milliards": 1e9,
    "mil millones": 1e9, "млрд": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "thousand": 1e3, "tausend": 1e3, "mille": 1e3, "mil": 1e3, "тыс": 1e3, "hundred": 100,
    "dozen": 12, "k": 1e3, "m": 1e6, "b": 1e9,
}

_PCT = re.compile(
    r"\s?(?P<p>%|per\s?cent(?:age[\s-]+points?)?|percent(?:age[\s-]+points?)?|pct|pc\b|p\.p\.|pp\b"
    r"|Prozent|pour\s+cent|por\s+ciento|per\s+cento|процент(?:ов|а)?)",
    re.IGNORECASE,
)

_CUR_RIGHT = re.compile(
    r"\s*+-?(?P<c>dollars?|euros?|pounds?\s+sterling|pounds?|roubles?|rubles?|hryvnias?|hryvnia"
    r"|won|yuan|yen|rupees?|USD|EUR|GBP|RUB|UAH|KRW|US\s+cents|cents?|€|\$|£)(?!\w)",
    re.IGNORECASE,
)
_CUR_CODES = {
    "$": "usd", "us$": "usd", "us $": "usd", "a$": "aud", "c$": "cad", "hk$": "hkd", "€": "eur",
    "£": "gbp", "¥": "jpy", "₽": "rub", "₩": "krw", "₴": "uah", "₹": "inr", "usd": "usd",
    "eur": "eur", "gbp": "gbp", "rub": "rub", "uah": "uah", "krw": "krw", "chf": "chf",
    "jpy": "jpy", "cny": "cny", "rs": "inr", "rs.": "inr", "dollar": "usd", "dollars": "usd",
    "euro": "eur", "euros": "eur", "pound": "gbp", "pounds": "gbp", "pound sterling": "gbp",
    "pounds sterling": "gbp", "rouble": "rub", "roubles": "rub", "ruble": "rub",
    "rubles": "rub", "hryvnia": "uah", "hryvnias": "uah", "won": "krw", "yuan": "cny",
    "yen": "jpy", "rupee": "inr", "rupees": "inr", "cent": "cents", "cents": "cents",
    "us cents": "cents",
}

_MEASURE_UNITS: dict[str, str] = {}
for _canon, _forms in {
    "mm": "mm millimetre millimetres millimeter millimeters",
    "cm": "cm centimetre centimetres centimeter centimeters",
    "km": "km kilometre kilometres kilometer kilometers kms",
    "m": "m metre metres meter meters",
    "miles": "mile miles mi",
    "feet": "feet foot ft",
    "inches": "inch inches",
    "kg": "kg kilogram kilograms kilogramme kilogrammes kilo kilos",
    "g": "gram grams gramme grammes",
    "tonnes": "tonne tonnes ton tons mt",
    "lb": "lb lbs",
    "litres": "litre litres liter liters",
    "barrels": "barrel barrels bpd",
    "mw": "mw megawatt megawatts",
    "gw": "gw gigawatt gigawatts",
    "kwh": "kwh mwh gwh twh",
    "hectares": "hectare hectares ha",
    "acres": "acre acres",
    "km2": "km2 km²",
    "degrees": "degree degrees °c °f °",
    "km/h": "km/h kph mph knots knot",
    "calibre": "calibre caliber calibres calibers gauge",
    "seconds": "second seconds sec secs",
    "minutes": "minute minutes min mins",
    "hours": "hour hours hr hrs",
    "days": "day days",
    "weeks": "week weeks",
    "months": "month months",
    "years": "year years",
    "decades": "decade decades",
    "centuries": "century centuries",
    "gb": "gb tb mb kb",
}.items():
    for _f in _forms.split():
        _MEASURE_UNITS[_f] = _canon
_DURATIONS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades",
              "centuries"}
_MEASURE = re.compile(
    r"\s*+(?:-\s*+)?(?P<u>square\s+(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?)|sq\.?\s?km"
    r"|km/h|°[cf]?|km²|"
    + "|".join(sorted((re.escape(k) for k in _MEASURE_UNITS if k[0] != "°"),
                      key=len, reverse=True))
    + r")(?![\w²])",
    re.IGNORECASE,
)

_AGE_RIGHT = re.compile(r"\s*+(?:-\s*+)?years?\s*+(?:-\s*+)?olds?\b",
                        re.IGNORECASE)
_AGE_LEFT = re.compile(r"\b(?:aged|age|ages|ageing|aging)\s+(?:of\s+)?(?:between\s+)?\Z",
                       re.IGNORECASE)
_NAME_AGE_LEFT = re.compile(r"(?-i:\b[A-Z][a-z]+),\s\Z")
_NOUN_AGE_LEFT = re.compile(r"\b[a-z]{3,},\s\Z")
_AGE_VERB_RIGHT = re.compile(r",\s+(?:said|says|who|was|is|has|had|told|added|died|lives"
                             r"|an?)\b")
_LABEL_LEFT = re.compile(
    r"(?:(?-i:\b(?:Article|Articles|Section|Chapter|Resolution|No|Nos|Number|Unit|Room|Route"
    r"|Highway|Flight|Paragraph|Clause|Page|Part|Building|Gate|Block|Brigade|Division"
    r"|Regiment|Corps|Battalion|Squadron|Platoon|Grade|Level|Phase|Stage|Round|Episode"
    r"|Season|Vol|Volume|Table|Figure|Fig|Item|Category|Class|Version|Apollo|Channel|Line"
    r"|Bus|Terminal|Platform|Zone|Sector|Hill|Height|Camp|Plant|Reactor|Tier|Step|Act|Decree"
    r"|Protocol|Rule|Exhibit|Lot|Track|Window|Windows|Model|Group|Team|Pier|Lane|Street"
    r"|Avenue|Box|Suite|Floor|Ward|District|Precinct|Post|Checkpoint|Index|Code|Bill|Title"
    r"|Cell|Sheet|Annex|Appendix|Mark|Mk|Block|Batch|Wave|Day|Week)\.?)"
    r"|(?<![\w])(?:no\.|nos\.|#|number|code|flight|route|unit|article|section|paragraph"
    r"|page|pages|room|platform|gate|channel|line|bus|ward|district|precinct|item))\s*\Z"
)
_YEAR_PREV = (
    _wordset(
        "in since by of until till from to during early late mid before after between and or the "
        "spring summer autumn fall winter year years fiscal end start beginning since-then circa "
        "around through throughout"
    )
)
_POST_QUAL = re.compile(
    r"(?:\s+or\s+(?P<ormore>more|over|above|greater)\b|,?\s+(?P<atleast>at\s+least)\b(?!\s*[$€£\d])"
    r"|,?\s+(?P<atmost>at\s+(?:the\s+)?most)\b(?!\s*[$€£\d])"
    r"|\s+or\s+(?P<orless>fewer|less|under"
    r"|below)\b|\s+or\s+(?P<orso>so)\b|(?P<plus>\+(?!\d)|-plus\b|\s+plus\b(?!\s*[$€£\d]))"
    r"|(?P<odd>-odd\b|\s+odd\b))",
    re.IGNORECASE,
)
_POST_CHG = re.compile(r"\s+(?:(?P<up>more|higher|extra)|(?P<down>fewer|less|lower))\b",
                       re.IGNORECASE)
_RANGE_CONN = re.compile(r"\s*(?P<c>-|–|—|to|and|or|through|till|until)\s*(?:" + _CUR + r")?",
                         re.IGNORECASE)
_RANGE_CONN_FOREIGN = re.compile(
    r"\s*(?P<c>-|–|—|bis|und|à|et|a|y|e|en|tot|и|і|до|al)\s+(?:" + _CUR + r")?", re.IGNORECASE)
_AND_LIKE = frozenset({"and", "und", "et", "y", "e", "en", "и", "і"})
_IN_N = re.compile(r"\s+(?:in|out\s+of)\s+(?:every\s+)?", re.IGNORECASE)
_OF_DET = re.compile(r"\s+of\s+(?:(?:the|its|their|his|her|our|all|these|those|this|that)\s+)?",
                     re.IGNORECASE)
_SHARE_OF_TIME = re.compile(r"\s+of\s+an?\s+(?:century|hour|mile|minute|second|day|year|point)\b",
                            re.IGNORECASE)
_SHARE_POINT = re.compile(r"(?:\s+an?)?\s+(?:percentage[\s-]+)?points?\b", re.IGNORECASE)
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
_PLURAL_NEXT = re.compile(
    r"\s+(?!(?:points|times|years|days|hours|months|weeks|seconds|minutes|percent)\b)"
    r"(?:[A-Z][a-z]+\s+)*[a-z]{3,}(?<!s[sui])s\b")
_CAP_NAME_LEFT = re.compile(
    r"(?-i:\b(?:[A-Z][A-Za-z]+\s+of|Big|Top|Final|Famous|Magnificent|Fab|Gang\s+of))\s+\Z")
_CAP_NEXT = re.compile(r"\s+[A-Z]")
_STRONG = re.compile(r"\s*-\s*strong\b", re.IGNORECASE)
_UNIT_TOKEN = re.compile(r"[ \t]*(?:-[ \t]*)?([A-Za-z][A-Za-z'’]{0,40}(?:-[A-Za-z0-9]{1,20}){0,4})")
_BACK_NOUN_SIMPLE = re.compile(
    r"(?:\b(?P<m>[A-Za-z]+(?:['’]s)?)\s+)?\b(?P<n>[A-Za-z]+),?\s+(?:has\s+|had\s+|have\s+|was\s+|were\s+"
    r"|is\s+|are\s+|now\s+)?(?:of|numbering|numbered|totall?ing|totall?ed|totals?|count(?:ed)?"
    r"|reached|reaching|reaches|stood\s+at|stands\s+at|put\s+at|estimated\s+at|rose\s+to"
    r"|risen\s+to|climbed\s+to|increased\s+to|grew\s+to|jumped\s+to|fell\s+to|dropped\s+to"
    r"|surpassed|exceeded|topped|passed|hit)\s+\Z",
)

_BACK_LAST = _wordset(
    "of numbering numbered totalling totaling totalled totaled total totals count counted "
    "reached reaching reaches at to surpassed exceeded topped passed hit"
)
_BACK_NOUN_BRING = re.compile(
    r"\b(?:bringing|brings|brought|taking|takes|took|pushing|pushed|putting|puts|raising"
    r"|raised|lifting|lifted)\s+(?:the\s+|its\s+|their\s+)?(?:(?P<m>[a-z]+)\s+)??"
    r"(?P<n>[a-z]+)\s+(?:to|at)\s+\Z"
)
_STOP = _wordset(
    "the a an of in on at to for with by from into onto over under after before during since "
    "until and or but nor as than that which who whom whose this these those it its their his "
    "her our your my them they we he she you i is are was were be been being has have had do "
    "does did will would can could may might must shall should not no also said says say "
    "according while when where per each every there here so too just only still already now "
    "then reportedly allegedly more less fewer about around some last next this year ago "
    "earlier later across between among against along amid toward towards via like whereas if "
    "because though although came went left ran sent lost took made held got saw began fought "
    "remain remains remained arrive arrives die dies told tell tells say says stand stands "
    "stood rose fell hit put set a day week month annually daily weekly monthly yearly "
    "overall total altogether apiece each percent cent pct"
)
_NUMWORDS_STOP = frozenset(_ALL_WORDS) | frozenset(_FEW)

_DECIMAL_COMMA = (
    _wordset(
        "de es fr it pt nl ru uk pl cs sk sl hr sr bs bg ro hu tr da sv nb nn no fi el id vi et "
        "lv lt ca gl eu is be ka az kk uz mk sq"
    )
)

_SENT_BOUNDARY = re.compile(
    r"[.!?\n](?:(?<=\n)\s*|(?<=[.!?])(?P<q>[\"'”’)\]]*)[ \t]+(?=[\"'“‘(\[]?[A-Z0-9]))"
)
_ABBREV = (
    _wordset(
        "mr mrs ms dr prof st gen lt col maj capt cpt sgt cpl pvt adm cmdr brig rep sen gov pres "
        "jr sr rev fr jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc approx e.g "
        "i.e cf al fig inc corp ltd co mt ft est ca gov't dept univ vol pp op messrs u.s u.k u.n "
        "e.u a.m p.m"
    )
)
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.']*)\.[\"'”’)\]]*\Z")


# ------------------------------------------------------------------------ sentences

def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end), whitespace trimmed; shared with the claim matcher.

    Splits at . ! ? followed by space and a capital or digit, and at line breaks; keeps
    abbreviations ("U.S.", "Gen.", "Jan. 5", "No. 3"), decimals and "3.000" together.
    """
    spans: list[tuple[int, int]] = []
    if not isinstance(text, str) or not text:
        return spans
    start = 0
    for m in _SENT_BOUNDARY.finditer(text):
        cut = m.start()
        if text[cut] != "\n":
            cut = m.end("q")
            lw = _LAST_WORD.search(text, max(start, cut - 30), cut)
            if lw is not None:
                word = lw.group(1).lower()
                if word in _ABBREV or (len(word) == 1 and word.isalpha()) or (
                    "." in word and len(word) <= 6
                ):
                    continue
        _add_span(text, start, cut, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


# -------------------------------------------------------------------------- parsing

def _parse_digits(s: str, lang: str) -> float | None:
    """Read a digit string with the separators of ``lang``'s number locale."""
    s = s.replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
    s = s.replace(" ", "").replace("'", "").replace("’", "")
    decimal_comma = lang[:2].lower() in _DECIMAL_COMMA
    try:
        if decimal_comma:
            if "," in s:
                head, _, tail = s.rpartition(",")
                return float(head.replace(".", "").replace(",", "") + "." + tail)
            groups = s.split(".")
            if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
                return float("".join(groups))
            return float(s)
        if "," in s:
            head, _, tail = s.partition(".")
            groups = head.split(",")
            if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
                return float("".join(groups) + ("." + tail if tail else ""))
            if s.count(",") == 1 and "." not in s:
                return float(s.replace(",", "."))
            return None
        groups = s.split(".")
        if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        return float(s)
    except ValueError:
        return None


class _Words:
    """Result of reading a run of number words."""

    __slots__ = ("bare_one", "consumed", "denominator", "high", "kind", "low", "skip", "value")

    def __init__(self) -> None:
        self.kind = "number"       # number | vague | share | ordinal | none
        self.value: float | None = None
        self.low: float | None = None
        self.high: float | None = None
        self.consumed = 0          # characters of the match used
        self.bare_one = False
        self.denominator = 0
        self.skip = 0              # characters before the first number word ("a five")


_TOKEN = re.compile(r"[A-Za-z]+")


def _parse_words(s: str) -> _Words:
    """Read number words from the start of ``s`` ("twenty-five thousand", "a third",
    "several hundred", "tens of thousands"); stops where the phrase stops making sense."""
    res = _Words()
    toks = [(m.group(0).lower(), m.end()) for m in _TOKEN.finditer(s)]
    starts = [m.start() for m in _TOKEN.finditer(s)]
    i = 0
    n = len(toks)
    few: tuple[int, int] | None = None
    lead_a = False
    if i < n and toks[i][0] in ("a", "an"):
        lead_a = True
        i += 1
    if i < n and toks[i][0] in _FEW:
        few = _FEW[toks[i][0]]
        i += 1
        if i < n and toks[i][0] == "of" and toks[i - 1][0] == "couple":
            i += 1
    if i >= n:
        res.kind = "none"
        return res
    w = toks[i][0]
    # vague plurals: dozens, hundreds, tens of thousands, hundreds of millions
    if w in _VAGUE and few is None:
        base = _VAGUE[w]
        end = toks[i][1]
        j = i + 1
        if j + 1 < n and toks[j][0] == "of" and toks[j + 1][0] in ("thousands", "millions",
                                                                     "billions"):
            if w in ("tens", "hundreds", "dozens", "scores"):
                base *= _VAGUE[toks[j + 1][0]]
                end = toks[j + 1][1]
        elif w == "tens":
            res.kind = "none"
            return res
        lo_mult = {12: 2, 20: 2}.get(base, 2)
        if w == "dozens":
            res.low, res.high = 24.0, 99.0
        elif w == "scores":
            res.low, res.high = 40.0, 99.0
        else:
            res.low, res.high = float(lo_mult * base), float(10 * base - 1)
        if w == "dozens" and base > 12:
            res.low, res.high = float(24 * base // 12), float(99 * base // 12)
        res.kind = "vague"
        res.consumed = end
        return res
    if few is not None:
        if w in _SCALES or w == "dozen":
            scale = float(_SCALES.get(w, 12))
            end = toks[i][1]
            if i + 1 < n and toks[i + 1][0] in _SCALES and _SCALES[toks[i + 1][0]] > scale:
                scale *= _SCALES[toks[i + 1][0]]
                end = toks[i + 1][1]
            res.kind = "vague"
            res.low, res.high = few[0] * scale, few[1] * scale
            res.consumed = end
            return res
        if w in _VAGUE:
            base = _VAGUE[w]
            res.kind = "vague"
            res.low, res.high = float(few[0] * base), float(10 * base - 1)
            res.consumed = toks[i][1]
            return res
        res.kind = "none"
        return res
    # fractions with a lone "a"/"one": "a third", "a quarter of a million", "half a dozen"
    total = 0.0
    current = 0.0
    seen = False
    end = 0
    last_kind = ""
    while i < n:
        w = toks[i][0]
        if w in ("and", "a", "an", "of"):
            # "and" joins "hundred and five"; "a"/"of" only inside "half a million"
            nxt = toks[i + 1][0] if i + 1 < n else ""
            if w == "and" and last_kind in ("scale", "hundred") and nxt in _UNITS:
                i += 1
                continue
            if w == "and" and nxt in ("a", "an") and i + 2 < n and toks[i + 2][0] == "half":
                current += 0.5
                end = toks[i + 2][1]
                i += 3
                last_kind = "unit"
                continue
            break
        if w in _UNITS:
            v = _UNITS[w]
            if last_kind == "unit" or (last_kind == "tens" and v >= 10) or (
                last_kind == "tens" and v == 0
            ):
                break
            current += v
            last_kind = "tens" if v >= 20 and v % 10 == 0 else "unit"
            seen = True
            end = toks[i][1]
            i += 1
            continue
        if w == "hundred":
            if last_kind == "hundred":
                break
            current = (current or (1.0 if lead_a or not seen else 0.0) or 1.0) * 100
            last_kind = "hundred"
            seen = True
            end = toks[i][1]
            i += 1
            continue
        if w in _SCALES:
            if last_kind == "scale" and total and _SCALES[w] >= 1000:
                break
            total += (current or 1.0) * _SCALES[w]
            current = 0.0
            last_kind = "scale"
            seen = True
            end = toks[i][1]
            i += 1
            continue
        if w == "dozen":
            current = (current or 1.0) * 12
            last_kind = "unit"
            seen = True
            end = toks[i][1]
            i += 1
            continue
        if w in _FRACTIONS:
            if seen and last_kind == "unit" and current >= 1 and total == 0:
                num = current
            elif (not seen and lead_a) or (not seen and w == "half"):
                num = 1.0
            else:
                break
            den = _FRACTIONS[w]
            if w in ("half", "halves") and num > 1:
                break
            frac_end = toks[i][1]
            # "half a million", "a quarter of a million", "half a dozen"
            j = i + 1
            if j < n and toks[j][0] == "of":
                j += 1
            if j < n and toks[j][0] in ("a", "an"):
                j += 1
            if j < n and (toks[j][0] in _SCALES or toks[j][0] == "dozen") and j > i + 1:
                scale = float(_SCALES.get(toks[j][0], 12))
                res.kind = "number"
                res.value = num / den * scale
                res.consumed = toks[j][1]
                return res
            if w.startswith(("third", "fourth", "fifth", "sixth", "seventh", "eighth",
                             "ninth", "tenth")) and not seen and not lead_a:
                res.kind = "ordinal"
                res.consumed = frac_end
                return res
            if w in ("quarters", "thirds", "halves") and not seen:
                res.kind = "none"
                return res
            res.kind = "share"
            res.value = round(100.0 * num / den, 1)
            res.denominator = den
            res.consumed = frac_end
            return res
        break
    if not seen:
        res.kind = "none"
        return res
    if lead_a and total == 0 and last_kind in ("unit", "tens") and len(starts) > 1:
        res.skip = starts[1]  # "a five-year plan": the figure starts at "five"
    res.value = total + current
    res.consumed = end
    res.bare_one = res.value == 1 and not lead_a
    return res


# -------------------------------------------------------------------------- figures

class _C:
    """Plain record for a parsed number core."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.value: float | None = None
        self.low: float | None = None
        self.high: float | None = None
        self.kind = "number"
        self.is_word = False
        self.mult = 1.0
        self.has_mult = False
        self.pct: str | None = None
        self.measure: str | None = None
        self.money_suffix = False
        self.bare_one = False
        self.decade = False
        self.denominator = 0
        self.approx = False


def _read_core(text: str, m: re.Match[str], lang: str, currency: bool) -> _C | None:
    """Turn a num/word match into a core with multiplier and percent applied."""
    c = _C(m.start())
    gd = m.groupdict()
    if gd.get("num") is not None:
        raw = str(gd["num"])
        val = _parse_digits(raw, lang)
        if val is None:
            return None
        c.value = val
        c.end = m.end("num")
        suf = gd.get("suf")
        if suf:
            sl = suf.lower()
            if sl in ("st", "nd", "rd", "th"):
                c.kind = "ordinal"
                c.end = m.end()
                return c
            if sl in ("k", "m", "mn", "mln", "bn", "b", "bln", "tn", "trn", "million",
                      "billion", "trillion", "thousand"):
                if sl == "m" and not currency:
                    after = text[m.end():m.end() + 12].lower()
                    if after.startswith(("-long", "-high", "-deep", "-wide", " long", " high",
                                         " deep", " wide", " tall", " away", "-tall")):
                        c.measure = "m"
                        c.end = m.end()
                        return c
                if sl == "b" and not currency:
                    return None
                c.mult = _MULT_VALUES[sl]
                c.has_mult = True
                c.end = m.end()
            elif sl in ("s",) and val in (10, 100, 1000, 10000):
                c.kind = "vague"
                c.low, c.high = 2 * val, 10 * val - 1
                c.value = None
                c.end = m.end()
                return c
            elif sl in _MEASURE_UNITS:
                c.measure = _MEASURE_UNITS[sl]
                c.end = m.end()
                return c
            elif sl in ("x",):
                c.measure = "times"
                c.end = m.end()
                return c
            else:
                return None
    else:
        c.is_word = True
        w = _parse_words(str(gd.get("word") or ""))
        if w.kind == "none" or w.consumed == 0:
            return None
        c.end = m.start() + w.consumed
        # token ends are relative to the matched string
        if w.kind == "ordinal":
            c.kind = "ordinal_word"
            return c
        if w.kind == "vague":
            c.kind = "vague"
            c.low, c.high = w.low, w.high
            return c
        if w.kind == "share":
            c.kind = "share"
            c.value = w.value
            c.denominator = w.denominator
            return c
        c.value = w.value
        c.start += w.skip
        c.bare_one = w.bare_one
        c.approx = "dozen" in str(gd.get("word") or "").lower()
        if w.value is not None and w.value >= 1000:
            c.has_mult = True
    if not c.has_mult:
        mm = _MULT.match(text, c.end)
        if mm is not None and not (c.is_word and mm.group("m").lower() == "dozen"):
            key = mm.group("m").lower().rstrip(".")
            if key.startswith("mil millones"):
                key = "mil millones"
            mv = _MULT_VALUES.get(key)
            if mv is not None and not (key == "mil" and lang[:2].lower() not in ("es", "pt")):
                c.mult = mv
                c.has_mult = True
                c.end = mm.end()
    pm = _PCT.match(text, c.end)
    if pm is not None:
        c.pct = pm.group("p")
        c.end = pm.end()
    elif (not c.is_word and not c.has_mult and lang[:2].lower() not in _DECIMAL_COMMA
          and _DOT_THOUSANDS.fullmatch(text, c.start, c.end)
          and _PLURAL_NEXT.match(text, c.end)):
        # "1.200 soldiers" in an English text written with European separators
        c.value = float(text[c.start:c.end].replace(".", ""))
    return c


def _apply_mult(c: _C) -> None:
    if c.value is not None and c.mult != 1.0:
        c.value = c.value * c.mult


def _fmt_unit(words: list[str]) -> str | None:
    if not words:
        return None
    return " ".join(w.lower().replace("’", "'") for w in words)


def _forward_unit(text: str, pos: int, limit: int) -> str | None:
    """The noun phrase after a figure: adjectives and head noun, determiners dropped."""
    words: list[str] = []
    om = _OF_DET.match(text, pos, limit)
    if om is not None:
        pos = om.end()
    last_ed = False
    lowercase_seen = False
    for _ in range(6):
        tm = _UNIT_TOKEN.match(text, pos, limit)
        if tm is None:
            break
        w = tm.group(1)
        wl = w.lower()
        if wl in ("or", "and") and last_ed and words:
            nm = _UNIT_TOKEN.match(text, tm.end(), limit)
            if nm is not None and nm.group(1).lower().endswith("ed"):
                words.append(wl)
                words.append(nm.group(1))
                pos = nm.end()
                continue
            break
        if wl in _STOP or wl in _NUMWORDS_STOP:
            if not words and wl in ("more", "additional", "extra", "other", "new"):
                pos = tm.end()
                continue
            break
        is_cap = w[0].isupper()
        if words and is_cap and lowercase_seen:
            break
        ends_verbish = wl.endswith(("ed", "ing")) and len(wl) > 3
        if words and ends_verbish and not last_ed:
            break
        if words and not is_cap and _is_plural(words[-1]) and not last_ed:
            break  # "factories work", "troops remain": a plural head ends the phrase
        words.append(w)
        last_ed = ends_verbish
        lowercase_seen = lowercase_seen or not is_cap
        pos = tm.end()
        if len(words) >= 5:
            break
    if words and all(x[0].isupper() for x in words if x not in ("or", "and")) and not (
        words[-1].endswith("s") and len(words[-1]) > 3
    ):
        # "3,000 Monday" or "40 Kursk" are not units; "North Korean" alone is an adjective
        return None
    return _fmt_unit(words)


def _is_plural(word: str) -> bool:
    w = word.lower()
    if w.endswith(("'s", "’s")):
        return False
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics"))) or w in (
        "people", "men", "women", "children", "police", "personnel", "staff", "troops")


def _back_unit(text: str, start: int, sent_start: int) -> str | None:
    a = max(sent_start, start - 80)
    window = text[a:start]
    tail = window.rstrip()
    if not tail or tail.rsplit(None, 1)[-1].lower() not in _BACK_LAST:
        return None
    bm = _BACK_NOUN_SIMPLE.search(window)
    if bm is None:
        bm = _BACK_NOUN_BRING.search(window)
    if bm is None:
        return None
    if bm.group("n")[0].isupper():
        return None  # "casualties in Kursk have surpassed 4,000": a place, not a unit
    n = bm.group("n").lower()
    if n in _STOP or n in _NUMWORDS_STOP or n in ("total", "sum", "figure", "number"):
        return None
    m = (bm.group("m") or "").lower()
    if m and m not in _STOP and m not in _NUMWORDS_STOP and not m.endswith("ed"):
        return f"{m} {n}"
    return n


def _norm_date(s: str) -> str | None:
    """An ISO-like form of a date as written."""
    low = s.lower()
    year = re.search(r"(?<!\d)((?:1[89]|20)\d\d)(?!\d)", s)
    mon = None
    for tok in re.findall(r"[a-z]+", low):
        if tok in _MONTHS:
            mon = _MONTHS[tok]
            break
    m_iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m_iso:
        return f"{m_iso.group(1)}-{int(m_iso.group(2)):02d}-{int(m_iso.group(3)):02d}"
    m_num = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", s)
    if m_num:
        d, mo, y = int(m_num.group(1)), int(m_num.group(2)), m_num.group(3)
        if mo > 12 >= d:
            d, mo = mo, d
        yy = y if len(y) == 4 else "20" + y
        return f"{yy}-{mo:02d}-{d:02d}"
    if re.search(r"\d0['’]?s\b", low):
        return re.sub(r"['’]", "", s)
    if mon is not None:
        day_m = re.search(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)", s.replace(
            year.group(1) if year else "\x00", ""))
        parts = [year.group(1) if year else "-", f"{mon:02d}"]
        if day_m:
            parts.append(f"{int(day_m.group(1)):02d}")
        return "-".join(parts)
    if year:
        yr = re.findall(r"(?<!\d)(\d{2,4})(?!\d)", s)
        if len(yr) > 1:
            return f"{yr[0]}/{yr[1]}"
        return year.group(1)
    return None


def _is_year_context(text: str, start: int, end: int, sent_start: int) -> bool:
    """A bare 1800..2100 number: a year unless a plural noun follows and no date word leads."""
    pw = re.search(r"([A-Za-z]+)[\s,(]*\Z", text[max(sent_start, start - 20):start])
    prev = pw.group(1).lower() if pw else ""
    if prev in _YEAR_PREV or prev in _MONTHS:
        return True
    nw = re.match(r"\s+([a-z][a-z-]*)", text[end:end + 30])
    return not (nw is not None and nw.group(1).endswith("s") and nw.group(1) not in _STOP)


def _sentence_for(spans: list[tuple[int, int]], starts: list[int], pos: int,
                  text: str, cache: dict[int, str]) -> tuple[str, int, int]:
    """The sentence around ``pos``; one string per sentence, shared by its figures (a
    fresh slice per figure made one huge unpunctuated text quadratic)."""
    i = bisect.bisect_right(starts, pos) - 1
    if 0 <= i < len(spans):
        a, b = spans[i]
        if a <= pos < b:
            sent = cache.get(i)
            if sent is None:
                sent = cache[i] = text[a:b]
            return sent, a, b
    return "", pos, pos


def extract_figures(text: str, lang: str = "en") -> list[Figure]:
    """Every figure in ``text``, in order of appearance. ``lang`` picks number locale."""
    if not isinstance(text, str) or not text:
        return []
    if not isinstance(lang, str) or not lang:
        lang = "en"
    try:
        return _extract(text, lang)
    except Exception:
        # a grammar bug must never take the pipeline down; the fuzz tests call _extract
        # directly so such bugs still fail loudly there
        return []


def _atoms(text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every candidate atom, sorted by start then priority; overlaps are resolved by
    the caller, which skips atoms that start inside one already used."""
    atoms: list[tuple[int, int, str, re.Match[str]]] = []
    add = atoms.append
    pr = _PRIORITY
    for m in _SCAN_URL.finditer(text):
        add((m.start(), pr["url"], "url", m))
    for m in _SCAN_MODEL.finditer(text):
        if not _CURRENCY_MODEL.match(m.group(0)):
            add((m.start(), pr["model"], "model", m))
    for m in _SCAN_MONTH.finditer(text):
        add((m.start(), pr["date"], "date", m))
    for m in _SCAN_DASH_DIGIT.finditer(text):
        p = m.start()
        if text[p] == "-":
            wm = _MIDYEAR_WORD.search(text, max(0, p - 5), p)
            if wm is None:
                continue
            p = wm.start()
        ym = _MIDYEAR.match(text, p)
        if ym is not None:
            add((p, pr["date"], "date", ym))
    for m in _SCAN_DIGIT.finditer(text):
        p = m.start()
        prev = text[p - 1] if p else ""
        if prev in ("+", "("):
            ph = _PHONE.match(text, p - 1)
            if ph is not None:
                add((p - 1, pr["phone"], "phone", ph))
                continue
        lm = _LIST.match(text, p)
        if lm is not None and _is_list_marker(text, p, lm.end()):
            add((p, pr["list"], "list", lm))
            continue
        sm = _DIGIT_SPECIAL.match(text, p)
        if sm is not None:
            name = str(sm.lastgroup)
            add((p, pr[name], name, sm))
        nm = _NUM.match(text, p)
        if nm is not None:
            add((p, pr["num"], "num", nm))
    for m in _SCAN_WORD.finditer(text):
        p = m.start()
        if p and (text[p - 1].isalnum() or text[p - 1] == "_"):
            continue
        wp = _WORD_PREFIX.search(text, max(0, p - 12), p)
        if wp is not None:
            p = wp.start()
        wm = _WORD_RE.match(text, p)
        if wm is not None:
            add((p, pr["word"], "word", wm))
    atoms.sort(key=lambda t: (t[0], t[1]))
    return atoms


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


def _extract(text: str, lang: str) -> list[Figure]:
    spans = split_sentences(text)
    starts = [a for a, _ in spans]
    out: list[Figure] = []
    pos = 0
    pending_change: str | None = None
    sent_cache: dict[int, str] = {}
    atoms = _atoms(text)
    for a_start, _, kind, m in atoms:
        if a_start < pos:
            continue
        if kind in ("url", "list", "phone", "time", "model"):
            pos = max(m.end(), pos + 1)
            continue
        sent, s_a, s_b = _sentence_for(spans, starts, m.start(), text, sent_cache)
        if kind == "date":
            fig_end = m.end()
            out.append(Figure(
                text=text[m.start():fig_end], start=m.start(), end=fig_end, kind="date",
                value=None, low=None, high=None, qualifier="exact", change=None, unit=None,
                sentence=sent, sentence_start=s_a, sentence_end=s_b,
                norm=_norm_date(m.group(0)),
            ))
            pos = max(fig_end, pos + 1)
            continue
        fig, nxt, pending_change = _number_figure(text, m, lang, sent, s_a, s_b, pending_change)
        if fig is not None:
            out.append(fig)
        pos = max(nxt, pos + 1)
    return out


def _number_figure(
    text: str, m: re.Match[str], lang: str, sent: str, s_a: int, s_b: int,
    pending_change: str | None,
) -> tuple[Figure | None, int, str | None]:
    """Build one figure from a num/word atom; returns (figure, next position, change
    carried to the next atom for "rose from X to Y")."""
    start = m.start()
    left = text[max(s_a, start - 44):start]
    foreign = lang[:2].lower() != "en"
    lm = _left_match(left, foreign)
    currency = bool(lm and lm.group("cur"))
    c = _read_core(text, m, lang, currency)
    if c is None:
        return None, m.end(), None
    if c.start != start:
        start = c.start
        left = text[max(s_a, start - 44):start]
        lm = _left_match(left, foreign)
        currency = bool(lm and lm.group("cur"))
    if c.kind == "ordinal_word":
        return None, c.end, None
    if c.kind == "ordinal":
        return _mk(text, start, c.end, "ordinal", c.value, c.value, c.value, "exact", None,
                   None, sent, s_a, s_b), c.end, None
    # skips: ages, labels, "Kim, 26,"
    if _AGE_LEFT.search(left[-24:]) or _AGE_RIGHT.match(text, c.end):
        am = _AGE_RIGHT.match(text, c.end)
        if am is not None:
            return None, am.end(), None
        rm = _RANGE_CONN.match(text, c.end)
        if rm is not None:
            dm = _CORE.match(text, rm.end())
            if dm is not None:
                return None, dm.end(), None
        return None, c.end, None
    if not c.is_word and _LABEL_LEFT.search(left[-16:]):
        return None, c.end, None
    if (not c.is_word and c.value is not None and 10 <= c.value < 120 and not c.pct
            and text[c.end:c.end + 1] in (",", ")")
            and (_NAME_AGE_LEFT.search(left[-24:]) or (
                _NOUN_AGE_LEFT.search(left[-24:]) and _AGE_VERB_RIGHT.match(text, c.end)))):
        return None, c.end, None  # "Kim, 26," / "the agency's chief, 58, said": an age
    if c.bare_one:
        im = _IN_N.match(text, c.end)
        if im is None:
            return None, c.end, None
    if (c.is_word and text[start].isupper() and start > s_a
            and _CAP_NAME_LEFT.search(left[-24:]) and not _CAP_NEXT.match(text, c.end)):
        return None, c.end, None  # "the Group of Seven", "the Big Three": a name
    q_start = start
    qualifier = "exact"
    change: str | None = None
    delta = False
    rng = False
    rng_start = start
    chg_from = False
    if lm is not None:
        qn = _qual_group(lm)
        if qn is not None:
            qualifier = qn[2:]
            q_start = start - (len(left) - lm.start(qn))
        if lm.group("cur") is not None and qualifier == "exact":
            q_start = start - (len(left) - lm.start("cur"))
        chg_prep = ""
        if lm.group("up") or lm.group("down"):
            change = "up" if lm.group("up") else "down"
            chg_prep = (lm.group("prep") or "").lower()
            if chg_prep == "from" or (lm.group("rng") or "").lower() == "from":
                chg_from = True
                change = None
            else:
                delta = chg_prep in ("", "by", "of")
                word = (lm.group("up") or lm.group("down") or "").lower()
                if word in ("higher", "lower") or chg_prep == "at":
                    change, delta = None, False
        rng = lm.group("rng") is not None
        if rng:
            rng_start = start - (len(left) - lm.start("rng"))
        if chg_prep == "by":
            chg_from = True  # "rose by 1,000 to 4,000": two figures, not a range
    if pending_change is not None and change is None:
        change = pending_change
    fig_start = q_start
    _apply_mult(c)
    end = c.end
    kind = "number"
    value: float | None = c.value
    low: float | None = c.value
    high: float | None = c.value
    unit: str | None = None
    next_change: str | None = None
    cur_code: str | None = None
    if currency and lm is not None:
        cur_code = _CUR_CODES.get(re.sub(r"\s+", "", lm.group("cur")).lower(), "usd")
    # "one in five", "3 in 10"
    if c.kind == "number" and c.value is not None and not c.pct and not c.has_mult:
        im = _IN_N.match(text, c.end)
        if im is not None:
            dm = _CORE.match(text, im.end())
            if dm is not None:
                d = _read_core(text, dm, lang, False)
                if (d is not None and d.kind == "number" and d.value and not d.pct
                        and c.value < d.value <= 1000 and not d.has_mult):
                    share = round(100.0 * c.value / d.value, 1)
                    unit = _forward_unit(text, d.end, s_b)
                    return _mk(text, fig_start, d.end, "share", share, share, share,
                               qualifier, change, unit, sent, s_a, s_b, delta), d.end, None
        if c.bare_one:
            return None, c.end, None
    if c.approx and qualifier == "exact":
        qualifier = "approx"
    if c.kind == "vague":
        value, low, high = None, c.low, c.high
        if qualifier == "exact":
            qualifier = "approx"
    elif c.kind == "share":
        kind = "share"
        value = low = high = c.value
        if c.value == 50.0 and c.is_word and not _share_half_ok(text, start, c.end, lm):
            return None, c.end, None
        if _SHARE_OF_TIME.match(text, c.end):
            return None, c.end, None
        sp = _SHARE_POINT.match(text, c.end)
        if sp is not None and c.value is not None:
            # "a quarter point" / "half a percentage point": a rate change, in points
            pts = round(c.value / 100.0, 3)
            return _mk(text, fig_start, sp.end(), "percent", pts, pts, pts, qualifier, change,
                       "percentage points", sent, s_a, s_b, delta and change is not None), \
                sp.end(), None
    # ranges
    if c.kind == "number" and (not chg_from or rng):
        rm = _RANGE_CONN.match(text, end)
        if rm is None and foreign:
            rm = _RANGE_CONN_FOREIGN.match(text, end)
        if rm is not None and not (rm.group("c").lower() in _AND_LIKE and not rng):
            conn = rm.group("c").lower()
            dm = _CORE.match(text, rm.end())
            dm_word = dm is not None and dm.groupdict().get("word") is not None
            if dm is not None and (conn != "or" or c.is_word == dm_word):
                d = _read_core(text, dm, lang, currency or bool(rm.group("cur")))
                if d is not None and d.kind == "number" and d.value is not None and \
                        c.value is not None and not d.bare_one:
                    first_raw = c.value / c.mult
                    if not c.has_mult and d.has_mult and first_raw < d.value:
                        first = first_raw * d.mult
                    else:
                        first = c.value
                    second = d.value * d.mult
                    if first < second and not (c.pct and not d.pct) and (
                        conn not in ("-", "–", "—") or not _looks_like_score(text, d.end)
                    ):
                        low, high, value = first, second, None
                        end = d.end
                        fig_start = min(fig_start, rng_start)
                        c.pct = c.pct or d.pct
                        c.measure = c.measure or d.measure
                        if rm.group("cur"):
                            currency = True
                            cur_code = _CUR_CODES.get(
                                re.sub(r"\s+", "", rm.group("cur")).lower(), "usd")
    if chg_from and value is not None and lm is not None:
        rm = _RANGE_CONN.match(text, end)
        if rm is not None and rm.group("c").lower() == "to":
            next_change = "up" if lm.group("up") else "down"
    # post qualifiers and change words
    pq = _POST_QUAL.match(text, end)
    if pq is not None and value is not None and kind != "share":
        if pq.group("ormore") or pq.group("atleast"):
            qualifier = "at_least"
        elif pq.group("atmost") or pq.group("orless"):
            qualifier = "at_most"
        elif pq.group("orso") or pq.group("odd"):
            qualifier = "approx"
        else:
            qualifier = "more_than"
        end = pq.end()
    pc = _POST_CHG.match(text, end)
    if pc is not None and change is None and value is not None:
        nx = text[pc.end():pc.end() + 6].lower()
        if not nx.startswith(" than"):
            change = "up" if pc.group("up") else "down"
            delta = True
            end = pc.end()
    # percent / money / measure
    if c.pct:
        kind = "percent"
        pl = c.pct.lower()
        unit = "percentage points" if ("point" in pl or pl in ("pp", "p.p.")) else None
    elif currency or c.money_suffix:
        kind = "money"
    if kind == "number" and c.kind in ("number", "vague"):
        cr = _CUR_RIGHT.match(text, end)
        if cr is not None:
            word = re.sub(r"\s+", " ", cr.group("c").lower())
            after = text[cr.end():cr.end() + 4].lower()
            if word.startswith("pound") and (after.startswith(" of") or c.mult == 1.0) and \
                    not word.endswith("sterling"):
                kind = "measure"
                unit = "lb"
                end = cr.end()
            else:
                kind = "money"
                cur_code = _CUR_CODES.get(word, word)
                end = cr.end()
        elif c.kind == "vague":
            om = re.match(r"\s+of\s+(dollars|euros|pounds|roubles|rubles|hryvnias|won|yuan)\b",
                          text[end:end + 20], re.IGNORECASE)
            if om is not None:
                kind = "money"
                cur_code = _CUR_CODES.get(om.group(1).lower(), "usd")
    if kind == "money":
        unit = cur_code or "usd"
    if kind == "number" and c.measure:
        kind = "measure"
        unit = c.measure
    if kind == "number":
        me = _MEASURE.match(text, end)
        if me is not None:
            u = re.sub(r"\s+", " ", me.group("u").lower())
            canon = _MEASURE_UNITS.get(u, u)
            if u.startswith(("square", "sq")):
                canon = "km2"
            if u == "m" and c.mult != 1.0:
                canon = ""
            if canon in ("", "m") and me.group(0).startswith("-"):
                canon = ""
            if canon:
                kind = "measure"
                unit = canon
                end = me.end()
    # bare years
    if (kind == "number" and c.kind == "number" and not c.is_word and value is not None
            and 1800 <= value <= 2100 and qualifier == "exact" and change is None
            and re.fullmatch(r"\d{4}", text[start:c.end])
            and _is_year_context(text, start, c.end, s_a)):
        return _mk(text, start, c.end, "date", None, None, None, "exact", None, None,
                   sent, s_a, s_b, norm=text[start:c.end]), c.end, None
    if kind in ("number", "share", "percent") and unit is None:
        sm = _STRONG.match(text, end)
        upos = sm.end() if sm is not None else end
        unit = _forward_unit(text, upos, s_b if s_b > upos else len(text))
        if unit in ("them", "those", "whom", "which", "these", "us", "it"):
            unit = None
        if unit is None:
            back = _back_unit(text, fig_start, s_a) or _back_unit(text, start, s_a)
            if back is not None:
                unit = back
    # low/high convention for qualifiers
    if value is not None:
        if qualifier in ("more_than", "at_least"):
            low, high = value, None
        elif qualifier in ("at_most", "less_than"):
            low, high = None, value
    elif low is not None and high is not None:
        if qualifier in ("more_than", "at_least"):
            high = None if c.kind != "vague" else high
        elif qualifier in ("at_most", "less_than") and c.kind != "vague":
            low = None
    return _mk(text, fig_start, end, kind, value, low, high, qualifier, change, unit,
               sent, s_a, s_b, delta and change is not None), end, next_change


_QUAL_GROUPS = tuple(f"{p}{name}" for p in ("q_", "e_") for name in _QUAL_PHRASES)


def _left_match(left: str, foreign: bool) -> re.Match[str] | None:
    """Qualifier, currency, change verb and between/from just before a number."""
    if foreign:
        return _LEFT_FOREIGN.search(left)
    tail = left.rstrip()
    if not tail:
        return None
    tok = tail.rsplit(None, 1)[-1].lstrip("([\"'“‘").lower()
    if not tok or (tok not in _LEFT_LAST and tok[-1] not in _CUR_CHARS):
        return None
    return _LEFT.search(left)


def _qual_group(lm: re.Match[str]) -> str | None:
    """Name of the qualifier group that matched ("q_approx", "e_more_than"), if any."""
    for name in _QUAL_GROUPS:
        if name in lm.re.groupindex and lm.group(name) is not None:
            return name
    return None


def _share_half_ok(text: str, start: int, end: int, lm: re.Match[str] | None) -> bool:
    """"half" counts as a share in "half of the force" or "nearly half", not in
    "the first half of 2025" or "half an hour"."""
    if lm is not None and _qual_group(lm) is not None:
        return True
    before = text[max(0, start - 12):start].lower()
    if re.search(r"\b(?:first|second|latter|former|other|the|a|one)\s+\Z", before) and \
            not re.search(r"\b(?:a|one)\s+\Z", before):
        return False
    after = text[end:end + 16].lower()
    if re.match(r"\s+(?:of|the|its|their|his|her|all|were|are|was|is|them)\b", after):
        return not re.match(r"\s+of\s+(?:19|20)\d\d", after)
    return bool(re.search(r"\b(?:by|than|about|to|cut|lost|halved)\s+\Z", before))


def _looks_like_score(text: str, pos: int) -> bool:
    return bool(re.match(r"\s+(?:win|victory|defeat|loss|draw|lead|vote)\b", text[pos:pos + 12],
                         re.IGNORECASE))


def _mk(text: str, a: int, b: int, kind: str, value: float | None, low: float | None,
        high: float | None, qualifier: str, change: str | None, unit: str | None,
        sent: str, s_a: int, s_b: int, delta: bool = False,
        norm: str | None = None) -> Figure:
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Figure(text=text[a:b], start=a, end=b, kind=kind, value=value, low=low, high=high,
                  qualifier=qualifier, change=change, unit=unit, sentence=sent,
                  sentence_start=s_a, sentence_end=s_b, delta=delta, norm=norm)
