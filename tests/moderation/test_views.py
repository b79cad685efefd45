"""The moderation pages: wiring, kept text on refusal, and pinned query counts.

Every signed-in page costs three queries before the view's own: the session, the
employee, and the header's one counting query (moderation.querysets.navigation_counts).
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Thread
from moderation import services
from moderation.models import AuditEntry, ClarifiedAnswer, Escalation, Report
from tests.moderation.conftest import make_post

BASE = 3  # session, employee, header counts
# A page that checks a topic right reads the header's counts with the rights (F26).
WITH_RIGHTS = BASE - 1


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def busy_topic(topic_a, make_thread, author, employee, moderator_a, department, expert):
    """A topic with something in every queue section, several of each."""
    long_ago = timezone.now() - datetime.timedelta(days=30)
    for i in range(3):
        thread = make_thread(topic_a, author, title=f"Spørsmål {i}", kind=Thread.Kind.QUESTION)
        Thread.objects.filter(pk=thread.pk).update(created_at=long_ago)
        post = make_post(thread, employee, f"Svar {i}")
        Thread.objects.filter(pk=thread.pk).update(reply_count=0)
        services.report_post(post, reporter=author, reason=f"Rapport {i}")
        ClarifiedAnswer.objects.create(
            post=post, clarified_by=expert, review_by=timezone.localdate() - datetime.timedelta(1)
        )
        services.escalate_thread(
            thread, by=moderator_a, department=department, category="routine", summary=f"S {i}"
        )
        make_thread(topic_a, author, title=f"Ny tråd {i}")
    return topic_a


def test_the_queue_shows_every_section_with_counts(
    busy_topic, moderator_a, django_assert_num_queries
):
    client = client_for(moderator_a)
    with django_assert_num_queries(BASE + 7):  # moderates any topic?, counts, five lists
        response = client.get(reverse("moderation:queue"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Rapport 0", "Spørsmål 1", "Ny tråd 2", "Rapport 2"):
        assert text in html
    queue = response.context["queue"]
    assert queue.counts == {
        "new_threads": 3,
        "reports": 3,
        "unanswered": 3,
        "review_due": 3,
        "escalations": 3,
    }


def test_the_queue_of_another_moderator_is_empty(busy_topic, topic_b, moderator_b):
    response = client_for(moderator_b).get(reverse("moderation:queue"))
    assert set(response.context["queue"].counts.values()) == {0}


def test_an_escalation_open_too_long_is_overdue(
    busy_topic, moderator_a, settings, django_assert_num_queries
):
    Escalation.objects.update(received_at=timezone.now() - datetime.timedelta(days=30))
    settings.ESCALATION_OVERDUE_DAYS = 14
    client = client_for(moderator_a)
    # contact?, moderator?, departments, topics, count, page
    with django_assert_num_queries(BASE + 6):
        response = client.get(reverse("moderation:escalation-register"))
    assert all(e.is_overdue for e in response.context["escalations"])


def test_the_register_filters_by_status_department_and_topic(busy_topic, admin_user, department):
    client = client_for(admin_user)
    url = reverse("moderation:escalation-register")
    assert len(client.get(url, {"status": "received"}).context["escalations"]) == 3
    assert len(client.get(url, {"status": "closed"}).context["escalations"]) == 0
    assert len(client.get(url, {"department": department.pk}).context["escalations"]) == 3
    assert len(client.get(url, {"topic": busy_topic.pk}).context["escalations"]) == 3


def test_the_inbox_lists_the_departments_escalations(
    busy_topic, department_contact, django_assert_num_queries
):
    client = client_for(department_contact)
    with django_assert_num_queries(BASE + 2):  # group check, list
        response = client.get(reverse("moderation:escalation-inbox"))
    assert len(response.context["escalations"]) == 3


def test_the_escalation_page(busy_topic, department_contact, django_assert_num_queries):
    escalation = Escalation.objects.first()
    client = client_for(department_contact)
    with django_assert_num_queries(BASE + 2):  # escalation with relations, contact?
        response = client.get(escalation.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_answer"]


def test_the_audit_log_filters_by_action_and_topic(
    busy_topic, moderator_a, django_assert_num_queries
):
    client = client_for(moderator_a)
    with django_assert_num_queries(BASE + 3):  # moderator?, topics for the filter, entries
        response = client.get(reverse("moderation:audit-log"), {"action": "escalate_thread"})
    entries = response.context["entries"]
    assert len(entries) == 3 and {e.action for e in entries} == {"escalate_thread"}


def test_the_audit_log_of_a_moderator_holds_only_their_topics(busy_topic, topic_b, moderator_b):
    response = client_for(moderator_b).get(reverse("moderation:audit-log"))
    assert {e.topic_id for e in response.context["entries"]} == {topic_b.pk}


def test_the_old_notifications_address_leads_to_the_new_list(employee_client):
    response = employee_client.get(reverse("moderation:notifications"))
    assert response.status_code == 301
    assert response["Location"] == reverse("notifications:list")


def test_the_header_links_to_the_queue_with_the_report_count(post_a, author, moderator_a):
    services.report_post(post_a, reporter=author, reason="Feil")
    html = client_for(moderator_a).get(reverse("notifications:list")).content.decode()
    assert reverse("moderation:queue") in html
    assert '<span class="count">(1)</span>' in html


def test_an_employee_has_no_queue_link(employee_client):
    html = employee_client.get(reverse("notifications:list")).content.decode()
    assert f'href="{reverse("moderation:queue")}"' not in html
    assert reverse("notifications:list") in html


def test_a_refused_report_keeps_the_form(post_a, author):
    response = client_for(author).post(reverse("moderation:report-post", args=[post_a.pk]), {})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_rejected_hide_keeps_the_text(post_a, moderator_a):
    services.hide_post(post_a, by=moderator_a, reason="Først")
    response = client_for(moderator_a).post(
        reverse("moderation:hide-post", args=[post_a.pk]), {"reason": "Min lange begrunnelse"}
    )
    assert response.status_code == 400
    assert "Min lange begrunnelse" in response.content.decode()


def test_the_hide_form(post_a, moderator_a, django_assert_num_queries):
    client = client_for(moderator_a)
    with django_assert_num_queries(WITH_RIGHTS + 2):  # post with thread, topic rights
        response = client.get(reverse("moderation:hide-post", args=[post_a.pk]))
    assert response.status_code == 200


def test_the_escalation_form_posts_once_per_key(thread_a, moderator_a, department):
    client = client_for(moderator_a)
    url = reverse("moderation:escalate-thread", args=[thread_a.pk])
    key = client.get(url).context["form"].initial["submission_key"]
    data = {
        "department": department.pk,
        "category": "routine",
        "summary": "Prinsipielt",
        "submission_key": str(key),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Escalation.objects.count() == 1


def test_the_thread_tools_page(thread_a, moderator_a, django_assert_num_queries):
    client = client_for(moderator_a)
    with django_assert_num_queries(WITH_RIGHTS + 3):  # thread, topic rights, move targets
        response = client.get(reverse("moderation:thread-tools", args=[thread_a.pk]))
    assert response.status_code == 200


def test_the_consultation_page(thread_a, moderator_a, expert, django_assert_num_queries):
    consultation = services.open_consultation(thread_a, by=moderator_a)
    for i in range(3):
        services.add_internal_note(consultation, author=expert, body=f"Notat {i}")
    client = client_for(expert)
    with django_assert_num_queries(WITH_RIGHTS + 4):  # thread, topic rights, consultation, notes
        response = client.get(reverse("moderation:consultation", args=[thread_a.pk]))
    assert "Notat 2" in response.content.decode()
    response = client.post(
        reverse("moderation:consultation", args=[thread_a.pk]), {"body": "Nytt notat"}
    )
    assert response.status_code == 302
    assert consultation.notes.count() == 4


def test_a_nul_byte_in_a_reason_is_a_field_error():
    """Django's CharField refuses NUL before anything reaches PostgreSQL."""
    from moderation import forms

    for form_class in (forms.ReasonForm, forms.RequiredReasonForm, forms.ReportForm):
        form = form_class({"reason": "før\x00etter"})
        assert not form.is_valid()
        assert list(form.errors) == ["reason"]


def test_the_audit_log_pages_back_to_the_last_page(topic_a, admin_user):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=admin_user, action=AuditEntry.Action.LOCK_THREAD, topic=topic_a, target=f"T{i}"
        )
        for i in range(120)
    )
    total = AuditEntry.objects.count()
    client = client_for(admin_user)
    url = reverse("moderation:audit-log")
    second = client.get(url, {"page": "2"}).context
    assert len(second["entries"]) == 50 and second["has_next"]
    last = client.get(url, {"page": "last"}).context
    assert last["page"] == (total + 49) // 50 and not last["has_next"]
    assert len(last["entries"]) == total - 50 * (last["page"] - 1)
