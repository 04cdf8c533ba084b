"""The frame of a figure: what it counts, whose it is, what happened, when, per what.

A frame says nothing about claims: watcher.claims.match compares it with the baseline.
Each part is read from the figure's own clause first (the predicate after it, the noun
after it, a party before it), then from the rest of the sentence, and only then from the
sentence before; the confidence says how far the reading had to go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watcher.claims.dates import (
    DATE_HINT_L,
    DATE_RE,
    PERIOD_RE_L,
    anchor_iso,
    iso,
    period_unit,
)
from watcher.claims.lexicon import alt, lexicon, word_start
from watcher.claims.model import Finding
from watcher.claims.prefilter import Caseless, Guarded
from watcher.claims.sentences import lower, prev_sentence
from watcher.claims.vocab import SentenceFacts, Vocabulary
from watcher.figures import Figure

__all__ = ["Frame", "FrameState", "build_frame"]

_CASUALTY_EVENTS = frozenset(("killed_or_wounded", "casualties", "losses"))
_SPECIFIC = frozenset(("killed", "wounded", "captured", "killed_or_wounded"))
# The next figure: "\d|\b(?:dozens|...|half)\b", as a digit or a word, whichever comes first
_DIGIT = re.compile(r"\d")
_AFTER = 140  # the after-window's length
_GIVING = frozenset(("supplied", "deployed"))
_SHARE_KINDS = frozenset(("share", "percent"))
# the confidence a subject read from the sentence before adds: its lone party, its lead
_PREV_ONE = 0.03
_PREV_LEAD = 0.02
_PREDICATE_SPAN = 44
# Where a clause stops (not the separators inside a number: "11.000", "11,000")
_CLAUSE_STOP = re.compile(r"[;:]|[,.](?!\d)")
# The events of a toll. A figure counted as dead or wounded by a verb of the future
# ("could be killed by spring") is a projection, not a toll.
_TOLL_EVENTS = _CASUALTY_EVENTS | {"killed", "wounded"}
# What a part of a force can undergo that makes it a toll of its own
_PART_EVENTS = _TOLL_EVENTS | {"captured", "missing"}
# a rate names its period: most sentences hold none of the words, and are not searched
_PERIOD = Guarded(PERIOD_RE_L)


class _Words:
    """The lexicon's word lists this module needs, compiled once."""

    def __init__(self) -> None:
        lex = lexicon()
        w = lex.word_list
        # Another figure (years are dates, not figures: "losses in April 2025 reached 1,200")
        numbers = w("number_words")
        self.figure_like = re.compile(r"(?<![\d,.])(?!(?:19|20)\d\d\b)\d[\d,.]*|"
                                      r"\b(?:" + alt(numbers) + r")\b", re.I)
        # The same in lower-cased text, each branch opening with a character the engine can
        # jump to: a digit, or a number word with its boundary looked for behind its first
        # letter.
        self.figure_like_l = re.compile(r"(?<![\d,.])(?!(?:19|20)\d\d\b)\d[\d,.]*|"
                                        + "|".join(rf"{n[0]}(?<=\b{n[0]}){n[1:]}\b"
                                                   for n in numbers))
        self.number_word = re.compile(word_start([*numbers, *w("number_words_next")]) + r"\b")
        # an approximation right before the figure: "about", "an estimated"
        approx = r"(?:" + alt(w("approx")) + r")?"
        self.restate = lex.word_re("restate")
        self.restate_g = Guarded(self.restate)
        self.report_verb = lex.word_re("report_verbs", flags=re.I)
        self.additional = Caseless(lex.word_re("additional", flags=re.I))
        self.after_more = re.compile(r"\s*(?:" + alt(lex.word_list("after_more")) + r")\b",
                                     re.I)
        self.not_additional = Caseless(lex.word_re("not_additional", flags=re.I))
        # where the figure's own clause opens: a stop, or a "that" after a verb of saying
        # a verb of killing or wounding in the active voice right before the figure
        self.toll_by_agent = re.compile(
            r"\b(?:" + alt(lex.word_list("toll_by_agent")) + r")\s*$", re.I)
        # where a date after a figure stops being its clause's: a stop, a relative clause
        # or a purpose ("forces who took the town in August", "para enfrentar el avance
        # de agosto")
        self.date_stop = re.compile(
            r"[,;:]|\b(?:" + alt(lex.word_list("date_stops")) + r")\b", re.I)
        self.deadline = re.compile(
            r"\b(?:" + alt(lex.word_list("deadline_preps")) + r")\s+$", re.I)
        self.said = re.compile(
            r"\b(?:" + alt([*lex.word_list("report_verbs"), *lex.word_list("said_verbs")])
            + r")\b", re.I)
        self.reported_clause = re.compile(
            r"\b(?:" + alt(lex.word_list("complementizers")) + r")\b", re.I)
        self.clause_open = re.compile(
            r"[,;:]|\b(?:" + alt(lex.word_list("complementizers")) + r")\b", re.I)
        to = alt(lex.word_list("additional_to"))
        self.additional_to = re.compile(r"^[^,;]{0,60}?,?\s*\b(?:" + to + r")\b", re.I)
        self.additional_to_end = re.compile(
            r"\b(?:" + to + r")\s+(?:(?:" + alt(w("additional_to_det")) + r")\s+)?"
            + approx + r"\s*$", re.I)
        self.total = Caseless(lex.word_re("total", flags=re.I))
        self.ambiguous = lex.word_re("ambiguous", flags=re.I)
        self.possible = lex.word_re("possible", flags=re.I)
        self.possible_around = lex.word_re("possible_around", flags=re.I)
        self.projected_toll = lex.word_re("projected_toll", flags=re.I)
        self.share_of_this = re.compile(
            r"\b(?:" + alt(lex.word_list("share_of_this")) + r")\s*$", re.I)
        self.this_figure = re.compile(
            r"\b(?:" + alt(lex.word_list("this_figure")) + r")\s*$", re.I)
        self.one_person = re.compile(r"\s+(?:\w+ly\s+)?(?:" + alt(lex.word_list(
            "one_person_verbs")) + r")\b", re.I)
        # Only an auxiliary (and an adverb), or nothing, between two parties: the second
        # is the first's object ("X hat Y ... geliefert", "hat X Y ... geliefert")
        self.aux_between = re.compile(
            r"\s+(?:(?:" + alt(lex.word_list("aux_between")) + r")(?:\s+(?:"
            + alt(lex.word_list("aux_between_adverbs")) + r"))?\s+)?$", re.I)
        # A relative clause between the noun and the predicate: "3.800 Soldaten, die ...
        # kämpften,"; any relative clause between commas: "Ruritania, which backs
        # Borduria, sent ..."; after a figure's noun, what opens a relative clause
        self.relative = re.compile(r",\s*(?:" + alt(lex.word_list("relative")) + r")\b[^,.;]*,")
        self.relative_any = re.compile(
            r",\s*(?:" + alt(lex.word_list("relative_aside")) + r")\b[^,.;]*,")
        self.relative_after = re.compile(
            r",\s*(?:" + alt(lex.word_list("relative_after")) + r")\b")
        # an agent phrase after a figure's noun
        self.agent = lex.word_re("agent")
        conj = alt(lex.word_list("conjunctions"))
        # A verb of its own before the event, joined to it: "have been buried there and
        # sent home": the clause's verb is the first one
        self.joined_verb = re.compile(r"\b[a-z]+(?:ed|en|wn)\b[^,;:]*\b(?:" + conj + r")\b")
        # "and" opening a second verb phrase: "et a également envoyé", "and has sent"
        self.and_verb = re.compile(r"\b(?:" + conj + r")\s+(?:"
                                   + alt(lex.word_list("and_verb_aux")) + r")\b", re.I)
        # where a next figure's own words begin: "100 arrived, and another 120 today"
        self.next_own = re.compile(r",|;|\b(?:" + conj + r")\b", re.I)
        # The clause's predicate after the noun phrase: "N soldiers sent to Russia have
        # been killed"; not across a conjunction or another figure: "600 died and
        # thousands were wounded"
        self.predicate = re.compile(
            r"(?:(?!\b(?:" + alt(lex.word_list("predicate_stops")) + r")\b)[^,.;:()\"“”\d])"
            r"{0,48}?\b(?:" + alt(lex.word_list("predicate_aux")) + r")\s+(?:(?:"
            + alt(lex.word_list("predicate_participle")) + r")\s+)?")
        # "Hundreds of soldiers, fighting beside X near Y, have been killed"
        self.aux_after = re.compile(
            r"\b(?:" + alt(lex.word_list("aux_after")) + r")\s+(?:(?:"
            + alt(lex.word_list("aux_after_adverbs")) + r")\s+)?")
        # The whole a part is counted out of, between the noun and its verb: "4,000 soldiers
        # out of the 11,000 sent have died", "4 000 soldats sur les 11 000 envoyés ont péri".
        whole_det = (r"(?:" + alt(lex.word_list("whole_prep")) + r") (?:"
                     + alt(lex.word_list("whole_det")) + r")")
        whole_bare = alt(lex.word_list("whole_prep_bare"))
        part_approx = r"(?:(?:" + alt(w("part_whole_approx")) + r") )?"
        self.out_of = re.compile(
            r"(?:\s+[\w’'-]+){0,2}?\s*(?:" + whole_det + "|" + whole_bare + r")\s+"
            + part_approx + r"\d[\d\s.,’']*[^,.;:()\"“”\d]{0,60}?(?=\s(?:"
            + alt(lex.word_list("whole_aux")) + r")\b)")
        # A bare part with the whole it is out of right after it: "4,000 of the 11,000
        # ...", "4000 der 11.000 Soldaten ..." (German genitive), "4 000 sur les 11 000 ..."
        self.part_of_whole = re.compile(
            r"\s*(?:" + whole_det + "|" + alt(lex.word_list("whole_genitive")) + "|"
            + whole_bare + r")\s+" + part_approx + r"\d")
        # Right after a part ("half", "4,000", "40%"): the whole it is a part of, "of the
        # estimated"; a bare whole right after a part's noun phrase: "4 000 soldats sur
        # 11 000 ont été tués", "4,000 soldiers out of 11,000 have died"
        whole_approx = r"(?:(?:" + alt(w("whole_approx")) + r")\s+)?$"
        of_whole = (r"(?:" + alt(w("of_whole")) + r")\s+(?:(?:" + alt(w("of_whole_det"))
                    + r")\s+)?")
        self.whole_after_part = re.compile(
            r"(?:\d|%|\b(?:" + alt([*w("share_part_percent"), *w("fraction_words")]) + r"))\s*"
            r"(?:" + of_whole + r"|(?:" + alt(w("of_whole_bare")) + r")\s+|(?:"
            + alt(w("of_whole_det_prep")) + r")\s+(?:" + alt(w("of_whole_det_det")) + r")\s+)"
            + whole_approx, re.I)
        self.bare_whole_before = re.compile(
            r"\b(?:" + alt(w("bare_whole_prep")) + r"|(?:" + alt(w("bare_whole_det_prep"))
            + r") (?:" + alt(w("bare_whole_det")) + r"))\s+" + whole_approx, re.I)
        # A share of a whole written with its figure: "half of the estimated 11,000 troops"
        self.share_of_figure = re.compile(
            r"\s*(?:%|" + alt(w("share_part_percent")) + r")?\s*" + of_whole + r"(?:(?:"
            + alt(w("share_figure_approx")) + r")\s+)?\d", re.I)
        self.inherit_before = re.compile(
            r"(?:\b(?:" + alt(w("inherit_before")) + r")|,)\s*" + approx + r"\s*$", re.I)
        self.compare_before = re.compile(
            r"(?:\b(?:" + alt(w("compare_before")) + r")|\b(?:" + alt(w("revise_verbs"))
            + r")\b[^,.;]{0,30}\b(?:" + alt(w("revise_to")) + r")|\b(?:"
            + alt(w("compare_total")) + r"))\s*" + approx + r"\s*$", re.I)
        self.list_before = re.compile(
            r"(?:\b(?:" + alt(w("list_before")) + r")|,\s*(?:" + alt(w("list_before_comma"))
            + r"))\s*" + approx + r"\s*$", re.I)
        # "from 3,000 to 4,000": a range said again; "rose to 4,000 from 3,000"
        self.range_from = re.compile(r"\b(?:" + alt(w("range_from")) + r")\s*$", re.I)
        self.range_from_any = re.compile(alt(w("range_from")), re.I)
        self.range_to = re.compile(r"\s*(?:\w+\s+){0,3}?(?:" + alt(w("range_to")) + r")\b")
        self.range_to_end = re.compile(r"\b(?:" + alt(w("range_to")) + r")\s*$")
        # "the number of casualties reached 4,700"
        self.number_of = re.compile(
            r"\b(?:" + alt(w("number_of_nouns")) + r")\s+(?:(?:" + alt(w("number_of_of"))
            + r")\s+)?([\w'’ -]{0,40}?)\s*(?:" + alt(w("number_of_verbs")) + ")", re.I)
        # A part of the force: "among the troops sent are 500 officers"; one unit's strength.
        self.part_before = re.compile(
            r"\b(?:" + alt(w("part_among")) + r")\b[^,.;]{0,60}\b(?:" + alt(w("part_among_aux"))
            + r")\s*" + approx + r"\s*$|"
            r"\b(?:" + alt(w("unit_nouns")) + r")\b[^,.;]{0,60}\b(?:" + alt(w("unit_size"))
            + r")\s*" + approx + r"\s*$|"
            # "five units, each consisting of about 3,000": the size of each, not of the whole
            r"\b(?:" + alt(w("part_each")) + r")(?:\s+[\w-]+){0,2}?\s+(?:" + alt(w("each_size"))
            + r")\s*" + approx + r"\s*$", re.I)
        # a rate shared by figures joined by "and", not by ", or"
        self.rate_and = re.compile(r"\b(?:" + alt(w("rate_and")) + r")\b")
        self.rate_or = re.compile(r",\s*(?:" + alt(w("rate_or")) + r")\b")
        self.restate_end = re.compile(r"[,;]|\b(?:" + alt(w("restate_but")) + r")\b")
        # "2,000 injured soldiers were repatriated": a participle after the auxiliary
        self.participle = re.compile(
            r"[a-zäöüéèáíóú]+(?:" + alt(w("participle_endings")) + r")\b")
        # Nothing but a noun phrase and "and" since the previous figure of the sentence; or
        # its purpose too, when a comma and "as well as" join the second noun to the same
        # verb ("to send 100 medics to clear the roads, as well as 300 drivers").
        self.and_before = re.compile(
            r"^(?:[^,;:.()\d]{0,50}?\b(?:" + alt(w("and_before")) + r")|"
            r"[^;:.()\d]{0,80}?,\s*(?:" + alt(w("and_also")) + r"))"
            r"\s*(?:(?:" + alt(w("and_of")) + r")\s+)?" + approx + r"\s*$", re.I)
        # "casualties, first dozens, later passed a thousand"
        self.reach_before = re.compile(r"\b(?:" + alt(w("reach_before")) + r")\s*$", re.I)
        # ("a total of 15,000", "a force of 3,000" name the figure itself, not a whole it
        # is out of)
        self.population_before = re.compile(
            "".join(rf"(?<!\b{n} )" for n in w("population_not_after"))
            + r"\b(" + alt(w("population_prep")) + r")\s+(?:"
            + alt(w("population_det")) + r")?\s*(?:(?:" + alt(w("population_approx"))
            + r")\s+)?$", re.I)
        # "put their number at", "estiment leur nombre à", "schätzen ihre Zahl auf": the
        # figure counts the people named before, whose noun it does not repeat
        self.their_number = re.compile(
            r"\b(?:" + alt(w("their_number_pronoun")) + r")\s+(?:" + alt(w("their_number_noun"))
            + r")\s+(?:\w+\s+)?(?:" + alt(w("their_number_prep")) + r")\s+" + approx
            + r"\s*$", re.I)
        # "risen by 4,000": the size of a change
        self.change_by = re.compile(r"\b(?:" + alt(w("change_by")) + r")\s+" + approx
                                    + r"\s*$", re.I)
        # "are expected to be", "are believed to have": a hedge before the real predicate
        self.hedge = re.compile(r"(?:" + alt(w("hedge")) + r")\s+to\b")
        # A projection, not a report: "could reach 100,000", "an unlikely 20,000".
        self.projection = re.compile(
            r"\b(?:" + alt(w("projection_modals")) + r")\s+(?:\w+\s+){0,2}?(?:"
            + alt(w("projection_verbs")) + r")\b|\b(?:" + alt(w("projection_words"))
            + r")\b|\b(?:" + alt(w("projection_if")) + r")\b[^,.;]{0,40}$|\b(?:"
            + alt(w("projection_as_many")) + r")\b[^,.;]{0,20}$", re.I)
        # A purpose after the noun phrase: "to restore", "to clear" (not "to be sent")
        self.purpose = re.compile(r"\b(?:" + alt(w("purpose")) + r") (?!(?:"
                                  + alt(w("purpose_not")) + r")\b)[a-z]+\b")
        self.now = lex.word_re("now", flags=re.I)
        self.more_end = re.compile(r"\b(?:" + alt(w("more_end")) + r")\s*$", re.I)
        # "[;:]|, (?:and|...)": every branch opens with its character, for the engine to
        # jump to
        self.clause_end = re.compile(r";|:|, (?:" + alt(w("clause_end")) + r")\b")
        self.unknown_verb_before = re.compile(
            r"\b[a-z]+(?:ed|ing)\s+(?:(?:" + alt(w("unknown_verb_approx")) + r") )?$")
        # An auxiliary right after a bare figure: "600 have been", "300 were"
        self.bare_aux = re.compile(r"\s+(?:" + alt(lex.word_list("bare_aux")) + r")\s")
        self.unknown_verb_after = re.compile(
            r"\s+(?:\w+\s+){0,3}?(?:" + alt(lex.word_list("unknown_verb_aux")) + r")\s+(?:(?:"
            + alt(lex.word_list("unknown_verb_participle"))
            + r")\s+)?(?:\w+ly\s+)?[a-z]+(?:ed|en)\b")


_WORDS: _Words | None = None


def _words() -> _Words:
    global _WORDS
    if _WORDS is None:
        _WORDS = _Words()
    return _WORDS


@dataclass(slots=True)
class FrameState:
    """What the previous figure of the sentence was: "100 killed and 300 wounded"."""

    event: str | None
    subject: str | None
    period: str | None = None
    period_unit: str | None = None


@dataclass(slots=True)
class Frame:
    """A figure read in its sentence; ``finding`` carries the parts a user sees."""

    finding: Finding
    sent: SentenceFacts
    head: str                 # counted class, or strong / strong_army / mixed / other / none
    weak: bool                # the event was only guessed from the sentence
    implied: bool             # no verb at all: "11,000 troops" in a sentence about the war
    period_unit: str | None
    st: int                   # the figure's offsets within the sentence
    en: int
    before: str
    after: str
    seg_before: str           # the before-window after the previous figure
    confidence: float
    carried: bool = False     # the subject was read from a sentence before
    published: str | None = None
    _additional: bool | None = None
    _part: bool | None = None
    _when: tuple[str, int, int] | None = None

    @property
    def value(self) -> float:
        f = self.finding.figure
        return f.value if f.value is not None else (f.high or f.low or 0.0)

    # The two readings below are asked of few figures, so they are read on demand.

    @property
    def additional(self) -> bool:
        """Later troops, not the first contingent ("another 1,500", "sappers")."""
        if self._additional is None:
            w = _words()
            seg = self.seg_before
            window = seg[-70:] + self.finding.figure.text + _own_after(self.sent.text,
                                                                       self.en, self.after)[:70]
            own = seg.rsplit(",", 1)[-1] + " " + re.split(r"[,;]", self.after)[0][:70]
            more = bool(w.additional.search(window)) or bool(w.after_more.match(self.after)) \
                or bool(w.more_end.search(self.finding.figure.text))
            if not more and w.additional_to.match(self.after):
                more = True     # "1,000 were sent, in addition to the 11,000 ..."
            self._additional = more and not w.total.search(own) \
                and not w.not_additional.search(window) \
                and not w.additional_to_end.search(seg[-40:])  # "in addition to the 11,000"
        return self._additional

    @property
    def dated(self) -> str:
        """The month the figure's own clause dates it to ("seit September", "im Januar
        und Februar", "en octobre 2024"), as YYYY-MM; "" when it names none."""
        when = self.when[0]
        return when[:7] if len(when) >= 7 else ""

    @property
    def when(self) -> tuple[str, int, int]:
        """The date nearest the figure in its own clause, as precise as written ("2024",
        "2024-10"), and its span in the sentence; ("", 0, 0) when there is none."""
        if self._when is None and DATE_HINT_L.search(self.sent.low or lower(self.sent.text)) \
                is None:
            self._when = ("", 0, 0)  # no month and no year: most sentences
        if self._when is None:
            # not past "that": "reported on 16 January that 12,000 ..." dates the report
            before = _words().clause_open.split(self.seg_before)[-1][-80:]
            b0 = self.st - len(before)
            # up to another deed: "12,000 deployed there could face losses by April"
            # dates the losses, not the sending
            stop = min((ea for ea, _eb, name in self.sent.events
                        if ea > self.en and name not in _GIVING and name != "present"),
                       default=self.en + 120)
            after = _words().date_stop.split(
                self.sent.text[self.en:min(stop, self.en + 120)])[0]
            best, dist = ("", 0, 0), 10_000
            # "Selenski sprach Ende Oktober von 10.000 Soldaten": a date after a verb of
            # saying dates the saying
            told = _words().said.search(before) is not None
            for text, at in (((after, self.en),) if told
                             else ((before, b0), (after, self.en))):
                for m in DATE_RE.finditer(text):
                    when = iso(m, self.published)
                    if when is None or _words().deadline.search(text, 0, m.start()):
                        continue  # "to send 12,000 by December": a deadline, not a date
                    d = len(text) - m.end() if at == b0 else m.start()
                    if d < dist:
                        best, dist = (when, at + m.start(), at + m.end()), d
            self._when = best
        return self._when

    @property
    def part(self) -> bool:
        """A part of the whole (one unit, "among them") or a projection ("could reach")."""
        if self._part is None:
            clause_before = re.split(r"[,;:]", self.seg_before)[-1]
            # the end-anchored forms ("even if ...", "as many as ...") read the words
            # before the figure alone
            clause = clause_before[-60:] + " " + _clause(self.after[:50])
            around = self.seg_before[-60:] + self.finding.figure.text + _clause(self.after[:90])
            words = _words()
            self._part = bool(words.part_before.search(self.seg_before[-80:])) or bool(
                words.projection.search(clause_before[-60:])) or bool(
                words.projection.search(clause)) or bool(
                words.possible.search(self.seg_before[-50:])) or bool(
                words.possible_around.search(around)) or (
                self.finding.event in _TOLL_EVENTS and bool(words.projected_toll.search(around)))
        return self._part


def _own_after(s: str, en: int, after: str) -> str:
    """``after`` without the words that lead into the next figure of the sentence, when
    the window stops at one: in "100 arrived, and another 120 today" the "another" is 120's.
    """
    nxt = en + len(after)
    if not after or not _words().figure_like.match(s, nxt):
        # "15 000 soldats à Koursk et a également envoyé des troupes supplémentaires": a
        # second verb phrase, joined by "and", is another deed with its own words
        m = _words().and_verb.search(after)
        return after[:m.start()] if m else after
    m = _words().next_own.search(after)
    return after[:m.start()] if m else after


def _segment_before(before: str, low: str | None = None) -> str:
    """``before`` after the last figure in it; ``low`` is lower(before), when the
    lower-cased text may be read instead (see folds_like_lower)."""
    w = _words()
    found = w.figure_like.finditer(before) if low is None else w.figure_like_l.finditer(low)
    ends = [m.end() for m in found]
    return before[ends[-1]:] if ends else before


def _next_figure(low: str) -> int | None:
    """Where the first figure of ``low`` starts, if it does before the window's end.

    Only the first ``_AFTER + 10`` characters are read: a figure starting before
    ``_AFTER - 1`` ends within them (with its boundary), and one starting later leaves
    the after-window whole."""
    low = low[:_AFTER + 10]
    d = _DIGIT.search(low)
    w = _words().number_word.search(low, 0, d.start() + 1 if d else len(low))
    first = min(m.start() for m in (d, w) if m is not None) if d or w else None
    return first if first is not None and first < _AFTER - 1 else None


def _clause(text: str) -> str:
    """``text`` up to the end of its clause (``clause_end.split(text)[0]``)."""
    m = _words().clause_end.search(text)
    return text[:m.start()] if m else text


def _period(finding: Finding, sent: SentenceFacts, after_full: str, seg_before: str) -> None:
    """A rate ("a day", "per week") belongs to the figure's own clause."""
    if not sent.may_hold(_PERIOD):
        return  # the sentence names no period at all
    clause = _clause(after_full[:200])
    pm = PERIOD_RE_L.search(clause.lower())
    w = _words()
    if pm is not None and w.figure_like.search(clause, 1, pm.start()) and not (
            w.rate_and.search(clause[:pm.start()])
            and not w.rate_or.search(clause[:pm.start()])):
        # the rate belongs to a later figure: "45,000 in January, or 1,500 a day"; but
        # "100 killed and 1,000 wounded over the past week" shares it
        pm = None
    if pm is None:
        # not before "that": "last weekend Kyiv announced that it had captured two" dates
        # the announcement
        pm = PERIOD_RE_L.search(_words().reported_clause.split(seg_before)[-1].lower())
    if pm is not None:
        finding.period = pm.group("p")
        finding.per_period = True


def _anchor(finding: Finding, sent: SentenceFacts, lo: int, hi: int, st: int, en: int,
            published: str | None) -> tuple[int, int, str, str] | None:
    """The time anchor nearest the figure within its segment ("by January", "in 2024")."""
    best: tuple[int, int, str, str] | None = None
    for a in sent.anchors:
        if finding.period and sent.text[a[0]:a[1]].lower() in finding.period.lower():
            continue
        if a[1] <= lo or a[0] >= hi:
            continue
        if best is None or min(abs(a[0] - en), abs(a[1] - st)) < min(abs(best[0] - en),
                                                                   abs(best[1] - st)):
            best = a
    if best is not None and not finding.per_period:
        finding.period = best[2]
        if best[3] not in ("since", "until"):
            finding.refers_to = anchor_iso(best[2], published)
    return best


def _restated(sent: SentenceFacts, st: int, before: str, after: str, seg_before: str,
              best: tuple[int, int, str, str] | None, published: str | None) -> bool:
    """An older figure repeated: "had earlier put the toll at", "in January it said"."""
    w = _words()
    s = sent.text
    from_to = bool(w.range_from.search(before[-12:])) and bool(w.range_to.match(after))
    if from_to or (sent.may_hold(w.restate_g) and (
            w.restate.search(before[-70:].lower()) or w.restate.search(after[:40].lower()))):
        return True
    if best is not None and best[3] in ("in", "back in", "last", "earlier in") and \
            w.report_verb.search(s[:st]) and not w.now.search(
                seg_before + w.restate_end.split(after)[0]):
        anchor = anchor_iso(best[2], published)
        pub = (published or "")[:7]
        return anchor is not None and len(anchor) >= 7 and (not pub or anchor[:7] < pub)
    return False


def _subject(vocab: Vocabulary, text: str, sent: SentenceFacts, head: str,
             np_actor: str | None, inherit: bool, prev: FrameState | None, st: int,
             en: int, known: dict[int, SentenceFacts]) -> tuple[str | None, float, bool]:
    """Whose figure: the noun phrase's party, else the nearest party before, after, around;
    and whether it was read from a sentence before (the confidence it adds is then small)."""
    if head == "mixed":
        return "mixed", 0.0, False
    if np_actor is not None:
        return np_actor, 0.2, False
    if inherit and prev is not None and prev.subject:
        return prev.subject, 0.1, False
    cands = [a for a in sent.actors if a.end <= st and not a.prepositional]
    if len(cands) > 1:
        # "X, qui soutient Y dans sa guerre, enverrait 1 000 ...": a party inside a relative
        # clause set off by commas is that clause's object, not the figure's party
        inner = [(m.start(), m.end()) for m in _words().relative_any.finditer(sent.text, 0, st)]
        if inner:
            outer = [a for a in cands if not any(lo < a.start < hi for lo, hi in inner)]
            cands = outer or cands
    if cands:
        if len(cands) > 1 and _given_to(sent, cands[-2].end, cands[-1].start):
            # "Ruritania hat Ostrelien 900 Soldaten geschickt", "Ruritania sent Ostrelia 900
            # soldiers": the party right after another and its verb is the one given to
            return cands[-2].actor, 0.15, False
        return cands[-1].actor, 0.15, False
    # "the toll ... among Ruritanian units": a trailing party in the same clause
    # but not one in a relative clause or an agent phrase after the figure's noun ("Granaten
    # des Typs, den Y einsetzt", "obus utilisables par l'armée Y"): the user of the thing
    actors = [a for a in sent.actors if a.start < en or not _user_after(sent, en, a.start)]
    cands = [a for a in actors if a.start >= en and not a.prepositional
             and a.start - en < 80]
    if cands:
        return cands[0].actor, 0.1, False
    names = {a.actor for a in actors if not a.prepositional}
    if len(names) == 1:
        return names.pop(), 0.05, False
    if actors and any(not a.prepositional for a in actors):
        return None, 0.0, False
    if sent.prev_names is None:
        prev_text, prev_start = prev_sentence(text, sent.start)
        subjects, named = vocab.subject_order(prev_text, known.get(prev_start)) \
            if prev_text else ((), frozenset())
        if not named and prev_text:
            # "They were trained first. Among them, 4,000 ...": one sentence further back
            back_text, back_start = prev_sentence(text, prev_start)
            if back_text:
                subjects, named = vocab.subject_order(back_text, known.get(back_start))
                prev_text = back_text
        sent.prev_low = lower(prev_text) if named else ""
        # a lone party named anywhere before ("in Ostrel") is the weakest guess
        sent.prev_names = frozenset(subjects) or named
        sent.prev_lead = _lead(vocab, subjects)
    if len(sent.prev_names) == 1:
        return next(iter(sent.prev_names)), _PREV_ONE, True
    if sent.prev_lead is not None:
        # "X sent 6,700 containers to Y, Z said. They could hold 3 million shells": a
        # sentence that names no party goes on about the one the sentence before opened with
        return sent.prev_lead, _PREV_LEAD, True
    return None, 0.0, False


def _user_after(sent: SentenceFacts, en: int, at: int) -> bool:
    """A party at ``at``, after the figure ending at ``en``, named in a relative clause
    ("Granaten des Typs, den Y einsetzt") or as the agent of a word that is no giving
    ("obus utilisables par l'armée Y"); "11 000 soldats envoyés par X" names the sender."""
    if _words().relative_after.search(sent.text, en, at):
        return True
    agent = _words().agent.search(sent.text, en, at)
    return agent is not None and not any(
        en <= ea < agent.start() and name in _GIVING for ea, _eb, name in sent.events)


def _lead(vocab: Vocabulary, subjects: tuple[str, ...]) -> str | None:
    """Whom a sentence that names no party goes on about: the story's main party when the
    sentence before named it as a possible subject (an agency that reported on it opens
    many sentences), else the first party that sentence named."""
    main = [s for s in subjects if s in vocab.main_subjects]
    if len(main) == 1:
        return main[0]
    return subjects[0] if subjects else None


def _given_to(sent: SentenceFacts, lo: int, hi: int) -> bool:
    """Only an auxiliary, or the verb of giving or sending, stands between two parties
    (or nothing at all: "hat Ruritania Ostrelien ... geliefert")."""
    if _words().aux_between.match(sent.text, lo, hi):
        return True
    return any(ea - lo <= 1 and hi - eb <= 1 and name in _GIVING
               for ea, eb, name in sent.events if lo <= ea < hi)


def _predicate(s: str, pos: int) -> re.Match[str] | None:
    """The clause's auxiliary after the noun phrase ending at ``pos``; the whole a part is
    counted out of may stand between them ("out of the 11,000 sent"), and is not the
    clause's, although it holds a figure of its own."""
    return _words().predicate.match(s, pos) or _predicate_after_whole(s, pos)


def _predicate_after_whole(s: str, pos: int) -> re.Match[str] | None:
    """The auxiliary after "out of the 11,000 sent" standing at ``pos``, if it does."""
    w = _words()
    whole = w.out_of.match(s, pos)
    return w.predicate.match(s, whole.end()) if whole is not None else None


def _part_event(s: str, strong: list[tuple[int, int, str]], en: int
                ) -> tuple[int, int, str] | None:
    """What befell a bare part ("4,000 of the 11,000 soldiers have been killed", "4000 der
    11.000 Soldaten sind gefallen"): the clause's verb after the whole, when it is a toll.
    A part that was sent or arrived is a part of the force, and states nothing here."""
    pred = _predicate_after_whole(s, en)
    if pred is not None:
        # (or an event phrase that starts with the auxiliary: "han muerto", "ont péri")
        found = [e for e in strong if pred.end() <= e[0] <= pred.end() + _PREDICATE_SPAN
                 or e[0] < pred.end() < e[1]]
    else:
        # verb-final clauses: "4000 der 11.000 Soldaten sind an der Front getötet worden"
        m = _CLAUSE_STOP.search(s, en)
        end = min(m.start() if m else len(s), en + 160)
        found = [e for e in strong if en < e[0] and e[1] <= end]
    # "3.000 de los 12.000 enviados por X en octubre habían muerto", "1,000 of the 11,000
    # that X had sent had died": the sending describes the whole; the toll after it is
    # the part's
    hit = next((e for e in found if e[2] not in _GIVING), None)
    return hit if hit is not None and hit[2] in _PART_EVENTS else None


def _toll_after_modifier(s: str, strong: list[tuple[int, int, str]],
                         sent_ev: tuple[int, int, str], consumed: set[tuple[int, int]]
                         ) -> tuple[int, int, str] | None:
    """"2 000 soldats envoyés pour soutenir l'effort de guerre de la Russie ont péri": a
    participle that only describes the noun, however long its phrase, yields to a toll
    the clause states with its auxiliary later on, before any comma or second figure."""
    m = _CLAUSE_STOP.search(s, sent_ev[1])
    end = min(m.start() if m else len(s), sent_ev[1] + 160)
    if _DIGIT.search(s, sent_ev[1], end):
        return None
    for am in _words().aux_after.finditer(s, sent_ev[1], end):
        hit = next((e for e in strong if (e[0] == am.end() or e[0] < am.end() < e[1])
                    and e[1] <= end and (e[0], e[1]) not in consumed), None)
        if hit is not None and hit[2] in _PART_EVENTS:
            return hit
    return None


def _event(vocab: Vocabulary, sent: SentenceFacts, consumed: set[tuple[int, int]],
           prev: FrameState | None, finding: Finding, head: str, head_end: int, st: int,
           en: int, before: str, after: str, seg_before: str
           ) -> tuple[str | None, float, str | None]:
    """What happened: the predicate next to the figure, then the clause's, then a guess.

    Returns (event, confidence added, period inherited from a compared figure).
    """
    s = sent.text
    w = _words()
    strong = [(ea, eb, name) for ea, eb, name in sent.events
              if name != "present" and (ea, eb) not in consumed]
    pop = w.population_before.search(before[-25:]) if head == "people" else None
    population = pop is not None and not (
        pop.group(1).lower() == "of"
        and vocab.event_re.search(lower(before[-25:][:pop.start()][-14:])))
    if prev is not None and prev.event is not None and (
            w.compare_before.search(seg_before[-30:])
            or (w.range_to_end.search(seg_before)
                and w.range_from_any.search(seg_before))):
        # "rose to 4,000 from 3,000": the figure compared takes the first one's event
        return prev.event, 0.1, prev.period
    if head == "none" and prev is not None and prev.event in _PART_EVENTS \
            and w.bare_whole_before.search(before[-30:]):
        # "4 000 soldats sur 11 000 ont été tués": the verb is the part's, and the bare
        # whole after it is the force itself
        return "deployed", 0.0, None
    if head != "none":
        pred = _predicate(s, en + head_end)
    elif finding.figure.kind in _SHARE_KINDS:
        # "half of the 11,000 troops sent have been killed": the share's verb follows the
        # whole it is a share of
        pred = _predicate_after_whole(s, en)
    elif w.bare_aux.match(s, en):
        pred = w.predicate.match(s, en)  # "600 have been buried": the figure is the subject
    else:
        pred = None
    whole_pred: re.Match[str] | None = None
    if pred is not None and prev is not None and w.whole_after_part.search(before[-40:]):
        # "half of the 11,000 soldiers sent have died": the verb is the part's, and the
        # whole is the force itself
        whole_pred, pred = pred, None
        population = True
    if head == "none" and finding.figure.kind not in _SHARE_KINDS \
            and w.part_of_whole.match(s, en):
        part_ev = _part_event(s, strong, en)
        if part_ev is not None:
            consumed.add((part_ev[0], part_ev[1]))
            return part_ev[2], 0.1, None
    if pred is not None:
        # the clause's own verb outranks a participle that only describes the noun
        # (or an event phrase that starts with the auxiliary: "han muerto", "ont péri")
        hit = next(((ea, eb, name) for ea, eb, name in strong
                    if (pred.end() <= ea <= pred.end() + _PREDICATE_SPAN
                        or ea < pred.end() < eb)
                    and (ea, eb) not in consumed), None)
        if hit is not None and not w.joined_verb.search(s, pred.end(), max(pred.end(), hit[0])):
            consumed.add((hit[0], hit[1]))
            return hit[2], 0.2, None
        if w.participle.match(s[pred.end():]) \
                and not w.hedge.match(s, pred.end()):
            # "les deux soldats faits prisonniers ont exprimé ...": prisoners stay
            # prisoners whatever they do next, and the figure counts them
            held = next((e for e in strong if en <= e[0] < pred.end()
                         and e[2] == "captured" and (e[0], e[1]) not in consumed), None)
            if held is not None:
                consumed.add((held[0], held[1]))
                return "captured", 0.1, None
            return "other", 0.0, None  # "2,000 injured soldiers were repatriated"
    rel = w.relative.match(s, en + head_end)
    skip = (rel.start(), rel.end()) if rel else (0, 0)
    strong = [e for e in strong if not skip[0] <= e[0] < skip[1]]
    limit = (head_end + 32) if head != "none" else 40
    if rel is not None:
        limit += rel.end() - rel.start()
    after_ev = next(((ea, eb, name) for ea, eb, name in strong
                     if en <= ea and ea - en <= limit and ea - en < len(after)), None)
    if after_ev is not None and whole_pred is not None and after_ev[0] >= whole_pred.start():
        after_ev = None  # the predicate after the whole is the part's
    if after_ev is not None and head != "none" and w.purpose.search(
            s, en + head_end, max(en + head_end, after_ev[0])):
        # "5,000 builders to restore roads destroyed by shelling": the verb after the purpose
        # is another thing's
        after_ev = None
    if after_ev is not None and head == "people" and after_ev[2] in _GIVING \
            and not (prev is not None and w.whole_after_part.search(before[-40:])):
        # (not the whole of a part before it: "1,000 of the 11,000 troops sent had died")
        toll = _toll_after_modifier(s, strong, after_ev, consumed)
        if toll is not None:
            consumed.add((toll[0], toll[1]))
            return toll[2], 0.15, None
    if not population:
        for ea, eb, name in reversed(strong):
            if eb <= st and st - eb <= 25 and not re.search(r"[,.;:()]", s[eb:st]):
                if name == "losses" and after_ev is not None and after_ev[2] in _SPECIFIC:
                    break  # "lost 1,000 soldiers killed in action"
                consumed.add((ea, eb))
                return name, 0.2, None
    if after_ev is not None:
        consumed.add((after_ev[0], after_ev[1]))
        return after_ev[2], 0.2, None
    if prev is not None and prev.event and w.list_before.search(seg_before[-30:]):
        return prev.event, 0.1, None
    if prev is not None and prev.event and w.and_before.match(seg_before):
        # "1,000 sappers and 5,000 builders": the second figure shares the first's verb
        return prev.event, 0.1, None
    rest = after[skip[1] - en:] if rel is not None else after
    clause_end = (skip[1] if rel is not None else en) + len(
        _clause(re.split(r"[,.;:]", rest)[0]))
    late = next(((ea, eb, name) for ea, eb, name in strong
                 if en <= ea and eb <= clause_end and (ea, eb) not in consumed), None)
    if late is not None and not population:
        # verb-final clauses: "... 300 Soldaten an der Front getötet worden sein"
        consumed.add((late[0], late[1]))
        return late[2], 0.1, None
    if population:
        return "deployed", 0.0, None  # "of the 11,000 troops": the force itself
    if head == "people":
        # "Hundreds of soldiers, fighting beside X near Y, have been killed": the
        # predicate after a participial phrase, with no other figure in between
        for m in w.aux_after.finditer(after):
            hit = next(((ea, eb, name) for ea, eb, name in strong
                        if ea == en + m.end() and (ea, eb) not in consumed), None)
            if hit is not None:
                consumed.add((hit[0], hit[1]))
                return hit[2], 0.1, None
    seg_lo = st - len(seg_before)
    for ea, eb, name in reversed(strong):
        if eb <= st and ea >= seg_lo and st - eb < 140:
            consumed.add((ea, eb))
            return name, 0.15, None
    if w.reach_before.search(seg_before[-30:]):
        # "casualties, first dozens, later passed a thousand"
        for _ea, eb, name in sent.events:
            if eb <= st and name in _CASUALTY_EVENTS:
                return name, 0.0, None
    nm = w.number_of.search(before[-80:])
    if nm:
        em = vocab.event_re.search(lower(nm.group(0)))
        if em and em.lastgroup not in (None, "present"):
            return em.lastgroup, 0.0, None
    return None, 0.0, None


_WHOLE_NUMBER = re.compile(r"\d(?:[\d.,’']|\s(?=\d))*")


def _whole_actor(vocab: Vocabulary, s: str, en: int) -> str | None:
    """"3.000 de los 12.000 soldados enviados por X": a bare part is a part of the whole
    right after it, and the party of the whole's noun phrase is the part's too."""
    m = _words().part_of_whole.match(s, en)
    if m is None:
        return None
    num = _WHOLE_NUMBER.match(s, m.end() - 1)
    if num is None:
        return None
    head, actor, _end = vocab.head(s[num.end():num.end() + 120])
    return actor if head == "people" else None


def _counted_before(vocab: Vocabulary, fig: Figure, before: str, seg_before: str,
                    np_actor: str | None) -> tuple[str, str | None]:
    """What a figure with no noun of its own counts, read from before it (else "none"):
    the people of a "number of" phrase, or a head count whose people a pronoun names
    ("estiment leur nombre à 11 000")."""
    if fig.kind == "number":
        head, actor = _count_of_head(vocab, before)
        if head != "none":
            return head, actor
        np_actor = None
    if _words().their_number.search(seg_before[-60:]):
        return "people", np_actor
    return "none", np_actor


def _count_of_head(vocab: Vocabulary, before: str) -> tuple[str, str | None]:
    """"The number of Ruritanian troops in the region has risen to 4,000": the people named
    in a "number of" phrase before the figure, when no other figure stands between them,
    no event is named there, and the figure is not the size of a change ("risen by")."""
    last = max(vocab.count_of.finditer(before), key=lambda m: m.start(), default=None)
    w = _words()
    if last is None or w.change_by.search(before) or w.figure_like.search(before, last.end()):
        return "none", None
    if any(m.lastgroup not in (None, "present")
           for m in vocab.event_re.finditer(lower(before[last.end():]))):
        return "none", None     # "the number of casualties reached 4,700": the event's count
    head, actor, _end = vocab.head(before[last.end():last.end() + 120])
    return (head, actor) if head == "people" else ("none", None)


def build_frame(vocab: Vocabulary, text: str, fig: Figure, sent: SentenceFacts,
                consumed: set[tuple[int, int]], prev: FrameState | None,
                published: str | None, known: dict[int, SentenceFacts] | None = None,
                last: FrameState | None = None) -> Frame:
    """Read one figure's frame from its sentence (and, for the subject, the one before).

    ``known`` holds the sentences of the text already read, by their start."""
    st = fig.start - sent.start
    en = fig.end - sent.start
    s = sent.text
    finding = Finding(figure=fig, on_topic=sent.on_topic, source=sent.attribution)
    after_full = s[en:]
    # the after-window stops at the next figure of the same sentence
    nxt = _next_figure(sent.low[en + 1:en + 1 + _AFTER + 10])
    after = after_full[: 1 + nxt] if nxt is not None else after_full[:_AFTER]
    if nxt is not None and fig.kind in _SHARE_KINDS and _words().share_of_figure.match(s, en):
        after = after_full[:_AFTER]  # "half of the 11,000 sent": the whole is the share's
    before = s[max(0, st - 160):st]
    seg_before = _segment_before(before, sent.low[max(0, st - 160):st] if sent.plain else None)
    head, np_actor, head_end = vocab.head(after_full[:120])
    if head == "none":
        head, np_actor = _counted_before(vocab, fig, before, seg_before, np_actor)
    if head == "none" and np_actor is None:
        np_actor = _whole_actor(vocab, s, en)

    _period(finding, sent, after_full, seg_before)
    unit = period_unit(finding.period, finding.per_period)
    lo = st - len(before) if prev is None else st - len(seg_before)
    best = _anchor(finding, sent, lo, en + len(after), st, en, published)
    finding.restated = _restated(sent, st, before, after, seg_before, best, published)

    inherit = prev is not None and bool(_words().inherit_before.search(before[-40:]))
    # "estime ce chiffre à 1 100", "puts the figure at 2,000": the figure says again what
    # the last figure of the text (this sentence's, or one before) counted
    # "the number amounts to more than half of the 11,000 sent": a share of the force
    # that the last figure's toll makes up
    same = (prev or last) if head == "none" and (prev or last) is not None and (
        _words().this_figure.search(seg_before[-60:]) or (
            fig.kind in _SHARE_KINDS and _words().share_of_this.search(seg_before[-60:]))
    ) else None
    event: str | None
    if same is not None and same.event is not None:
        subject, conf_s, carried = same.subject, 0.1, prev is None
        event, conf_e, inherited_period = same.event, 0.1, None
    else:
        subject, conf_s, carried = _subject(vocab, text, sent, head, np_actor, inherit, prev,
                                            st, en, known or {})
        event, conf_e, inherited_period = _event(vocab, sent, consumed, prev, finding, head,
                                                 head_end, st, en, before, after, seg_before)
    if np_actor is None and subject is not None and _words().toll_by_agent.search(
            seg_before[-30:]):
        # "Ruritanian missiles killed 24 people": the party named before the verb did
        # the killing; the dead are not its own
        subject = None
    finding.subject = subject
    if inherited_period is not None and not finding.per_period and prev is not None:
        # "daily losses fell to 1,100 from 1,500": the old figure is a rate too
        finding.period, finding.per_period = inherited_period, True
        unit = prev.period_unit
    elif not finding.per_period and prev is not None and prev.period is not None \
            and head == "none" and _words().and_before.match(seg_before):
        # "daily tolls of 1,262 and 1,163": a bare figure joined to a rate is a rate too
        finding.period, finding.per_period = prev.period, True
        unit = prev.period_unit
    weak = event is None
    implied = False
    if event is None and any(name == "present" for _a, _b, name in sent.events):
        event = "deployed"
    if event is None and head in ("people", "strong") and subject not in (None, "mixed") \
            and not _words().unknown_verb_before.search(seg_before[-30:]) \
            and not _words().unknown_verb_after.match(after_full, head_end) \
            and vocab.deploy_context.search(sent.low or lower(s)):
        event, implied = "deployed", True  # "11,000 troops", no verb: the force itself
    if fig.value == 1 and head == "people" and _words().one_person.match(s, en + head_end):
        event = "other"  # "one prisoner told reporters": a person speaks, none is counted
    if head == "strong" and event not in _CASUALTY_EVENTS:
        event = "deployed"
    if head == "shells" and event not in ("losses", "killed_or_wounded", "other"):
        event, weak = "supplied", False  # shells are counted as supplied
    finding.event = event
    conf = 0.5 + conf_s + conf_e + (0.05 if finding.source else 0.0)
    if event == "losses" and _words().ambiguous.search(before[-60:] + after[:40]):
        conf -= 0.1  # "lost 1,000 troops": killed, or killed and wounded?
    return Frame(finding, sent, head, weak, implied, unit, st, en, before, after, seg_before,
                 conf, carried=carried, published=published)
