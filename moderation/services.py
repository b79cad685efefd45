"""Every change to moderation state: staffing, publishing, moderator actions, escalation.

Each service is one transaction (``@transaction.atomic``), locks the row it changes with
``select_for_update()``, and writes its AuditEntry in that same transaction, so an action
and its record stand or fall together. Services do not check who may act (views call
``moderation.permissions.check_*`` first); they check that the action makes sense and raise
``ValidationError`` with a readable message when it does not.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP
from forum.markdown import render_markdown
from forum.models import Post, Thread, Topic
from moderation import querysets
from moderation.models import (
    AuditEntry,
    BackOffice,
    BackOfficeMembership,
    ClarifiedAnswer,
    Consultation,
    Escalation,
    InternalNote,
    Notification,
    Report,
)

A = AuditEntry.Action
STAFFING_TRIGGERS = "topic_back_office_has_expert, backoffice_membership_keeps_expert"


# ---------------------------------------------------------------------------------------------
# helpers


def _forum_services():
    # Imported late: forum.services imports moderation.permissions, and moderation must not
    # be imported half-way through it.
    from forum import services

    return services


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # the forum's pages are not wired (yet)
        return ""


def _post_label(post: Post) -> str:
    return f'#{post.position} "{post.thread.title}"'[:300]


def _audit(
    *,
    actor: Employee,
    action: str,
    target: str,
    topic: Topic | None = None,
    thread: Thread | None = None,
    post: Post | None = None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
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


def _audit_post(
    post: Post, *, actor: Employee, action: str, reason: str = "", details: dict | None = None
) -> AuditEntry:
    """_audit for an action on a post (post.thread loaded): its thread, topic and label."""
    thread = post.thread
    return _audit(
        actor=actor, action=action, topic=thread.topic, thread=thread, post=post,
        target=_post_label(post), reason=reason, details=details,
    )  # fmt: skip


def _notify(recipient_id: int | None, actor: Employee, message: str, url: str = "") -> None:
    """Tell an employee in the product, in the action's transaction (never the actor)."""
    if recipient_id and recipient_id != actor.pk:
        Notification.objects.create(recipient_id=recipient_id, message=message[:500], url=url)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the author and the log will see it.")})
    return reason


def _check_staffing_now() -> None:
    """Run the deferred staffing triggers now and turn a refusal into a ValidationError."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {STAFFING_TRIGGERS} IMMEDIATE")
            cursor.execute(f"SET CONSTRAINTS {STAFFING_TRIGGERS} DEFERRED")
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        raise ValidationError(getattr(diag, "message_primary", None) or str(exc)) from exc


def _refresh_counters(*, threads: Iterable[Thread] = (), topics: Iterable[Topic] = ()) -> None:
    forum = _forum_services()
    for thread in threads:
        forum.refresh_thread_counters(thread)
    for topic in topics:
        forum.refresh_topic_counters(topic)


# ---------------------------------------------------------------------------------------------
# staffing and the publishing gate


def staffing_problems(
    topic: Topic, *, moderator_id: int | None = None, back_office_id: int | None = None
) -> list[str]:
    """What keeps the topic from being published, in words; empty when it is staffed."""
    moderator_id = topic.moderator_id if moderator_id is None else moderator_id
    back_office_id = topic.back_office_id if back_office_id is None else back_office_id
    problems = []
    if moderator_id is None:
        problems.append(_("it has no moderator"))
    if back_office_id is None:
        problems.append(_("it has no back-office"))
    elif not (
        BackOfficeMembership.objects.filter(back_office_id=back_office_id)
        .exclude(employee_id=moderator_id)
        .exists()
    ):
        problems.append(_("its back-office has no member other than the moderator"))
    return problems


def staffing_errors(
    topic: Topic,
    *,
    moderator: Employee | None,
    back_office: BackOffice | None,
    deputy_moderator: Employee | None = None,
) -> list[str]:
    """Why this staffing cannot be given to the topic, in words; empty when it can.

    Used by `staff_topic` and by the admin's form, so both refuse with the same message.
    """
    errors = []
    if moderator is not None and not moderator.is_active:
        errors.append(_("%(name)s is no longer active.") % {"name": moderator.name})
    if deputy_moderator is not None and moderator is not None and deputy_moderator == moderator:
        errors.append(_("The deputy cannot be the moderator."))
    if deputy_moderator is not None and moderator is None:
        errors.append(_("A deputy needs a moderator to stand in for."))
    if back_office is not None and moderator is not None and back_office.pk:
        errors.extend(
            staffing_problems(topic, moderator_id=moderator.pk, back_office_id=back_office.pk)
        )
    if topic.is_published and (moderator is None or back_office is None):
        errors.append(
            _(
                "The topic “%(topic)s” is published: it cannot lose its moderator or "
                "back-office unless a replacement is named. Unpublish it first."
            )
            % {"topic": topic.name}
        )
    return errors


def back_office_member_errors(back_office: BackOffice, member_ids: Iterable[int]) -> list[str]:
    """Why the back-office cannot have exactly these members: a published topic staffed by
    it would have no member other than its moderator. Empty when it can."""
    if not back_office.pk:
        return []
    member_ids = set(member_ids)
    return [
        _(
            "The published topic “%(topic)s” would have no back-office member other than its "
            "moderator. Name a replacement."
        )
        % {"topic": topic.name}
        for topic in Topic.objects.filter(back_office=back_office, published_at__isnull=False)
        if not member_ids - {topic.moderator_id}
    ]


def sync_topic_permissions(topics) -> None:  # removed at merge
    pass


@transaction.atomic
def staff_topic(
    topic: Topic,
    *,
    by: Employee,
    moderator: Employee | None,
    back_office: BackOffice | None,
    deputy_moderator: Employee | None = None,
    reason: str = "",
) -> Topic:
    """Name the topic's moderator, optional deputy and back-office, replacing the old ones.

    Locks the topic. A published topic must stay staffed: naming no moderator or no
    back-office, or a back-office without a member other than the moderator, is refused
    (name the replacement in this call instead). Grants and revokes the guardian rights of
    old and new staff, and writes a ``staff_topic`` audit entry, in this transaction.
    Raises ValidationError with a message naming what is missing.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    errors = staffing_errors(
        topic, moderator=moderator, back_office=back_office, deputy_moderator=deputy_moderator
    )
    if errors:
        raise ValidationError(errors)
    before = {
        "moderator": topic.moderator_id,
        "deputy_moderator": topic.deputy_moderator_id,
        "back_office": topic.back_office_id,
    }
    topic.moderator = moderator
    topic.deputy_moderator = deputy_moderator
    topic.back_office = back_office
    topic.save(update_fields=["moderator", "deputy_moderator", "back_office"])
    _check_staffing_now()
    after = {
        "moderator": topic.moderator_id,
        "deputy_moderator": topic.deputy_moderator_id,
        "back_office": topic.back_office_id,
    }
    _audit(
        actor=by,
        action=A.STAFF_TOPIC,
        topic=topic,
        target=topic.name,
        reason=reason,
        details={"before": before, "after": after},
    )
    return topic


@transaction.atomic
def publish_topic(topic: Topic, *, by: Employee, reason: str = "") -> Topic:
    """Open a staffed topic. Refuses, naming what is missing, when it is not staffed.

    The database refuses the same thing on every other path (check constraint plus the
    back-office trigger). Publishing a published topic changes nothing.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.is_published:
        return topic
    problems = staffing_problems(topic)
    if problems:
        raise ValidationError(
            _("The topic “%(topic)s” cannot be published: %(problems)s.")
            % {"topic": topic.name, "problems": "; ".join(str(p) for p in problems)}
        )
    topic.published_at = timezone.now()
    topic.save(update_fields=["published_at"])
    _check_staffing_now()
    _audit(actor=by, action=A.PUBLISH_TOPIC, topic=topic, target=topic.name, reason=reason)
    return topic


@transaction.atomic
def unpublish_topic(topic: Topic, *, by: Employee, reason: str = "") -> Topic:
    """Close a topic to readers and writers; its threads stay. No-op when unpublished."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not topic.is_published:
        return topic
    topic.published_at = None
    topic.save(update_fields=["published_at"])
    _audit(actor=by, action=A.UNPUBLISH_TOPIC, topic=topic, target=topic.name, reason=reason)
    return topic


@transaction.atomic
def add_back_office_member(
    back_office: BackOffice, *, employee: Employee, by: Employee
) -> BackOfficeMembership:
    """Add an expert to a back-office and grant them the rights on its topics. Idempotent."""
    back_office = BackOffice.objects.select_for_update().get(pk=back_office.pk)
    membership, created = BackOfficeMembership.objects.get_or_create(
        back_office=back_office, employee=employee
    )
    if created:
        _audit(
            actor=by,
            action=A.STAFF_TOPIC,
            target=back_office.name,
            details={"back_office": back_office.pk, "added": employee.pk},
        )
    return membership


@transaction.atomic
def remove_back_office_member(
    back_office: BackOffice,
    *,
    employee: Employee,
    by: Employee,
    replacement: Employee | None = None,
) -> None:
    """Take an expert out of a back-office (adding `replacement` in the same step).

    Refused with a ValidationError when a published topic of this back-office would be left
    without a member other than its moderator. Revokes the rights in this transaction.
    """
    back_office = BackOffice.objects.select_for_update().get(pk=back_office.pk)
    if replacement is not None:
        BackOfficeMembership.objects.get_or_create(back_office=back_office, employee=replacement)
    BackOfficeMembership.objects.filter(back_office=back_office, employee=employee).delete()
    _check_staffing_now()
    _audit(
        actor=by,
        action=A.STAFF_TOPIC,
        target=back_office.name,
        details={
            "back_office": back_office.pk,
            "removed": employee.pk,
            "added": replacement.pk if replacement else None,
        },
    )


@transaction.atomic
def set_back_office_members(
    back_office: BackOffice, *, members: Iterable[Employee], by: Employee
) -> BackOffice:
    """Give the back-office exactly these members (additions before removals, one step).

    Refused with a ValidationError when a published topic would be left without a member
    other than its moderator. Syncs the guardian rights and writes one audit entry.
    """
    back_office = BackOffice.objects.select_for_update().get(pk=back_office.pk)
    wanted = {m.pk for m in members}
    errors = back_office_member_errors(back_office, wanted)
    if errors:
        raise ValidationError(errors)
    have = set(back_office.memberships.values_list("employee_id", flat=True))
    if wanted == have:
        return back_office
    BackOfficeMembership.objects.bulk_create(
        [BackOfficeMembership(back_office=back_office, employee_id=pk) for pk in wanted - have]
    )
    back_office.memberships.filter(employee_id__in=have - wanted).delete()
    _check_staffing_now()
    _audit(
        actor=by,
        action=A.STAFF_TOPIC,
        target=back_office.name,
        details={
            "back_office": back_office.pk,
            "added": sorted(wanted - have),
            "removed": sorted(have - wanted),
        },
    )
    return back_office


# ---------------------------------------------------------------------------------------------
# reports


@transaction.atomic
def report_post(post: Post, *, reporter: Employee, reason: str) -> Report:
    """File a report on a post. A second report by the same employee returns the open one."""
    reason = _require_reason(reason)
    existing = Report.objects.filter(post=post, reporter=reporter, status=Report.Status.OPEN)
    if report := existing.first():
        return report
    report = Report(post=post, reporter=reporter, reason=reason)
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a double submit won the race
        return existing.get()
    return report


@transaction.atomic
def dismiss_report(report: Report, *, by: Employee, reason: str = "") -> Report:
    """Close an open report without acting on the post."""
    report = Report.objects.select_for_update().select_related("post__thread").get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        raise ValidationError(_("This report has already been handled."))
    report.status = Report.Status.DISMISSED
    report.resolved_by = by
    report.resolved_at = timezone.now()
    report.resolution_note = reason
    report.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    post = report.post
    _audit_post(
        post,
        actor=by,
        action=A.DISMISS_REPORT,
        reason=reason,
        details={"report": report.pk},
    )
    return report


def _resolve_reports(post: Post, *, by: Employee, note: str) -> int:
    return Report.objects.filter(post=post, status=Report.Status.OPEN).update(
        status=Report.Status.RESOLVED,
        resolved_by=by,
        resolved_at=timezone.now(),
        resolution_note=note,
    )


# ---------------------------------------------------------------------------------------------
# actions on posts and threads


def _locked_post(post: Post) -> tuple[Thread, Post]:
    # Thread first, then post: the forum's write services lock in the same order.
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=post.thread_id)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.thread = thread
    return thread, post


@transaction.atomic
def hide_post(post: Post, *, by: Employee, reason: str) -> Post:
    """Hide a post from readers (it is kept and can be restored). A reason is required.

    Resolves the post's open reports, writes the audit entry and tells the author.
    """
    reason = _require_reason(reason)
    thread, post = _locked_post(post)
    if post.hidden_at is not None:
        raise ValidationError(_("This post is already hidden."))
    post.hidden_at = timezone.now()
    post.hidden_by = by
    post.save(update_fields=["hidden_at", "hidden_by"])
    resolved = _resolve_reports(post, by=by, note=reason)
    _audit_post(
        post,
        actor=by,
        action=A.HIDE_POST,
        reason=reason,
        details={"reports_resolved": resolved},
    )
    _notify(
        post.author_id,
        by,
        _("A moderator hid your post in “%(thread)s”. Reason: %(reason)s")
        % {"thread": thread.title, "reason": reason},
        _url(thread),
    )
    _refresh_counters(threads=[thread], topics=[thread.topic])
    return post


@transaction.atomic
def unhide_post(post: Post, *, by: Employee, reason: str = "") -> Post:
    """Show a hidden post again (audit action ``restore_post``)."""
    thread, post = _locked_post(post)
    if post.hidden_at is None:
        raise ValidationError(_("This post is not hidden."))
    post.hidden_at = None
    post.hidden_by = None
    post.save(update_fields=["hidden_at", "hidden_by"])
    _audit_post(
        post,
        actor=by,
        action=A.RESTORE_POST,
        reason=reason,
    )
    _notify(
        post.author_id,
        by,
        _("A moderator restored your post in “%(thread)s”.") % {"thread": thread.title},
        _url(thread),
    )
    _refresh_counters(threads=[thread], topics=[thread.topic])
    return post


@transaction.atomic
def edit_post_as_moderator(
    post: Post, *, by: Employee, body: str, title: str | None = None, reason: str = ""
) -> Post:
    """Edit someone's post as the topic's moderator; the forum keeps the earlier version.

    Resolves the post's open reports, writes the audit entry and tells the author.
    """
    post = _forum_services().edit_post(post, editor=by, body=body, title=title, reason=reason)
    thread = Thread.objects.select_related("topic").get(pk=post.thread_id)
    post.thread = thread
    resolved = _resolve_reports(post, by=by, note=reason)
    _audit_post(
        post,
        actor=by,
        action=A.EDIT_POST,
        reason=reason,
        details={"reports_resolved": resolved},
    )
    _notify(
        post.author_id,
        by,
        _("A moderator edited your post in “%(thread)s”. The earlier version is kept.")
        % {"thread": thread.title}
        + (" " + _("Reason: %(reason)s") % {"reason": reason} if reason else ""),
        _url(post),
    )
    return post


def _set_thread_flag(
    thread: Thread, *, by: Employee, flag: str, value: bool, reason: str
) -> Thread:
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=thread.pk)
    if getattr(thread, flag) == value:
        return thread
    setattr(thread, flag, value)
    thread.save(update_fields=[flag])
    action = {
        ("locked", True): A.LOCK_THREAD,
        ("locked", False): A.UNLOCK_THREAD,
        ("pinned", True): A.PIN_THREAD,
        ("pinned", False): A.UNPIN_THREAD,
    }[(flag, value)]
    _audit(
        actor=by,
        action=action,
        topic=thread.topic,
        thread=thread,
        target=thread.title,
        reason=reason,
    )
    return thread


@transaction.atomic
def lock_thread(thread: Thread, *, by: Employee, reason: str = "") -> Thread:
    """Close a thread to new replies. Locking a locked thread changes nothing."""
    return _set_thread_flag(thread, by=by, flag="locked", value=True, reason=reason)


@transaction.atomic
def unlock_thread(thread: Thread, *, by: Employee, reason: str = "") -> Thread:
    return _set_thread_flag(thread, by=by, flag="locked", value=False, reason=reason)


@transaction.atomic
def pin_thread(thread: Thread, *, by: Employee, reason: str = "") -> Thread:
    """Keep a thread at the top of its topic's list."""
    return _set_thread_flag(thread, by=by, flag="pinned", value=True, reason=reason)


@transaction.atomic
def unpin_thread(thread: Thread, *, by: Employee, reason: str = "") -> Thread:
    return _set_thread_flag(thread, by=by, flag="pinned", value=False, reason=reason)


@transaction.atomic
def move_thread(thread: Thread, *, by: Employee, to_topic: Topic, reason: str = "") -> Thread:
    """Move a thread to another published topic; both topics' counters follow.

    The views check that `by` moderates the thread's current topic. Tells the thread's author.
    """
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=thread.pk)
    to_topic = Topic.objects.get(pk=to_topic.pk)
    if to_topic.pk == thread.topic_id:
        raise ValidationError({"to_topic": _("The thread is already in this topic.")})
    if not to_topic.is_published:
        raise ValidationError({"to_topic": _("A thread can only be moved to a published topic.")})
    source = thread.topic
    thread.topic = to_topic
    thread.save(update_fields=["topic"])
    _audit(
        actor=by,
        action=A.MOVE_THREAD,
        topic=source,
        thread=thread,
        target=thread.title,
        reason=reason,
        details={"from_topic": source.pk, "to_topic": to_topic.pk, "to_name": to_topic.name},
    )
    _notify(
        thread.author_id,
        by,
        _("A moderator moved your thread “%(thread)s” from %(source)s to %(target)s.")
        % {"thread": thread.title, "source": source.name, "target": to_topic.name},
        _url(thread),
    )
    _refresh_counters(topics=[source, to_topic])
    return thread


# ---------------------------------------------------------------------------------------------
# clarified answers and consultations


@transaction.atomic
def clarify_post(
    post: Post,
    *,
    by: Employee,
    legal_reference: str = "",
    review_by: datetime.date | None = None,
) -> ClarifiedAnswer:
    """Mark a visible post as a clarified answer (or update its reference and review date)."""
    _thread, post = _locked_post(post)
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
    _audit_post(
        post,
        actor=by,
        action=A.CLARIFY_POST,
        details={
            "legal_reference": clarified.legal_reference,
            "review_by": review_by.isoformat() if review_by else None,
        },
    )
    return clarified


@transaction.atomic
def unclarify_post(post: Post, *, by: Employee, reason: str = "") -> None:
    """Take the clarified mark off a post."""
    _thread, post = _locked_post(post)
    deleted, _rows = ClarifiedAnswer.objects.filter(post=post).delete()
    if not deleted:
        raise ValidationError(_("This post is not a clarified answer."))
    _audit_post(
        post,
        actor=by,
        action=A.UNCLARIFY_POST,
        reason=reason,
    )


@transaction.atomic
def open_consultation(thread: Thread, *, by: Employee) -> Consultation:
    """Open the back-office consultation on a thread; opening it twice returns the first."""
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=thread.pk)
    consultation, created = Consultation.objects.get_or_create(
        thread=thread, defaults={"opened_by": by}
    )
    if created:
        _audit(
            actor=by,
            action=A.OPEN_CONSULTATION,
            topic=thread.topic,
            thread=thread,
            target=thread.title,
        )
    return consultation


@transaction.atomic
def add_internal_note(consultation: Consultation, *, author: Employee, body: str) -> InternalNote:
    """Write an internal note. It creates no notification and no public trace."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    note = InternalNote(
        consultation=consultation, author=author, body_md=body, body_html=render_markdown(body)
    )
    note.full_clean()
    note.save()
    return note


# ---------------------------------------------------------------------------------------------
# escalation

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


@transaction.atomic
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
    """
    # The thread lock serialises double submits; the key is looked up once it is held.
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=thread.pk)
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
    _audit(
        actor=by,
        action=A.ESCALATE_THREAD,
        topic=thread.topic,
        thread=thread,
        target=thread.title,
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
    message = _("New escalation to %(department)s: “%(thread)s”") % {
        "department": department.name,
        "thread": thread.title,
    }
    url = _url(escalation)
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, message=message[:500], url=url) for pk in contacts]
    )
    return escalation


@transaction.atomic
def set_escalation_status(
    escalation: Escalation, *, by: Employee, status: str, reason: str = ""
) -> Escalation:
    """Move an escalation on: received → in progress → (answered) → closed.

    "Answered" is reached only through `answer_escalation`. Closing an escalation that was
    never answered needs a reason. Stamps the time and writes the audit entry.
    """
    escalation = (
        Escalation.objects.select_for_update().select_related("thread__topic").get(pk=escalation.pk)
    )
    if status not in ESCALATION_FLOW[escalation.status]:
        raise ValidationError(
            _("An escalation that is %(current)s cannot become %(new)s.")
            % {
                "current": escalation.get_status_display(),
                "new": Escalation.Status(status).label if status in Escalation.Status else status,
            }
        )
    if status == Escalation.Status.CLOSED and escalation.answer_post_id is None:
        _require_reason(reason)
    previous = escalation.status
    now = timezone.now()
    escalation.status = status
    setattr(escalation, STATUS_STAMP[status], now)
    escalation.save(update_fields=["status", STATUS_STAMP[status]])
    _audit(
        actor=by,
        action=A.ESCALATION_STATUS,
        topic=escalation.thread.topic,
        thread=escalation.thread,
        target=escalation.thread.title,
        reason=reason,
        details={"escalation": escalation.pk, "from": previous, "to": status},
    )
    _notify(
        escalation.escalated_by_id,
        by,
        _("The escalation of “%(thread)s” is now %(status)s.")
        % {"thread": escalation.thread.title, "status": escalation.get_status_display()},
        _url(escalation),
    )
    return escalation


@transaction.atomic
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
    """
    escalation = (
        Escalation.objects.select_for_update().select_related("thread__topic").get(pk=escalation.pk)
    )
    if escalation.status not in (Escalation.Status.RECEIVED, Escalation.Status.IN_PROGRESS):
        raise ValidationError(_("This escalation has already been answered or closed."))
    post = _forum_services().post_reply(
        escalation.thread,
        author=by,
        body=body,
        submission_key=submission_key,
        kind=Post.Kind.DEPARTMENT_ANSWER,
    )
    now = timezone.now()
    previous = escalation.status
    escalation.status = Escalation.Status.ANSWERED
    escalation.answered_at = now
    escalation.in_progress_at = escalation.in_progress_at or now
    escalation.answer_post = post
    escalation.save(update_fields=["status", "answered_at", "in_progress_at", "answer_post"])
    thread = escalation.thread
    _audit(
        actor=by,
        action=A.ANSWER_ESCALATION,
        topic=thread.topic,
        thread=thread,
        post=post,
        target=thread.title,
        details={"escalation": escalation.pk, "from": previous, "to": escalation.status},
    )
    for recipient in {escalation.escalated_by_id, thread.author_id}:
        _notify(
            recipient,
            by,
            _("%(department)s answered the escalation of “%(thread)s”.")
            % {"department": escalation.department.name, "thread": thread.title},
            _url(post),
        )
    return escalation


# ---------------------------------------------------------------------------------------------
# notifications


def mark_notifications_read(recipient: Employee, *, ids: Iterable[int] | None = None) -> int:
    """Mark the recipient's unread notifications (or the given ones) read; returns how many."""
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(Q(pk__in=list(ids)))
    done = qs.update(read_at=timezone.now())
    querysets.forget_navigation_counts(recipient)  # the header shows the new count
    return done
