"""Staffed topics, threads and posts for the moderation tests.

Topics are staffed and published through moderation.services, so the guardian rights
follow staffing exactly as in production. Threads and posts are plain rows: these tests
are about moderation, not about the forum's write path.
"""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from accounts.models import Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP
from forum.models import Post, Thread, Topic
from moderation import services
from moderation.models import BackOffice, BackOfficeMembership

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _english_messages():
    # Service messages are matched in English; pages keep their own language negotiation.
    with translation.override("en"):
        yield


@pytest.fixture
def make_back_office(db):
    def make(*members, name: str | None = None) -> BackOffice:
        back_office = BackOffice.objects.create(name=name or f"Baksystem {next(_n)}")
        for member in members:
            BackOfficeMembership.objects.create(back_office=back_office, employee=member)
        return back_office

    return make


@pytest.fixture
def make_topic(db, admin_user):
    def make(
        name: str | None = None,
        *,
        moderator=None,
        back_office=None,
        deputy=None,
        publish: bool = True,
        parent: Topic | None = None,
    ) -> Topic:
        n = next(_n)
        topic = Topic.objects.create(name=name or f"Tema {n}", slug=f"tema-{n}", parent=parent)
        if moderator is not None or back_office is not None:
            topic = services.staff_topic(
                topic,
                by=admin_user,
                moderator=moderator,
                back_office=back_office,
                deputy_moderator=deputy,
            )
        if publish:
            topic = services.publish_topic(topic, by=admin_user)
        return topic

    return make


@pytest.fixture
def make_thread(db):
    def make(topic: Topic, author, *, title: str = "Hvordan gjør dere dette?", **fields) -> Thread:
        thread = Thread.objects.create(topic=topic, title=title, author=author, **fields)
        make_post(thread, author)
        return thread

    return make


def make_post(thread: Thread, author, body: str = "Et innlegg.", **fields) -> Post:
    position = thread.posts.count() + 1
    post = Post.objects.create(
        thread=thread,
        position=position,
        author=author,
        body_md=body,
        body_html=f"<p>{body}</p>",
        renderer_version=1,
        **fields,
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=position, reply_count=position - 1)
    return post


@pytest.fixture
def moderator_a(make_employee):
    return make_employee("Mona Moderator")


@pytest.fixture
def moderator_b(make_employee):
    return make_employee("Per Moderator")


@pytest.fixture
def expert(make_employee):
    return make_employee("Lars Ekspert")


@pytest.fixture
def expert_b(make_employee):
    return make_employee("Hilde Ekspert")


@pytest.fixture
def back_office_a(make_back_office, expert):
    return make_back_office(expert, name="Baksystem A")


@pytest.fixture
def back_office_b(make_back_office, expert_b):
    return make_back_office(expert_b, name="Baksystem B")


@pytest.fixture
def topic_a(make_topic, moderator_a, back_office_a):
    return make_topic("Sykepenger", moderator=moderator_a, back_office=back_office_a)


@pytest.fixture
def topic_b(make_topic, moderator_b, back_office_b):
    return make_topic("Hjelpemidler", moderator=moderator_b, back_office=back_office_b)


@pytest.fixture
def author(make_employee):
    return make_employee("Ola Forfatter")


@pytest.fixture
def thread_a(make_thread, topic_a, author):
    return make_thread(topic_a, author)


@pytest.fixture
def post_a(thread_a, employee):
    return make_post(thread_a, employee, "Et svar som kanskje er feil.")


@pytest.fixture
def department_contact(make_employee, department):
    contact = make_employee("Sofie Kontakt", unit_obj=department)
    contact.groups.add(Group.objects.get_or_create(name=DEPARTMENT_CONTACTS_GROUP)[0])
    return contact


@pytest.fixture
def other_department(db):
    return Unit.objects.create(
        number="0110", name="Ytelsesavdelingen", kind=Unit.Kind.DIRECTORATE_DEPARTMENT
    )


@pytest.fixture
def now():
    return timezone.now()
