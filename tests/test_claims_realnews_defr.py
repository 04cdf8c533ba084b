"""German and French recall lessons from the real-news development set.

Each case is a shape real German or French pages state a figure in, which the set showed
us missing or misreading; the sentences are our own, the shapes are the reporters'.
"""

from __future__ import annotations

import pytest

from watcher.claims import Baseline, analyze


def claims_of(text: str, baseline: Baseline, lang: str
              ) -> list[tuple[str, float | None, float | None]]:
    return [(f.claim, f.figure.low, f.figure.high)
            for f in analyze(text, baseline, lang=lang) if f.claim]


def test_counter_word_before_the_noun(baseline: Baseline) -> None:
    """"Stück" counts the noun after it: "5,8 Millionen Stück Munition" are shells."""
    text = ("Ermittler schätzen, dass Nordkorea inzwischen rund 5,8 Millionen Stück Munition "
            "nach Russland geliefert hat.")
    assert claims_of(text, baseline, "de") == [("nk-shells-supplied", 5_800_000.0, 5_800_000.0)]


def test_part_of_them_has_no_noun(baseline: Baseline) -> None:
    """"600 von ihnen": the people named before, counted by the verb (the French
    "d'entre eux" is read so already)."""
    text = ("Nordkorea hat Tausende Soldaten an die Front in Kursk geschickt. Nach Angaben "
            "aus Seoul sind bislang 600 von ihnen gefallen.")
    assert ("nk-killed", 600.0, 600.0) in claims_of(text, baseline, "de")


@pytest.mark.parametrize(("text", "low", "high", "qualifier"), [
    ("Selon Kiev, plus d'un million de projectiles ont déjà été acheminés.", 1e6, None,
     "more_than"),
    ("Selon Kiev, plus d’un million de projectiles ont déjà été acheminés.", 1e6, None,
     "more_than"),
    ("Le convoi comptait moins d'une centaine de camions.", None, 100.0, "less_than"),
])
def test_elided_qualifier(text: str, low: float | None, high: float | None,
                          qualifier: str) -> None:
    """"plus d'un million": the qualifier's "de" elided before "un" still bounds it."""
    from watcher.figures import extract_figures

    [fig] = extract_figures(text, "fr")
    assert (fig.low, fig.high, fig.qualifier) == (low, high, qualifier)


def test_elided_qualifier_claim(baseline: Baseline) -> None:
    text = ("Le président ukrainien affirme que la Corée du Nord a livré à la Russie plus "
            "d'un million d'obus d'artillerie depuis l'été.")
    assert claims_of(text, baseline, "fr") == [("nk-shells-supplied", 1e6, None)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # the German genitive names the whole with no preposition; the verb comes last
    ("Die Ukraine berichtet, dass 3500 der rund 12.000 nordkoreanischen Soldaten an der "
     "Front getötet oder verwundet worden sind.", "de",
     [("nk-casualties", 3500.0, 3500.0), ("nk-troops-deployed", 12_000.0, 12_000.0)]),
    # with no participle on the whole, the predicate after it is the part's
    ("Officials in Kyiv say 3,500 of the 12,000 North Korean soldiers at the front have been "
     "killed or wounded.", "en",
     [("nk-casualties", 3500.0, 3500.0), ("nk-troops-deployed", 12_000.0, 12_000.0)]),
])
def test_part_of_a_whole_takes_the_verb(baseline: Baseline, text: str, lang: str,
                                        expected: list[tuple[str, float, float]]) -> None:
    """"N of the M soldiers were killed": N is the toll, M the force it is out of."""
    assert claims_of(text, baseline, lang) == expected


def test_part_that_was_sent_is_no_toll(baseline: Baseline) -> None:
    """A part of the force that arrived is neither a toll nor the force."""
    text = ("Officials in Kyiv say the first 3,500 of the 12,000 North Korean soldiers have "
            "arrived at the front.")
    assert ("nk-casualties", 3500.0, 3500.0) not in claims_of(text, baseline, "en")
    assert ("nk-troops-deployed", 3500.0, 3500.0) not in claims_of(text, baseline, "en")


def test_party_invaded_is_inside_the_noun_phrase(baseline: Baseline) -> None:
    """"l'invasion russe de l'Ukraine": neither the invader's adjective nor the country
    invaded is the party whose troops are counted."""
    text = ("La Corée du Nord appuie l'effort de guerre de Moscou depuis l'invasion russe de "
            "l'Ukraine en 2022, en fournissant des munitions et, d'après les services "
            "sud-coréens, quelque 12.000 troupes.")
    assert claims_of(text, baseline, "fr") == [("nk-troops-deployed", 12_000.0, 12_000.0)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Kiev et Washington reprochent à la Corée du Nord de transférer des millions d'obus "
     "vers la Russie.", "fr"),
    ("Seoul wirft Nordkorea vor, Millionen Artilleriegeschosse nach Russland transferiert zu "
     "haben.", "de"),
])
def test_transfer_is_a_supply_word(baseline: Baseline, text: str, lang: str) -> None:
    """"transférer", "transferiert": the deed of a supply in any language, not only the
    English "transferred"."""
    assert [c for c, _lo, _hi in claims_of(text, baseline, lang)] == ["nk-shells-supplied"]


def test_party_as_first_part_of_a_compound(baseline: Baseline) -> None:
    """"des Ukraine-Konflikts": a party named as the first part of a hyphenated compound
    names a thing, and is not whose losses these are."""
    text = ("Nordkorea hat Soldaten nach Kursk geschickt. Die Schätzungen, die über 6.000 "
            "Verluste nennen, zeigen die Folgen des Ukraine-Konflikts für ausländische Truppen.")
    assert claims_of(text, baseline, "de") == [("nk-casualties", 6000.0, None)]


@pytest.mark.parametrize(("text", "lang"), [
    ("En juin, un haut responsable à Moscou a indiqué que la Corée du Nord, qui appuie la "
     "Russie dans son conflit avec Kiev, enverrait des milliers de travailleurs pour rebâtir "
     "Koursk.", "fr"),
    ("In June, an official in Moscow said that North Korea, which backs Russia in its war "
     "with Kyiv, would send thousands of builders to rebuild Kursk.", "en"),
])
def test_party_inside_a_relative_clause(baseline: Baseline, text: str, lang: str) -> None:
    """The object of a relative clause between commas is not the sender."""
    assert [c for c, _lo, _hi in claims_of(text, baseline, lang)] == ["nk-additional-troops"]


def test_their_number_is_a_head_count(baseline: Baseline) -> None:
    """"estiment leur nombre à 11 000": the figure counts the soldiers named before it, far
    from the verb that sent them."""
    text = ("À l'automne, la Corée du Nord a dépêché des soldats dans la région de Koursk afin "
            "d'appuyer la contre-offensive que l'armée menait contre les forces ukrainiennes - "
            "les services de renseignement militaire britanniques estiment aujourd'hui leur "
            "nombre à 11 000.")
    assert claims_of(text, baseline, "fr") == [("nk-troops-deployed", 11_000.0, 11_000.0)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a relative clause after the noun names who uses the shells
    ("Nordkorea hat große Mengen Sprengstoff nach Russland geliefert. Die Menge entspricht "
     "nach Berechnungen der Zeitung etwa 1,5 Millionen Artilleriegranaten des Kalibers, den "
     "Russland an der Front verwendet.", "de",
     [("nk-shells-supplied", 1_500_000.0, 1_500_000.0)]),
    # an agent phrase of a word that is no giving: the user, not the supplier
    ("La Corée du Nord a expédié des milliers de conteneurs vers la Russie. Selon Séoul, ils "
     "auraient pu contenir jusqu'à 4,5 millions d'obus d'artillerie utilisables par l'armée "
     "russe.", "fr", [("nk-shells-supplied", None, 4_500_000.0)]),
])
def test_party_using_the_thing_is_not_its_supplier(
        baseline: Baseline, text: str, lang: str,
        expected: list[tuple[str, float | None, float | None]]) -> None:
    """A party after the shells that uses them is not whose shipment it is."""
    assert claims_of(text, baseline, lang) == expected


@pytest.mark.parametrize(("text", "lang", "value"), [
    # the German genitive of a number word, after the noun of the deed
    ("Kiew bestätigte am Montag die Gefangennahme dreier nordkoreanischer Soldaten an der "
     "Front bei Kursk.", "de", 3.0),
    ("El ejército ucraniano confirmó el lunes la captura de tres soldados norcoreanos cerca "
     "de Kursk.", "es", 3.0),
    # "beide" / "die beiden": the two of them
    ("Die ukrainische Armee hat beide nordkoreanischen Soldaten gefangen genommen.", "de",
     2.0),
])
def test_capture_as_a_noun(baseline: Baseline, text: str, lang: str, value: float) -> None:
    """"die Gefangennahme zweier Soldaten", "la captura de dos soldados": the capture named
    by a noun before the figure, whose number word may be a genitive."""
    assert claims_of(text, baseline, lang) == [("nk-captured", value, value)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Según Seúl, Pyongyang autorizó en otoño el envío de 12.000 soldados a la región de "
     "Kursk.", [("nk-troops-deployed", 12_000.0, 12_000.0)]),
    ("Corea del Norte sigue apoyando a Rusia. En primavera, los servicios surcoreanos "
     "detectaron el envío de 2.500 soldados adicionales tras las primeras bajas.",
     [("nk-additional-troops", 2500.0, 2500.0)]),
])
def test_sending_as_a_noun(baseline: Baseline, text: str,
                           expected: list[tuple[str, float, float]]) -> None:
    """"el envío de 2.500 soldados": the deployment named by a noun before the figure
    outranks a toll word later in the sentence."""
    assert claims_of(text, baseline, "es") == expected


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("Nordkorea hat nach Angaben aus Seoul etwa 3.000 Bausoldaten nach Russland geschickt.",
     "de", 3000.0),
    ("Nordkorea hat nach Angaben aus Seoul etwa 3.000 Soldaten aus Baueinheiten nach "
     "Russland verlegt.", "de", 3000.0),
    ("Corea del Norte enviará 800 desminadores a la región de Kursk, según Moscú.", "es",
     800.0),
    ("Corea del Norte mandó 800 artificieros a la región de Kursk, según Moscú.", "es",
     800.0),
    ("Corea del Norte ha enviado unos 3.000 operarios militares a Rusia, según Seúl.", "es",
     3000.0),
])
def test_builders_and_deminers_are_later_troops(baseline: Baseline, text: str, lang: str,
                                                value: float) -> None:
    """Construction soldiers and deminers were sent after the fighting force: their figure
    is one of additional troops, not the force's."""
    assert claims_of(text, baseline, lang) == [("nk-additional-troops", value, value)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Corea del Norte ha enviado 4.000 soldados a Rusia para labores de reconstrucción.",
     "es"),
    ("Nordkorea hat 4.000 Soldaten zum Wiederaufbau nach Russland geschickt.", "de"),
    ("La Corée du Nord a envoyé 4 000 soldats en Russie pour la reconstruction.", "fr"),
])
def test_soldiers_sent_to_rebuild_are_later_troops(baseline: Baseline, text: str,
                                                   lang: str) -> None:
    """Soldiers sent for rebuilding work are the later builders, not the fighting force."""
    assert claims_of(text, baseline, lang) == [("nk-additional-troops", 4000.0, 4000.0)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a part in number words, its noun, then the bare whole with no article
    ("D'après Kiev, deux mille cinq cents soldats nord-coréens sur 9 000 ont été tués.",
     "fr", [("nk-killed", 2500.0, 2500.0), ("nk-troops-deployed", 9000.0, 9000.0)]),
    ("D'après Kiev, 2 500 sur 9 000 soldats nord-coréens ont été tués.", "fr",
     [("nk-killed", 2500.0, 2500.0), ("nk-troops-deployed", 9000.0, 9000.0)]),
    ("Kyiv believes 2,500 North Korean soldiers out of 9,000 have been killed.", "en",
     [("nk-killed", 2500.0, 2500.0), ("nk-troops-deployed", 9000.0, 9000.0)]),
    ("Nach Kiewer Angaben sind 2.500 von 9.000 nordkoreanischen Soldaten gefallen.", "de",
     [("nk-killed", 2500.0, 2500.0), ("nk-troops-deployed", 9000.0, 9000.0)]),
    # the part's verb is an event phrase that opens with its auxiliary
    ("Según Kiev, 2.500 de los 9.000 soldados norcoreanos han muerto.", "es",
     [("nk-killed", 2500.0, 2500.0), ("nk-troops-deployed", 9000.0, 9000.0)]),
])
def test_part_out_of_a_bare_whole(baseline: Baseline, text: str, lang: str,
                                  expected: list[tuple[str, float, float]]) -> None:
    """"X sur Y ont été tués", "X out of Y have died": the verb is the part's, the whole
    (with no article, or no noun of its own) is the force."""
    assert claims_of(text, baseline, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Le Kremlin a annoncé l'arrivée prochaine de 2 000 ouvriers et de 500 sapeurs "
     "nord-coréens dans la région de Koursk.", "fr",
     [("nk-additional-troops", 2000.0, 2000.0), ("nk-additional-troops", 500.0, 500.0)]),
    ("El Kremlin anunció el despliegue de 800 soldados de ingeniería y unos 3.000 "
     "trabajadores norcoreanos en Kursk.", "es",
     [("nk-additional-troops", 800.0, 800.0), ("nk-additional-troops", 3000.0, 3000.0)]),
])
def test_party_after_a_coordinated_noun_names_both(
        baseline: Baseline, text: str, lang: str,
        expected: list[tuple[str, float, float]]) -> None:
    """"2 000 ouvriers et 500 sapeurs nord-coréens": the party's adjective after the second
    noun is the first noun phrase's too, not the announcer named before."""
    assert claims_of(text, baseline, lang) == expected


def test_party_after_a_coordinated_noun_not_across_a_preposition(baseline: Baseline) -> None:
    """"... and 1,000 sappers to Russia's Kursk region": a place after the second noun names
    no party of the first."""
    text = ("Russian media said Pyongyang will send 3,000 military builders and 800 sappers to "
            "Russia's Kursk region.")
    assert claims_of(text, baseline, "en") == [("nk-additional-troops", 3000.0, 3000.0),
                                               ("nk-additional-troops", 800.0, 800.0)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Corea del Norte sigue enviando tropas. Según Seúl, unos 2.000 militares fueron "
     "trasladados hace poco, en adición a los 11.000 soldados desplegados el año pasado.", "es"),
    ("North Korea keeps sending troops. Seoul says some 2,000 soldiers were sent there "
     "lately, in addition to the 11,000 soldiers deployed last year.", "en"),
])
def test_figure_in_addition_to_the_force(baseline: Baseline, text: str, lang: str) -> None:
    """"2.000 ..., en adición a los 11.000": the figure before the phrase is later troops,
    the one it is added to is the force."""
    assert claims_of(text, baseline, lang) == [("nk-additional-troops", 2000.0, 2000.0),
                                               ("nk-troops-deployed", 11_000.0, 11_000.0)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Según Kiev, los rusos ya han importado 2,5 millones de proyectiles de Corea del Norte.",
     "es"),
    ("Kyiv says the Russians have already imported 2.5 million shells from North Korea.",
     "en"),
])
def test_shells_imported_from_the_supplier(baseline: Baseline, text: str, lang: str) -> None:
    """Shells the receiver imported from the supplier are the supply seen from the other
    side, as "received" already is."""
    assert claims_of(text, baseline, lang) == [("nk-shells-supplied", 2_500_000.0, 2_500_000.0)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # the figure before is in the sentence before, and the source of this one is a party
    ("Kiev affirme que près de 2 500 soldats nord-coréens ont été tués. Le gouvernement "
     "sud-coréen, lui, estime ce chiffre à environ 900.", "fr",
     [("nk-killed", 2500.0, 2500.0), ("nk-killed", 900.0, 900.0)]),
    ("Kiev afirma que unos 2.500 soldados norcoreanos han muerto. El gobierno surcoreano, "
     "por su parte, estima esta cifra en unos 900.", "es",
     [("nk-killed", 2500.0, 2500.0), ("nk-killed", 900.0, 900.0)]),
    ("Kiew erklärt, rund 2.500 nordkoreanische Soldaten seien gefallen. Die Regierung in "
     "Seoul schätzt diese Zahl auf etwa 900.", "de",
     [("nk-killed", 2500.0, 2500.0), ("nk-killed", 900.0, 900.0)]),
    ("Kyiv says nearly 2,500 North Korean soldiers have been killed. South Korea's "
     "government puts the figure at about 900.", "en",
     [("nk-killed", 2500.0, 2500.0), ("nk-killed", 900.0, 900.0)]),
])
def test_this_figure_says_again_what_the_last_counted(
        baseline: Baseline, text: str, lang: str,
        expected: list[tuple[str, float, float]]) -> None:
    """"estime ce chiffre à 900", "puts the figure at 900": the figure counts what the last
    figure of the text counted, for the same party."""
    assert claims_of(text, baseline, lang) == expected
