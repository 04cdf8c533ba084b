"""Date claims as real reporting writes them, each written again in our own words.

The real-news development set (tests/data/realnews) showed these ways of dating an event
(an arrival, a withdrawal, a visit) that the date claims missed or misread. The sentences
are ours; the shapes are the reporters'.
"""

from __future__ import annotations

import pytest

from watcher.claims import Baseline, analyze


def dates_of(text: str, baseline: Baseline, lang: str, published: str | None
             ) -> list[tuple[str, str | None]]:
    return [(f.claim, f.value_text) for f in analyze(text, baseline, lang=lang,
                                                     published=published) if f.claim]


@pytest.mark.parametrize(("text", "lang", "published", "expected"), [
    # a month name of another language that shares no opening with the English one
    ("Selon Moscou, l'aide nord-coréenne a été confirmée en juin, lors de la visite de "
     "Sergueï Choïgou à Pyongyang.", "fr", "2025-11-14",
     [("shoigu-pyongyang-visit", "2025-06")]),
    ("Die nordkoreanischen Soldaten wurden im Dezember von der Front abgezogen, hieß es.",
     "de", "2025-02-10", [("nk-withdrawal", "2024-12")]),
    ("Las tropas norcoreanas fueron retiradas del frente en enero por sus bajas.", "es",
     "2025-02-10", [("nk-withdrawal", "2025-01")]),
    # ... which still dates the report, not the event, after a reporting verb
    ("El pasado 12 de enero, citando a fuentes militares, un diario había informado de que "
     "las tropas norcoreanas se habrían retirado.", "es", "2025-02-10", []),
    # another leader's visit named beside the visitor's is not his visit
    ("Sergueï Choïgou a parlé avec Kim du pacte conclu lors de la visite de Poutine en "
     "Corée du Nord en juin.", "fr", "2024-09-20", []),
])
def test_month_names_of_other_languages(baseline: Baseline, text: str, lang: str,
                                        published: str, expected: list[tuple[str, str]]
                                        ) -> None:
    assert dates_of(text, baseline, lang, published) == expected


@pytest.mark.parametrize(("published", "expected"), [
    # a feed that dates its items by the month only places "on Thursday" in that month
    ("2025-06", [("shoigu-pyongyang-visit", "2025-06")]),
    # a full publication date gives the day itself
    ("2025-06-20", [("shoigu-pyongyang-visit", "2025-06-19")]),
    # no date at all: the weekday cannot be placed
    (None, []),
])
def test_a_weekday_in_an_article_dated_by_month(baseline: Baseline, published: str | None,
                                                expected: list[tuple[str, str]]) -> None:
    text = "Sergei Shoigu held talks with Kim Jong Un in Pyongyang on Thursday, state media said."
    assert dates_of(text, baseline, "en", published) == expected


@pytest.mark.parametrize(("text", "lang", "published", "expected"), [
    # counted back from the publication date: "earlier this month", "last year"
    ("Sergei Shoigu met Kim Jong Un in Pyongyang earlier this month to discuss the treaty.",
     "en", "2025-06-16", [("shoigu-pyongyang-visit", "2025-06")]),
    ("Les soldats nord-coréens se sont retirés du front l'année dernière, selon Kiev.", "fr",
     "2025-03-04", [("nk-withdrawal", "2024")]),
    # a month "of last year" is last year's, even when it is earlier in the year than now
    ("Die nordkoreanischen Truppen wurden im Januar letzten Jahres von der Front abgezogen.",
     "de", "2025-11-20", [("nk-withdrawal", "2024-01")]),
    # a season before a year dates it ("im Frühjahr 2025"), like "in 2025"
    ("Die nordkoreanischen Truppen wurden im Frühjahr 2025 von der Front abgezogen.", "de",
     "2025-11-20", [("nk-withdrawal", "2025")]),
    # without the article's date, "last year" places nothing
    ("Les soldats nord-coréens se sont retirés du front l'année dernière, selon Kiev.", "fr",
     None, []),
])
def test_dates_counted_from_the_publication_date(baseline: Baseline, text: str, lang: str,
                                                 published: str | None,
                                                 expected: list[tuple[str, str]]) -> None:
    assert dates_of(text, baseline, lang, published) == expected


def dated_claims(text: str, baseline: Baseline, lang: str, published: str | None
                 ) -> list[tuple[str, str | None]]:
    return [(c, v) for c, v in dates_of(text, baseline, lang, published) if v is not None]


@pytest.mark.parametrize(("text", "lang", "published", "expected"), [
    # the start of the fighting, in the words of each language
    ("Kyiv says the North Korean units were sent into battle near Sudzha in December.", "en",
     "2025-01-10", [("nk-combat-start", "2024-12")]),
    ("Roughly 11,000 North Korean soldiers have been fighting for Moscow since November "
     "2024, the ministry said.", "en", "2025-01-20", [("nk-combat-start", "2024-11")]),
    ("Seit Beginn des nordkoreanischen Einsatzes Mitte Dezember sind die Verluste stark "
     "gestiegen.", "de", "2025-01-20", [("nk-combat-start", "2024-12")]),
    # going back to the front
    ("Selon Séoul, les troupes nord-coréennes ont commencé à redéployer leurs hommes vers "
     "Koursk en février.", "fr", "2025-02-20", [("nk-return", "2025-02")]),
])
def test_start_and_return_in_four_languages(baseline: Baseline, text: str, lang: str,
                                            published: str, expected: list[tuple[str, str]]
                                            ) -> None:
    assert dated_claims(text, baseline, lang, published) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a day of the week in each language, dated from the publication day (Wed 2025-06-18)
    ("Die nordkoreanischen Truppen wurden am Montag von der Front abgezogen, hieß es in Kiew.",
     "de", [("nk-withdrawal", "2025-06-16")]),
    ("Serguéi Shoigú llegó el martes a Pionyang para reunirse con Kim Jong Un.", "es",
     [("shoigu-pyongyang-visit", "2025-06-17")]),
    ("Sergueï Choïgou est arrivé ce mardi à Pyongyang pour rencontrer Kim Jong-un.", "fr",
     [("shoigu-pyongyang-visit", "2025-06-17")]),
])
def test_weekdays_in_four_languages(baseline: Baseline, text: str, lang: str,
                                    expected: list[tuple[str, str]]) -> None:
    assert dated_claims(text, baseline, lang, "2025-06-18") == expected


@pytest.mark.parametrize(("text", "lang"), [
    # the visitor named by his office alone
    ("Moscou a confirmé que le secrétaire du Conseil de sécurité s'est rendu ce mardi en "
     "Corée du Nord.", "fr"),
    ("Russia's Security Council Secretary arrived in Pyongyang on Tuesday for talks with "
     "Kim Jong Un.", "en"),
])
def test_the_visitor_named_by_his_office(baseline: Baseline, text: str, lang: str) -> None:
    assert dated_claims(text, baseline, lang, "2025-06-18") == [
        ("shoigu-pyongyang-visit", "2025-06-17")]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # the day the visitor left dates the visit too (published Wednesday 2025-06-18)
    ("Sergei Shoigu departed Pyongyang on Saturday, North Korean state media said.", "en",
     [("shoigu-pyongyang-visit", "2025-06-14")]),
    ("Schoigu verließ Pjöngjang am Sonntag, meldeten nordkoreanische Staatsmedien.", "de",
     [("shoigu-pyongyang-visit", "2025-06-15")]),
])
def test_the_day_the_visitor_left(baseline: Baseline, text: str, lang: str,
                                  expected: list[tuple[str, str]]) -> None:
    assert dated_claims(text, baseline, lang, "2025-06-18") == expected


@pytest.mark.parametrize(("text", "lang", "published", "expected"), [
    # a span counted back from the publication day: the month for weeks and months ...
    ("Kiev cree que las tropas norcoreanas se han retirado del frente: no se las ve desde "
     "hace dos semanas.", "es", "2025-02-03", [("nk-withdrawal", "2025-01")]),
    ("Die nordkoreanischen Soldaten wurden vor einem Monat von der Front abgezogen.", "de",
     "2025-02-20", [("nk-withdrawal", "2025-01")]),
    ("North Korean troops were pulled back from the line three weeks ago, officials say.",
     "en", "2025-02-05", [("nk-withdrawal", "2025-01")]),
    # ... the day itself for days
    ("Les troupes nord-coréennes se sont retirées du front il y a trois jours.", "fr",
     "2025-02-05", [("nk-withdrawal", "2025-02-02")]),
])
def test_a_span_counted_back_from_the_publication_day(
        baseline: Baseline, text: str, lang: str, published: str,
        expected: list[tuple[str, str]]) -> None:
    assert dated_claims(text, baseline, lang, published) == expected


def test_date_triggers_are_found_by_prefix(baseline: Baseline) -> None:
    # a capital letter in a trigger ("Abzug") sends the whole rule down the slow path, a
    # case-blind search of every text; written in lower case it is looked for by prefix
    from watcher.claims.named import _named
    slow = [r.claim.id for r in _named(baseline).rules
            if r.claim.kind == "date" and r.scan is None]
    assert slow == []
