"""The publishing gate on every path, and guardian rights following staffing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from forum.models import Topic
from moderation import permissions, services
from moderation.models import AuditEntry, BackOfficeMembership

TRIGGERS = services.STAFFING_TRIGGERS


def check_deferred_now() -> None:
    """What COMMIT would do: run the deferred constraint triggers."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {TRIGGERS} IMMEDIATE")


def test_an_unstaffed_topic_cannot_be_published_by_the_service(make_topic, admin_user):
    topic = make_topic("Tomt tema", staffed=False, published=False)
    with pytest.raises(ValidationError) as exc:
        services.publish_topic(topic, by=admin_user)
    message = str(exc.value)
    assert "no moderator" in message and "no back-office" in message
    topic.refresh_from_db()
    assert topic.published_at is None
    assert not AuditEntry.objects.filter(action="publish_topic", topic=topic).exists()


def test_publishing_names_a_back_office_with_only_the_moderator(
    make_topic, make_back_office, moderator_a, admin_user
):
    lonely = make_back_office(moderator_a)
    topic = make_topic(staffed=False, published=False)
    Topic.objects.filter(pk=topic.pk).update(moderator=moderator_a, back_office=lonely)
    with pytest.raises(ValidationError, match="no member other than the moderator"):
        services.publish_topic(topic, by=admin_user)


def test_a_staffed_topic_is_published_with_an_audit_entry(topic_a, admin_user):
    assert topic_a.is_published
    entry = AuditEntry.objects.get(action="publish_topic", topic=topic_a)
    assert entry.actor == admin_user


def test_the_database_refuses_a_raw_update_publishing_an_unstaffed_topic(make_topic):
    topic = make_topic(staffed=False, published=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(published_at=timezone.now())


def test_the_database_refuses_a_raw_update_removing_the_moderator(topic_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(pk=topic_a.pk).update(moderator=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(pk=topic_a.pk).update(back_office=None)


def test_the_trigger_refuses_a_published_topic_whose_back_office_has_only_the_moderator(
    topic_a, make_back_office, moderator_a
):
    lonely = make_back_office(moderator_a)
    with pytest.raises(IntegrityError, match="other than its moderator"), transaction.atomic():
        Topic.objects.filter(pk=topic_a.pk).update(back_office=lonely)
        check_deferred_now()


def test_the_trigger_refuses_removing_the_last_expert_of_a_published_topic(topic_a, expert):
    with pytest.raises(IntegrityError, match="Sykepenger"), transaction.atomic():
        BackOfficeMembership.objects.filter(employee=expert).delete()
        check_deferred_now()


def test_replacing_the_last_expert_in_the_same_transaction_passes(
    topic_a, back_office_a, expert, make_employee
):
    with transaction.atomic():
        BackOfficeMembership.objects.filter(employee=expert).delete()
        BackOfficeMembership.objects.create(back_office=back_office_a, employee=make_employee())
        check_deferred_now()


def test_a_raw_insert_of_a_published_topic_with_a_lonely_back_office_is_refused(
    make_back_office, moderator_a
):
    lonely = make_back_office(moderator_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(
            name="Importert",
            slug="importert",
            moderator=moderator_a,
            back_office=lonely,
            published_at=timezone.now(),
        )
        check_deferred_now()


def test_the_service_refuses_removing_staffing_of_a_published_topic(topic_a, admin_user):
    with pytest.raises(ValidationError, match="Unpublish it first"):
        services.staff_topic(topic_a, by=admin_user, moderator=None, back_office=None)
    topic_a.refresh_from_db()
    assert topic_a.moderator_id and topic_a.back_office_id


def test_the_service_refuses_removing_the_last_expert(topic_a, back_office_a, expert, admin_user):
    with pytest.raises(ValidationError, match="other than its moderator"):
        services.remove_back_office_member(back_office_a, employee=expert, by=admin_user)
    assert BackOfficeMembership.objects.filter(employee=expert).exists()


def test_the_service_removes_an_expert_when_a_replacement_is_named(
    topic_a, back_office_a, expert, make_employee, admin_user
):
    newcomer = make_employee()
    services.remove_back_office_member(
        back_office_a, employee=expert, by=admin_user, replacement=newcomer
    )
    assert not permissions.is_back_office_member(expert, topic_a)
    assert permissions.is_back_office_member(newcomer, topic_a)


def test_a_published_topic_can_change_moderator_and_back_office_in_one_step(
    topic_a, moderator_a, moderator_b, back_office_b, admin_user
):
    services.staff_topic(
        topic_a, by=admin_user, moderator=moderator_b, back_office=back_office_b, reason="Ferie"
    )
    topic_a.refresh_from_db()
    assert topic_a.moderator == moderator_b and topic_a.back_office == back_office_b
    entry = AuditEntry.objects.filter(action="staff_topic", topic=topic_a).first()
    assert entry.reason == "Ferie"
    assert entry.details["after"]["moderator"] == moderator_b.pk


def test_guardian_rights_follow_staffing(
    topic_a, moderator_a, moderator_b, expert, expert_b, make_employee, restaff_to_b
):
    deputy = make_employee("Vara")
    assert permissions.can_moderate(moderator_a, topic_a)
    assert permissions.is_back_office_member(expert, topic_a)
    assert not permissions.can_moderate(expert, topic_a)
    assert not permissions.can_moderate(moderator_b, topic_a)

    restaff_to_b(topic_a, deputy)
    for user in (moderator_a, moderator_b, expert, expert_b, deputy):
        permissions.forget_cached_perms(user)
    assert not permissions.can_moderate(moderator_a, topic_a)
    assert not permissions.is_topic_staff(moderator_a, topic_a)
    assert permissions.can_moderate(moderator_b, topic_a)
    assert permissions.can_moderate(deputy, topic_a)
    assert not permissions.is_topic_staff(expert, topic_a)
    assert permissions.is_topic_staff(expert_b, topic_a)


def test_a_failed_staffing_change_grants_nothing(
    topic_a, make_back_office, moderator_b, admin_user
):
    lonely = make_back_office(moderator_b)
    with pytest.raises(ValidationError):
        services.staff_topic(topic_a, by=admin_user, moderator=moderator_b, back_office=lonely)
    assert not permissions.can_moderate(moderator_b, topic_a)


def test_the_deputy_cannot_be_the_moderator(topic_a, moderator_a, back_office_a, admin_user):
    with pytest.raises(ValidationError, match="deputy cannot be the moderator"):
        services.staff_topic(
            topic_a,
            by=admin_user,
            moderator=moderator_a,
            back_office=back_office_a,
            deputy_moderator=moderator_a,
        )


def test_an_unpublished_topic_may_be_unstaffed(make_topic, moderator_a, back_office_a, admin_user):
    topic = make_topic(moderator=moderator_a, back_office=back_office_a, publish=False)
    services.staff_topic(topic, by=admin_user, moderator=None, back_office=None)
    permissions.forget_cached_perms(moderator_a)
    assert not permissions.can_moderate(moderator_a, topic)


def test_unpublishing_is_logged(topic_a, admin_user):
    services.unpublish_topic(topic_a, by=admin_user, reason="Omorganisering")
    topic_a.refresh_from_db()
    assert not topic_a.is_published
    assert AuditEntry.objects.filter(action="unpublish_topic", reason="Omorganisering").exists()


def test_permission_checks_are_cached_per_user_object(
    topic_a, topic_b, moderator_a, django_assert_num_queries
):
    permissions.forget_cached_perms(moderator_a)
    with django_assert_num_queries(1):  # user and group grants in one query
        permissions.prefetch_topic_perms(moderator_a, [topic_a, topic_b])
    with django_assert_num_queries(0):
        assert permissions.can_moderate(moderator_a, topic_a)
        assert not permissions.can_moderate(moderator_a, topic_b)
        assert permissions.is_topic_staff(moderator_a, topic_a)


def test_topic_rights_match_guardians_own_checker(
    topic_a, topic_b, moderator_a, moderator_b, expert, admin_user, make_employee
):
    """The one-query grants (forum.querysets.read_viewer over guardian's tables) give
    guardian's ObjectPermissionChecker's answers for every role of the permission matrix
    and every codename: moderator, deputy, back-office member, outsider, admin,
    superuser, and a grant through a group."""
    from django.contrib.auth.models import Group
    from guardian.core import ObjectPermissionChecker
    from guardian.shortcuts import assign_perm

    from forum import permissions as forum_permissions

    deputy = make_employee("Vara")
    services.staff_topic(
        topic_a, by=admin_user, moderator=moderator_a, back_office=topic_a.back_office,
        deputy_moderator=deputy,
    )  # fmt: skip
    group_member = make_employee("Gruppemedlem")
    group = Group.objects.create(name="Fagnettverk")
    group_member.groups.add(group)
    assign_perm(permissions.VIEW_CONSULTATION, group, topic_b)
    assign_perm(permissions.MODERATE_TOPIC, group, topic_a)
    outsider = make_employee("Utenforstående")
    superuser = make_employee("Superbruker", is_superuser=True)
    users = {
        "moderator": moderator_a, "other moderator": moderator_b, "deputy": deputy,
        "back-office member": expert, "group member": group_member, "outsider": outsider,
        "admin": admin_user, "superuser": superuser,
    }  # fmt: skip
    checked = 0
    for role, user in users.items():
        permissions.forget_cached_perms(user)
        checker = ObjectPermissionChecker(user)
        for topic in (topic_a, topic_b):
            for codename in (permissions.MODERATE_TOPIC, permissions.VIEW_CONSULTATION):
                expected = checker.has_perm(codename, topic)
                got = forum_permissions._has_topic_perm(user, codename, topic)
                assert got is expected, (role, topic.name, codename)
                checked += 1
    assert checked == len(users) * 4
    assert permissions.is_back_office_member(group_member, topic_b)
    assert permissions.can_moderate(group_member, topic_a)
    assert permissions.is_topic_moderator(deputy, topic_a)
    assert not permissions.is_back_office_member(outsider, topic_b)
