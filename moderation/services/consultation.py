"""The back-office consultation on a thread and its internal notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Employee
from forum.markdown import render_markdown
from forum.models import Thread
from moderation.models import AuditEntry, Consultation, InternalNote
from moderation.services.audit import record_audit

A = AuditEntry.Action


@transaction.atomic
def open_consultation(thread: Thread, *, by: Employee) -> Consultation:
    """Open the back-office consultation on a thread; opening it twice returns the first.

    Caller checked: ``permissions.check_can_view_consultation(by, thread.topic)`` and
    ``permissions.check_can_moderate(by, thread.topic)``.
    """
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=thread.pk)
    consultation, created = Consultation.objects.get_or_create(
        thread=thread, defaults={"opened_by": by}
    )
    if created:
        record_audit(
            actor=by,
            action=A.OPEN_CONSULTATION,
            topic=thread.topic,
            thread=thread,
            target=thread.title,
        )
    return consultation


@transaction.atomic
def add_internal_note(consultation: Consultation, *, author: Employee, body: str) -> InternalNote:
    """Write an internal note. It creates no notification and no public trace.

    Caller checked: ``permissions.check_can_view_consultation(author, consultation.thread.topic)``.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    note = InternalNote(
        consultation=consultation, author=author, body_md=body, body_html=render_markdown(body)
    )
    note.full_clean()
    note.save()
    return note
