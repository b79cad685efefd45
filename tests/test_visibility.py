"""One visibility rule on every path (forum.permissions.can_view_topic): a topic is visible
when it and every ancestor are published, or the viewer staffs it, or is an admin.

A published child under a draft parent, with a thread, a reply and an edited post in it,
walked as an ordinary employee (it does not exist: 404, found nowhere), as the child's
moderator and back-office member (they see it), and as an admin (sees everything)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from forum import permissions, querysets
from forum import services as forum_services
from forum.models import Post, Thread, Topic
from forum.search.engine import Filters, search_threads, similar_threads
from forum.search.parsing import parse_query, parse_title
from moderation import querysets as moderation_querysets
from moderation import services
from moderation.models import BackOffice, BackOfficeMembership, Escalation

pytestmark = pytest.mark.django_db

WORD = "Kvasirtrylleformular"  # found by search only where the thread is visible


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def people(make_employee, admin_user):
    return {
        "employee": make_employee("Vanlig Ansatt"),
        "moderator": make_employee("Barnets Moderator"),
        "back_office": make_employee("Barnets Fagperson"),
        "author": make_employee("Skribent"),
        "admin": admin_user,
    }


@pytest.fixture
def hidden_world(people, department):
    """The draft parent, its published child (staffed), a thread, a reply, an escalation."""
    admin = people["admin"]
    office = BackOffice.objects.create(name="Barnets baksystem")
    for member in (people["moderator"], people["back_office"]):
        BackOfficeMembership.objects.create(back_office=office, employee=member)
    parent = Topic.objects.create(name="Utkast-gruppe", slug="utkast-gruppe")
    child = Topic.objects.create(name="Publisert barn", slug="publisert-barn", parent=parent)
    services.staff_topic(child, by=admin, moderator=people["moderator"], back_office=office)
    child = services.publish_topic(child, by=admin)
    thread = forum_services.start_thread(
        child, author=people["author"], title=f"{WORD} i praksis", body=f"Om {WORD}.",
        kind=Thread.Kind.QUESTION,
    )  # fmt: skip
    opening = thread.posts.get()
    forum_services.edit_post(opening, editor=people["author"], body=f"Om {WORD}, rettet.")
    reply = forum_services.post_reply(thread, author=people["moderator"], body="Et svar.")
    services.escalate_thread(
        thread, by=people["moderator"], department=department, category="routine", summary="x"
    )
    for person in people.values():
        permissions.forget_cached_perms(person)
    return {"parent": parent, "child": Topic.objects.get(pk=child.pk), "thread": thread,
            "opening": opening, "reply": reply}  # fmt: skip


def _urls(world) -> dict[str, str]:
    thread, opening, child = world["thread"], world["opening"], world["child"]
    return {
        "topic page": child.get_absolute_url(),
        "thread page": thread.get_absolute_url() + "?page=1",
        "post link": reverse("forum:post-redirect", args=[opening.pk]),
        "post history": reverse("forum:post-history", args=[opening.pk]),
        "post edit": reverse("forum:post-edit", args=[world["reply"].pk]),
        "new-thread form": reverse("forum:thread-create", args=[child.slug]),
        "reply form": reverse("forum:thread-reply", args=[thread.pk]),
        "report form": reverse("moderation:report-post", args=[opening.pk]),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_ordinary_employee_finds_the_child_nowhere(people, hidden_world):
    employee, world = people["employee"], hidden_world
    client = _client(employee)
    for name, url in _urls(world).items():
        assert client.get(url).status_code == 404, name
    # writes refused the same way (the form gets its text back with a 404)
    reply = client.post(reverse("forum:thread-reply", args=[world["thread"].pk]), {"body": "x"})
    assert reply.status_code == 404
    home = client.get("/").content.decode()
    assert world["child"].name not in home and world["parent"].name not in home
    for query in (WORD, f"{WORD} praksis"):
        response = client.get("/sok/", {"q": query})
        assert response.status_code == 200 and response.context["results"].total == 0
    similar = client.get("/sok/lignende/", {"title": f"{WORD} i praksis"})
    assert WORD not in similar.content.decode()
    search_page = client.get("/sok/").content.decode()  # the topic filter's choices
    assert world["child"].name not in search_page
    _assert_reads(employee, world, visible=False)


def _assert_reads(user, world, *, visible: bool) -> None:
    """Every read and rule function gives the same answer as the URLs."""
    child, thread = world["child"], world["thread"]
    topics = permissions.topics_visible_to(user, Topic.objects.all())
    assert (child in topics) is visible
    assert (thread in permissions.threads_visible_to(user, Thread.objects.all())) is visible
    assert (world["opening"] in permissions.posts_visible_to(user, Post.objects.all())) is visible
    tree = querysets.topic_tree_for(permissions.topics_visible_to(user, querysets.topic_tree()))
    assert (child.pk in [row[0] for row in tree.rows]) is visible
    assert permissions.can_view_topic(user, child) is visible
    for read in (
        querysets.topic_for_page(child.slug),
        querysets.thread_for_page(thread.pk).topic,
        querysets.thread_for_writing(thread.pk).topic,
        querysets.post_with_thread(world["opening"].pk).thread.topic,
        querysets.topic_for_form(child.slug),
    ):
        assert read.tree_published is False  # carried by the read: no query of its own
        assert permissions.can_view_topic(user, read) is visible
    assert permissions.can_view_thread(user, querysets.thread_for_page(thread.pk)) is visible
    assert permissions.can_start_thread(user, querysets.topic_for_form(child.slug)) is visible
    assert (child in moderation_querysets.topics_with_escalations(user)) is visible


def test_search_and_move_targets_list_only_what_everyone_sees(people, hidden_world):
    """Search and moving a thread show only topics visible to every employee (published
    with every ancestor): a draft's staff reach it through its pages, never by search."""
    assert search_threads(parse_query(WORD), Filters()).total == 0
    assert similar_threads(*parse_title(f"{WORD} i praksis")) == []
    from forum.search.forms import SearchForm

    assert hidden_world["child"] not in SearchForm().fields["topic"].queryset
    other = Topic.objects.create(name="Annet", slug="annet")
    assert hidden_world["child"] not in moderation_querysets.move_targets(hidden_world["thread"])
    assert other not in moderation_querysets.move_targets(hidden_world["thread"])  # a draft


@pytest.mark.parametrize("role", ["moderator", "back_office", "admin"])
def test_the_childs_staff_and_admins_see_it(people, hidden_world, role):
    user, world = people[role], hidden_world
    client = _client(user)
    expected = {
        "topic page": 200, "thread page": 200, "post link": 302, "new-thread form": 200,
        "reply form": 200, "report form": 200,
        # the author's and moderators' rights, not visibility, decide these two
        "post history": 200 if role != "back_office" else 403,
        "post edit": 200 if role != "back_office" else 403,
    }  # fmt: skip
    for name, url in _urls(world).items():
        assert client.get(url).status_code == expected[name], name
    _assert_reads(user, world, visible=True)
    home = client.get("/").content.decode()
    # the tree shows a topic under its parent: only admins see the draft parent, and so
    # the child in the tree
    assert (world["child"].name in home) is (role == "admin")


def test_anonymous_sees_nothing(hidden_world):
    assert not permissions.can_view_topic(AnonymousUser(), hidden_world["child"])
    assert not permissions.topics_visible_to(AnonymousUser(), Topic.objects.all()).exists()


def test_publishing_the_parent_shows_the_child_to_everyone(people, hidden_world):
    parent = hidden_world["parent"]
    services.staff_topic(
        parent, by=people["admin"], moderator=people["moderator"],
        back_office=BackOffice.objects.get(name="Barnets baksystem"),
    )  # fmt: skip
    services.publish_topic(parent, by=people["admin"])
    client = _client(people["employee"])
    for name, url in _urls(hidden_world).items():
        status = client.get(url).status_code
        assert status in (200, 302, 403), (name, status)
    assert search_threads(parse_query(WORD), Filters()).total == 1
    assert Escalation.objects.count() == 1
    _assert_reads_published(people["employee"], hidden_world)


def _assert_reads_published(user, world) -> None:
    child = world["child"]
    assert querysets.topic_for_page(child.slug).tree_published is True
    assert permissions.can_view_topic(user, querysets.topic_for_page(child.slug))
    assert child in permissions.topics_visible_to(user, Topic.objects.all())
