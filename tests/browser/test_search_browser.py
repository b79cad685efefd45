"""Search as an employee uses it: header box, filters in the URL, back button, suggestions."""

from tests.browser.conftest import assert_accessible, login
from tests.search.conftest import *  # noqa: F403  (the search fixtures)
from tests.search.conftest import add_post, clarify


def test_search_from_the_header_then_filter_by_topic_and_go_back(
    page, employee, topic, make_topic, make_thread, staff
):
    child = make_topic("Oppfølging", parent=topic)
    other = make_topic("Hjelpemidler")
    answered = make_thread(child, "Rutiner for sykefraværsoppfølging", "Vi har faste møter.")
    clarify(add_post(answered, "Dette er avklart: møte i uke fire."), staff[0])
    make_thread(other, "Sykefravær og hjelpemidler", "Hjelpemiddelsentralen svarer.")

    login(page, employee)
    page.fill("#site-search", "sykefravær")
    page.press("#site-search", "Enter")
    page.wait_for_load_state()
    assert "/sok/?q=sykefrav" in page.url
    hits = page.locator(".search-hit")
    assert hits.count() == 2
    assert "sykefraværsoppfølging" in hits.nth(0).locator("h3").inner_text()
    assert hits.nth(0).get_by_text("Clarified answer").is_visible()
    assert page.get_by_role("status").filter(has_text="2 threads match").is_visible()
    assert_accessible(page)

    page.select_option("#id_topic", str(other.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert f"topic={other.pk}" in page.url
    assert page.locator(".search-hit").count() == 1
    assert "hjelpemidler" in page.locator(".search-hit h3").inner_text()
    assert page.locator("#id_q").input_value() == "sykefravær"
    assert_accessible(page)

    page.go_back()
    page.wait_for_load_state()
    assert page.locator(".search-hit").count() == 2

    page.locator(".search-hit h3 a").first.click()
    page.wait_for_load_state()
    assert "Rutiner for sykefraværsoppfølging" in page.locator("h1").inner_text()
    assert page.js_errors == []


def test_bad_input_and_empty_search_give_a_clear_message(page, employee, topic):
    login(page, employee)
    page.goto("/sok/?q=%26%7C%21%3A%2A%28%29")
    assert page.get_by_role("status").filter(has_text="no words").is_visible()
    page.goto("/sok/")
    assert page.get_by_role("status").filter(has_text="Type one or more words").is_visible()
    assert_accessible(page)
