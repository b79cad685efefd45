"""Moderator actions, clarified answers, consultations and escalation: state, audit, notices."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forum.models import Post, PostRevision
from forum.notifications.models import Notification
from moderation import notices, services
from moderation.models import (
    AuditEntry,
    ClarifiedAnswer,
    Escalation,
    Report,
)
from moderation.services import escalation as escalation_services
from tests.moderation.conftest import make_post


def audit(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def test_any_employee_can_report_a_post_once(post_a, author):
    first = services.report_post(post_a, reporter=author, reason="Feil om sykepenger")
    again = services.report_post(post_a, reporter=author, reason="Feil om sykepenger")
    assert first == again
    assert Report.objects.count() == 1


def test_a_report_needs_a_reason(post_a, author):
    with pytest.raises(ValidationError):
        services.report_post(post_a, reporter=author, reason="  ")


def test_hiding_a_post_resolves_its_reports_logs_and_tells_the_author(
    post_a, author, moderator_a, employee
):
    report = services.report_post(post_a, reporter=author, reason="Personopplysninger")
    services.hide_post(post_a, by=moderator_a, reason="Inneholder personopplysninger")
    post_a.refresh_from_db()
    report.refresh_from_db()
    assert post_a.hidden_at and post_a.hidden_by == moderator_a
    assert report.status == Report.Status.RESOLVED and report.resolved_by == moderator_a
    entry = audit("hide_post")
    assert (entry.actor, entry.post, entry.reason) == (
        moderator_a,
        post_a,
        "Inneholder personopplysninger",
    )
    assert entry.topic == post_a.thread.topic
    notice = Notification.objects.get(recipient=employee)
    assert (notice.kind, notice.post, notice.params) == (
        notices.POST_HIDDEN,
        post_a,
        {"reason": "Inneholder personopplysninger"},
    )
    post_a.thread.refresh_from_db()
    assert post_a.thread.reply_count == 0  # the forum's counters follow


def test_hiding_needs_a_reason_and_changes_nothing_without(post_a, moderator_a):
    with pytest.raises(ValidationError):
        services.hide_post(post_a, by=moderator_a, reason="")
    post_a.refresh_from_db()
    assert post_a.hidden_at is None
    assert not AuditEntry.objects.filter(action="hide_post").exists()


def test_a_hidden_post_can_be_restored(post_a, moderator_a, employee):
    services.hide_post(post_a, by=moderator_a, reason="Ufint")
    services.unhide_post(post_a, by=moderator_a, reason="Feilvurdering")
    post_a.refresh_from_db()
    assert post_a.is_visible
    assert audit("restore_post").reason == "Feilvurdering"
    assert Notification.objects.filter(recipient=employee).count() == 2


def test_dismissing_a_report_is_logged(post_a, author, moderator_a):
    report = services.report_post(post_a, reporter=author, reason="Feil")
    services.dismiss_report(report, by=moderator_a, reason="Svaret er riktig")
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED
    assert audit("dismiss_report").reason == "Svaret er riktig"
    with pytest.raises(ValidationError):
        services.dismiss_report(report, by=moderator_a)


def test_a_moderator_edit_keeps_the_earlier_version_and_tells_the_author(
    post_a, moderator_a, employee
):
    services.edit_post_as_moderator(
        post_a, by=moderator_a, body="Rettet svar.", reason="Feil paragraf"
    )
    post_a.refresh_from_db()
    assert post_a.body_md == "Rettet svar."
    revision = PostRevision.objects.get(post=post_a)
    assert (
        revision.body_md == "Et svar som kanskje er feil." and revision.replaced_by == moderator_a
    )
    assert audit("edit_post").reason == "Feil paragraf"
    assert Notification.objects.get(recipient=employee).kind == notices.POST_EDITED


@pytest.mark.parametrize(
    ("service", "flag", "value", "action"),
    [
        ("lock_thread", "locked", True, "lock_thread"),
        ("pin_thread", "pinned", True, "pin_thread"),
    ],
)
def test_lock_and_pin_and_their_reverse_are_logged(
    thread_a, moderator_a, service, flag, value, action
):
    getattr(services, service)(thread_a, by=moderator_a, reason="Ferdig diskutert")
    thread_a.refresh_from_db()
    assert getattr(thread_a, flag) is value
    assert audit(action).reason == "Ferdig diskutert"
    getattr(services, "un" + service)(thread_a, by=moderator_a)
    thread_a.refresh_from_db()
    assert getattr(thread_a, flag) is not value
    assert AuditEntry.objects.filter(action="un" + action).count() == 1


def test_moving_a_thread_to_a_published_topic(thread_a, topic_a, topic_b, moderator_a, author):
    services.move_thread(thread_a, by=moderator_a, to_topic=topic_b, reason="Hører hjemme der")
    thread_a.refresh_from_db()
    topic_a.refresh_from_db()
    topic_b.refresh_from_db()
    assert thread_a.topic == topic_b
    assert (topic_a.thread_count, topic_b.thread_count) == (0, 1)
    entry = audit("move_thread")
    assert entry.topic == topic_a and entry.details["to_topic"] == topic_b.pk
    assert Notification.objects.get(recipient=author).kind == notices.THREAD_MOVED


def test_a_thread_cannot_move_to_an_unpublished_topic(thread_a, make_topic, moderator_a):
    draft = make_topic(staffed=False, published=False)
    with pytest.raises(ValidationError, match="published topic"):
        services.move_thread(thread_a, by=moderator_a, to_topic=draft)


def test_clarifying_a_post(post_a, expert):
    review = timezone.localdate() + datetime.timedelta(days=90)
    clarified = services.clarify_post(
        post_a, by=expert, legal_reference="folketrygdloven § 8-4", review_by=review
    )
    assert clarified.clarified_by == expert and clarified.review_by == review
    assert audit("clarify_post").details["legal_reference"] == "folketrygdloven § 8-4"
    services.unclarify_post(post_a, by=expert, reason="Regelendring")
    assert not ClarifiedAnswer.objects.exists()
    assert audit("unclarify_post").reason == "Regelendring"


def test_a_hidden_post_cannot_be_clarified(post_a, moderator_a):
    services.hide_post(post_a, by=moderator_a, reason="Feil")
    with pytest.raises(ValidationError):
        services.clarify_post(post_a, by=moderator_a)


def test_opening_a_consultation_twice_gives_one(thread_a, moderator_a, expert):
    first = services.open_consultation(thread_a, by=moderator_a)
    assert services.open_consultation(thread_a, by=moderator_a) == first
    services.add_internal_note(first, author=expert, body="Dette må **jurist** se på.")
    assert "<strong>jurist</strong>" in first.notes.get().body_html
    assert AuditEntry.objects.filter(action="open_consultation").count() == 1
    # The back-office is told of the opening and of the note (never the writer), the
    # moderator of the note; nobody else.
    told = Notification.objects.values_list("recipient_id", "kind")
    assert sorted(told) == sorted([
        (expert.pk, notices.CONSULTATION_OPENED), (moderator_a.pk, notices.CONSULTATION_NOTE),
    ])  # fmt: skip


def test_escalating_twice_with_one_key_makes_one_escalation(
    thread_a, moderator_a, department, department_contact
):
    key = uuid.uuid4()
    kwargs = {
        "by": moderator_a,
        "department": department,
        "category": Escalation.Category.REGULATION_EFFECT,
        "summary": "Regelen slår urimelig ut",
        "submission_key": key,
    }
    first = services.escalate_thread(thread_a, **kwargs)
    second = services.escalate_thread(thread_a, **kwargs)
    assert first == second and Escalation.objects.count() == 1
    assert AuditEntry.objects.filter(action="escalate_thread").count() == 1
    assert Notification.objects.filter(recipient=department_contact).count() == 1


def test_only_a_directorate_department_can_receive_an_escalation(thread_a, moderator_a, unit):
    with pytest.raises(ValidationError):
        services.escalate_thread(
            thread_a, by=moderator_a, department=unit, category="routine", summary="x"
        )


@pytest.fixture
def broken_audit_log(monkeypatch):
    """The escalation services' audit writer fails, as a log that is down would."""

    def broken(*args, **kwargs):
        raise RuntimeError("the log is down")

    monkeypatch.setattr(escalation_services, "record_thread_audit", broken)


def test_an_escalation_is_all_or_nothing(thread_a, moderator_a, department, broken_audit_log):
    with pytest.raises(RuntimeError):
        services.escalate_thread(
            thread_a, by=moderator_a, department=department, category="routine", summary="x"
        )
    assert not Escalation.objects.exists()


def test_escalation_moves_through_its_statuses_and_the_answer_lands_in_the_thread(
    thread_a, moderator_a, department, department_contact, author
):
    escalation = services.escalate_thread(
        thread_a,
        by=moderator_a,
        department=department,
        category="principled",
        summary="Hva gjelder?",
    )
    services.set_escalation_status(escalation, by=department_contact, status="in_progress")
    escalation.refresh_from_db()
    assert escalation.status == "in_progress" and escalation.in_progress_at
    services.answer_escalation(escalation, by=department_contact, body="Avdelingen mener dette.")
    escalation.refresh_from_db()
    answer = escalation.answer_post
    assert escalation.status == "answered" and escalation.answered_at
    assert answer.kind == Post.Kind.DEPARTMENT_ANSWER and answer.thread == thread_a
    assert answer.author == department_contact
    services.set_escalation_status(escalation, by=department_contact, status="closed")
    escalation.refresh_from_db()
    assert escalation.status == "closed" and escalation.closed_at
    actions = list(
        AuditEntry.objects.filter(thread=thread_a).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "escalate_thread",
        "escalation_status",
        "answer_escalation",
        "escalation_status",
    ]
    assert Notification.objects.filter(recipient=author).exists()


def test_escalation_status_cannot_go_backwards_or_skip_the_answer(
    thread_a, moderator_a, department, department_contact
):
    escalation = services.escalate_thread(
        thread_a, by=moderator_a, department=department, category="routine", summary="x"
    )
    with pytest.raises(ValidationError):
        services.set_escalation_status(escalation, by=department_contact, status="answered")
    with pytest.raises(ValidationError):  # closing unanswered needs a reason
        services.set_escalation_status(escalation, by=department_contact, status="closed")
    services.set_escalation_status(
        escalation, by=department_contact, status="closed", reason="Besvart i rundskriv"
    )
    with pytest.raises(ValidationError):
        services.set_escalation_status(escalation, by=department_contact, status="in_progress")
    with pytest.raises(ValidationError):
        services.answer_escalation(escalation, by=department_contact, body="For sent")


def test_a_status_change_is_all_or_nothing(
    thread_a, moderator_a, department, department_contact, request
):
    escalation = services.escalate_thread(
        thread_a, by=moderator_a, department=department, category="routine", summary="x"
    )
    request.getfixturevalue("broken_audit_log")
    with pytest.raises(RuntimeError):
        services.set_escalation_status(escalation, by=department_contact, status="in_progress")
    escalation.refresh_from_db()
    assert escalation.status == "received" and escalation.in_progress_at is None


def test_a_department_answers_even_a_locked_thread(
    thread_a, moderator_a, department, department_contact
):
    escalation = services.escalate_thread(
        thread_a, by=moderator_a, department=department, category="routine", summary="x"
    )
    services.lock_thread(thread_a, by=moderator_a)
    services.answer_escalation(escalation, by=department_contact, body="Svar.")
    assert thread_a.posts.filter(kind=Post.Kind.DEPARTMENT_ANSWER).exists()


def test_notifications_are_marked_read(post_a, moderator_a, employee):
    services.hide_post(post_a, by=moderator_a, reason="x")
    make_post(post_a.thread, employee)
    assert services.mark_notifications_read(employee) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_every_service_that_changes_state_names_the_rule_its_caller_checked():
    """The package's convention (Zulip's do_* style): the docstring says which check_* ran."""
    not_actions = {
        "record_audit",  # the audit writer, called by the services themselves
        "record_post_audit",
        "staffing_errors",  # rules in words, for the admin's forms
        "staffing_problems",
        "back_office_member_errors",
    }
    for name in services.__all__:
        function = getattr(services, name)
        if not callable(function) or name in not_actions:
            continue
        assert "Caller checked:" in (function.__doc__ or ""), name
