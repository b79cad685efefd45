"""Issue 15 in Debian's chromium: Kari asks, Ola replies, Kari sees the bell's count and
follows it to Ola's post; a muted thread stays silent; a digest arrives in a real SMTP
server with an unsubscribe link that works without logging in. axe on every page."""

from urllib.parse import urlparse

from django.core.management import call_command
from django.utils import timezone

from forum import services
from forum.notifications import mail
from forum.notifications import services as notification_services
from forum.notifications.models import Level, Preference
from tests.browser.conftest import assert_accessible, login
from tests.forum.conftest import *  # noqa: F403  (the forum fixtures)
from tests.forum.conftest import _no_rate_limit  # noqa: F401  (autouse: no star import)
from tests.notifications.conftest import smtp  # noqa: F401  (the SMTP server fixture)


def run_worker() -> None:
    call_command("notify_worker", batch=True, verbosity=0)


def open_user_menu(page) -> None:
    page.locator("header .user-menu > summary").click()


def test_kari_asks_ola_replies_and_kari_follows_the_bell_to_his_post(
    page, employee, other_employee, topic
):
    login(page, employee)
    page.goto(topic.get_absolute_url())
    page.get_by_role("link", name="Start a thread").click()
    page.wait_for_load_state()
    page.get_by_label("Title").fill("Hvordan melder dere avvik?")
    page.get_by_label("Question").check()
    page.locator("#id_body").fill("Vi lurer på rutinen.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    thread_url = page.url
    page.context.clear_cookies(name="sessionid")  # log out; the language stays English

    login(page, other_employee)
    page.goto(thread_url)
    page.locator("#id_body").fill("Vi bruker skjemaet i kvalitetssystemet.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    page.context.clear_cookies(name="sessionid")  # log out; the language stays English
    run_worker()  # the request only enqueued the fan-out

    login(page, employee)
    open_user_menu(page)
    bell = page.locator("header").get_by_role("link", name="Notifications (1)")
    assert bell.is_visible()
    assert_accessible(page)
    bell.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Notifications"
    assert_accessible(page)
    page.get_by_role("link", name="1 new reply to your thread “Hvordan melder dere avvik?”").click()
    page.wait_for_load_state()
    assert page.url.endswith("#p2")
    assert page.locator("#p2").get_by_text("kvalitetssystemet").is_visible()
    open_user_menu(page)
    assert page.locator("header").get_by_role("link", name="Notifications", exact=True).is_visible()
    assert page.js_errors == []


def test_a_muted_thread_stays_silent(page, employee, other_employee, topic):
    thread = services.start_thread(topic, author=employee, title="Stille tråd", body="Hei")
    login(page, employee)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Follow this thread").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Muted: nothing").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    services.post_reply(thread, author=other_employee, body="Et svar som ingen hører om")
    run_worker()
    page.goto("/varsler/")
    assert page.get_by_text("You have no notifications.").is_visible()
    page.goto("/varsler/folger/")
    assert page.locator("li.notification").get_by_text("Muted: nothing").is_visible()
    assert_accessible(page)
    assert page.js_errors == []


def test_a_digest_arrives_with_an_unsubscribe_link_that_works(
    page,
    smtp,  # noqa: F811 (the fixture imported above)
    employee,
    other_employee,
    topic,
):
    thread = services.start_thread(topic, author=other_employee, title="Ferie", body="Hei")
    notification_services.set_watch(employee, level=Level.WATCHING, thread=thread)
    services.post_reply(thread, author=other_employee, body="Et nytt svar")
    run_worker()
    end = timezone.now() + timezone.timedelta(seconds=1)
    assert mail.queue_digests("daily", end=end) >= 1  # the topic's staff get one too
    mail.deliver_due(now=end)
    (digest,) = [m for m in smtp.messages if m["To"] == employee.email]
    link = digest["List-Unsubscribe"].strip().strip("<>")
    assert link in digest.get_body(preferencelist=("plain",)).get_content()
    page.goto(urlparse(link).path)  # not logged in
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").get_by_text("You will get no more").is_visible()
    assert Preference.objects.get(employee=employee).mail_watched == "never"
    assert page.js_errors == []
