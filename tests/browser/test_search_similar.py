"""Similar threads offered while a new thread's title is typed (static/js/search.js)."""

from django.utils import timezone

from forum.models import Thread
from tests.browser.conftest import assert_accessible, login
from tests.search.conftest import *  # noqa: F403  (the search fixtures)
from tests.search.conftest import add_post, clarify


def test_similar_threads_are_offered_while_typing_a_new_title(
    page, employee, topic, make_thread, staff
):
    answered = make_thread(topic, "Dagpenger under permittering", "Hvordan beregnes de?")
    clarify(add_post(answered, "Slik beregnes dagpenger."), staff[0])
    make_thread(topic, "Permittering og ferie", "Spørsmål om ferie.")
    Thread.objects.filter(pk=answered.pk).update(last_activity_at=timezone.now())

    login(page, employee)
    page.goto(f"/tema/{topic.slug}/ny-trad/")
    assert page.locator("[data-similar-threads]").count() == 1
    page.locator("input[name=title]").press_sequentially("Permittering og dagpenger", delay=20)
    suggestions = page.locator(".similar-threads li")
    suggestions.first.wait_for()
    assert suggestions.count() == 2
    assert "Dagpenger under permittering" in suggestions.nth(0).inner_text()
    assert_accessible(page)
    page.locator("input[name=title]").fill("")
    page.locator("input[name=title]").press("Backspace")
    page.locator(".similar-threads").wait_for(state="detached")
    assert page.js_errors == []
