"""The only code that changes watches, notifications, preferences and the outbox.

A new post is fanned out by the worker (tasks.fan_out_post), never in the request: one
INSERT ... SELECT decides every recipient's level in SQL (thread watch, else the nearest
topic watch, else watching for the topic's staff and normal for anyone else), writes the
notifications and, in the same statement, the outbox rows of those who want a mail at once.
Every insert is ON CONFLICT DO NOTHING on a unique key, so a task that runs twice (a retry,
a worker restarted mid-way) tells nobody twice.
"""

import json
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.models import Employee
from forum import permissions as forum_permissions
from forum.models import Post, Thread, Topic
from forum.notifications import kinds
from forum.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Level,
    Notification,
    OutboxMail,
    Preference,
    Watch,
)
from forum.querysets import is_tree_published

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"

# Watching ---------------------------------------------------------------------------------


@transaction.atomic
def set_watch(
    employee: Employee, *, level: str, thread: Thread | None = None, topic: Topic | None = None
) -> Watch:
    """Watch, keep normal or mute one thread or topic (one row per pair, replaced).

    Caller checked: permissions.check_watch_thread / check_watch_topic. Raises
    ValidationError for an unknown level or when neither or both of thread and topic are
    given (the database refuses both as well: watch_level_known, watch_thread_xor_topic)."""
    if level not in Level.values:
        raise ValidationError({"level": [_("Choose watching, normal or muted.")]})
    if (thread is None) == (topic is None):
        raise ValidationError(_("Watch either a thread or a topic."))
    target = {"thread": thread} if thread is not None else {"topic": topic}
    watch, _created = Watch.objects.select_for_update().update_or_create(
        employee=employee, **target, defaults={"level": level}
    )
    return watch


def stop_watching(
    employee: Employee, *, thread: Thread | None = None, topic: Topic | None = None
) -> int:
    """Remove the employee's watch on the thread or topic (back to the default level)."""
    target = {"thread": thread} if thread is not None else {"topic": topic}
    deleted, _per_model = Watch.objects.filter(employee=employee, **target).delete()
    return deleted


# Preferences ------------------------------------------------------------------------------


@transaction.atomic
def save_preference(employee: Employee, **choices) -> Preference:
    """Save the employee's choices (auto_watch, language, mail_addressed, mail_watched,
    mail_staff). Raises ValidationError for an unknown choice (the database refuses an
    unknown frequency too: preference_frequency_known)."""
    preference = Preference.objects.select_for_update().filter(employee=employee).first()
    if preference is None:
        preference = Preference(employee=employee)
    for name, value in choices.items():
        setattr(preference, name, value)
    preference.full_clean(exclude=["employee"])
    preference.save()
    return preference


def unsubscribe_token(employee: Employee, category: str) -> str:
    """A signed token for the one-click unsubscribe link of a mail of this category."""
    return signing.dumps({"e": employee.pk, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(employee id, category) from a token; raises ValidationError when it was tampered
    with or names an unknown category."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise ValidationError(_("This unsubscribe link is not valid.")) from exc
    if not isinstance(data, dict) or data.get("c") not in kinds.CATEGORIES:
        raise ValidationError(_("This unsubscribe link is not valid."))
    return int(data["e"]), data["c"]


def unsubscribe(token: str) -> tuple[Employee, str]:
    """Stop the mails of the token's category (works without logging in: the signature is
    the proof). Returns the employee and the category."""
    employee_id, category = read_unsubscribe_token(token)
    employee = Employee.objects.filter(pk=employee_id, is_active=True).first()
    if employee is None:
        raise ValidationError(_("This unsubscribe link is not valid."))
    save_preference(employee, **{f"mail_{category}": Frequency.NEVER})
    return employee, category


# Notifications ----------------------------------------------------------------------------

_N, _O, _W, _P = (
    Notification._meta.db_table, OutboxMail._meta.db_table, Watch._meta.db_table,
    Preference._meta.db_table,
)  # fmt: skip
_E = Employee._meta.db_table


def _frequency_sql(kind_sql: str) -> str:
    """The recipient's frequency for a notification of kind `kind_sql` (pr: their
    preference row, maybe NULL)."""
    cases = []
    for category in kinds.CATEGORIES:
        names = ", ".join(f"'{k}'" for k in kinds.in_category(category)) or "''"
        cases.append(
            f"WHEN {kind_sql} IN ({names}) THEN "
            f"COALESCE(pr.mail_{category}, '{DEFAULT_FREQUENCY[category]}')"
        )
    return f"(CASE {' '.join(cases)} ELSE 'never' END)"


def _outbox_from(inserted: str) -> str:
    """INSERT the outbox rows for the notifications in the CTE `inserted` (id, recipient_id,
    kind) whose recipients want them at once."""
    return f"""INSERT INTO {_O} (key, recipient_id, notification_id, digest, created_at,
                        next_attempt_at, attempts, skipped, last_error)
SELECT 'n:' || i.id, i.recipient_id, i.id, '', %(now)s, %(now)s, 0, false, ''
  FROM {inserted} i LEFT JOIN {_P} pr ON pr.employee_id = i.recipient_id
 WHERE {_frequency_sql("i.kind")} = '{Frequency.IMMEDIATELY}'
ON CONFLICT (key) DO NOTHING"""  # noqa: S608


def _enqueue_delivery() -> None:
    from forum.notifications import tasks  # the tasks module imports this one

    transaction.on_commit(tasks.enqueue_delivery)


def notify(
    recipients: Iterable[int | None],
    kind: str,
    *,
    actor: Employee | None,
    thread: Thread | None = None,
    post: Post | None = None,
    params: dict | None = None,
) -> int:
    """Tell these employees (never the actor), in the caller's transaction: one
    notification each and, for those who want it at once, an outbox row (sent by the
    worker after the commit). The caller chose recipients who may see what it is about
    (the author of the post, the topic's staff); muted threads stay silent. Returns how
    many were told."""
    kinds.get(kind)  # KeyError for a kind nobody registered
    ids = sorted({pk for pk in recipients if pk and (actor is None or pk != actor.pk)})
    if not ids:
        return 0
    muted = f"""NOT EXISTS (SELECT 1 FROM {_W} w WHERE w.employee_id = e.id
                 AND w.thread_id = %(thread)s AND w.level = '{Level.MUTED}')"""  # noqa: S608
    sql = f"""WITH inserted AS (
  INSERT INTO {_N} (recipient_id, kind, thread_id, post_id, actor_id, params, created_at)
  SELECT e.id, %(kind)s, %(thread)s, %(post)s, %(actor)s, %(params)s::jsonb, %(now)s
    FROM {_E} e WHERE e.id = ANY(%(ids)s) AND e.is_active AND {muted}
  ON CONFLICT (recipient_id, kind, post_id) WHERE post_id IS NOT NULL DO NOTHING
  RETURNING id, recipient_id, kind
), mailed AS ({_outbox_from("inserted")} RETURNING 1)
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM mailed)"""  # noqa: S608

    values = {
        "kind": kind, "thread": thread.pk if thread else None, "post": post.pk if post else None,
        "actor": actor.pk if actor else None, "params": json.dumps(params or {}),
        "now": timezone.now(), "ids": ids,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        told, mailed = cursor.fetchone()
    if mailed:
        _enqueue_delivery()
    return told


def staff_of(topics: Iterable[int]) -> list[int]:
    """The moderators, deputies and back-office members of these topics: everyone holding
    view_consultation on one of them, by a user or a group grant (guardian's tables, kept
    by moderation's triggers). One query."""
    topic_pks = [str(pk) for pk in topics]
    uop, gop, perm = UserObjectPermission, GroupObjectPermission, Permission
    member = Employee._meta.get_field("groups")
    sql = f"""
SELECT g.user_id FROM {uop._meta.db_table} g JOIN {perm._meta.db_table} p ON p.id = g.permission_id
 WHERE g.content_type_id = %(ct)s AND g.object_pk = ANY(%(topics)s) AND p.codename = %(perm)s
UNION
SELECT m.{member.m2m_column_name()} FROM {gop._meta.db_table} g
  JOIN {perm._meta.db_table} p ON p.id = g.permission_id
  JOIN {member.m2m_db_table()} m ON m.{member.m2m_reverse_name()} = g.group_id
 WHERE g.content_type_id = %(ct)s AND g.object_pk = ANY(%(topics)s) AND p.codename = %(perm)s
"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "ct": ContentType.objects.get_for_model(Topic).pk,
                "topics": topic_pks,
                "perm": forum_permissions.VIEW_CONSULTATION,
            },
        )
        return sorted(row[0] for row in cursor.fetchall())


def notify_staff(
    topic: Topic,
    kind: str,
    *,
    actor: Employee | None,
    thread: Thread | None = None,
    post: Post | None = None,
    params: dict | None = None,
    moderators_only: bool = False,
) -> int:
    """Tell the topic's staff (moderators only, when asked): consultations, reports."""
    if moderators_only:
        ids = [pk for pk in (topic.moderator_id, topic.deputy_moderator_id) if pk is not None]
    else:
        ids = staff_of([topic.pk])
    return notify(ids, kind, actor=actor, thread=thread, post=post, params=params)


# The fan-out of a new post (the worker) ------------------------------------------------------


def _fan_out_sql() -> str:
    return f"""WITH cand AS (
  SELECT employee_id FROM {_W} WHERE thread_id = %(thread)s
  UNION SELECT employee_id FROM {_W} WHERE topic_id = ANY(%(topics)s)
  UNION SELECT unnest(%(staff)s::bigint[])
  UNION SELECT %(thread_author)s::bigint
), lvl AS (
  SELECT c.employee_id, COALESCE(
      (SELECT w.level FROM {_W} w WHERE w.employee_id = c.employee_id AND w.thread_id = %(thread)s),
      (SELECT w.level FROM {_W} w WHERE w.employee_id = c.employee_id
          AND w.topic_id = ANY(%(topics)s)
        ORDER BY array_position(%(topics)s, w.topic_id) LIMIT 1),
      CASE WHEN c.employee_id = ANY(%(staff)s) THEN '{Level.WATCHING}' ELSE '{Level.NORMAL}' END
    ) AS level
    FROM cand c JOIN {_E} e ON e.id = c.employee_id AND e.is_active
   WHERE c.employee_id <> %(actor)s
     AND (%(public)s OR c.employee_id = ANY(%(viewers)s) OR e.is_staff)
), picked AS (
  SELECT employee_id,
         CASE WHEN %(is_reply)s AND employee_id = %(thread_author)s THEN '{kinds.REPLY}'
              ELSE %(watched_kind)s END AS kind
    FROM lvl
   WHERE level = '{Level.WATCHING}'
      OR (level = '{Level.NORMAL}' AND %(is_reply)s AND employee_id = %(thread_author)s)
), inserted AS (
  INSERT INTO {_N} (recipient_id, kind, thread_id, post_id, actor_id, params, created_at)
  SELECT employee_id, kind, %(thread)s, %(post)s, %(actor)s, '{{}}'::jsonb, %(now)s FROM picked
  ON CONFLICT (recipient_id, kind, post_id) WHERE post_id IS NOT NULL DO NOTHING
  RETURNING id, recipient_id, kind
), mailed AS ({_outbox_from("inserted")} RETURNING 1)
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM mailed)"""  # noqa: S608


def _mention_sql(mention_table: str, post_col: str, employee_col: str) -> str:
    return f"""WITH inserted AS (
  INSERT INTO {_N} (recipient_id, kind, thread_id, post_id, actor_id, params, created_at)
  SELECT m.{employee_col}, '{kinds.MENTION}', %(thread)s, %(post)s, %(actor)s, '{{}}'::jsonb,
         %(now)s
    FROM {mention_table} m JOIN {_E} e ON e.id = m.{employee_col} AND e.is_active
   WHERE m.{post_col} = %(post)s AND m.{employee_col} <> %(actor)s
     AND (%(public)s OR m.{employee_col} = ANY(%(viewers)s) OR e.is_staff)
     AND NOT EXISTS (SELECT 1 FROM {_W} w WHERE w.employee_id = m.{employee_col}
                      AND w.thread_id = %(thread)s AND w.level = '{Level.MUTED}')
  ON CONFLICT (recipient_id, kind, post_id) WHERE post_id IS NOT NULL DO NOTHING
  RETURNING id, recipient_id, kind
), mailed AS ({_outbox_from("inserted")} RETURNING 1)
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM mailed)"""  # noqa: S608


def _mention_model():
    from django.apps import apps

    try:
        return apps.get_model("forum", "Mention")  # social's model, once it is on main
    except LookupError:
        return None


@transaction.atomic
def fan_out_post(post_id: int) -> tuple[int, int]:
    """Tell everyone who should hear of a new post (the worker runs this after the post's
    commit); returns (notifications, mails queued). Idempotent. Nothing is told of a post
    that is no longer visible, and in a topic that is not published with every ancestor
    only its staff and admins are told. The author watches the thread from now on unless
    they turned auto-watch off (their existing watch, muted included, is kept)."""
    post = Post.objects.select_related("thread__topic").filter(pk=post_id).first()
    if post is None:
        return (0, 0)
    thread = post.thread
    topic = thread.topic
    if post.author_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {_W} (employee_id, thread_id, level, created_at)
                SELECT %(author)s, %(thread)s, '{Level.WATCHING}', %(now)s
                 WHERE COALESCE((SELECT auto_watch FROM {_P} WHERE employee_id = %(author)s),
                                true)
                ON CONFLICT (employee_id, thread_id) WHERE thread_id IS NOT NULL DO NOTHING""",  # noqa: S608
                {"author": post.author_id, "thread": thread.pk, "now": timezone.now()},
            )
    if not post.is_visible:
        return (0, 0)
    topics = list(
        topic.get_ancestors(ascending=True, include_self=True).values_list("pk", flat=True)
    )
    staff = staff_of(topics)
    public = is_tree_published(topic)
    viewers = [] if public else staff_of([topic.pk])
    values = {
        "thread": thread.pk, "post": post.pk, "actor": post.author_id or 0,
        "thread_author": thread.author_id or 0, "topics": topics, "staff": staff,
        "public": public, "viewers": viewers, "is_reply": post.position > 1,
        "watched_kind": kinds.NEW_POST if post.position > 1 else kinds.NEW_THREAD,
        "now": timezone.now(),
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_fan_out_sql(), values)
        told, mailed = cursor.fetchone()
        mention = _mention_model()
        if mention is not None:
            cursor.execute(
                _mention_sql(
                    mention._meta.db_table,
                    mention._meta.get_field("post").column,
                    mention._meta.get_field("employee").column,
                ),
                values,
            )
            more_told, more_mailed = cursor.fetchone()
            told, mailed = told + more_told, mailed + more_mailed
    if mailed:
        _enqueue_delivery()
    return (told, mailed)


# Read marks -------------------------------------------------------------------------------


def mark_read(recipient: Employee, *, ids: Iterable[int] | None = None) -> int:
    """Mark the recipient's unread notifications (all, or these) read; returns how many.
    Caller checked: nothing (only the recipient's own rows change)."""
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    done = qs.update(read_at=timezone.now())
    recipient._navigation_counts = None  # the header shows the new count
    return done


def mark_thread_read(recipient: Employee, thread: Thread) -> int:
    """Reading a thread marks its notifications read."""
    return Notification.objects.filter(
        recipient=recipient, thread=thread, read_at__isnull=True
    ).update(read_at=timezone.now())
