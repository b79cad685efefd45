"""Scoping to the topics a moderator moderates, and the moderation queue."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Employee
from accounts.permissions import is_admin
from forum import permissions  # the topic roles (moderation.permissions builds on them)
from forum.models import Thread, Topic
from moderation.models import (
    ClarifiedAnswer,
    Escalation,
    Report,
)

NEW_THREAD_DAYS = 7
QUEUE_LIST_LIMIT = 25
OPEN_STATUSES = (Escalation.Status.RECEIVED, Escalation.Status.IN_PROGRESS)


# ---------------------------------------------------------------------------------------------
# scoping


def moderated_topics(user: Employee) -> QuerySet[Topic]:
    """The topics the user moderates (every topic for admins), in tree order."""
    topics = Topic.objects.order_by("tree_id", "lft")
    if is_admin(user):
        return topics
    return topics.filter(permissions.granted_topics(user, [permissions.MODERATE_TOPIC]))


def _in_my_topics(user: Employee, path: str) -> Q:
    if is_admin(user):
        return Q()
    return permissions.granted_topics(user, [permissions.MODERATE_TOPIC], path=path)


def review_overdue(clarified: ClarifiedAnswer, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return clarified.review_by is not None and clarified.review_by < today


def escalation_overdue_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.ESCALATION_OVERDUE_DAYS)


def with_overdue(escalations) -> list[Escalation]:
    """Evaluate and mark each escalation `is_overdue` (open longer than ESCALATION_OVERDUE_DAYS)."""
    limit = escalation_overdue_before()
    rows = list(escalations)
    for escalation in rows:
        escalation.is_overdue = escalation.is_open and escalation.received_at < limit
    return rows


def _count(qs: QuerySet) -> Coalesce:
    """COUNT(*) of a queryset as a scalar subquery, so several counts share one query."""
    # COUNT through Func: Django then adds no GROUP BY, and the subquery yields one row.
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# ---------------------------------------------------------------------------------------------
# the moderation queue


@dataclass
class Queue:
    new_threads: list[Thread] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    unanswered: list[Thread] = field(default_factory=list)
    review_due: list[ClarifiedAnswer] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def moderation_queue(user: Employee) -> Queue:
    """What waits for the moderator in the topics they moderate (all topics for admins).

    Six queries: the counts in one, then one list per section (each at most
    QUEUE_LIST_LIMIT rows, newest or oldest first as fits the section).
    """
    now = timezone.now()
    today = timezone.localdate()
    new_since = now - datetime.timedelta(days=NEW_THREAD_DAYS)
    unanswered_before = now - datetime.timedelta(days=settings.MODERATION_UNANSWERED_DAYS)

    new_threads = Thread.objects.filter(_in_my_topics(user, "topic_id"), created_at__gte=new_since)
    reports = Report.objects.filter(
        _in_my_topics(user, "post__thread__topic_id"), status=Report.Status.OPEN
    )
    unanswered = Thread.objects.filter(
        _in_my_topics(user, "topic_id"),
        kind=Thread.Kind.QUESTION,
        reply_count=0,
        solution_post__isnull=True,
        locked=False,
        created_at__lt=unanswered_before,
    )
    review_due = ClarifiedAnswer.objects.filter(
        _in_my_topics(user, "post__thread__topic_id"), review_by__lt=today
    )
    escalations = Escalation.objects.filter(
        _in_my_topics(user, "thread__topic_id"), status__in=OPEN_STATUSES
    )

    counts = (
        Employee.objects.filter(pk=user.pk)
        .annotate(
            n_new_threads=_count(new_threads),
            n_reports=_count(reports),
            n_unanswered=_count(unanswered),
            n_review_due=_count(review_due),
            n_escalations=_count(escalations),
        )
        .values("n_new_threads", "n_reports", "n_unanswered", "n_review_due", "n_escalations")
        .get()
    )
    counts = {key.removeprefix("n_"): value for key, value in counts.items()}
    limit = QUEUE_LIST_LIMIT
    return Queue(
        new_threads=list(
            new_threads.select_related("topic", "author__unit__county").order_by("-created_at")[
                :limit
            ]
        ),
        reports=list(
            reports.select_related(
                "post__thread__topic", "post__author", "reporter__unit__county"
            ).order_by("created_at")[:limit]
        ),
        unanswered=list(
            unanswered.select_related("topic", "author__unit__county").order_by("created_at")[
                :limit
            ]
        ),
        review_due=list(
            review_due.select_related("post__thread__topic", "clarified_by").order_by("review_by")[
                :limit
            ]
        ),
        escalations=with_overdue(
            escalations.select_related("thread__topic", "department").order_by("received_at")[
                :limit
            ]
        ),
        counts=counts,
    )
