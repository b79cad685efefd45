"""Staffing is stored once; guardian's rows follow it on every path (migration 0005).

Whatever writes the staffing columns or the back-office memberships — the services, the
admin, a QuerySet.update(), raw SQL, bulk_create, a delete, a TRUNCATE, the demo seeding —
django-guardian's public API answers exactly what staffing says afterwards.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from guardian.core import ObjectPermissionChecker
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_objects_for_user, get_perms

from accounts import demo as accounts_demo
from accounts.models import Employee
from forum.models import Topic
from moderation import demo, services
from moderation.models import BackOffice, BackOfficeMembership
from tests.moderation.conftest import admin_client, change_topic_in_admin

MODERATE = "moderate_topic"
CONSULT = "view_consultation"
CODENAMES = (MODERATE, CONSULT)


def staffing_says() -> dict[int, set[tuple[int, str]]]:
    """Every topic's (employee id, codename) grants, read from the staffing columns."""
    members: dict[int, set[int]] = {}
    for back_office_id, employee_id in BackOfficeMembership.objects.values_list(
        "back_office_id", "employee_id"
    ):
        members.setdefault(back_office_id, set()).add(employee_id)
    says = {}
    for topic in Topic.objects.all():
        grants = set()
        for staff_id in (topic.moderator_id, topic.deputy_moderator_id):
            if staff_id is not None:
                grants |= {(staff_id, MODERATE), (staff_id, CONSULT)}
        grants |= {(pk, CONSULT) for pk in members.get(topic.back_office_id, ())}
        says[topic.pk] = grants
    return says


def guardian_says() -> dict[int, set[tuple[int, str]]]:
    """The same, asked of guardian's public API for every (non-superuser) employee."""
    topics = list(Topic.objects.all())
    says: dict[int, set[tuple[int, str]]] = {topic.pk: set() for topic in topics}
    for user in Employee.objects.filter(is_superuser=False):
        checker = ObjectPermissionChecker(user)
        listed = {
            codename: set(
                get_objects_for_user(
                    user, f"forum.{codename}", klass=Topic, accept_global_perms=False
                ).values_list("pk", flat=True)
            )
            for codename in CODENAMES
        }
        for topic in topics:
            perms = set(get_perms(user, topic))
            for codename in CODENAMES:
                has = checker.has_perm(codename, topic)
                assert has is (codename in perms) is (topic.pk in listed[codename]), (
                    user.name,
                    topic.name,
                    codename,
                )
                if has:
                    says[topic.pk].add((user.pk, codename))
    return says


def assert_rights_follow_staffing() -> None:
    assert guardian_says() == staffing_says()
    # ... and no other row of the two permissions is left behind (deleted topics, duplicates).
    derived = UserObjectPermission.objects.filter(
        permission__codename__in=CODENAMES, content_type__app_label="forum"
    )
    assert derived.count() == sum(len(grants) for grants in staffing_says().values())


@pytest.fixture
def staffed(topic_a, topic_b, make_topic, moderator_a, back_office_b, make_employee):
    """Two published topics, a draft staffed by A's moderator and B's back-office, a deputy."""
    draft = make_topic("Utkast", moderator=moderator_a, back_office=back_office_b, publish=False)
    assert_rights_follow_staffing()
    return {"draft": draft, "deputy": make_employee("Vera Vara")}


def test_the_staffing_services_leave_guardian_answering_what_staffing_says(
    staffed, topic_a, back_office_a, back_office_b, expert, expert_b, admin_user, restaff_to_b
):
    deputy = staffed["deputy"]
    restaff_to_b(topic_a, deputy)
    assert_rights_follow_staffing()
    services.add_back_office_member(back_office_b, employee=expert, by=admin_user)
    assert_rights_follow_staffing()
    services.remove_back_office_member(
        back_office_b, employee=expert_b, by=admin_user, replacement=deputy
    )
    assert_rights_follow_staffing()
    services.set_back_office_members(back_office_a, members=[expert_b, deputy], by=admin_user)
    assert_rights_follow_staffing()
    services.unpublish_topic(staffed["draft"], by=admin_user)  # a no-op on grants
    services.staff_topic(staffed["draft"], by=admin_user, moderator=None, back_office=None)
    assert_rights_follow_staffing()


def test_the_admin_change_page_leaves_guardian_answering_what_staffing_says(
    staffed, topic_a, moderator_b, back_office_b, admin_user
):
    response = change_topic_in_admin(
        admin_client(admin_user),
        topic_a,
        moderator=moderator_b,
        deputy_moderator=staffed["deputy"],
        back_office=back_office_b,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    topic_a.refresh_from_db()
    assert topic_a.moderator == moderator_b
    assert_rights_follow_staffing()


def test_the_admin_back_office_page_and_topic_delete_leave_guardian_in_step(
    staffed, back_office_b, expert, moderator_b, admin_user
):
    client = admin_client(admin_user)
    response = client.post(
        reverse("admin:moderation_backoffice_change", args=[back_office_b.pk]),
        {"name": back_office_b.name, "description": "", "experts": [expert.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_rights_follow_staffing()
    imported = Topic.objects.create(
        name="Importert", slug="importert", moderator=moderator_b, back_office=back_office_b
    )
    assert UserObjectPermission.objects.filter(object_pk=str(imported.pk)).exists()
    response = client.post(reverse("admin:forum_topic_delete", args=[imported.pk]), {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Topic.objects.filter(pk=imported.pk).exists()
    assert_rights_follow_staffing()


def test_a_queryset_update_of_the_staffing_columns_moves_the_rights(
    staffed, topic_a, moderator_b, back_office_b
):
    Topic.objects.filter(pk=topic_a.pk).update(moderator=moderator_b)
    assert_rights_follow_staffing()
    Topic.objects.filter(pk=topic_a.pk).update(deputy_moderator=staffed["deputy"])
    assert_rights_follow_staffing()
    Topic.objects.filter(pk=topic_a.pk).update(back_office=back_office_b, deputy_moderator=None)
    assert_rights_follow_staffing()
    Topic.objects.update(deputy_moderator=staffed["deputy"])  # every topic in one statement
    assert_rights_follow_staffing()


def test_a_raw_sql_update_of_the_staffing_columns_moves_the_rights(
    staffed, topic_a, topic_b, moderator_b, back_office_b
):
    table = Topic._meta.db_table
    moderator = Topic._meta.get_field("moderator").column
    back_office = Topic._meta.get_field("back_office").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {moderator} = %s, {back_office} = %s WHERE id = %s",
            [moderator_b.pk, back_office_b.pk, topic_a.pk],
        )
    assert_rights_follow_staffing()


def test_an_update_that_leaves_staffing_alone_does_not_touch_the_rights(staffed, topic_a):
    before = set(UserObjectPermission.objects.values_list("pk", flat=True))
    Topic.objects.filter(pk=topic_a.pk).update(post_count=7, moderator=topic_a.moderator)
    assert set(UserObjectPermission.objects.values_list("pk", flat=True)) == before


def test_memberships_written_directly_move_the_rights(
    staffed, topic_a, back_office_a, back_office_b, expert, expert_b, make_employee
):
    newcomer = make_employee("Nina Ny")
    BackOfficeMembership.objects.create(back_office=back_office_a, employee=newcomer)
    assert_rights_follow_staffing()
    BackOfficeMembership.objects.bulk_create(
        [
            BackOfficeMembership(back_office=back_office_b, employee=newcomer),
            BackOfficeMembership(back_office=back_office_b, employee=expert),
        ]
    )
    assert_rights_follow_staffing()
    BackOfficeMembership.objects.filter(employee=newcomer, back_office=back_office_a).delete()
    assert_rights_follow_staffing()
    # An update moving a member to another back-office recomputes both back-offices' topics.
    BackOfficeMembership.objects.filter(employee=expert_b).update(back_office=back_office_a)
    assert_rights_follow_staffing()


def test_topics_inserted_with_staffing_carry_their_rights_and_take_them_when_deleted(
    staffed, moderator_a, moderator_b, back_office_a, back_office_b
):
    created = Topic.objects.create(
        name="Importert", slug="importert", moderator=moderator_b, back_office=back_office_a
    )
    bulk = Topic.objects.bulk_create(
        [
            Topic(
                name=f"Masse {n}",
                slug=f"masse-{n}",
                moderator=moderator_a,
                deputy_moderator=moderator_b,
                back_office=back_office_b,
                lft=1,
                rght=2,
                tree_id=900 + n,
                level=0,
            )
            for n in range(3)
        ]
    )
    assert_rights_follow_staffing()
    created.delete()
    Topic.objects.filter(pk__in=[t.pk for t in bulk]).delete()
    assert_rights_follow_staffing()
    assert not UserObjectPermission.objects.filter(object_pk=str(created.pk)).exists()


def test_truncating_the_memberships_or_the_topics_keeps_the_rights_in_step(staffed):
    with transaction.atomic():
        with connection.cursor() as cursor:
            # TRUNCATE refuses while deferred trigger events (the fixture's) are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {BackOfficeMembership._meta.db_table}")
        assert_rights_follow_staffing()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Topic._meta.db_table} CASCADE")
        assert not UserObjectPermission.objects.filter(permission__codename__in=CODENAMES).exists()
        transaction.set_rollback(True)


def test_without_the_permission_rows_staffing_is_refused_clearly(
    make_back_office, moderator_a, expert
):
    Permission.objects.filter(codename__in=CODENAMES, content_type__app_label="forum").delete()
    # Nothing to grant: an unstaffed topic and an empty back-office are fine.
    Topic.objects.create(name="Tomt", slug="tomt")
    back_office = make_back_office()
    with pytest.raises(DatabaseError, match=r"manage\.py migrate"), transaction.atomic():
        Topic.objects.create(name="Bemannet", slug="bemannet", moderator=moderator_a)
    with pytest.raises(DatabaseError, match="do not exist"), transaction.atomic():
        Topic.objects.create(name="Med baksystem", slug="med-baksystem", back_office=back_office)
        BackOfficeMembership.objects.create(back_office=back_office, employee=expert)


def test_the_demo_seeding_leaves_guardian_answering_what_staffing_says(db, settings):
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    accounts_demo.seed()
    demo.seed()  # staffs and publishes the topics, writes the threads, opens the cases
    assert BackOffice.objects.exists() and Topic.objects.filter(moderator__isnull=False).exists()
    assert_rights_follow_staffing()
