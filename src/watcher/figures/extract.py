"""From atoms to figures: each number atom is widened with anchored patterns that look
left (qualifier, currency, change verb, "between"/"from") and right (multiplier, percent,
range, unit, measure)."""

from __future__ import annotations

import re

from watcher.figures.atoms import SKIPPED, atoms
from watcher.figures.dates import is_year_context, norm_date
from watcher.figures.grammar import ELIDED, LEFT_SEPS, Grammar, grammar
from watcher.figures.model import Figure
from watcher.figures.numbers import Core, apply_mult, read_core
from watcher.figures.patterns import (
    AGE_LEFT,
    AGE_RIGHT,
    AGE_VERB_RIGHT,
    AIRLINER,
    AIRLINER_LEFT,
    AIRLINER_NEXT,
    CAP_NEXT,
    CUR_CHARS,
    CUR_CODES,
    CUR_RIGHT,
    FOUR_DIGITS,
    MEASURE,
    MEASURE_UNITS,
    MONEY_OF,
    NAME_AGE_LEFT,
    NOUN_AGE_LEFT,
    POST_CHG,
    POST_QUAL,
    RANGE_CONN,
    SCORE_AFTER,
    SCORE_BEFORE,
    SCORE_LINE,
    SCORE_NEXT_OK,
    SCORE_PAIR,
    SCORE_VERB,
    SCORE_WORD,
    SHARE_POINT,
    SPACES,
    STRONG,
    TITLE_LEFT,
    TITLE_NEXT,
    TOP_LEFT,
    TOP_NEXT,
    YARDS_ADJ,
)
from watcher.figures.sentences import Sentences
from watcher.figures.units import back_unit, forward_unit

Sent = tuple[str, int, int]
_DASHES = ("-", "–", "—")
_PRONOUNS = frozenset(("them", "those", "whom", "which", "these", "us", "it"))
_LAST_TOKEN = re.compile(r"([^\W\d_]+)[^\w]*\Z")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_SIGN_CUR = frozenset("$€£¥₽₩₴₹")
# vague words that are an amount only before "of" inside a sentence ("scores of people",
# "Scores were hurt"), not in "credit scores" or "the only scores"
_NEED_OF = frozenset(("scores",))
_OF_NEXT = re.compile(r"\s+of\b", re.IGNORECASE)
_ONE_END = re.compile(r"[ \t]*(?:[.;!?]|,\s+(?:and|but|while)\b)")
_ONE_AMOUNT = re.compile(r"[ \t]+(?:well\s+|just\s+)?(?:over|under|above|below|more\s+than"
                         r"|less\s+than|about|nearly|almost)\s+[$€£\d]")
_ONE_TO = re.compile(r"[ \t]+to\s+[a-z]")
_ONE_AIRLINER = re.compile(r"[ \t]+(\d{3})\b(?=[ \t-]*([A-Za-z]+)?)")


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


def _extract(text: str, lang: str) -> list[Figure]:
    g = grammar(lang)
    sentences = Sentences(text)
    out: list[Figure] = []
    pos = 0
    pending_change: str | None = None
    for a_start, _, kind, m in atoms(text, g):
        if a_start < pos:
            continue
        if kind in SKIPPED:
            pos = max(m.end(), pos + 1)
            continue
        sent = sentences.around(m.start())
        if kind == "date":
            out.append(Figure(m.group(0), m.start(), m.end(), "date", None, None, None,
                              "exact", None, None, sent[0], sent[1], sent[2], False,
                              norm_date(m.group(0))))
            pos = max(m.end(), pos + 1)
            continue
        fig, nxt, pending_change = _Reader(text, lang, g, sent, m).read(pending_change)
        if fig is not None:
            out.append(fig)
        pos = max(nxt, pos + 1)
    return out


class _Reader:
    """Builds one figure from a num/word atom. ``read`` returns (figure, next position,
    change carried to the next atom for "rose from X to Y")."""

    __slots__ = (
        "change",
        "chg_from",
        "cur_code",
        "currency",
        "delta",
        "fig_start",
        "g",
        "lang",
        "left",
        "lm",
        "m",
        "neg",
        "one_unit",
        "qual_text",
        "qualifier",
        "rng",
        "rng_start",
        "sent",
        "start",
        "text",
    )

    def __init__(self, text: str, lang: str, g: Grammar, sent: Sent, m: re.Match[str]) -> None:
        self.text = text
        self.lang = lang
        self.g = g
        self.sent = sent
        self.m = m
        self.start = m.start()
        self.left = ""
        self.lm: re.Match[str] | None = None
        self.currency = False
        self.cur_code: str | None = None
        self.qualifier = "exact"
        self.qual_text = ""                  # the qualifier's words as written, lowercase
        self.change: str | None = None
        self.delta = False
        self.rng = False
        self.rng_start = self.start
        self.chg_from = False
        self.fig_start = self.start
        self.one_unit: str | None = None     # what a lone "one" counts, if it counts
        self.neg = False                     # a minus sign before it: "-1.06 points"

    # ------------------------------------------------------------------ entry

    def read(self, pending_change: str | None) -> tuple[Figure | None, int, str | None]:
        text, g, m = self.text, self.g, self.m
        # The words before are matched only once the number is known to be a figure,
        # unless they can change how it reads: a currency makes "5m" money and "5b" a
        # figure; nothing before a number word or other digits changes its core.
        suf = m.group("suf") if m.lastgroup != "word" else None
        early = suf is not None and suf.lower() in ("m", "b")
        self._look_left(early)
        c = read_core(text, m, self.lang, self.currency, g)
        if c is None:
            return None, m.end(), None
        if c.start != self.start:
            self.start = self.rng_start = c.start
            self._look_left(early)
        if c.kind == "ordinal":
            return self._mk(self.start, c.end, "ordinal", c.value, c.value, c.value,
                            "exact", None, None), c.end, None
        skip = self._skip(c)
        if skip is not None:
            return None, skip, None
        if not early:
            self._match_left()
        self._left_context(pending_change)
        apply_mult(c)
        if self.currency and self.lm is not None:
            self.cur_code = CUR_CODES.get(SPACES.sub("", self.lm.group("cur")).lower(), "usd")
        if self.qualifier == "exact" and self.change is None and not self.rng:
            self._sign()
        if c.kind == "number" and c.value is not None and not c.pct and not c.has_mult:
            share = self._one_in_n(c)
            if share is not None:
                return share, share.end, None
            if c.bare_one and self.one_unit is None:
                return None, c.end, None
        return self._finish(c)

    def _look_left(self, match: bool = True) -> None:
        s_a = self.sent[1]
        self.left = self.text[max(s_a, self.start - 44):self.start]
        if match:
            self._match_left()

    def _match_left(self) -> None:
        self.lm = _left_match(self.left, self.g)
        self.currency = bool(self.lm and self.lm.group("cur"))

    # --------------------------------------------------------- not a figure

    def _skip(self, c: Core) -> int | None:
        """Where to go on when the number is an age, a label, a name or a lone "one";
        None when it is a figure."""
        text, left, g = self.text, self.left, self.g
        tail = left[-24:]
        if ("ag" in tail.lower() and AGE_LEFT.search(tail)) or AGE_RIGHT.match(text, c.end):
            am = AGE_RIGHT.match(text, c.end)
            return am.end() if am is not None else self._past_range(c.end)
        if not c.is_word and _label_before(left, g):
            return self._past_range(c.end)  # "Article 5", "row 12", "iPhone 11", "pages 7-9"
        if not c.is_word and not c.pct and not self.currency:
            num = text[self.start:c.end]
            if num.isdigit() and len(num) <= 3:
                score = _score_end(text, self.start, c.end, left, self.sent)
                if score is not None:
                    return score  # "won 5-2", "a 216-214 vote", "Kansas 34, Illinois 23"
                if num in AIRLINER and (AIRLINER_NEXT.match(text, c.end)
                                        or AIRLINER_LEFT.search(left[-12:])):
                    return c.end  # "737 MAX", "seven 787 Dreamliners", "a 777 freighter"
                if TOP_LEFT.search(left[-8:]) and TOP_NEXT.match(text, c.end):
                    return c.end  # "dropped out of the top 10 in May": a rank
                if len(num) == 1 and num != "0" and TITLE_LEFT.search(left[-40:]) \
                        and TITLE_NEXT.match(text, c.end):
                    return c.end  # "Inside Out 2 opened with", "“Moana 2” has earned"
        if (not c.is_word and c.value is not None and 10 <= c.value < 120 and not c.pct
                and text[c.end:c.end + 1] in (",", ")")
                and (NAME_AGE_LEFT.search(left[-24:]) or (
                    NOUN_AGE_LEFT.search(left[-24:]) and AGE_VERB_RIGHT.match(text, c.end)))):
            return c.end  # "Jones, 26," / "the agency's chief, 58, said": an age
        if (c.kind == "vague" and text[self.start:c.end].lower() in _NEED_OF
                and self.start > self.sent[1] and not _OF_NEXT.match(text, c.end)):
            return c.end  # "the Panthers' only scores", "test scores": no amount
        if c.is_word and TOP_LEFT.search(left[-8:]) and TOP_NEXT.match(text, c.end):
            return c.end  # "out of the top five in May": a rank
        if c.bare_one and g.in_n.match(text, c.end) is None:
            self.one_unit = _one_counts(text, self.start, c.end, left, self.sent, g)
            if self.one_unit is None:
                return c.end
        if (c.is_word and text[self.start].isupper() and self.start > self.sent[1]
                and g.cap_name_left.search(left[-24:]) and not CAP_NEXT.match(text, c.end)):
            return c.end  # "the Group of Seven", "the Big Three": a name
        return None

    def _past_range(self, end: int) -> int:
        """The end of a second number joined to the first ("18-60", "pages 7 to 9")."""
        rm = RANGE_CONN.match(self.text, end)
        if rm is not None:
            dm = self.g.core.match(self.text, rm.end())
            if dm is not None:
                return dm.end()
        return end

    # ------------------------------------------------------------ left side

    def _left_context(self, pending_change: str | None) -> None:
        """Qualifier, currency, change verb and range start from the words before."""
        lm, left, start = self.lm, self.left, self.start
        q_start = start
        if lm is not None:
            qn = _qual_group(lm, self.g)
            if qn is not None and not self._particle(lm, qn):
                self.qualifier = qn[2:]
                self.qual_text = SPACES.sub(" ", lm.group(qn).lower())
                q_start = start - (len(left) - lm.start(qn))
            if lm.group("cur") is not None and self.qualifier == "exact":
                q_start = start - (len(left) - lm.start("cur"))
            chg_prep = ""
            lx = self.g.lx
            if lm.group("up") or lm.group("down"):
                self.change = "up" if lm.group("up") else "down"
                chg_prep = SPACES.sub(" ", lm.group("prep") or "").lower()   # "en  un"
                if ((chg_prep in lx.chg_start and chg_prep not in lx.chg_amount)
                        or (lm.group("rng") or "").lower() in lx.chg_start):
                    self.chg_from = True   # "rose from 3,000": the old level
                    self.change = None
                else:
                    self.delta = chg_prep == "" or chg_prep in lx.chg_amount
                    word = SPACES.sub(" ", lm.group("up") or lm.group("down") or "").lower()
                    if word in lx.chg_no_change or chg_prep in lx.chg_none:
                        self.change, self.delta = None, False
            self.rng = lm.group("rng") is not None
            if self.rng:
                self.rng_start = start - (len(left) - lm.start("rng"))
            if chg_prep in lx.chg_amount and chg_prep not in lx.chg_amount_range:
                # "rose by 1,000 to 4,000", "stieg um 1.000 auf 4.000": two figures
                self.chg_from = True
        if pending_change is not None and self.change is None:
            self.change = pending_change
        self.fig_start = q_start

    def _sign(self) -> None:
        """A minus sign that stands alone before the figure ("-1.06 points", "(-0.01
        points)", "-$460 billion") makes it negative; a dash after a word or number
        ("mid-2020", "18-60") is no sign."""
        text, q = self.text, self.fig_start
        cur = None
        if not self.currency and q > 0 and text[q - 1] in _SIGN_CUR:
            cur, q = text[q - 1], q - 1
        if q < 1 or text[q - 1] not in "-−" or not (
                q - 1 == self.sent[1] or text[q - 2] in " \t\n(["):
            return
        self.neg = True
        self.fig_start = q - 1
        if cur is not None:
            self.currency = True
            self.cur_code = CUR_CODES.get(cur, "usd")

    def _particle(self, lm: re.Match[str], qn: str) -> bool:
        """The qualifier is a verb's particle ("hand over two prisoners"), by the word
        before it (lexicon ``qual_not_after``); checked only for the few phrases listed."""
        before = self.g.lx.qual_not_after.get(SPACES.sub(" ", lm.group(qn).lower()))
        if not before:
            return False
        at = lm.start(qn)
        pm = _LAST_TOKEN.search(self.left, 0, at)
        return (pm is not None and pm.group(1).lower() in before
                and self.left[pm.end(1):at].isspace())

    def _one_in_n(self, c: Core) -> Figure | None:
        """"one in five", "3 in 10", "tres de cada cuatro": a share."""
        text = self.text
        im = self.g.in_n.match(text, c.end)
        if im is None or c.value is None:
            return None
        dm = self.g.core.match(text, im.end())
        if dm is None:
            return None
        d = read_core(text, dm, self.lang, False, self.g)
        if (d is None or d.kind != "number" or not d.value or d.pct
                or not c.value < d.value <= 1000 or d.has_mult):
            return None
        share = round(100.0 * c.value / d.value, 1)
        unit = forward_unit(text, d.end, self.sent[2], self.g)
        return self._mk(self.fig_start, d.end, "share", share, share, share, self.qualifier,
                        self.change, unit, self.delta)

    # ----------------------------------------------------------- right side

    def _finish(self, c: Core) -> tuple[Figure | None, int, str | None]:
        fig = _Fig(c)
        if c.approx and self.qualifier == "exact":
            self.qualifier = "approx"
        if c.kind == "vague":
            fig.value, fig.low, fig.high = None, c.low, c.high
            if self.qualifier == "exact":
                self.qualifier = "approx"
        elif c.kind == "share":
            early = self._share(c, fig)
            if early is not None:
                return early
        if c.kind == "number" and (not self.chg_from or self.rng):
            self._range(c, fig)
        next_change = self._post(fig)
        self._kind(c, fig)
        if fig.kind == "number" and not c.is_word and fig.value is not None \
                and 1800 <= fig.value <= 2100:
            year = self._bare_year(c, fig)
            if year is not None:
                return year, c.end, None
        if fig.kind in ("number", "share", "percent") and fig.unit is None:
            fig.unit = (self.one_unit or None) if c.bare_one else self._unit(fig.end)
        return self._emit(c, fig), fig.end, next_change

    def _unit(self, end: int) -> str | None:
        """What a count, share or percent counts: the words after it, else before it."""
        text, g, s_a, s_b = self.text, self.g, self.sent[1], self.sent[2]
        sm = STRONG.match(text, end)
        upos = sm.end() if sm is not None else end
        unit = forward_unit(text, upos, s_b if s_b > upos else len(text), g)
        if unit in _PRONOUNS:
            unit = None
        if unit is None:
            unit = back_unit(text, self.fig_start, s_a, g) or back_unit(text, self.start, s_a, g)
        return unit

    def _share(self, c: Core, fig: _Fig) -> tuple[Figure | None, int, str | None] | None:
        """A word share ("a third", "half", "la mitad"); returns early when it is none or a
        change in points ("a quarter point")."""
        text, g = self.text, self.g
        fig.kind = "share"
        if c.value == 50.0 and c.is_word:
            if not _share_half_ok(text, self.start, c.end, self.lm, g):
                return None, c.end, None
        elif g.share_of is not None and not g.share_of.match(text, c.end):
            return None, c.end, None  # "par un tiers" (a third party), not "un tiers des"
        if g.share_time.match(text, c.end):
            return None, c.end, None
        if _ordinal_fraction(text, self.start, c.end, g):
            return None, c.end, None  # "a fourth consecutive week", "a third term"
        sp = SHARE_POINT.match(text, c.end)
        if sp is not None and c.value is not None:
            pts = round(c.value / 100.0, 3)
            return self._mk(self.fig_start, sp.end(), "percent", pts, pts, pts,
                            self.qualifier, self.change, "percentage points",
                            self.delta and self.change is not None), sp.end(), None
        return None

    def _range(self, c: Core, fig: _Fig) -> None:
        """"10,000 to 12,000", "between 5 and 7 million", "$1.2-1.5 billion"."""
        text, g = self.text, self.g
        rm = RANGE_CONN.match(text, fig.end)
        if rm is None and g.range_conn is not None:
            rm = g.range_conn.match(text, fig.end)
        if rm is None:
            return
        conn = rm.group("c").lower()
        if conn in g.lx.range_need_start and not self.rng:
            return
        dm = g.core.match(text, rm.end())
        if dm is None:
            return
        if conn == "or" and c.is_word != (dm.lastgroup == "word"):
            return
        d = read_core(text, dm, self.lang, self.currency or bool(rm.group("cur")), g)
        if d is None or d.kind != "number" or d.value is None or c.value is None or d.bare_one:
            return
        first_raw = c.value / c.mult
        first = first_raw * d.mult if (not c.has_mult and d.has_mult
                                       and first_raw < d.value) else c.value
        second = d.value * d.mult
        if _shares_thousands(text, c, d, first, second):
            first *= 1000   # "11 to 12,000": the first number's thousands are left unsaid
        if first >= second or (c.pct and not d.pct) or (
                conn in _DASHES and SCORE_WORD.match(text, d.end, d.end + 12)):
            return
        if (rm.group("cur") or d.has_mult) and not self.currency and not c.has_mult \
                and FOUR_DIGITS.fullmatch(text, self.start, c.end) and 1800 <= first <= 2100:
            return  # "$888 billion in 2025 to $1.1 trillion": a year, then an amount
        fig.low, fig.high, fig.value = first, second, None
        fig.end = d.end
        self.fig_start = min(self.fig_start, self.rng_start)
        c.pct = c.pct or d.pct
        c.measure = c.measure or d.measure
        if rm.group("cur"):
            self.currency = True
            self.cur_code = CUR_CODES.get(SPACES.sub("", rm.group("cur")).lower(), "usd")

    def _post(self, fig: _Fig) -> str | None:
        """"3,000 or more", "20 or so", "3,000-plus", "1,000 more troops"; returns the
        change carried to the next figure in "rose from 1,000 to 3,000"."""
        text, lm = self.text, self.lm
        next_change = None
        if (self.chg_from and fig.value is not None and lm is not None
                and self.g.chg_level_next.match(text, fig.end) is not None):
            next_change = "up" if lm.group("up") else "down"
            prep = SPACES.sub(" ", lm.group("prep") or "").lower()
            if self.change is not None and prep in self.g.lx.chg_start:
                # "augmenté de 3 000 à 4 000": "de" is the old level here, not the amount
                self.change, self.delta = None, False
        pq = POST_QUAL.match(text, fig.end)
        if pq is not None and fig.value is not None and fig.kind != "share":
            if pq.group("ormore") or pq.group("atleast"):
                self.qualifier = "at_least"
            elif pq.group("atmost") or pq.group("orless"):
                self.qualifier = "at_most"
            elif pq.group("orso") or pq.group("odd"):
                self.qualifier = "approx"
            else:
                self.qualifier = "more_than"
            fig.end = pq.end()
        elif self.g.post_qual is not None and fig.value is not None and fig.kind != "share":
            own = self.g.post_qual.match(text, fig.end)
            if own is not None:
                self.qualifier = "at_least" if own.group("atleast") else "at_most"
                fig.end = own.end()
        pc = POST_CHG.match(text, fig.end)
        if (pc is not None and self.change is None and fig.value is not None
                and not text[pc.end():pc.end() + 6].lower().startswith(" than")):
            self.change = "up" if pc.group("up") else "down"
            self.delta = True
            fig.end = pc.end()
        return next_change

    def _kind(self, c: Core, fig: _Fig) -> None:
        """Percent, money or measure, from what follows the number."""
        text = self.text
        if c.pct:
            fig.kind = "percent"
            pl = c.pct.lower()
            fig.unit = "percentage points" if ("point" in pl or pl in ("pp", "p.p.")) else None
        elif self.currency or c.money_suffix:
            fig.kind = "money"
        if fig.kind == "number" and c.kind in ("number", "vague"):
            cr = CUR_RIGHT.match(text, fig.end)
            if cr is not None:
                word = SPACES.sub(" ", cr.group("c").lower())
                after = text[cr.end():cr.end() + 4].lower()
                if word.startswith("pound") and (after.startswith(" of") or c.mult == 1.0) \
                        and not word.endswith("sterling"):
                    fig.kind, fig.unit = "measure", "lb"
                else:
                    fig.kind = "money"
                    self.cur_code = CUR_CODES.get(word, word)
                fig.end = cr.end()
            elif c.kind == "vague" or c.has_mult:
                om = MONEY_OF.match(text, fig.end, fig.end + 20)
                if om is not None:
                    fig.kind = "money"
                    self.cur_code = CUR_CODES.get(om.group(1).lower(), "usd")
        if fig.kind == "money":
            fig.unit = self.cur_code or "usd"
        if fig.kind == "number" and c.measure:
            fig.kind, fig.unit = "measure", c.measure
        if fig.kind == "number":
            self._measure(c, fig)

    def _measure(self, c: Core, fig: _Fig) -> None:
        me = MEASURE.match(self.text, fig.end)
        if me is None:
            ym = YARDS_ADJ.match(self.text, fig.end)
            if ym is not None:   # "153 rushing yards"
                fig.kind, fig.unit, fig.end = "measure", "yards", ym.end()
                return
            lm = self.g.measure.match(self.text, fig.end) if self.g.measure else None
            if lm is not None:   # "drei Monate", "tres meses", "trois mois"
                fig.kind, fig.end = "measure", lm.end()
                fig.unit = self.g.lx.measures[SPACES.sub(" ", lm.group("u").lower())]
            return
        u = SPACES.sub(" ", me.group("u").lower())
        canon = MEASURE_UNITS.get(u, u)
        if u.startswith(("square", "sq")):
            canon = "km2"
        if u == "m" and c.mult != 1.0:
            canon = ""
        if canon in ("", "m") and me.group(0).startswith("-"):
            canon = ""
        if canon:
            fig.kind, fig.unit, fig.end = "measure", canon, me.end()

    def _bare_year(self, c: Core, fig: _Fig) -> Figure | None:
        """A lone 1800..2100 read as a year; also after a word that means "until" as well
        as "up to" ("bis 2030", "hasta 2027"), where the year is the likelier reading."""
        if (fig.kind == "number" and c.kind == "number" and not c.is_word
                and fig.value is not None and 1800 <= fig.value <= 2100
                and (self.qualifier == "exact" or self.qual_text in self.g.lx.until)
                and self.change is None
                and FOUR_DIGITS.fullmatch(self.text, self.start, c.end)
                and is_year_context(self.text, self.start, c.end, self.sent[1],
                                    self.g.lx.unit_stop)):
            return self._mk(self.start, c.end, "date", None, None, None, "exact", None, None,
                            norm=self.text[self.start:c.end])
        return None

    def _emit(self, c: Core, fig: _Fig) -> Figure:
        """The figure, with low/high set by the qualifier's convention."""
        low, high, value, q = fig.low, fig.high, fig.value, self.qualifier
        if self.neg and value is not None and low == value == high:
            value = low = high = -value
        if value is not None:
            if q in ("more_than", "at_least"):
                low, high = value, None
            elif q in ("at_most", "less_than"):
                low, high = None, value
        elif low is not None and high is not None:
            if q in ("more_than", "at_least"):
                high = None if c.kind != "vague" else high
            elif q in ("at_most", "less_than") and c.kind != "vague":
                low = None
        return self._mk(self.fig_start, fig.end, fig.kind, value, low, high, q, self.change,
                        fig.unit, self.delta and self.change is not None)

    def _mk(self, a: int, b: int, kind: str, value: float | None, low: float | None,
            high: float | None, qualifier: str, change: str | None, unit: str | None,
            delta: bool = False, norm: str | None = None) -> Figure:
        if low is not None and high is not None and low > high:
            low, high = high, low
        sent = self.sent
        return Figure(self.text[a:b], a, b, kind, value, low, high, qualifier, change, unit,
                      sent[0], sent[1], sent[2], delta, norm)


class _Fig:
    """The figure as it grows to the right."""

    __slots__ = ("end", "high", "kind", "low", "unit", "value")

    def __init__(self, c: Core) -> None:
        self.end = c.end
        self.kind = "number"
        self.value: float | None = c.value
        self.low: float | None = c.value
        self.high: float | None = c.value
        self.unit: str | None = None


# ------------------------------------------------------------------------- helpers

def _left_match(left: str, g: Grammar) -> re.Match[str] | None:
    """Qualifier, currency, change verb and between/from just before a number; None when
    there is none (where ``g.left.search`` would find only the empty match at the end)."""
    tail = left.rstrip()
    if not tail:
        return None
    last = tail.rsplit(None, 1)[-1]
    if g.left_last is None:
        # the last piece must end a phrase (or be a currency): a part of g.left ends there
        # "plus d'un": an elided phrase ends in the apostrophe the number follows
        last = last.removesuffix(ELIDED) or last
        piece = last[max(map(last.rfind, LEFT_SEPS)) + 1:]
        if not piece or (piece[-1] not in CUR_CHARS and g.left_end.fullmatch(piece) is None):
            return None
    else:
        tok = last.lstrip(LEFT_SEPS).lower()
        if not tok or (tok not in g.left_last and tok[-1] not in CUR_CHARS):
            return None
    # The leftmost match, as g.left.search finds it, but tried only where a part may start
    # (searching the whole window runs every alternative at every word).
    find = g.left_start.search
    pos = 0
    while (sm := find(left, pos)) is not None:
        p = sm.start()
        m = g.left.match(left, p)
        if m is not None:
            return m
        pos = p + 1
    return None


def _label_before(left: str, g: Grammar) -> bool:
    """The word just before a number makes it a label or a name ("Article", "No.", "row",
    "#", "iPhone", "S&P")."""
    tail = left.rstrip()
    if not tail:
        return False
    tok = tail.rsplit(None, 1)[-1].lstrip(LEFT_SEPS)
    return tok in g.label_tokens


def _qual_group(lm: re.Match[str], g: Grammar) -> str | None:
    """Name of the qualifier group that matched ("q_approx", "e_more_than"), if any."""
    spans = lm.regs                 # one look at every group's span
    for name, i in g.qual_groups:
        if spans[i][0] >= 0:
            return name
    return None


def _share_half_ok(text: str, start: int, end: int, lm: re.Match[str] | None,
                   g: Grammar) -> bool:
    """"half" counts as a share in "half of the force" or "nearly half", not in
    "the first half of 2025" or "half an hour"."""
    if lm is not None and _qual_group(lm, g) is not None:
        return True
    before = text[max(0, start - 12):start]
    if g.half_before_bad.search(before):
        return False
    if g.half_follow.match(text, end):
        return True
    return bool(g.half_before_ok.search(before))


def _score_end(text: str, start: int, end: int, left: str, sent: Sent) -> int | None:
    """Where a score, record or tally that starts with the number at ``start`` ends; None
    when it is none (patterns.SCORE_PAIR tells when a pair of numbers is a score)."""
    pm = SCORE_PAIR.match(text, end)
    if pm is None or text[end:end + 1] == " ":
        if len(sent[0]) <= 100 and start >= sent[1] and SCORE_LINE.fullmatch(sent[0]):
            return end  # "Kansas 34, Illinois 23", "Commanders 18 - 15 Bears"
        return None
    a, b = int(text[start:end]), int(pm.group("b"))
    if a >= b or SCORE_AFTER.match(text, pm.end()) or text[start - 1:start] == "(":
        return pm.end()
    bm = SCORE_BEFORE.search(left)
    if bm is not None and (int(bm.group("a")) >= int(bm.group("b"))
                           or left[bm.start() - 1:bm.start()] == "("):
        return pm.end()
    if SCORE_VERB.search(left) and SCORE_NEXT_OK.match(text, pm.end()):
        return pm.end()
    return None


def _ordinal_fraction(text: str, start: int, end: int, g: Grammar) -> bool:
    """"a fourth consecutive week", "a third term", "a third-party candidate": an article,
    a fraction that is also an ordinal (lexicon ``[shares] ordinal``) and a hyphen or a
    word that does not keep it a share."""
    lx = g.lx
    if not lx.share_ordinal:
        return False
    words = text[start:end].lower().split()
    if len(words) != 2 or words[0] not in lx.articles or words[1] not in lx.share_ordinal:
        return False
    if text[end:end + 1] in ("-", "‐"):
        return True  # "a third-party candidate", "a fourth-quarter loss"
    nm = _NEXT_WORD.match(text, end)
    return nm is not None and nm.group(1) not in lx.share_follow


def _one_counts(text: str, start: int, end: int, left: str, sent: Sent,
                g: Grammar) -> str | None:
    """What a lone "one" ("a single") counts: "soldier" in "one soldier was captured";
    None in "one of them", "one day", "no one" or "one official said"."""
    lx = g.lx
    if not lx.one_words or (text[start].isupper() and start > sent[1]):
        return None
    last = _LAST_TOKEN.search(text, start, end)
    if last is None or last.group(1).lower() not in g.one_or_single:
        return None
    prev = _LAST_TOKEN.search(left)
    if prev is not None and prev.group(1).lower() in lx.one_not_after and \
            left[prev.end(1):].isspace():
        return None
    am = _ONE_AIRLINER.match(text, end)
    if am is not None and am.group(1) in AIRLINER and AIRLINER_NEXT.match(text, am.end()):
        return f"{am.group(1)} {am.group(2) or ''}".strip().lower()  # "one 737 MAX order"
    if _ONE_AMOUNT.match(text, end) or (
            prev is not None and left[prev.end(1):].isspace() and (
                (prev.group(1).islower() and prev.group(1) != "as" and _ONE_END.match(text, end))
                or (prev.group(1).lower() == "only" and _ONE_TO.match(text, end)))):
        # an elided noun: "the Lib Dems attained one.", "three over $200 million, one over
        # $300 million", "only one to cross $200 million"
        return ""
    nm = g.one_next.match(text, end)
    if nm is None:
        return None
    noun = nm.group("noun").lower()
    if noun in lx.one_not_before or noun in lx.unit_stop or noun in g.numwords_stop:
        return None
    if (nm.group("next") or "").lower() in lx.one_said:
        return None
    adj = nm.group("adj")
    return f"{adj.lower()} {noun}" if adj else noun


_GROUPED_THOUSANDS = re.compile(r"\d[,.'’\u00a0\u202f ]000$")


def _shares_thousands(text: str, c: Core, d: Core, first: float, second: float) -> bool:
    """A small whole number ranged with a grouped round thousand ("11 to 12,000",
    "entre 11 et 12 000") counts in thousands too, when that makes a close range."""
    if c.has_mult or d.has_mult or c.pct or d.pct or not first.is_integer():
        return False
    if not 1 <= first < 1000 or second < 1000 or second % 1000:
        return False
    if not _GROUPED_THOUSANDS.search(text, max(0, d.end - 5), d.end):
        return False
    return second / 2 <= first * 1000 < second
