"""The forum as a person uses it, in Debian's chromium, with axe on every page."""

import re

from playwright.sync_api import expect

from forum import services
from forum.models import Post, Thread
from tests.browser.conftest import assert_accessible, assert_clean, follow, login, new_context
from tests.conftest import bad_input_lines
from tests.forum.conftest import *  # noqa: F403  (the forum fixtures)
from tests.forum.conftest import _no_rate_limit  # noqa: F401  (autouse: no star import)


def test_browse_the_tree_to_a_topic_and_a_thread(page, employee, make_topic, other_employee):
    group = make_topic("Ytelser")
    aap = make_topic("Arbeidsavklaringspenger (AAP)", parent=group)
    thread = services.start_thread(
        aap, author=employee, title="Stans av AAP ved manglende meldekort",
        body="Sender dere **forhåndsvarsel**?", kind="question",
    )  # fmt: skip
    services.post_reply(thread, author=other_employee, body="Ja, alltid.")
    login(page, other_employee)
    page.goto("/")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Arbeidsavklaringspenger (AAP)"))
    assert page.locator("h1").inner_text() == "Arbeidsavklaringspenger (AAP)"
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Stans av AAP ved manglende meldekort"))
    assert page.locator("h1").inner_text() == "Stans av AAP ved manglende meldekort"
    assert page.locator("#p1 strong").inner_text() == "forhåndsvarsel"
    assert page.locator("#p2").get_by_text("NAV Bergen sør").is_visible()
    assert_clean(page)


def test_start_a_thread_with_preview(page, employee, topic):
    login(page, employee)
    page.goto(topic.get_absolute_url())
    follow(page, page.get_by_role("link", name="Start a thread"))
    assert_accessible(page)
    page.get_by_label("Title").fill("Hvordan bruker dere dialogmøte 3?")
    page.get_by_label("Question").check()
    page.locator("#id_body").fill("Vi lurer på:\n\n- når\n- hvem")
    follow(page, page.get_by_role("button", name="Preview"))
    assert page.locator(".preview li").count() == 2
    assert page.locator("#id_body").input_value() == "Vi lurer på:\n\n- når\n- hvem"
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Send"))
    assert page.locator("h1").inner_text() == "Hvordan bruker dere dialogmøte 3?"
    assert Thread.objects.get().kind == "question"
    assert page.js_errors == []


def test_reply_with_a_quote(page, thread, other_employee):
    login(page, other_employee)
    page.goto(thread.get_absolute_url())
    page.locator("#p1").get_by_role("link", name="Quote").click()
    box = page.locator(".reply #id_body")
    expect(box).to_have_value(re.compile(r"^> Kari Nordmann"))
    assert page.url.endswith(thread.get_absolute_url())  # filled in place, by JavaScript
    box.press("End")
    box.type("Vi gjør det samme.")
    follow(page, page.locator(".reply").get_by_role("button", name="Send"))
    assert page.locator("#p2 blockquote").is_visible()
    assert "Vi gjør det samme." in page.locator("#p2").inner_text()
    assert_clean(page)


def test_quote_works_without_javascript(browser, live_server, thread, other_employee):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    login(page, other_employee)
    page.goto(thread.get_absolute_url())
    follow(page, page.locator("#p1").get_by_role("link", name="Quote"))
    assert page.locator("#id_body").input_value().startswith("> Kari Nordmann")
    context.close()  # no axe here: it needs JavaScript; the reply page is checked below


def test_edit_a_post_and_see_its_history(page, thread, employee):
    login(page, employee)
    page.goto(thread.get_absolute_url())
    follow(page, page.locator("#p1").get_by_role("link", name="Edit"))
    assert_accessible(page)
    page.locator("#id_body").fill("Oppdatert: hvordan gjør dere aktivitetsplikten?")
    page.get_by_label("Reason for the change").fill("Presisering")
    follow(page, page.get_by_role("button", name="Send"))
    assert "Oppdatert" in page.locator("#p1").inner_text()
    assert page.locator("#p1 .post__edited").is_visible()
    follow(page, page.locator("#p1").get_by_role("link", name="History"))
    assert page.get_by_text("Presisering").is_visible()
    assert "andre kontor" in page.locator("main").inner_text()
    assert_clean(page)


def test_mark_a_question_solved(page, question, employee, other_employee):
    services.post_reply(question, author=other_employee, body="Ja, unntaket gjelder.")
    login(page, employee)
    page.goto(question.get_absolute_url())
    follow(page, page.locator("#p2").get_by_role("button", name="Mark as the answer"))
    assert page.locator(".thread-facts").get_by_text("Solved").is_visible()
    follow(page, page.get_by_role("link", name="Go to the answer"))
    assert re.search(r"#p2$", page.url)
    assert page.locator("#p2.post--solution").is_visible()
    assert_clean(page)


def test_a_rejected_form_keeps_its_text(page, settings, thread, other_employee):
    settings.FORUM_POST_INTERVAL_SECONDS = 60
    services.post_reply(thread, author=other_employee, body="Første svar")
    login(page, other_employee)
    page.goto(thread.get_absolute_url() + "?page=1")
    page.locator(".reply #id_body").fill("Et langt og viktig svar som ikke må forsvinne.")
    follow(page, page.locator(".reply").get_by_role("button", name="Send"))
    assert page.locator("#main").get_by_text("You are posting too fast").is_visible()
    assert (
        page.locator("#id_body").input_value() == "Et langt og viktig svar som ikke må forsvinne."
    )
    assert_accessible(page)
    page.goto(f"/tema/{thread.topic.slug}/ny-trad/")
    page.locator("#id_body").fill("Tekst uten tittel")
    follow(page, page.get_by_role("button", name="Send"))
    assert page.locator(".ds-error-summary").is_visible()
    assert page.locator("#id_body").input_value() == "Tekst uten tittel"
    assert_accessible(page)


DOM_PROBLEMS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("main *")) {
    for (const attr of el.attributes) {
      const value = attr.value.toLowerCase().replace(/[^a-z:]/g, "");
      if (attr.name.startsWith("on")) bad.push(el.tagName + " " + attr.name);
      if (["href", "src", "action", "formaction"].includes(attr.name)
          && /^(javascript|vbscript|data):/.test(value)) bad.push(el.tagName + " " + attr.value);
    }
  }
  return bad;
}"""


def test_hostile_posts_run_no_script(page, topic, employee):
    # The XSS corpus whole and every tenth naughty string: the corpora line by line run in
    # process in tests/forum/test_bad_input.py; here a browser proves nothing runs.
    lines = bad_input_lines("markdown-xss-payloads.txt") + bad_input_lines("blns.txt")[::10]
    thread = services.start_thread(
        topic, author=employee, title=lines[0][:150], body=lines[0], kind="discussion"
    )
    for line in lines[1:]:
        services.post_reply(thread, author=employee, body=line)
    for line in bad_input_lines("markdown-xss-payloads.txt")[:30]:
        services.start_thread(topic, author=employee, title=line[:150], body="x", kind="discussion")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, employee)
    page.evaluate("window.__xss = 0")
    pages = Post.objects.filter(thread=thread).count() // 20 + 1
    for number in range(1, pages + 1):
        page.goto(f"{thread.get_absolute_url()}?page={number}")
        page.wait_for_load_state()
        assert page.locator("script:not([src])").count() == 0
        assert page.evaluate(DOM_PROBLEMS) == []
    for number in (1, 2):
        page.goto(f"{topic.get_absolute_url()}?page={number}")
    assert dialogs == []
    assert page.js_errors == []
