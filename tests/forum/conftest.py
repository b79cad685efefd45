"""Forum fixtures: a staffed, published topic tree with a moderator and a back-office."""

import itertools

import pytest
from django.test import Client
from django.utils import timezone, translation

from forum import services
from forum.models import Thread, Topic
from moderation.models import BackOffice, BackOfficeMembership

_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def _english_messages():
    # Service messages are matched in English; pages keep their own language negotiation.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # Most tests post several times a second; the rate-limit tests set their own values.
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    settings.FORUM_THREADS_PER_DAY = 1000


def grant_staff_rights(topic: Topic) -> None:
    """Give the topic's staff their object permissions, as moderation's staffing does."""
    try:
        from moderation.services import sync_topic_permissions
    except ImportError:  # staffing rights not wired yet: roles come from the topic row
        return
    sync_topic_permissions([topic])


@pytest.fixture
def make_topic(make_employee):
    staff: dict[str, object] = {}

    def make(name: str = "Sykefraværsoppfølging", *, published: bool = True, parent=None):
        if not staff:
            staff["moderator"] = make_employee("Mona Moderator")
            expert = make_employee("Erik Ekspert")
            back_office = BackOffice.objects.create(name=f"Baksystem {next(_slugs)}")
            BackOfficeMembership.objects.create(back_office=back_office, employee=expert)
            staff["back_office"] = back_office
            staff["expert"] = expert
        topic = Topic.objects.create(
            name=name,
            slug=f"tema-{next(_slugs)}",
            description=f"Erfaringer om {name.lower()}.",
            parent=parent,
            moderator=staff["moderator"],
            back_office=staff["back_office"],
            published_at=timezone.now() if published else None,
        )
        grant_staff_rights(topic)
        return topic

    make.staff = staff
    return make


@pytest.fixture
def topic(make_topic) -> Topic:
    return make_topic()


@pytest.fixture
def moderator(topic, make_topic):
    return make_topic.staff["moderator"]


@pytest.fixture
def expert(topic, make_topic):
    return make_topic.staff["expert"]


@pytest.fixture
def draft_topic(make_topic) -> Topic:
    return make_topic("Utkast til tema", published=False)


@pytest.fixture
def other_employee(make_employee):
    return make_employee("Ola Hansen")


@pytest.fixture
def thread(topic, employee) -> Thread:
    return services.start_thread(
        topic,
        author=employee,
        title="Hvordan følger dere opp sykmeldte etter åtte uker?",
        body="Vi lurer på hvordan **andre kontor** gjør aktivitetsplikten.",
        kind=Thread.Kind.DISCUSSION,
    )


@pytest.fixture
def question(topic, employee) -> Thread:
    return services.start_thread(
        topic,
        author=employee,
        title="Gjelder unntaket for graderte sykmeldinger?",
        body="Hva sier regelverket?",
        kind=Thread.Kind.QUESTION,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_client(other_employee) -> Client:
    return client_for(other_employee)


@pytest.fixture
def moderator_client(moderator) -> Client:
    return client_for(moderator)
