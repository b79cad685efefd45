"""The main flows with the keyboard alone, in Debian's chromium: log in, reply, start a
question, report, and as moderator hide and escalate. Each refuses a submit first and says
where focus lands (the error summary, whose links lead to the fields), then succeeds and says
where focus lands (the post acted on, or the page's heading) and that the message is announced.

Elements are found by id and address rather than by visible text, so the tests hold in
either language.
"""

import pytest

from forum.models import Post, Thread
from moderation.models import Escalation, Report
from tests.browser.conftest import assert_accessible, assert_clean, login
from tests.conftest import PASSWORD
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)
from tests.moderation.conftest import make_post

MAX_TABS = 60
# The send buttons: of any form in the page's main, and of a post form (not its Preview).
SEND = "main form button[type=submit]"
SEND_POST = "form.post-form button[type=submit]:not([name=preview])"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    settings.FORUM_THREADS_PER_DAY = 1000


def focused(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector)


def describe_focus(page) -> str:
    return page.evaluate("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'")


def tab_to(page, selector: str) -> int:
    """Press Tab until the element matching `selector` has focus; the number of presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return presses
    raise AssertionError(f"{selector} not reached in {MAX_TABS} Tab presses")


def press_and_load(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def activate(page, selector: str) -> None:
    """Tab to the link or button matching `selector` and press Enter: the next page loads."""
    tab_to(page, selector)
    press_and_load(page)


def correct_refused_field(page, field_id: str, text: str) -> None:
    """On a refused form, whose error summary has focus: follow the summary's link to the
    field and type `text` into it."""
    assert_summary_focused(page)
    follow_summary_link(page, field_id)
    page.keyboard.type(text)


def assert_focus(page, selector: str) -> None:
    assert focused(page, selector), f"focus is on {describe_focus(page)}, not {selector}"


def assert_summary_focused(page) -> None:
    assert_focus(page, "[data-error-summary]")
    assert_accessible(page)


def assert_announced(page) -> str:
    """The page's message is read out: its alert is a live region whose content static/js/
    app.js puts in again after focus has moved (content there at load is not announced)."""
    alert = page.locator("main .messages .ds-alert[data-announced]")
    alert.wait_for()
    assert alert.get_attribute("role") == "status"
    message = alert.inner_text().strip()
    assert message
    return message


def follow_summary_link(page, field_id: str) -> None:
    """From the focused error summary, Tab to its link for the field and follow it."""
    tab_to(page, f"[data-error-summary] a[href='#{field_id}']")
    page.keyboard.press("Enter")
    assert_focus(page, f"#{field_id}")


def test_log_in_with_the_keyboard(page, employee):
    page.goto("/konto/logg-inn/")
    page.keyboard.press("Tab")
    assert_focus(page, "a.ds-skip-link")  # no autofocus jumps past it
    page.keyboard.press("Enter")
    tab_to(page, "#id_username")
    page.keyboard.type(employee.email)
    page.keyboard.press("Tab")
    assert_focus(page, "#id_password")
    page.keyboard.type("not the password")
    activate(page, SEND)
    assert_summary_focused(page)

    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    press_and_load(page)  # Enter in a text box submits its form
    assert page.url.endswith("/")  # home, where the person lands
    assert_focus(page, "main h1")
    assert employee.name in assert_announced(page)
    assert_clean(page)


def test_reply_with_the_keyboard(page, thread_a, author, employee, moderator_a):
    for n in range(3):
        make_post(thread_a, moderator_a if n % 2 else author, f"Innlegg {n + 2}.")
    login(page, employee)
    page.goto(thread_a.get_absolute_url() + "?page=1")
    presses = tab_to(page, "main a[href='#id_body']")
    assert presses <= 15, f"{presses} Tab presses to the reply box shortcut"
    page.keyboard.press("Enter")
    assert_focus(page, "#id_body")
    help_text = page.locator("#id_body_helptext")
    assert not help_text.is_visible()  # the Markdown help waits behind its toggle
    page.keyboard.press("Tab")
    assert_focus(page, ".field__help-toggle > summary")
    page.keyboard.press("Enter")
    help_text.wait_for()  # visible

    activate(page, SEND_POST)  # an empty reply is refused
    correct_refused_field(page, "id_body", "Vi bruker tolk på telefon.")
    activate(page, SEND_POST)

    post = Post.objects.get(thread=thread_a, body_md="Vi bruker tolk på telefon.")
    assert_focus(page, f"article#p{post.position}")
    assert_announced(page)
    assert_clean(page)


def test_start_a_question_with_the_keyboard(page, topic_a, employee):
    login(page, employee)
    page.goto(topic_a.get_absolute_url())
    activate(page, f"main a[href='{topic_a.get_absolute_url()}ny-trad/']")
    tab_to(page, "#id_title")
    page.keyboard.type("Gjelder fristen også i ferien?")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("ArrowDown")  # the radio group's second choice: a question
    assert_focus(page, "input[name=kind][value=question]:checked")
    activate(page, SEND_POST)  # no text: refused, title and choice kept
    assert_summary_focused(page)
    assert page.locator("#id_title").input_value() == "Gjelder fristen også i ferien?"

    follow_summary_link(page, "id_body")
    page.keyboard.type("Vi er usikre på om fristen løper i fellesferien.")
    activate(page, SEND_POST)

    thread = Thread.objects.get(title="Gjelder fristen også i ferien?")
    assert thread.kind == Thread.Kind.QUESTION
    assert_focus(page, "main h1")
    assert_announced(page)
    assert_clean(page)


def test_report_a_post_with_the_keyboard(page, thread_a, post_a, author):
    login(page, author)
    page.goto(thread_a.get_absolute_url() + "?page=1")
    activate(page, f"#p{post_a.position} a[href$='/innlegg/{post_a.pk}/rapporter/']")
    activate(page, SEND)  # no reason: refused
    correct_refused_field(page, "id_reason", "Svaret gir feil frist.")
    activate(page, SEND)

    assert Report.objects.get(post=post_a).reason == "Svaret gir feil frist."
    assert_focus(page, f"article#p{post_a.position}")
    assert_announced(page)
    assert_clean(page)


def test_hide_a_post_as_moderator_with_the_keyboard(page, thread_a, post_a, moderator_a):
    login(page, moderator_a)
    page.goto(thread_a.get_absolute_url() + "?page=1")
    activate(page, f"#p{post_a.position} a[href$='/innlegg/{post_a.pk}/skjul/']")
    activate(page, SEND)  # the reason is required
    correct_refused_field(page, "id_reason", "Personopplysninger")
    activate(page, SEND)

    post_a.refresh_from_db()
    assert post_a.hidden_at is not None
    assert_focus(page, f"article#p{post_a.position}")
    assert_announced(page)
    assert_clean(page)


def test_escalate_a_thread_as_moderator_with_the_keyboard(
    page, thread_a, moderator_a, department, department_contact
):
    login(page, moderator_a)
    page.goto(f"/moderering/trad/{thread_a.pk}/")
    activate(page, f"main a[href$='/moderering/trad/{thread_a.pk}/eskaler/']")
    activate(page, SEND)  # nothing chosen: refused
    assert_summary_focused(page)

    follow_summary_link(page, "id_department")
    page.keyboard.type(department.name[:5])  # a select takes the option its name starts with
    assert page.locator("#id_department").input_value() == str(department.pk)
    tab_to(page, "input[name=category]")
    page.keyboard.press("Space")
    tab_to(page, "#id_summary")
    page.keyboard.type("Skal fristen løpe i ferien?")
    activate(page, SEND)

    escalation = Escalation.objects.get(thread=thread_a)
    # The fragment of the summary's link stays on the URL through the redirect; it names
    # nothing on this page, so focus goes to the heading.
    assert page.url.split("#")[0].endswith(escalation.get_absolute_url())
    assert_focus(page, "main h1")
    assert_announced(page)
    assert_clean(page)
