"""Real concurrent connections against the staffing triggers and the escalation key."""

import contextlib
import threading
import uuid

import pytest
from django.db import IntegrityError, transaction

from forum.models import Topic
from moderation import services
from moderation.models import BackOfficeMembership, Escalation
from tests.concurrency import run_concurrently
from tests.moderation.test_staffing_grants import assert_rights_follow_staffing

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_transactions_cannot_each_remove_one_of_the_last_two_experts(
    topic_a, back_office_a, expert, make_employee
):
    second = make_employee("Andre Ekspert")
    BackOfficeMembership.objects.create(back_office=back_office_a, employee=second)
    experts = [expert, second]

    def remove(n: int) -> str:
        with transaction.atomic():  # a raw path: no service, only the database's triggers
            BackOfficeMembership.objects.filter(employee=experts[n]).delete()
        return "removed"

    results = run_concurrently(2, remove)
    assert sorted(type(r).__name__ for r in results) == ["IntegrityError", "str"]
    assert isinstance(next(r for r in results if not isinstance(r, str)), IntegrityError)
    assert BackOfficeMembership.objects.filter(back_office=back_office_a).count() == 1


def test_a_double_submitted_escalation_is_stored_once(thread_a, moderator_a, department):
    key = uuid.uuid4()
    results = run_concurrently(
        4,
        lambda n: services.escalate_thread(
            thread_a,
            by=moderator_a,
            department=department,
            category="routine",
            summary="Dobbeltklikk",
            submission_key=key,
        ),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({r.pk for r in results}) == 1
    assert Escalation.objects.count() == 1


def _write_then_meet(writes):
    """Each worker writes, then waits (at most a second) for the other before committing:
    without the triggers' back-office lock both commits race past each other's rows."""
    meet = threading.Barrier(len(writes))

    def work(n: int) -> str:
        with transaction.atomic():
            writes[n]()
            # A broken barrier: the other worker waits for our lock, what the test is about.
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait(timeout=1)
        return "committed"

    return work


@pytest.mark.parametrize(
    "joined",
    [
        pytest.param("back_office_b", id="the-back-office-the-topic-moves-to-gets-its-rights"),
        pytest.param("back_office_a", id="the-back-office-the-topic-leaves-gets-no-rights"),
    ],
)
def test_an_expert_added_while_a_topic_moves_between_back_offices_gets_what_staffing_says(
    joined, topic_a, back_office_a, back_office_b, make_employee, request
):
    newcomer = make_employee("Ny Ekspert")
    back_office = request.getfixturevalue(joined)
    work = _write_then_meet(
        [
            lambda: BackOfficeMembership.objects.create(back_office=back_office, employee=newcomer),
            lambda: Topic.objects.filter(pk=topic_a.pk).update(back_office=back_office_b),
        ]
    )
    assert run_concurrently(2, work) == ["committed", "committed"]
    assert_rights_follow_staffing()
