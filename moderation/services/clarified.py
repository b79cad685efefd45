"""Clarified answers: a post the topic's staff mark as the settled answer."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.transactions import atomic_with_retry
from forum.models import Post
from moderation.models import AuditEntry, ClarifiedAnswer
from moderation.services.actions import locked_post
from moderation.services.audit import record_post_audit

A = AuditEntry.Action


@atomic_with_retry
def clarify_post(
    post: Post,
    *,
    by: Employee,
    legal_reference: str = "",
    review_by: datetime.date | None = None,
) -> ClarifiedAnswer:
    """Mark a visible post as a clarified answer (or update its reference and review date).

    Caller checked: ``permissions.check_can_clarify(by, post.thread.topic)``.
    """
    _thread, post = locked_post(post)
    if not post.is_visible:
        raise ValidationError(_("A hidden or deleted post cannot be a clarified answer."))
    if review_by is not None and review_by <= timezone.localdate():
        raise ValidationError({"review_by": _("The review date must be in the future.")})
    clarified, _created = ClarifiedAnswer.objects.update_or_create(
        post=post,
        defaults={
            "clarified_by": by,
            "clarified_at": timezone.now(),
            "legal_reference": legal_reference.strip(),
            "review_by": review_by,
        },
    )
    clarified.full_clean()
    record_post_audit(
        post,
        actor=by,
        action=A.CLARIFY_POST,
        details={
            "legal_reference": clarified.legal_reference,
            "review_by": review_by.isoformat() if review_by else None,
        },
    )
    return clarified


@atomic_with_retry
def unclarify_post(post: Post, *, by: Employee, reason: str = "") -> None:
    """Take the clarified mark off a post.

    Caller checked: ``permissions.check_can_clarify(by, post.thread.topic)``.
    """
    _thread, post = locked_post(post)
    deleted, _rows = ClarifiedAnswer.objects.filter(post=post).delete()
    if not deleted:
        raise ValidationError(_("This post is not a clarified answer."))
    record_post_audit(
        post,
        actor=by,
        action=A.UNCLARIFY_POST,
        reason=reason,
    )
