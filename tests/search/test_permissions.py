"""Nothing that a reader may not see matches, counts or shows in a snippet, for anyone."""

import pytest
from django.test import Client
from django.utils import timezone

from forum.search.engine import Filters, search_threads, similar_threads
from forum.search.parsing import parse_query, parse_title
from moderation.models import Consultation, InternalNote
from tests.conftest import client_for
from tests.search.conftest import add_post

pytestmark = pytest.mark.django_db


def search(query: str):
    return search_threads(parse_query(query), Filters())


@pytest.fixture
def superuser_client(admin_user) -> Client:
    return client_for(admin_user)


@pytest.fixture
def everyone(employee_client, superuser_client, staff):
    return [employee_client, superuser_client, client_for(staff[0])]


def assert_nobody_finds(clients, query: str, secret: str) -> None:
    for client in clients:
        response = client.get("/sok/", {"q": query})
        assert response.status_code == 200
        assert response.context["results"].total == 0
        assert secret not in response.content.decode()


def test_unpublished_topic_never_matches(make_topic, make_thread, everyone):
    make_thread(make_topic("Utkast", published=False), "Hemmelig omorganisering")
    assert search("omorganisering").total == 0
    assert similar_threads(*parse_title("Hemmelig omorganisering")) == []
    assert_nobody_finds(everyone, "omorganisering", "Hemmelig")


def test_topic_under_an_unpublished_group_never_matches(make_topic, make_thread, everyone):
    group = make_topic("Gruppe", published=False)
    make_thread(make_topic("Under", parent=group), "Hemmelig nedbemanning")
    assert search("nedbemanning").total == 0
    assert similar_threads(*parse_title("Hemmelig nedbemanning")) == []


def test_hidden_post_never_matches_counts_or_shows(topic, make_thread, everyone):
    thread = make_thread(topic, "Om refusjon", "Arbeidsgiver søker refusjon.")
    add_post(thread, "Personnummer 12345 og navnet Ola Hemmelig", hidden=True)
    assert search("personnummer").total == 0
    assert search("Hemmelig").total == 0
    page = search("refusjon")
    assert page.total == 1 and "Hemmelig" not in page.hits[0].snippet_html
    assert_nobody_finds(everyone, "personnummer", "Ola Hemmelig")


def test_deleted_post_never_matches(topic, make_thread, everyone):
    thread = make_thread(topic, "Om refusjon", "Arbeidsgiver søker refusjon.")
    add_post(thread, "Slettet fornærmelse", deleted_at=timezone.now())
    assert search("fornærmelse").total == 0
    assert_nobody_finds(everyone, "fornærmelse", "Slettet")


def test_thread_with_hidden_opening_post_is_not_found_by_title_or_reply(topic, make_thread, staff):
    thread = make_thread(topic, "Skjult spørsmål om lønnsgaranti", "Tekst.")
    thread.posts.update(hidden_at=timezone.now(), hidden_by=staff[0])
    add_post(thread, "Svar om lønnsgaranti")
    assert search("lønnsgaranti").total == 0
    assert similar_threads(*parse_title("Skjult spørsmål om lønnsgaranti")) == []


def test_snippet_never_comes_from_a_hidden_post(topic, make_thread):
    thread = make_thread(topic, "Permittering", "Vanlig tekst.")
    add_post(thread, "Permittering med sensitiv helseopplysning", hidden=True)
    hit = search("permittering").hits[0]
    assert "helseopplysning" not in hit.snippet_html
    assert hit.snippet_html.startswith("Vanlig tekst")


def test_internal_consultation_notes_never_match(topic, make_thread, staff, everyone):
    thread = make_thread(topic, "Vanskelig sak", "Åpen tekst.")
    consultation = Consultation.objects.create(thread=thread, opened_by=staff[0])
    InternalNote.objects.create(
        consultation=consultation,
        author=staff[0],
        body_md="Intern vurdering: juristkonklusjon",
        body_html="<p>Intern vurdering: juristkonklusjon</p>",
    )
    assert search("juristkonklusjon").total == 0
    assert_nobody_finds(everyone, "juristkonklusjon", "Intern vurdering")


def test_hidden_clarified_answer_gives_no_badge_and_no_boost(topic, make_thread, staff):
    from tests.search.conftest import clarify

    thread = make_thread(topic, "Foreldrepenger", "Spørsmål.")
    clarify(add_post(thread, "Avklart, men skjult", hidden=True), staff[0])
    hit = search("foreldrepenger").hits[0]
    assert not hit.clarified
