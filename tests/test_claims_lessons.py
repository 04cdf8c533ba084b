"""Lessons from real reporting, each written again in our own words.

Every case here is a way real news pages state (or seem to state) a figure that the
real-news development set (tests/data/realnews) showed us getting wrong. The sentences
are ours; the shapes are the reporters'.
"""

from __future__ import annotations

import pytest

from watcher.claims import Baseline, analyze


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


# -- lessons of the dev split, November 2026 ---------------------------------------------

@pytest.mark.parametrize(("text", "lang"), [
    # a condition, not a report: "even if N are sent"
    ("Even if 20,000 North Korean soldiers are deployed, analysts say the front line will "
     "hardly move.", "en"),
    # what is left after the losses is not the force sent
    ("About 7,000 North Korean soldiers are still fighting in the region, Kyiv said.", "en"),
    ("Unos 7.000 soldados norcoreanos siguen combatiendo en la región, según Kiev.", "es"),
    ("Environ 7 000 soldats nord-coréens continuent de combattre dans la région, selon "
     "Kiev.", "fr"),
    # what could happen is not what happened ("will send" is a plan, and still counts)
    ("North Korea could send as many as 90,000 troops to Russia, some analysts fear.", "en"),
    # a force that suffered losses: the figure is the force, never its losses
    ("Les quelque 9 000 soldats nord-coréens envoyés en Russie ont subi de lourdes pertes.",
     "fr"),
    ("Die rund 9.000 nordkoreanischen Soldaten erlitten hohe Verluste.", "de"),
    # a handful of men is one incident, never the toll of the whole force
    ("Two North Korean soldiers were wounded and taken to a hospital in Kyiv.", "en"),
    # what a party is able to do is not what it did
    ("Analysts say Pyongyang is able to send another 25,000 troops to Russia.", "en"),
    ("Er sagte, Nordkorea sei in der Lage, 20.000 bis 30.000 weitere Soldaten zu "
     "entsenden.", "de"),
])
def test_parts_conditions_and_capabilities_match_nothing(baseline: Baseline, text: str,
                                                         lang: str) -> None:
    assert claims_of(text, baseline, lang) == []


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a party's adjective after a place ("la región rusa") is no subject
    ("Tras la ofensiva ucraniana, Pionyang mandó a la región rusa unos 9.000 soldados.",
     "es", [("nk-troops-deployed", 9000.0)]),
    # "parmi les N envoyés": the force itself, whatever the losses
    ("Selon le Pentagone, des pertes ont été constatées parmi les 9 000 soldats envoyés par "
     "Pyongyang.", "fr", [("nk-troops-deployed", 9000.0)]),
    ("Selon Kiev, Pyongyang compterait 3 500 morts parmi les 9 000 envoyés en Russie.", "fr",
     [("nk-killed", 3500.0), ("nk-troops-deployed", 9000.0)]),
    # the country's epithets name it
    ("More than 9,000 soldiers from the reclusive state were sent to Russia last year, "
     "Seoul said.", "en", [("nk-troops-deployed", 9000.0)]),
    ("Washington has accused the nuclear-armed North of sending about 9,000 soldiers to "
     "Russia.", "en", [("nk-troops-deployed", 9000.0)]),
    # "remain deployed" says the force is unchanged; "still fighting" (above) is what is left
    ("Officials said about 9,000 North Korean soldiers remain deployed near the border.",
     "en", [("nk-troops-deployed", 9000.0)]),
    # presence: "there are already N"
    ("There are already 9,000 North Korean soldiers in the region, a Ukrainian official "
     "said.", "en", [("nk-troops-deployed", 9000.0)]),
    # Spanish: "resultaron heridos" after the noun; "trasladados"; people "enviados"
    ("Otros 2.100 soldados norcoreanos resultaron heridos en los combates, según Seúl.", "es",
     [("nk-wounded", 2100.0)]),
    ("Unos 9.000 militares norcoreanos fueron trasladados a Rusia en otoño.", "es",
     [("nk-troops-deployed", 9000.0)]),
    ("Corea del Norte ha enviado otros 2.000 soldados a Rusia, según Seúl.", "es",
     [("nk-additional-troops", 2000.0)]),
    # the event phrase begins with the auxiliary: "han muerto", "ont péri"
    ("Unos 1.900 soldados de Corea del Norte han muerto desde su despliegue en Rusia.", "es",
     [("nk-killed", 1900.0)]),
    ("Près de 1 900 soldats de la Corée du Nord ont péri depuis leur déploiement.", "fr",
     [("nk-killed", 1900.0)]),
    # German: separable "kamen ... ums Leben"; "bei den Kämpfen" is a noun, not a verb
    ("Mindestens 250 Nordkoreaner kamen bei den Kämpfen ums Leben.", "de",
     [("nk-killed", 250.0)]),
    # German: inflected "getöteten und verwundeten"; the German spelling of the capital
    ("Die Zahl der getöteten und verwundeten Nordkoreaner liegt bei etwa 3.900.", "de",
     [("nk-casualties", 3900.0)]),
    ("Pjöngjang hat etwa 9.000 Soldaten nach Russland verlegt.", "de",
     [("nk-troops-deployed", 9000.0)]),
    # German genitive: the party after the noun ("Angehörige der ... Armee"), not the
    # minister who gave the estimate
    ("Der US-Minister schätzte, dass sich etwa 9.000 Angehörige der nordkoreanischen Armee "
     "in Russland aufhielten.", "de", [("nk-troops-deployed", 9000.0)]),
    # French: the pair in the other order, "blessés ou tués"
    ("Selon Kiev, près de 3 500 soldats nord-coréens ont été blessés ou tués depuis "
     "novembre.", "fr", [("nk-casualties", 3500.0)]),
])
def test_vocabulary_and_subjects_in_four_languages(baseline: Baseline, text: str, lang: str,
                                                   expected: list[tuple[str, float]]) -> None:
    assert claims_of(text, baseline, lang) == expected


@pytest.mark.parametrize(("text", "lang", "published", "expected"), [
    # month names in German, Spanish and French; the visitor's name spelt the local way
    ("Sergueï Choïgou est arrivé à Pyongyang le 21 mars 2025 pour rencontrer Kim Jong-un.",
     "fr", "2025-03-22", [("shoigu-pyongyang-visit", "2025-03-21")]),
    ("Shoigú llegó a Pionyang el 21 de marzo de 2025 y se reunió con Kim Jong Un.", "es",
     "2025-03-25", [("shoigu-pyongyang-visit", "2025-03-21")]),
    ("Die nordkoreanischen Truppen wurden im Januar von der Front abgezogen.", "de",
     "2025-02-10", [("nk-withdrawal", "2025-01")]),
    # a date after a reporting verb is the day the news was told, not the event's
    ("Desde mediados de enero de 2025, las tropas norcoreanas han estado ausentes del "
     "frente, informó el martes 4 de febrero la inteligencia surcoreana.", "es",
     "2025-02-05", [("nk-withdrawal", "2025-01")]),
    ("North Korean troops were pulled back from the front, a Ukrainian spokesman said on "
     "February 7.", "en", "2025-02-10", []),
])
def test_dates_in_four_languages(baseline: Baseline, text: str, lang: str, published: str,
                                 expected: list[tuple[str, str]]) -> None:
    got = [(f.claim, f.value_text) for f in analyze(text, baseline, lang=lang,
                                                     published=published) if f.claim]
    assert got == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the counted noun comes first, in a "number of" phrase; the figure has none of its own
    ("The total number of North Korean soldiers in Russia may now be near 13,000, a US "
     "general told reporters.", [("nk-troops-deployed", 13000.0)]),
    # the size of a change is not the total
    ("The number of North Korean soldiers in the region grew by about 1,500 this month, "
     "the ministry said.", []),
    # an event named in the phrase is the figure's own: a toll, not the force
    ("The number of North Korean casualties has climbed to 3,900, the agency said.",
     [("nk-casualties", 3900.0)]),
])
def test_a_number_of_phrase_names_what_a_bare_figure_counts(
        baseline: Baseline, text: str, expected: list[tuple[str, float]]) -> None:
    assert claims_of(text, baseline) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # the date is the treaty's, a whole clause away from the visit
    ("The alliance treaty signed in Moscow in June 2024 contains a mutual-assistance clause "
     "that later allowed the contingent to be sent, after Sergei Shoigu visited Pyongyang "
     "to meet Kim Jong Un.", "en", []),
    ("El tratado firmado en Moscú en junio de 2024 incluye una cláusula de ayuda mutua que "
     "permitió más tarde enviar el contingente, tras la visita de Serguéi Shoigú a Pionyang "
     "para reunirse con Kim Jong Un.", "es", []),
    # the visit's own date, next to it
    ("Sergei Shoigu visited Pyongyang in June 2025 to meet Kim Jong Un.", "en",
     [("shoigu-pyongyang-visit", "2025-06")]),
])
def test_a_date_far_from_the_visit_dates_something_else(
        baseline: Baseline, text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    got = [(f.claim, f.value_text) for f in analyze(text, baseline, lang=lang,
                                                     published="2025-11-14") if f.claim]
    assert got == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a share of the shells that were faulty is about their quality, not their origin
    ("Moscow fumes at North Korea: half of its artillery ammunition turned out to be "
     "defective.", "en", []),
    ("Rusia, furiosa con Corea del Norte: la mitad de sus proyectiles de artillería "
     "resultan defectuosos.", "es", []),
    ("La Russie fulmine contre la Corée du Nord : la moitié de ses obus d'artillerie sont "
     "défectueux.", "fr", []),
    ("North Korean shells now make up half of the ammunition Russia fires at the front.",
     "en", [("nk-ammo-share", 50.0)]),
])
def test_a_share_of_faulty_shells_is_not_the_supply_share(
        baseline: Baseline, text: str, lang: str, expected: list[tuple[str, float]]) -> None:
    assert claims_of(text, baseline, lang) == expected


def test_a_party_s_side_is_the_party(baseline: Baseline) -> None:
    # "the Ruritanian side" speaks of the party itself, unlike "Ruritanian territory"
    assert claims_of("The North Korean side suffered more than 6,000 casualties, British "
                     "officials said.", baseline) == [("nk-casualties", 6000.0)]


def test_a_bare_figure_joined_to_a_daily_rate_is_a_daily_rate_too(baseline: Baseline) -> None:
    text = ("British intelligence said Russia's average daily casualties in Ukraine reached "
            "1,310 in October and 1,240 in November.")
    assert claims_of(text, baseline) == [("russia-daily-losses", 1310.0),
                                         ("russia-daily-losses", 1240.0)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a toll that could come is a projection, in each language
    ("Analysts warned that all 12,000 North Korean soldiers could be killed or wounded by "
     "spring.", "en", []),
    ("Alle 12.000 nordkoreanischen Soldaten könnten bis April getötet oder verwundet werden.",
     "de", []),
    ("Los 12.000 soldados norcoreanos podrían morir o resultar heridos antes de abril.",
     "es", []),
    ("Les 12 000 soldats nord-coréens pourraient être tués ou blessés d'ici avril.", "fr", []),
    # "might have been" estimates what happened: still the toll
    ("As many as 3,000 North Korean soldiers might have been killed or wounded, an analyst "
     "said.", "en", [("nk-casualties", None)]),
    # the force that could be lost is still the force
    ("Some 12,000 North Korean soldiers deployed in Kursk could face total losses by April.",
     "en", [("nk-troops-deployed", 12000.0)]),
])
def test_a_toll_that_could_come_is_not_a_toll(baseline: Baseline, text: str, lang: str,
                                              expected: list[tuple[str, float | None]]) -> None:
    assert claims_of(text, baseline, lang) == expected
