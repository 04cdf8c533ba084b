"""Dates, time anchors and periods: when a figure was true, and whether it is a rate.

This is grammar, not vocabulary: the month names and the shapes of dates, so it stays in
code. Anchors place "in January" in a year from the article's publication date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from watcher.claims.lexicon import alt, lexicon, word_start

__all__ = ["ANCHOR_RE_L", "DATE_HINT_L", "DATE_RE", "FOREIGN_MONTHS", "FULL_MON", "PERIOD_RE_L",
           "WEEKDAY_RE", "WEEKDAY_RE_L", "anchor_iso", "iso", "period_unit", "relative_iso",
           "relative_re", "relative_words", "weekday_iso", "year_is_dated"]

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NUM = {m: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_NUM.update({m[:3]: i + 1 for i, m in enumerate(_MONTHS)})
_MONTH_NUM["sept"] = 9
# German, Spanish and French month names (grammar of dates, like the English ones)
_FOREIGN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}
FOREIGN_MONTHS = frozenset(_FOREIGN_MONTHS)
_FMON = r"(?:" + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True)) + r")"
# a month or a year: "\b(?:jan|feb|...)[a-z]*\b|\b(?:19|20)\d\d\b", each branch opening
# with its letter (see lexicon.word_start); the other languages' months that open otherwise
# ("juin", "März", "enero", "décembre") as whole words
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_HINT_L = re.compile("|".join(
    [f"{word_start([m])}[a-z]*\\b" for m in _EN_MONTHS]
    + [f"{word_start([m])}\\b" for m in sorted(FOREIGN_MONTHS) if not m.startswith(_EN_MONTHS)]
    + [f"{word_start([y])}\\d\\d\\b" for y in ("19", "20")]))
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
FULL_MON = r"(?:" + "|".join(_MONTHS) + r")"

PERIOD_RE = re.compile(
    r"\b(?P<p>(?:a|per|each|every|one) (?P<u1>day|week|month)"
    r"(?! later| after| before| earlier| ago| or two)|daily|weekly|monthly|"
    r"(?:in|over|during) (?:just |only )?(?:a|one|the past|the last|a single|one single|"
    r"the previous|a) ?(?:single )?(?P<u2>day|week|month|24 hours|battle|assault|attack|"
    r"operation|raid|night|engagement)|(?:in|over) (?:the )?(?:past|last) (?:24|twenty-four) "
    r"hours|(?:last|this) week alone|on average each (?P<u3>day|week|month)|"
    r"a daily average|on a single day|in one (?P<u4>day|week|month)|"
    r"(?:in|over|during|within) (?:the )?(?:past |last |next |following )?"
    r"(?:\d+|two|three|four|five|six|seven|ten|few|several) (?P<u5>days|weeks|hours)|"
    # "in their first week of fighting" is the toll since the start, not a rate
    r"in (?:the|their|its) first (?P<u6>day|week)"
    r"(?! of (?:the |their |its )?(?:war|deployment|fighting|combat))|"
    r"deadliest (?P<u7>day|week)|overnight|on (?:\w+\.? )?\d{1,2}(?:st|nd|rd|th)? alone|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) alone|"
    # what happened on one day is one episode: "100 arrived yesterday", "killed on Tuesday"
    r"(?:(?<=killed )|(?<=wounded )|(?<=injured )|(?<=arrived )|(?<=captured ))"
    r"(?:yesterday|today|"
    r"on (?P<u14>monday|tuesday|wednesday|thursday|friday|saturday|sunday))|"
    # one month's toll is a part of the whole: "in December alone", "allein im Dezember"
    rf"(?:in|during) (?P<u12>{FULL_MON})(?: (?:19|20)\d\d)? alone|(?:last|this) month alone|"
    rf"allein im (?:{FULL_MON}|{_FMON})|solo en (?:el mes de )?(?:{_FMON})|"
    rf"rien qu['’]en (?:{_FMON})|(?:pour|sur) le seul mois de (?:{_FMON})|"
    # one engagement's figure is a part, not the toll: "killed in a drone attack"
    r"(?:in|during|over) (?:a|an|one|the|this|that|a single|one single|their|its) "
    r"(?:[\w-]+ ){0,2}(?P<u8>strike|attack|ambush|raid|assault|battle|operation|engagement|"
    r"clash|skirmish|offensive push|mission|incident|landslide|collapse|blast|explosion|"
    r"crash|fire|flood)|"
    r"(?:during|in) (?P<u9>battle|combat) with|over the (?P<u10>weekend)|"
    r"au cours du week-end|le week-end dernier|am wochenende|durante el fin de semana|"
    r"(?:this|last) (?P<u13>weekend)|(?:el|este|el pasado|el último) fin de semana|"
    r"ce week-end|pendant le week-end|(?:an diesem|am vergangenen|am letzten|übers) wochenende|"
    r"(?:lors d'une|dans une|bei einem|bei einer|in einem|en un|en una|durante un|durante una) "
    r"(?:[\w-]+ ){0,2}(?:attaque|frappe|angriff|schlag|ataque|bombardeo|offensive|opération)|"
    r"in (?:just |only )?(?:a few|two|three|four|five|several) (?P<u11>days)|"
    # "a year after", "more than a year ago": a span of time, not a rate
    r"(?P<y>annually|(?<!than )(?<!over )(?<!for )(?<!within )(?<!almost )(?<!nearly )"
    r"a year(?! later| after| before| earlier| ago| or two| and| since)|"
    r"per year|each year|every year|yearly|per annum|jährlich|"
    r"pro jahr|par an|chaque année|al año|por año|cada año|anual(?:es)?|annuel(?:le)?s?)|"
    r"täglich|pro tag|am tag|par jour|chaque jour|"
    r"por día|al día|cada día|diarios|"
    # a month's or a week's amount in the other languages: "2.000 dólares al mes"
    r"al mes|por mes|cada mes|mensual(?:es)?|par mois|chaque mois|mensuel(?:le)?s?|"
    r"pro monat|im monat|monatlich(?:e[nmrs]?)?|a la semana|por semana|semanal(?:es)?|"
    r"par semaine|hebdomadaires?|pro woche|wöchentlich(?:e[nmrs]?)?)\b", re.I)

ANCHOR_RE = re.compile(
    r"\b(?P<a>(?P<prep>by|since|as of|as at|until|through|in|during|back in|at the end of|"
    r"by the end of|at the start of|at the beginning of|by mid-?|in mid-?|in early|in late|"
    r"by early|by late|earlier in|earlier this|last)\s+"
    r"(?P<when>(?:(?:early|late|mid-?|the end of|the middle of|the start of)\s*)?"
    rf"(?:{FULL_MON}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d\d)?|(?:19|20)\d\d|"
    r"(?:this|last|the same) (?:year|month|week|autumn|fall|winter|spring|summer)|"
    r"(?:autumn|fall|winter|spring|summer)(?: (?:of )?(?:19|20)\d\d)?|month|year|week))|"
    r"so far|to date|at the time|this year|this month|last year|last month)\b", re.I)

# lower-case twins: the analysis works on lower-cased text, without IGNORECASE (faster)
ANCHOR_RE_L = re.compile(ANCHOR_RE.pattern)
PERIOD_RE_L = re.compile(PERIOD_RE.pattern)
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?|"
    # "22 March 2025", "22. März 2025", "22 de marzo de 2025", "22 mars 2025"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+)?(?P<m2>{_MON}|{_FMON})"
    rf"(?:,?\s+(?:de\s+|del\s+)?(?P<y2>(?:19|20)\d\d))?|"
    rf"(?P<m3>{FULL_MON}|{_FMON})(?:,?\s+(?:de\s+|del\s+)?(?P<y3>(?:19|20)\d\d))?|"
    r"(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)|"
    r"(?P<dd>\d{1,2})[./](?P<mm>\d{1,2})[./](?P<yy>(?:19|20)\d\d)|"
    r"(?P<y4>(?:19|20)\d\d))\b", re.I)


# English month names that are also common words: written in lower case they are the
# word ("the decision may not last", "to march on"), never the month
_VERBS_TOO = frozenset(("may", "march", "mar"))


def iso(m: re.Match[str], published: str | None) -> str | None:
    pub_year = int(published[:4]) if published and published[:4].isdigit() else None
    pub_month = (int(published[5:7]) if published and len(published) >= 7
                 and published[5:7].isdigit() else None)
    g = m.groupdict()
    if g["iso"]:
        return g["iso"]
    if g["dd"]:
        d, mo = int(g["dd"]), int(g["mm"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return f"{g['yy']}-{mo:02d}-{d:02d}"
    if g["y4"]:
        return g["y4"]
    mon = g["m1"] or g["m2"] or g["m3"]
    if not mon or mon in _VERBS_TOO:
        return None
    mon_n = _FOREIGN_MONTHS.get(mon.lower()) or _MONTH_NUM.get(
        mon.lower().rstrip(".")[:4].rstrip(".")) or _MONTH_NUM.get(mon.lower().rstrip(".")[:3])
    if mon_n is None:
        return None
    mo = mon_n
    day_s = g["d1"] or g["d2"]
    year_s = g["y1"] or g["y2"] or g["y3"]
    if year_s:
        year: int | None = int(year_s)
    elif pub_year is not None:
        year = pub_year - 1 if pub_month is not None and mo > pub_month else pub_year
    else:
        year = None
    if year is None:
        return None
    if day_s:
        d = int(day_s)
        if not 1 <= d <= 31:
            return None
        return f"{year}-{mo:02d}-{d:02d}"
    return f"{year}-{mo:02d}"


def anchor_iso(when: str, published: str | None) -> str | None:
    m = DATE_RE.search(when)
    if m:
        return iso(m, published)
    w = when.lower()
    if published and len(published) >= 7 and published[:4].isdigit():
        y, mo = int(published[:4]), int(published[5:7])
        if "last month" in w:
            y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
            return f"{y}-{mo:02d}"
        if "this month" in w:
            return f"{y}-{mo:02d}"
        if "last year" in w:
            return str(y - 1)
        if "this year" in w:
            return str(y)
    return None


# --------------------------------------------------------------------------- matcher


_ONE_MONTH = re.compile(rf"\b(?:{FULL_MON}|{_FMON}|month)\b[^.]*\balone\b|\ballein im\b|"
                        r"\bsolo en\b|\brien qu|\bseul mois\b")


def period_unit(period: str | None, per_period: bool) -> str | None:
    """day, week, month or event for a rate figure; None for a total."""
    if not per_period or not period:
        return None
    p = period.lower()
    if re.search(r"annual|\byear|jahr|\bpar an\b|année|año", p):
        return "year"
    if re.search(r"weekend|week-end|wochenende|fin de semana", p):
        return "event"  # one weekend's toll is one episode, not a weekly rate
    if _ONE_MONTH.search(p):
        return "month"  # "in December alone" is no day's figure, whatever "alone" says
    if re.search(r"day|daily|24 hours|night|jour|tag|täglich|día|diario|alone", p) and \
            not re.search(r"days", p):
        return "day"
    if re.search(r"\bweek\b|weekly|semana|semaine|hebdo|woche|wöchentlich", p):
        return "week"
    return "month" if re.search(r"month|\bmes\b|mensu|mois|monat", p) else "event"


# The days of the week of every language, Monday first in each seven (lexicon "weekdays"):
# "on Friday", "am Freitag", "el viernes", "ce vendredi", "Tuesday's visit"
_WEEKDAYS = lexicon().word_list("weekdays")
if not _WEEKDAYS or len(_WEEKDAYS) % 7:
    raise ValueError("lexicon weekdays: seven days per language, Monday first")
WEEKDAY_RE = re.compile(rf"\b(?:{alt(lexicon().word_list('weekday_before'))})\s+"
                        rf"(?P<d1>{alt(_WEEKDAYS)})\b|"
                        rf"\b(?P<d2>{alt(_WEEKDAYS)})['’]s\b", re.I)
WEEKDAY_RE_L = re.compile(WEEKDAY_RE.pattern)  # for lower-cased text (see folds_like_lower)


def weekday_iso(m: re.Match[str], published: str | None) -> str | None:
    """The last such weekday on or before the publication date.

    A publication date of a month only ("2025-06") places the weekday in that month: the
    past week falls in it unless the article is from its first days."""
    if published and len(published) == 7 and published[:4].isdigit() \
            and published[5:7].isdigit():
        return published
    if not published or len(published) < 10:
        return None
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return None
    want = _WEEKDAYS.index((m.group("d1") or m.group("d2")).lower()) % 7
    return (pub - timedelta(days=(pub.weekday() - want) % 7)).isoformat()


# ------------------------------------------------------------------ relative dates

# "earlier this month", "last year", "l'automne dernier": the lexicon's lists of each way of
# counting back from the publication date; a season gives its year, the month it ends in
# telling whether "last autumn" is this year's or last year's
_RELATIVE = ("this_month", "last_month", "this_year", "last_year", "last_autumn",
             "last_summer", "last_spring", "ago")
_SEASON_END = {"last_autumn": 11, "last_summer": 8, "last_spring": 5}


def relative_words() -> list[str]:
    """The patterns of every relative date of the lexicon."""
    lex = lexicon()
    return [p for k in _RELATIVE for p in lex.word_list("date_" + k)]


@cache
def relative_re() -> re.Pattern[str]:
    """Every relative date of the lexicon, one named group per way of counting back."""
    lex = lexicon()
    body = "|".join(f"(?P<{k}>{alt(lex.word_list('date_' + k))})" for k in _RELATIVE)
    return re.compile(rf"\b(?:{body})(?![\w-])", re.I)


def relative_iso(m: re.Match[str], published: str | None) -> str | None:
    """A relative_re match as an ISO date, counted from the publication date."""
    if not published or len(published) < 7 or not published[:4].isdigit() \
            or not published[5:7].isdigit():
        return None
    y, mo = int(published[:4]), int(published[5:7])
    kind = next((k for k in _RELATIVE if m.group(k) is not None), None)
    if kind == "this_month":
        return f"{y}-{mo:02d}"
    if kind == "last_month":
        return f"{y}-{mo - 1:02d}" if mo > 1 else f"{y - 1}-12"
    if kind == "this_year":
        return str(y)
    if kind == "last_year":
        return str(y - 1)
    if kind in _SEASON_END:
        return str(y if mo > _SEASON_END[kind] else y - 1)
    if kind == "ago":
        return _span_iso(m.group(0), published)
    return None


@cache
def _span_words() -> tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    nums = lex.word_list("small_numbers")
    if not nums or len(nums) % 10:
        raise ValueError("lexicon small_numbers: one to ten, ten per language")
    week = re.compile(rf"\b(?:{alt(lex.word_list('span_week'))})\b", re.I)
    month = re.compile(rf"\b(?:{alt(lex.word_list('span_month'))})\b", re.I)
    return nums, week, month


def _span_iso(span: str, published: str) -> str | None:
    """"three weeks ago" from a publication day: the day for days, else the month."""
    if len(published) < 10:
        return None
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return None
    nums, week, month = _span_words()
    n: int | None = None
    for tok in span.lower().split():
        if tok.isdigit():
            n = int(tok)
            break
        best = max((w for w in nums if tok.startswith(w)), key=len, default=None)
        if best is not None:
            n = nums.index(best) % 10 + 1
            break
    if n is None:
        return None
    if month.search(span):
        y, mo = pub.year, pub.month - n
        while mo < 1:
            y, mo = y - 1, mo + 12
        return f"{y}-{mo:02d}"
    if week.search(span):
        return (pub - timedelta(weeks=n)).isoformat()[:7]
    return (pub - timedelta(days=n)).isoformat()


@cache
def _year_before() -> re.Pattern[str]:
    return re.compile(rf"(?:{alt(lexicon().word_list('date_year_before'))})$", re.I)


def year_is_dated(text: str, start: int) -> bool:
    """Whether the bare year at ``start`` is a date ("in 2024", "im Herbst 2024"), not a
    figure or a name ("the 2024 treaty")."""
    return _year_before().search(text, max(0, start - 40), start) is not None
