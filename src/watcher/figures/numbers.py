"""Reading numbers: digit strings by locale, runs of number words, and the "core" of a
figure (a number with its multiplier and percent sign)."""

from __future__ import annotations

import re

from watcher.figures.grammar import Grammar
from watcher.figures.lexicon import Lexicon, wordset
from watcher.figures.patterns import (
    COMMA_THOUSANDS,
    DOT_THOUSANDS,
    MEASURE_UNITS,
    PCT,
    PLURAL_NEXT,
    SUFFIX_MULT,
)

# Languages written with a decimal comma: "3.000" is 3000 and "1,5" is 1.5.
DECIMAL_COMMA = wordset(
    "de es fr it pt nl ru uk pl cs sk sl hr sr bs bg ro hu tr da sv nb nn no fi el id vi et "
    "lv lt ca gl eu is be ka az kk uz mk sq"
)
_GROUP_SPACES = str.maketrans("", "", "\u00a0\u202f\u2009 '’")
_TOKEN = re.compile(r"[^\W\d_]+")
_ORD_SUFFIXES = ("st", "nd", "rd", "th")
_M_LONG = ("-long", "-high", "-deep", "-wide", " long", " high", " deep", " wide", " tall",
           " away", "-tall")


def parse_digits(s: str, lang: str) -> float | None:
    """Read a digit string with the separators of ``lang``'s number locale."""
    if s.isdigit():             # no separator: every locale reads it alike
        try:
            return float(s)
        except ValueError:      # "²" is a digit float() does not read
            return None
    if not s.isascii() or " " in s or "'" in s:   # (translate is slow; most need none)
        s = s.translate(_GROUP_SPACES)
    try:
        if _decimal_comma(lang):
            if "," in s:
                groups = s.split(",")
                if len(groups) > 2 and groups[0] and "." not in s and _thousands(groups):
                    return float("".join(groups))   # "1,200,000": no decimal has two commas
                head, _, tail = s.rpartition(",")
                return float(head.replace(".", "").replace(",", "") + "." + tail)
            groups = s.split(".")
            if len(groups) > 1 and _thousands(groups):
                return float("".join(groups))
            return float(s)
        if "," in s:
            head, _, tail = s.partition(".")
            groups = head.split(",")
            if len(groups) > 1 and _thousands(groups):
                return float("".join(groups) + ("." + tail if tail else ""))
            if s.count(",") == 1 and "." not in s:
                return float(s.replace(",", "."))
            return None
        groups = s.split(".")
        if len(groups) > 2 and _thousands(groups):
            return float("".join(groups))
        return float(s)
    except ValueError:
        return None


def _thousands(groups: list[str]) -> bool:
    """Every group after the first has three digits ("12", "345", "678")."""
    if len(groups) == 2:
        return len(groups[1]) == 3
    return all(len(g) == 3 for g in groups[1:])


_COMMA_LANGS: dict[str, bool] = {}


def _decimal_comma(lang: str) -> bool:
    """``lang`` writes decimals with a comma (remembered per code: asked per number)."""
    comma = _COMMA_LANGS.get(lang)
    if comma is None:
        comma = lang[:2].lower() in DECIMAL_COMMA
        if len(_COMMA_LANGS) < 1000:
            _COMMA_LANGS[lang] = comma
    return comma


# ----------------------------------------------------------------------- number words

class Words:
    """Result of reading a run of number words."""

    __slots__ = ("bare_one", "consumed", "denominator", "high", "kind", "low", "skip",
                 "value")

    def __init__(self) -> None:
        self.kind = "none"         # number | vague | share | none
        self.value: float | None = None
        self.low: float | None = None
        self.high: float | None = None
        self.consumed = 0          # characters of the match used
        self.bare_one = False      # a lone "one" ("a single"): a count only before a noun
        self.denominator = 0
        self.skip = 0              # characters before the first number word ("a five")


class _Tok:
    __slots__ = ("end", "start", "value", "w")

    def __init__(self, w: str, start: int, end: int, value: float | None = None) -> None:
        self.w = w
        self.start = start
        self.end = end
        self.value = value         # a one-word compound ("zweihundertfünfzig")


def _compound_value(w: str, lx: Lexicon, parts: re.Pattern[str]) -> float | None:
    """The value of a one-word number made of parts ("dreihundertfünfundzwanzig")."""
    pieces = parts.findall(w)
    if len(pieces) < 2 or "".join(pieces) != w:
        return None
    total = cur = 0.0
    for p in pieces:
        scale = lx.scales.get(p)
        if scale is None:
            cur += lx.units.get(p, lx.compound.get(p, 0.0))
        elif scale == 100:
            cur = (cur or 1.0) * 100
        else:
            total += (cur or 1.0) * scale
            cur = 0.0
    return (total + cur) or None


_PARTS: dict[str, re.Pattern[str]] = {}


def _tokens(s: str, lx: Lexicon) -> list[_Tok]:
    toks = [_Tok(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(s)]
    if lx.compound:
        parts = _PARTS.get(lx.key)
        if parts is None:
            alts = sorted(set(lx.units) | set(lx.scales) | set(lx.compound), key=len,
                          reverse=True)
            parts = _PARTS[lx.key] = re.compile("|".join(map(re.escape, alts)))
        known = lx.number_words
        for t in toks:
            if t.w not in known:
                t.value = _compound_value(t.w, lx, parts)
    return toks


def parse_words(s: str, lx: Lexicon) -> Words:
    """Read number words from the start of ``s`` ("twenty-five thousand", "a third",
    "several hundred", "tens of thousands"); stops where the phrase stops making sense."""
    res = Words()
    toks = _tokens(s, lx)
    n = len(toks)
    if not n:
        return res
    i = 0
    lead_a = False
    w0 = toks[0].w
    if w0 in lx.half_articles and n > 1 and toks[1].w not in lx.half_words:
        res.skip = toks[1].start          # "die drei": the figure starts at "drei"
        i = 1
    elif w0 in lx.half_articles and n > 1:
        i = 1                             # "la mitad": the article is part of the share
    elif w0 in lx.articles:
        if n == 1:
            if w0 in lx.units:            # "un sur quatre": the article is the number
                res.kind, res.value, res.bare_one = "number", 1.0, True
                res.consumed = toks[0].end
            return res
        lead_a = True
        i = 1
    few: tuple[float, float] | None = None
    if i < n and toks[i].w in lx.few:
        few = lx.few[toks[i].w]
        i += 1
        if i < n and toks[i].w in lx.of_words:
            i += 1                        # "a couple of hundred"
    if i >= n:
        return res
    if toks[i].w in lx.vague:
        return _vague(res, toks, i, few, lx)
    if few is not None:
        return _few(res, toks, i, few, lx)
    if lead_a and toks[i].w in lx.single:
        res.kind, res.value, res.bare_one = "number", 1.0, True
        res.consumed = toks[i].end        # "a single soldier"
        return res
    return _number(res, toks, i, lead_a, lx)


def _vague(res: Words, toks: list[_Tok], i: int, few: tuple[float, float] | None,
           lx: Lexicon) -> Words:
    """Plural amounts: "dozens", "hundreds", "tens of thousands", "several hundreds"."""
    v = lx.vague[toks[i].w]
    n = len(toks)
    end = toks[i].end
    if few is not None:
        if v.unit is None:
            return res
        res.low, res.high = few[0] * v.unit, few[1] * v.unit
    elif (i + 2 < n and v.of is not None and toks[i + 1].w in lx.of_words
          and toks[i + 2].w in lx.vague and lx.vague[toks[i + 2].w].unit):
        inner = lx.vague[toks[i + 2].w].unit or 1.0
        res.low, res.high = v.of[0] * inner, (v.of[1] + 1) * inner - 1
        end = toks[i + 2].end
    elif v.alone is not None:
        res.low, res.high = v.alone
    else:
        return res                        # "tens" alone is no amount
    res.kind = "vague"
    res.consumed = end
    return res


def _few(res: Words, toks: list[_Tok], i: int, few: tuple[float, float],
         lx: Lexicon) -> Words:
    """"several hundred", "a few thousand", "several dozen", "mehrere hundert"."""
    w = toks[i].w
    if w not in lx.scales and w not in lx.about:
        return res
    scale = lx.scales.get(w) or lx.about[w]
    end = toks[i].end
    if i + 1 < len(toks) and lx.scales.get(toks[i + 1].w, 0.0) > scale:
        scale *= lx.scales[toks[i + 1].w]
        end = toks[i + 1].end
    res.kind = "vague"
    res.low, res.high = few[0] * scale, few[1] * scale
    res.consumed = end
    return res


class _Acc:
    """Running total of a number-word phrase."""

    __slots__ = ("current", "end", "last", "last_scale", "seen", "total")

    def __init__(self) -> None:
        self.total = 0.0
        self.current = 0.0
        self.seen = False
        self.end = 0
        self.last = ""             # kind of the last word: unit tens hundred scale dozen
        self.last_scale = 0.0

    def take(self, tok: _Tok, kind: str) -> None:
        self.last = kind
        self.seen = True
        self.end = tok.end


def _number(res: Words, toks: list[_Tok], i: int, lead_a: bool, lx: Lexicon) -> Words:
    """Cardinal phrases and fractions: "two hundred and fifty", "a third", "dos tercios"."""
    acc = _Acc()
    n = len(toks)
    while i < n:
        step = _step(acc, toks, i, lx)
        if step > 0:
            i += step
            continue
        if step == 0 and toks[i].w in lx.fractions and _fraction(res, acc, toks, i, lead_a, lx):
            return res
        break
    if not acc.seen:
        return res
    if lead_a and acc.total == 0 and acc.last in ("unit", "tens"):
        res.skip = toks[1].start          # "a five-year plan": the figure starts at "five"
    res.kind = "number"
    res.value = acc.total + acc.current
    res.consumed = acc.end
    res.bare_one = res.value == 1 and not lead_a
    return res


def _step(acc: _Acc, toks: list[_Tok], i: int, lx: Lexicon) -> int:
    """Take the word at ``i`` into ``acc``; returns how many tokens it used, 0 when the
    word is no cardinal word, -1 when the phrase ends before it."""
    t = toks[i]
    w = t.w
    nxt = toks[i + 1].w if i + 1 < len(toks) else ""
    if lx.multi_units and nxt:
        for size in (3, 2):
            key = tuple(x.w for x in toks[i:i + size])
            if len(key) == size and key in lx.multi_units:
                return size if _unit(acc, toks[i + size - 1], lx.multi_units[key], lx) else -1
    if t.value is not None:
        return 1 if _compound(acc, t) else -1
    if w in lx.units and (w not in lx.articles or acc.seen):
        return 1 if _unit(acc, t, lx.units[w], lx) else -1
    if w in lx.and_words or w in lx.tens_and or w in lx.articles or w in lx.of_words:
        return _joiner(acc, toks, i, lx)
    if w in lx.hundreds:
        if acc.last in ("hundred", "unit", "tens"):
            return -1
        acc.current += lx.hundreds[w]
        acc.take(t, "hundred")
        return 1
    if w in lx.scales:
        return 1 if _scale(acc, t, lx.scales[w]) else -1
    if w in lx.about:
        acc.current = (acc.current or 1.0) * lx.about[w]
        acc.take(t, "dozen")
        # "une dizaine de milliers", "un centenar de miles": about 10,000, about 100,000
        n = len(toks)
        if (i + 2 < n and toks[i + 1].w in lx.of_words and toks[i + 2].w in lx.vague
                and lx.vague[toks[i + 2].w].unit and acc.total == 0):
            acc.current *= lx.vague[toks[i + 2].w].unit or 1.0
            acc.take(toks[i + 2], "dozen")
            return 3
        return 1
    return 0


def _unit(acc: _Acc, t: _Tok, v: float, lx: Lexicon) -> bool:
    teen_ok = lx.tens_take_teens and 10 <= v < 20
    if acc.last in ("unit", "dozen") or (acc.last == "tens" and (v >= 10 or v == 0)
                                          and not teen_ok):
        return False
    acc.current += v
    acc.take(t, "tens" if v >= 20 and v % 10 == 0 else "unit")
    return True


def _compound(acc: _Acc, t: _Tok) -> bool:
    v = t.value or 0.0
    if acc.last in ("unit", "tens", "hundred") or (acc.seen and v >= 1000):
        return False
    if v >= 1000:
        acc.total += v
        acc.take(t, "scale")
        acc.last_scale = 1000.0
    else:
        acc.current += v
        acc.take(t, "hundred" if v >= 100 else "unit")
    return True


def _scale(acc: _Acc, t: _Tok, s: float) -> bool:
    if s == 100:
        if acc.last == "hundred":
            return False
        acc.current = (acc.current or 1.0) * 100
        acc.take(t, "hundred")
        return True
    if acc.last == "scale" and acc.total and s >= 1000:
        if acc.current or s <= acc.last_scale:
            return False
        acc.total *= s                    # "mil millones", "thousand million"
    else:
        acc.total += (acc.current or 1.0) * s
        acc.current = 0.0
    acc.last_scale = s
    acc.take(t, "scale")
    return True


def _joiner(acc: _Acc, toks: list[_Tok], i: int, lx: Lexicon) -> int:
    """"and" inside "hundred and five", "y" in "treinta y cinco", "and a half"."""
    w = toks[i].w
    nxt = toks[i + 1].w if i + 1 < len(toks) else ""
    if w in lx.and_words and acc.last in ("scale", "hundred") and nxt in lx.units:
        return 1
    if w in lx.tens_and and acc.last == "tens" and nxt in lx.units and (
            lx.units[nxt] < 10 or lx.tens_take_teens):
        return 1
    if (w in lx.and_words or w in lx.tens_and) and acc.last == "scale" and not acc.current:
        # "a million and a half", "un millón y medio", "un million et demi": half of the
        # scale just read
        j = i + 2 if nxt in lx.articles else i + 1
        if j < len(toks) and lx.fractions.get(toks[j].w) == 2:
            acc.total += 0.5 * acc.last_scale
            acc.end = toks[j].end
            acc.last = "unit"
            return j - i + 1
    if (w in lx.and_words and nxt in lx.articles and i + 2 < len(toks)
            and lx.fractions.get(toks[i + 2].w) == 2):
        acc.current += 0.5                # "two and a half million"
        acc.end = toks[i + 2].end
        acc.last = "unit"
        return 3
    return -1


def _fraction(res: Words, acc: _Acc, toks: list[_Tok], i: int, lead_a: bool,
              lx: Lexicon) -> bool:
    """"a third", "two-thirds", "half a million", "a quarter of a million", "medio millón";
    False when the fraction word does not belong to the phrase."""
    w = toks[i].w
    den = lx.fractions[w]
    n = len(toks)
    # "half a million", "a quarter of a million", "half a dozen", "medio millón"
    j = i + 1
    if j < n and toks[j].w in lx.of_words:
        j += 1
    if j < n and toks[j].w in lx.articles:
        j += 1
    scale_next = j < n and (toks[j].w in lx.scales or toks[j].w in lx.about)
    if acc.seen and acc.last == "unit" and acc.current >= 1 and acc.total == 0:
        num = acc.current
    elif not acc.seen and (lead_a or w in lx.half_words or (den == 2 and scale_next)):
        num = 1.0
    else:
        return False
    if den == 2 and num > 1:
        return False
    if scale_next and (j > i + 1 or den == 2):
        res.kind = "number"
        res.value = num / den * lx.scales.get(toks[j].w, 12.0)
        res.consumed = toks[j].end
        return True
    res.kind = "share"
    res.value = round(100.0 * num / den, 1)
    res.denominator = den
    res.consumed = toks[i].end
    return True


# ----------------------------------------------------------------------------- cores

class Core:
    """Plain record for a parsed number core."""

    __slots__ = ("approx", "bare_one", "denominator", "end", "has_mult", "high", "is_word",
                 "kind", "low", "measure", "money_suffix", "mult", "pct", "start", "value")

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.value: float | None = None
        self.low: float | None = None
        self.high: float | None = None
        self.kind = "number"       # number | vague | share | ordinal
        self.is_word = False
        self.mult = 1.0
        self.has_mult = False
        self.pct: str | None = None
        self.measure: str | None = None
        self.money_suffix = False
        self.bare_one = False
        self.denominator = 0
        self.approx = False


def read_core(text: str, m: re.Match[str], lang: str, currency: bool,
              g: Grammar) -> Core | None:
    """Turn a num/word match into a core with multiplier and percent applied."""
    c = Core(m.start())
    if m.lastgroup != "word":
        if not _digit_core(c, text, m, lang, currency):
            return None
        if c.kind != "number" or c.measure:
            return c
    else:
        if not _word_core(c, m, g.lx):
            return None
        if c.kind != "number":
            return c
    if not c.has_mult:
        mm = g.mult.match(text, c.end)
        if mm is not None and not (c.is_word and mm.group("m").lower() == "dozen"):
            key = " ".join(mm.group("m").lower().split())
            mv = g.lx.multipliers.get(key, g.lx.multipliers.get(key + "."))
            if mv is None:
                mv = g.lx.multipliers.get(key.rstrip("."), g.lx.multipliers.get(
                    key.rstrip(".") + "."))
            if mv is not None:
                c.mult = mv
                c.has_mult = True
                c.end = mm.end()
    if c.has_mult and text.startswith("-", c.end):
        _hyphen_rest(c, text)
    pm = PCT.match(text, c.end)
    if pm is not None:
        c.pct = pm.group("p")
        c.end = pm.end()
    elif (not c.is_word and not c.has_mult and c.end - c.start >= 5 and text[c.end - 4] == "."
          and not _decimal_comma(lang) and DOT_THOUSANDS.fullmatch(text, c.start, c.end)
          and PLURAL_NEXT.match(text, c.end)):
        # "1.200 soldiers" in an English text written with European separators
        c.value = float(text[c.start:c.end].replace(".", ""))
    elif g.lx.comma_thousands and not c.is_word and _comma_thousands(c, text, m, g.lx):
        c.value = float(text[c.start:m.end("num")].replace(",", ""))
    return c


# "four-thousand-100", "15-thousand-500": a broadcaster's spelling, the rest below the
# scale in digits after a hyphen
_HYPHEN_REST = re.compile(r"-(\d{1,3})(?!\d|[.,]\d|[^\W\d_])")


def _hyphen_rest(c: Core, text: str) -> None:
    """Add the digits hyphened to a round thousand ("four-thousand-100" is 4,100)."""
    if c.value is None or c.kind != "number":
        return
    total = c.value * c.mult
    if total < 1000 or total % 1000:
        return
    hm = _HYPHEN_REST.match(text, c.end)
    if hm is None:
        return
    c.value = total + float(hm.group(1))
    c.mult = 1.0
    c.end = hm.end()


def _comma_thousands(c: Core, text: str, m: re.Match[str], lx: Lexicon) -> bool:
    """"12,000 soldados", "1,500 millones" in a Spanish text written with Latin American
    separators: a comma before three digits groups thousands when a multiplier word or a
    plural noun follows (no count or amount is written with three decimals), or when the
    digits end in two zeros; a plural that is a stop word ("1,250 tras ...", "todos")
    says nothing."""
    end = m.end("num")
    if end - c.start < 5 or text[end - 4] != "," or m.group("suf"):
        return False
    if not COMMA_THOUSANDS.fullmatch(text, c.start, end):
        return False
    if (c.has_mult and c.end > end) or text.endswith("00", c.start, end):
        return True     # "otros 2,700 han resultado heridos": 2.7 is never written so
    pm = PLURAL_NEXT.match(text, c.end)
    return pm is not None and pm.group(0).split()[-1].lower() not in lx.unit_stop


def _digit_core(c: Core, text: str, m: re.Match[str], lang: str, currency: bool) -> bool:
    """Digits and what is glued to them ("21st", "3bn", "240mm", "1990s"); False when the
    atom is no figure at all. A non-number kind or a measure ends the core here."""
    val = parse_digits(str(m.group("num")), lang)
    if val is None:
        return False
    c.value = val
    c.end = m.end("num")
    suf = m.group("suf")
    if not suf:
        return True
    sl = suf.lower()
    c.end = m.end()
    if sl in _ORD_SUFFIXES:
        c.kind = "ordinal"
    elif sl in SUFFIX_MULT:
        if sl == "m" and not currency and text[m.end():m.end() + 12].lower().startswith(_M_LONG):
            c.measure = "m"
        elif sl == "b" and not currency:
            return False
        else:
            c.mult = SUFFIX_MULT[sl]
            c.has_mult = True
    elif sl == "s" and val in (10, 100, 1000, 10000):
        c.kind = "vague"
        c.low, c.high = 2 * val, 10 * val - 1
        c.value = None
    elif sl in MEASURE_UNITS:
        c.measure = MEASURE_UNITS[sl]
    elif sl == "x":
        c.measure = "times"
    else:
        return False
    return True


# A run of number words reads the same wherever it stands: the reading of each run seen
# (mostly the same few: "one", "une", "eine", "two") is kept, per lexicon.
_READ_WORDS: dict[tuple[str, str], tuple[Words, bool]] = {}
_READ_WORDS_MAX = 4096


def _read_words(s: str, lx: Lexicon) -> tuple[Words, bool]:
    """parse_words(s), and whether the run counts in an approximate noun ("a dozen",
    "une dizaine"), which makes the number approximate."""
    key = (lx.key, s)
    got = _READ_WORDS.get(key)
    if got is None:
        low = s.lower()
        got = (parse_words(s, lx), any(d in low for d in lx.about))
        if len(_READ_WORDS) >= _READ_WORDS_MAX:
            _READ_WORDS.clear()
        _READ_WORDS[key] = got
    return got


def _word_core(c: Core, m: re.Match[str], lx: Lexicon) -> bool:
    c.is_word = True
    w, approx = _read_words(str(m.group("word") or ""), lx)
    if w.kind == "none" or w.consumed == 0:
        return False
    c.end = m.start() + w.consumed
    if w.kind == "vague":
        c.kind = "vague"
        c.low, c.high = w.low, w.high
        return True
    if w.kind == "share":
        c.kind = "share"
        c.value = w.value
        c.denominator = w.denominator
        return True
    c.value = w.value
    c.start += w.skip
    c.bare_one = w.bare_one
    c.approx = approx
    if w.value is not None and w.value >= 1000:
        c.has_mult = True
    return True


def apply_mult(c: Core) -> None:
    if c.value is not None and c.mult != 1.0:
        c.value = c.value * c.mult
