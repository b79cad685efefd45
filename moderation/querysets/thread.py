"""What moderation shows on a thread page, and the SQL it adds to the forum's reads
(registered through forum.extensions by moderation/extensions.py)."""

from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Employee
from accounts.querysets import build, select_columns
from forum import permissions  # the topic roles (moderation.permissions builds on them)
from forum.models import Post, Thread
from moderation.models import (
    ClarifiedAnswer,
    Consultation,
    Escalation,
)
from moderation.querysets.navigation import _col
from moderation.querysets.queue import review_overdue, with_overdue

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
    """post.clarified_answer (a ClarifiedAnswer with clarified_by, or None) from the row: an
    attribute of our own, since Django's reverse one-to-one assignment cannot record that a
    post has none (the page would then query for it per post)."""
    clarification = None
    n = len(_clarification_fields)
    if values[0] is not None:
        clarification = build(ClarifiedAnswer, _clarification_fields, values[:n])
        clarification.clarified_by = build(Employee, _clarified_by_fields, values[n:])
    post.clarified_answer = clarification


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
