"""Reads: the thread page's moderation context, and internal notes leaking nowhere."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum import permissions as forum_permissions
from forum import querysets as forum_querysets
from forum.notifications.models import Notification
from moderation import permissions, services
from moderation.models import ClarifiedAnswer
from moderation.querysets import navigation_counts, thread_moderation_summary
from tests.moderation.conftest import make_post

SECRET = "Hemmelig vurdering fra baksystemet"


def test_the_thread_context_for_a_moderator(
    thread_a, post_a, moderator_a, expert, author, department, django_assert_num_queries
):
    services.clarify_post(
        post_a, by=expert, review_by=timezone.localdate() + datetime.timedelta(days=5)
    )
    overdue = make_post(thread_a, expert, "Gammelt avklart svar")
    ClarifiedAnswer.objects.create(
        post=overdue, clarified_by=expert, review_by=timezone.localdate() - datetime.timedelta(1)
    )
    services.report_post(post_a, reporter=author, reason="Feil")
    services.escalate_thread(
        thread_a, by=moderator_a, department=department, category="routine", summary="x"
    )
    posts = list(thread_a.posts.order_by("position"))
    permissions.forget_cached_perms(moderator_a)
    # topic rights, clarified answers, escalations, consultation? (the per-post report
    # counts of the deleted PostModeration copy were never shown, so no longer read)
    with django_assert_num_queries(4):
        context = thread_moderation_summary(moderator_a, thread_a)
    assert context.can_moderate and context.can_escalate and context.can_view_consultation
    assert [a.post_id for a in context.clarified] == [post_a.pk, overdue.pk]
    assert [a.under_review for a in context.clarified] == [False, True]
    assert context.escalations[0].status == "received"
    forum_permissions.post_rights(moderator_a, thread_a, posts)
    by_pk = {p.pk: p.rights for p in posts}
    assert by_pk[post_a.pk].hide and by_pk[post_a.pk].clarify and by_pk[overdue.pk].clarify


def test_the_thread_context_for_an_employee_offers_only_reporting(
    thread_a, post_a, author, django_assert_num_queries
):
    posts = list(thread_a.posts.order_by("position"))
    with django_assert_num_queries(3):  # topic rights, clarified answers, escalations
        context = thread_moderation_summary(author, thread_a)
    assert not (context.can_moderate or context.can_clarify or context.can_view_consultation)
    forum_permissions.post_rights(author, thread_a, posts)
    own, other = posts
    assert not own.rights.report and other.rights.report
    assert not any(p.rights.hide or p.rights.clarify for p in posts)


def test_the_thread_panel_is_left_out_where_it_has_nothing_to_show(
    thread_a, post_a, author, moderator_a, expert
):
    """F36: an employee on a thread without clarified answers or escalations gets no panel
    (the page renders no include); the topic's staff get their tools, and everyone gets
    the panel once the thread has a clarified answer."""
    from forum import extensions

    assert extensions.thread_panels(author, thread_a) == []
    (panel,) = extensions.thread_panels(moderator_a, thread_a)
    assert panel["context"]["mod"].can_moderate
    services.clarify_post(post_a, by=expert)
    thread = forum_querysets.thread_for_page(thread_a.pk)  # its probes see the answer
    (panel,) = extensions.thread_panels(author, thread)
    assert [a.post_id for a in panel["context"]["mod"].clarified] == [post_a.pk]
    assert not panel["context"]["mod"].can_moderate


def test_internal_notes_leak_nowhere(thread_a, post_a, moderator_a, expert, employee):
    consultation = services.open_consultation(thread_a, by=moderator_a)
    services.add_internal_note(consultation, author=expert, body=SECRET)
    assert not Notification.objects.filter(recipient=employee).exists()  # staff only
    assert navigation_counts(employee)["unread"] == 0
    client = Client()
    client.force_login(employee)
    pages = [
        reverse("forum:thread-detail", args=[thread_a.pk]) + "?page=1",
        reverse("forum:topic-detail", args=[thread_a.topic.slug]),
        reverse("forum:search") + "?q=Hemmelig+vurdering",
        reverse("notifications:list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    assert client.get(reverse("moderation:consultation", args=[thread_a.pk])).status_code == 404
    client.force_login(moderator_a)
    for url in (reverse("moderation:audit-log"), reverse("moderation:queue")):
        assert SECRET not in client.get(url).content.decode()
    client.force_login(expert)
    assert (
        SECRET
        in client.get(reverse("moderation:consultation", args=[thread_a.pk])).content.decode()
    )


def test_header_counts_for_each_role(
    post_a, author, employee, moderator_a, moderator_b, topic_b, admin_user, department_contact,
    department, django_assert_num_queries,
):  # fmt: skip
    services.report_post(post_a, reporter=author, reason="Feil")
    services.escalate_thread(
        post_a.thread, by=moderator_a, department=department, category="routine", summary="x"
    )
    services.hide_post(post_a, by=moderator_a, reason="Ufint")  # resolves the report
    services.report_post(make_post(post_a.thread, employee, "Nytt"), reporter=author, reason="x")
    with django_assert_num_queries(1):
        counts = navigation_counts(moderator_a)
    # unread: the two reports told to the moderator (issue 15)
    assert counts == {"unread": 2, "moderates": True, "reports": 1, "contact": False, "inbox": 0}
    assert navigation_counts(moderator_b)["reports"] == 0
    assert navigation_counts(moderator_b)["moderates"] is True
    assert navigation_counts(admin_user)["reports"] == 1
    assert navigation_counts(employee) == {
        "unread": 1, "moderates": False, "reports": 0, "contact": False, "inbox": 0,
    }  # fmt: skip
    contact = navigation_counts(department_contact)
    assert contact["contact"] is True and contact["inbox"] == 1 and contact["unread"] == 1


def test_the_header_counts_come_with_the_topic_rights(
    post_a, author, employee, moderator_a, moderator_b, department_contact, department,
    django_assert_num_queries,
):  # fmt: skip
    """F26: a page that checks a topic right reads the header's counts in the same query;
    they equal the header's own query, for users with grants and without."""
    services.report_post(post_a, reporter=author, reason="Feil")
    services.escalate_thread(
        post_a.thread, by=moderator_a, department=department, category="routine", summary="x"
    )
    topic = post_a.thread.topic
    for user in (moderator_a, moderator_b, employee, department_contact):
        expected = navigation_counts(user)  # its own query: nothing loaded yet
        permissions.forget_cached_perms(user)
        with django_assert_num_queries(1):
            permissions.is_topic_moderator(user, topic)  # grants and counts together
            assert navigation_counts(user) == expected
        assert permissions.is_topic_moderator(user, topic) is (user == moderator_a)


def test_counts_read_with_the_rights_follow_a_change_in_the_same_request(post_a, author):
    Notification.objects.create(recipient=author, kind="message", params={"message": "Skjult"})
    permissions.is_topic_moderator(author, post_a.thread.topic)
    assert navigation_counts(author)["unread"] == 1
    services.mark_notifications_read(author)
    assert navigation_counts(author)["unread"] == 0
    permissions.is_topic_moderator(author, post_a.thread.topic)
    permissions.forget_cached_perms(author)
    assert getattr(author, "_navigation_counts", None) is None


def test_the_thread_read_carries_the_viewers_rights_and_counts(
    post_a, author, employee, moderator_a, moderator_b, department_contact, department,
    django_assert_num_queries,
):  # fmt: skip
    """F29: the thread page's one-row read brings the viewer's grants and header counts,
    equal to what their own query gives."""
    services.report_post(post_a, reporter=author, reason="Feil")
    services.escalate_thread(
        post_a.thread, by=moderator_a, department=department, category="routine", summary="x"
    )
    thread = post_a.thread
    for user in (moderator_a, moderator_b, employee, department_contact):
        permissions.forget_cached_perms(user)
        permissions.is_topic_moderator(user, thread.topic)
        grants, counts = user._topic_perms, navigation_counts(user)
        permissions.forget_cached_perms(user)
        with django_assert_num_queries(1):
            got = forum_querysets.thread_for_page(thread.pk, viewer=user)
            assert got.pk == thread.pk
            assert permissions.is_topic_moderator(user, got.topic) is (user == moderator_a)
            assert navigation_counts(user) == counts
        assert user._topic_perms == grants


def test_the_header_counts_sql_equals_the_orm(
    post_a, author, employee, moderator_a, moderator_b, department_contact, department,
    admin_user,
):  # fmt: skip
    """moderation.querysets.NAVIGATION_SQL (names from the models) against the ORM."""
    from accounts.permissions import DEPARTMENT_CONTACTS_GROUP
    from forum.models import Topic
    from forum.permissions import MODERATE_TOPIC, granted_topics
    from moderation.models import Escalation, Report

    services.report_post(post_a, reporter=author, reason="Feil")
    services.escalate_thread(
        post_a.thread, by=moderator_a, department=department, category="routine", summary="x"
    )
    Notification.objects.create(recipient=author, kind="message", params={"message": "Hei"})
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    group = Group.objects.create(name="Moderatorgruppe")
    employee.groups.add(group)
    assign_perm(MODERATE_TOPIC, group, post_a.thread.topic)  # a group grant counts too
    for user in (author, employee, moderator_a, moderator_b, department_contact, admin_user):
        permissions.forget_cached_perms(user)
        mine = granted_topics(user, [MODERATE_TOPIC], path="post__thread__topic_id")
        reports = Report.objects.filter(status=Report.Status.OPEN)
        if user != admin_user:
            reports = reports.filter(mine)
        moderates = Topic.objects.filter(granted_topics(user, [MODERATE_TOPIC]))
        expected = {
            "unread": Notification.objects.filter(recipient=user, read_at=None).count(),
            "moderates": moderates.exists(),
            "reports": reports.count(),
            "contact": user.groups.filter(name=DEPARTMENT_CONTACTS_GROUP).exists(),
            "inbox": Escalation.objects.filter(
                department_id=user.unit_id,
                status__in=[Escalation.Status.RECEIVED, Escalation.Status.IN_PROGRESS],
            ).count(),
        }
        assert navigation_counts(user) == expected, user.name
    assert navigation_counts(employee)["reports"] == 1
