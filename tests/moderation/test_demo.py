"""The demo moderation data: complete, idempotent, and written through the services."""

from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from guardian.core import ObjectPermissionChecker

from accounts import demo as accounts_demo
from forum.models import Post, PostRevision, Thread, Topic
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
    demo.seed()  # topics, forum.demo's threads, then the cases
    with connection.cursor() as cursor:  # what COMMIT would check
        cursor.execute(f"SET CONSTRAINTS {STAFFING_TRIGGERS} IMMEDIATE")
    first = counts()
    assert set(Escalation.objects.values_list("status", flat=True)) == set(Escalation.Status)
    assert Report.objects.filter(status="open").count() == 2
    assert Consultation.objects.get().notes.count() == 2
    assert ClarifiedAnswer.objects.count() == 2
    accounts_demo.seed()
    demo.seed()  # topics, forum.demo's threads, then the cases
    assert counts() == first


def test_seed_demo_writes_through_the_services_into_the_past(db, settings):
    settings.FORUM_POST_INTERVAL_SECONDS = 30
    call_command("seed_demo", stdout=None)
    assert settings.FORUM_POST_INTERVAL_SECONDS == 30  # lifted for the command's run only
    two_days_ago = timezone.now() - timedelta(days=2)
    assert not Thread.objects.filter(created_at__gt=two_days_ago).exists()
    for thread in Thread.objects.all():
        first = Post.objects.get(thread=thread, position=1)
        assert first.created_at == thread.created_at <= thread.last_activity_at
    revision = PostRevision.objects.select_related("post").filter(reason="Skrivefeil").first()
    assert revision and revision.post.edit_count == 1
    assert revision.replaced_at == revision.post.edited_at > revision.created_at
    for topic in Topic.objects.filter(published_at__isnull=False).select_related("moderator"):
        # Staffed through the services, so the rights follow (every path: test_staffing).
        assert ObjectPermissionChecker(topic.moderator).has_perm("moderate_topic", topic)
