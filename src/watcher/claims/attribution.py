"""Who a sentence says gave its figures: "according to X", "X said", "said X".

The shapes are grammar (a capitalised name before a reporting verb); the verbs, the
"according to" words and the nouns that end a source's name come from the lexicon.
"""

from __future__ import annotations

import re
from functools import cache

from watcher.claims.dates import FULL_MON
from watcher.claims.lexicon import alt, lexicon

__all__ = ["Attributions", "attributions"]

_AUX = r"(?:has |have |had |also |then |later |now |previously |earlier |first )?"
_SRC_WORD = r"(?:[A-Z][\w'’.&-]*|of|the|for|and|al|de|on|in)"
_SRC_LEAD = re.compile(r"^(?:(?:and|but|while|that|as|so|yet|however|meanwhile|earlier|also|"
                       r"on|in|by|since|last|this|then)\s+)+", re.I)
_SRC_DATE_LEAD = re.compile(rf"^(?:(?:early|late|mid-?)\s*)?{FULL_MON}(?:\s+\d{{1,2}})?"
                            r"(?:,?\s+\d{4})?,?\s+", re.I)
_ATTR_JUNK = re.compile(r"\d|\b(?:were|was|are|is|been|being|have|has|had)$", re.I)
_ATTR_SKIP = frozenset(("it", "he", "she", "they", "this", "that", "which", "who", "there",
                        "we", "i", "you"))


class Attributions:
    """Compiled attribution patterns (one per process)."""

    def __init__(self) -> None:
        lex = lexicon()
        verbs = "(?:" + alt(lex.word_list("attribution_verbs")) + ")"
        nouns = "(?:" + alt(lex.word_list("source_nouns")) + ")"
        nouns_l = "(?:" + alt(lex.word_list("source_nouns_lower")) + ")"
        according = alt(lex.word_list("according"))
        before = (rf"(?<![\w'’.-])(?P<src>(?:[Tt]he |[Aa] |[Aa]n )?(?:[a-z][\w'’-]* ){{0,2}}"
                  rf"[A-Z][\w'’.&-]*(?: {_SRC_WORD}){{0,7}}?(?: (?:[a-z][\w'’-]* ){{0,2}}?"
                  rf"{nouns}){{0,2}}) {_AUX}$")
        lower = (r"(?P<src>(?:the|a|an|some|several|two|three) (?:[a-z][\w'’-]* ){0,3}?"
                 rf"{nouns_l}) {_AUX}$")
        self.before_end = re.compile(before)
        self.lower_end = re.compile(lower)
        self.verb_l = re.compile(rf"\b{verbs}\b")
        self.hint_l = re.compile(rf"\b(?:{according})\b|\b{verbs}\b|\bper ")
        self.according_l = re.compile(rf"\b(?:{according})\b")
        self.according = re.compile(
            rf"\b(?i:{according})\s+(?P<src>[^,.;:()]{{2,80}}?)(?=[,.;:()]|$|"
            r" (?:who|which|that|as|while|and the|but)\b| \d| (?:rund|etwa|"
            r"mehr als|plus de|environ|unos|más de|about|around|some|more than|"
            r"over|nearly|at least)\b)")
        self.after = re.compile(
            r"\b(?:according to|said|says|reported|wrote|told|per|citing|estimated|cited by|"
            r"claimed)\s+(?P<src>(?:the |a |an )?(?:[a-z][\w'’-]* ){0,2}?[A-Z][\w'’.&-]*"
            rf"(?: {_SRC_WORD}){{0,7}}|(?:the |a |an )?(?:[a-z][\w'’-]* ){{0,4}}?"
            rf"{nouns_l})"
            r"(?=\s*(?:[,.;:!?)\"”]|$|on (?:\w+day|\w+ \d)|in a |in an |at a ))")

    def matches(self, text: str, low: str) -> list[re.Match[str]]:
        """Attribution phrases; the costly patterns only run just before a reporting verb."""
        if not self.hint_l.search(low):
            return []
        found: list[re.Match[str]] = []
        if self.according_l.search(low):
            found.extend(self.according.finditer(text))
        for vm in self.verb_l.finditer(low):
            lo = max(0, vm.start() - 110)
            for rx in (self.before_end, self.lower_end):
                m = rx.search(text, lo, vm.start())
                if m:
                    found.append(m)
                    break
        found.extend(self.after.finditer(text))
        return found

    def source(self, text: str, low: str) -> tuple[str | None, list[tuple[int, int]]]:
        """The first named source of a sentence, and the spans of every source phrase."""
        spans: list[tuple[int, int]] = []
        src: str | None = None
        for m in self.matches(text, low):
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
