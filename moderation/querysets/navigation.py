"""The header's counts: one statement, also carried by the viewer's row (forum.extensions)."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.models import Employee
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP, is_admin
from erfaringsforum.db import prepared_cursor
from forum import permissions  # the topic roles (moderation.permissions builds on them)
from forum.models import Post, Thread, Topic
from forum.notifications.querysets import unread_count_params, unread_count_sql
from moderation.models import (
    Escalation,
    Report,
)

# ---------------------------------------------------------------------------------------------
# header navigation


# Written out once as SQL: the same query built through the ORM cost ~10 ms of Python on
# every page (bench/results/history.md, F3). Table, column and choice names come from the models.
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
  {unread_count_sql("%(user)s")} AS unread,
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
        **unread_count_params(),
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
