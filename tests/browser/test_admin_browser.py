"""The Django admin in Chromium: no CSP report on any page, search-as-you-type staffing."""

import pytest

from tests.browser.conftest import login, new_context
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)


@pytest.fixture
def admin_page(browser, live_server):
    context = new_context(browser, live_server, "nb", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp = []
    page.on(
        "console",
        lambda m: page.csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    # Violations as the page's own event too (the console line is Chromium's wording).
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push("
        "e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
    )
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    context.close()


def test_no_admin_page_reports_a_csp_violation(
    admin_page, admin_user, topic_a, thread_a, post_a, moderator_a, back_office_a, make_topic
):
    page = admin_page
    draft = make_topic("Kladd", staffed=False, published=False)
    login(page, admin_user)
    urls = [
        "/admin/",
        "/admin/forum/topic/",
        f"/admin/forum/topic/{topic_a.pk}/change/",
        f"/admin/forum/topic/{draft.pk}/change/",
        "/admin/forum/topic/add/",
        "/admin/forum/thread/",
        f"/admin/forum/thread/{thread_a.pk}/change/",
        "/admin/forum/post/",
        "/admin/accounts/employee/",
        f"/admin/accounts/employee/{moderator_a.pk}/change/",
        f"/admin/accounts/employee/{moderator_a.pk}/delete/",
        "/admin/accounts/employee/add/",
        "/admin/accounts/unit/",
        "/admin/moderation/backoffice/",
        f"/admin/moderation/backoffice/{back_office_a.pk}/change/",
        "/admin/moderation/auditentry/",
    ]
    reported = {}
    for url in urls:
        page.csp.clear()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        violations = page.csp + page.evaluate("window.cspViolations")
        if violations:
            reported[url] = violations
    assert reported == {}
    assert page.js_errors == []
    assert page.locator("html").get_attribute("lang") == "nb"


def test_the_admin_staffs_a_draft_by_typing_names_and_publishes_it_on_its_page(
    admin_page, admin_user, make_topic, moderator_a, back_office_a, expert
):
    from forum.models import Topic
    from tests.browser.test_moderation_admin_browser import pick

    page = admin_page
    draft = make_topic("Nytt tema", staffed=False, published=False)
    login(page, admin_user)
    page.goto(f"/admin/forum/topic/{draft.pk}/change/")
    problems = page.locator(".topic-publishing-problems")
    assert "moderator" in problems.inner_text()
    pick(page, "moderator", "Mona", "Mona Moderator")
    pick(page, "back_office", "Baksystem", "Baksystem A")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert page.locator(".topic-publishing-problems").count() == 0
    page.locator(".topic-publishing button[type=submit]").click()
    page.wait_for_load_state()
    assert "er publisert" in page.locator(".messagelist .success").inner_text()
    assert Topic.objects.get(pk=draft.pk).is_published
    assert page.csp + page.evaluate("window.cspViolations") == []
    assert page.js_errors == []
