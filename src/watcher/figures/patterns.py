"""Patterns that do not depend on the text's language: digits, currencies, percent signs,
measures, ages and the words around a figure's edges. (The words of change before a
number are each language's data: ``[change]`` in ``watcher/data/numbers/<lang>.toml``.)"""

from __future__ import annotations

import re

from watcher.figures.lexicon import trie_regex

# A digit group: "3,000", "3.000", "3 000" (plain, no-break, narrow or thin space), "1.5".
# Groups after a plain space do not follow groups after a mark: in "500,000 122mm rounds"
# the second number is another figure, not three more digits of the first; nor does a
# group a plural "s" or "MAX" follows ("30 737 MAX aircraft", "14 787s": a model name).
DIGITS = (r"(?<![\w.,])(?:\d{1,3}(?:(?:[,.\u00a0\u202f\u2009'’]\d{3}){1,6}"
          r"|(?: \d{3}(?!s\b| M[Aa][Xx]\b)){1,6})"
          r"(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)")

CUR = (r"(?P<cur>US\s?\$|A\$|C\$|HK\$|\$|€|£|¥|₽|₩|₴|₹|(?:USD|EUR|GBP|RUB|UAH|KRW|CHF|JPY|CNY"
       r"|Rs\.?)\s?)")
CUR_CHARS = frozenset("$€£¥₽₩₴₹~≈")
CUR_CODE_WORDS = ("usd", "eur", "gbp", "rub", "uah", "krw", "chf", "jpy", "cny", "rs", "rs.")
# How a CUR match can begin (lowercase; keep in step with CUR): the cheap scan for places
# where the words before a number may start (grammar.Grammar.left_start) is built from it.
CUR_STARTS = ("us", "a$", "c$", "hk$", "$", "€", "£", "¥", "₽", "₩", "₴", "₹", *CUR_CODE_WORDS)

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
        "gb": "gb tb mb kb tera terabyte terabytes gigabyte gigabytes megabyte megabytes",
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
SHARE_POINT = re.compile(r"(?:\s+an?)?[\s-]+(?:percentage[\s-]+)?points?\b", re.IGNORECASE)
DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
COMMA_THOUSANDS = re.compile(r"[1-9]\d{0,2},\d{3}")
PLURAL_NEXT = re.compile(
    r"\s+(?!(?:points|times|years|days|hours|months|weeks|seconds|minutes|percent)\b)"
    r"(?:[A-Z][a-z]+\s+)*[a-z]{3,}(?<!s[sui])s\b")
CAP_NEXT = re.compile(r"\s+[A-Z]")
STRONG = re.compile(r"\s*-\s*strong\b", re.IGNORECASE)
SCORE_WORD = re.compile(r"\s+(?:win|victory|defeat|loss|draw|lead|vote)\b", re.IGNORECASE)
# Scores, records and tallies: two whole numbers joined by a tight dash ("won 5-2",
# "a 216-214 vote", "(10-2, 7-2 Big 12)", "went 10-4 over the weekend"). SCORE_PAIR reads
# the dash and second number after the first; a pair is a score when it falls (5-2) or
# ties (2-2), when a result word follows it, when it stands in brackets, when another
# score just precedes it ("6-6 overall and 3-5"), or when a result verb stands a few
# words before and no counted noun follows ("beating TCU 69-45 in Norman", not "lost
# 20-30 soldiers").
SCORE_PAIR = re.compile(r"[-–](?P<b>\d{1,3})(?!\d|[.,]\d|\s*(?:%|per\s?cent|percent)"
                        r"|[-–/]\d)")
SCORE_AFTER = re.compile(
    r"\s*(?:\)|,\s*\d{1,3}[-–]\d)|\s+(?:win|wins|victory|defeat|loss|losses|draw|lead"
    r"|vote|votes|record|start|overall|halftime|half-time|aggregate|advantage|deficit"
    r"|decision|ruling|margin|series|scoreline|thrashing|triumph|rout|upset|finish|shootout"
    r"|in\s+conference)"
    r"\b", re.IGNORECASE)
SCORE_VERB = re.compile(
    r"\b(?:beat|beats|beating|defeat|defeats|defeated|defeating|won|win|wins|winning|lost"
    r"|lose|loses|losing|led|leads|leading|trailed|trails|trailing|drew|draws|went|goes"
    r"|going|improved\s+to|fell\s+to|record\s+of|score\s+of|edged|edging|thrashed"
    r"|routed|dominating|dominated|seeing\s+off|saw\s+off|ended|finished|tied|level\s+at"
    r"|beaten|hammered|crushed|downed|stunned|trounced|swept|sweeping|held)"
    r"\b(?:\s+\S+){0,3}\s+\Z", re.IGNORECASE)
SCORE_NEXT_OK = re.compile(r"\s*(?:[,.;:!?)]|\Z|\s(?:in|on|at|after|before|to|and|with"
                           r"|over|against|for|during|as|but|when|while|thanks|behind"
                           r"|at|into|ahead|through)\b)")
SCORE_BEFORE = re.compile(r"(?P<a>\d{1,3})[-–](?P<b>\d{1,3})\b[^.;()\d]{0,16}\Z")
# A result line: "Kansas 34, Illinois 23", "No. 13 Oklahoma 69, TCU 45", "Panthers 20
# Giants 17 (OT)", "Washington Commanders 18 - 15 Chicago Bears".
_TEAM = r"(?:(?:No\.|#)\s?\d{1,2}\s+)?[A-Z][\w.&'’ -]{1,40}?"
SCORE_LINE = re.compile(
    r"(?:" + _TEAM + r"\s\d{1,3},?\s+" + _TEAM + r"\s\d{1,3}"
    r"|" + _TEAM + r"\s\d{1,3}\s[-–]\s\d{1,3}\s+" + _TEAM + r")(?:\s*\((?:OT|AET|ET|pens?)\))?")
# Yards after a football word: "153 rushing yards", "284 passing yards".
YARDS_ADJ = re.compile(r"\s+(?:rushing|passing|receiving|return|total|offensive)\s+yards?\b",
                       re.IGNORECASE)
# "the top five" as a rank ("dropped out of the top five in May"), not five things.
TOP_LEFT = re.compile(r"\b[Tt]op\s+\Z")
TOP_NEXT = re.compile(r"\s*(?:[,.;:)!?]|\Z|\s+(?:in|of|for|at|on|with|among|since|this|last"
                      r"|and|or|spot|spots|place|places|position|positions|seed|finish)\b)")
# Boeing's airliners are named by number: "737 MAX", "seven 787 Dreamliners", "14 787s",
# "a 777 freighter", "the 767 cargo jets", "Boeing 737".
AIRLINER = frozenset(("707", "717", "727", "737", "747", "757", "767", "777", "787"))
AIRLINER_NEXT = re.compile(
    r"(?:-?\d{1,2}\b|s\b|[A-Z]\b|-(?:MAX|Max)\b|\s+(?:MAX|Max|NG|Next|Dreamliners?"
    r"|freighters?|jets?|jetliners?|aircraft|airliners?|airplanes?|planes?|cargo|widebodies|widebody"
    r"|passenger|family|program|programme|fleet|production|deliveries|orders?|variants?"
    r"|models?)\b)")
# A sequel or edition number in a title: "Inside Out 2 opened with", "“Moana 2” has",
# "Dune: Part Two" (two capitalised words or a quote before a lone digit; a verb, a quote,
# a stop or a capital after it; a noun after it leaves a count: "Kharkiv 2 days ago").
TITLE_LEFT = re.compile(r"(?-i:(?:[“\"‘]|\b[A-Z][a-z]+:?\s+)(?:[A-Z][a-z]+\s+)*[A-Z][a-z]+\s\Z)")
TITLE_NEXT = re.compile(
    r"(?:[”\"’]|[,.;:)]|\s+(?-i:[A-Z])|\s+(?:has|had|have|was|is|became|becomes|opened|opens"
    r"|earned|earns|grossed|made|took|topped|led|sold|will|would|also|now|still|remains"
    r"|debuted|arrives|arrived|hit|hits)\b|\Z)")
AIRLINER_LEFT = re.compile(r"(?:\b(?:Boeing|a|the|its|their|one|[Aa]nother)|\d),?\s+\Z")
FOUR_DIGITS = re.compile(r"\d{4}")
SPACES = re.compile(r"\s+")
