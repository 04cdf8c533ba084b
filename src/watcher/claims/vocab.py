"""One baseline's vocabulary, compiled: its actors, the lexicon's events and nouns.

Built once per Baseline object. Everything here works on lower-cased text without
IGNORECASE, which is several times faster on long articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from watcher.claims.attribution import attributions
from watcher.claims.dates import ANCHOR_RE_L
from watcher.claims.lexicon import alt, alt_order, lexicon, trie
from watcher.claims.memo import ByIdentity
from watcher.claims.model import Baseline
from watcher.claims.prefilter import Guarded, Prefiltered, lowered
from watcher.claims.scan import Indexed, Scan, Scanner
from watcher.claims.sentences import folds_like_lower, lower

__all__ = ["Mention", "SentenceFacts", "Vocabulary", "vocabulary"]

_AP = r"(?:'s|’s|')?"
_SPACE = r"[\s-]+"


def _literal(term: str) -> str:
    """A literal alias as a pattern: case-folded, possessive allowed, spaces flexible."""
    t = re.escape(term.lower().strip()).replace(r"\ ", r"[\s-]+")
    return t + _AP


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    actor: str
    prepositional: bool


@dataclass(slots=True)
class SentenceFacts:
    """Facts about one sentence, computed once however many figures it holds."""

    text: str
    start: int
    actors: list[Mention] = field(default_factory=list)
    events: list[tuple[int, int, str]] = field(default_factory=list)
    attribution: str | None = None
    attribution_spans: list[tuple[int, int]] = field(default_factory=list)
    anchors: list[tuple[int, int, str, str]] = field(default_factory=list)  # s, e, text, prep
    on_topic: bool = False
    prev_names: frozenset[str] | None = None  # actors of the sentence before, when needed
    prev_lead: str | None = None  # the first possible subject of that sentence
    prev_low: str = ""            # lower() of the sentence the parties were read from
    named: set[str] = field(default_factory=set)  # every party named, sources included
    low: str = ""                 # lower(text)
    plain: bool = False           # low may be searched for text (see folds_like_lower)
    holds: dict[int, bool] = field(default_factory=dict)  # by Guarded: its words are here

    def may_hold(self, guard: Guarded) -> bool:
        """Can ``guard``'s pattern match in the lower-casing of some part of the sentence?
        No only when the sentence holds none of the words it needs."""
        if not self.plain:
            return True
        got = self.holds.get(id(guard))
        if got is None:
            got = self.holds[id(guard)] = guard.may(self.low)
        return got

    def mentions(self, actor: str) -> bool:
        return actor in self.named


class Vocabulary:
    """Precompiled patterns for one baseline."""

    def __init__(self, baseline: Baseline) -> None:
        self.baseline = baseline
        lex = lexicon()
        story = baseline.story
        literals: dict[str, list[str]] = {}
        patterns: dict[str, list[str]] = {}
        people: list[str] = []
        for a in story.actors:
            literals.setdefault(a.name, []).extend(t.lower().strip() for t in a.aliases)
            patterns.setdefault(a.name, []).extend(a.patterns)
            people.extend(t.lower() for t in a.people)
        for c in baseline.claims:
            # a name or date claim's subject_terms describe the sentence ("contingent"),
            # not a party; named.py reads them there
            terms = c.subject_terms if c.kind in ("count", "share", "money") else ()
            literals.setdefault(c.subject, []).extend(t.lower().strip() for t in terms)
        actors: dict[str, list[str]] = {}
        for name in {**literals, **patterns}:
            words = literals.get(name, [])
            pats = ([f"(?:{trie(words).replace(chr(92) + ' ', _SPACE)}){_AP}"] if words
                    else []) + patterns.get(name, [])
            actors[name] = pats
        # The parties most claims are about: named in a source phrase, still the subject.
        counts: dict[str, int] = {}
        for c in baseline.claims:
            counts[c.subject] = counts.get(c.subject, 0) + 1
        top = max(counts.values(), default=0)
        self.main_subjects = frozenset(k for k, n in counts.items() if n == top)
        self.says_after = re.compile(r"\s+(?:" + alt(lex.word_list("says_after")) + ")")
        self.people_aliases = tuple(sorted(set(people), key=len, reverse=True))
        parts = []
        self.actor_names: list[str] = []
        for i, (name, pats) in enumerate(actors.items()):
            parts.append(f"(?P<a{i}>{alt(pats)})")
            self.actor_names.append(name)
        self.actor_re = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])")

        places = alt(_literal(p) for p in story.places) if story.places else None
        events = {k: list(v) for k, v in lex.events.items()}
        if places:
            events.setdefault("present", []).extend([
                rf"(?:{alt(lex.word_list('place_preps'))}) "
                rf"(?:(?:{alt(lex.word_list('place_det'))}) )?(?:{places})",
                rf"(?:{places}) (?:{alt(lex.word_list('place_region'))})"])
        groups = [(n, alt_order(events[n])) for n in events]
        body = "|".join(f"(?P<{n}>{'|'.join(pats) or '(?!)'})" for n, pats in groups)
        self.event_re = re.compile(r"\b(?:" + body + r")(?![\w-])")
        self.events = Prefiltered(body, (p for _n, pats in groups for p in pats), groups)
        extra: list[str] = []
        self.extra_event_names: list[str] = []
        for c in baseline.claims:
            # an additional claim's terms say "more", not what happened
            if c.metric_terms and c.kind in ("count", "share") and c.event \
                    and c.scope == "total" and c.counted == "people":
                self.extra_event_names.append(c.event)
                extra.append(rf"(?P<x{len(extra)}>{trie(t.lower() for t in c.metric_terms)})")
        self.extra_event_re = re.compile(r"\b(?:" + "|".join(extra) + r")(?![\w-])") \
            if extra else None
        self.excludes = {c.id: re.compile(r"\b(?:" + alt(re.escape(t) for t in
                                                         c.exclude_terms) + r")\b", re.I)
                         for c in baseline.claims if c.exclude_terms}
        gate = [*story.topic_terms, *story.places,
                *(t for a in story.actors for t in a.aliases),
                *(t for c in baseline.claims for t in c.subject_terms)]
        # short words must stand alone ("nk", "kpa"); longer ones may start a word
        short = [g.lower() for g in gate if len(g) <= 4]
        longer = [g.lower() for g in gate if len(g) > 4]
        self.gate_re = re.compile(
            rf"\b(?:(?:{trie(short)})\b|{trie(longer)})") if gate else re.compile(r"(?!)")
        self.topic_re = re.compile(alt(_literal(t) for t in story.topic_terms)) \
            if story.topic_terms else self.gate_re
        # whether a sentence is on topic at all: the same terms as one prefix tree (the
        # possessive _literal allows adds nothing to a yes or no)
        self.topic_any = re.compile(
            trie(t.lower().strip() for t in story.topic_terms).replace(chr(92) + " ", _SPACE)) \
            if story.topic_terms else self.gate_re
        context = [*lex.word_list("deploy_context"), *(_literal(p) for p in story.places)]
        self.deploy_context = re.compile(alt(context))
        # an article, or none: "in the X", "à l'armée X"
        article = r"(?:(?:" + alt(lex.word_list("articles")) + r")\s+|l['’])?"
        self.prep_before = re.compile(
            r"(?:\b(?:" + alt(lex.word_list("prep_before")) + r")\s+" + article + r")$", re.I)
        # "between Ruritania and Borduria": the second party is inside the phrase as well
        self.joined = re.compile(
            r"\s*(?:" + alt(lex.word_list("coordinators")) + r")\s+" + article, re.I)
        self.count_of = re.compile(r"\b(?:" + alt(lex.word_list("count_of")) + r")\s*", re.I)
        # a word that makes the party's name before it a thing ("Ruritanian drones"), also
        # as the head of a hyphenated compound ("Ruritanien-Krieg", "Ostrelien-Front")
        self.thing_after = re.compile(
            r"(?:\s+|-)(?:" + alt(lex.word_list("thing_after")) + r")\b")
        # a currency named after a party's name ("US-Dollar", "US dollars") names no party
        self.currency_after = re.compile(
            r"(?:\s+|-)(?:" + alt(lex.word_list("currency_after")) + r")\b")
        self.counted = [(cls, re.compile(rf"(?:{alt(pats)})\b"))
                        for cls, pats in lex.counted.items() if cls not in ("groups", "compound")]
        # "people" last: "artillery shells" is shells although "artillery" could start more
        self.counted.sort(key=lambda cp: cp[0] == "people")
        self.groups = frozenset(lex.counted.get("groups", ()))
        self.compound = re.compile(rf"\s+(?:{alt(lex.counted.get('compound', ()))})\b")
        self.elided = re.compile(r"(?:" + alt(lex.word_list("elided")) + r")['’]")
        # a coordinated figure after a noun phrase: "... et de 1 000", "... y unos 5.000"
        self.coordinated = re.compile(
            r"(?:\s+[\w'’-]+){0,3}?\s+(?:" + alt(lex.word_list("coordinators")) + r")\s+"
            r"(?:de\s+|d['’])?(?:[a-zäöüéèáíóú]+\s+)?\d[\d\s.,]*\s+")
        # a passive participle and its agent after the noun: "sent by X", "envoyés par X"
        self.agent = re.compile(
            r"\s+[\w'’-]+\s+(?:" + alt(lex.word_list("agent_participle")) + r")\s+")
        self.calibre = re.compile(r"\d+(?:[.,]\d+)?\s?-?(?:mm|millimet(?:er|re)s?)\b")
        # "..., said Ruritanian lawmakers": a party named right after a reporting verb
        self.source_lead = re.compile(
            r"(?:[,”\"'’]\s*(?:" + alt(lex.word_list("source_lead_verbs")) + r")|\b(?:"
            + alt(lex.word_list("source_lead")) + r"))\s+(?:(?:"
            + alt(lex.word_list("source_lead_det")) + r")\s+)?$")
        self.adj_re = re.compile(rf"(?:{alt(lex.word_list('adjectives'))})")
        self.no_head = frozenset(lex.word_list("no_head"))
        self.word_re = re.compile(r"[\w'’-]+|[^\w\s]")
        self.head_re = re.compile(
            # a closing quote may end a quoted figure before its noun: '"at least 900" soldiers'
            r"\s*(?:[\"”»]\s*)?(?P<dash>[-–]\s?(?:" + alt(lex.word_list("strong_dash"))
            + r")\b|(?:" + alt(lex.word_list("strong_bare")) + r")\b)?(?P<rest>.*)",
            re.S)
        self.army_words = frozenset(lex.word_list("strong_army"))
        self.strong_army = re.compile(
            r"\s*(?:[\w'’-]+\s+){0,3}?(" + alt([*self.army_words, *lex.word_list("strong_force")])
            + r")\b")
        self.and_words = frozenset(lex.word_list("head_and"))
        # (the adjectives are one story's words, kept here until the baseline can name them)
        self.of_actor = re.compile(
            r"\s+(?:" + alt(lex.word_list("of_actor_prep")) + r")\s+(?:(?:"
            + alt([*lex.word_list("of_actor_det"), "ally", "allied", "neighbouring",
                   "neighboring", "communist", "reclusive", "nuclear-armed"]) + r")\s+){0,3}")
        self._index()

    def _index(self) -> None:
        """The word patterns every sentence is read with, looked for in one pass."""
        self.scanner = Scanner()
        self.actor_ix = self.scanner.add(self.actor_re)
        self.events_ix = self.scanner.add(self.events.stems, self.events.stem_set) \
            if self.events.stems is not None else None
        self.extra_ix = self.scanner.add(self.extra_event_re) \
            if self.extra_event_re is not None else None
        self.anchor_ix = self.scanner.add(ANCHOR_RE_L)
        self.attr_ix = attributions().indexed(self.scanner)
        self.source_lead_g = Guarded(self.source_lead)
        # the same pattern without IGNORECASE, for lower-cased text (see folds_like_lower)
        twin = lowered(self.prep_before.pattern)
        self.prep_before_l = re.compile(twin) if twin is not None else None

    def _prep_before(self, text: str, low: str, lo: int, hi: int, plain: bool) -> bool:
        """``prep_before.search(text, lo, hi)``, on the lower-cased text when ``plain``."""
        if self.prep_before_l is not None and plain:
            return self.prep_before_l.search(low, lo, hi) is not None
        return self.prep_before.search(text, lo, hi) is not None

    def _inside_phrase(self, text: str, low: str, m: re.Match[str], plain: bool,
                       before: list[Mention]) -> bool:
        """A party named inside a prepositional phrase ("in Ruritania"), as a modifier of a
        thing ("Ruritanian drones"), or joined by "and" to one that is ("between Ruritania
        and Borduria"): not a subject. ``before``: the sentence's mentions so far."""
        start = m.start()
        if self._prep_before(text, low, max(0, start - 22), start, plain) \
                or self.thing_after.match(low, m.end()):
            return True
        if not before or not before[-1].prepositional:
            return False
        j = self.joined.match(text, before[-1].end, start)
        return j is not None and j.end() == start

    # -- sentence facts ------------------------------------------------------------------

    def actor_at(self, m: re.Match[str]) -> str:
        return self.actor_names[int((m.lastgroup or "a0")[1:])]

    def sentence(self, text: str, start: int) -> SentenceFacts:
        s = SentenceFacts(text, start)
        s.low = low = lower(text)
        scan = self.scanner.scan(low)
        s.attribution, spans = attributions().source(text, low, scan, self.attr_ix)
        s.attribution_spans = spans
        s.plain = plain = folds_like_lower(text)
        for m in self.actor_ix.finditer(low, scan):
            if self.currency_after.match(low, m.end()):
                continue
            name = self.actor_at(m)
            s.named.add(name)
            if self.source_lead_g.search(low, max(0, m.start() - 20), m.start()):
                continue
            if any(a <= m.start() < b for a, b in spans) and (
                    name not in self.main_subjects or self.says_after.match(text, m.end())):
                continue  # "Ruritania's spy agency said": the source, not the subject
            prep = self._inside_phrase(text, low, m, plain, s.actors)
            s.actors.append(Mention(m.start(), m.end(), name, prep))
        offsets = self.events_ix.offsets(scan) if self.events_ix is not None else None
        for m in self.events.finditer(low, offsets):
            name = m.lastgroup or ""
            if name == "losses" and re.match(r"lost (?:their|his) lives", m.group(0)):
                name = "killed"
            s.events.append((m.start(), m.end(), name))
        if self.extra_ix is not None:
            self._extra_events(low, s, scan, self.extra_ix)
        for m in self.anchor_ix.finditer(low, scan):
            word = m.group("prep") or m.group("a")
            s.anchors.append((m.start(), m.end(), text[m.start():m.end()], word))
        s.on_topic = bool(self.topic_any.search(low))
        return s

    def parties(self, text: str, read: SentenceFacts | None = None
                ) -> tuple[frozenset[str], frozenset[str]]:
        """The parties a sentence names as possible subjects, and all it names: the cheap
        reading of a neighbouring sentence, without events, sources or dates.

        ``read``, the facts of a sentence already read, answers when it is this one: its
        actors that are not a thing's modifier are the same parties."""
        subjects, named = self.subject_order(text, read)
        return frozenset(subjects), named

    def subject_order(self, text: str, read: SentenceFacts | None = None
                      ) -> tuple[tuple[str, ...], frozenset[str]]:
        """The parties of ``parties``, the possible subjects in the order the sentence
        names them: the first is the one a following sentence most likely goes on about."""
        if read is not None and read.text == text:
            return (tuple(dict.fromkeys(a.actor for a in read.actors if not a.prepositional)),
                    frozenset(read.named))
        low = lower(text)
        scan = self.scanner.scan(low)
        subjects: dict[str, None] = {}
        named: set[str] = set()
        _src, spans = attributions().source(text, low, scan, self.attr_ix)
        plain = folds_like_lower(text)
        seen: list[Mention] = []
        for m in self.actor_ix.finditer(low, scan):
            if self.currency_after.match(low, m.end()):
                continue
            name = self.actor_at(m)
            named.add(name)
            if any(a <= m.start() < b for a, b in spans) and (
                    name not in self.main_subjects or self.says_after.match(text, m.end())):
                continue  # the source of the sentence's figures, not their subject
            inside = self._inside_phrase(text, low, m, plain, seen)
            seen.append(Mention(m.start(), m.end(), name, inside))
            if not (inside or self.source_lead_g.search(low, max(0, m.start() - 20), m.start())):
                subjects.setdefault(name)
        return tuple(subjects), frozenset(named)

    def _extra_events(self, low: str, s: SentenceFacts, scan: Scan, ix: Indexed) -> None:
        """A claim's own terms add words the lexicon lacks, or claim one it leaves to none."""
        for m in ix.finditer(low, scan):
            over = [e for e in s.events if e[0] < m.end() and m.start() < e[1]]
            if any(e[2] != "other" or e[0] < m.start() or e[1] > m.end() for e in over):
                continue
            for e in over:
                s.events.remove(e)
            s.events.append((m.start(), m.end(),
                             self.extra_event_names[int((m.lastgroup or "x0")[1:])]))
        s.events.sort()

    # -- what a figure counts ------------------------------------------------------------

    def head(self, after: str) -> tuple[str, str | None, int]:
        """Classify what follows a figure.

        Returns (class, actor named in the noun phrase, end offset of the phrase); the class
        is a lexicon counted class, or strong / strong_army / mixed / other / none.
        """
        after = lower(after)
        m = self.head_re.match(after)
        assert m is not None
        if m.group("dash"):
            rest = m.group("rest")
            mm = self.strong_army.match(rest)
            if mm and mm.group(1) in self.army_words:
                return "strong_army", None, m.end("dash")
            return "strong", self.actor_in(rest[:60]), m.end("dash")
        pos = m.start("rest")
        actor: str | None = None
        actors: set[str] = set()
        for _ in range(8):
            while pos < len(after) and after[pos] in " \t\n":
                pos += 1
            if pos >= len(after):
                break
            am = self.actor_re.match(after, pos)
            if am:
                name = self.actor_at(am)
                actors.add(name)
                actor = name
                pos = am.end()
                # "3,000 Ruritanians": a demonym names people themselves
                if self._names_people(am.group(0)):
                    return ("people" if len(actors) == 1 else "mixed"), actor, pos
                continue
            cm = self.calibre.match(after, pos) or self.elided.match(after, pos)
            if cm:  # "3 million 152mm shells", "des millions d'obus"
                pos = cm.end()
                continue
            for cls, rx in self.counted:
                pm = rx.match(after, pos)
                if pm:
                    end = pm.end()
                    if self.compound.match(after, end):
                        return "other", actor, end  # "20,000 ammunition containers"
                    if len(actors) > 1:
                        return "mixed", actor, end
                    if actor is None:
                        # "11.000 soldados norcoreanos": the party's adjective after the noun
                        pa = self.actor_re.match(after, end + 1) if after[end:end + 1] == " " \
                            else None
                        if pa:
                            actor = self.actor_at(pa)
                    if actor is None:  # "10 000 soldats envoyés par le régime de X"
                        ag = self.agent.match(after, end)
                        if ag:
                            a3 = self.actor_re.search(after, ag.end(), ag.end() + 40)
                            if a3:
                                actor = self.actor_at(a3)
                    if actor is None:  # "1,000 troops from X" / "of X's army"
                        om = self.of_actor.match(after, end)
                        if om:
                            a2 = self.actor_re.match(after, om.end())
                            if a2:
                                actor = self.actor_at(a2)
                    if actor is None:
                        actor = self._coordinated_actor(after, end)
                    if cls == "people" and pm.group(0) in self.groups:
                        return "other", actor, end
                    return cls, actor, end
            wm = self.word_re.match(after, pos)
            if not wm:
                break
            w = wm.group(0)
            if w in self.and_words and actors:
                pos = wm.end()
                continue
            if w in self.no_head or not w[0].isalpha():
                return ("mixed" if len(actors) > 1 else "none"), actor, pos
            if self.adj_re.fullmatch(w) or (w.endswith("ly") and len(w) > 4):
                pos = wm.end()  # "11,000 well-trained troops", "5,000 apparently ..."
                continue
            return "other", actor, wm.end()
        return ("mixed" if len(actors) > 1 else "none"), actor, pos

    def _coordinated_actor(self, after: str, end: int) -> str | None:
        """"5 000 ouvriers et 1 000 sapeurs nord-coréens", "1.000 ingenieros y 5.000
        trabajadores norcoreanos": the party right after a coordinated figure's noun names
        the first noun phrase's people too."""
        m = self.coordinated.match(after, end)
        if m is None:
            return None
        wm = self.word_re.match(after, m.end())
        if wm is None or not wm.group(0)[0].isalpha():
            return None
        am = self.actor_re.match(after, wm.end() + 1) if after[wm.end():wm.end() + 1] == " " \
            else None
        return self.actor_at(am) if am else None

    def _names_people(self, mention: str) -> bool:
        low = mention.lower()
        return any(low == p or low.endswith(" " + p) for p in self.people_aliases)

    def actor_in(self, text: str) -> str | None:
        m = self.actor_re.search(lower(text))
        return self.actor_at(m) if m else None


# one compiled vocabulary per baseline object (hashing all claims per call is slow)
vocabulary: ByIdentity[Baseline, Vocabulary] = ByIdentity(Vocabulary)
