"""What the product tells an employee: notifications written by the actions, read marks."""

from collections.abc import Iterable

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone

from accounts.models import Employee
from moderation import querysets
from moderation.models import Notification


def object_url(obj) -> str:
    """The object's page, or "" while the page is not wired (a notification still goes)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # the forum's pages are not wired (yet)
        return ""


def notify(recipient_id: int | None, actor: Employee, message: str, url: str = "") -> None:
    """Tell an employee in the product, in the action's transaction (never the actor)."""
    if recipient_id and recipient_id != actor.pk:
        Notification.objects.create(recipient_id=recipient_id, message=message[:500], url=url)


def mark_notifications_read(recipient: Employee, *, ids: Iterable[int] | None = None) -> int:
    """Mark the recipient's unread notifications (or the given ones) read; returns how many.

    Caller checked: nothing (only the recipient's own notifications change).
    """
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(Q(pk__in=list(ids)))
    done = qs.update(read_at=timezone.now())
    querysets.forget_navigation_counts(recipient)  # the header shows the new count
    return done
