"""Two staffed topics, their staff, threads and posts for the moderation tests.

Topics come from tests/conftest.py's make_topic (staffed and published through
moderation.services). Threads and posts are plain rows: these tests are about
moderation, not about the forum's write path.
"""

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP
from forum.models import Post, Thread, Topic
from moderation import services
from tests.conftest import add_post, english_client, english_messages

_english_messages = pytest.fixture(autouse=True, name="_english_messages")(english_messages)


@pytest.fixture
def make_thread(db):
    def make(topic: Topic, author, *, title: str = "Hvordan gjør dere dette?", **fields) -> Thread:
        thread = Thread.objects.create(topic=topic, title=title, author=author, **fields)
        make_post(thread, author)
        return thread

    return make


def make_post(thread: Thread, author, body: str = "Et innlegg.", **fields) -> Post:
    return add_post(thread, body, author=author, **fields)


def employee_named(name: str):
    """A fixture giving a new employee of this name."""

    @pytest.fixture
    def fixture(make_employee):
        return make_employee(name)

    return fixture


moderator_a = employee_named("Mona Moderator")
moderator_b = employee_named("Per Moderator")
expert = employee_named("Lars Ekspert")
expert_b = employee_named("Hilde Ekspert")
author = employee_named("Ola Forfatter")


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


def admin_client(admin_user) -> Client:
    """The admin signed in, reading the admin's pages in English (the language cookie)."""
    client = english_client()
    client.force_login(admin_user)
    return client


def change_topic_in_admin(client: Client, topic: Topic, **staffing) -> HttpResponse:
    """Send the admin's change form of `topic` as it stands, with the staffing columns given
    (moderator, deputy_moderator, back_office: objects or None; absent ones are emptied)."""
    fields = {
        "name": topic.name,
        "slug": topic.slug,
        "parent": "",
        "description": "",
    }
    for column in ("moderator", "deputy_moderator", "back_office"):
        value = staffing.get(column)
        fields[column] = value.pk if value is not None else ""
    return client.post(reverse("admin:forum_topic_change", args=[topic.pk]), fields)


@pytest.fixture
def restaff_to_b(moderator_b, back_office_b, admin_user):
    """Hand a topic to B's moderator and back-office, with `deputy` as deputy moderator."""

    def restaff(topic: Topic, deputy) -> Topic:
        return services.staff_topic(
            topic, by=admin_user, moderator=moderator_b, back_office=back_office_b,
            deputy_moderator=deputy,
        )  # fmt: skip

    return restaff
