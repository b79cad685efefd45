"""The page-sized fragments (a page of posts with its links, a topic's thread rows) are keyed
by everything they show: another viewer's rights, an edit, a hidden post or a read mark is
never served stale."""

import re
import uuid

from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from forum import services
from forum.templatetags import forum_tags
from moderation import services as moderation_services
from tests.forum.conftest import client_for


def _page(client, thread) -> str:
    response = client.get(thread.get_absolute_url() + "?page=1")
    assert response.status_code == 200
    return response.content.decode()


def test_each_viewer_gets_the_links_their_own_rights_give(
    thread, employee, other_employee, moderator
):
    services.post_reply(thread, author=other_employee, body="Et svar")
    first, reply = thread.posts.order_by("position")
    edit_first = reverse("forum:post-edit", args=[first.pk])
    edit_reply = reverse("forum:post-edit", args=[reply.pk])
    hide_reply = reverse("moderation:hide-post", args=[reply.pk])
    for _round in range(2):  # the second round is served from the cache
        author_page = _page(client_for(employee), thread)
        assert edit_first in author_page and edit_reply not in author_page
        assert hide_reply not in author_page
        other_page = _page(client_for(other_employee), thread)
        assert edit_reply in other_page and edit_first not in other_page
        moderator_page = _page(client_for(moderator), thread)
        assert hide_reply in moderator_page


def test_an_edit_or_a_hidden_post_shows_at_once(thread, employee, other_employee, moderator):
    reply = services.post_reply(thread, author=other_employee, body="Første versjon")
    reader = client_for(employee)
    assert "Første versjon" in _page(reader, thread)
    services.edit_post(reply, editor=other_employee, body="Andre versjon")
    page = _page(reader, thread)
    assert "Andre versjon" in page and "Første versjon" not in page
    moderation_services.hide_post(reply, by=moderator, reason="Personopplysninger")
    assert "Andre versjon" not in _page(reader, thread)


def test_the_topic_rows_follow_the_readers_marks_and_the_counts(
    topic, thread, employee, other_employee
):
    reader = client_for(other_employee)
    listing = reader.get(topic.get_absolute_url()).content.decode()
    assert "thread-row--unread" in listing
    _page(reader, thread)
    listing = reader.get(topic.get_absolute_url()).content.decode()
    assert "thread-row--unread" not in listing
    services.post_reply(thread, author=employee, body="Nytt svar")
    listing = reader.get(topic.get_absolute_url()).content.decode()
    assert "thread-row--unread" in listing  # a new post since the reader's visit
    assert (
        "thread-row--unread"
        not in client_for(employee).get(topic.get_absolute_url()).content.decode()
    )


def test_pagination_is_rendered_per_page_and_language():
    from django.utils import translation

    from forum.templatetags.forum_tags import pagination

    with translation.override("en"):
        third = pagination(3, 10, "?q=a&")
        assert 'href="?q=a&amp;page=2" rel="prev">Previous' in third
        assert 'aria-current="page" href="?q=a&amp;page=3"' in third
        assert 'href="?q=a&amp;page=10">10' in third
        assert pagination(10, 10, "?") != pagination(9, 10, "?")
        assert pagination(1, 1, "?").strip() == ""
    with translation.override("nb"):
        assert "Forrige" in pagination(3, 10, "?q=a&")


def _header(page: str) -> str:
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def test_the_cached_site_header_carries_this_requests_token_and_path(thread, employee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    tokens = []
    for query in ("?page=1", '?page=1&x=<"å>'):  # the second header comes from the cache
        response = client.get(thread.get_absolute_url() + query)
        page = response.content.decode()
        assert "-slot-" not in page
        header = _header(page)
        path = escape(response.wsgi_request.get_full_path())
        assert f'<input type="hidden" name="next" value="{path}">' in header
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)
        assert len(found) == 2 and found[0] == found[1]
        tokens.append(found[0])
    assert tokens[0] != tokens[1]  # masked anew for every response, never cached
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=tokens[1]
    )
    assert response.status_code == 302


def test_the_site_header_shows_each_viewers_own_name_and_counts(
    thread, employee, other_employee, moderator
):
    for _round in range(2):  # the second round is served from the cache
        mine = _header(_page(client_for(employee), thread))
        theirs = _header(_page(client_for(other_employee), thread))
        assert employee.name in mine and other_employee.name not in mine
        assert other_employee.name in theirs and employee.name not in theirs
    moderator_client = client_for(moderator)
    assert '<span class="count">' not in _header(_page(moderator_client, thread))
    moderation_services.report_post(thread.posts.get(), reporter=other_employee, reason="Feil")
    assert '<span class="count">(1)</span>' in _header(_page(moderator_client, thread))


def test_a_blank_reply_form_comes_from_the_cache_with_its_own_submission_key(
    thread, employee, other_employee
):
    keys = []
    for _round in range(2):  # the second round is served from the per-process cache
        for user in (employee, other_employee):
            page = _page(client_for(user), thread)
            assert "-slot-" not in page
            keys += re.findall(r'name="submission_key" value="([^"]+)"', page)
    assert len(keys) == 4 and len(set(keys)) == 4
    assert all(str(uuid.UUID(key)) == key for key in keys)
    replier = client_for(other_employee)
    for _twice in range(2):  # a double submit with the cached form's key is one post
        response = replier.post(
            reverse("forum:thread-reply", args=[thread.pk]),
            {"body": "Dobbeltklikk", "submission_key": keys[1]},
        )
        assert response.status_code == 302
    assert thread.posts.filter(body_md="Dobbeltklikk").count() == 1


def test_a_quote_or_kept_text_is_never_the_cached_blank_form(thread, other_employee):
    client = client_for(other_employee)
    _page(client, thread)  # the blank form is cached
    post = thread.posts.get()
    quoted = client.get(reverse("forum:thread-reply", args=[thread.pk]), {"quote": post.pk})
    assert "&gt; Vi lurer på" in quoted.content.decode()
    response = client.post(reverse("forum:thread-reply", args=[thread.pk]), {"body": "  "})
    assert response.status_code == 400 and "field--error" in response.content.decode()


def test_breadcrumbs_keep_plain_and_safe_labels_apart():
    plain = forum_tags.breadcrumbs([("Lønn & <ytelser>", "/tema/a/")])
    safe = forum_tags.breadcrumbs([(mark_safe("Lønn &amp; ytelser"), "/tema/a/")])
    assert "Lønn &amp; &lt;ytelser&gt;" in plain
    assert "Lønn &amp; ytelser" in safe and "&amp;amp;" not in safe


def test_every_page_links_the_hashed_static_assets(client, thread, employee):
    page = _page(client_for(employee), thread)
    for name in ("css/app.css", "js/app.js", "img/favicon.svg"):
        assert f'"{static(name)}"' in page


def test_a_fragment_digest_tells_every_shown_value_apart():
    moment = timezone.now()
    values = [
        ("<p>a</p>", moment, 1, None), ("<p>a</p>", moment, 1, 0), ("<p>a</p>", moment, 2, None),
        ("<p>b</p>", moment, 1, None), ("<p>a</p>", moment.replace(microsecond=1), 1, None),
        (mark_safe("<p>a</p>"), moment, 1, None), ("<p>a</p>", moment, True, None),
    ]  # fmt: skip
    digests = [forum_tags._digest(value) for value in values]
    assert len(set(digests)) == len(values)
    assert forum_tags._digest(("<p>a</p>", moment, 1, None)) == digests[0]
    unpicklable = (lambda: None, 1)
    assert len(forum_tags._digest(unpicklable)) == 40


def test_the_header_cache_key_covers_every_template_the_header_includes():
    from django.template.loader import get_template

    from forum.templatetags.forum_tags import HEADER_TEMPLATES

    for name in HEADER_TEMPLATES:
        source = get_template(name).template.source
        for included in re.findall(r'{%\s*include\s+"([^"]+)"', source):
            assert included in HEADER_TEMPLATES, (name, included)
