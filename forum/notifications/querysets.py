"""Reads: the notification list (grouped by thread), the unread count, the watches."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Employee
from forum.models import Post, Thread, Topic
from forum.notifications import kinds
from forum.notifications.models import Level, Notification, Preference, Watch
from forum.querysets import tree_published_sql

# How many of a person's newest notifications the list groups. A bounded window keeps the
# page one query whatever the history holds; older ones are in no group (they were told).
LIST_WINDOW = 200


def recent_for(recipient: Employee) -> QuerySet[Notification]:
    """The recipient's notifications, newest first, with what the list and the mails show
    (thread, its topic, post, actor). Filter with permissions.notifications_visible_to."""
    hidden_opening = Post.objects.filter(
        thread=OuterRef("thread_id"), position=1, hidden_at__isnull=False
    )
    return (
        Notification.objects.filter(recipient=recipient)
        .select_related("thread__topic", "post", "actor")
        .annotate(opening_hidden=Exists(hidden_opening))
        .order_by("-created_at", "-id")
    )


@dataclass
class Group:
    """The notifications of one kind in one thread (or one notice without a thread)."""

    kind: str
    thread: Thread | None
    latest: datetime
    ids: list[int] = field(default_factory=list)
    unread_ids: list[int] = field(default_factory=list)
    first: Notification | None = None  # the oldest unread one, else the newest
    count: int = 0

    @property
    def unread(self) -> bool:
        return bool(self.unread_ids)


def group_by_thread(notifications: list[Notification]) -> list[Group]:
    """Newest group first; a group's count is how many are unread (all, when none is)."""
    groups: dict[tuple, Group] = {}
    for n in notifications:  # newest first
        key = (n.kind, n.thread_id) if n.thread_id else (n.kind, "n", n.pk)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(kind=n.kind, thread=n.thread, latest=n.created_at)
            if n.thread is not None:  # for forum.permissions.shown_title
                n.thread.opening_hidden = getattr(n, "opening_hidden", False)
        group.ids.append(n.pk)
        if n.read_at is None:
            group.unread_ids.append(n.pk)
            group.first = n
        elif group.first is None:
            group.first = n
    for group in groups.values():
        group.count = len(group.unread_ids) or len(group.ids)
    return list(groups.values())


def unread_count_sql(user_param: str = "%(user)s") -> str:
    """The header's unread count as one SQL expression (moderation's navigation read embeds
    it): unread rows whose post is still visible (unless the notice is about the reader's
    own post) in a topic published with its ancestors (staff-only kinds: any topic, their
    grant is checked when the list is shown)."""
    n, p, t, tp = (
        Notification._meta.db_table, Post._meta.db_table, Thread._meta.db_table,
        Topic._meta.db_table,
    )  # fmt: skip
    return f"""(SELECT count(*) FROM {n} n
    LEFT JOIN {p} p ON p.id = n.post_id
    LEFT JOIN {t} t ON t.id = n.thread_id
    LEFT JOIN {tp} tp ON tp.id = t.topic_id
   WHERE n.recipient_id = {user_param} AND n.read_at IS NULL
     AND (n.post_id IS NULL OR n.kind = ANY(%(notice_own_kinds)s)
          OR (p.hidden_at IS NULL AND p.deleted_at IS NULL))
     AND (n.thread_id IS NULL OR n.kind = ANY(%(notice_staff_kinds)s)
          OR {tree_published_sql("tp")}))"""  # noqa: S608


def unread_count_params() -> dict:
    """The parameters unread_count_sql needs besides the user (the kinds registered by
    then: apps register theirs in ready(), after this module is imported)."""
    return {
        "notice_own_kinds": kinds.own_post_kinds(),
        "notice_staff_kinds": kinds.staff_only_kinds(),
    }


def watches_of(employee: Employee) -> QuerySet[Watch]:
    """What the employee watches or muted, threads and topics, newest first."""
    return (
        Watch.objects.filter(employee=employee)
        .select_related("thread__topic", "topic")
        .order_by("-created_at", "-id")
    )


def watch_of(employee: Employee, *, thread: Thread | None = None, topic: Topic | None = None):
    """The employee's own watch row on this thread or topic, or None."""
    if thread is not None:
        return Watch.objects.filter(employee=employee, thread=thread).first()
    return Watch.objects.filter(employee=employee, topic=topic).first()


def preference_of(employee: Employee) -> Preference:
    """The saved preferences, or an unsaved row with the defaults."""
    found = Preference.objects.filter(employee=employee).first()
    return found if found is not None else Preference(employee=employee)


def ancestors_deepest_first(topic: Topic) -> list[int]:
    """The topic and its ancestors, the topic first (the nearest watch wins)."""
    return list(topic.get_ancestors(ascending=True, include_self=True).values_list("pk", flat=True))


__all__ = ["LIST_WINDOW", "Level"]
