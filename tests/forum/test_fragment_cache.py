"""Rendered posts and the topic tree come from the cache; any change shows on the next
render because the cache key holds everything the fragment shows (pytest uses LocMem)."""

import re

import pytest
from django.core.cache import cache

from accounts.models import Employee
from forum import services
from forum.models import Post, Topic
from forum.templatetags.forum_tags import post_fragment_key
from moderation import services as moderation_services

# Pages are rendered in bokmål (the site's language); service messages are in English.
DELETED = "Forfatteren har slettet dette innlegget."
HIDDEN = "En moderator har skjult dette innlegget."
SOLVED = "Løste spørsmålet"
EDITED = "redigert"
CLARIFIED = "Avklart svar, bekreftet av"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def page(client, thread) -> str:
    response = client.get(thread.get_absolute_url() + "?page=1")
    assert response.status_code == 200
    return response.content.decode()


def article(html: str, position: int) -> str:
    start = html.index(f'id="p{position}"')
    return html[start : html.index("</article>", start)]


def test_a_post_header_is_cached_after_the_first_render(other_client, thread):
    response = other_client.get(thread.get_absolute_url() + "?page=1")
    (post,) = response.context["posts"]
    assert cache.get(post_fragment_key(post)) in response.content.decode()
    assert "Vi lurer på" in article(page(other_client, thread), 1)


def test_an_edit_shows_on_the_next_render(other_client, thread, employee):
    post = thread.posts.get()
    assert EDITED not in article(page(other_client, thread), 1)
    services.edit_post(post, editor=employee, body="Ny og bedre tekst")
    html = article(page(other_client, thread), 1)
    assert "Ny og bedre tekst" in html and EDITED in html


def test_hiding_and_showing_again_show_on_the_next_render(
    other_client, thread, employee, other_employee, moderator
):
    reply = services.post_reply(thread, author=other_employee, body="Et svar")
    assert HIDDEN not in article(page(other_client, thread), 2)
    moderation_services.hide_post(reply, by=moderator, reason="Personopplysninger")
    html = article(page(other_client, thread), 2)
    assert HIDDEN in html and "Et svar" not in html
    moderation_services.unhide_post(reply, by=moderator)
    html = article(page(other_client, thread), 2)
    assert HIDDEN not in html and "Et svar" in html


def test_deleting_and_restoring_show_on_the_next_render(
    other_client, thread, other_employee, moderator
):
    reply = services.post_reply(thread, author=other_employee, body="Angrer")
    assert DELETED not in article(page(other_client, thread), 2)
    services.delete_post(reply, by=other_employee)
    assert DELETED in article(page(other_client, thread), 2)
    services.restore_post(reply, by=moderator)
    html = article(page(other_client, thread), 2)
    assert DELETED not in html and "Angrer" in html


def test_clarifying_and_unclarifying_show_on_the_next_render(other_client, thread, moderator):
    post = thread.posts.get()
    assert CLARIFIED not in article(page(other_client, thread), 1)
    moderation_services.clarify_post(post, by=moderator)
    assert f"{CLARIFIED} {moderator.name}" in article(page(other_client, thread), 1)
    moderation_services.unclarify_post(post, by=moderator)
    assert CLARIFIED not in article(page(other_client, thread), 1)


def test_marking_the_solution_shows_on_the_next_render(employee_client, question, other_employee):
    reply = services.post_reply(question, author=other_employee, body="Ja, det gjelder")
    assert SOLVED not in article(page(employee_client, question), 2)
    services.mark_solution(question, post=reply, by=question.author)
    assert SOLVED in article(page(employee_client, question), 2)


def test_a_new_name_or_unit_of_the_author_shows_on_the_next_render(other_client, thread, employee):
    page(other_client, thread)
    Employee.objects.filter(pk=employee.pk).update(name="Kari Nordmann-Berg")
    assert "Kari Nordmann-Berg" in article(page(other_client, thread), 1)
    employee.unit.name = "NAV Bergen nord"
    employee.unit.save(update_fields=["name"])
    assert "NAV Bergen nord" in article(page(other_client, thread), 1)


def test_the_cached_topic_tree_shows_new_threads_and_renamed_topics(other_client, topic, employee):
    assert other_client.get("/").status_code == 200
    services.start_thread(topic, author=employee, title="Ny tråd", body="B", kind="discussion")
    html = other_client.get("/").content.decode()
    assert "<div><dt>Tråder</dt><dd>1</dd></div>" in html
    Topic.objects.filter(pk=topic.pk).update(name="Sykefravær og oppfølging")
    assert "Sykefravær og oppfølging" in other_client.get("/").content.decode()


def test_a_cached_topic_tree_builds_no_topics_and_shows_each_change(other_client, topic):
    """F32: the home page keys its tree on the rows as read; a hit builds no Topic objects,
    and a new description or a draft mark is a new key."""
    first = other_client.get("/")
    assert "nodes" in first.context["tree"].__dict__  # rendered on a miss: built
    again = other_client.get("/")
    assert "nodes" not in again.context["tree"].__dict__  # a hit builds nothing

    def tree(response) -> str:
        html = response.content.decode()
        return html[html.index('<ul class="topic-tree">') : html.index("</main>")]

    assert tree(again) == tree(first) and topic.name in tree(first)
    Topic.objects.filter(pk=topic.pk).update(description="Rutiner for oppfølging")
    assert "Rutiner for oppfølging" in other_client.get("/").content.decode()


def test_a_post_is_rendered_the_same_from_the_cache(other_client, thread, other_employee):
    services.post_reply(thread, author=other_employee, body="Et svar")
    first, second = page(other_client, thread), page(other_client, thread)
    assert Post.objects.filter(thread=thread).count() == 2

    def without_token(html: str) -> str:
        # The useful form's CSRF token is filled into the cached list per response.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    for position in (1, 2):
        assert without_token(article(second, position)) == without_token(article(first, position))
    assert 'name="csrfmiddlewaretoken" value="csrf-slot' not in first


def test_the_post_list_key_is_the_rights_the_template_renders(thread, employee):
    """forum_tags.post_list keys a page on each post's whole PostRights (the object
    _post.html renders): flipping any one right gives another key, equal rights the same."""
    from forum import permissions, querysets
    from forum.templatetags.forum_tags import post_list_key

    def key_with(rights):
        page = querysets.posts_on_page(thread, 1, 20, people=False)
        for post in page:
            post.rights = rights
        return post_list_key(page, "/r", "/s", True)

    base = permissions.PostRights()
    assert key_with(base) == key_with(permissions.PostRights())
    keys = {key_with(base)}
    for name in permissions.PostRights._fields:
        flipped = base._replace(**{name: not getattr(base, name)})
        assert key_with(flipped) not in keys, name
        keys.add(key_with(flipped))
    page = querysets.posts_on_page(thread, 1, 20, people=False)
    permissions.post_rights(employee, thread, page)
    assert page[0].rights == permissions.PostRights(
        see_body=True, edit=True, delete=True, view_history=True
    )
