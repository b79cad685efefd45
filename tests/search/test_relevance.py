"""Relevance on a fixed Norwegian corpus: compounds, phrases, exclusion, weights, boosts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from forum.models import Thread
from forum.search.engine import Filters, search_threads
from forum.search.parsing import parse_query
from tests.search.conftest import add_post, clarify

pytestmark = pytest.mark.django_db


def titles(query: str, **filters) -> list[str]:
    page = search_threads(parse_query(query), Filters(**filters))
    return [hit.title_html.replace("<mark>", "").replace("</mark>", "") for hit in page.hits]


# The corpus's threads, by title.
ROUTINES = "Rutiner for sykefraværsoppfølging"
WAITING = "Ventetid på hjelpemiddelsentralen"
MEETING = "Dialogmøte etter åtte uker"
GRADED = "Gradert sykmelding"


@pytest.fixture
def corpus(topic, make_topic, make_thread):
    hjelpemidler = make_topic("Hjelpemidler")
    make_thread(topic, ROUTINES, "Vi har faste møter med arbeidsgiver i uke fire.")
    make_thread(hjelpemidler, WAITING, "Hvor lenge venter brukerne deres på en rullestol?")
    make_thread(
        topic, MEETING, "Hvem kaller inn til dialogmøte når sykmeldt bruker har byttet fastlege?"
    )
    make_thread(topic, GRADED, "Brukeren er delvis sykmeldt og delvis i arbeid.")
    return hjelpemidler


# (what the corpus is asked, what it answers: a list in rank order, a set where any order
# will do), one row a rule of the query language.
CORPUS_ANSWERS = {
    "a word finds compounds it begins": [
        ("sykefravær", [ROUTINES]),
        ("hjelpemiddel", [WAITING]),
    ],
    "inflected forms meet through the Norwegian stemmer": [("dialogmøtet", [MEETING])],
    "a quoted phrase matches only in order": [
        ('"delvis sykmeldt"', [GRADED]),
        ('"sykmeldt delvis"', []),
    ],
    "minus excludes a word": [
        ("sykmeldt", {MEETING, GRADED}),
        ("sykmeldt -fastlege", [GRADED]),
    ],
    "minus excludes a word in the title too": [("sykmeldt -gradert", [MEETING])],
    "words may be split between title and opening post": [
        ("ventetid rullestol", [WAITING]),
        ("ventetid rullestol -brukerne", []),
    ],
    "or offers alternatives": [("rullestol OR arbeidsgiver", {ROUTINES, WAITING})],
}


@pytest.mark.parametrize("rule", CORPUS_ANSWERS)
def test_the_corpus_answers_each_rule_of_the_query_language(corpus, rule):
    for query, expected in CORPUS_ANSWERS[rule]:
        found = titles(query)
        assert (set(found) if isinstance(expected, set) else found) == expected, query


def test_title_match_beats_body_match(topic, make_thread):
    make_thread(topic, "Spørsmål om reiseutgifter", "Gjelder dette også tilleggsstønad?")
    make_thread(topic, "Tilleggsstønad ved arbeidsrettet tiltak", "Hvordan søker brukeren?")
    assert titles("tilleggsstønad") == [
        "Tilleggsstønad ved arbeidsrettet tiltak",
        "Spørsmål om reiseutgifter",
    ]


def test_clarified_answer_lifts_a_thread_above_an_equal_one(topic, make_thread, staff):
    plain = make_thread(topic, "Arbeidsavklaringspenger og ferie", "Kan brukeren reise?")
    add_post(plain, "Det kommer an på aktivitetsplanen.")
    clarified = make_thread(
        topic, "Arbeidsavklaringspenger og ferie", "Kan brukeren reise?", age_days=1
    )
    answer = add_post(clarified, "Det kommer an på aktivitetsplanen.")
    clarify(answer, staff[0])
    page = search_threads(parse_query("arbeidsavklaringspenger"), Filters())
    assert [hit.thread_id for hit in page.hits] == [clarified.pk, plain.pk]
    assert page.hits[0].clarified and not page.hits[1].clarified


def test_accepted_answer_lifts_a_thread_above_an_equal_one(topic, make_thread):
    plain = make_thread(topic, "Meldekort for sent", "Hva gjør vi?", kind="question")
    add_post(plain, "Ring brukeren.")
    solved = make_thread(topic, "Meldekort for sent", "Hva gjør vi?", kind="question", age_days=1)
    answer = add_post(solved, "Ring brukeren.")
    Thread.objects.filter(pk=solved.pk).update(solution_post=answer)
    page = search_threads(parse_query("meldekort"), Filters())
    assert [hit.thread_id for hit in page.hits] == [solved.pk, plain.pk]
    assert page.hits[0].accepted


def test_newer_thread_wins_a_tie_and_newest_sort_orders_by_date(topic, make_thread):
    make_thread(topic, "Uføretrygd og arbeid", age_days=400)
    make_thread(topic, "Uføretrygd og arbeid i helger", age_days=2)
    assert titles("uføretrygd")[0] == "Uføretrygd og arbeid i helger"
    assert titles("uføretrygd", sort="newest") == [
        "Uføretrygd og arbeid i helger",
        "Uføretrygd og arbeid",
    ]


def test_one_row_per_thread_with_the_best_post_as_snippet(topic, make_thread):
    thread = make_thread(topic, "Husbanken", "Startlån er ikke vårt bord.")
    add_post(thread, "Bostøtte søkes hos kommunen.")
    best = add_post(thread, "Bostøtte og bostøtte: to ganger bostøtte.")
    page = search_threads(parse_query("bostøtte"), Filters())
    assert page.total == 1
    assert page.hits[0].post_id == best.pk
    assert "<mark>bostøtte</mark>" in page.hits[0].snippet_html.lower()


def test_snippet_escapes_html_and_only_marks_are_markup(topic, make_thread):
    make_thread(
        topic,
        "Skjema <b>NAV 08-07.08</b>",
        "<script>alert(1)</script> 5 < 6 & 7 sosialhjelp \ue000x",
    )
    hit = search_threads(parse_query("sosialhjelp"), Filters()).hits[0]
    assert "<script" not in hit.snippet_html
    assert "5 &lt; 6 &amp; 7" in hit.snippet_html
    assert hit.snippet_html.count("<mark>") == hit.snippet_html.count("</mark>") == 1
    assert "&lt;b&gt;" in hit.title_html


def test_filters_topic_subtree_county_unit_kind_dates_and_clarified(
    topic, make_topic, make_thread, make_employee, other_unit, staff
):
    child = make_topic("Oppfølging", parent=topic)
    elsewhere = make_topic("Annet")
    in_child = make_thread(child, "Tiltakspenger i barnetema", kind="question")
    in_other = make_thread(
        elsewhere,
        "Tiltakspenger i Bodø",
        author=make_employee(unit_obj=other_unit),
        age_days=30,
    )
    topic.refresh_from_db()  # mptt renumbered the tree when topics were added
    assert titles("tiltakspenger", topic=topic) == ["Tiltakspenger i barnetema"]
    assert titles("tiltakspenger", county_id=other_unit.county_id) == ["Tiltakspenger i Bodø"]
    assert titles("tiltakspenger", unit_id=other_unit.pk) == ["Tiltakspenger i Bodø"]
    assert titles("tiltakspenger", kind="question") == ["Tiltakspenger i barnetema"]
    today = timezone.localdate()
    assert titles("tiltakspenger", date_to=today - timedelta(days=10)) == ["Tiltakspenger i Bodø"]
    assert titles("tiltakspenger", date_from=today) == ["Tiltakspenger i barnetema"]
    assert titles("tiltakspenger", date_from=date(2000, 1, 1), date_to=today) != []
    clarify(add_post(in_other, "Svar om tiltakspenger"), staff[0])
    assert titles("tiltakspenger", clarified_only=True) == ["Tiltakspenger i Bodø"]
    assert in_child.pk != in_other.pk


def test_results_are_paginated(topic, make_thread):
    for n in range(23):
        make_thread(topic, f"Kvalifiseringsprogram nummer {n}")
    first = search_threads(parse_query("kvalifiseringsprogram"), Filters())
    second = search_threads(parse_query("kvalifiseringsprogram"), Filters(), page=2)
    assert (first.total, first.num_pages, len(first.hits), len(second.hits)) == (23, 2, 20, 3)
    assert not {h.thread_id for h in first.hits} & {h.thread_id for h in second.hits}


def test_stopwords_only_find_nothing_without_error(corpus):
    assert titles("og i på") == []


def test_a_phrase_rarer_than_its_words_is_found(topic, make_thread):
    for n in range(30):
        make_thread(topic, f"Sykmelding nummer {n}", "Sykmelding, og noe gradert her.")
    make_thread(topic, "Den riktige", "Det gjelder gradert sykmelding i to uker.")
    assert titles('"gradert sykmelding"') == ["Den riktige"]


def test_date_filters_use_the_sites_local_days(topic, make_thread, settings):
    """A thread started at 00:30 in Oslo (23:30 UTC the day before) is on the Oslo day."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Europe/Oslo"
    thread = make_thread(topic, "Arbeidsavklaringspenger ved midnatt")
    started = datetime(2026, 3, 10, 0, 30, tzinfo=ZoneInfo("Europe/Oslo"))
    Thread.objects.filter(pk=thread.pk).update(created_at=started)
    day = date(2026, 3, 10)
    with timezone.override("Europe/Oslo"):
        assert titles("arbeidsavklaringspenger", date_from=day, date_to=day) == [
            "Arbeidsavklaringspenger ved midnatt"
        ]
        assert titles("arbeidsavklaringspenger", date_to=day - timedelta(days=1)) == []
        assert titles("arbeidsavklaringspenger", date_from=day + timedelta(days=1)) == []
