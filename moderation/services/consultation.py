"""The back-office consultation on a thread and its internal notes."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.transactions import atomic_with_retry
from forum.markdown import render_markdown
from forum.models import Thread
from forum.notifications import services as notification_services
from moderation import notices
from moderation.models import AuditEntry, Consultation, InternalNote
from moderation.services.audit import record_thread_audit
from moderation.services.locking import locked_thread

A = AuditEntry.Action


@atomic_with_retry
def open_consultation(thread: Thread, *, by: Employee) -> Consultation:
    """Open the back-office consultation on a thread; opening it twice returns the first.

    Caller checked: ``permissions.check_can_view_consultation(by, thread.topic)`` and
    ``permissions.check_can_moderate(by, thread.topic)``.
    """
    thread = locked_thread(thread.pk)
    consultation, created = Consultation.objects.get_or_create(
        thread=thread, defaults={"opened_by": by}
    )
    if created:
        record_thread_audit(thread, actor=by, action=A.OPEN_CONSULTATION)
        notification_services.notify_staff(
            thread.topic, notices.CONSULTATION_OPENED, actor=by, thread=thread
        )
    return consultation


@atomic_with_retry
def add_internal_note(
    consultation: Consultation,
    *,
    author: Employee,
    body: str,
    submission_key: uuid.UUID | None = None,
) -> InternalNote:
    """Write an internal note. The topic's staff are told (a staff-only notification);
    there is no public trace.

    A form sent twice with the same `submission_key` returns the note it already made.

    Caller checked: ``permissions.check_can_view_consultation(author, consultation.thread.topic)``.
    """
    if submission_key is not None:
        existing = InternalNote.objects.filter(
            submission_key=submission_key, author=author, consultation=consultation
        ).first()
        if existing is not None:
            return existing
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    note = InternalNote(
        consultation=consultation,
        author=author,
        body_md=body,
        body_html=render_markdown(body),
        submission_key=submission_key,
    )
    note.full_clean()
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:  # the other click of a double submit won the race
        return InternalNote.objects.get(submission_key=submission_key, author=author)
    thread = consultation.thread
    notification_services.notify_staff(
        thread.topic, notices.CONSULTATION_NOTE, actor=author, thread=thread
    )
    return note
