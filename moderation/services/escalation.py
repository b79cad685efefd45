"""Escalation of a thread's principled question to a directorate department."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP
from erfaringsforum.rows import save_fields
from erfaringsforum.transactions import atomic_with_retry, lock_author
from forum import services as forum_services
from forum.models import Post, Thread
from forum.notifications import services as notification_services
from moderation import notices
from moderation.models import AuditEntry, Escalation
from moderation.services.audit import record_thread_audit, require_reason
from moderation.services.locking import lock_thread, locked_thread
from moderation.services.notifications import notify

A = AuditEntry.Action


ESCALATION_FLOW = {
    Escalation.Status.RECEIVED: {Escalation.Status.IN_PROGRESS, Escalation.Status.CLOSED},
    Escalation.Status.IN_PROGRESS: {Escalation.Status.CLOSED},
    Escalation.Status.ANSWERED: {Escalation.Status.CLOSED},
    Escalation.Status.CLOSED: set(),
}
STATUS_STAMP = {
    Escalation.Status.IN_PROGRESS: "in_progress_at",
    Escalation.Status.ANSWERED: "answered_at",
    Escalation.Status.CLOSED: "closed_at",
}


@atomic_with_retry
def escalate_thread(
    thread: Thread,
    *,
    by: Employee,
    department: Unit,
    category: str,
    summary: str,
    submission_key: uuid.UUID | None = None,
) -> Escalation:
    """Send a thread's principled question to a directorate department.

    A repeated `submission_key` (a double click) returns the escalation it already made.
    Creates the escalation, its audit entry and a notification to the department's
    contacts, all or nothing.

    Caller checked: ``permissions.check_can_escalate(by, thread)``.
    """
    # The thread lock serialises double submits; the key is looked up once it is held.
    thread = locked_thread(thread.pk)
    if submission_key is not None:
        existing = Escalation.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if department.kind != Unit.Kind.DIRECTORATE_DEPARTMENT:
        raise ValidationError({"department": _("Choose a department of the directorate.")})
    escalation = Escalation(
        thread=thread,
        department=department,
        category=category,
        summary=(summary or "").strip(),
        escalated_by=by,
        submission_key=submission_key,
    )
    escalation.full_clean()
    try:
        with transaction.atomic():
            escalation.save()
    except IntegrityError:
        if submission_key is None:
            raise
        return Escalation.objects.get(submission_key=submission_key)
    record_thread_audit(
        thread,
        actor=by,
        action=A.ESCALATE_THREAD,
        reason=escalation.summary,
        details={
            "escalation": escalation.pk,
            "department": department.pk,
            "department_name": department.name,
            "category": category,
        },
    )
    contacts = Employee.objects.filter(
        unit=department, groups__name=DEPARTMENT_CONTACTS_GROUP, is_active=True
    ).values_list("pk", flat=True)
    notification_services.notify(
        contacts, notices.ESCALATION_NEW, actor=by, thread=thread,
        params={"escalation": escalation.pk, "department": department.name},
    )  # fmt: skip
    return escalation


def _locked_escalation(escalation: Escalation) -> Escalation:
    """The escalation, read under its thread's lock. Every service that changes an
    escalation locks its thread first (erfaringsforum.transactions), so the thread's lock
    serialises them; the escalation's own row is written last, after the forum's counters."""
    lock_thread(escalation.thread_id)
    return Escalation.objects.select_related("thread__topic", "department").get(pk=escalation.pk)


@atomic_with_retry
def set_escalation_status(
    escalation: Escalation, *, by: Employee, status: str, reason: str = ""
) -> Escalation:
    """Move an escalation on: received → in progress → (answered) → closed.

    "Answered" is reached only through `answer_escalation`. Closing an escalation that was
    never answered needs a reason. Stamps the time and writes the audit entry.

    Caller checked: ``permissions.check_can_handle_escalation(by, escalation)``.
    """
    escalation = _locked_escalation(escalation)
    if status not in ESCALATION_FLOW[escalation.status]:
        raise ValidationError(
            _("An escalation that is %(current)s cannot become %(new)s.")
            % {
                "current": escalation.get_status_display(),
                "new": Escalation.Status(status).label if status in Escalation.Status else status,
            }
        )
    if status == Escalation.Status.CLOSED and escalation.answer_post_id is None:
        require_reason(reason)
    previous = escalation.status
    now = timezone.now()
    save_fields(escalation, status=status, **{STATUS_STAMP[status]: now})
    record_thread_audit(
        escalation.thread,
        actor=by,
        action=A.ESCALATION_STATUS,
        reason=reason,
        details={"escalation": escalation.pk, "from": previous, "to": status},
    )
    notify(
        escalation.escalated_by_id, by, notices.ESCALATION_STATUS, thread=escalation.thread,
        params={"escalation": escalation.pk, "status": escalation.status},
    )  # fmt: skip
    return escalation


def _answered_with(escalation: Escalation, submission_key: uuid.UUID | None) -> bool:
    return (
        submission_key is not None
        and escalation.answer_post_id is not None
        and Post.objects.filter(
            pk=escalation.answer_post_id, submission_key=submission_key
        ).exists()
    )


@atomic_with_retry
def answer_escalation(
    escalation: Escalation,
    *,
    by: Employee,
    body: str,
    submission_key: uuid.UUID | None = None,
) -> Escalation:
    """Post the department's answer into the thread as a marked post and mark it answered.

    The answer is a ``Post.Kind.DEPARTMENT_ANSWER`` reply, visible to every reader of the
    thread. Refused once the escalation is answered or closed.

    Caller checked: ``permissions.check_can_handle_escalation(by, escalation)``.
    """
    lock_author(by.pk)  # the answer is a post by `by`: the lock order's first step
    escalation = _locked_escalation(escalation)
    if escalation.status not in (Escalation.Status.RECEIVED, Escalation.Status.IN_PROGRESS):
        if _answered_with(escalation, submission_key):
            return escalation  # the same form sent twice (a double click): the first stands
        raise ValidationError(_("This escalation has already been answered or closed."))
    post = forum_services.post_reply(
        escalation.thread,
        author=by,
        body=body,
        submission_key=submission_key,
        kind=Post.Kind.DEPARTMENT_ANSWER,
    )
    now = timezone.now()
    previous = escalation.status
    save_fields(
        escalation,
        status=Escalation.Status.ANSWERED,
        answered_at=now,
        in_progress_at=escalation.in_progress_at or now,
        answer_post=post,
    )
    thread = escalation.thread
    record_thread_audit(
        thread,
        actor=by,
        action=A.ANSWER_ESCALATION,
        post=post,
        details={"escalation": escalation.pk, "from": previous, "to": escalation.status},
    )
    for recipient in {escalation.escalated_by_id, thread.author_id}:
        notify(
            recipient, by, notices.ESCALATION_ANSWERED, thread=thread, post=post,
            params={"escalation": escalation.pk, "department": escalation.department.name},
        )  # fmt: skip
    return escalation
