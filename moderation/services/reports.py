"""Reports on posts: filing, dismissing, and resolving them when a moderator acts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.rows import save_fields
from erfaringsforum.transactions import atomic_with_retry
from forum.models import Post
from forum.notifications import services as notification_services
from moderation import notices
from moderation.models import AuditEntry, Report
from moderation.services.audit import record_post_audit, require_reason
from moderation.services.locking import lock_thread

A = AuditEntry.Action


@atomic_with_retry
def report_post(post: Post, *, reporter: Employee, reason: str) -> Report:
    """File a report on a post. A second report by the same employee returns the open one.

    Caller checked: ``permissions.check_can_report(reporter, post)``.
    """
    reason = require_reason(reason)
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
    thread = post.thread
    notification_services.notify_staff(
        thread.topic, notices.REPORT_NEW, actor=reporter, thread=thread, post=post,
        moderators_only=True,
    )  # fmt: skip
    return report


@atomic_with_retry
def dismiss_report(report: Report, *, by: Employee, reason: str = "") -> Report:
    """Close an open report without acting on the post.

    Caller checked: ``permissions.check_can_moderate(by, report.post.thread.topic)``.
    """
    # The lock order (erfaringsforum.transactions): the post's thread, then the report.
    thread_id = Report.objects.filter(pk=report.pk).values_list("post__thread_id", flat=True).get()
    lock_thread(thread_id)
    report = (
        Report.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post__thread__topic")
        .get(pk=report.pk)
    )
    if report.status != Report.Status.OPEN:
        raise ValidationError(_("This report has already been handled."))
    save_fields(
        report,
        status=Report.Status.DISMISSED,
        resolved_by=by,
        resolved_at=timezone.now(),
        resolution_note=reason,
    )
    post = report.post
    record_post_audit(
        post,
        actor=by,
        action=A.DISMISS_REPORT,
        reason=reason,
        details={"report": report.pk},
    )
    return report


def resolve_reports(post: Post, *, by: Employee, note: str) -> int:
    return Report.objects.filter(post=post, status=Report.Status.OPEN).update(
        status=Report.Status.RESOLVED,
        resolved_by=by,
        resolved_at=timezone.now(),
        resolution_note=note,
    )
