"""Who a sentence says gave its figures: "according to X", "X said", "said X".

The shapes are grammar (a capitalised name before a reporting verb); the verbs, the
"according to" words and the nouns that end a source's name come from the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from watcher.claims.dates import FULL_MON
from watcher.claims.lexicon import alt, lexicon
from watcher.claims.scan import Indexed, Scan, Scanner
from watcher.claims.sentences import folds_like_lower

__all__ = ["Attributions", "Indexes", "attributions"]

_AUX = r"(?:has |have |had |also |then |later |now |previously |earlier |first )?"
_SRC_WORD = r"(?:[A-Z][\w'’.&-]*|of|the|for|and|al|de|on|in)"
_SRC_LEAD = re.compile(r"^(?:(?:and|but|while|that|as|so|yet|however|meanwhile|earlier|also|"
                       r"on|in|by|since|last|this|then)\s+)+", re.I)
_SRC_DATE_LEAD = re.compile(rf"^(?:(?:early|late|mid-?)\s*)?{FULL_MON}(?:\s+\d{{1,2}})?"
                            r"(?:,?\s+\d{4})?,?\s+", re.I)
_ATTR_JUNK = re.compile(r"\d|\b(?:were|was|are|is|been|being|have|has|had)$", re.I)
_ATTR_SKIP = frozenset(("it", "he", "she", "they", "this", "that", "which", "who", "there",
                        "we", "i", "you"))


@dataclass(frozen=True, slots=True)
class Indexes:
    """The word patterns of attribution, as one scanner looks for them."""

    hint: Indexed
    according: Indexed
    verb: Indexed
    after: Indexed
    according_text: Indexed  # self.according, on the text, where ``according`` may start


class Attributions:
    """Compiled attribution patterns (one per process)."""

    def __init__(self) -> None:
        lex = lexicon()
        verbs = "(?:" + alt(lex.word_list("attribution_verbs")) + ")"
        nouns = "(?:" + alt(lex.word_list("source_nouns")) + ")"
        nouns_l = "(?:" + alt(lex.word_list("source_nouns_lower")) + ")"
        according = alt(lex.word_list("according"))
        # "X said", "X (ABBR) said", "X «estimait": the source ends right before the verb
        before = (rf"(?<![\w'’.-])(?P<src>(?:[Tt]he |[Aa] |[Aa]n )?(?:[a-z][\w'’-]* ){{0,2}}"
                  rf"[A-Z][\w'’.&-]*(?: {_SRC_WORD}){{0,7}}?(?: (?:[a-z][\w'’-]* ){{0,2}}?"
                  rf"{nouns}){{0,2}}(?: \([A-Z][\w.&-]{{1,10}}\))?)\)?\s(?:[«\"“„]\s?)?{_AUX}$")
        lower = (r"(?P<src>(?:the|a|an|some|several|two|three) (?:[a-z][\w'’-]* ){0,3}?"
                 rf"{nouns_l}) {_AUX}$")
        self.before_end = re.compile(before)
        self.lower_end = re.compile(lower)
        self.verb_l = re.compile(rf"\b{verbs}\b")
        post = alt(lex.word_list("according_after"))
        self.hint_l = re.compile(rf"\b(?:{according}|{post})\b|\b{verbs}\b|\bper ")
        # "Schätzungen des Geheimdienstes zufolge": the source is the phrase before
        self.according_post = re.compile(rf"(?P<src>[^,.;:()]{{2,80}}?)\s+(?:{post})\b")
        self.post_l = re.compile(rf"\b(?:{post})\b")
        self.according_l = re.compile(rf"\b(?:{according})\b")
        self.according = re.compile(
            # (a parenthesised abbreviation ends the source too: "le NIS (NIS)")
            rf"\b(?i:{according})\s+(?P<src>[^,.;:()]{{2,80}}?(?:\s*\([A-Z][\w.&-]{{1,10}}\))?)"
            r"(?=[,.;:()]|$|"
            r" (?:who|which|that|as|while|and the|but)\b| \d| (?:rund|etwa|"
            r"mehr als|plus de|environ|unos|más de|about|around|some|more than|"
            r"over|nearly|at least)\b)")
        self.after = re.compile(
            r"\b(?:according to|said|says|reported|wrote|told|per|citing|estimated|cited by|"
            r"claimed)\s+(?P<src>(?:the |a |an )?(?:[a-z][\w'’-]* ){0,2}?[A-Z][\w'’.&-]*"
            rf"(?: {_SRC_WORD}){{0,7}}|(?:the |a |an )?(?:[a-z][\w'’-]* ){{0,4}}?"
            rf"{nouns_l})"
            r"(?=\s*(?:[,.;:!?)\"”]|$|on (?:\w+day|\w+ \d)|in a |in an |at a ))")
        self._plain = Indexes(Indexed(self.hint_l, None), Indexed(self.according_l, None),
                              Indexed(self.verb_l, None), Indexed(self.after, None),
                              Indexed(self.according, None))

    def indexed(self, scanner: Scanner) -> Indexes:
        """The word patterns above, as a vocabulary's scanner looks for them."""
        according = scanner.add(self.according_l)
        # "according to X" starts where its lower-cased first words do
        return Indexes(scanner.add(self.hint_l), according, scanner.add(self.verb_l),
                       scanner.add(self.after), Indexed(self.according, according.id))

    def matches(self, text: str, low: str, scan: Scan | None = None,
                ix: Indexes | None = None) -> list[re.Match[str]]:
        """Attribution phrases; the costly patterns only run just before a reporting verb.

        ``scan`` (of ``low``, by the scanner ``ix`` belongs to) only makes it faster."""
        if ix is None:
            ix = self._plain
        if not ix.hint.search(low, scan):
            return []
        found: list[re.Match[str]] = []
        if ix.according.search(low, scan):
            found.extend(ix.according_text.finditer(
                text, scan if folds_like_lower(text) else None))
        for vm in ix.verb.finditer(low, scan):
            lo = max(0, vm.start() - 110)
            for rx in (self.before_end, self.lower_end):
                m = rx.search(text, lo, vm.start())
                if m:
                    found.append(m)
                    break
        found.extend(ix.after.finditer(text, scan))
        if self.post_l.search(low):
            found.extend(self.according_post.finditer(text))
        return found

    def source(self, text: str, low: str, scan: Scan | None = None,
               ix: Indexes | None = None) -> tuple[str | None, list[tuple[int, int]]]:
        """The first named source of a sentence, and the spans of every source phrase."""
        spans: list[tuple[int, int]] = []
        src: str | None = None
        for m in self.matches(text, low, scan, ix):
            cand = m.group("src").strip(" \"'“”‘’,")
            cand = _SRC_LEAD.sub("", cand)
            cand = _SRC_DATE_LEAD.sub("", cand)
            if (not cand or cand.lower() in _ATTR_SKIP or _ATTR_JUNK.search(cand)
                    or len(cand) > 90 or cand.split()[0].lower() in _ATTR_SKIP):
                continue
            spans.append((m.start("src"), m.end("src")))
            if src is None:
                src = cand
        return src, spans


@cache
def attributions() -> Attributions:
    return Attributions()
