"""A moderator's actions on posts and threads: hide, restore, edit, lock, pin, move."""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.rows import save_fields
from erfaringsforum.transactions import atomic_with_retry
from forum import services as forum_services
from forum.models import Post, Thread, Topic
from moderation import notices
from moderation.models import AuditEntry
from moderation.services.audit import (
    record_post_audit,
    record_thread_audit,
    require_reason,
)
from moderation.services.locking import locked_thread
from moderation.services.notifications import notify
from moderation.services.reports import resolve_reports

A = AuditEntry.Action


def refresh_counters(*, threads: Iterable[Thread] = (), topics: Iterable[Topic] = ()) -> None:
    for thread in threads:
        forum_services.refresh_thread_counters(thread)
    for topic in topics:
        forum_services.refresh_topic_counters(topic)


def locked_post(post: Post) -> tuple[Thread, Post]:
    # Thread first, then post: the forum's write services lock in the same order.
    thread = locked_thread(post.thread_id)
    post = Post.objects.select_for_update(no_key=True).get(pk=post.pk)
    post.thread = thread
    return thread, post


def _settle_post(
    post: Post, thread: Thread, *, by: Employee, action: str, reason: str, notice: str
) -> None:
    """The end of a moderator action that settles a post (hide, edit): its open reports
    are resolved, the audit entry says how many, the author is told (`notice`, with the
    reason)."""
    resolved = resolve_reports(post, by=by, note=reason)
    details = {"reports_resolved": resolved}
    record_post_audit(post, actor=by, action=action, reason=reason, details=details)
    notify(post.author_id, by, notice, thread=thread, post=post, params={"reason": reason})


@atomic_with_retry
def hide_post(post: Post, *, by: Employee, reason: str) -> Post:
    """Hide a post from readers (it is kept and can be restored). A reason is required.

    Resolves the post's open reports, writes the audit entry and tells the author.

    Caller checked: ``permissions.check_can_moderate(by, post.thread.topic)``.
    """
    reason = require_reason(reason)
    thread, post = locked_post(post)
    if post.hidden_at is not None:
        raise ValidationError(_("This post is already hidden."))
    save_fields(post, hidden_at=timezone.now(), hidden_by=by)
    # Counters (the topic's row) before the reports: the lock order of
    # erfaringsforum.transactions puts topics before everything else.
    refresh_counters(threads=[thread], topics=[thread.topic])
    _settle_post(post, thread, by=by, action=A.HIDE_POST, reason=reason, notice=notices.POST_HIDDEN)
    return post


@atomic_with_retry
def unhide_post(post: Post, *, by: Employee, reason: str = "") -> Post:
    """Show a hidden post again (audit action ``restore_post``).

    Caller checked: ``permissions.check_can_moderate(by, post.thread.topic)``.
    """
    thread, post = locked_post(post)
    if post.hidden_at is None:
        raise ValidationError(_("This post is not hidden."))
    save_fields(post, hidden_at=None, hidden_by=None)
    refresh_counters(threads=[thread], topics=[thread.topic])
    record_post_audit(post, actor=by, action=A.RESTORE_POST, reason=reason)
    notify(post.author_id, by, notices.POST_RESTORED, thread=thread, post=post)
    return post


@atomic_with_retry
def edit_post_as_moderator(
    post: Post, *, by: Employee, body: str, title: str | None = None, reason: str = ""
) -> Post:
    """Edit someone's post as the topic's moderator; the forum keeps the earlier version.

    Resolves the post's open reports, writes the audit entry and tells the author.

    Caller checked: ``permissions.check_can_moderate(by, post.thread.topic)``.
    """
    post = forum_services.edit_post(post, editor=by, body=body, title=title, reason=reason)
    thread = Thread.objects.select_related("topic").get(pk=post.thread_id)
    post.thread = thread
    _settle_post(post, thread, by=by, action=A.EDIT_POST, reason=reason, notice=notices.POST_EDITED)
    return post


def _thread_flag_service(
    name: str, *, flag: str, value: bool, action: str, summary: str
) -> Callable[..., Thread]:
    """The service `name` that sets one flag of a thread (lock, unlock, pin, unpin) and logs
    `action`; setting it to what it already is changes nothing."""

    @atomic_with_retry
    def service(thread: Thread, *, by: Employee, reason: str = "") -> Thread:
        thread = locked_thread(thread.pk)
        if getattr(thread, flag) == value:
            return thread
        setattr(thread, flag, value)
        thread.save(update_fields=[flag])
        record_thread_audit(thread, actor=by, action=action, reason=reason)
        return thread

    service.__name__ = service.__qualname__ = name
    service.__doc__ = (
        f"{summary} Setting it again changes nothing.\n\n"
        "Caller checked: ``permissions.check_can_moderate(by, thread.topic)``."
    )
    return service


# service: (flag, value, audit action, what it does)
_THREAD_FLAGS = {
    "lock_thread": ("locked", True, A.LOCK_THREAD, "Close a thread to new replies."),
    "unlock_thread": ("locked", False, A.UNLOCK_THREAD, "Open a locked thread to replies again."),
    "pin_thread": ("pinned", True, A.PIN_THREAD, "Keep a thread at the top of its topic's list."),
    "unpin_thread": ("pinned", False, A.UNPIN_THREAD, "Let a pinned thread sort by activity."),
}
lock_thread, unlock_thread, pin_thread, unpin_thread = (
    _thread_flag_service(name, flag=flag, value=value, action=action, summary=summary)
    for name, (flag, value, action, summary) in _THREAD_FLAGS.items()
)


@atomic_with_retry
def move_thread(thread: Thread, *, by: Employee, to_topic: Topic, reason: str = "") -> Thread:
    """Move a thread to another published topic; both topics' counters follow.

    Tells the thread's author.

    Caller checked: ``permissions.check_can_moderate(by, thread.topic)`` (the source topic).
    """
    thread = locked_thread(thread.pk)
    to_topic = Topic.objects.get(pk=to_topic.pk)
    if to_topic.pk == thread.topic_id:
        raise ValidationError({"to_topic": _("The thread is already in this topic.")})
    if not to_topic.is_published:
        raise ValidationError({"to_topic": _("A thread can only be moved to a published topic.")})
    source = thread.topic
    thread.topic = to_topic
    thread.save(update_fields=["topic"])
    record_thread_audit(
        thread,
        actor=by,
        action=A.MOVE_THREAD,
        topic=source,
        reason=reason,
        details={"from_topic": source.pk, "to_topic": to_topic.pk, "to_name": to_topic.name},
    )
    notify(
        thread.author_id, by, notices.THREAD_MOVED, thread=thread,
        params={"source": source.name, "target": to_topic.name},
    )  # fmt: skip
    refresh_counters(topics=sorted([source, to_topic], key=lambda topic: topic.pk))
    return thread
