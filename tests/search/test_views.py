"""Wiring of the search page and the similar-threads fragment, with pinned query counts."""

import pytest
from django.urls import reverse

from tests.search.conftest import add_post, clarify

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(topic, make_thread, staff):
    answered = make_thread(topic, "Oppfølging av sykefravær hos frisører", "Hvordan gjør dere?")
    clarify(add_post(answered, "Slik gjør vi det: dialogmøte."), staff[0])
    for n in range(3):
        make_thread(topic, f"Oppfølging av sykefravær, spørsmål {n}", "Tekst om sykefravær.")
    return answered


def test_search_url_is_named_and_the_header_form_points_to_it(employee_client):
    assert reverse("forum:search") == "/sok/"
    response = employee_client.get("/")
    assert 'action="/sok/"' in response.content.decode()


def test_search_needs_login(client):
    response = client.get("/sok/", {"q": "sykefravær"})
    assert response.status_code == 302


def test_results_page_lists_threads_with_marks_badges_and_count(employee_client, threads):
    response = employee_client.get("/sok/", {"q": "sykefravær"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 threads match" in html or "4 tråder" in html
    assert "<mark>sykefravær</mark>" in html.lower()
    assert html.index("frisører") < html.index("spørsmål 0")
    assert 'class="search-hits"' in html
    assert 'value="sykefravær"' in html  # the query stays in the box


def test_query_count_is_pinned_on_the_search_page(
    employee_client, threads, django_assert_num_queries
):
    employee_client.get("/sok/", {"q": "sykefravær"})  # warm the session
    with django_assert_num_queries(EXPECTED_SEARCH_QUERIES):
        employee_client.get("/sok/", {"q": "sykefravær", "sort": "newest"})


def test_filters_round_trip_in_the_url_and_pagination_keeps_them(
    employee_client, topic, make_thread
):
    for n in range(25):
        make_thread(topic, f"Tiltakspenger tema {n}", kind="question")
    response = employee_client.get(
        "/sok/", {"q": "tiltakspenger", "kind": "question", "topic": topic.pk}
    )
    html = response.content.decode()
    assert f"topic={topic.pk}" in html and "kind=question" in html and "page=2" in html
    second = employee_client.get(
        "/sok/", {"q": "tiltakspenger", "kind": "question", "topic": topic.pk, "page": "2"}
    )
    assert len(second.context["results"].hits) == 5


def test_empty_query_explains_what_to_do(employee_client):
    response = employee_client.get("/sok/")
    assert response.status_code == 200
    assert response.context["results"] is None
    assert response.context["parsed"].problem == "empty"


def test_similar_fragment_offers_answered_threads_first(employee_client, threads):
    response = employee_client.get("/sok/lignende/", {"title": "Oppfølging av sykefravær"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<li>") == 4
    assert html.index("frisører") < html.index("spørsmål 0")


def test_similar_fragment_is_empty_for_short_or_unmatched_titles(employee_client, threads):
    assert employee_client.get("/sok/lignende/", {"title": "ab"}).content.strip() == b""
    unmatched = employee_client.get("/sok/lignende/", {"title": "Kvantefysikk"})
    assert unmatched.content.strip() == b""


def test_similar_fragment_offers_at_most_five(employee_client, topic, make_thread):
    for n in range(8):
        make_thread(topic, f"Dagpenger under permittering {n}")
    response = employee_client.get("/sok/lignende/", {"title": "Dagpenger under permittering"})
    assert response.content.decode().count("<li>") == 5


def test_query_count_is_pinned_on_the_similar_endpoint(
    employee_client, threads, django_assert_num_queries
):
    employee_client.get("/sok/lignende/", {"title": "sykefravær"})
    with django_assert_num_queries(EXPECTED_SIMILAR_QUERIES):
        employee_client.get("/sok/lignende/", {"title": "Oppfølging av sykefravær"})


# Session and employee (2), the header's navigation (1), the filter choices: topics, counties,
# units (3), the transaction-local settings (1) and the whole search, headlines included (1);
# plus SAVEPOINT and RELEASE (2) because a test already runs inside a transaction (in
# production the search's transaction is the outermost: 8 queries).
EXPECTED_SEARCH_QUERIES = 10
# Session and employee (2), settings (1), the similar-threads query (1), savepoint (2).
EXPECTED_SIMILAR_QUERIES = 6


def test_a_search_that_runs_too_long_says_so(employee_client, threads, monkeypatch):
    from forum.search import common, engine, similar

    monkeypatch.setattr(common, "SEARCH_TIMEOUT_MS", 50)
    monkeypatch.setattr(engine, "search_sql", lambda *a, **k: ("SELECT pg_sleep(1)", {}))
    monkeypatch.setattr(similar, "similar_sql", lambda *a, **k: ("SELECT pg_sleep(1)", {}))
    response = employee_client.get("/sok/", {"q": "sykefravær"})
    assert response.status_code == 200
    assert response.context["timed_out"] is True
    similar = employee_client.get("/sok/lignende/", {"title": "Oppfølging av sykefravær"})
    assert similar.status_code == 200 and similar.content.strip() == b""
    monkeypatch.undo()  # the connection is still usable afterwards
    assert employee_client.get("/sok/", {"q": "frisører"}).context["results"].total == 1


def test_eller_finds_either_word_and_the_tips_name_both_operators(
    employee_client, topic, make_thread
):
    make_thread(topic, "Tolk til møtet med brukeren", "Hvordan bestiller dere tolk?")
    make_thread(topic, "Hjelpemiddel til hjemmekontor", "Hvem betaler?")
    make_thread(topic, "Dagpenger under permittering", "Et annet spørsmål.")
    response = employee_client.get("/sok/", {"q": "tolk ELLER hjelpemiddel"})
    html = response.content.decode()
    assert "til møtet med brukeren" in html and "til hjemmekontor" in html
    assert "Dagpenger under permittering" not in html
    assert "ELLER" in html and " OR " in html  # the tips document both
