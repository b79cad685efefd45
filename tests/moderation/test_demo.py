"""The demo moderation data: complete, and idempotent."""

from django.db import connection

from accounts import demo as accounts_demo
from forum import demo as forum_demo
from moderation import demo
from moderation.models import (
    AuditEntry,
    BackOffice,
    ClarifiedAnswer,
    Consultation,
    Escalation,
    Report,
)
from moderation.services import STAFFING_TRIGGERS


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (AuditEntry, BackOffice, ClarifiedAnswer, Consultation, Escalation, Report)
    }


def test_demo_data_covers_every_case_and_is_idempotent(db, settings):
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    accounts_demo.seed()
    demo.seed()
    forum_demo.seed()
    demo.seed_after_forum()
    with connection.cursor() as cursor:  # what COMMIT would check
        cursor.execute(f"SET CONSTRAINTS {STAFFING_TRIGGERS} IMMEDIATE")
    first = counts()
    assert set(Escalation.objects.values_list("status", flat=True)) == set(Escalation.Status)
    assert Report.objects.filter(status="open").count() == 2
    assert Consultation.objects.get().notes.count() == 2
    assert ClarifiedAnswer.objects.count() == 2
    accounts_demo.seed()
    demo.seed()
    forum_demo.seed()
    demo.seed_after_forum()
    assert counts() == first
