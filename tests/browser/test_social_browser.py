"""Issue 15, social, in Debian's chromium: a mention with suggestions while typing and as
plain text without JavaScript, and the useful mark; axe on each page."""

from playwright.sync_api import expect

from forum.models import Mention, UsefulMark
from tests.browser.conftest import assert_accessible, login
from tests.forum.conftest import *  # noqa: F403  (the forum fixtures)
from tests.forum.conftest import _no_rate_limit  # noqa: F401  (autouse: no star import)


def test_mention_a_colleague_chosen_from_the_suggestions(
    page, thread, other_employee, make_employee
):
    ola = make_employee("Ola Nordmann", email="ola.nordmann@nav.example")
    login(page, other_employee)
    page.goto(thread.get_absolute_url() + "?page=1")
    box = page.locator(".reply textarea[name=body]")
    box.click()
    box.press_sequentially("Hva tenker @nord", delay=20)
    option = page.locator(".mention-suggestions").get_by_role("option", name="Ola Nordmann")
    expect(option).to_be_visible()
    # "nord" finds Kari Nordmann first (by name), then Ola: the arrow key moves to Ola.
    expect(page.locator(".mention-suggestions").get_by_role("option")).to_have_count(2)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    expect(option).to_have_attribute("aria-selected", "true")
    assert_accessible(page)
    box.press("Enter")  # takes the highlighted colleague
    assert box.input_value() == "Hva tenker @ola.nordmann "
    expect(page.locator(".mention-suggestions")).to_be_hidden()
    box.press_sequentially("om dette?")
    page.locator(".reply").get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    link = page.locator("#p2 .post__body a.mention")
    expect(link).to_have_text("@ola.nordmann")
    assert link.get_attribute("href") == f"/ansatt/{ola.pk}/"
    assert Mention.objects.filter(employee=ola).count() == 1
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ola Nordmann"
    assert_accessible(page)
    assert page.js_errors == []


def test_a_mention_typed_as_plain_text_works_without_javascript(
    browser, live_server, thread, other_employee, make_employee
):
    ola = make_employee("Ola Nordmann", email="ola.nordmann@nav.example")
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, other_employee)
        page.goto(thread.get_absolute_url() + "?page=1")
        page.locator(".reply textarea[name=body]").fill("Spør @ola.nordmann.")
        page.locator(".reply").get_by_role("button", name="Send").click()
        page.wait_for_load_state()
        expect(page.locator("#p2 .post__body a.mention")).to_have_text("@ola.nordmann")
        assert Mention.objects.filter(employee=ola).exists()
    finally:
        context.close()


def test_mark_a_post_useful_and_take_it_back(page, thread, other_employee):
    login(page, other_employee)
    page.goto(thread.get_absolute_url() + "?page=1")
    button = page.locator("#p1").get_by_role("button", name="Useful")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert_accessible(page)
    button.click()
    page.wait_for_load_state()
    button = page.locator("#p1").get_by_role("button", name="Useful")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".useful-count")).to_have_text("1")
    assert UsefulMark.objects.filter(employee=other_employee).count() == 1
    page.get_by_role("link", name="Most useful first").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#p1").get_by_role("button", name="Useful").click()
    page.wait_for_load_state()
    expect(page.locator("#p1").get_by_role("button", name="Useful")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert not UsefulMark.objects.exists()
    assert page.js_errors == []
