"""Whatever is typed into the search box: a page or a clear message, never a 500.

The Big List of Naughty Strings runs through the views' own steps in process, line by line,
and through each view once over HTTP.
"""

from urllib.parse import quote

import pytest

from forum.search import engine
from forum.search.forms import SearchForm
from forum.search.parsing import parse_query, parse_title
from tests.conftest import bad_input_lines

pytestmark = pytest.mark.django_db

NASTY = ["", "a", "x" * 2000, "ø" * 2001, "&|!:*()'\"\\", "'", '"', "\\", "-", "--", "OR", "!!",
         "a:*", "(((", "sykefravær & | !", "'; DROP TABLE forum_post; --", "<->", "\u202e",
         "\ue000\ue001", "sykefravær:*A", "  -\"\"  "]  # fmt: skip


@pytest.fixture
def some_content(topic, make_thread):
    make_thread(topic, "Sykefravær og tolk", "Hjelpemiddelsentralen svarer om tolk.")


@pytest.mark.parametrize("text", NASTY)
def test_nasty_search_text_gives_a_page(employee_client, some_content, text):
    response = employee_client.get("/sok/", {"q": text})
    assert response.status_code == 200


def test_nul_byte_is_refused_with_a_page_not_an_error(employee_client, some_content):
    response = employee_client.get("/sok/?q=syke%00frav%C3%A6r")
    assert response.status_code == 400


def test_every_line_of_the_big_list_of_naughty_strings(employee_client, some_content):
    # Each line through what the two views run, in process: the form, the parser, the engine.
    failures = []
    for line in bad_input_lines("blns.txt"):
        try:
            form = SearchForm({"q": line})
            parsed = parse_query(form.data["q"])
            if parsed.is_searchable and form.is_valid():
                engine.search_threads(parsed, form.filters())
            engine.similar_threads(*parse_title(line))
        except engine.SearchTimeout:
            pass  # both views answer it with a page
        except Exception as error:
            failures.append((line, repr(error)))
    assert failures == []

    # The wiring, once per view: the whole list as one text.
    raw = quote(" ".join(bad_input_lines("blns.txt")).encode("utf-8", "surrogateescape"))
    for url in (f"/sok/?q={raw}", f"/sok/lignende/?title={raw}"):
        assert employee_client.get(url).status_code in (200, 400)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "tolk", "topic": "abc"},
        {"q": "tolk", "county": "999999999999999999999"},
        {"q": "tolk", "unit": "-1"},
        {"q": "tolk", "date_from": "2026-13-45"},
        {"q": "tolk", "date_from": "2026-05-01", "date_to": "2026-01-01"},
        {"q": "tolk", "kind": "nonsense"},
        {"q": "tolk", "sort": "'; --"},
    ],
)
def test_bad_filters_give_a_page_with_field_errors(employee_client, some_content, params):
    response = employee_client.get("/sok/", params)
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e5", "9" * 50, "51"])
def test_bad_page_numbers_are_a_404(employee_client, some_content, page):
    assert employee_client.get("/sok/", {"q": "tolk", "page": page}).status_code == 404


def test_a_page_past_the_end_offers_the_first(employee_client, some_content):
    response = employee_client.get("/sok/", {"q": "tolk", "page": "7"})
    assert response.status_code == 200
    assert "page=1" in response.content.decode()
