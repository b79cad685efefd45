"""Every read the moderation pages need, each a fixed number of queries.

Which topics a user moderates comes from guardian (``moderation.permissions``); the lists
here are scoped by it. Internal notes appear in none of these reads except
`consultation_notes`, which the view calls after `check_can_view_consultation`.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
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
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.models import Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP, is_admin
from accounts.querysets import build, select_columns
from erfaringsforum.db import prepared_cursor
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


# ---------------------------------------------------------------------------------------------
# header navigation


# Written out once as SQL: the same query built through the ORM cost ~10 ms of Python on
# every page (docs/benchmarks.md, F3). Table, column and choice names come from the models.
def _col(model: type, name: str) -> str:
    return model._meta.get_field(name).column


def _counts_sql() -> str:
    uop, gop, perm = UserObjectPermission, GroupObjectPermission, Permission
    member = Employee._meta.get_field("groups")
    # The topics the user moderates through a user or a group grant, as guardian (and
    # forum.permissions.granted_topics) count them.
    my_topics = f"""
my_topics AS (
  SELECT g.{_col(uop, "object_pk")}::bigint AS topic_id
    FROM {uop._meta.db_table} g
    JOIN {perm._meta.db_table} p ON p.id = g.{_col(uop, "permission")}
   WHERE g.{_col(uop, "user")} = %(user)s AND p.{_col(perm, "codename")} = %(codename)s
     AND p.{_col(perm, "content_type")} = %(ct)s AND g.{_col(uop, "content_type")} = %(ct)s
  UNION
  SELECT g.{_col(gop, "object_pk")}::bigint
    FROM {gop._meta.db_table} g
    JOIN {perm._meta.db_table} p ON p.id = g.{_col(gop, "permission")}
    JOIN {member.m2m_db_table()} m ON m.{member.m2m_reverse_name()} = g.{_col(gop, "group")}
   WHERE m.{member.m2m_column_name()} = %(user)s AND p.{_col(perm, "codename")} = %(codename)s
     AND p.{_col(perm, "content_type")} = %(ct)s AND g.{_col(gop, "content_type")} = %(ct)s
)"""  # noqa: S608
    report, post, thread = Report._meta.db_table, Post._meta.db_table, Thread._meta.db_table
    counts = f"""
SELECT
  (SELECT count(*) FROM {Notification._meta.db_table} n
    WHERE n.{_col(Notification, "recipient")} = %(user)s
      AND n.{_col(Notification, "read_at")} IS NULL) AS unread,
  EXISTS (SELECT 1 FROM my_topics) AS moderates,
  (SELECT count(*) FROM {report} r
     JOIN {post} po ON po.id = r.{_col(Report, "post")}
     JOIN {thread} th ON th.id = po.{_col(Post, "thread")}
    WHERE r.{_col(Report, "status")} = %(report_open)s
      AND (%(admin)s OR th.{_col(Thread, "topic")} IN (SELECT topic_id FROM my_topics))
  ) AS reports,
  EXISTS (SELECT 1 FROM {member.m2m_db_table()} eg
            JOIN {Group._meta.db_table} gr ON gr.id = eg.{member.m2m_reverse_name()}
           WHERE eg.{member.m2m_column_name()} = %(user)s AND gr.name = %(group)s) AS contact,
  (SELECT count(*) FROM {Escalation._meta.db_table} e
    WHERE e.{_col(Escalation, "department")} = %(unit)s
      AND e.{_col(Escalation, "status")} IN (%(received)s, %(in_progress)s)) AS inbox
"""  # noqa: S608
    return f"WITH {my_topics} {counts}"


NAVIGATION_SQL = _counts_sql()
_COUNT_NAMES = ("unread", "moderates", "reports", "contact", "inbox")
# The same counts as columns of the viewer's one-row read (forum.querysets.read_viewer and
# the thread page's read, through forum.extensions' VIEWER columns): every page that checks
# a topic right shows the header too (F26, F29).
VIEWER_SELECT = ", ".join(f"viewer.{name}" for name in _COUNT_NAMES)
VIEWER_JOIN = f"CROSS JOIN LATERAL ({NAVIGATION_SQL}) viewer"


def navigation_params(user: Employee) -> dict:
    """The parameters of NAVIGATION_SQL (and of the VIEWER columns)."""
    return {
        "user": user.pk,
        "unit": user.unit_id,
        "admin": is_admin(user),
        "codename": permissions.MODERATE_TOPIC,
        "ct": ContentType.objects.get_for_model(Topic).pk,  # cached per process
        "group": DEPARTMENT_CONTACTS_GROUP,
        "report_open": Report.Status.OPEN,
        "received": Escalation.Status.RECEIVED,
        "in_progress": Escalation.Status.IN_PROGRESS,
    }


def keep_navigation_counts(user: Employee, values: tuple) -> None:
    """Keep the counts read with the viewer's grants on the user object (one request)."""
    user._navigation_counts = dict(zip(_COUNT_NAMES, values, strict=True))


def navigation_counts(user: Employee) -> dict[str, int | bool]:
    """One query for the header: unread notifications, and for moderators and department
    contacts whether they have a queue or inbox and how much waits in it (open reports in
    the topics they moderate, all of them for admins; open escalations to their unit).
    No query when this request already read them with the user's topic grants
    (keep_navigation_counts)."""
    counts = getattr(user, "_navigation_counts", None)
    if counts is not None:
        return counts
    with prepared_cursor() as cursor:
        cursor.execute(NAVIGATION_SQL, navigation_params(user))
        return dict(zip(_COUNT_NAMES, cursor.fetchone(), strict=True))


def forget_navigation_counts(user: Employee) -> None:
    """Drop the counts read earlier in this request (after something changed them)."""
    user._navigation_counts = None


# ---------------------------------------------------------------------------------------------
# the thread page


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
    """What moderation shows at the top of a thread page (its panel in forum.extensions).

    At most three queries: the thread's clarified answers with who clarified them and its
    escalations with their department (each only when the thread read's probes,
    `has_clarified` and `has_escalations`, found any), and for the topic's staff whether a
    consultation is open. The viewer's rights come from the grants the thread read
    carried. Clarified answers past their review date are marked ``under_review``,
    escalations open too long ``is_overdue``. The per-post rights (report, hide, clarify)
    are forum.permissions.post_rights. Needs ``thread.topic`` loaded.
    """
    topic = thread.topic
    can_mod = permissions.can_moderate(user, topic)
    is_staff = permissions.is_topic_staff(user, topic)  # can_view_consultation
    today = timezone.localdate()
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
    has_consultation = is_staff and Consultation.objects.filter(thread=thread).exists()
    return ThreadModeration(
        can_moderate=can_mod,
        can_clarify=permissions.can_clarify(user, topic),
        can_escalate=can_mod,
        can_view_consultation=is_staff,
        has_consultation=has_consultation,
        clarified=clarified,
        escalations=escalations,
    )


# Moderation's columns in the forum's reads (registered by moderation/extensions.py).
# The thread page's row ("t"): whether the thread has clarified answers and escalations,
# two index probes that spare most thread pages the summary's two queries.
THREAD_PROBES_SELECT = f"""
    EXISTS (SELECT 1 FROM {ClarifiedAnswer._meta.db_table} c
             WHERE c.{_col(ClarifiedAnswer, "thread")} = t.id),
    EXISTS (SELECT 1 FROM {Escalation._meta.db_table} e
             WHERE e.{_col(Escalation, "thread")} = t.id)"""  # noqa: S608


def keep_thread_probes(thread: Thread, values: tuple) -> None:
    thread.has_clarified, thread.has_escalations = values


# Each row of a page of posts ("p"): its clarification and who clarified it.
_CLARIFICATION_FIELDS = ("id", "post_id", "clarified_by_id", "clarified_at")
_CLARIFIED_BY_FIELDS = ("id", "name")
_clarification_fields, _clarification_select = select_columns(
    ClarifiedAnswer, "ca", _CLARIFICATION_FIELDS
)
_clarified_by_fields, _clarified_by_select = select_columns(Employee, "cb", _CLARIFIED_BY_FIELDS)
POST_CLARIFICATION_SELECT = f"{_clarification_select}, {_clarified_by_select}"
POST_CLARIFICATION_WIDTH = len(_clarification_fields) + len(_clarified_by_fields)
POST_CLARIFICATION_JOIN = f"""
    LEFT JOIN {ClarifiedAnswer._meta.db_table} ca ON ca.{_col(ClarifiedAnswer, "post")} = p.id
    LEFT JOIN {Employee._meta.db_table} cb
           ON cb.id = ca.{_col(ClarifiedAnswer, "clarified_by")}"""


def keep_post_clarification(post: Post, values: tuple) -> None:
    """post.clarification (a ClarifiedAnswer with clarified_by, or None) from the row."""
    clarification = None
    n = len(_clarification_fields)
    if values[0] is not None:
        clarification = build(ClarifiedAnswer, _clarification_fields, values[:n])
        clarification._state.fields_cache["clarified_by"] = build(
            Employee, _clarified_by_fields, values[n:]
        )
    post._state.fields_cache["clarification"] = clarification


# Search (forum/search/engine.py): a thread ("{thread}") has a clarified answer on a visible
# post; the newest clarified posts ("{limit}" of them); the threads with a clarified answer
# on a visible post.
RECENT_CLARIFIED_POSTS_SQL = f"""
    SELECT {_col(ClarifiedAnswer, "post")} AS post_id FROM {ClarifiedAnswer._meta.db_table}
     ORDER BY id DESC LIMIT {{limit}}"""  # noqa: S608
CLARIFIED_THREADS_SQL = f"""
    SELECT DISTINCT cp.{_col(Post, "thread")} AS thread_id
      FROM {ClarifiedAnswer._meta.db_table} ca
      JOIN {Post._meta.db_table} cp ON cp.id = ca.{_col(ClarifiedAnswer, "post")}
     WHERE cp.hidden_at IS NULL AND cp.deleted_at IS NULL"""  # noqa: S608
THREAD_HAS_CLARIFIED_SQL = f"""EXISTS (
    SELECT 1 FROM {ClarifiedAnswer._meta.db_table} ca
      JOIN {Post._meta.db_table} cp ON cp.id = ca.{_col(ClarifiedAnswer, "post")}
     WHERE cp.{_col(Post, "thread")} = {{thread}}.id
       AND cp.hidden_at IS NULL AND cp.deleted_at IS NULL)"""  # noqa: S608


# ---------------------------------------------------------------------------------------------
# lists


def consultation_notes(consultation: Consultation) -> list[InternalNote]:
    return list(consultation.notes.select_related("author__unit__county"))


def audit_entries(user: Employee, *, action: str = "", topic_id: int | None = None) -> QuerySet:
    """The audit log the user may read, newest first: all for admins, their topics' entries
    for moderators. Filter by action and topic."""
    entries = AuditEntry.objects.select_related("actor", "topic").order_by("-created_at", "-id")
    if not is_admin(user):
        entries = entries.filter(
            permissions.granted_topics(user, [permissions.MODERATE_TOPIC], path="topic_id")
        )
    if action:
        entries = entries.filter(action=action)
    if topic_id:
        entries = entries.filter(topic_id=topic_id)
    return entries


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


def notifications_for(user: Employee, *, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("-created_at")[:limit])


def post_for_action(pk: int) -> Post:
    return Post.objects.select_related("thread__topic", "author__unit__county").get(pk=pk)


def thread_for_action(pk: int) -> Thread:
    return Thread.objects.select_related("topic").get(pk=pk)
