"""Every form page, as served and after a refused submit: each aria-describedby,
aria-labelledby and label[for] names an id on the page, no id repeats, no two labels name
the same control, every visible control has a name, and the error summary links to fields.

The fast in-process check of issue 14; tests/browser crawls the same in Chromium.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Thread
from moderation import services as moderation_services
from moderation.models import Escalation
from tests.conftest import client_for
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)
from tests.moderation.conftest import make_post

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")
CONTROLS = {"input", "select", "textarea"}


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.references: list[tuple[str, str, str]] = []  # (attribute, id, tag)
        self.label_for: list[str] = []
        self.controls: list[dict] = []
        self.summary_links: list[str] = []
        self._in_summary = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name in REFERENCES:
            for ref in attributes.get(name, "").split():
                self.references.append((name, ref, tag))
        if tag == "label" and attributes.get("for"):
            self.label_for.append(attributes["for"])
        if tag in CONTROLS and attributes.get("type") not in ("hidden", "submit", "button"):
            self.controls.append({"tag": tag, **attributes})
        if tag == "div" and "data-error-summary" in attributes:
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attributes.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if self._in_summary and tag == "div":
            self._in_summary -= 1


def id_problems(html: str) -> list[str]:
    parsed = _Ids()
    parsed.feed(html)
    parsed.close()
    ids = set(parsed.ids)
    problems = [f"duplicate id {i!r}" for i in sorted(ids) if parsed.ids.count(i) > 1]
    problems += [
        f"{name}={ref!r} on <{tag}> names no element"
        for name, ref, tag in parsed.references
        if ref not in ids
    ]
    problems += [
        f"label for={ref!r} names no element" for ref in parsed.label_for if ref not in ids
    ]
    problems += [
        f"{parsed.label_for.count(ref)} labels for {ref!r}"
        for ref in sorted(set(parsed.label_for))
        if parsed.label_for.count(ref) > 1
    ]
    for control in parsed.controls:
        named = (
            control.get("id") in parsed.label_for
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not named:
            problems.append(f"<{control['tag']} name={control.get('name')!r}> has no label")
    for href in parsed.summary_links:
        if not href.startswith("#") or href[1:] not in ids:
            problems.append(f"error summary link {href!r} leads to no field")
    return problems  # fmt: skip


def test_the_checker_finds_each_kind_of_fault():
    html = """
      <label for="a">A</label><label for="a">A again</label><input id="a" name="a">
      <input id="a" aria-describedby="a_helptext" name="b">
      <textarea name="c"></textarea><label for="gone">?</label>
      <div data-error-summary><a href="#nowhere">x</a></div>
    """
    assert id_problems(html) == [
        "duplicate id 'a'",
        "aria-describedby='a_helptext' on <input> names no element",
        "label for='gone' names no element",
        "2 labels for 'a'",
        "<textarea name='c'> has no label",
        "error summary link '#nowhere' leads to no field",
    ]


def assert_ids_resolve(response, status: int = 200) -> str:
    assert response.status_code == status, response.content[:500]
    html = response.content.decode()
    assert id_problems(html) == [], response.request["PATH_INFO"]
    return html


@pytest.fixture
def staged(
    topic_a, thread_a, post_a, author, employee, moderator_a, department, department_contact
):
    """A thread with a report, a hidden post, a clarified answer, an escalation and a
    consultation, so every moderation form has something to show."""
    hidden = make_post(thread_a, employee, "Et skjult innlegg.")
    moderation_services.hide_post(hidden, by=moderator_a, reason="Personopplysninger")
    moderation_services.report_post(post_a, reporter=author, reason="Feil svar")
    moderation_services.clarify_post(
        post_a, by=moderator_a, review_by=timezone.localdate() + timedelta(days=30)
    )
    escalation = moderation_services.escalate_thread(
        thread_a,
        by=moderator_a,
        department=department,
        category=Escalation.Category.choices[0][0],
        summary="Et prinsipielt spørsmål.",
    )
    moderation_services.open_consultation(thread_a, by=moderator_a)
    return {"thread": thread_a, "post": post_a, "hidden": hidden, "escalation": escalation}


def test_login_page_and_a_refused_login(db):
    client = Client()
    url = reverse("accounts:login")
    html = assert_ids_resolve(client.get(url))
    assert "autofocus" not in html  # the skip link comes first
    html = assert_ids_resolve(client.post(url, {"username": "x@example.no", "password": "x"}))
    assert "data-error-summary" in html


def test_forum_form_pages_as_served_and_refused(employee, staged):
    client = client_for(employee)
    thread, post = staged["thread"], staged["post"]
    topic_slug = thread.topic.slug
    assert_ids_resolve(client.get(thread.get_absolute_url() + "?page=last"))
    reply = reverse("forum:thread-reply", args=[thread.pk])
    assert_ids_resolve(client.get(reply))
    html = assert_ids_resolve(client.post(reply, {"body": ""}), 400)
    assert 'aria-describedby="id_body_helptext id_body_error"' in html
    create = reverse("forum:thread-create", args=[topic_slug])
    assert_ids_resolve(client.get(create))
    html = assert_ids_resolve(client.post(create, {"title": "", "body": "", "kind": "x"}), 400)
    assert 'aria-describedby="id_kind_helptext id_kind_error"' in html  # on the fieldset
    edit = reverse("forum:post-edit", args=[post.pk])
    assert_ids_resolve(client.get(edit))
    assert_ids_resolve(client.post(edit, {"body": ""}), 400)
    assert_ids_resolve(client.get(reverse("forum:post-delete", args=[post.pk])))
    opening = thread.posts.get(position=1)  # by another author: the employee may report it
    report = reverse("moderation:report-post", args=[opening.pk])
    assert_ids_resolve(client.get(report))
    html = assert_ids_resolve(client.post(report, {"reason": ""}), 400)
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    search = reverse("forum:search")
    assert_ids_resolve(client.get(search, {"q": "svar", "topic": thread.topic_id}))
    backwards = {"q": "a", "date_from": "2026-02-02", "date_to": "2026-01-01"}
    html = assert_ids_resolve(client.get(search, backwards))
    assert 'aria-describedby="id_date_to_error"' in html


def test_moderation_form_pages_as_served_and_refused(moderator_a, staged):
    client = client_for(moderator_a)
    thread, post, hidden = staged["thread"], staged["post"], staged["hidden"]
    html = assert_ids_resolve(client.get(reverse("moderation:queue")))
    assert 'for="dismiss-' in html and 'name="reason" maxlength="2000" placeholder' not in html
    html = assert_ids_resolve(client.get(reverse("moderation:thread-tools", args=[thread.pk])))
    assert 'id="id_state_reason"' in html and 'id="id_move_reason"' in html
    assert "---------" not in html
    for name, target, data in [
        ("moderation:hide-post", post, {"reason": ""}),
        ("moderation:unhide-post", hidden, None),
        ("moderation:edit-post", post, {"body": ""}),
        ("moderation:clarify-post", post, {"review_by": "2000-01-01"}),
        ("moderation:move-thread", thread, {"to_topic": ""}),
        ("moderation:escalate-thread", thread, {"summary": ""}),
        ("moderation:consultation", thread, {"body": ""}),
    ]:
        url = reverse(name, args=[target.pk])
        assert "---------" not in assert_ids_resolve(client.get(url))
        if data is not None:
            html = assert_ids_resolve(client.post(url, data), 400)
            assert "data-error-summary" in html
    assert_ids_resolve(client.get(reverse("moderation:audit-log")))
    assert_ids_resolve(client.get(reverse("moderation:escalation-register")))
    assert_ids_resolve(client.get(thread.get_absolute_url() + "?page=last"))


def test_department_form_pages_as_served_and_refused(department_contact, staged):
    client = client_for(department_contact)
    escalation = staged["escalation"]
    assert_ids_resolve(client.get(reverse("moderation:escalation-inbox")))
    detail = reverse("moderation:escalation-detail", args=[escalation.pk])
    assert_ids_resolve(client.get(detail))
    answer = reverse("moderation:escalation-answer", args=[escalation.pk])
    assert_ids_resolve(client.post(answer, {"body": ""}), 400)
    status = reverse("moderation:escalation-status", args=[escalation.pk])
    assert_ids_resolve(client.post(status, {"status": "nonsense"}), 400)
    assert_ids_resolve(client.get(reverse("notifications:list")))


def test_a_thread_offers_a_shortcut_to_its_reply_box(employee, staged, settings):
    thread: Thread = staged["thread"]
    client = client_for(employee)
    last = client.get(thread.get_absolute_url() + "?page=last").content.decode()
    assert '<a class="ds-link" href="#id_body">' in last and 'id="id_body"' in last
    settings.FORUM_POSTS_PER_PAGE = 1  # the reply box is on the last page only
    first = client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert '<a class="ds-link" href="?page=last#id_body">' in first and 'id="id_body"' not in first


def test_no_shortcut_where_the_viewer_may_not_reply(employee, staged, moderator_a):
    thread: Thread = staged["thread"]
    moderation_services.lock_thread(thread, by=moderator_a)
    page = client_for(employee).get(thread.get_absolute_url() + "?page=last").content.decode()
    assert "#id_body" not in page
