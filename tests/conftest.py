"""Shared fixtures: an organisation, employees in it, logged-in clients, and staffed topics.

Topics are staffed and published through moderation.services only, so whatever the
services derive from staffing (guardian rights, audit entries) follows as in production.
Fixtures never write a topic's staffing columns or guardian rows themselves.
"""

import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from accounts.models import County, Employee, Unit
from forum.models import Post, Thread, Topic
from moderation import services as moderation_services
from moderation.models import BackOffice

# ../shared/data/bad-input from the project root; a git worktree sits one level deeper.
BAD_INPUT_DIR = next(
    (
        parent / "shared" / "data" / "bad-input"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "data" / "bad-input").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "bad-input",
)
PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def bad_input_lines(name: str) -> list[str]:
    """Lines of a public bad-input corpus; skip (with the reason) only where it is absent."""
    path = BAD_INPUT_DIR / name
    if not path.exists():
        pytest.skip(f"bad-input corpus {path} is absent on this machine")
    lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def english_messages():
    """Service messages are matched in English; pages keep their own language negotiation.
    Made autouse by the conftests whose tests match messages."""
    with translation.override("en"):
        yield


def english_client() -> Client:
    """A client whose reader chose English (the language cookie; Accept-Language is ignored)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county(db) -> County:
    return County.objects.get_or_create(number="46", defaults={"name": "Vestland"})[0]


@pytest.fixture
def unit(county) -> Unit:
    return Unit.objects.create(
        number="4601", name="NAV Bergen sør", kind=Unit.Kind.LOCAL_OFFICE, county=county
    )


@pytest.fixture
def department(db) -> Unit:
    return Unit.objects.create(
        number="0130", name="Juridisk avdeling", kind=Unit.Kind.DIRECTORATE_DEPARTMENT
    )


@pytest.fixture
def make_employee(unit):
    def make(name: str | None = None, *, unit_obj: Unit | None = None, **fields) -> Employee:
        n = next(_counter)
        employee = Employee.objects.create_user(
            email=fields.pop("email", f"ansatt{n}@erfaringsforum.example"),
            password=PASSWORD,
            name=name or f"Ansatt {n}",
            unit=unit_obj or unit,
            **fields,
        )
        return employee

    return make


@pytest.fixture
def employee(make_employee) -> Employee:
    return make_employee("Kari Nordmann", title="Veileder")


@pytest.fixture
def admin_user(make_employee) -> Employee:
    return make_employee("Ada Administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def employee_client(employee) -> Client:
    return client_for(employee)


# Staffed topics ------------------------------------------------------------------------------


@pytest.fixture
def make_back_office(db, admin_user):
    """A back-office with these members, made through moderation's membership service."""

    def make(*members: Employee, name: str | None = None) -> BackOffice:
        back_office = BackOffice.objects.create(name=name or f"Baksystem {next(_counter)}")
        if members:
            moderation_services.set_back_office_members(back_office, members=members, by=admin_user)
        return back_office

    return make


class DefaultStaff(dict):
    """The staff a topic gets when the test names none, made on first use:
    ``moderator``, ``expert`` and ``back_office`` (the expert is its one member)."""

    def __init__(self, make_employee, make_back_office):
        super().__init__()
        self._make_employee = make_employee
        self._make_back_office = make_back_office

    def __missing__(self, key: str):
        if key not in ("moderator", "expert", "back_office"):
            raise KeyError(key)
        moderator = self._make_employee("Mona Moderator")
        expert = self._make_employee("Erik Ekspert")
        self.update(moderator=moderator, expert=expert, back_office=self._make_back_office(expert))
        return self[key]


_DEFAULT = object()


@pytest.fixture
def make_topic(db, admin_user, make_employee, make_back_office):
    """make_topic(name=None, *, parent=None, published=True, staffed=True, moderator=...,
    back_office=..., deputy=None): a topic staffed and published through moderation.services.

    Without `moderator`/`back_office` the topic gets ``make_topic.staff`` (made on first
    use); `staffed=False` leaves it without any staff (it must then stay a draft).
    `publish=` is the moderation tests' spelling of `published=`.
    """
    staff = DefaultStaff(make_employee, make_back_office)

    def make(
        name: str | None = None,
        *,
        parent: Topic | None = None,
        published: bool = True,
        publish: bool | None = None,
        staffed: bool = True,
        moderator=_DEFAULT,
        back_office=_DEFAULT,
        deputy: Employee | None = None,
    ) -> Topic:
        n = next(_counter)
        name = name or f"Tema {n}"
        topic = Topic.objects.create(
            name=name,
            slug=f"tema-{n}",
            description=f"Erfaringer om {name.lower()}.",
            parent=parent,
        )
        if staffed:
            topic = moderation_services.staff_topic(
                topic,
                by=admin_user,
                moderator=staff["moderator"] if moderator is _DEFAULT else moderator,
                back_office=staff["back_office"] if back_office is _DEFAULT else back_office,
                deputy_moderator=deputy,
            )
        if published if publish is None else publish:
            topic = moderation_services.publish_topic(topic, by=admin_user)
        return topic

    make.staff = staff
    return make


# Threads and posts as plain rows (for tests about reading, search and moderation) -----------


def add_post(
    thread: Thread, body: str = "Et innlegg.", *, author=None, hidden: bool = False, **fields
) -> Post:
    """Append a post row to the thread and its counters, skipping the forum's write path."""
    position = thread.posts.count() + 1
    if hidden:
        fields.update(hidden_at=timezone.now(), hidden_by=thread.topic.moderator)
    post = Post.objects.create(
        thread=thread,
        position=position,
        author=author or thread.author,
        body_md=body,
        body_html=f"<p>{body}</p>",
        renderer_version=1,
        **fields,
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=position, reply_count=position - 1)
    return post
