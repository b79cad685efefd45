"""Every moderation rule: who may do what to which topic, escalation and queue.

The only module (with accounts.permissions and forum.permissions) that reads roles or
django-guardian. The topic roles themselves are the forum's (forum.permissions, re-exported
here under their old names): staffing lives on the topic row (moderator, deputy_moderator,
back_office) and the rights it gives are django-guardian object permissions on the Topic,
kept in step with staffing by `moderation.services`:

- ``moderate_topic``     the moderator and the deputy: hide, restore, lock, pin, move, edit,
                         escalate, open consultations, handle reports;
- ``view_consultation``  the moderator, the deputy and every back-office member: read and
                         write internal notes, mark clarified answers.

Admins (``is_staff``) may do everything. An employee's grants on every topic are read once
per request, with the header's counts (forum.querysets.read_viewer and
moderation/extensions.py).

Refusals: a moderator of topic B acting in topic A gets 403 (PermissionDenied): the thread is
public, only the action is not theirs. Consultations must stay invisible: anyone outside the
topic's staff gets 404 (Http404), never 403.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Employee
from accounts.permissions import deny_unless, hide_unless, is_admin, is_department_contact
from forum.models import Post, Thread, Topic
from forum.permissions import (  # noqa: F401  (the topic roles, under their moderation names)
    MODERATE_TOPIC,
    VIEW_CONSULTATION,
    can_clarify,
    can_moderate,
    can_moderate_thread,
    can_report,
    can_view_thread,
    forget_cached_perms,
    granted_topics,
    is_back_office_member,
    is_topic_moderator,
    is_topic_staff,
    prefetch_topic_perms,
    topics_moderated_by,
)
from moderation.models import Consultation, Escalation, Report

User = Employee | AnonymousUser

TOPIC_PERMISSIONS = {
    MODERATE_TOPIC: "Can moderate the topic",
    VIEW_CONSULTATION: "Can read and write the topic's internal consultations",
}

# ---------------------------------------------------------------------------------------------
# guardian plumbing


def ensure_permission_rows(using: str = "default") -> dict[str, Permission]:
    """The Permission rows guardian assigns; created when missing (migrate, test flush)."""
    ct = ContentType.objects.db_manager(using).get_for_model(Topic)
    rows = {}
    for codename, name in TOPIC_PERMISSIONS.items():
        rows[codename], _created = Permission.objects.using(using).get_or_create(
            content_type=ct, codename=codename, defaults={"name": name}
        )
    return rows


def staffing_grants(topic: Topic, back_office_member_ids: Iterable[int]) -> set[tuple[int, str]]:
    """The (employee id, permission codename) pairs the topic's staffing gives."""
    grants: set[tuple[int, str]] = set()
    for moderator_id in (topic.moderator_id, topic.deputy_moderator_id):
        if moderator_id:
            grants.add((moderator_id, MODERATE_TOPIC))
            grants.add((moderator_id, VIEW_CONSULTATION))
    for member_id in back_office_member_ids:
        grants.add((member_id, VIEW_CONSULTATION))
    return grants


def is_any_moderator(user: User) -> bool:
    """Moderates (or deputises for) at least one topic: holds some ``moderate_topic``,
    through a user or a group grant. Cached on the user object (one request): the page's
    check, its breadcrumbs and the header ask it."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_any_moderator", None)
    if cached is None:
        cached = Topic.objects.filter(granted_topics(user, [MODERATE_TOPIC])).exists()
        user._is_any_moderator = cached
    return cached


# ---------------------------------------------------------------------------------------------
# can_* / check_*


def check_can_moderate(user: User, topic: Topic) -> None:
    """Raise PermissionDenied (403) unless the user may moderate the topic."""
    deny_unless(can_moderate(user, topic), _("Only the topic's moderators can do this."))


def can_view_consultation(user: User, topic: Topic) -> bool:
    return is_topic_staff(user, topic)


def check_can_view_consultation(user: User, topic: Topic) -> None:
    """Raise Http404 (never 403) so that a consultation's existence stays hidden."""
    hide_unless(can_view_consultation(user, topic))


def can_open_consultation(user: User, topic: Topic) -> bool:
    return can_moderate(user, topic)


def check_can_clarify(user: User, topic: Topic) -> None:
    deny_unless(
        can_clarify(user, topic), _("Only the topic's moderator and back-office can do this.")
    )


def check_can_report(user: User, post: Post) -> None:
    deny_unless(can_report(user, post), _("You cannot report this post."))


def can_escalate(user: User, thread: Thread) -> bool:
    """Escalating a thread is moderating it."""
    return can_moderate_thread(user, thread)


def check_can_escalate(user: User, thread: Thread) -> None:
    deny_unless(can_escalate(user, thread), _("Only the topic's moderators can escalate a thread."))


def can_view_moderation_queue(user: User) -> bool:
    return is_admin(user) or is_any_moderator(user)


def check_can_view_moderation_queue(user: User) -> None:
    deny_unless(can_view_moderation_queue(user), _("The moderation queue is for moderators."))


def can_view_audit_log(user: User) -> bool:
    """Admins read the whole log; moderators read the entries of the topics they moderate."""
    return can_view_moderation_queue(user)


def check_can_view_audit_log(user: User) -> None:
    deny_unless(can_view_audit_log(user), _("The audit log is for moderators and admins."))


def _is_department_contact(user: User) -> bool:
    # Cached on the user object (one request): several checks on one page ask it.
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_department_contact", None)
    if cached is None:
        cached = is_department_contact(user)
        user._is_department_contact = cached
    return cached


def can_handle_escalation(user: User, escalation) -> bool:
    """Move an escalation's status and answer it: the department's contacts, admins."""
    if is_admin(user):
        return True
    return _is_department_contact(user) and user.unit_id == escalation.department_id


def check_can_handle_escalation(user: User, escalation) -> None:
    deny_unless(
        can_handle_escalation(user, escalation),
        _("Only the department's contacts can handle this escalation."),
    )


def can_view_escalation(user: User, escalation) -> bool:
    """An escalation is seen by the register's readers who may see its thread (the forum's
    visibility rule), and by the department it was sent to, for its own cases. The same
    rule as moderation.querysets.escalation_register's filter."""
    if can_handle_escalation(user, escalation):
        return True
    return can_view_escalation_register(user) and can_view_thread(user, escalation.thread)


def check_can_view_escalation(user: User, escalation) -> None:
    """Http404 for anyone else, whatever the id: not even its existence is confirmed."""
    hide_unless(can_view_escalation(user, escalation))


def own_department(user: User) -> int | None:
    """The unit whose escalations a department contact sees in the register whatever their
    topic (None for everyone else)."""
    return user.unit_id if _is_department_contact(user) else None


def can_view_escalation_inbox(user: User) -> bool:
    return _is_department_contact(user)


def check_can_view_escalation_inbox(user: User) -> None:
    deny_unless(can_view_escalation_inbox(user), _("The inbox is for department contacts."))


def can_view_escalation_register(user: User) -> bool:
    """Admins, moderators and department contacts see the register (no internal notes in it)."""
    return is_admin(user) or _is_department_contact(user) or is_any_moderator(user)


def check_can_view_escalation_register(user: User) -> None:
    deny_unless(
        can_view_escalation_register(user),
        _("The escalation register is for moderators and departments."),
    )


# =============================================================================================
# The moderation pages' rules and lists (H5 of issue 12): what the pages offer and which
# topics' rows a moderator reads. Kept apart from the roles above so that each can change
# on its own.


def check_can_dismiss_report(user: User, report: Report) -> None:
    """Dismissing a report is moderating the reported post's topic: 403 for anyone else.
    Needs ``report.post.thread.topic`` loaded."""
    check_can_moderate(user, report.post.thread.topic)


def check_can_open_consultation(user: User, topic: Topic) -> None:
    """Outside the topic's staff a consultation stays invisible (404); a back-office member
    sees it but only a moderator opens one (403)."""
    check_can_view_consultation(user, topic)
    deny_unless(can_open_consultation(user, topic), _("Only the topic's moderators can do this."))


def check_can_add_internal_note(
    user: User, topic: Topic, consultation: Consultation | None
) -> None:
    """A note goes into the thread's open consultation, written by the topic's staff; with
    no consultation, or outside the staff, there is nothing to write to (404)."""
    check_can_view_consultation(user, topic)
    if consultation is None:
        raise Http404


def can_change_escalation_status(user: User, escalation: Escalation) -> bool:
    """The status form is offered to those who handle the escalation until it is closed."""
    return can_handle_escalation(user, escalation) and escalation.status != Escalation.Status.CLOSED


def can_answer_escalation(user: User, escalation: Escalation) -> bool:
    """The answer form is offered to those who handle the escalation while it is open."""
    return can_handle_escalation(user, escalation) and escalation.is_open
