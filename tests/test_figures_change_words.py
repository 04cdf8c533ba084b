"""Words of change before a number in German, Spanish and French.

A change verb (or noun) and the preposition after it tell whether a figure is the amount
of change ("stieg um 1.000": delta), the new level ("auf 4.000") or the old one ("von
3.000"). The words are each language's data (``[change]`` in data/numbers/<lang>.toml);
these sentences are made up.
"""

from __future__ import annotations

import pytest

from watcher.figures import SCORABLE_KINDS, extract_figures

# (text, [(figure text, change, delta), ...] for every scorable figure, in order)
CASES: list[tuple[str, str, list[tuple[str, str | None, bool]]]] = [
    # German: "um" the amount, "auf" the new level, "von" the old one
    ("de", "Die Zahl der Anträge stieg um 2.500 auf 9.000.",
     [("2.500", "up", True), ("9.000", "up", False)]),
    ("de", "Der Bestand sank auf 730 Fahrzeuge.", [("730", "down", False)]),
    ("de", "Die Kosten sanken von 12.000 auf 8.000 Euro.",
     [("12.000", None, False), ("8.000 Euro", "down", False)]),
    ("de", "Die Zahl der Pendler erhöhte sich um mehr als 400.",
     [("mehr als 400", "up", True)]),
    ("de", "Im Jahresvergleich gab es einen Rückgang um 15 Prozent.",
     [("15 Prozent", "down", True)]),
    # Spanish: "en"/"un" the amount, "a"/"hasta" the new level, "de ... a" old and new
    ("es", "La plantilla aumentó en 1.200 hasta 5.600 empleados.",
     [("1.200", "up", True), ("hasta 5.600", "up", False)]),
    ("es", "Las reservas cayeron a 310 plazas.", [("310", "down", False)]),
    ("es", "Los pedidos subieron de 2.000 a 2.700 en un año.",
     [("2.000", None, False), ("2.700", "up", False)]),
    ("es", "La matrícula se redujo en un 8% respecto al curso anterior.",
     [("8%", "down", True)]),
    ("es", "El consumo bajó un 4% en la provincia.", [("4%", "down", True)]),
    # French: "de" the amount, "à" the new level; "de X à Y" the old level, then the new
    ("fr", "Le trafic a augmenté de 1 500 pour atteindre 6 000 passagers.",
     [("1 500", "up", True), ("6 000", None, False)]),
    ("fr", "Le nombre de lits est tombé à 240.", [("240", "down", False)]),
    ("fr", "Les inscriptions ont progressé de 3 200 à 4 100.",
     [("3 200", None, False), ("4 100", "up", False)]),
    ("fr", "Les ventes de billets sont en baisse d'environ 7 % sur un an.",
     [("environ 7 %", "down", True)]),
    ("fr", "La facture a diminué de 5 % à Lyon.", [("5 %", "down", True)]),
]


@pytest.mark.parametrize(("lang", "text", "want"), CASES, ids=[c[1][:40] for c in CASES])
def test_change_words_of_each_language(
        lang: str, text: str, want: list[tuple[str, str | None, bool]]) -> None:
    got = [(f.text, f.change, f.delta) for f in extract_figures(text, lang)
           if f.kind in SCORABLE_KINDS]
    assert got == want


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Der Zug fährt um 7 Uhr ab und hält auf Gleis 4."),
    ("es", "Llegaron en 2 autobuses hasta la plaza."),
    ("fr", "Il a parlé de 3 projets à Lyon."),
])
def test_prepositions_alone_give_no_change(lang: str, text: str) -> None:
    """"um", "en", "de" are change words' prepositions only after a change word."""
    assert all(f.change is None and not f.delta for f in extract_figures(text, lang))


def test_english_change_words_still_read_in_other_languages() -> None:
    """A story quoted in English within a German text: English change words still count."""
    figs = extract_figures("Laut Bericht: exports rose by 300 to 1,200.", "de")
    assert [(f.text, f.change, f.delta) for f in figs] == [
        ("300", "up", True), ("1,200", "up", False)]


def test_change_words_are_data_not_english_constants() -> None:
    """patterns.py holds no words of change; every number file with them lists both
    directions and its prepositions."""
    from watcher.figures import patterns
    from watcher.figures.lexicon import FILES, lexicon

    assert not any(hasattr(patterns, n) for n in ("CHG_UP", "CHG_DOWN", "CHG_WORDS"))
    for lang in ("en", "de", "es", "fr"):
        change = FILES[lang]["change"]
        assert change["up"] and change["down"] and change["amount"] and change["level"]
        lx = lexicon(lang)
        assert set(lexicon("en").chg_up) <= set(lx.chg_up)
