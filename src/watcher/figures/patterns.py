"""Patterns that do not depend on the text's language: digits, currencies, change verbs,
percent signs, measures, ages and the words around a figure's edges."""

from __future__ import annotations

import re

from watcher.figures.lexicon import trie_regex

# A digit group: "3,000", "3.000", "3 000" (plain, no-break, narrow or thin space), "1.5".
# Groups after a plain space do not follow groups after a mark: in "500,000 122mm rounds"
# the second number is another figure, not three more digits of the first.
DIGITS = (r"(?<![\w.,])(?:\d{1,3}(?:(?:[,.\u00a0\u202f\u2009'’]\d{3}){1,6}|(?: \d{3}){1,6})"
          r"(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)")

CUR = (r"(?P<cur>US\s?\$|A\$|C\$|HK\$|\$|€|£|¥|₽|₩|₴|₹|(?:USD|EUR|GBP|RUB|UAH|KRW|CHF|JPY|CNY"
       r"|Rs\.?)\s?)")
CUR_CHARS = frozenset("$€£¥₽₩₴₹~≈")
CUR_CODE_WORDS = ("usd", "eur", "gbp", "rub", "uah", "krw", "chf", "jpy", "cny", "rs", "rs.")
# How a CUR match can begin (lowercase; keep in step with CUR): the cheap scan for places
# where the words before a number may start (grammar.Grammar.left_start) is built from it.
CUR_STARTS = ("us", "a$", "c$", "hk$", "$", "€", "£", "¥", "₽", "₩", "₴", "₹", *CUR_CODE_WORDS)

_UP_WORDS = ("rose|risen|rising|rises|rise|increased|increases|increasing|increase|grew|grown"
             "|growing|grows|climbed|climbing|climbs|jumped|jumps|soared|surged|gained|swelled"
             "|doubled|tripled|raised|raising|boosted|added|adding|higher")
_DOWN_WORDS = ("fell|fallen|falling|falls|fall|dropped|dropping|drops|drop|declined|declining"
               "|declines|decline|decreased|decreasing|decreases|decrease|slipped|slid|plunged"
               "|tumbled|sank|sunk|shrank|shrunk|shrinking|eased|cut|cutting|reduced"
               "|reducing|lowered|slashed|lower")
CHG_WORDS = (*_UP_WORDS.split("|"), *_DOWN_WORDS.split("|"))
CHG_UP = (trie_regex(_UP_WORDS.split("|"))
          + r"|(?<!made )(?<!make )(?<!makes )(?<!making )(?<!set )(?<!sets )up(?!\s+to\b)")
CHG_DOWN = (trie_regex(_DOWN_WORDS.split("|"))
            + r"|(?<!shot )(?<!shoot )(?<!shoots )(?<!brought )(?<!bring )(?<!gunned )"
              r"(?<!took )down")

PCT = re.compile(   # factored by first letter, so most numbers fail at once
    r"\s?(?P<p>%|p(?:er\s?cent(?:age[\s-]+points?)?|ercent(?:age[\s-]+points?)?|ct|c\b"
    r"|\.p\.|p\b|rozent|our\s+cent|or\s+ciento|er\s+cento)|процент(?:ов|а)?)",
    re.IGNORECASE,
)

# Currency words after an amount; "US-Dollar" (German), "US dollars" as well.
CUR_RIGHT = re.compile(
    r"\s*+-?(?P<c>dollars?|euros?|pounds?\s+sterling|pounds?|roubles?|rubles?|hryvnias?|hryvnia"
    r"|won|yuan|yen|rupees?|USD|EUR|GBP|RUB|UAH|KRW|US\s+cents|cents?|€|\$|£"
    r"|US-?\s?dollars?)(?!\w)",
    re.IGNORECASE,
)
CUR_CODES = {
    "$": "usd", "us$": "usd", "us $": "usd", "a$": "aud", "c$": "cad", "hk$": "hkd", "€": "eur",
    "£": "gbp", "¥": "jpy", "₽": "rub", "₩": "krw", "₴": "uah", "₹": "inr", "usd": "usd",
    "eur": "eur", "gbp": "gbp", "rub": "rub", "uah": "uah", "krw": "krw", "chf": "chf",
    "jpy": "jpy", "cny": "cny", "rs": "inr", "rs.": "inr", "dollar": "usd", "dollars": "usd",
    "euro": "eur", "euros": "eur", "pound": "gbp", "pounds": "gbp", "pound sterling": "gbp",
    "pounds sterling": "gbp", "rouble": "rub", "roubles": "rub", "ruble": "rub",
    "rubles": "rub", "hryvnia": "uah", "hryvnias": "uah", "won": "krw", "yuan": "cny",
    "yen": "jpy", "rupee": "inr", "rupees": "inr", "cent": "cents", "cents": "cents",
    "us cents": "cents", "us-dollar": "usd", "us-dollars": "usd", "us dollar": "usd",
    "us dollars": "usd", "usdollar": "usd", "usdollars": "usd", "us- dollar": "usd",
    "us- dollars": "usd", "dólares": "usd", "dolares": "usd", "rublos": "rub",
}
# "of dollars" after a plural amount or a multiplier: "millions of dollars", and as Spanish
# and French write it, "20.000 millones de dólares", "20 milliards de dollars", "d'euros".
MONEY_OF = re.compile(r"(?:\s+of\s+|\s+de\s+|\s+d['’]\s*)(dollars|d[óo]lares|euros|pounds|roubles"
                      r"|rubles|rublos|hryvnias|won|yuan)\b", re.IGNORECASE)

# Glued multipliers: "12K", "3bn", "2.4million".
SUFFIX_MULT = {
    "k": 1e3, "m": 1e6, "b": 1e9, "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12,
    "trn": 1e12, "million": 1e6, "billion": 1e9, "trillion": 1e12, "thousand": 1e3,
}


def _measure_units() -> dict[str, str]:
    out: dict[str, str] = {}
    for canon, forms in {
        "mm": "mm millimetre millimetres millimeter millimeters",
        "cm": "cm centimetre centimetres centimeter centimeters",
        "km": "km kilometre kilometres kilometer kilometers kms",
        "m": "m metre metres meter meters",
        "miles": "mile miles mi",
        "feet": "feet foot ft",
        "inches": "inch inches",
        "yards": "yard yards yd yds",
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
        for form in forms.split():
            out[form] = canon
    return out


MEASURE_UNITS = _measure_units()
MEASURE = re.compile(
    r"\s*+(?:-\s*+)?(?P<u>square\s+(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?)|sq\.?\s?km"
    r"|km/h|°[cf]?|km²|"
    + trie_regex(k for k in MEASURE_UNITS if k[0] != "°")
    + r")(?![\w²])",
    re.IGNORECASE,
)

AGE_RIGHT = re.compile(r"\s*+(?:-\s*+)?years?\s*+(?:-\s*+)?olds?\b", re.IGNORECASE)
AGE_LEFT = re.compile(r"\b(?:aged|age|ages|ageing|aging)\s+(?:of\s+)?(?:between\s+)?\Z",
                      re.IGNORECASE)
NAME_AGE_LEFT = re.compile(r"(?-i:\b[A-Z][a-z]+),\s\Z")
NOUN_AGE_LEFT = re.compile(r"\b[a-z]{3,},\s\Z")
AGE_VERB_RIGHT = re.compile(r",\s+(?:said|says|who|was|is|has|had|told|added|died|lives"
                            r"|an?)\b")

POST_QUAL = re.compile(
    r"(?:\s+or\s+(?P<ormore>more|over|above|greater)\b|,?\s+(?P<atleast>at\s+least)\b(?!\s*[$€£\d])"
    r"|,?\s+(?P<atmost>at\s+(?:the\s+)?most)\b(?!\s*[$€£\d])"
    r"|\s+or\s+(?P<orless>fewer|less|under"
    r"|below)\b|\s+or\s+(?P<orso>so)\b|(?P<plus>\+(?!\d)|-plus\b|\s+plus\b(?!\s*[$€£\d]))"
    r"|(?P<odd>-odd\b|\s+odd\b))",
    re.IGNORECASE,
)
POST_CHG = re.compile(r"\s+(?:(?P<up>more|higher|extra)|(?P<down>fewer|less|lower))\b",
                      re.IGNORECASE)
RANGE_CONN = re.compile(r"\s*(?P<c>-|–|—|to|and|or|through|till|until)\s*(?:" + CUR + r")?",
                        re.IGNORECASE)
SHARE_POINT = re.compile(r"(?:\s+an?)?\s+(?:percentage[\s-]+)?points?\b", re.IGNORECASE)
DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
COMMA_THOUSANDS = re.compile(r"[1-9]\d{0,2},\d{3}")
PLURAL_NEXT = re.compile(
    r"\s+(?!(?:points|times|years|days|hours|months|weeks|seconds|minutes|percent)\b)"
    r"(?:[A-Z][a-z]+\s+)*[a-z]{3,}(?<!s[sui])s\b")
CAP_NEXT = re.compile(r"\s+[A-Z]")
STRONG = re.compile(r"\s*-\s*strong\b", re.IGNORECASE)
SCORE_WORD = re.compile(r"\s+(?:win|victory|defeat|loss|draw|lead|vote)\b", re.IGNORECASE)
FOUR_DIGITS = re.compile(r"\d{4}")
SPACES = re.compile(r"\s+")
