"""The moderation pages' lists: audit log, escalations, notifications, move targets."""

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from accounts.models import Employee, Unit
from accounts.permissions import is_admin
from forum import permissions  # the topic roles (moderation.permissions builds on them)
from forum.models import Post, Thread, Topic
from forum.permissions import topics_visible_to
from forum.querysets import TREE_PUBLISHED, topic_tree
from moderation.models import (
    AuditEntry,
    ClarifiedAnswer,
    Consultation,
    Escalation,
    InternalNote,
    Report,
)

# ---------------------------------------------------------------------------------------------
# lists


def consultation_notes(consultation: Consultation) -> list[InternalNote]:
    return list(consultation.notes.select_related("author__unit__county"))


def audit_entries(user: Employee, *, action: str = "", topic_id: int | None = None) -> QuerySet:
    """The audit log the user may read, newest first: all for admins, their topics' entries
    for moderators. Filter by action and topic."""
    entries = AuditEntry.objects.select_related("actor", "topic").order_by("-created_at", "-id")
    if not is_admin(user):
        entries = entries.filter(topic_id__in=permissions.topics_moderated_by(user).values("pk"))
    if action:
        entries = entries.filter(action=action)
    if topic_id:
        entries = entries.filter(topic_id=topic_id)
    return entries


AUDIT_PAGE_SIZE = 50


def audit_log_page(
    user: Employee, *, action: str = "", topic_id: int | None = None, number: int = 1
) -> tuple[int, list[AuditEntry], bool]:
    """Page `number` of the user's audit log (-1: the last page) as (the page's number, its
    entries, whether an older page follows). One query; the last page counts first."""
    entries = audit_entries(user, action=action, topic_id=topic_id)
    if number == -1:
        number = max(1, -(-entries.count() // AUDIT_PAGE_SIZE))
    start = (number - 1) * AUDIT_PAGE_SIZE
    rows = list(entries[start : start + AUDIT_PAGE_SIZE + 1])
    return number, rows[:AUDIT_PAGE_SIZE], len(rows) > AUDIT_PAGE_SIZE


def escalation_register(
    user: Employee,
    *,
    own_department_id: int | None = None,
    status: str = "",
    department_id: int | None = None,
    topic_id: int | None = None,
) -> QuerySet[Escalation]:
    """The escalations the user may see, newest first, filterable by status, department and
    topic: those whose thread the user may see (the forum's visibility rule), and every case
    sent to `own_department_id` (a department contact's own unit: the view asks
    moderation.permissions, whose can_view_escalation is the same rule for one case)."""
    seen = Q(thread__topic__in=topics_visible_to(user, Topic.objects.all()))
    if own_department_id is not None:
        seen |= Q(department_id=own_department_id)
    escalations = (
        Escalation.objects.filter(seen)
        .select_related("thread__topic", "department")
        .order_by("-received_at")
    )
    if status:
        escalations = escalations.filter(status=status)
    if department_id:
        escalations = escalations.filter(department_id=department_id)
    if topic_id:
        escalations = escalations.filter(thread__topic_id=topic_id)
    return escalations


def escalation_inbox(user: Employee) -> QuerySet[Escalation]:
    """The escalations to the user's department, open ones first, oldest first."""
    return (
        Escalation.objects.filter(department_id=user.unit_id)
        .select_related("thread__topic", "department", "escalated_by")
        .order_by("closed_at", "answered_at", "received_at")
    )


def escalation_for_detail(pk: int) -> Escalation:
    return Escalation.objects.select_related(
        "thread__topic", "department", "escalated_by__unit__county", "answer_post"
    ).get(pk=pk)


def topics_with_escalations(user: Employee | None = None) -> QuerySet[Topic]:
    """The register's topic filter: topics with escalations, those visible to `user` when
    given (forum.permissions.topics_visible_to)."""
    topics = Topic.objects.filter(Exists(Escalation.objects.filter(thread__topic=OuterRef("pk"))))
    if user is not None:
        topics = topics_visible_to(user, topics)
    return topics.order_by("name").only("pk", "name")


def departments() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=Unit.Kind.DIRECTORATE_DEPARTMENT).order_by("name")


def move_targets(thread: Thread) -> QuerySet[Topic]:
    """Where a thread may move: topics published with every ancestor (the visibility rule's
    topics for everyone), in tree order, except its own."""
    return topic_tree().filter(TREE_PUBLISHED).exclude(pk=thread.topic_id)


def post_for_action(pk: int) -> Post:
    return Post.objects.select_related("thread__topic", "author__unit__county").get(pk=pk)


def thread_for_action(pk: int) -> Thread:
    return Thread.objects.select_related("topic").get(pk=pk)


def report_for_action(pk: int) -> Report:
    return Report.objects.select_related("post__thread__topic").get(pk=pk)


def consultation_of(thread: Thread) -> Consultation | None:
    """The thread's consultation, if one was opened (at most one per thread)."""
    return Consultation.objects.filter(thread=thread).first()


def clarified_answer_of(post: Post) -> ClarifiedAnswer | None:
    return ClarifiedAnswer.objects.filter(post=post).first()
