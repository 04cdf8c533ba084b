"""Baseline claims, and matching the figures of a text to them.

The figure extractor (watcher.figures) says *what* a number is; this module decides
*what it counts*: whose soldiers (subject), what happened to them (event), over which
period, according to whom, and whether the text repeats an older figure. A figure is tied
to a claim only when subject, metric and unit all agree, because a false alarm ("600 killed"
read as a revision of "3,000 killed or wounded") costs more than a missed figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watcher.config import read_toml
from watcher.errors import ConfigError
from watcher.figures import QUALIFIERS, Figure, extract_figures

__all__ = [
    "CLAIM_KINDS",
    "METRICS",
    "Baseline",
    "Claim",
    "ClaimValue",
    "Finding",
    "analyze",
    "load_baseline",
]

CLAIM_KINDS = ("count", "share", "name", "date")

# Matching rule per metric: what kind of figure it takes. The rules themselves live in
# _Matcher; a baseline may only use metrics listed here.
METRICS: dict[str, str] = {
    "deployed": "count",
    "additional_deployed": "count",
    "killed_or_wounded": "count",
    "killed": "count",
    "wounded": "count",
    "captured": "count",
    "casualty_share": "share",
    "losses": "count",
    "ammo_share": "share",
    "factories": "count",
    "shells_supplied": "count",
    "artillery_lost": "count",
    "payments": "count",
    "commander": "name",
    "withdrawal": "date",
    "return": "date",
    "visit": "date",
    "combat_start": "date",
    "arrival": "date",
}
PERIODS = ("day", "week", "month")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ISO_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class ClaimValue:
    """One stated value of a claim (the baseline one, or another seed's figure)."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    value_text: str | None = None
    as_of: str | None = None
    source: str | None = None
    attributed_to: str | None = None
    note: str | None = None
    superseded: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure the story is told with, as the seeds state it."""

    id: str
    statement: str
    subject: str
    metric: str
    kind: str
    unit: str
    source: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    value_text: str | None = None
    as_of: str | None = None
    attributed_to: str | None = None
    per: str | None = None
    subject_terms: tuple[str, ...] = ()
    metric_terms: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    values: tuple[ClaimValue, ...] = ()

    @property
    def has_value(self) -> bool:
        """False for claims the seeds name without a figure (the first one seen is news)."""
        return (self.value is not None or self.low is not None or self.high is not None
                or self.value_text is not None)

    def all_values(self) -> tuple[ClaimValue, ...]:
        """The baseline value first, then the other stated values (superseded ones too)."""
        own = ClaimValue(self.value, self.low, self.high, self.qualifier, self.value_text,
                         self.as_of, self.source, self.attributed_to)
        return ((own,) if self.has_value else ()) + self.values

    def current_values(self) -> tuple[ClaimValue, ...]:
        """The values a new figure may confirm: superseded history left out."""
        return tuple(v for v in self.all_values() if not v.superseded)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The claims of one baseline file."""

    claims: tuple[Claim, ...]
    path: Path | None = None

    def get(self, claim_id: str) -> Claim | None:
        for c in self.claims:
            if c.id == claim_id:
                return c
        return None

    def by_metric(self, subject: str, metric: str) -> Claim | None:
        for c in self.claims:
            if c.metric == metric and c.subject == subject:
                return c
        return None


@dataclass(slots=True)
class Finding:
    """A figure plus what the text says it counts; claim is None when nothing matched."""

    figure: Figure
    claim: str | None = None
    subject: str | None = None
    event: str | None = None
    period: str | None = None
    per_period: bool = False
    source: str | None = None
    refers_to: str | None = None
    restated: bool = False
    on_topic: bool = False
    confidence: float = 0.0
    value_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        f = self.figure
        return {
            "text": f.text, "start": f.start, "end": f.end, "kind": f.kind,
            "value": f.value, "low": f.low, "high": f.high, "qualifier": f.qualifier,
            "change": f.change, "unit": f.unit, "sentence": f.sentence,
            "claim": self.claim, "subject": self.subject, "source": self.source,
            "event": self.event, "period": self.period, "per_period": self.per_period,
            "refers_to": self.refers_to, "restated": self.restated,
            "on_topic": self.on_topic, "confidence": round(self.confidence, 3),
            "value_text": self.value_text,
        }


# --------------------------------------------------------------------------- loading

_STR_KEYS = ("id", "statement", "subject", "metric", "kind", "unit", "source", "qualifier",
             "value_text", "as_of", "attributed_to", "per")
_NUM_KEYS = ("value", "low", "high")
_LIST_KEYS = ("subject_terms", "metric_terms", "exclude_terms")
_REQUIRED = ("id", "statement", "subject", "metric", "kind", "unit", "source")
_VALUE_KEYS = frozenset(("value", "low", "high", "qualifier", "value_text", "as_of", "source",
                         "attributed_to", "note", "superseded"))
_CLAIM_KEYS = frozenset((*_STR_KEYS, *_NUM_KEYS, *_LIST_KEYS, "values"))


def _num_or_none(path: Path, key: str, raw: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ConfigError(path, key, "must be a number")
    return float(raw)


def _str_or_none(path: Path, key: str, raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(path, key, "must be a non-empty string")
    return raw.strip()


def _values(path: Path, key: str, table: dict[str, Any], kind: str
            ) -> tuple[float | None, float | None, float | None, str, str | None]:
    """Normalise value/low/high/qualifier the way figures are: exact -> low == high."""
    value = _num_or_none(path, f"{key}.value", table.get("value"))
    low = _num_or_none(path, f"{key}.low", table.get("low"))
    high = _num_or_none(path, f"{key}.high", table.get("high"))
    qualifier = _str_or_none(path, f"{key}.qualifier", table.get("qualifier")) or "exact"
    if qualifier not in QUALIFIERS:
        raise ConfigError(path, f"{key}.qualifier", f"must be one of {', '.join(QUALIFIERS)}")
    value_text = _str_or_none(path, f"{key}.value_text", table.get("value_text"))
    if kind in ("name", "date"):
        if value is not None or low is not None or high is not None:
            raise ConfigError(path, f"{key}.value",
                              f"a {kind} claim takes value_text, not a number")
        if kind == "date" and value_text is not None and not _ISO_RE.match(value_text):
            raise ConfigError(path, f"{key}.value_text",
                              "must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
        return None, None, None, qualifier, value_text
    if value_text is not None:
        raise ConfigError(path, f"{key}.value_text", f"a {kind} claim takes numbers")
    if qualifier in ("more_than", "at_least"):
        low = low if low is not None else value
        if low is None or high is not None:
            raise ConfigError(path, f"{key}.low", f"'{qualifier}' needs low and no high")
    elif qualifier in ("less_than", "at_most"):
        high = high if high is not None else value
        if high is None or low is not None:
            raise ConfigError(path, f"{key}.high", f"'{qualifier}' needs high and no low")
    elif value is not None:
        if (low is not None and low != value) or (high is not None and high != value):
            raise ConfigError(path, f"{key}.value", "value disagrees with low/high")
        low = high = value
    elif (low is None) != (high is None):
        raise ConfigError(path, f"{key}.low", "a range needs both low and high")
    if low is not None and high is not None and low > high:
        raise ConfigError(path, f"{key}.low", "must not exceed high")
    return value, low, high, qualifier, None


def _terms(path: Path, key: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) and t.strip() for t in raw):
        raise ConfigError(path, key, "must be a list of non-empty strings")
    return tuple(t.strip() for t in raw)


def _claim(path: Path, i: int, table: Any) -> Claim:
    key = f"claims[{i}]"
    if not isinstance(table, dict):
        raise ConfigError(path, key, "must be a table")
    for k in table:
        if k not in _CLAIM_KEYS:
            raise ConfigError(path, f"{key}.{k}", "unknown key")
    for k in _REQUIRED:
        if k not in table:
            raise ConfigError(path, f"{key}.{k}", "is required")
    s = {k: _str_or_none(path, f"{key}.{k}", table.get(k)) for k in _STR_KEYS}
    cid = s["id"] or ""
    if not _ID_RE.match(cid):
        raise ConfigError(path, f"{key}.id", "must be lower-case letters, digits and '-'")
    kind = s["kind"] or ""
    if kind not in CLAIM_KINDS:
        raise ConfigError(path, f"{key}.kind", f"must be one of {', '.join(CLAIM_KINDS)}")
    metric = s["metric"] or ""
    if metric not in METRICS:
        raise ConfigError(path, f"{key}.metric", f"must be one of {', '.join(METRICS)}")
    if METRICS[metric] != kind:
        raise ConfigError(path, f"{key}.kind", f"metric '{metric}' takes kind "
                          f"'{METRICS[metric]}'")
    if s["per"] is not None and s["per"] not in PERIODS:
        raise ConfigError(path, f"{key}.per", f"must be one of {', '.join(PERIODS)}")
    if s["as_of"] is not None and not _ISO_RE.match(s["as_of"]):
        raise ConfigError(path, f"{key}.as_of", "must be an ISO date: YYYY, YYYY-MM or "
                          "YYYY-MM-DD")
    value, low, high, qualifier, value_text = _values(path, key, table, kind)
    extra: list[ClaimValue] = []
    raw_values = table.get("values", [])
    if not isinstance(raw_values, list):
        raise ConfigError(path, f"{key}.values", "must be an array of tables")
    for j, vt in enumerate(raw_values):
        vkey = f"{key}.values[{j}]"
        if not isinstance(vt, dict):
            raise ConfigError(path, vkey, "must be a table")
        for k in vt:
            if k not in _VALUE_KEYS:
                raise ConfigError(path, f"{vkey}.{k}", "unknown key")
        v, lo, hi, q, vtxt = _values(path, vkey, vt, kind)
        if v is None and lo is None and hi is None and vtxt is None:
            raise ConfigError(path, vkey, "needs a value, low/high or value_text")
        superseded = vt.get("superseded", False)
        if not isinstance(superseded, bool):
            raise ConfigError(path, f"{vkey}.superseded", "must be true or false")
        as_of = _str_or_none(path, f"{vkey}.as_of", vt.get("as_of"))
        if as_of is not None and not _ISO_RE.match(as_of):
            raise ConfigError(path, f"{vkey}.as_of", "must be an ISO date")
        extra.append(ClaimValue(v, lo, hi, q, vtxt, as_of,
                                _str_or_none(path, f"{vkey}.source", vt.get("source")),
                                _str_or_none(path, f"{vkey}.attributed_to",
                                             vt.get("attributed_to")),
                                _str_or_none(path, f"{vkey}.note", vt.get("note")),
                                superseded))
    return Claim(
        id=cid, statement=s["statement"] or "", subject=s["subject"] or "", metric=metric,
        kind=kind, unit=s["unit"] or "", source=s["source"] or "", value=value, low=low,
        high=high, qualifier=qualifier, value_text=value_text, as_of=s["as_of"],
        attributed_to=s["attributed_to"], per=s["per"],
        subject_terms=_terms(path, f"{key}.subject_terms", table.get("subject_terms")),
        metric_terms=_terms(path, f"{key}.metric_terms", table.get("metric_terms")),
        exclude_terms=_terms(path, f"{key}.exclude_terms", table.get("exclude_terms")),
        values=tuple(extra),
    )


def load_baseline(path: Path) -> Baseline:
    """Read and check a baseline file; every problem is a ConfigError naming file and key."""
    path = Path(path)
    doc = read_toml(path, missing="no such file (set baseline = ... in the config)")
    for k in doc:
        if k != "claims":
            raise ConfigError(path, k, "unknown key (only [[claims]] tables are allowed)")
    tables = doc.get("claims", [])
    if not isinstance(tables, list):
        raise ConfigError(path, "claims", "must be an array of tables ([[claims]])")
    claims: list[Claim] = []
    seen: set[str] = set()
    for i, t in enumerate(tables):
        c = _claim(path, i, t)
        if c.id in seen:
            raise ConfigError(path, f"claims[{i}].id", f"duplicate id '{c.id}'")
        seen.add(c.id)
        claims.append(c)
    return Baseline(tuple(claims), path)


# --------------------------------------------------------------------------- vocabulary

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NUM = {m: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_NUM.update({m[:3]: i + 1 for i, m in enumerate(_MONTHS)})
_MONTH_NUM["sept"] = 9
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_FULL_MON = r"(?:" + "|".join(_MONTHS) + r")"

_AP = r"(?:'s|’s|')?"
# Built-in subject vocabulary; a claim's subject_terms add to the subject it names.
_ACTORS: dict[str, tuple[str, ...]] = {
    "South Korea": (r"south[- ]korea(?:ns|n)?" + _AP, r"seoul" + _AP, r"\bnis\b",
                    r"südkorea\w*", r"surcoreana?", r"séoul", r"corée du sud",
                    r"national intelligence service", r"\bjcs\b", r"joint chiefs of staff"),
    "North Korea": (r"north[- ]korea(?:ns|n)?" + _AP, r"n\.\s?korea(?:ns|n)?" + _AP,
                    r"\bdprk" + _AP, r"pyongyang" + _AP, r"\bkpa\b",
                    r"korean people['’]?s army", r"kim jong[- ]un" + _AP,
                    r"(?<!south )(?<!south-)\bkoreans?\b(?! peninsula)",
                    r"kim['’]s regime", r"\bnk(?![\w-])",
                    r"the north['’]s",
                    r"the north(?= (?:had|has|have|is|was|sent|suffered|lost|deployed|could|"
                    r"will|would|may|plans|dispatched|shipped|supplied))",
                    r"nordkorea(?:s|nische[nrm]?|ner)?",
                    r"nord-cor[ée]ens?(?:nes?)?", r"corea del norte", r"norcoreanos?",
                    r"corée du nord"),
    "Russia": (r"russia(?:ns|n)?" + _AP, r"moscow" + _AP, r"kremlin" + _AP, r"putin" + _AP,
               r"\brf\b", r"russland", r"russie", r"rusia", r"moskau", r"moscou",
               r"russische[nrm]?", r"russes?", r"rusos?"),
    "Ukraine": (r"ukrain(?:ians|ian|e)" + _AP, r"kyiv" + _AP, r"\bkiev" + _AP,
                r"zelensk(?:yy|iy|y|i)" + _AP, r"kiew", r"ukrainische[nrm]?",
                r"ukrainiens?", r"ucrania(?:nos?)?"),
    "United States": (r"\bu\.?s\.?(?= )", r"united states", r"american", r"pentagon",
                      r"washington"),
}
_PEOPLE = (r"soldiers?|troops?|servicem[ae]n|service ?members|military personnel|personnel|"
           r"fighters?|m[ae]n|troopers?|infantry(?:m[ae]n)?|commandos?|special forces|forces|"
           r"conscripts?|recruits?|mercenaries|combatants?|officers|koreans|people|"
           r"casualties|dead|killed|wounded|injured|prisoners?|pows?|captives?|soldiers'|"
           r"members|militarymen|boots|servicepeople|units?|contingent|battalions?|brigades?|"
           r"deaths|fatalities|losses|others|reinforcements|replacements|engineers|sappers|"
           r"deminers|soldaten|soldats|soldados|truppen|troupes|tropas|militaires|militares|"
           r"efectivos|hommes|mann|kämpfer|combattants|combatientes|comrades|compatriots|"
           r"blessés|tués|morts|heridos|muertos|verwundete|tote|gefallene|getötete")
_FACTORY = (r"(?:(?:arms|munitions|weapons|ammunition|defen[cs]e|military|shell|artillery|"
            r"missile|drone)\s+)?(?:factories|factory|plants|enterprises|production lines|"
            r"workshops)")
_SHELLS = (r"(?:artillery|mortar|tank|howitzer)(?: and (?:artillery|mortar))? "
           r"(?:shells?|rounds?)|shells?|rounds?|munitions|projectiles|"
           r"ammunition|ammo|artillery rounds")
_ARTILLERY = r"artillery systems|artillery pieces|guns|howitzers|artillery"
_ADJ = (r"additional|more|other|further|extra|new|fresh|elite|regular|combat|special|"
        r"trained|highly|well|ethnic|active|reserve|young|frontline|front-line|infantry|"
        r"military|of|the|its|their|his|her|these|those|them|whom|which|all|some|such|"
        r"professional|experienced|armed|kpa|dprk|army|operation|operations|storm|assault|"
        r"and|or|mortar|arms|weapons|defence|defense|sapper|combat-ready|"
        r"nordkoreanische[nrm]?|südkoreanische[nrm]?|russische[nrm]?|ukrainische[nrm]?|"
        r"weitere|zusätzliche|autres|otros|nuevos|nouveaux|de|des|los|las|die|der")

# Events: combined casualty phrases are checked before single words.
_EVENT_PATTERNS: tuple[tuple[str, str], ...] = (
    # ambiguous pairs and vague verbs: an event, but no claim's
    ("other", r"(?:captured|taken prisoner|taken captive)\s+or\s+killed|"
              r"killed\s+or\s+(?:captured|taken prisoner)|eliminat(?:ed|ing)|neutrali[sz]ed|"
              r"liquidated|destroyed|wiped out|took out|taken out"),
    ("killed_or_wounded",
     r"(?:killed|dead|died)(?:,)?\s+(?:or|and|and/or)\s+(?:wounded|injured)|"
     r"(?:wounded|injured)(?:,)?\s+(?:or|and)\s+(?:killed|dead)|dead and injured|"
     r"killed, wounded|out of action|killed, injured|getötet oder verwundet|"
     r"getötet und verwundet|tot oder verwundet|tués ou blessés|tués et blessés|"
     r"(?:han )?muerto o (?:resultado )?heridos|muertos o heridos|muertos y heridos"),
    ("casualties", r"casualt(?:y|ies)|(?<!death )\btolls?\b"),
    ("losses", r"loss(?:es)?|los(?:e|es|ing|t)\b|verliert|verloren|verluste|perd|perdu|"
               r"pertes|pierde|perdido|pérdidas"),
    ("killed", r"killed(?: in action)?|\bdead\b|deaths?|died|dying|fatalit(?:y|ies)|"
               r"getötet|gefallen|tot|tués?|morts?|muertos?|han muerto|fallecidos?|"
               r"lost (?:their|his) lives|perished|death tolls?|\bkia\b|slain|bodies|"
               r"body count"),
    ("wounded", r"wounded|injured|injur(?:y|ies)|hurt|hospitali[sz]ed|"
                r"treated (?:in|at) (?:\w+ )?(?:hospitals?|clinics?)|verwundet|verletzt|"
                r"blessés?|heridos?"),
    ("captured", r"captured|capture|taken prisoner|taken captive|prisoners?(?: of war)?|"
                 r"\bpows?\b|captivity|surrendered|captives?"),
    ("deployed", r"deploy(?:ed|s|ing|ment|ments)?|(?<!be )sent(?! home| back)|"
                 r"send(?:s|ing)?(?! home| back)|"
                 r"reached (?:the )?(?:kursk|russia|front|border|frontline)|"
                 r"moved (?:in|into|to)|brought in|shipped|flown|bused|ferried|transported|"
                 r"rotat(?:ed|ing|es|e)(?: in)?|"
                 r"committed|entsandt|geschickt|stationiert|verlegt|déployés?|envoyés?|"
                 r"enviados?|desplegados?|"
                 r"dispatch(?:ed|es|ing)?|stationed|arriv(?:ed|al|ing)|transferred|"
                 r"posted|fighting (?:in|for|alongside)|battle alongside|who numbers?|"
                 r"which numbers?|they number|numbering|(?:it|that|this) (?:now )?numbers|"
                 r"(?:contingent|force|forces|troops|soldiers|deployment|koreans|corps|units)"
                 r"(?: in (?:the )?(?:kursk|russia)(?: region)?)? numbers?|"
                 r"already (?:in|inside|deployed|stationed|there|fighting|on)"),
    ("weak", r"(?:nach|en) (?:russland|russie|rusia)|contingent|expeditionary|force of|"
             r"(?:are|were|is) (?:now )?(?:in|inside) (?:russia|kursk)|"
             r"in (?:the )?kursk|in russia|on russian soil|to russia|to kursk|"
             r"(?:russia|kursk) region|troops? in"),
)
_EVENT_RE = re.compile(
    # one boundary check outside the alternation: three times faster than one per branch
    r"\b(?:" + "|".join(f"(?P<{name}>{pat})" for name, pat in _EVENT_PATTERNS) + r")(?![\w-])",
    re.I)
_EVENT_RE_L = re.compile(_EVENT_RE.pattern)
# The event a metric's words describe (for claims that add metric_terms).
_METRIC_EVENT = {"killed_or_wounded": "killed_or_wounded", "killed": "killed",
                 "wounded": "wounded", "captured": "captured", "deployed": "deployed",
                 "losses": "losses"}
_UNKNOWN_VERB_BEFORE = re.compile(r"\b[a-z]+(?:ed|ing)\s+(?:a |an |some |about |around |"
                                  r"roughly |nearly |almost |over |more than )?$")
# Without a verb, "2,000 North Korean soldiers" is the force in Russia only if the sentence
# is about the deployment at all (not a parade in Pyongyang, not workers abroad).
_DEPLOY_CONTEXT_L = re.compile(r"russia|moscow|kremlin|kursk|\bfront\b|ukrain|deploy|"
                               r"contingent|expeditionary|battlefield|\bwar\b|fighting|combat")
_UNKNOWN_VERB_AFTER = re.compile(r"\s+(?:\w+\s+){0,3}?(?:have|has|had|were|was|are|is)\s+"
                                 r"(?:been\s+|being\s+)?(?:\w+ly\s+)?[a-z]+(?:ed|en)\b")
_CASUALTY_EVENTS = frozenset(("killed_or_wounded", "casualties", "losses"))

_ADDITIONAL_RE = re.compile(
    r"\b(?:additional|more (?:troops|soldiers|forces|men)|another|further|fresh|extra|"
    r"new (?:batch|wave|contingent|troops|deployment|units?|soldiers|forces|round)|"
    r"reinforcements?|second (?:wave|batch|contingent|deployment|group)|rotat\w*|"
    r"replenish\w*|replace(?:ment)?s?|top(?:ped)? up|(?:plans?|planning|preparing|expected|"
    r"ready|likely|set|intends?) to (?:send|dispatch|deploy)|will (?:send|dispatch|deploy)|"
    r"could (?:send|dispatch|deploy)|would (?:send|dispatch|deploy)|"
    r"may (?:send|dispatch|deploy)|might (?:send|dispatch|deploy)|in recent (?:weeks|days)|"
    r"(?:last|this) (?:week|month)|weitere|zusätzliche|on top of|in addition to)\b", re.I)
_AFTER_MORE_RE = re.compile(r"\s*(?:more|additional|extra|fresh|new|further|others? more)\b",
                            re.I)
_MORE_END_RE = re.compile(r"\b(?:more|additional|extra|further)\s*$", re.I)
_TOTAL_RE = re.compile(r"\b(?:in total|a total of|total(?:ling)?|altogether|overall|in all|"
                       r"bringing the total|so far|to date|since (?:the start|it began))\b",
                       re.I)

_PERIOD_RE = re.compile(
    r"\b(?P<p>(?:a|per|each|every|one) (?P<u1>day|week|month)|daily|weekly|monthly|"
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
    r"(?:in|during) (?:a|one|the|a single) (?:\w+ )?"
    r"(?:strike|attack|ambush|raid|assault|battle|operation|engagement|clash|skirmish)|"
    r"täglich|pro tag|am tag|par jour|chaque jour|"
    r"por día|al día|cada día|diarios)\b", re.I)

_ANCHOR_RE = re.compile(
    r"\b(?P<a>(?P<prep>by|since|as of|as at|until|through|in|during|back in|at the end of|"
    r"by the end of|at the start of|at the beginning of|by mid-?|in mid-?|in early|in late|"
    r"by early|by late|earlier in|earlier this|last)\s+"
    r"(?P<when>(?:(?:early|late|mid-?|the end of|the middle of|the start of)\s*)?"
    rf"(?:{_FULL_MON}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d\d)?|(?:19|20)\d\d|"
    r"(?:this|last|the same) (?:year|month|week|autumn|fall|winter|spring|summer)|"
    r"(?:autumn|fall|winter|spring|summer)(?: (?:of )?(?:19|20)\d\d)?|month|year|week))|"
    r"so far|to date|at the time|this year|this month|last year|last month)\b", re.I)

_ANCHOR_RE_L = re.compile(_ANCHOR_RE.pattern)
_PERIOD_RE_L = re.compile(_PERIOD_RE.pattern)
_RESTATE_RE = re.compile(
    r"\b(?:had (?:earlier |previously |initially |first )?(?:estimated|said|put|reported|"
    r"counted|assessed|claimed|given|stated|tallied)|earlier (?:estimate[sd]?|figures?|counts?|"
    r"assessments?|reports?|put|said|estimated|reported)|previously|previous (?:estimates?|"
    r"figures?|counts?|assessments?|tally)|at the time|initially|at first|first reported|"
    r"original(?:ly)? (?:estimated?|put)|up from|down from|compared (?:with|to)|"
    r"(?:a|one|two|three) (?:weeks?|months?) (?:ago|earlier)|last (?:month|year)['’]s|"
    r"earlier (?:this|that|in the) (?:year|month|week|war)|then estimated|back then|"
    r"in (?:its|their|an|his) (?:earlier|previous|initial|first) (?:estimate|assessment|"
    r"report|count)|once (?:estimated|put))\b", re.I)
_RESTATE_RE_L = re.compile(_RESTATE_RE.pattern)
_REPORT_VERB_RE = re.compile(
    r"\b(?:put|puts|estimated|said|reported|counted|gave|assessed|claimed|stated|tallied|"
    r"told|briefed|announced)\b", re.I)

_AUX = r"(?:has |have |had |also |then |later |now |previously |earlier |first )?"
_ATTR_VERB_CORE = (r"(?:said|says|say|reported|reports|report|estimated|estimates|estimate|told|"
               r"claimed|claims|claim|stated|states|announced|announces|assessed|assesses|"
               r"believes|believe|believed|wrote|writes|put|puts|counted|counts|confirmed|"
               r"confirms|noted|notes|added|adds|tallied|concluded|concludes|indicated|"
               r"indicates|found|finds|suggested|suggests|revealed|reveals|briefed|alleged|"
               r"cited|cites|calculated|calculates)")
_ATTR_VERBS = _AUX + _ATTR_VERB_CORE
_SRC_WORD = r"(?:[A-Z][\w'’.&-]*|of|the|for|and|al|de|on|in)"
_ATTR_BEFORE_RE = re.compile(
    rf"(?<![\w'’.-])(?P<src>(?:[Tt]he |[Aa] |[Aa]n )?(?:[a-z][\w'’-]* ){{0,2}}"
    rf"[A-Z][\w'’.&-]*(?: {_SRC_WORD}){{0,7}}?(?: (?:[a-z][\w'’-]* ){{0,2}}?(?:officials?|"
    rf"intelligence|sources?|"
    rf"officers?|spokes(?:man|woman|person)|agency|services?|military|ministry|command|"
    rf"analysts?|lawmakers?|estimates?|data|figures|report|reports|institute|staff|"
    rf"government|army|forces|assessment|diplomats?|minister|president|chief)){{0,2}})"
    rf" {_ATTR_VERBS}\b")
_ATTR_BEFORE_END = re.compile(_ATTR_BEFORE_RE.pattern.rsplit(" (?:has ", 1)[0] + " " + _AUX + "$")
_ATTR_VERB_L = re.compile(r"\b" + _ATTR_VERB_CORE + r"\b")
_ATTR_LOWER_RE = re.compile(
    r"(?P<src>(?:the|a|an|some|several|two|three) (?:[a-z][\w'’-]* ){0,3}?"
    r"(?:officials?|sources?|report|reports|analysts?|intelligence(?: agency| service)?|"
    r"spy agency|military|army|ministry|general staff|newspaper|agency|spokes(?:man|woman|"
    r"person)|lawmakers?|government|commander|observers|experts|researchers|think tank|"
    r"estimates?|assessment|diplomats?)) " + _ATTR_VERBS + r"\b")
_ATTR_LOWER_END = re.compile(_ATTR_LOWER_RE.pattern.rsplit(" (?:has ", 1)[0] + " " + _AUX + "$")
_ATTR_HINT_L = re.compile(r"nach angaben|laut|selon|según|d'après|sa(?:id|ys?)|report|estimat|"
                          r"told|claim|stat|announc|assess|believ|"
                          r"wr(?:o|i)te|put|count|confirm|not|add|tall|conclu|indicat|found|"
                          r"finds|suggest|reveal|brief|alleg|cit|calculat|according|per ")
_ATTR_AFTER_RE = re.compile(
    r"\b(?:according to|said|says|reported|wrote|told|per|citing|estimated|cited by|claimed)"
    r"\s+(?P<src>(?:the |a |an )?(?:[a-z][\w'’-]* ){0,2}?[A-Z][\w'’.&-]*"
    rf"(?: {_SRC_WORD}){{0,7}}|(?:the |a |an )?(?:[a-z][\w'’-]* ){{0,4}}?(?:officials?|"
    r"sources?|report|reports|analysts?|intelligence|military|ministry|estimates?|"
    r"assessment|spokes(?:man|woman|person)|government|observers|experts))"
    r"(?=\s*(?:[,.;:!?)\"”]|$|on (?:\w+day|\w+ \d)|in a |in an |at a ))")
_ACCORDING_RE = re.compile(r"\b(?:according to|[Nn]ach Angaben(?: von| des| der)?|[Ll]aut|"
                           r"[Ss]elon|[Ss]egún|[Dd]'après)\s+(?P<src>[^,.;:()]{2,80}?)(?=[,.;:()]|$|"
                           r" (?:who|which|that|as|while|and the|but)\b| \d| (?:rund|etwa|"
                           r"mehr als|plus de|environ|unos|más de|about|around|some|more than|"
                           r"over|nearly|at least)\b)")
_SRC_LEAD = re.compile(r"^(?:(?:and|but|while|that|as|so|yet|however|meanwhile|earlier|also|"
                       r"on|in|by|since|last|this|then)\s+)+", re.I)
_SRC_DATE_LEAD = re.compile(rf"^(?:(?:early|late|mid-?)\s*)?{_FULL_MON}(?:\s+\d{{1,2}})?"
                            r"(?:,?\s+\d{4})?,?\s+", re.I)
_ATTR_JUNK = re.compile(r"\d|\b(?:were|was|are|is|been|being|have|has|had)$", re.I)
_ATTR_SKIP = frozenset(("it", "he", "she", "they", "this", "that", "which", "who", "there",
                        "we", "i", "you"))



def _alt(terms: Iterable[str]) -> str:
    return "|".join(terms)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    actor: str
    prepositional: bool


@dataclass(slots=True)
class _Sentence:
    """Facts about one sentence, computed once however many figures it holds."""

    text: str
    start: int
    actors: list[_Mention] = field(default_factory=list)
    events: list[tuple[int, int, str]] = field(default_factory=list)
    attribution: str | None = None
    attribution_spans: list[tuple[int, int]] = field(default_factory=list)
    anchors: list[tuple[int, int, str, str]] = field(default_factory=list)  # s, e, text, prep
    on_topic: bool = False
    prev_names: frozenset[str] | None = None  # actors of the sentence before, when needed


_PREP_BEFORE = re.compile(
    r"(?:\b(?:to|in|into|inside|within|for|alongside|with|against|across|towards?|at|near|"
    r"on|onto|on behalf of|between|beside|behind|via|over|ally|allies|partner)\s+(?:the\s+)?)$",
    re.I)
_THING_AFTER = re.compile(
    r"\s+(?:positions?|territory|lines?|border|drones?|side|region|soil|president|officials?|"
    r"intelligence|government|media|defen[cs]es|capital|city|cities|villages?|missiles?|"
    r"weapons|attacks?|counteroffensive|counter-offensive|incursion|offensive|war|leader|"
    r"state media|news agency|embassy|ministry|authorities|equipment|tanks?|economy|"
    r"lawmakers?|parliament|spy agency|forward positions)\b")
_TOPIC_RE = re.compile(r"north[- ]korea|pyongyang|dprk|\bkpa\b|kursk|korean people|"
                       r"shoigu|kim jong|\bkoreans?\b", re.I)

_TOPIC_RE_L = re.compile(_TOPIC_RE.pattern)
_NAME_TRIGGER = re.compile(
    r"\b(?:command(?:er|ers|s|ed|ing)?|led by|leads|leading|in charge|heads|headed by|"
    r"chief of|took over|takes over|replaced|succeeded)\b", re.I)
_RANK = (r"(?:(?:colonel|lieutenant|major|brigadier|army|vice)[- ]general|general|"
         r"col\.?\s?gen\.?|lt\.?\s?gen\.?|maj\.?\s?gen\.?|gen\.|marshal|colonel|"
         r"vice[- ]marshal)")
_SURNAMES = (r"Kim|Ri|Rim|Pak|Park|Choe|Choi|Jong|Jang|Sin|Shin|Han|Yun|O|Kang|Ju|Jo|Cho|Ryu|"
             r"Hyon|Kwon|Yang|Ko|Song|Lee|Yi|Hong|Mun|Sim|Chae|Hwang|Jon|Jeon|Ryom|No|Ro|Chon|"
             r"Thae|Tae|Paek|Yu|An|Ho|Hyun|Choe")
_NAME_RE = re.compile(
    rf"(?:(?P<rank>{_RANK})\s+)?(?P<name>\b(?:{_SURNAMES})\s+[A-Z][a-z]{{1,5}}"
    rf"(?:(?:[- ][A-Za-z][a-z]{{1,5}}))?\b)", re.I)
_NAME_HINT = re.compile(rf"\b(?:{_SURNAMES})[ ][A-Z][a-z]")
_DATE_HINT_L = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
                          r"\b(?:19|20)\d\d\b")
_NOT_COMMANDERS = frozenset(("kim jong un", "kim yo jong", "kim il sung", "kim jong il",
                             "choe son hui", "kim tok hun", "pak jong chon"))

_DATE_TRIGGERS: dict[str, re.Pattern[str]] = {
    "withdrawal": re.compile(
        r"\b(?:withdr[ae]wn?|withdrawal|pulled (?:back|out|off|from)|pull(?:ed)?back|"
        r"taken off the front|removed from the (?:front|battlefield)|retreated|"
        r"disappeared from the front|rotated out|stood down|left the front)\b", re.I),
    "return": re.compile(
        r"\b(?:returned to (?:the )?(?:front|battle|fighting|combat|kursk)|"
        r"sent back|back (?:to|on|at) the front|back in (?:combat|action)|redeployed|"
        r"rejoined|reappeared|resumed (?:fighting|combat|attacks|assaults|operations)|"
        r"returned)\b", re.I),
    "combat_start": re.compile(
        r"\b(?:(?:began|started|first) (?:attacking|fighting|assaults?|combat|to fight|"
        r"to attack|storming)|(?:entered|joined|went into) (?:combat|the fighting|the battle|"
        r"battle)|(?:first|initial) (?:assaults?|attacks?|combat)|first saw combat|"
        r"thrown into (?:combat|battle|the fighting))\b", re.I),
    "arrival": re.compile(
        r"\b(?:arriv(?:ed|al)|began arriving|started arriving|first deployed|"
        r"first (?:sent|dispatched)|first (?:troops|soldiers|units) (?:reached|landed))\b",
        re.I),
    "visit": re.compile(
        r"\b(?:visit(?:ed|s|ing)?|travel(?:l)?ed|trip|arrived|landed|flew|met|talks|"
        r"meeting|went)\b", re.I),
}
_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?|"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MON})(?:,?\s+(?P<y2>(?:19|20)\d\d))?|"
    rf"(?P<m3>{_FULL_MON})(?:,?\s+(?P<y3>(?:19|20)\d\d))?|"
    r"(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)|"
    r"(?P<dd>\d{1,2})[./](?P<mm>\d{1,2})[./](?P<yy>(?:19|20)\d\d)|"
    r"(?P<y4>(?:19|20)\d\d))\b", re.I)
_TRIGGER_ANY = re.compile(
    r"shoigu|command|led by|leads|in charge|withdr|pulled|returned|sent back|redeploy|"
    r"rejoin|reappear|resum|began|started|first|entered|joined|thrown|arriv|back (?:to|on|at|in)"
    r"|took over|replac|succeed|retreat|rotated|stood down|left the front|heads|headed",
    re.I)
_TRIGGER_ANY_L = re.compile(_TRIGGER_ANY.pattern)
_SENT_END = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\S)")


def _lower(text: str) -> str:
    """Lower-case with offsets kept (a few characters grow when lower-cased)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _normalize_name(name: str) -> str:
    """'Kim Yong-bok' and 'Kim Yong Bok' are one name."""
    return " ".join(re.split(r"[\s-]+", name.strip())).title()


def _iso(m: re.Match[str], published: str | None) -> str | None:
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
    if not mon:
        return None
    mon_n = _MONTH_NUM.get(mon.lower().rstrip(".")[:4].rstrip(".")) or _MONTH_NUM.get(
        mon.lower().rstrip(".")[:3])
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


def _anchor_iso(when: str, published: str | None) -> str | None:
    m = _DATE_RE.search(when)
    if m:
        return _iso(m, published)
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


class _Matcher:
    """Precompiled vocabulary for one baseline."""

    def __init__(self, baseline: Baseline) -> None:
        self.baseline = baseline
        actors: dict[str, list[str]] = {k: list(v) for k, v in _ACTORS.items()}
        for c in baseline.claims:
            if c.kind in ("count", "share"):
                extra = [re.escape(t.lower()) + _AP for t in c.subject_terms
                         if len(t) > 3 and " " not in t.strip("'’")] + [
                    re.escape(t.lower()) for t in c.subject_terms if " " in t]
                actors.setdefault(c.subject, []).extend(extra)
        # Longest alternatives first so "North Korean" wins over "Korean".
        parts = []
        self.actor_names: list[str] = []
        for i, (name, pats) in enumerate(actors.items()):
            uniq = sorted(set(pats), key=len, reverse=True)
            parts.append(f"(?P<a{i}>{_alt(uniq)})")
            self.actor_names.append(name)
        actor_pat = r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])"
        self.actor_re_l = re.compile(actor_pat)
        metric_extra: dict[str, list[str]] = {}
        self.extra_event_names: list[str] = []
        for c in baseline.claims:
            metric_extra.setdefault(c.metric, []).extend(re.escape(t) for t in c.metric_terms)
        self.excludes = {c.id: re.compile(r"\b(?:" + _alt(re.escape(t) for t in c.exclude_terms)
                                          + r")\b", re.I)
                         for c in baseline.claims if c.exclude_terms}
        gate = ["korea", "pyongyang", "dprk", "kpa", "russia", "moscow", "kremlin", "kursk",
                "shoigu", "kim jong", "putin", "korean", "koreans", "nordkorea", "corée",
                "corea", "coreano", "russland", "russie", "rusia", "moskau", "moscou", "nk",
                "the north", "kim's regime", "expeditionary", "contingent"]
        gate.extend(t.lower() for c in baseline.claims for t in c.subject_terms)
        self.gate_re = re.compile("|".join(
            (rf"\b{re.escape(g)}\b" if len(g) <= 4 else re.escape(g))
            for g in sorted(set(gate), key=len, reverse=True)))
        self.claim_for: dict[tuple[str, str], Claim] = {}
        for c in baseline.claims:
            self.claim_for.setdefault((c.subject, c.metric), c)
        self.by_metric: dict[str, list[Claim]] = {}
        for c in baseline.claims:
            self.by_metric.setdefault(c.metric, []).append(c)
        self.head_re = re.compile(
            r"\s*(?P<dash>[-–]\s?(?:strong|member|man|men|person)\b|strong\b)?"
            r"(?P<rest>.*)", re.S)
        # head() works on lower-cased text, so these need no IGNORECASE (much faster)
        self.people_re = re.compile(rf"(?:{_PEOPLE})\b")
        self.factory_re = re.compile(rf"(?:{_FACTORY})\b")
        self.shells_re = re.compile(rf"(?:{_SHELLS})\b")
        self.artillery_re = re.compile(rf"(?:{_ARTILLERY})\b")
        self.adj_re = re.compile(rf"(?:{_ADJ})\b")
        self.word_re = re.compile(r"[\w'’-]+|[^\w\s]")
        self.no_head = frozenset((
            "have", "has", "had", "were", "was", "are", "is", "be", "been", "will", "would",
            "could", "may", "might", "in", "to", "at", "on", "by", "or", "but",
            "according", "said", "says", "since", "from", "a", "an", "per", "each", "every",
            "last", "this", "that", "who", "which", "as", "so", "with", "while", "after",
            "before", "during", "over", "under", "than", "now", "so far", "reportedly",
            "already", "across", "near", "into", "north", "south", "russian", "ukrainian",
            "daily", "weekly", "monthly", "alone", "altogether", "total", "overall", "in total",
            "including", "among", "whom", "out", "up", "down", "more", "less", "fewer", "or so",
            "and", "it", "they", "he", "she", "were", "remain", "remained", "remains",
            "should", "can", "did", "do", "does", "not", "just", "only", "still", "also",
            "since", "between", "until", "through", "when", "where", "because", "though",
            "although", "if", "am", "then", "there", "here", "yet", "following", "via",
            "likely", "reported", "estimated", "believed", "thought", "killed", "wounded",
            "dead", "injured", "captured", "sent", "deployed", "dispatched", "stationed",
            "casualties", "losses", "lost", "died", "men", "strong",
            "sind", "wurden", "worden", "wurde", "haben", "hat", "ont", "sont", "été", "han",
            "fueron", "son", "se", "en", "im", "ist", "à", "nach", "selon", "según", "laut",
            "y", "und", "et",
        ))
        # A claim's metric_terms add to the built-in words for its event.
        extra_events = []
        for metric, terms in metric_extra.items():
            ev = _METRIC_EVENT.get(metric)
            if ev and terms:
                i = len(self.extra_event_names)
                self.extra_event_names.append(ev)
                alts = _alt(t.lower() for t in terms)
                extra_events.append(f"(?P<x{i}>\\b(?:{alts})(?![\\w-]))")
        self.extra_event_re = re.compile("|".join(extra_events)) if extra_events else None

    # -- sentence facts ------------------------------------------------------------------

    def sentence(self, text: str, start: int) -> _Sentence:
        s = _Sentence(text, start)
        low = _lower(text)
        attr_spans: list[tuple[int, int]] = []
        src: str | None = None
        for m in self._attributions(text, low):
            cand = m.group("src").strip(" \"'“”‘’,")
            cand = _SRC_LEAD.sub("", cand)
            cand = _SRC_DATE_LEAD.sub("", cand)
            if (not cand or cand.lower() in _ATTR_SKIP or _ATTR_JUNK.search(cand)
                    or len(cand) > 90):
                continue
            if cand.split()[0].lower() in _ATTR_SKIP:
                continue
            attr_spans.append((m.start("src"), m.end("src")))
            if src is None:
                src = cand
        s.attribution = src
        s.attribution_spans = attr_spans
        for m in self.actor_re_l.finditer(low):
            name = self.actor_names[int((m.lastgroup or "a0")[1:])]
            if any(a <= m.start() < b for a, b in attr_spans) and name != "North Korea":
                continue
            if any(a <= m.start() < b for a, b in attr_spans) and re.match(
                    r"\s+(?:says?|said|claims?|reported|estimated)", text[m.end():]):
                continue
            # "Ukrainian positions", "Russian drones": a modifier of a thing, not an actor
            prep = bool(_PREP_BEFORE.search(text, max(0, m.start() - 22), m.start())) or \
                bool(_THING_AFTER.match(low, m.end()))
            s.actors.append(_Mention(m.start(), m.end(), name, prep))
        for m in _EVENT_RE_L.finditer(low):
            name = m.lastgroup or ""
            if name == "losses" and re.match(r"lost (?:their|his) lives", m.group(0), re.I):
                name = "killed"
            s.events.append((m.start(), m.end(), name))
        if self.extra_event_re is not None:
            for m in self.extra_event_re.finditer(low):
                over = [e for e in s.events if e[0] < m.end() and m.start() < e[1]]
                # A claim's own term adds a word the built-in list lacks, or claims one the
                # list leaves to no claim ("eliminated"); built-in meanings stay otherwise.
                if any(e[2] != "other" or e[0] < m.start() or e[1] > m.end() for e in over):
                    continue
                for e in over:
                    s.events.remove(e)
                name = self.extra_event_names[int((m.lastgroup or "x0")[1:])]
                s.events.append((m.start(), m.end(), name))
            s.events.sort()
        for m in _ANCHOR_RE_L.finditer(low):
            word = m.group("prep") or m.group("a")
            s.anchors.append((m.start(), m.end(), text[m.start():m.end()], word))
        s.on_topic = bool(_TOPIC_RE_L.search(low))
        return s

    def _attributions(self, text: str, low: str) -> list[re.Match[str]]:
        """Attribution phrases; the costly patterns only run just before a reporting verb."""
        if not _ATTR_HINT_L.search(low):
            return []
        found: list[re.Match[str]] = []
        if re.search(r"according to|nach angaben|laut|selon|según|d'après", low):
            found.extend(_ACCORDING_RE.finditer(text))
        for vm in _ATTR_VERB_L.finditer(low):
            lo = max(0, vm.start() - 110)
            for rx in (_ATTR_BEFORE_END, _ATTR_LOWER_END):
                m = rx.search(text, lo, vm.start())
                if m:
                    found.append(m)
                    break
        found.extend(_ATTR_AFTER_RE.finditer(text))
        return found

    # -- per-figure analysis -------------------------------------------------------------

    def head(self, after: str) -> tuple[str, str | None, int]:
        """Classify what follows a figure: ('people'|'factories'|'shells'|'artillery'|
        'strong'|'other'|'none', actor seen in the noun phrase, end offset of the phrase)."""
        after = _lower(after)
        m = self.head_re.match(after)
        assert m is not None
        if m.group("dash"):
            rest = m.group("rest")
            mm = re.match(r"\s*(?:[\w'’-]+\s+){0,3}?(army|military|armed forces|force|"
                          r"contingent|corps|unit|deployment|brigade|battalion|division|"
                          r"group|detachment)\b", rest, re.I)
            if mm and mm.group(1).lower() in ("army", "military", "armed forces"):
                return "strong_army", None, m.end("dash")
            return "strong", self.actor_in(rest[:60]), m.end("dash")
        pos = m.start("rest")
        actor: str | None = None
        actors: set[str] = set()
        steps = 0
        while steps < 8 and pos < len(after):
            steps += 1
            while pos < len(after) and after[pos] in " \t\n":
                pos += 1
            if pos >= len(after):
                break
            am = self.actor_re_l.match(after, pos)
            if am:
                name = self.actor_names[int((am.lastgroup or "a0")[1:])]
                # "North Koreans" / "Koreans" are people themselves.
                tail = am.group(0).lower()
                actors.add(name)
                actor = name
                pos = am.end()
                if tail.endswith(("koreans", "russians", "ukrainians")):
                    return ("people" if len(actors) == 1 else "mixed"), actor, pos
                continue
            for cls, rx in (("factories", self.factory_re), ("shells", self.shells_re),
                            ("artillery", self.artillery_re), ("people", self.people_re)):
                pm = rx.match(after, pos)
                if pm:
                    end = pm.end()
                    if len(actors) > 1:
                        return "mixed", actor, end
                    # "1,000 troops from North Korea" / "of Pyongyang's army"
                    if actor is None:
                        om = re.match(r"\s+(?:from|of|sent by|belonging to)\s+"
                                      r"(?:(?:the|its|their|ally|allied|neighbouring|"
                                      r"neighboring|communist|reclusive|nuclear-armed)\s+){0,3}",
                                      after[end:])
                        if om:
                            a2 = self.actor_re_l.match(after, end + om.end())
                            if a2:
                                actor = self.actor_names[int((a2.lastgroup or "a0")[1:])]
                    if cls == "people" and pm.group(0).lower() in ("units", "unit",
                                                                   "battalions", "brigades"):
                        return "other", actor, end
                    return cls, actor, end
            wm = self.word_re.match(after, pos)
            if not wm:
                break
            w = wm.group(0).lower()
            if w in ("and",) and actors:
                pos = wm.end()
                continue
            if w in self.no_head or not w[0].isalpha():
                return ("mixed" if len(actors) > 1 else "none"), actor, pos
            if self.adj_re.fullmatch(w):
                pos = wm.end()
                continue
            return "other", actor, wm.end()
        return ("mixed" if len(actors) > 1 else "none"), actor, pos

    def actor_in(self, text: str) -> str | None:
        m = self.actor_re_l.search(_lower(text))
        if not m:
            return None
        return self.actor_names[int((m.lastgroup or "a0")[1:])]


_MATCHERS: dict[int, tuple[Baseline, _Matcher]] = {}


def _matcher(baseline: Baseline) -> _Matcher:
    """One compiled matcher per baseline object (hashing all claims per call is too slow)."""
    hit = _MATCHERS.get(id(baseline))
    if hit is not None and hit[0] is baseline:
        return hit[1]
    if len(_MATCHERS) > 16:
        _MATCHERS.clear()
    m = _Matcher(baseline)
    _MATCHERS[id(baseline)] = (baseline, m)
    return m


# --------------------------------------------------------------------------- analyze


_ABBREV = frozenset((
    "lt", "gen", "col", "maj", "brig", "sgt", "capt", "adm", "cmdr", "mr", "mrs", "ms", "dr",
    "st", "u.s", "u.n", "u.k", "no", "n", "s", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "gov", "sen", "rep", "vs", "approx", "e.g", "i.e",
))
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.+\s*$")


def _sent_ends(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Sentence ends in text[lo:hi], skipping "Lt. Gen." and "U.S." style abbreviations."""
    out = []
    for m in _SENT_END.finditer(text, lo, hi):
        if text[m.start()] == ".":
            w = _WORD_BEFORE_DOT.search(text, max(0, m.start() - 12), m.start() + 1)
            if w and w.group(1).lower() in _ABBREV:
                continue
        out.append(m)
    return out


def _prev_sentence(text: str, start: int) -> tuple[str, int]:
    i = start - 1
    while i > 0 and text[i] in " \t\r\n":
        i -= 1
    lo = max(0, i - 600)
    ends = _sent_ends(text, lo, i)
    s = ends[-1].end() if ends else lo
    return text[s:i + 1], s


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    lo = max(0, pos - 600)
    ends = _sent_ends(text, lo, pos)
    s = ends[-1].end() if ends else lo
    nxt = _sent_ends(text, pos, min(len(text), pos + 600))
    e = nxt[0].start() + len(nxt[0].group(0).rstrip()) if nxt else min(len(text), pos + 600)
    return s, e


@dataclass(slots=True)
class _FigState:
    event: str | None
    subject: str | None
    period: str | None = None
    period_unit: str | None = None


def analyze(text: str, baseline: Baseline, *, lang: str = "en",
            published: str | None = None) -> list[Finding]:
    """Every figure of ``text`` as a Finding; those that agree with a claim carry its id.

    ``published`` (ISO date) lets "in January" be placed in a year and tells an older
    figure from a new one.
    """
    mt = _matcher(baseline)
    figures = extract_figures(text, lang)
    if not mt.gate_re.search(_lower(text)):
        # Nothing in the text names a subject any claim is about (most articles in a
        # feed): every figure is kept, none can match, and no sentence needs reading.
        return [Finding(figure=f) for f in figures]
    out: list[Finding] = []
    sentences: dict[int, _Sentence] = {}
    consumed: dict[int, set[tuple[int, int]]] = {}
    prev_state: dict[int, _FigState] = {}
    for fig in figures:
        if fig.kind in ("date", "ordinal", "measure"):
            out.append(Finding(figure=fig, on_topic=False))
            continue
        ss = fig.sentence_start
        if ss not in sentences:
            sentences[ss] = mt.sentence(fig.sentence, ss)
            consumed[ss] = set()
        sent = sentences[ss]
        finding = _analyze_figure(mt, text, fig, sent, consumed[ss], prev_state.get(ss),
                                  published)
        prev_state[ss] = _FigState(finding.event, finding.subject,
                                   finding.period if finding.per_period else None,
                                   _period_unit(finding))
        out.append(finding)
    named = _named(mt, text, published, sentences)
    if named:
        # A date the extractor found and a date claim took is reported once, as the claim.
        spans = [(f.figure.start, f.figure.end) for f in named]
        out = [f for f in out if f.claim is not None or not any(
            a <= f.figure.start and f.figure.end <= b for a, b in spans)]
        out.extend(named)
    out.sort(key=lambda f: (f.figure.start, f.figure.end))
    return out


_INHERIT_BEFORE = re.compile(
    r"(?:\b(?:up|down|rising|falling|increasing|decreasing) from|\bcompared (?:with|to)|"
    r"\bversus|\bvs\.?|\bfrom|\bthan|\bincluding|\bof (?:whom|them|which)|\bamong them|"
    r"\band|\bor|\bwith|,|\bto|\bnow|\bthen|\bbut|\bet|\bund|\by)\s*(?:about|around|some|"
    r"roughly|nearly|"
    r"almost|just|only|an estimated)?\s*$", re.I)
_RANGE_FROM = re.compile(r"\bfrom\s*$", re.I)
_COMPARE_BEFORE = re.compile(
    r"(?:\b(?:up from|down from|from|compared (?:with|to)|versus|vs\.?|than)|"
    r"\b(?:raised|lowered|revised|increased|updated|cut|upped|lifted)\b[^,.;]{0,30}\bto|"
    r"\bbringing (?:the|its|their) (?:total|number|tally|count)(?: \w+){0,3} to)"
    r"\s*(?:about|around|some|roughly|nearly|almost|just|only|an estimated)?\s*$", re.I)
_LIST_BEFORE = re.compile(
    r"(?:\b(?:including|of (?:whom|them|which)|among them|with)|,\s*or)\s*"
    r"(?:about|around|some|roughly|"
    r"nearly|almost|just|only|an estimated)?\s*$", re.I)
_REACH_BEFORE = re.compile(
    r"\b(?:reached|reaching|passed|surpassed|topped|exceeded|exceeds?|rose to|risen to|"
    r"climbed to|jumped to|stood at|stands at|hit|neared|nearing|approached|totall?ed|"
    r"amounted to|amount to|now (?:at|number|total)|is put at|put at|were put at|at)\s*$",
    re.I)
_SPECIFIC = frozenset(("killed", "wounded", "captured", "killed_or_wounded"))
_POPULATION_BEFORE = re.compile(r"\b(among|of|out of|from)\s+(?:the|its|their|some|all)?\s*"
                                r"(?:estimated\s+|roughly\s+|some\s+|about\s+)?$", re.I)
_NUMBER_OF = re.compile(r"\b(?:number|tally|count|total|figure|toll|estimate|tolls)\s+"
                        r"(?:of\s+)?([\w'’ -]{0,40}?)\s*(?:is|was|are|were|stands?|stood|has|had|"
                        r"rose|risen|reached|climbed|grew|jumped|hit|topped|passed|exceeded|"
                        r"surpassed|put|at|to|now|of|nearing|approached|approaching|"
                        r"increased|soared|doubled)", re.I)
_FIGURE_LIKE = re.compile(r"\d[\d,.]*|\b(?:dozens|hundreds|thousands|millions)\b", re.I)


def _segment_before(before: str) -> str:
    """The part of the before-window after the previous figure of the sentence."""
    ends = [m.end() for m in _FIGURE_LIKE.finditer(before)]
    return before[ends[-1]:] if ends else before




def _analyze_figure(mt: _Matcher, text: str, fig: Figure, sent: _Sentence,
                    consumed: set[tuple[int, int]], prev: _FigState | None,
                    published: str | None) -> Finding:
    st = fig.start - sent.start
    en = fig.end - sent.start
    s = sent.text
    finding = Finding(figure=fig, on_topic=sent.on_topic, source=sent.attribution)
    if fig.kind in ("date", "ordinal", "measure") or (fig.value is None and fig.low is None
                                                      and fig.high is None):
        return finding
    after_full = s[en:]
    # Stop the after-window at the next figure of the same sentence.
    nxt = re.search(r"\d|\b(?:dozens|hundreds|thousands|millions|a quarter|a third|half)\b",
                    after_full[1:])
    after = after_full[: 1 + nxt.start()] if nxt else after_full
    after = after[:140]
    before_start = max(0, st - 160)
    before = s[before_start:st]
    seg_before = _segment_before(before)

    head_cls, np_actor, head_end = mt.head(after_full[:120])
    # ---- period (rates) and time anchor
    clause = re.split(r"[;:]|, (?:and|but|while|where|which|who)\b", after_full[:110])[0]
    pm = _PERIOD_RE_L.search(clause.lower())
    if pm is not None and _FIGURE_LIKE.search(clause, 1, pm.start()) and not (
            re.search(r"\band\b", clause[:pm.start()])
            and not re.search(r",\s*or\b", clause[:pm.start()])):
        # the rate belongs to a later figure: "45,000 in January, or 1,500 a day"; but
        # "100 killed and 1,000 wounded over the past week" shares it
        pm = None
    if pm is None:
        pm2 = _PERIOD_RE_L.search(seg_before.lower())
        if pm2:
            finding.period = pm2.group("p")
            finding.per_period = True
    else:
        finding.period = pm.group("p")
        finding.per_period = True
    period_unit = _period_unit(finding)
    best: tuple[int, int, str, str] | None = None
    seg_lo = st - len(before) if prev is None else st - len(seg_before)
    seg_hi = en + len(after)
    for a in sent.anchors:
        if finding.period and s[a[0]:a[1]].lower() in finding.period.lower():
            continue
        if a[1] <= seg_lo or a[0] >= seg_hi:
            continue
        if best is None or min(abs(a[0] - en), abs(a[1] - st)) < min(abs(best[0] - en),
                                                                   abs(best[1] - st)):
            best = a
    if best is not None and not finding.per_period:
        finding.period = best[2]
        if best[3] not in ("since", "until"):
            finding.refers_to = _anchor_iso(best[2], published)

    # ---- restated
    tail_before = before[-70:]
    inherit = bool(_INHERIT_BEFORE.search(before[-40:])) and prev is not None
    from_to = bool(_RANGE_FROM.search(before[-12:])) and bool(
        re.match(r"\s*(?:\w+\s+){0,3}?to\b", after))
    if _RESTATE_RE_L.search(tail_before.lower()) or _RESTATE_RE_L.search(after[:40].lower()) \
            or from_to:
        finding.restated = True
    elif best is not None and best[3] in ("in", "back in", "last", "earlier in") and \
            _REPORT_VERB_RE.search(s[:st]) and not re.search(
                r"\b(?:now|currently|latest|new|so far|to date)\b",
                seg_before + re.split(r"[,;]|\bbut\b", after)[0], re.I):
        anchor = _anchor_iso(best[2], published)
        pub = (published or "")[:7]
        if anchor is not None and len(anchor) >= 7 and (not pub or anchor[:7] < pub):
            finding.restated = True

    # ---- subject
    subject: str | None = None
    conf = 0.5
    if head_cls == "mixed":
        subject = "mixed"
    elif np_actor is not None:
        subject = np_actor
        conf += 0.2
    else:
        if inherit and prev is not None and prev.subject:
            subject = prev.subject
            conf += 0.1
        if subject is None:
            cands = [a for a in sent.actors if a.end <= st and not a.prepositional]
            if cands:
                subject = cands[-1].actor
                conf += 0.15
        if subject is None:
            # "the toll ... among North Korean units": a trailing actor in the same clause
            cands = [a for a in sent.actors if a.start >= en and not a.prepositional
                     and a.start - en < 80]
            if cands:
                subject = cands[0].actor
                conf += 0.1
        if subject is None and sent.actors:
            names = {a.actor for a in sent.actors if not a.prepositional}
            if len(names) == 1:
                subject = names.pop()
                conf += 0.05
        if subject is None and not any(not a.prepositional for a in sent.actors):
            if sent.prev_names is None:
                prev_text, prev_start = _prev_sentence(text, sent.start)
                sent.prev_names = frozenset(
                    a.actor for a in mt.sentence(prev_text, prev_start).actors
                    if not a.prepositional) if prev_text else frozenset()
            if len(sent.prev_names) == 1:
                subject = next(iter(sent.prev_names))
                conf += 0.03
    finding.subject = subject

    # ---- event
    event: str | None = None
    ev_span: tuple[int, int] | None = None
    seg_lo = st - len(seg_before)
    pop = _POPULATION_BEFORE.search(before[-25:])
    population = pop is not None and head_cls == "people" and not (
        pop.group(1).lower() == "of" and _EVENT_RE.search(before[-25:][:pop.start()][-14:]))
    strong = [(ea, eb, name) for ea, eb, name in sent.events
              if name != "weak" and (ea, eb) not in consumed]
    compare = prev is not None and prev.event is not None and (
        bool(_COMPARE_BEFORE.search(seg_before[-30:]))
        or (bool(re.search(r"\bto\s*$", seg_before)) and "from" in seg_before.lower()))
    if compare and prev is not None:
        event = prev.event
        conf += 0.1
        if prev.period is not None and not finding.per_period:
            # "daily losses fell to 1,100 from 1,500": the old figure is a rate too
            finding.period, finding.per_period = prev.period, True
            period_unit = prev.period_unit
    limit = (head_end + 32) if head_cls != "none" else 40
    after_ev = next(((ea, eb, name) for ea, eb, name in strong
                     if en <= ea and ea - en <= limit and ea - en < len(after)), None)
    if event is None and not population:
        for ea, eb, name in reversed(strong):
            if eb <= st and st - eb <= 25 and not re.search(r"[,.;:()]", s[eb:st]):
                if name == "losses" and after_ev is not None and after_ev[2] in _SPECIFIC:
                    break  # "lost 1,000 soldiers killed in action"
                event, ev_span = name, (ea, eb)
                conf += 0.2
                break
    if event is None and after_ev is not None:
        event, ev_span = after_ev[2], (after_ev[0], after_ev[1])
        conf += 0.2
    if event is None and prev is not None and prev.event and _LIST_BEFORE.search(
            seg_before[-30:]):
        event = prev.event
        conf += 0.1
    if event is None and population:
        event = "deployed"
    if event is None:
        for ea, eb, name in reversed(strong):
            if eb <= st and ea >= seg_lo and st - eb < 140:
                event, ev_span = name, (ea, eb)
                conf += 0.15
                break
    if event is None and _REACH_BEFORE.search(seg_before[-30:]):
        # "North Korean casualties, first dozens, later passed a thousand"
        for _ea, eb, name in sent.events:
            if eb <= st and name in _CASUALTY_EVENTS:
                event = name
                break
    if event is None:
        nm = _NUMBER_OF.search(before[-80:])
        if nm:
            em = _EVENT_RE.search(nm.group(0))
            if em and em.lastgroup != "weak":
                event = em.lastgroup
    if ev_span is not None:
        consumed.add(ev_span)
    weak = event is None  # from here on, the event is only guessed from the sentence
    if event is None and any(name == "weak" for _a, _b, name in sent.events):
        event = "deployed"
    if event is None and head_cls in ("people", "strong") and subject == "North Korea" and \
            not _UNKNOWN_VERB_BEFORE.search(seg_before[-30:]) and \
            not _UNKNOWN_VERB_AFTER.match(after_full, head_end) and \
            _DEPLOY_CONTEXT_L.search(_lower(s)):
        # "11,000 North Korean troops" with no other verb: the force itself
        event = "deployed"
    if head_cls == "strong" and event not in _CASUALTY_EVENTS:
        event = "deployed"
    if head_cls == "shells":
        event = "supplied"
    finding.event = event
    if finding.source:
        conf += 0.05

    # ---- claim
    claim = _pick_claim(mt, fig, finding, head_cls, sent, st, en, before, after, period_unit,
                        weak)
    if claim is not None:
        ex = mt.excludes.get(claim.id)
        if ex is not None and ex.search(s):
            claim = None
    if claim is not None:
        finding.claim = claim.id
        finding.on_topic = True
    finding.confidence = min(0.99, conf)
    return finding


def _period_unit(f: Finding) -> str | None:
    """day, week, month or event for a rate figure; None for a total."""
    if not f.per_period or not f.period:
        return None
    p = f.period.lower()
    if re.search(r"day|daily|24 hours|night|jour|tag|täglich|día|diario|alone", p):
        return "day"
    return "week" if "week" in p else "month" if "month" in p else "event"


def _has_nk(sent: _Sentence) -> bool:
    return any(a.actor == "North Korea" for a in sent.actors)


def _pick_claim(mt: _Matcher, fig: Figure, f: Finding, head_cls: str, sent: _Sentence,
                st: int, en: int, before: str, after: str, period_unit: str | None,
                weak: bool = False) -> Claim | None:
    s = sent.text
    kind = fig.kind
    nk = "North Korea"
    if kind in ("percent", "share"):
        if head_cls == "factories":
            return None  # "70% of its munitions factories"
        window = s[max(0, st - 80): en + 80]
        if re.search(r"\b(?:ammunition|munitions|shells|ammo|rounds)\b", window, re.I) and \
                _has_nk(sent):
            return mt.claim_for.get((nk, "ammo_share"))
        cas = any(name in _CASUALTY_EVENTS or name in ("killed", "wounded")
                  for a, _b, name in sent.events if abs(a - st) < 120)
        if (cas or f.event in _CASUALTY_EVENTS) and \
                (f.subject == nk or _has_nk(sent)) and re.search(
                    r"\b(?:force|contingent|troops|soldiers|deployment|deployed|sent|"
                    r"personnel|men|those|koreans|them|deployed)\b", window, re.I) and \
                not f.per_period:
            return mt.claim_for.get((nk, "casualty_share"))
        return None
    if kind == "money":
        if re.search(r"\b(?:moscow|russia|kremlin)\b", s, re.I) and _has_nk(sent) and \
                re.search(r"\b(?:paid|paying|pays|payments?|sending|sent|transferred|"
                          r"earned|received)\b", s, re.I):
            return mt.claim_for.get(("Russia", "payments"))
        return None
    if kind not in ("number",):
        return None
    if head_cls in ("other", "strong_army", "mixed"):
        return None
    if head_cls == "factories":
        return mt.claim_for.get((nk, "factories")) if _has_nk(sent) else None
    if head_cls == "shells":
        if _has_nk(sent) and f.subject in (nk, None, "Russia") and re.search(
                r"\b(?:suppl\w*|sent|send\w*|ship\w*|deliver\w*|provid\w*|transferred|"
                r"exported|gave|given|from|receiv\w*|sold)\b", s, re.I) and \
                not f.per_period:
            return mt.claim_for.get((nk, "shells_supplied"))
        return None
    if head_cls == "artillery":
        if f.subject == "Russia" and f.event == "losses":
            return mt.claim_for.get(("Russia", "artillery_lost"))
        return None
    # people counts (or a bare number whose noun is implied)
    value = fig.value if fig.value is not None else (fig.high or fig.low or 0.0)
    if f.subject == "Russia" and f.per_period and period_unit is not None:
        if f.event in (*_CASUALTY_EVENTS, "killed"):
            for c in mt.by_metric.get("losses", ()):
                if c.subject == "Russia" and (c.per is None or c.per == period_unit):
                    return c
        return None
    if f.subject != nk or f.per_period or (f.restated and f.event is None):
        return None
    if value > 300_000 or value < 1:
        return None
    ev = f.event
    if ev is None:
        return None
    if head_cls == "none" and ev == "deployed" and not re.search(
            r"\b(?:troops|soldiers|personnel|servicem[ae]n|forces|fighters|men|contingent|"
            r"deploy\w*|sent|dispatch\w*|koreans)\b", s, re.I):
        return None
    if ev in ("killed_or_wounded", "casualties", "losses"):
        if ev == "losses" and head_cls == "none" and not re.search(
                r"\b(?:soldiers|troops|men|personnel|servicem[ae]n|losses)\b", s, re.I):
            return None
        return mt.claim_for.get((nk, "killed_or_wounded"))
    if ev in ("killed", "wounded", "captured"):
        return mt.claim_for.get((nk, ev))
    if ev == "deployed":
        if weak and (head_cls == "none" or value < 1000):
            # a bare number in a sentence that merely mentions Kursk, or "several hundred
            # troops were seen boarding trains": not the size of the force
            return None
        window = _segment_before(before)[-70:] + " " + after[:70]
        more = (bool(_ADDITIONAL_RE.search(window)) or bool(_AFTER_MORE_RE.match(after))
                or bool(_MORE_END_RE.search(fig.text)))
        own = _segment_before(before).rsplit(",", 1)[-1] + " " + after[:70]
        additional = more and not _TOTAL_RE.search(own) and not re.search(
            r"\b(?:already|initial|first|original)\b", window, re.I)
        if additional:
            ok = 10 <= value <= 200_000
            return mt.claim_for.get((nk, "additional_deployed")) if ok else None
        # the contingent is thousands strong; a handful of officers is not its size
        return mt.claim_for.get((nk, "deployed")) if 100 <= value <= 100_000 else None
    return None


def _named(mt: _Matcher, text: str, published: str | None, sentences: dict[int, _Sentence]
           ) -> list[Finding]:
    """Name and date claims: sentences with a trigger word, even if they hold no number."""
    wanted = {c.metric: c for c in mt.baseline.claims if c.kind in ("name", "date")}
    if not wanted:
        return []
    out: list[Finding] = []
    seen_sent: set[int] = set()
    taken: set[tuple[int, int]] = set()
    low = _lower(text)
    last_end = -1
    for tm in _TRIGGER_ANY_L.finditer(low):
        if tm.start() < last_end:
            continue
        s0, s1 = _sentence_around(text, tm.start())
        last_end = s1
        if s0 in seen_sent:
            continue
        seen_sent.add(s0)
        # cheap checks first: a date claim needs a date, the commander claim a name
        has_date = _DATE_HINT_L.search(low, s0, s1) is not None
        has_name = _NAME_HINT.search(text, s0, s1) is not None
        if not (has_date or has_name):
            continue
        stext = text[s0:s1]
        metrics = []
        for metric in wanted:
            if metric == "commander":
                if has_name and _NAME_TRIGGER.search(stext):
                    metrics.append(metric)
            elif has_date and (metric != "visit" or "shoigu" in low[s0:s1]):
                trig = _DATE_TRIGGERS.get(metric)
                if trig is not None and trig.search(stext):
                    metrics.append(metric)
        if not metrics:
            continue
        sent = sentences.get(s0) or mt.sentence(stext, s0)
        for metric in metrics:
            claim = wanted[metric]
            f = _named_in_sentence(mt, text, stext, s0, s1, sent, metric, claim, published)
            if f is not None and (f.figure.start, f.figure.end) not in taken:
                taken.add((f.figure.start, f.figure.end))
                out.append(f)
    return out


def _fig_for(text: str, a: int, b: int, s0: int, s1: int, kind: str) -> Figure:
    return Figure(text=text[a:b], start=a, end=b, kind=kind, value=None, low=None, high=None,
                  qualifier="exact", change=None, unit="name" if kind == "name" else "date",
                  sentence=text[s0:s1], sentence_start=s0, sentence_end=s1)


def _named_in_sentence(mt: _Matcher, text: str, stext: str, s0: int, s1: int,
                       sent: _Sentence, metric: str, claim: Claim, published: str | None
                       ) -> Finding | None:
    nk = _has_nk(sent) or bool(re.search(r"\b(?:contingent|expeditionary)\b", stext, re.I))
    if not nk and metric != "commander" and re.search(
            r"\b(?:they|them|their|the (?:surviving |remaining )?(?:troops|soldiers|units|"
            r"forces))\b", stext, re.I):
        # "They began attacking in December": the subject is in the sentence before.
        lo = max(0, s0 - 1200)
        nk = any(mt.actor_names[int((m.lastgroup or "a0")[1:])] == "North Korea"
                 for m in mt.actor_re_l.finditer(_lower(text[lo:s0])))
    if metric == "commander":
        tr = _NAME_TRIGGER.search(stext)
        if not tr or not nk:
            return None
        names = [m for m in _NAME_RE.finditer(stext)
                 if _normalize_name(m.group("name")).lower() not in _NOT_COMMANDERS
                 and m.group("name")[0].isupper()]
        if not names:
            return None
        newer = re.search(r"\b(?:new commander|replaced by|succeeded by|took over|"
                          r"takes over|now (?:led|commanded) by)\b", stext, re.I)
        if newer:
            after = [m for m in names if m.start() >= newer.start()]
            pick = after[0] if after else names[-1]
        else:
            pick = min(names, key=lambda m: min(abs(m.start() - tr.end()),
                                                abs(tr.start() - m.end())))
        a, b = s0 + pick.start(), s0 + pick.end()
        fig = _fig_for(text, a, b, s0, s1, "name")
        return Finding(figure=fig, claim=claim.id, subject="North Korea", event="commanded",
                       source=sent.attribution, on_topic=True, confidence=0.8,
                       value_text=_normalize_name(pick.group("name")))
    trig = _DATE_TRIGGERS.get(metric)
    if trig is None:
        return None
    tm = trig.search(stext)
    if not tm:
        return None
    if metric == "visit":
        if not re.search(r"shoigu", stext, re.I) or not re.search(
                r"pyongyang|north korea|kim jong", stext, re.I):
            return None
    else:
        if not nk or not re.search(r"\b(?:troops|soldiers|units|forces|contingent|they|"
                                   r"koreans|fighters|men|servicem[ae]n|them)\b", stext, re.I):
            return None
        if metric == "return" and _DATE_TRIGGERS["withdrawal"].search(stext):
            # "withdrawn in January, back in February": the date after the return verb.
            pass
        if metric == "arrival" and (re.search(r"shoigu", stext, re.I) or re.search(
                r"\b(?:replacements?|reinforcements?|additional|more troops|fresh|rotation)\b",
                stext, re.I)):
            return None
    if published is None:
        # "withdrawn in January 2025 ... back in February": borrow the sentence's year
        ym = re.search(r"\b(?:19|20)\d\d\b", stext)
        published = f"{ym.group(0)}-12-31" if ym else None
    dates = [m for m in _DATE_RE.finditer(stext) if _iso(m, published) is not None]
    if not dates:
        return None
    if metric in ("withdrawal", "return"):
        # the date closest after the trigger, else the closest before it
        after = [m for m in dates if m.start() >= tm.end()]
        near = after[0] if after and after[0].start() - tm.end() < 60 else None
        if near is None:
            before = [m for m in dates if m.end() <= tm.start()]
            near = before[-1] if before else None
        if near is None:
            return None
        if metric == "withdrawal":
            rt = _DATE_TRIGGERS["return"].search(stext)
            if rt and rt.start() < near.start() and rt.start() > tm.end():
                return None
        pick = near
    else:
        pick = min(dates, key=lambda m: min(abs(m.start() - tm.end()), abs(tm.start() - m.end())))
    iso = _iso(pick, published)
    if iso is None:
        return None
    if metric in ("withdrawal", "return", "combat_start", "arrival") and len(iso) == 4 and \
            not re.search(r"\b(?:in|during|by)\s+(?:early |late |mid-?)?" + iso, stext):
        return None
    a, b = s0 + pick.start(), s0 + pick.end()
    fig = _fig_for(text, a, b, s0, s1, "date")
    subject = "Sergei Shoigu" if metric == "visit" else "North Korea"
    return Finding(figure=fig, claim=claim.id, subject=subject, event=metric,
                   source=sent.attribution, on_topic=True, confidence=0.75, value_text=iso,
                   refers_to=iso)
