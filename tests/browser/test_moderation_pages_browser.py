"""The moderator's own pages, each checked with axe: queue, thread tools, log, register."""

from moderation import services
from tests.browser.conftest import assert_accessible, login
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)


def test_moderator_pages_are_accessible(
    page, thread_a, post_a, topic_b, author, moderator_a, department
):
    services.report_post(post_a, reporter=author, reason="Feil")
    services.escalate_thread(
        thread_a, by=moderator_a, department=department, category="routine", summary="Hvorfor?"
    )
    login(page, moderator_a)
    for url in (
        "/moderering/",
        f"/moderering/trad/{thread_a.pk}/",
        "/moderering/logg/",
        "/moderering/logg/?action=escalate_thread",
        "/moderering/eskaleringer/",
        f"/moderering/innlegg/{post_a.pk}/rediger/",
        f"/moderering/innlegg/{post_a.pk}/avklar/",
    ):
        page.goto(url)
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)

    # Move the thread from the tools page; the log shows it.
    page.goto(f"/moderering/trad/{thread_a.pk}/")
    page.get_by_label("Move to topic").select_option(label=topic_b.name)
    page.get_by_role("button", name="Move thread").click()
    page.wait_for_load_state()
    page.goto("/moderering/logg/")
    assert page.locator(".audit-table").get_by_text("moved thread").is_visible()
    assert page.js_errors == []
