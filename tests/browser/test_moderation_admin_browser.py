"""An admin staffs a topic and publishes it through the gate, in the Django admin."""

from forum.models import Topic
from moderation import permissions
from tests.browser.conftest import assert_accessible, login
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)


def pick(page, field: str, typed: str, choice: str) -> None:
    """Choose in the admin's search-as-you-type box (select2) of `field`."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).click()


def test_admin_staffs_and_publishes_a_topic(
    page, admin_user, make_topic, moderator_a, back_office_a, expert
):
    draft = make_topic("Nytt tema om dagpenger", staffed=False, published=False)
    login(page, admin_user)
    page.goto("/admin/forum/topic/")
    assert_accessible(page)
    # The gate: an unstaffed topic is refused with a message naming what is missing.
    page.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    page.select_option("select[name=action]", "publish_topics")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    error = page.locator(".messagelist .error")
    assert "no moderator" in error.inner_text() and "no back-office" in error.inner_text()
    assert_accessible(page)

    page.goto(f"/admin/forum/topic/{draft.pk}/change/")
    assert_accessible(page)
    pick(page, "moderator", "Mona", "Mona Moderator")
    pick(page, "back_office", "Baksystem", "Baksystem A")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    assert_accessible(page)

    page.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    page.select_option("select[name=action]", "publish_topics")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert "1 topic(s) published" in page.locator(".messagelist .success").inner_text()
    assert_accessible(page)
    draft = Topic.objects.get(pk=draft.pk)
    assert draft.is_published and draft.moderator == moderator_a
    assert permissions.can_moderate(moderator_a, draft)
    assert permissions.is_back_office_member(expert, draft)
    assert page.js_errors == []
