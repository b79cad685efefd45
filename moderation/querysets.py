"""Every read the moderation pages need, each a fixed number of queries.

Which topics a user moderates comes from guardian (``moderation.permissions``); the lists
here are scoped by it. Internal notes appear in none of these reads except
`consultation_notes`, which the view calls after `check_can_view_consultation`.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP, is_admin
from erfaringsforum.db import prepared_cursor
from forum.models import Post, Thread, Topic
from moderation import permissions
from moderation.models import (
    AuditEntry,
    ClarifiedAnswer,
    Consultation,
    Escalation,
    InternalNote,
    Notification,
    Report,
)

NEW_THREAD_DAYS = 7
QUEUE_LIST_LIMIT = 25
OPEN_STATUSES = (Escalation.Status.RECEIVED, Escalation.Status.IN_PROGRESS)


# ---------------------------------------------------------------------------------------------
# scoping


def moderated_topics(user: Employee) -> QuerySet[Topic]:
    """The topics the user moderates (every topic for admins), in tree order."""
    return permissions.topics_moderated_by(user).order_by("tree_id", "lft")


class _EqualsAny(Func):
    """``value = ANY(array)``. With the array an ``ARRAY(subquery)`` PostgreSQL reads the
    subquery once (an InitPlan) and looks the values up by index. ``value IN (subquery)``
    over guardian's answer (an OR of a user-grant and a group-grant subquery) is estimated
    at three quarters of the topics, so the planner read every thread (queue count query
    at 1,000,000 posts: 16 ms by hand-built scope, 84 ms as IN, see the commit)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _in_my_topics(user: Employee, path: str) -> Q | _EqualsAny:
    """Rows whose topic (at `path`) the user moderates; no condition at all for admins."""
    if is_admin(user):
        return Q()
    topics = permissions.topics_moderated_by(user).order_by().values("pk")
    return _EqualsAny(F(path), ArraySubquery(topics))


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


def _queue_sections(scope, now: datetime.datetime) -> dict[str, QuerySet]:
    """The queue's five sections, each limited to the user's topics by `scope(path)`."""
    new_since = now - datetime.timedelta(days=NEW_THREAD_DAYS)
    unanswered_before = now - datetime.timedelta(days=settings.MODERATION_UNANSWERED_DAYS)
    return {
        "new_threads": Thread.objects.filter(scope("topic_id"), created_at__gte=new_since),
        "reports": Report.objects.filter(
            scope("post__thread__topic_id"), status=Report.Status.OPEN
        ),
        "unanswered": Thread.objects.filter(
            scope("topic_id"),
            kind=Thread.Kind.QUESTION,
            reply_count=0,
            solution_post__isnull=True,
            locked=False,
            created_at__lt=unanswered_before,
        ),
        "review_due": ClarifiedAnswer.objects.filter(
            scope("post__thread__topic_id"), review_by__lt=timezone.localdate()
        ),
        "escalations": Escalation.objects.filter(
            scope("thread__topic_id"), status__in=OPEN_STATUSES
        ),
    }


# What each section's list shows with a row, and its order (newest or oldest first).
_QUEUE_LISTS = {
    "new_threads": (("topic", "author__unit__county"), "-created_at"),
    "reports": (("post__thread__topic", "post__author", "reporter__unit__county"), "created_at"),
    "unanswered": (("topic", "author__unit__county"), "created_at"),
    "review_due": (("post__thread__topic", "clarified_by"), "review_by"),
    "escalations": (("thread__topic", "department"), "received_at"),
}


def moderation_queue(user: Employee) -> Queue:
    """What waits for the moderator in the topics they moderate (all topics for admins).

    Six queries: the counts in one, with the ids of the user's topics (guardian's answer),
    then one list per section (each at most QUEUE_LIST_LIMIT rows, newest or oldest first
    as fits the section) by those ids, which the planner estimates exactly; none for a
    section when the user moderates no topic.
    """
    now = timezone.now()
    counted = _queue_sections(lambda path: _in_my_topics(user, path), now)
    columns = {f"n_{name}": _count(section) for name, section in counted.items()}
    every_topic = is_admin(user)
    if not every_topic:
        topics = permissions.topics_moderated_by(user).order_by().values("pk")
        columns["topic_ids"] = ArraySubquery(topics)
    row = Employee.objects.filter(pk=user.pk).annotate(**columns).values(*columns).get()
    topic_ids = row.pop("topic_ids", None) or []
    counts = {key.removeprefix("n_"): value for key, value in row.items()}

    def listed(path: str) -> Q:
        return Q() if every_topic else Q(**{f"{path}__in": topic_ids})

    sections = _queue_sections(listed, now)
    lists = {
        name: list(sections[name].select_related(*related).order_by(order)[:QUEUE_LIST_LIMIT])
        for name, (related, order) in _QUEUE_LISTS.items()
    }
    with_overdue(lists["escalations"])
    return Queue(**lists, counts=counts)


# ---------------------------------------------------------------------------------------------
# header navigation


# Written out once as SQL: the same query built through the ORM cost ~10 ms of Python on
# every page (bench/results/history.md, F3). Table and codename names are this project's.
_MY_TOPICS_CTE = """
my_topics AS (
  SELECT g.object_pk::bigint AS topic_id
    FROM guardian_userobjectpermission g
    JOIN auth_permission p ON p.id = g.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id AND ct.id = g.content_type_id
   WHERE g.user_id = %(user)s AND p.codename = %(codename)s
     AND ct.app_label = 'forum' AND ct.model = 'topic'
)"""
_COUNTS_SELECT = """
SELECT
  (SELECT count(*) FROM moderation_notification n
    WHERE n.recipient_id = %(user)s AND n.read_at IS NULL) AS unread,
  EXISTS (SELECT 1 FROM my_topics) AS moderates,
  (SELECT count(*) FROM moderation_report r
     JOIN forum_post po ON po.id = r.post_id
     JOIN forum_thread th ON th.id = po.thread_id
    WHERE r.status = 'open'
      AND (%(admin)s OR th.topic_id IN (SELECT topic_id FROM my_topics))) AS reports,
  EXISTS (SELECT 1 FROM accounts_employee_groups eg
            JOIN auth_group gr ON gr.id = eg.group_id
           WHERE eg.employee_id = %(user)s AND gr.name = %(group)s) AS contact,
  (SELECT count(*) FROM moderation_escalation e
    WHERE e.department_id = %(unit)s AND e.status IN ('received', 'in_progress')) AS inbox
"""
NAVIGATION_SQL = f"WITH {_MY_TOPICS_CTE} {_COUNTS_SELECT}"
_COUNT_NAMES = ("unread", "moderates", "reports", "contact", "inbox")
# The header's counts and the user's topic grants (moderation.permissions) as the columns
# of one row: every page that checks a topic right shows the header too. Read on their own
# (rights_and_counts, F26 in bench/results/history.md) or carried by another page's one-row read
# (forum.querysets.thread_for_page joins VIEWER_JOIN, F29). The grants come as an array of
# "pk codename" strings, the counts from a lateral subquery.
VIEWER_COLUMNS = f"""
    (SELECT coalesce(array_agg(gr.object_pk || ' ' || gr.codename), '{{}}')
       FROM ({permissions.TOPIC_PERMS_SQL}) gr),
    viewer.unread, viewer.moderates, viewer.reports, viewer.contact, viewer.inbox"""  # noqa: S608
_VIEWER_COUNTS = f"(WITH {_MY_TOPICS_CTE} {_COUNTS_SELECT}) viewer"
VIEWER_JOIN = f"CROSS JOIN LATERAL {_VIEWER_COUNTS}"
RIGHTS_AND_COUNTS_SQL = f"SELECT {VIEWER_COLUMNS} FROM {_VIEWER_COUNTS}"  # noqa: S608


def _navigation_params(user: Employee) -> dict:
    return {
        "user": user.pk,
        "unit": user.unit_id,
        "admin": is_admin(user),
        "codename": permissions.MODERATE_TOPIC,
        "group": DEPARTMENT_CONTACTS_GROUP,
    }


def navigation_counts(user: Employee) -> dict[str, int | bool]:
    """One query for the header: unread notifications, and for moderators and department
    contacts whether they have a queue or inbox and how much waits in it (open reports in
    the topics they moderate, all of them for admins; open escalations to their unit).
    No query when this request already read them with the user's topic grants
    (keep_viewer_state)."""
    counts = getattr(user, "_navigation_counts", None)
    if counts is not None:
        return counts
    with prepared_cursor() as cursor:
        cursor.execute(NAVIGATION_SQL, _navigation_params(user))
        return dict(zip(_COUNT_NAMES, cursor.fetchone(), strict=True))


def viewer_params(user: Employee) -> dict:
    """The parameters of VIEWER_COLUMNS and VIEWER_JOIN."""
    content_type = ContentType.objects.get_for_model(Topic)  # cached per process
    return {**_navigation_params(user), "ct": content_type.pk}


def keep_viewer_state(user: Employee, values: tuple) -> None:
    """Keep what VIEWER_COLUMNS read on the user object (one request): the topic grants
    for moderation.permissions, the counts for navigation_counts."""
    grants, *counts = values
    user._topic_perms = {tuple(grant.split(" ", 1)) for grant in grants}
    user._navigation_counts = dict(zip(_COUNT_NAMES, counts, strict=True))


def rights_and_counts(user: Employee) -> set[tuple[str, str]]:
    """The user's (topic pk, codename) grants, user and group grants together, for
    moderation.permissions, with the header's counts kept for navigation_counts."""
    with prepared_cursor() as cursor:
        cursor.execute(RIGHTS_AND_COUNTS_SQL, viewer_params(user))
        keep_viewer_state(user, cursor.fetchone())
    return user._topic_perms


def forget_navigation_counts(user: Employee) -> None:
    """Drop the counts read earlier in this request (after something changed them)."""
    user._navigation_counts = None


# ---------------------------------------------------------------------------------------------
# the thread page


@dataclass
class PostModeration:
    """What the thread page shows and offers on one post (attached as `post.moderation`)."""

    clarified: ClarifiedAnswer | None = None
    under_review: bool = False
    is_department_answer: bool = False
    open_reports: int = 0
    can_report: bool = False
    can_moderate: bool = False
    can_clarify: bool = False


@dataclass
class ThreadModeration:
    can_moderate: bool = False
    can_clarify: bool = False
    can_escalate: bool = False
    can_view_consultation: bool = False
    has_consultation: bool = False
    clarified: list[ClarifiedAnswer] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)


# What a thread page shows of its clarified answers (components/_moderation_thread.html).
CLARIFIED_COLUMNS = (
    "post_id", "thread_id", "clarified_by_id", "clarified_at", "legal_reference", "review_by",
    "post__position", "post__body_html", "post__hidden_at", "post__deleted_at",
    "clarified_by__name",
)  # fmt: skip


def thread_moderation_summary(user: Employee, thread: Thread) -> ThreadModeration:
    """What moderation shows at the top of a thread page, for the forum's thread view.

    Two queries (the thread's clarified answers with who clarified them, and its
    escalations with their department), plus one for the topic's staff (is a consultation
    open). Guardian's answers come from the request's cached checker. Clarified answers past
    their review date are marked ``under_review``; escalations open too long ``is_overdue``.
    The per-post links (report, hide, clarify) are the forum's own ``_post.html``.
    """
    return thread_moderation_context(user, thread, ())


def thread_moderation_context(user: Employee, thread: Thread, posts) -> ThreadModeration:
    """Everything moderation adds to a thread page, in at most five queries.

    The viewer's topic rights (one query, none for admins), the thread's clarified answers with who
    clarified them (one), its escalations with their department (one), and for the topic's
    staff whether a consultation is open plus the open report counts on the page (one each).
    Sets ``post.moderation`` (a PostModeration) on every post in `posts`. Clarified answers
    past their review date are marked ``under_review``. Needs ``thread.topic`` loaded.
    """
    topic = thread.topic
    posts = list(posts)
    can_mod = permissions.can_moderate(user, topic)
    can_clarify = permissions.can_clarify(user, topic)
    is_staff = permissions.can_view_consultation(user, topic)
    today = timezone.localdate()
    # forum.querysets.thread_for_page says whether there is anything to look for.
    clarified = []
    if getattr(thread, "has_clarified", True):
        clarified = list(
            ClarifiedAnswer.objects.filter(
                thread=thread, post__hidden_at__isnull=True, post__deleted_at__isnull=True
            )
            .select_related("post", "clarified_by")
            .only(*CLARIFIED_COLUMNS)
            .order_by("post__position")
        )
    for answer in clarified:
        answer.under_review = review_overdue(answer, today)
    escalations = []
    if getattr(thread, "has_escalations", True):
        escalations = with_overdue(
            Escalation.objects.filter(thread=thread)
            .select_related("department")
            .order_by("-received_at")
        )
    has_consultation = False
    reports: dict[int, int] = {}
    if is_staff:
        has_consultation = Consultation.objects.filter(thread=thread).exists()
    if can_mod and posts:
        reports = dict(
            Report.objects.filter(post__in=[p.pk for p in posts], status=Report.Status.OPEN)
            .values("post_id")
            .annotate(n=Count("pk"))
            .values_list("post_id", "n")
        )
    by_post = {answer.post_id: answer for answer in clarified}
    for post in posts:
        answer = by_post.get(post.pk)
        post.moderation = PostModeration(
            clarified=answer,
            under_review=bool(answer and answer.under_review),
            is_department_answer=post.kind == Post.Kind.DEPARTMENT_ANSWER,
            open_reports=reports.get(post.pk, 0),
            can_report=permissions.can_report(user, post),
            can_moderate=can_mod,
            can_clarify=can_clarify and post.is_visible,
        )
    return ThreadModeration(
        can_moderate=can_mod,
        can_clarify=can_clarify,
        can_escalate=can_mod,
        can_view_consultation=is_staff,
        has_consultation=has_consultation,
        clarified=clarified,
        escalations=escalations,
    )


# ---------------------------------------------------------------------------------------------
# lists


def consultation_notes(consultation: Consultation) -> list[InternalNote]:
    return list(consultation.notes.select_related("author__unit__county"))


def audit_entries(user: Employee, *, action: str = "", topic_id: int | None = None) -> QuerySet:
    """The audit log the user may read, newest first: all for admins, their topics' entries
    for moderators. Filter by action and topic."""
    entries = AuditEntry.objects.select_related("actor", "topic").order_by("-created_at", "-id")
    entries = entries.filter(_in_my_topics(user, "topic_id"))
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
    *, status: str = "", department_id: int | None = None, topic_id: int | None = None
) -> QuerySet[Escalation]:
    """Every escalation, newest first, filterable by status, department and topic."""
    escalations = Escalation.objects.select_related("thread__topic", "department").order_by(
        "-received_at"
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


def topics_with_escalations() -> QuerySet[Topic]:
    return (
        Topic.objects.filter(Exists(Escalation.objects.filter(thread__topic=OuterRef("pk"))))
        .order_by("name")
        .only("pk", "name")
    )


def departments() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=Unit.Kind.DIRECTORATE_DEPARTMENT).order_by("name")


def move_targets(thread: Thread) -> QuerySet[Topic]:
    return Topic.objects.filter(published_at__isnull=False).exclude(pk=thread.topic_id)


def notifications_for(user: Employee, *, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("-created_at")[:limit])


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
