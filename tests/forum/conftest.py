"""Forum fixtures: the default staffed topic, its staff, threads and clients."""

import pytest
from django.test import Client

from forum import services
from forum.models import Thread, Topic
from tests.conftest import client_for, english_messages

_english_messages = pytest.fixture(autouse=True, name="_english_messages")(english_messages)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # Most tests post several times a second; the rate-limit tests set their own values.
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    settings.FORUM_THREADS_PER_DAY = 1000


@pytest.fixture
def topic(make_topic) -> Topic:
    return make_topic("Sykefraværsoppfølging")


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


OPENING_POSTS = {
    Thread.Kind.DISCUSSION: (
        "Hvordan følger dere opp sykmeldte etter åtte uker?",
        "Vi lurer på hvordan **andre kontor** gjør aktivitetsplikten.",
    ),
    Thread.Kind.QUESTION: (
        "Gjelder unntaket for graderte sykmeldinger?",
        "Hva sier regelverket?",
    ),
}


def start_thread(topic: Topic, author, kind: str) -> Thread:
    title, body = OPENING_POSTS[kind]
    return services.start_thread(topic, author=author, title=title, body=body, kind=kind)


@pytest.fixture
def thread(topic, employee) -> Thread:
    return start_thread(topic, employee, Thread.Kind.DISCUSSION)


@pytest.fixture
def question(topic, employee) -> Thread:
    return start_thread(topic, employee, Thread.Kind.QUESTION)


@pytest.fixture
def other_client(other_employee) -> Client:
    return client_for(other_employee)


@pytest.fixture
def moderator_client(moderator) -> Client:
    return client_for(moderator)
