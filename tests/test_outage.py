"""While PostgreSQL cannot be reached every request gets the product's own 503 page, rendered
without the database, and a POST's text comes back to be copied (issue 13, finding 2).

The outage is real: the connection is pointed at a port where no server listens, so every
query the request makes (the session, the employee, the page) fails as it would with the
server stopped."""

import contextlib

import pytest
from django.db import connection
from django.test import Client


@contextlib.contextmanager
def database_unreachable():
    saved = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = saved


@pytest.fixture
def signed_in(transactional_db, employee) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(employee)
    return client


@pytest.mark.parametrize("path", ["/", "/sok/?q=dagpenger", "/tema/finnes-ikke/", "/moderering/"])
def test_every_page_answers_503_with_retry_after_while_the_database_is_down(signed_in, path):
    with database_unreachable():
        response = signed_in.get(path)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "midlertidig utilgjengelig" in page and "temporarily unavailable" in page
    assert "no-store" in response["Cache-Control"]


def test_a_reply_sent_during_the_outage_comes_back_in_a_box_to_copy(signed_in):
    text = "Jeg har **samme** sak: <søknad> om AAP & sykepenger."
    with database_unreachable():
        response = signed_in.post("/trad/1/svar/", {"body": text})
    assert response.status_code == 503
    assert "Jeg har **samme** sak: &lt;søknad&gt; om AAP &amp; sykepenger." in (
        response.content.decode()
    )


def test_pages_answer_again_as_soon_as_the_database_is_back(signed_in):
    with database_unreachable():
        assert signed_in.get("/").status_code == 503
    assert signed_in.get("/").status_code == 200


def test_other_server_errors_keep_the_static_500_page(rf):
    from erfaringsforum.views import server_error

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()


def test_the_outage_page_is_rendered_without_a_single_query(rf, django_assert_num_queries, db):
    from django.db import OperationalError

    from erfaringsforum.views import server_error

    with django_assert_num_queries(0):
        try:
            raise OperationalError("down")
        except OperationalError:
            response = server_error(rf.post("/trad/1/svar/", {"body": "Teksten min"}))
    assert response.status_code == 503 and "Teksten min" in response.content.decode()
