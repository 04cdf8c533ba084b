"""The quantity grammar: finds every figure in a text, with its qualifier, range and unit.

Rule-based on purpose: the packages we tried drop "more than", "up to" and vague amounts,
which are exactly what a change in a reported figure turns on.

How it works: a few fast scans (atoms.py; each starts with a plain character class, so
the regex engine can skip ahead) find *atoms*: a number in digits or words, a date, or
something that only looks like a number (a time, a phone number, a model name such as
XR-7, a list marker, a URL). Each number atom is then widened (extract.py) with anchored
patterns that look left (qualifier, currency, change verb, "between"/"from") and right
(multiplier, percent, range, unit, measure). Work is done per atom, never per character:
about 2 MB/s of number-dense news text per core (see benchmarks/figures_bench.py).

The words of each language (number words, scale and vague words, fractions, qualifier
phrases, range words, labels) are data: ``watcher/data/numbers/<lang>.toml``, read once
at import (lexicon.py) and compiled once per language (grammar.py).

Modules: model (Figure), lexicon (data files), grammar (compiled patterns per language),
patterns (language-independent patterns), numbers (digits and number words), dates,
sentences, atoms (scans), units (what is counted), extract (figures from atoms).

Documented choices:

* Emitted kinds: number, percent, share, money, measure, date, ordinal.
* Never emitted: times ("10:30", "3 p.m.", race and lap times "2:05:33", "1:36.6"), phone
  numbers, list markers ("1." / "2)" at a line start), model and designator names (M1991,
  XR-7, F-16, S-400, COVID-19), labels and sequence numbers ("Article 5", "No. 3",
  "row 12", "gate 23", "page 7", "in round 3", "lap 12"), product, index and league names
  ("iPhone 11", "S&P 500", "FTSE 100", "Boeing 737", "Big 12", "Formula 1"), ages ("aged
  19", "19-year-old", "Jones, 26,"), word ordinals ("third", "second") and a "one" that
  counts nothing ("one of them", "one day", "no one", "one official said").
* "one" (and "a single") before a counted noun is the number 1: "one soldier was
  captured", "a single shell hit the school".
* Digit ordinals ("21st", "155th") are kind "ordinal"; dates and years are kind "date" with
  value/low/high None and ``norm`` holding an ISO-like form ("2025-03-22", "2025-03",
  "2024", "--03-22", "1990s").
* Calibres and physical quantities ("240mm", "50 km", "3 tonnes") and durations
  ("three days", "a 30-day truce") are kind "measure", ``unit`` the normalised measure.
* Vague amounts are approx with low/high and no value: dozens 24..99, scores 40..99,
  hundreds 200..999, thousands 2,000..9,999, tens of thousands 20,000..99,999, hundreds of
  thousands 200,000..999,999, millions 2e6..9,999,999; "several" = 3..9 times the scale
  ("several hundred" 300..900, also "several hundreds"), "a few" = 2..5 times, "many" =
  2..9 times. "a dozen" is approx 12. The same spans hold in German, Spanish and French
  ("Hunderte", "cientos", "des centaines"; "Dutzende", "decenas", "des dizaines" are
  24..99; "mehrere hundert", "varios cientos", "plusieurs centaines" 300..900).
* Shares are in percent: "a third" = 33.3, "one in five" = 20, "half" = 50, "zwei
  Drittel" = 66.7, "la mitad" = 50, "un tiers" = 33.3.
* ``change`` is the direction a verb or word gives the figure ("rose by 1,000", "up 19
  cents", "fell 3%", "rose to 3,000", "1,000 more troops"); ``delta`` tells an amount of
  change (True: "rose by 1,000") from a new level (False: "rose to 3,000").
* Locale: for languages written with a decimal comma (de, es, fr, it, pt, nl, ru, uk, pl
  and others, see numbers.DECIMAL_COMMA) "3.000" is 3000 and "1,5" is 1.5; in English
  "3,000" is 3000, "1.5" is 1.5, and "1.200 soldiers" (dot, three digits, plural noun) is
  1200. A thin, no-break or plain space groups thousands ("3 000"). Qualifiers and range
  words of the other languages' data files ("mehr als", "environ", "más de", "zwischen
  ... und") are read when ``lang`` is not English; number words of ``lang``'s own file
  ("zweihundert", "un millar", "deux tiers") are read with the English ones.
* Skipped on purpose: a capitalised number word inside a name ("Group of Seven"), "zero".
* ``unit``: the noun phrase after the figure, lowercase, determiners dropped, adjectives
  kept ("south african troops", "killed or wounded"); when nothing follows, the noun
  before ("a force of 12,000" -> "force", "the toll rose to 3,000" -> "toll"). Money: a
  currency code ("usd", "eur", "cents"); measures: the measure ("mm", "km", "days").
"""

from __future__ import annotations

from watcher.figures.extract import _extract, extract_figures
from watcher.figures.model import KINDS, QUALIFIERS, SCORABLE_KINDS, Figure
from watcher.figures.sentences import split_sentences

__all__ = [
    "KINDS",
    "QUALIFIERS",
    "SCORABLE_KINDS",
    "Figure",
    "_extract",
    "extract_figures",
    "split_sentences",
]
