"""The moderation lists read django-guardian through its public API and agree with the rule.

`permissions.topics_moderated_by` (guardian's `get_objects_for_user`) scopes the queue, the
audit log and its topic filter. For every role it must give exactly the topics on which
`permissions.can_moderate` says yes, and for user grants the same answer as the hand-built
query over guardian's `UserObjectPermission` that it replaced. Group grants and superusers
without ``is_staff`` are where the old query answered differently (it saw user grants only);
the lists now follow the rule.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from forum.models import Thread, Topic
from moderation import permissions, services
from moderation import querysets as q
from moderation.models import AuditEntry
from tests.moderation.conftest import make_post


def previous_user_grant_scope(user) -> set[int]:
    """The scoping the lists used before (user grants only, read by hand; admins: all)."""
    if permissions.is_admin(user):
        return set(Topic.objects.values_list("pk", flat=True))
    rows = (
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename=permissions.MODERATE_TOPIC,
            content_type=ContentType.objects.get_for_model(Topic),
        )
        .annotate(topic_id=Cast("object_pk", BigIntegerField()))
        .values_list("topic_id", flat=True)
    )
    return set(rows)


# The permission matrix's roles (tests/moderation/test_permission_matrix.py), by fixture name.
MATRIX_ROLES = ("employee", "moderator_a", "moderator_b", "expert", "department_contact")


@pytest.fixture
def roles(
    request, topic_a, topic_b, make_topic, make_employee, admin_user, back_office_a, back_office_b
):
    """Every role of the matrix, plus a deputy, a group grant, a superuser without
    is_staff, a moderator who left (inactive) and an anonymous visitor."""
    matrix = {name: request.getfixturevalue(name) for name in MATRIX_ROLES}
    deputy = make_employee("Dina Stedfortreder")
    make_topic(
        "Dagpenger", moderator=matrix["moderator_b"], deputy=deputy, back_office=back_office_a
    )
    make_topic("Kladd uten stab", publish=False)
    group_moderator = make_employee("Gunnar Gruppe")
    group = Group.objects.create(name="Moderatorer for hjelpemidler")
    group_moderator.groups.add(group)
    assign_perm(permissions.MODERATE_TOPIC, group, topic_b)
    superuser = make_employee("Siri Superbruker", is_superuser=True)
    inactive = make_employee("Ivar Inaktiv")
    make_topic("Pensjon", moderator=inactive, back_office=back_office_b)
    type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    return {
        **matrix,
        "admin": admin_user,
        "deputy": deputy,
        "group_moderator": group_moderator,
        "superuser": superuser,
        "inactive": inactive,
        "anonymous": AnonymousUser(),
    }


def test_the_lists_scope_is_exactly_the_moderate_rule_for_every_role(roles):
    topics = list(Topic.objects.all())
    for name, user in roles.items():
        if user.is_authenticated:
            permissions.forget_cached_perms(user)
        expected = {t.pk for t in topics if permissions.can_moderate(user, t)}
        scope = set(permissions.topics_moderated_by(user).values_list("pk", flat=True))
        assert scope == expected, name
        assert set(q.moderated_topics(user).values_list("pk", flat=True)) == expected, name


def test_guardian_answers_as_the_previous_query_for_user_grants(roles):
    """Only the group grant and the superuser without is_staff change their answer."""
    changed = set()
    for name, user in roles.items():
        if not user.is_authenticated or not user.is_active:
            continue
        scope = set(permissions.topics_moderated_by(user).values_list("pk", flat=True))
        if scope != previous_user_grant_scope(user):
            changed.add(name)
    assert changed == {"group_moderator", "superuser"}


def test_a_group_grant_puts_the_topic_in_the_queue_and_the_audit_log(
    roles, topic_a, topic_b, make_thread, author, employee, admin_user
):
    for topic in (topic_a, topic_b):
        thread = make_thread(topic, author)
        post = make_post(thread, employee, f"Et svar i {topic.name}.")
        services.report_post(post, reporter=author, reason=f"Feil i {topic.name}")
        services.lock_thread(thread, by=admin_user, reason="Låst")
    user = roles["group_moderator"]
    queue = q.moderation_queue(user)
    assert queue.counts["reports"] == queue.counts["new_threads"] == 1
    assert [r.post.thread.topic_id for r in queue.reports] == [topic_b.pk]
    assert [t.topic_id for t in queue.new_threads] == [topic_b.pk]
    entries = list(q.audit_entries(user))
    assert entries and {e.topic_id for e in entries} == {topic_b.pk}
    assert [t.pk for t in q.moderated_topics(user)] == [topic_b.pk]


def test_every_role_reads_exactly_the_audit_entries_of_the_topics_it_moderates(
    roles, topic_a, topic_b, make_thread, author, admin_user
):
    for topic in (topic_a, topic_b):
        services.lock_thread(make_thread(topic, author), by=admin_user, reason="Låst")
    every = list(AuditEntry.objects.select_related("topic"))
    for name, user in roles.items():
        if not user.is_authenticated:
            continue
        permissions.forget_cached_perms(user)
        expected = {
            e.pk for e in every if e.topic is not None and permissions.can_moderate(user, e.topic)
        }
        if permissions.is_admin(user):
            expected = {e.pk for e in every}
        assert set(q.audit_entries(user).values_list("pk", flat=True)) == expected, name


def test_scoping_costs_no_query_of_its_own(roles, django_assert_num_queries):
    with django_assert_num_queries(0):
        permissions.topics_moderated_by(roles["moderator_a"])
        q.moderated_topics(roles["group_moderator"])
    with django_assert_num_queries(1):
        list(q.audit_entries(roles["moderator_b"]))


def test_the_queue_counts_and_lists_by_the_rule_for_every_role(
    roles, topic_a, topic_b, make_thread, author, employee, moderator_a, department
):
    """The counts (``= ANY(ARRAY(guardian's subquery))``) and the lists (the ids read with
    the counts) give what the rule gives, row by row."""
    for topic in Topic.objects.all():
        thread = make_thread(topic, author, title=f"Ny i {topic.name}")
        post = make_post(thread, employee, "Et svar.")
        services.report_post(post, reporter=author, reason="Feil")
    for name, user in roles.items():
        if not user.is_authenticated:
            continue
        permissions.forget_cached_perms(user)
        queue = q.moderation_queue(user)
        mine = {t.pk for t in Topic.objects.all() if permissions.can_moderate(user, t)}
        expected_threads = Thread.objects.filter(topic_id__in=mine).count()
        assert queue.counts["new_threads"] == expected_threads, name
        assert {t.topic_id for t in queue.new_threads} == mine, name
        assert queue.counts["reports"] == len(queue.reports) == len(mine), name


def test_the_queue_of_someone_who_moderates_nothing_is_one_query(roles, django_assert_num_queries):
    with django_assert_num_queries(1):
        queue = q.moderation_queue(roles["employee"])
    assert set(queue.counts.values()) == {0}
    assert not (queue.new_threads or queue.reports or queue.escalations)
