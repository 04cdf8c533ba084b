"""Lessons from real German, Spanish and French reporting, as invented sentences.

Each case was a figure the extractor missed or misread on real pages: a qualifier after an
opening quote mark, "bis"/"hasta el"/"jusqu'à" as upper bounds, inflected vague amounts,
Latin American thousands commas, verbs that say "more than", and currencies written the
way these languages write them. The sentences are made up; only the phrasing is real.
"""

from __future__ import annotations

import pytest

from watcher.figures import SCORABLE_KINDS, Figure, extract_figures

Bounds = tuple[float | None, float | None, float | None]


def only(text: str, lang: str) -> Figure:
    """The single scorable figure in ``text``; fails loudly otherwise."""
    figs = [f for f in extract_figures(text, lang) if f.kind in SCORABLE_KINDS]
    assert len(figs) == 1, [(f.text, f.kind) for f in figs]
    return figs[0]


def reads(text: str, lang: str) -> tuple[Bounds, str]:
    f = only(text, lang)
    return (f.value, f.low, f.high), f.qualifier


# ------------------------------------------------ a qualifier right after a quote mark

@pytest.mark.parametrize(
    ("lang", "text", "bounds", "qualifier"),
    [
        ("de", "Der Sprecher nannte „mindestens 300 Kämpfer“ als Verluste.",
         (300, 300, None), "at_least"),
        ("de", "Im Bericht heißt es, »rund 2.500 Mann« seien verlegt worden.",
         (2500, 2500, 2500), "approx"),
        ("de", "Sie sprach von ‚weniger als 40 Fahrzeugen‘ in der Kolonne.",
         (40, None, 40), "less_than"),
        ("fr", "Le ministre a évoqué «au moins 150 blessés» dans la nuit.",
         (150, 150, None), "at_least"),
        ("fr", "L'agence parle de «près de 900 véhicules» détruits.",
         (900, 900, 900), "approx"),
        ("es", "El portavoz habló de «al menos 500 heridos» en la ofensiva.",
         (500, 500, None), "at_least"),
        ("es", "¿Más de 70 drones en una sola noche? Así lo afirmó el mando.",
         (70, 70, None), "more_than"),
        ("en", "The officer described ‘more than 80 casualties’ after the raid.",
         (80, 80, None), "more_than"),
    ],
)
def test_a_qualifier_after_an_opening_quote_keeps_its_meaning(
        lang: str, text: str, bounds: Bounds, qualifier: str) -> None:
    assert reads(text, lang) == (bounds, qualifier)


# ----------------------------------------------------------------------- upper bounds

@pytest.mark.parametrize(
    ("lang", "text", "bounds"),
    [
        ("de", "Pjöngjang könnte bis 4 Millionen Granaten geliefert haben.",
         (4e6, None, 4e6)),
        ("de", "Das Lager fasst bis zu 7.500 Geschosse.", (7500, None, 7500)),
        ("es", "El país aporta hasta el 30% de la munición del frente.", (30, None, 30)),
        ("es", "La brigada podría sumar hasta los 5.000 efectivos.", (5000, None, 5000)),
        ("es", "Se desplegarían hasta 2.800 soldados más.", (2800, None, 2800)),
        ("fr", "Le pays fournirait jusqu’à 25 % des obus tirés.", (25, None, 25)),
    ],
)
def test_up_to_is_an_upper_bound_in_every_language(
        lang: str, text: str, bounds: Bounds) -> None:
    assert reads(text, lang) == (bounds, "at_most")


@pytest.mark.parametrize(
    ("lang", "text", "year"),
    [
        ("de", "Die Vereinbarung gilt bis 2028 und wird dann geprüft.", "2028"),
        ("es", "El acuerdo seguirá vigente hasta el 2029, según el ministerio.", "2029"),
        ("es", "La misión se prolongará hasta 2027 como mínimo.", "2027"),
        ("fr", "Le général restera en poste jusqu'à 2027 au moins.", "2027"),
    ],
)
def test_until_a_year_is_a_date_not_an_upper_bound(lang: str, text: str, year: str) -> None:
    figs = extract_figures(text, lang)
    assert [(f.kind, f.norm) for f in figs] == [("date", year)]


def test_a_range_with_bis_stays_a_range() -> None:
    assert reads("Geliefert wurden 3 bis 5 Millionen Schuss.", "de") == (
        (None, 3e6, 5e6), "exact")


# ------------------------------------------------------------ vague amounts, inflected

@pytest.mark.parametrize(
    ("lang", "text", "low", "high"),
    [
        ("de", "Bei mehreren Dutzend Angriffen wurde niemand verletzt.", 36, 108),
        ("de", "Die Einheit verlor mehrere Dutzend Fahrzeuge.", 36, 108),
        ("de", "Nach einigen hundert Metern endete die Straße vor einigen hundert Zelten.",
         300, 900),
        ("es", "Varias decenas de civiles fueron evacuados.", 30, 90),
        ("fr", "Plusieurs dizaines de civils ont été évacués.", 30, 90),
    ],
)
def test_several_dozen_is_a_vague_amount_with_bounds(
        lang: str, text: str, low: float, high: float) -> None:
    figs = [f for f in extract_figures(text, lang) if f.kind in SCORABLE_KINDS]
    assert figs, text
    f = figs[-1]
    assert (f.value, f.low, f.high, f.qualifier) == (None, low, high, "approx")


# --------------------------------------------------------- "exceeds" and an article

@pytest.mark.parametrize(
    ("lang", "text", "bounds"),
    [
        ("es", "Los envíos ya superan los 8 millones de obuses.", (8e6, 8e6, None)),
        ("es", "Más del 60% de los drones fue derribado.", (60, 60, None)),
        ("fr", "Les pertes dépassent les 3 000 hommes selon Kyiv.", (3000, 3000, None)),
    ],
)
def test_exceeds_and_an_article_before_the_number_say_more_than(
        lang: str, text: str, bounds: Bounds) -> None:
    assert reads(text, lang) == (bounds, "more_than")


def test_a_qualifier_followed_by_an_article_keeps_it() -> None:
    assert reads("Casi el 45% de los proyectiles falló.", "es") == ((45, 45, 45), "approx")


# ------------------------------------------------- Latin American thousands separators

@pytest.mark.parametrize(
    ("lang", "text", "bounds", "qualifier"),
    [
        ("es", "El mando envió unos 15,000 efectivos a la frontera.",
         (15000, 15000, 15000), "approx"),
        ("es", "El contrato asciende a 1,200 millones de euros.",
         (1.2e9, 1.2e9, 1.2e9), "exact"),
        ("es", "El censo cuenta 2,400,000 personas en la región.",
         (2.4e6, 2.4e6, 2.4e6), "exact"),
        ("de", "Die Region zählt 2,400,000 Einwohner.", (2.4e6, 2.4e6, 2.4e6), "exact"),
        # a decimal comma still reads as one
        ("es", "La ayuda llegó a 2,5 millones de personas.", (2.5e6, 2.5e6, 2.5e6), "exact"),
        ("es", "El índice subió a 1,250 tras la votación.", (1.25, 1.25, 1.25), "exact"),
    ],
)
def test_a_comma_before_three_digits_groups_thousands_in_spanish(
        lang: str, text: str, bounds: Bounds, qualifier: str) -> None:
    assert reads(text, lang) == (bounds, qualifier)


# ---------------------------------------------------------------- currencies as written

@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("de", "Moskau soll 4,2 Milliarden US-Dollar überwiesen haben.", 4.2e9),
        ("es", "Moscú habría pagado 3.000 millones de dólares.", 3e9),
        ("fr", "Moscou aurait versé 7 milliards de dollars.", 7e9),
        ("en", "Moscow is said to have paid 900 US dollars a month.", 900),
    ],
)
def test_dollars_after_an_amount_make_it_money(lang: str, text: str, value: float) -> None:
    f = only(text, lang)
    assert (f.kind, f.unit, f.value) == ("money", "usd", value)


# ------------------------------------------------------- calibres and verb particles

@pytest.mark.parametrize(
    ("lang", "text", "value", "unit"),
    [
        ("en", "The depot held 400,000 155mm rounds last spring.", 400_000, "rounds"),
        ("en", "Crews unloaded 2 million 122-millimetre shells.", 2e6, "shells"),
        ("de", "Geliefert wurden 9 Millionen 152-mm-Granaten.", 9e6, "granaten"),
        ("fr", "L'armée a reçu 70 000 obus de 155 mm.", 70_000, "obus"),
    ],
)
def test_a_calibre_after_a_count_is_neither_its_digits_nor_its_unit(
        lang: str, text: str, value: float, unit: str) -> None:
    counts = [f for f in extract_figures(text, lang) if f.kind == "number"]
    assert [(f.value, f.unit) for f in counts] == [(value, unit)]


@pytest.mark.parametrize(
    ("text", "bounds", "qualifier"),
    [
        ("Kyiv offered to hand over three captured fighters.", (3, 3, 3), "exact"),
        ("The guards turned over 12 detainees to the police.", (12, 12, 12), "exact"),
        ("Over 12 detainees were moved to the police station.", (12, 12, None), "more_than"),
    ],
)
def test_over_after_hand_or_turn_is_a_particle(
        text: str, bounds: Bounds, qualifier: str) -> None:
    assert reads(text, "en") == (bounds, qualifier)


# --------------------------------------------------------- a day and a month name

@pytest.mark.parametrize(
    ("lang", "text", "norm"),
    [
        ("de", "Am 4. November trafen 200 Soldaten ein.", "--11-04"),
        ("de", "Bis zum 15. März 2025 trafen 200 Soldaten ein.", "2025-03-15"),
        ("es", "El 30 de mayo de 2024 llegaron 200 soldados.", "2024-05-30"),
        ("fr", "Le 17 juin dernier, 200 soldats sont arrivés.", "--06-17"),
        ("fr", "Le 3 février 2025, 200 soldats sont arrivés.", "2025-02-03"),
    ],
)
def test_a_day_before_a_month_name_is_a_date_not_a_count(
        lang: str, text: str, norm: str) -> None:
    figs = extract_figures(text, lang)
    assert [(f.kind, f.norm) for f in figs if f.kind == "date"] == [("date", norm)]
    assert [f.value for f in figs if f.kind in SCORABLE_KINDS] == [200]


# ------------------------------------------------------- the noun before a figure

@pytest.mark.parametrize(
    ("lang", "text", "unit"),
    [
        ("fr", "Séoul a revu les victimes estimées à 3 500 la semaine dernière.", "victimes"),
        ("es", "El ejército cifró el número de heridos en al menos 900.", "heridos"),
        ("de", "Die Zahl der Verletzten stieg auf 900.", "verletzten"),
    ],
)
def test_the_noun_before_a_figure_in_its_own_language(
        lang: str, text: str, unit: str) -> None:
    assert only(text, lang).unit == unit


# ------------------------------------------------ a range's thousands said only once
@pytest.mark.parametrize(("text", "lang", "bounds"), [
    ("Officials now put the force at around 14 to 15,000 men.", "en", (14_000, 15_000)),
    ("Es sollen zwischen 7 und 8.000 Helfer sein.", "de", (7_000, 8_000)),
    ("Llegaron entre 3 y 4.000 voluntarios.", "es", (3_000, 4_000)),
    ("On compte de 20 à 30 000 visiteurs par jour.", "fr", (20_000, 30_000)),
    # not when the first number cannot be the same order: a genuine wide range
    ("Tickets cost from 1 to 10,000 points.", "en", (1, 10_000)),
])
def test_a_small_number_ranged_with_round_thousands_counts_in_thousands(
        text: str, lang: str, bounds: tuple[float, float]) -> None:
    f = only(text, lang)
    assert (f.low, f.high) == bounds


# ------------------------------------------------ a half after the scale, or inside the word
@pytest.mark.parametrize(("text", "lang", "value"), [
    ("Officials counted a million and a half rounds.", "en", 1_500_000),
    ("Se entregaron dos millones y medio de proyectiles.", "es", 2_500_000),
    ("Il aurait livré un million et demi d'obus.", "fr", 1_500_000),
    ("Es geht um anderthalb Millionen Granaten.", "de", 1_500_000),
    ("Man schätzt rund zweieinhalb Millionen Geschosse.", "de", 2_500_000),
    # the half before the scale still reads as before
    ("Some two and a half million rounds were sent.", "en", 2_500_000),
])
def test_a_half_after_a_scale_or_inside_a_word(text: str, lang: str, value: float) -> None:
    assert only(text, lang).value == value


# ------------------------------------------------ Latin American thousands before a verb
@pytest.mark.parametrize(("text", "value"), [
    ("Según el informe, otros 1,900 resultaron heridos.", 1_900),
    ("Se calcula que 3,400 murieron en la ofensiva.", 3_400),
    # three decimals that do not end in two zeros stay a decimal when nothing decides
    ("El índice cerró en 1,275 tras la sesión.", 1.275),
])
def test_comma_and_two_zeros_is_a_thousands_group(text: str, value: float) -> None:
    assert only(text, "es").value == value


# ------------------------------------------------ a German number word in the genitive

@pytest.mark.parametrize(("text", "value"), [
    ("Die Familien zweier vermisster Matrosen warten auf Nachricht.", 2.0),
    ("Man sprach mit den Eltern dreier verletzter Kinder.", 3.0),
])
def test_genitive_number_word(text: str, value: float) -> None:
    """"zweier", "dreier": the genitive of a number before an adjective and its noun."""
    assert only(text, "de").value == value
