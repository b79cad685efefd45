"""Moderation as people do it, in Debian's chromium, with axe on every page visited.

An employee reports a post, the moderator hides it from the queue, escalates the thread,
the department answers, and the answer appears in the thread for every reader.
"""

import pytest

from forum import services as forum_services
from moderation.models import AuditEntry, Escalation
from tests.browser.conftest import assert_accessible, login, new_context
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)


@pytest.fixture
def new_page(browser, live_server):
    """Pages in separate browser contexts: one signed-in person each."""
    contexts = []

    def make():
        context = new_context(browser, live_server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


def click(page, locator) -> None:
    locator.click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_report_hide_escalate_answer(
    new_page, settings, topic_a, author, employee, moderator_a, department_contact, department
):
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    thread = forum_services.start_thread(
        topic_a,
        author=author,
        title="Dialogmøte uten arbeidsgiver",
        body="Hva gjør dere når arbeidsgiver ikke stiller?",
        kind="question",
    )
    forum_services.post_reply(thread, author=employee, body="Vi avlyser alltid. Ring meg!")

    # An employee reports the reply.
    reader = new_page()
    login(reader, author)
    go(reader, thread.get_absolute_url() + "?page=1")
    click(reader, reader.locator("#p2").get_by_role("link", name="Report"))
    reader.get_by_label("What is wrong with this post?").fill("Svaret er feil og privat.")
    click(reader, reader.get_by_role("button", name="Send report"))
    assert reader.locator("#main").get_by_text("The moderator will look at the post").is_visible()

    # The moderator sees it in the queue and hides the post.
    moderator = new_page()
    login(moderator, moderator_a)
    click(moderator, moderator.locator("header").get_by_role("link", name="Moderation"))
    assert moderator.locator("#main").get_by_text("Svaret er feil og privat.").is_visible()
    click(moderator, moderator.get_by_role("link", name="Hide post"))
    moderator.get_by_label("Reason").fill("Feil råd og oppfordring til privat kontakt")
    click(moderator, moderator.get_by_role("button", name="Hide post"))
    assert moderator.locator("#main").get_by_text("A moderator hid this post.").is_visible()

    # The moderator escalates the thread to the department.
    click(moderator, moderator.get_by_role("link", name="Escalate to a department"))
    moderator.locator("#id_department").select_option(label=department.name)
    moderator.get_by_label("inappropriate routine").check()
    moderator.get_by_label("Summary for the department").fill(
        "Kontorene praktiserer dialogmøte 2 ulikt når arbeidsgiver uteblir."
    )
    click(moderator, moderator.get_by_role("button", name="Escalate"))
    assert Escalation.objects.count() == 1

    # The department's contact answers from the inbox.
    contact = new_page()
    login(contact, department_contact)
    click(contact, contact.locator("header").get_by_role("link", name="Escalations"))
    click(contact, contact.get_by_role("link", name="Dialogmøte uten arbeidsgiver"))
    contact.get_by_label("New status").select_option("in_progress")
    click(contact, contact.get_by_role("button", name="Change status"))
    contact.get_by_label("The department's answer").fill(
        "Møtet gjennomføres med den sykmeldte. Arbeidsgiver følges opp skriftlig."
    )
    click(contact, contact.get_by_role("button", name="Post the answer"))
    assert contact.locator("#main").get_by_text("The answer is posted in the thread").is_visible()

    # Every reader sees the answer in the thread, marked, and the escalation's status.
    go(reader, thread.get_absolute_url() + "?page=1")
    answer = reader.locator("article.post").last
    assert answer.get_by_text("Answer from the department").is_visible()
    assert answer.get_by_text("Arbeidsgiver følges opp skriftlig.").is_visible()
    assert reader.locator(".escalation-status").get_by_text("answered").is_visible()
    assert reader.locator("#p2").get_by_text("A moderator hid this post.").is_visible()

    # The author of the hidden post is told.
    writer = new_page()
    login(writer, employee)
    writer.locator("header .user-menu > summary").click()
    click(writer, writer.locator("header").get_by_role("link", name="Notifications"))
    assert writer.locator("#main").get_by_text("A moderator hid your post").is_visible()

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"hide_post", "escalate_thread", "escalation_status", "answer_escalation"} <= actions
    for page in (reader, moderator, contact, writer):
        assert page.js_errors == []


def test_consultation_and_clarified_answer(new_page, thread_a, post_a, moderator_a, expert):
    moderator = new_page()
    login(moderator, moderator_a)
    go(moderator, thread_a.get_absolute_url() + "?page=1")
    click(moderator, moderator.get_by_role("link", name="Consult the back-office"))
    click(moderator, moderator.get_by_role("button", name="Open consultation"))
    moderator.get_by_label("Internal note").fill("Kan baksystemet se på svaret i #2?")
    click(moderator, moderator.get_by_role("button", name="Add note"))
    assert moderator.locator("#main").get_by_text("Kan baksystemet se på svaret i #2?").is_visible()

    specialist = new_page()
    login(specialist, expert)
    go(specialist, thread_a.get_absolute_url() + "?page=1")
    click(
        specialist,
        specialist.locator("#p2").get_by_role("link", name="Mark as clarified"),
    )
    specialist.get_by_label("Legal reference").fill("folketrygdloven § 8-7")
    click(specialist, specialist.get_by_role("button", name="Mark as clarified"))
    assert specialist.locator(".clarified-answers").get_by_text("Lars Ekspert").is_visible()
    assert specialist.locator("#main").get_by_text("folketrygdloven § 8-7").first.is_visible()
