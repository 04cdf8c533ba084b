"""Lessons from the sixth round of real-news pages (German, Spanish, French, English).

Each case is a shape the new development pages state a figure in, which watcher missed or
misread; the sentences are our own, the shapes are the reporters'.
"""

from __future__ import annotations

from watcher.claims import Baseline, analyze
from watcher.figures.sentences import split_sentences


def claims_of(text: str, baseline: Baseline, lang: str
              ) -> list[tuple[str, float | None, float | None]]:
    return [(f.claim, f.figure.low, f.figure.high)
            for f in analyze(text, baseline, lang=lang) if f.claim]


def test_long_participle_phrase_yields_to_the_toll(baseline: Baseline) -> None:
    """"Soldiers sent to support X's war against Y have died": however long the phrase
    describing the soldiers, the clause's own verb says what befell them."""
    text = ("D'après Séoul, quelque deux mille soldats nord-coréens dépêchés pour appuyer "
            "l’offensive de la Russie contre l’Ukraine ont déjà perdu la vie.")
    assert claims_of(text, baseline, "fr") == [("nk-killed", 2000.0, 2000.0)]


def test_the_whole_of_a_part_keeps_its_own_verb(baseline: Baseline) -> None:
    """The whole after a part is the force; the toll after it is the part's."""
    text = ("Officials now think that at least 1,500 of the 12,000 soldiers that North "
            "Korea had dispatched had died by the spring.")
    got = claims_of(text, baseline, "en")
    assert ("nk-killed", 1500.0, None) in got
    assert ("nk-troops-deployed", 12000.0, 12000.0) in got
    assert ("nk-killed", 12000.0, 12000.0) not in got


def test_bare_part_takes_the_party_of_its_whole(baseline: Baseline) -> None:
    """"3.000 de los 12.000 soldados enviados por X": the part has no noun of its own, and
    its party is the one that sent the whole, even with a date in between."""
    text = ("Según el informe, unos 3.500 de los 12.000 combatientes enviados por Corea del "
            "Norte en octubre de 2024 habían muerto o resultado heridos en marzo.")
    got = claims_of(text, baseline, "es")
    assert ("nk-casualties", 3500.0, 3500.0) in got


def test_aparte_de_names_the_original_force(baseline: Baseline) -> None:
    """"Aparte de los 15.000 ya desplegados": the figure before is sent on top of them."""
    text = ("Pyongyang mandó a Kursk unos 2.000 ingenieros para desminar, aparte de los "
            "cerca de 14.000 soldados de combate desplegados antes.")
    got = claims_of(text, baseline, "es")
    assert ("nk-additional-troops", 2000.0, 2000.0) in got
    assert ("nk-troops-deployed", 14000.0, 14000.0) in got


def test_a_listed_toll_of_dead_and_wounded_is_casualties(baseline: Baseline) -> None:
    """"killed, wounded or missing" lists the whole toll in every language."""
    cases = [
        ("de", "Mehr als 5000 nordkoreanische Soldaten wurden getötet, verwundet oder "
               "vermisst."),
        ("fr", "Plus de 5 000 soldats nord-coréens ont été tués, blessés ou portés disparus."),
        ("es", "Más de 5.000 soldados norcoreanos quedaron muertos, heridos o desaparecidos."),
    ]
    for lang, text in cases:
        assert claims_of(text, baseline, lang) == [("nk-casualties", 5000.0, None)], lang


def test_workers_sent_to_rebuild_are_additional(baseline: Baseline) -> None:
    """German "Arbeiter" sent along with the force are later troops, as the Spanish
    "obreros" and French "ouvriers" already are, never the force itself."""
    text = "Nordkorea schickt 10.000 Soldaten und 3000 Arbeiter nach Russland."
    got = claims_of(text, baseline, "de")
    assert ("nk-troops-deployed", 3000.0, 3000.0) not in got
    assert ("nk-troops-deployed", 10000.0, 10000.0) in got


def test_a_currency_names_no_party(baseline: Baseline) -> None:
    """"US-Dollar" is money, not the United States: a heading after it still goes on
    about the party the article is about."""
    text = ("Nordkorea schickte Soldaten nach Russland. Kim behält den Sold von 2.000 "
            "US-Dollar im Monat ein.\nTausende verletzt, Hunderte getötet")
    findings = analyze(text, baseline, lang="de")
    toll = [f for f in findings if f.figure.text in ("Tausende", "Hunderte")]
    assert len(toll) == 2
    assert all(f.subject != "United States" for f in findings)


def test_mobilizacion_is_a_deployment(baseline: Baseline) -> None:
    text = ("Kim Jong-un aprobó la movilización de miles de zapadores norcoreanos para "
            "reconstruir la región rusa de Kursk.")
    assert claims_of(text, baseline, "es") == [("nk-additional-troops", 2000.0, 9999.0)]


def test_a_year_after_is_no_rate(baseline: Baseline) -> None:
    """"A year after" and "more than a year ago" are spans of time; "a year" after an
    amount is still a rate."""
    text = ("A year after Ukrainian troops captured two North Korean soldiers, both still "
            "wait in a camp near Kyiv.")
    assert claims_of(text, baseline, "en") == [("nk-captured", 2.0, 2.0)]
    rate = analyze("Russia pays North Korea 300 million dollars a year.", baseline)
    assert [f.per_period for f in rate if f.figure.value == 300e6] == [True]


def test_german_captives_adjective_counts_people(baseline: Baseline) -> None:
    """"zwei gefangenen nordkoreanischen Soldaten": the inflected participle before the
    noun still counts people who were captured."""
    text = ("Selenskyj bot an, die zwei gefangenen nordkoreanischen Soldaten gegen "
            "ukrainische Gefangene auszutauschen.")
    assert claims_of(text, baseline, "de") == [("nk-captured", 2.0, 2.0)]


def test_a_day_and_month_do_not_end_a_sentence() -> None:
    """"vom 15. Juni": the day's full stop before a month is no sentence end."""
    text = "Ein Bericht vom 15. Juni nennt 6000 Tote. Am 3. Mai kamen sie an."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Ein Bericht vom 15. Juni nennt 6000 Tote.", "Am 3. Mai kamen sie an."]


def test_sentences_glued_without_a_space_are_split() -> None:
    """Scraped pages lose the space after a full stop ("exagéré.Le 17 juin"); the next
    sentence is its own, while "U.S." and "3.000" stay whole."""
    text = "Le chiffre est exagéré.Le 17 juin, les U.S. ont compté 3.000 soldats."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Le chiffre est exagéré.", "Le 17 juin, les U.S. ont compté 3.000 soldats."]


def test_a_deployment_dated_after_the_first_is_later_troops(baseline: Baseline) -> None:
    """The baseline's first_until ends the first contingent: a sending its own clause
    dates later is additional troops, in any language; a report date outside the clause
    ("said on 16 January that ...") and the first sending itself are not."""
    def got(text: str, lang: str, published: str) -> list[tuple[str, float | None]]:
        return [(f.claim, f.figure.low) for f in analyze(text, baseline, lang=lang,
                                                         published=published)
                if f.claim and f.value_text is None]

    assert got("Seit September hat Nordkorea rund 4.000 Soldaten nach Kursk "
               "entsandt.", "de", "2025-11-20") == [("nk-additional-troops", 4000.0)]
    assert got("Selon Séoul, environ 4 000 soldats nord-coréens ont été envoyés en Russie "
               "depuis septembre.", "fr", "2025-11-20") == [("nk-additional-troops", 4000.0)]
    assert got("North Korea sent 1,500 soldiers to Russia in January and February.", "en",
               "2025-03-10") == [("nk-additional-troops", 1500.0)]
    assert got("Nordkorea hatte im Oktober letzten Jahres 11.000 Soldaten nach Russland "
               "geschickt.", "de", "2025-03-10") == [("nk-troops-deployed", 11000.0)]
    assert got("The think tank said on 16 January that all 12,000 North Korean troops "
               "deployed in Kursk would be lost.", "en", "2025-01-20") == [
        ("nk-troops-deployed", 12000.0)]


def test_the_first_contingents_clause_dates_its_arrival(baseline: Baseline) -> None:
    """A date claim with date_of reads the date from the clause of the claim it dates: a
    month the first force was sent in is when it came. A year alone says no more than
    the baseline, a relative clause's or a purpose's date is another deed's, and a later
    deployment dates later troops, never the first arrival."""
    def arrival(text: str, lang: str) -> list[str | None]:
        return [f.value_text for f in analyze(text, baseline, lang=lang,
                                              published="2025-06-10")
                if f.claim == "nk-arrival"]

    assert arrival("Pyongyang hat seit Oktober 2024 etwa 11.000 Soldaten nach Russland "
                   "geschickt.", "de") == ["2024-10"]
    assert arrival("Corea del Norte envió unos 11.000 soldados a Rusia en noviembre de "
                   "2024.", "es") == ["2024-11"]
    assert arrival("North Korea sent 11,000 soldiers to Russia in 2024.", "en") == []
    assert arrival("North Korea sent 11,000 soldiers to fight forces who entered Kursk in "
                   "August 2024.", "en") == []
    assert arrival("Corea del Norte envió 12.000 soldados para frenar la ofensiva de agosto "
                   "de 2024.", "es") == []
    assert arrival("North Korea sent 3,000 soldiers to Russia in February 2025.", "en") == []


def test_german_soldiers_taking_positions_are_deployed(baseline: Baseline) -> None:
    """Soldiers who "in Stellung gegangen sind" are the force in place."""
    text = "Dort sind 12.000 nordkoreanische Soldaten in Stellung gegangen."
    assert claims_of(text, baseline, "de") == [("nk-troops-deployed", 12000.0, 12000.0)]


def test_quoted_toll_words_and_present_tense_deaths(baseline: Baseline) -> None:
    """'"tués" ou "blessés"' in quotes is still the whole toll; "meurent" is dying."""
    text = 'Plus de 4.000 soldats nord-coréens ont été "tués" ou "blessés", selon Kiev.'
    assert claims_of(text, baseline, "fr") == [("nk-casualties", 4000.0, None)]
    text = "Quelque 700 soldats nord-coréens meurent et des centaines sont blessés."
    assert ("nk-killed", 700.0, 700.0) in claims_of(text, baseline, "fr")


def test_superado_ya_is_more_than(baseline: Baseline) -> None:
    text = ("Los soldados norcoreanos muertos o heridos en Kursk han superado ya los 4.000, "
            "dijo Zelenski.")
    assert claims_of(text, baseline, "es") == [("nk-casualties", 4000.0, None)]


def test_people_killed_by_a_partys_weapons_are_not_its_own(baseline: Baseline) -> None:
    """"The use of X's arms killed 30 people": the active verb's subject did the killing;
    the dead are not X's soldiers."""
    for text in ("Arms from North Korea killed 30 people in Kharkiv.",
                 "The use of North Korean arms in Ukraine killed 30 people and injured 90."):
        assert claims_of(text, baseline, "en") == [], text
    text = "North Korean troops were killed in large numbers: 300 killed and 2,700 wounded."
    assert claims_of(text, baseline, "en") == [("nk-killed", 300.0, 300.0),
                                               ("nk-wounded", 2700.0, 2700.0)]


def test_a_visit_dated_by_a_german_day_and_month(baseline: Baseline) -> None:
    """The claims' own sentence reader keeps "am 17. Juni" inside its sentence too, so
    the visit it dates is found."""
    text = ("Nach seinem jüngsten Nordkorea-Besuch am 17. Juni gab Schoigu bekannt, dass "
            "Pjöngjang Pioniere schicken werde.")
    got = [f.value_text for f in analyze(text, baseline, lang="de", published="2025-06-20")
           if f.claim == "shoigu-pyongyang-visit"]
    assert got == ["2025-06-17"]


def test_a_dozen_dead_of_one_position_is_not_the_toll(baseline: Baseline) -> None:
    """The shipped baseline's toll claims start at 20: the dozen bodies a patrol found,
    or 17 dead of one assault, are one incident's, while "dozens" is still a toll."""
    text = ("Ukrainian scouts found the bodies of about a dozen North Korean soldiers "
            "killed near the village.")
    assert claims_of(text, baseline, "en") == []
    text = "Dozens of North Korean soldiers have been killed, officials said."
    assert claims_of(text, baseline, "en") == [("nk-killed", 24.0, 99.0)]


def test_dead_or_wounded_in_german_and_spanish_shapes(baseline: Baseline) -> None:
    assert claims_of("Rund 2500 nordkoreanische Soldaten tot oder verletzt", baseline,
                     "de") == [("nk-casualties", 2500.0, 2500.0)]
    assert claims_of("Más de 2.500 soldados norcoreanos han muerto o han resultado heridos.",
                     baseline, "es") == [("nk-casualties", 2500.0, None)]


def test_a_second_verb_phrase_keeps_its_own_additional_words(baseline: Baseline) -> None:
    """"deployed 15,000 ... and has also sent extra engineers": "extra" belongs to the
    second deed, not to the force of the first."""
    text = ("Le régime a déployé environ 14 000 soldats nord-coréens à Koursk et a aussi "
            "envoyé des sapeurs supplémentaires.")
    assert claims_of(text, baseline, "fr") == [("nk-troops-deployed", 14000.0, 14000.0)]


def test_the_period_of_an_announcement_is_not_the_figures(baseline: Baseline) -> None:
    """"Last weekend Kyiv said that it had captured two": the weekend dates the saying,
    so the two are not one weekend's part; a weekend in the figure's clause still is."""
    text = ("Le week-end dernier, Kiev a annoncé que ses soldats avaient capturé deux "
            "Nord-Coréens vivants.")
    assert claims_of(text, baseline, "fr") == [("nk-captured", 2.0, 2.0)]
    text = "Over the weekend, 150 North Korean soldiers were killed near the border."
    assert claims_of(text, baseline, "en") == []


def test_a_date_of_saying_or_a_deadline_dates_no_arrival(baseline: Baseline) -> None:
    """"Selenski sprach Ende Oktober von 10.000 Soldaten" dates the speech; "to send
    12,000 by December" is a deadline. Neither is when the first troops came."""
    def arrival(text: str, lang: str) -> list[str | None]:
        return [f.value_text for f in analyze(text, baseline, lang=lang,
                                              published="2025-02-10")
                if f.claim == "nk-arrival"]

    assert arrival("Selenski sprach im November von rund 11.000 nordkoreanischen Soldaten "
                   "in Kursk.", "de") == []
    assert arrival("Seoul said North Korea planned to send some 12,000 soldiers to Russia "
                   "by December.", "en") == []
    assert arrival("North Korea sent some 12,000 soldiers to Russia in November 2024.",
                   "en") == ["2024-11"]


def test_a_share_of_an_approximate_whole(baseline: Baseline) -> None:
    """"more than half of the approximately 11,000 troops ... had been killed or wounded":
    an approximation before the whole keeps the whole, and its verb, the share's."""
    text = ("London said more than half of the approximately 11,000 North Korean troops "
            "sent to Russia had been killed or wounded.")
    got = claims_of(text, baseline, "en")
    assert ("nk-casualty-share", 50.0, None) in got
    assert ("nk-troops-deployed", 11000.0, 11000.0) in got


def test_a_share_the_last_toll_makes_up(baseline: Baseline) -> None:
    """"The number amounts to more than half of the 11,000 sent": the share is of the
    toll the sentence before gave, so it is the casualty share."""
    text = ("London estimates that about 6,500 North Korean soldiers have been killed or "
            "wounded. That figure amounts to more than half of the 11,000 North Korean "
            "troops first sent to Kursk.")
    assert ("nk-casualty-share", 50.0, None) in claims_of(text, baseline, "en")


def test_german_compound_people_nouns(baseline: Baseline) -> None:
    """"Armeeangehörige", "Elitesoldaten": the head of a German compound counts people."""
    text = ("Bis zu 12.000 Armeeangehörige soll Kim Jong Un nach Russland geschickt haben.")
    assert claims_of(text, baseline, "de") == [("nk-troops-deployed", None, 12000.0)]


def test_more_verbs_of_supplying_and_a_yearly_rate(baseline: Baseline) -> None:
    """"zur Verfügung gestellt", "ha proporcionado" supply shells; "granadas anuales" are
    a rate, not the total."""
    assert claims_of("Pjöngjang soll Moskau mehr als zwei Millionen Granaten zur Verfügung "
                     "gestellt haben.", baseline, "de") == [
        ("nk-shells-supplied", 2_000_000.0, None)]
    assert claims_of("Corea del Norte ha proporcionado a Rusia más de 4 millones de "
                     "proyectiles de artillería.", baseline, "es") == [
        ("nk-shells-supplied", 4_000_000.0, None)]
    assert claims_of("Corea del Norte proporciona a Rusia unos dos millones de granadas "
                     "anuales.", baseline, "es") == []


def test_bringing_the_total_to_counts_what_the_sentence_counted(baseline: Baseline) -> None:
    """"has risen by 1,500, bringing the total there to 9,500": the new total of the
    troops the sentence counts; "bringing the total number of casualties to" names its own."""
    text = ("The number of North Korean troops in Kursk has risen by about 1,500, officials "
            "said, bringing the total in the region to some 9,500.")
    assert ("nk-troops-deployed", 9500.0, 9500.0) in claims_of(text, baseline, "en")
    text = ("Seoul said 500 North Korean soldiers have died, bringing the total number of "
            "casualties to 3,900.")
    got = claims_of(text, baseline, "en")
    assert ("nk-killed", 3900.0, 3900.0) not in got


def test_engineer_troops_sent_to_clear_mines_are_additional(baseline: Baseline) -> None:
    text = ("Pyongyang sent about 1,200 engineer troops to Kursk to help clear the mines "
            "left by the fighting.")
    assert claims_of(text, baseline, "en") == [("nk-additional-troops", 1200.0, 1200.0)]


def test_the_casualty_share_in_spanish_and_french(baseline: Baseline) -> None:
    """"lo que supone más de la mitad de los efectivos desplegados", "plus de la moitié
    des quelque 11 000 soldats": the whole after "de los"/"des" is the share's."""
    text = ("Londres calcula que Corea del Norte sufrió más de 6.500 bajas en Kursk, lo que "
            "supone más de la mitad de los efectivos desplegados al principio.")
    assert ("nk-casualty-share", 50.0, None) in claims_of(text, baseline, "es")
    text = ("Londres estime les pertes nord-coréennes à plus de 6 500. Ces pertes représentent "
            "plus de la moitié des quelque 11 000 soldats d'abord déployés à Koursk.")
    assert ("nk-casualty-share", 50.0, None) in claims_of(text, baseline, "fr")


def test_zufolge_names_the_source_before_it(baseline: Baseline) -> None:
    """"Schätzungen des südkoreanischen Geheimdienstes zufolge ...": the phrase before the
    postposition is the source, so the party in it is not the figure's subject."""
    text = ("Schätzungen des südkoreanischen Geheimdienstes zufolge wurden bislang rund "
            "14.000 Soldaten entsandt.")
    found = [f for f in analyze(text, baseline, lang="de") if f.figure.low == 14000]
    assert found and found[0].subject != "South Korea"
    assert found[0].source is not None and "Geheimdienstes" in found[0].source


def test_a_since_clause_does_not_lend_its_verb(baseline: Baseline) -> None:
    """"des milliers d'autres blessés depuis qu'ils ont été envoyés": the wounded are
    wounded; the sending belongs to the clause after "since"."""
    cases = [
        ("fr", "Selon Séoul, 700 soldats nord-coréens ont été tués et des milliers d’autres "
               "blessés depuis qu’ils ont été envoyés au front."),
        ("en", "Seoul says 700 North Korean soldiers were killed and thousands of others "
               "wounded since they were sent to the front."),
    ]
    for lang, text in cases:
        got = claims_of(text, baseline, lang)
        assert ("nk-wounded", 2000.0, 9999.0) in got, lang
        assert ("nk-troops-deployed", 2000.0, 9999.0) not in got, lang


def test_a_source_with_its_abbreviation_is_not_the_subject(baseline: Baseline) -> None:
    """"D’après le Service national du renseignement (NIS), ...": the abbreviation in
    brackets belongs to the source, whose party is then not the figure's."""
    text = ("Pyongyang a envoyé des soldats en Russie. D’après le Service national du "
            "renseignement (NIS), le nombre de tués est estimé à environ 2 500.")
    found = [f for f in analyze(text, baseline, lang="fr") if f.figure.low == 2500]
    assert found and found[0].subject != "South Korea"


def test_spanish_muertes_are_deaths(baseline: Baseline) -> None:
    text = ("Corea del Norte ha sufrido unas 4.000 bajas, incluidas aproximadamente 700 "
            "muertes, según Seúl.")
    assert ("nk-killed", 700.0, 700.0) in claims_of(text, baseline, "es")


def test_prisoners_stay_prisoners_whatever_they_do_next(baseline: Baseline) -> None:
    """"Les deux soldats faits prisonniers ont exprimé le souhait de ...": the clause's
    own verb is another deed, but the figure still counts the captured."""
    text = ("Les deux soldats nord-coréens faits prisonniers par Kiev ont demandé à partir "
            "pour Séoul.")
    assert claims_of(text, baseline, "fr") == [("nk-captured", 2.0, 2.0)]


def test_german_living_captives(baseline: Baseline) -> None:
    """"zwei lebende Nordkoreaner gefangen genommen": "lebende" stands before the noun
    that names the captives' party; a weekend before "dass" dates the report."""
    text = ("Am Wochenende berichtete Selenskyj, dass seine Truppen erstmals zwei lebende "
            "Nordkoreaner gefangen genommen hätten.")
    assert claims_of(text, baseline, "de") == [("nk-captured", 2.0, 2.0)]
