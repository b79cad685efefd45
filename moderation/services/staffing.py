"""Staffing of topics and the publishing gate.

The guardian rights staffing gives are derived by PostgreSQL (migration 0005): no service
here writes them.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.rows import save_fields
from erfaringsforum.transactions import atomic_with_retry
from forum.models import Topic
from moderation.models import AuditEntry, BackOffice, BackOfficeMembership
from moderation.services.audit import record_audit, record_back_office_audit

A = AuditEntry.Action
STAFFING_TRIGGERS = "topic_back_office_has_expert, backoffice_membership_keeps_expert"


def check_staffing_now() -> None:
    """Run the deferred staffing triggers now and turn a refusal into a ValidationError."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {STAFFING_TRIGGERS} IMMEDIATE")
            cursor.execute(f"SET CONSTRAINTS {STAFFING_TRIGGERS} DEFERRED")
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        raise ValidationError(getattr(diag, "message_primary", None) or str(exc)) from exc


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

    A draft may be staffed incompletely (no back-office yet, or one holding only the
    moderator): the gate applies when it is published (`publish_topic`, and the database's
    constraint and triggers on every path). A published topic must stay complete.
    Used by `staff_topic` and by the admin's form, so both refuse with the same message.
    """
    errors = []
    if moderator is not None and not moderator.is_active:
        errors.append(_("%(name)s is no longer active.") % {"name": moderator.name})
    if deputy_moderator is not None and moderator is not None and deputy_moderator == moderator:
        errors.append(_("The deputy cannot be the moderator."))
    if deputy_moderator is not None and moderator is None:
        errors.append(_("A deputy needs a moderator to stand in for."))
    if topic.is_published and back_office is not None and moderator is not None:
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


@atomic_with_retry
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
    (name the replacement in this call instead). Writes a ``staff_topic`` audit entry; the
    database moves the guardian rights of old and new staff (migration 0005), in this
    transaction.
    Raises ValidationError with a message naming what is missing.

    Caller checked: ``accounts.permissions.can_use_admin(by)`` (the admin's staff gate).
    """
    topic = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
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
    save_fields(
        topic, moderator=moderator, deputy_moderator=deputy_moderator, back_office=back_office
    )
    check_staffing_now()
    after = {
        "moderator": topic.moderator_id,
        "deputy_moderator": topic.deputy_moderator_id,
        "back_office": topic.back_office_id,
    }
    record_audit(
        actor=by,
        action=A.STAFF_TOPIC,
        topic=topic,
        target=topic.name,
        reason=reason,
        details={"before": before, "after": after},
    )
    return topic


@atomic_with_retry
def publish_topic(topic: Topic, *, by: Employee, reason: str = "") -> Topic:
    """Open a staffed topic. Refuses, naming what is missing, when it is not staffed.

    The database refuses the same thing on every other path (check constraint plus the
    back-office trigger). Publishing a published topic changes nothing.

    Caller checked: ``accounts.permissions.can_use_admin(by)`` (the admin's staff gate).
    """
    topic = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
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
    check_staffing_now()
    record_audit(actor=by, action=A.PUBLISH_TOPIC, topic=topic, target=topic.name, reason=reason)
    return topic


@atomic_with_retry
def unpublish_topic(topic: Topic, *, by: Employee, reason: str = "") -> Topic:
    """Close a topic to readers and writers; its threads stay. No-op when unpublished.

    Caller checked: ``accounts.permissions.can_use_admin(by)`` (the admin's staff gate).
    """
    topic = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
    if not topic.is_published:
        return topic
    topic.published_at = None
    topic.save(update_fields=["published_at"])
    record_audit(actor=by, action=A.UNPUBLISH_TOPIC, topic=topic, target=topic.name, reason=reason)
    return topic


@atomic_with_retry
def add_back_office_member(
    back_office: BackOffice, *, employee: Employee, by: Employee
) -> BackOfficeMembership:
    """Add an expert to a back-office (the database grants the rights on its topics). Idempotent.

    Caller checked: ``accounts.permissions.can_use_admin(by)`` (the admin's staff gate).
    """
    back_office = BackOffice.objects.select_for_update().get(pk=back_office.pk)
    membership, created = BackOfficeMembership.objects.get_or_create(
        back_office=back_office, employee=employee
    )
    if created:
        record_back_office_audit(back_office, actor=by, added=[employee.pk], removed=[])
    return membership


@atomic_with_retry
def remove_back_office_member(
    back_office: BackOffice,
    *,
    employee: Employee,
    by: Employee,
    replacement: Employee | None = None,
) -> None:
    """Take an expert out of a back-office (adding `replacement` in the same step).

    Refused with a ValidationError when a published topic of this back-office would be left
    without a member other than its moderator. The database revokes the rights in this
    transaction.

    Caller checked: ``accounts.permissions.can_use_admin(by)`` (the admin's staff gate).
    """
    back_office = BackOffice.objects.select_for_update().get(pk=back_office.pk)
    if replacement is not None:
        BackOfficeMembership.objects.get_or_create(back_office=back_office, employee=replacement)
    BackOfficeMembership.objects.filter(back_office=back_office, employee=employee).delete()
    check_staffing_now()
    added = [replacement.pk] if replacement else []
    record_back_office_audit(back_office, actor=by, added=added, removed=[employee.pk])


@atomic_with_retry
def set_back_office_members(
    back_office: BackOffice, *, members: Iterable[Employee], by: Employee
) -> BackOffice:
    """Give the back-office exactly these members (additions before removals, one step).

    Refused with a ValidationError when a published topic would be left without a member
    other than its moderator. Writes one audit entry; the database moves the rights.

    Caller checked: ``accounts.permissions.can_use_admin(by)`` (the admin's staff gate).
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
    check_staffing_now()
    record_back_office_audit(back_office, actor=by, added=wanted - have, removed=have - wanted)
    return back_office
