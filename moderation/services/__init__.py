"""Every change to moderation state: staffing, publishing, moderator actions, escalation.

One module per concern: `staffing` (topics' staff and the publishing gate), `reports`,
`actions` (on posts and threads), `clarified`, `consultation`, `escalation`,
`notifications`, and `audit`, the one writer of the audit log (`record_audit`, and
`record_post_audit`, `record_thread_audit`, `record_back_office_audit` for its usual
targets). Import the package, not the modules: ``from moderation import
services; services.hide_post(...)``.

The contract of every service, in the manner of Zulip's ``do_*`` functions:

- **Who may act is the caller's check.** A view, the admin or a command runs the
  ``moderation.permissions.check_*`` rule named in the service's docstring ("Caller
  checked: ...") before calling it; the staffing services are the admin's, behind its
  ``is_staff`` gate (``accounts.permissions.can_use_admin``). Services do not check it again:
  demo and benchmark seeding act on behalf of the system.
- **Whether the action makes sense is the service's check**: it raises ``ValidationError``
  with a readable message when it does not (an unstaffed topic, a hidden post hidden again).
- Each service is one transaction (``@transaction.atomic``), locks the row it changes with
  ``select_for_update()``, and writes its AuditEntry through `record_audit` in that same
  transaction, so an action and its record stand or fall together.
- Staffing is stored once (the topic's columns and the back-office memberships); the
  django-guardian rows it gives are derived by PostgreSQL (migration 0005), never here.
"""

from moderation.services.actions import (
    edit_post_as_moderator,
    hide_post,
    lock_thread,
    move_thread,
    pin_thread,
    unhide_post,
    unlock_thread,
    unpin_thread,
)
from moderation.services.audit import record_audit, record_post_audit
from moderation.services.clarified import clarify_post, unclarify_post
from moderation.services.consultation import add_internal_note, open_consultation
from moderation.services.escalation import answer_escalation, escalate_thread, set_escalation_status
from moderation.services.notifications import mark_notifications_read
from moderation.services.reports import dismiss_report, report_post
from moderation.services.staffing import (
    STAFFING_TRIGGERS,
    add_back_office_member,
    back_office_member_errors,
    publish_topic,
    remove_back_office_member,
    set_back_office_members,
    staff_topic,
    staffing_errors,
    staffing_problems,
    unpublish_topic,
)

__all__ = [
    "STAFFING_TRIGGERS",
    "add_back_office_member",
    "add_internal_note",
    "answer_escalation",
    "back_office_member_errors",
    "clarify_post",
    "dismiss_report",
    "edit_post_as_moderator",
    "escalate_thread",
    "hide_post",
    "lock_thread",
    "mark_notifications_read",
    "move_thread",
    "open_consultation",
    "pin_thread",
    "publish_topic",
    "record_audit",
    "record_post_audit",
    "remove_back_office_member",
    "report_post",
    "set_back_office_members",
    "set_escalation_status",
    "staff_topic",
    "staffing_errors",
    "staffing_problems",
    "unclarify_post",
    "unhide_post",
    "unlock_thread",
    "unpin_thread",
    "unpublish_topic",
]
