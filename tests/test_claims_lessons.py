"""Lessons from real reporting, each written again in our own words.

Every case here is a way real news pages state (or seem to state) a figure that the
real-news development set (tests/data/realnews) showed us getting wrong. The sentences
are ours; the shapes are the reporters'.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from watcher.claims import Baseline, analyze, load_baseline


@pytest.fixture(scope="module")
def baseline() -> Baseline:
    return load_baseline(ROOT / "config" / "baseline.toml")


def claims_of(text: str, baseline: Baseline, lang: str = "en") -> list[tuple[str, float | None]]:
    return [(f.claim, f.figure.low) for f in analyze(text, baseline, lang=lang) if f.claim]


@pytest.mark.parametrize(("text", "expected"), [
    # the clause's predicate, not the participle describing the noun, says what happened
    ("Some 400 North Korean soldiers stationed near the border have been killed, the "
     "agency said.", [("nk-killed", 400.0)]),
    ("About 1,200 injured North Korean soldiers were flown home for treatment, a lawmaker "
     "said.", []),
    # a relative clause between the noun and the verb (German word order)
    ("Laut Kiew wurden 2.500 nordkoreanische Soldaten, die für Russland kämpften, getötet "
     "oder verwundet.", [("nk-casualties", 2500.0)]),
    # the party's adjective after the noun (Spanish, French)
    ("Según Seúl, 12.000 soldados norcoreanos fueron enviados a Rusia.",
     [("nk-troops-deployed", 12000.0)]),
])
def test_predicate_and_subject(baseline: Baseline, text: str,
                               expected: list[tuple[str, float]]) -> None:
    lang = "de" if "wurden" in text else "es" if "Según" in text else "en"
    assert claims_of(text, baseline, lang) == expected


@pytest.mark.parametrize("text", [
    # one engagement, a weekend, a single strike: a part, never the toll
    "Around 40 North Korean troops were killed or wounded over the weekend, Kyiv said.",
    "About 300 North Korean soldiers were killed in a drone attack near the village.",
    "Dans une frappe, 70 soldats nord-coréens ont été tués, selon Kiev.",
    # one unit's strength is not the size of the force
    "The 12th brigade of the North Korean army consists of 900 soldiers, an envoy said.",
    # among those sent: a part of the force
    "Among the North Korean troops sent to Russia are about 300 officers.",
    # a projection, not a report
    "The North Korean contingent could eventually grow to as many as 80,000 soldiers.",
    # a yearly rate is no total
    "North Korea ships about 2 million shells to Russia annually, an analyst said.",
    # a share of capacity is not a share of the ammunition
    "North Korean munitions plants run at about 40% of their capacity.",
    # containers are not shells
    "North Korea has sent some 9,000 ammunition containers to Russia.",
    # a currency the claim is not kept in
    "North Korea has earned as much as 6 trillion won from arms sales to Russia.",
])
def test_parts_projections_and_look_alikes_match_nothing(baseline: Baseline,
                                                          text: str) -> None:
    lang = "fr" if "Dans" in text else "en"
    assert claims_of(text, baseline, lang) == []


@pytest.mark.parametrize(("text", "expected"), [
    # a calibre between the number and the noun
    ("North Korea has shipped about 4 million 152mm artillery shells to Russia.",
     [("nk-shells-supplied", 4000000.0)]),
    # a source named after the figure is not its subject
    ("Another 2,000 North Korean soldiers have been sent to Russia, said South Korean "
     "lawmakers on Friday.", [("nk-additional-troops", 2000.0)]),
    # arms sales in dollars state what Russia pays
    ("North Korea's arms sales to Russia are worth up to $6 billion, a study says.",
     [("russia-payments", None)]),
])
def test_heads_sources_and_money(baseline: Baseline, text: str,
                                 expected: list[tuple[str, float | None]]) -> None:
    assert claims_of(text, baseline) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "a day later" is no rate
    ("A day later, officials said North Korean casualties had passed 2,500.",
     [("nk-casualties", 2500.0)]),
    # killed "in battle" is the toll, not one engagement
    ("About 1,500 North Korean soldiers have been killed in battle, Kyiv said.",
     [("nk-killed", 1500.0)]),
    # an adverb between the figure and its verb
    ("More than 3,500 of them reportedly have been killed or wounded, North Korea's "
     "enemies say.", [("nk-casualties", 3500.0)]),
    # the supply verb may stand far from the number in a long sentence
    ("Officials say that over 4 million shells, dozens of missiles and many rocket "
     "launchers have been shipped from North Korea to Russia.",
     [("nk-shells-supplied", 4000000.0)]),
])
def test_rates_battles_adverbs_and_far_verbs(baseline: Baseline, text: str,
                                             expected: list[tuple[str, float]]) -> None:
    assert claims_of(text, baseline) == expected


def test_weekday_dates_need_the_publication_date(baseline: Baseline) -> None:
    text = "Sergei Shoigu arrived in Pyongyang on 14 May 2025 for talks with Kim Jong Un."
    got = [(f.claim, f.value_text) for f in analyze(text, baseline) if f.claim]
    assert got == [("shoigu-pyongyang-visit", "2025-05-14")]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a casualty noun counts people: "hunderte Opfer", "4.000 bajas"
    ("Nach Schätzung der USA hat Nordkorea bereits hunderte Opfer zu beklagen.", "de",
     [("nk-casualties", 200.0)]),
    # German verb-final subordinate clause
    ("Seoul erklärte, dass mehr als 1.300 nordkoreanische Soldaten getötet oder verletzt "
     "worden seien.", "de", [("nk-casualties", 1300.0)]),
    # Spanish predicate with "resultar"
    ("Unos 500 soldados norcoreanos murieron y 1.800 resultaron heridos, según Seúl.", "es",
     [("nk-killed", 500.0), ("nk-wounded", 1800.0)]),
    # a predicate is never read across "and" and the next figure
    ("Seúl calcula que 700 soldados norcoreanos murieron en combate y miles resultaron "
     "heridos.", "es", [("nk-killed", 700.0), ("nk-wounded", 2000.0)]),
    # French participial phrase between the noun and its verb
    ("Des centaines de soldats nord-coréens, engagés près de la frontière, ont été tués ou "
     "blessés.", "fr", [("nk-casualties", 200.0)]),
    # the agent of a passive ("envoyés par X") owns the figure; "par la Russie" does not
    ("Depuis l'automne, quelque 9 000 soldats envoyés par le régime de Pyongyang "
     "combattent à Koursk.", "fr", [("nk-troops-deployed", 9000.0)]),
    ("La Corée du Nord a aidé la contre-offensive menée par la Russie en déployant "
     "14 000 soldats.", "fr", [("nk-troops-deployed", 14000.0)]),
    # "40 % de bajas" is the casualty rate itself, not a share of the casualties
    ("Las tropas norcoreanas ya han sufrido casi un 35% de bajas, según Londres.", "es",
     [("nk-casualty-share", 35.0)]),
    # an infinitive after a plan still says what happens to the troops
    ("Corea del Norte planea desplegar 4.000 militares adicionales en Rusia.", "es",
     [("nk-additional-troops", 4000.0)]),
    # sappers and builders sent later are further troops, in any language
    ("Pyongyang enverra 700 démineurs en Russie.", "fr", [("nk-additional-troops", 700.0)]),
])
def test_other_languages(baseline: Baseline, text: str, lang: str,
                         expected: list[tuple[str, float]]) -> None:
    assert claims_of(text, baseline, lang) == expected


def test_subject_two_sentences_back(baseline: Baseline) -> None:
    text = ("North Korea sent about 11,000 soldiers to the Kursk region. They were trained "
            "first. Among them, 2,500 are now dead or wounded, officials said.")
    assert ("nk-casualties", 2500.0) in claims_of(text, baseline)
