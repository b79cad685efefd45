"""What moderation tells people, through the forum's notifications (forum.notifications):
a kind (moderation.notices) and the ids it is about, never a sentence."""

from collections.abc import Iterable

from django.urls import NoReverseMatch

from accounts.models import Employee
from forum.models import Post, Thread
from forum.notifications import services as notification_services


def object_url(obj) -> str:
    """The object's page, or "" while the page is not wired (a notification still goes)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # the forum's pages are not wired (yet)
        return ""


def notify(
    recipient_id: int | None,
    actor: Employee,
    kind: str,
    *,
    thread: Thread | None = None,
    post: Post | None = None,
    params: dict | None = None,
) -> None:
    """Tell an employee, in the action's transaction (never the actor)."""
    notification_services.notify(
        [recipient_id], kind, actor=actor, thread=thread, post=post, params=params
    )


def mark_notifications_read(recipient: Employee, *, ids: Iterable[int] | None = None) -> int:
    """Mark the recipient's unread notifications (or the given ones) read; returns how many.

    Caller checked: nothing (only the recipient's own notifications change).
    """
    return notification_services.mark_read(recipient, ids=ids)
