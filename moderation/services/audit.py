"""The one writer of AuditEntry rows, and the reason every logged action needs."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Employee
from forum.models import Post, Thread, Topic
from moderation.models import AuditEntry, BackOffice


def record_audit(
    *,
    actor: Employee,
    action: str,
    topic: Topic | None = None,
    thread: Thread | None = None,
    post: Post | None = None,
    target: str = "",
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """Write one audit entry in the caller's transaction, so the action and its record
    stand or fall together. `target` is what a reader of the log sees (cut to 300
    characters); `action` is an ``AuditEntry.Action``. Every moderation service, and the
    forum's actions through moderation's extension, write the log through this function.
    """
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        topic=topic,
        thread=thread,
        post=post,
        target=target[:300],
        reason=reason,
        details=details or {},
    )


def post_label(post: Post) -> str:
    """How the log names a post (post.thread loaded): its position and its thread's title."""
    return f'#{post.position} "{post.thread.title}"'[:300]


def record_post_audit(
    post: Post, *, actor: Employee, action: str, reason: str = "", details: dict | None = None
) -> AuditEntry:
    """`record_audit` for an action on a post (post.thread loaded): its thread, topic and
    label."""
    thread = post.thread
    return record_audit(
        actor=actor, action=action, topic=thread.topic, thread=thread, post=post,
        target=post_label(post), reason=reason, details=details,
    )  # fmt: skip


def record_thread_audit(
    thread: Thread,
    *,
    actor: Employee,
    action: str,
    topic: Topic | None = None,
    post: Post | None = None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """`record_audit` for an action on a thread (thread.topic loaded), named by its title;
    `topic` where the entry belongs to another topic than the thread's now (a move)."""
    return record_audit(
        actor=actor, action=action, topic=topic or thread.topic, thread=thread, post=post,
        target=thread.title, reason=reason, details=details,
    )  # fmt: skip


def record_back_office_audit(
    back_office: BackOffice, *, actor: Employee, added: Iterable[int], removed: Iterable[int]
) -> AuditEntry:
    """`record_audit` for a change of a back-office's members (employee pks, sorted)."""
    return record_audit(
        actor=actor,
        action=AuditEntry.Action.STAFF_TOPIC,
        target=back_office.name,
        details={"back_office": back_office.pk, "added": sorted(added), "removed": sorted(removed)},
    )


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the author and the log will see it.")})
    return reason
