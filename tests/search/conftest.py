"""A small Norwegian forum for the search tests: topics from tests/conftest.py's make_topic,
threads and posts as plain rows (these tests are about reading, not the forum's write path).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import County, Unit
from forum.models import Post, Thread, Topic
from moderation.models import ClarifiedAnswer
from tests.conftest import add_post


@pytest.fixture
def staff(make_topic):
    """(moderator, back-office) of the topics make_topic staffs by default."""
    return make_topic.staff["moderator"], make_topic.staff["back_office"]


@pytest.fixture
def topic(make_topic) -> Topic:
    return make_topic("Sykefravær")


@pytest.fixture
def make_thread(employee):
    def make(
        topic: Topic,
        title: str,
        body: str = "Jeg lurer på hvordan dere gjør dette.",
        *,
        author=None,
        age_days: float = 0,
        **fields,
    ) -> Thread:
        created = timezone.now() - timedelta(days=age_days)
        thread = Thread.objects.create(
            topic=topic,
            title=title,
            author=author or employee,
            created_at=created,
            last_activity_at=created,
            **fields,
        )
        add_post(thread, body, created_at=created)
        return thread

    return make


def clarify(post: Post, by) -> ClarifiedAnswer:
    return ClarifiedAnswer.objects.create(post=post, clarified_by=by)


@pytest.fixture
def other_unit(db) -> Unit:
    county = County.objects.get_or_create(number="18", defaults={"name": "Nordland"})[0]
    return Unit.objects.create(
        number="1804", name="NAV Bodø", kind=Unit.Kind.LOCAL_OFFICE, county=county
    )
