"""Dates and years: the patterns that find them and their ISO-like normal form."""

from __future__ import annotations

import re

from watcher.figures.lexicon import trie_regex, wordset

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
# German, Spanish and French month names, read after a day ("15. März", "30 de mayo",
# "17 juin"): a day and a month are a date, not a count of 15 "März".
FOREIGN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}
# as written: German capitalised, Spanish and French in lower case (or capitalised)
_FOREIGN_MONTH_RE = trie_regex({v for m in FOREIGN_MONTHS for v in (m, m.capitalize())})
_MONTH_RE = (r"(?-i:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
             r"|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|"
             + _FOREIGN_MONTH_RE + r"))\b\.?")
_ORD = r"(?:st|nd|rd|th)?"
_ORD_DAY = r"(?:st|nd|rd|th|\.(?=\s+(?-i:[A-Z])))?"   # before a month: "15. März" (German)
YEAR = r"(?:1[89]|20)\d\d(?!\d)"
_MONTH_TAIL = (r"(?:an(?:uary)?|eb(?:ruary)?|ar(?:ch)?|pr(?:il)?|ay|une?|uly?|ug(?:ust)?"
               r"|ept?(?:ember)?|ct(?:ober)?|ov(?:ember)?|ec(?:ember)?)\b\.?")
_DAY_YEAR = (r"\s+\d{1,2}" + _ORD + r"(?![\d,.]?\d)(?:\s*[-–]\s*\d{1,2}(?!\d))?"
             r"(?:,?\s+" + YEAR + r")?|,?\s+" + YEAR)

# Dates that start with a digit, tried where a number starts.
DATE_DIGIT = (
    r"\d{4}-\d{1,2}-\d{1,2}(?!\d)"
    r"|\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?![\d.,]?\d)"
    r"|\d{1,2}" + _ORD_DAY + r"(?:\s*[-–]\s*\d{1,2}" + _ORD_DAY + r")?\s+(?:of\s+|de\s+)?"
    + _MONTH_RE
    + r"(?:,?\s+(?:de\s+)?" + YEAR + r")?"
    r"|(?:1[89]|20)?\d0['’]?s\b"
    r"|" + YEAR + r"\s?[-–/]\s?(?:" + YEAR + r"|\d\d(?!\d))"
)
# How each month name in SCAN_MONTH starts (a text with none of them has no such date).
MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")
# A month name and a day or year after it: "March 22, 2025", "Jan. 5", "June 2024".
SCAN_MONTH = re.compile(
    r"[JFMASOND](?<![\w][JFMASOND])" + _MONTH_TAIL + r"(?:" + _DAY_YEAR + r")"
)
MIDYEAR = re.compile(r"(?:mid|early|late|end|start)-" + YEAR + r"|['’]\d0s\b", re.IGNORECASE)
MIDYEAR_WORD = re.compile(r"(?:mid|early|late|end|start)\Z", re.IGNORECASE)

_YEAR_PREV = wordset(
    "in since by of until till from to during early late mid before after between and or the "
    "spring summer autumn fall winter year years fiscal end start beginning since-then circa "
    "around through throughout"
)
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s,(]*\Z")
_NEXT_WORD = re.compile(r"\s+([a-z][a-z-]*)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})")
_A_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d\d)(?!\d)")
_DECADE = re.compile(r"\d0['’]?s\b")
_DAY = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]+")
_YEARISH = re.compile(r"(?<!\d)(\d{2,4})(?!\d)")


def norm_date(s: str) -> str | None:
    """An ISO-like form of a date as written."""
    low = s.lower()
    year = _A_YEAR.search(s)
    mon = None
    for tok in _LETTERS.findall(low):
        mon = MONTHS.get(tok) or FOREIGN_MONTHS.get(tok)
        if mon is not None:
            break
    m_iso = _ISO.fullmatch(s)
    if m_iso:
        return f"{m_iso.group(1)}-{int(m_iso.group(2)):02d}-{int(m_iso.group(3)):02d}"
    m_num = _NUMERIC.fullmatch(s)
    if m_num:
        d, mo, y = int(m_num.group(1)), int(m_num.group(2)), m_num.group(3)
        if mo > 12 >= d:
            d, mo = mo, d
        yy = y if len(y) == 4 else "20" + y
        return f"{yy}-{mo:02d}-{d:02d}"
    if _DECADE.search(low):
        return re.sub(r"['’]", "", s)
    if mon is not None:
        day_m = _DAY.search(s.replace(year.group(1) if year else "\x00", ""))
        parts = [year.group(1) if year else "-", f"{mon:02d}"]
        if day_m:
            parts.append(f"{int(day_m.group(1)):02d}")
        return "-".join(parts)
    if year:
        yr = _YEARISH.findall(s)
        if len(yr) > 1:
            return f"{yr[0]}/{yr[1]}"
        return year.group(1)
    return None


def is_year_context(text: str, start: int, end: int, sent_start: int,
                    stop: frozenset[str]) -> bool:
    """A bare 1800..2100 number: a year unless a plural noun follows and no date word leads."""
    pw = _PREV_WORD.search(text[max(sent_start, start - 20):start])
    prev = pw.group(1).lower() if pw else ""
    if prev in _YEAR_PREV or prev in MONTHS:
        return True
    nw = _NEXT_WORD.match(text[end:end + 30])
    return not (nw is not None and nw.group(1).endswith("s") and nw.group(1) not in stop)
