"""Real concurrent connections against the staffing triggers and the escalation key."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from moderation import services
from moderation.models import BackOfficeMembership, Escalation
from tests.concurrency import run_concurrently

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
