"""A small Norwegian forum for the search tests, made directly with the ORM.

Topics are published by setting the staffing columns (moderator, back-office with a member
besides the moderator), which is what the database's publishing gate checks.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import County, Unit
from forum.models import Post, Thread, Topic
from moderation.models import BackOffice, BackOfficeMembership, ClarifiedAnswer

_n = itertools.count(1)


@pytest.fixture
def staff(make_employee):
    moderator = make_employee("Mona Moderator")
    expert = make_employee("Erik Ekspert")
    back_office = BackOffice.objects.create(name=f"Søk-baksystem {next(_n)}")
    BackOfficeMembership.objects.create(back_office=back_office, employee=moderator)
    BackOfficeMembership.objects.create(back_office=back_office, employee=expert)
    return moderator, back_office


@pytest.fixture
def make_topic(staff):
    moderator, back_office = staff

    def make(name: str | None = None, *, parent: Topic | None = None, published: bool = True):
        n = next(_n)
        return Topic.objects.create(
            name=name or f"Tema {n}",
            slug=f"sok-tema-{n}",
            parent=parent,
            moderator=moderator,
            back_office=back_office,
            published_at=timezone.now() if published else None,
        )

    return make


@pytest.fixture
def topic(make_topic) -> Topic:
    return make_topic("Sykefravær")


def add_post(thread: Thread, body: str, *, author=None, hidden: bool = False, **fields) -> Post:
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
