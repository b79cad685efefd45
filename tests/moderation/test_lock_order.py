"""Every moderation service locks rows in the one order of erfaringsforum.transactions, and
retries a transaction that PostgreSQL ended with a deadlock (issue 13)."""

import datetime
import uuid

import pytest
from django.db import OperationalError, connection

from erfaringsforum.transactions import atomic_with_retry
from moderation import services
from moderation.models import Escalation, InternalNote
from tests.lock_order import locked_tables, recorded_locks, violations


def test_the_recorder_reads_the_locks_of_each_kind_of_statement():
    assert locked_tables(
        'SELECT "a"."id" FROM "forum_thread" a FOR NO KEY UPDATE OF "forum_thread"'
    ) == ["forum_thread"]
    assert locked_tables(
        'SELECT 1 FROM "forum_post" INNER JOIN "forum_thread" ON 1=1 FOR UPDATE'
    ) == ["forum_post", "forum_thread"]
    assert locked_tables('UPDATE "forum_topic" SET x = 1') == ["forum_topic"]
    assert locked_tables("SELECT pg_advisory_xact_lock(1, 2)") == ["author"]
    assert locked_tables('INSERT INTO "forum_post" VALUES (1)') == []
    assert violations(["forum_thread", "forum_post", "forum_thread", "forum_topic"]) == []
    assert violations(["forum_topic", "forum_thread"]) == ["forum_thread after forum_topic"]
    assert violations(["moderation_report", "forum_topic"]) == [
        "forum_topic after moderation_report"
    ]


def _escalation(c):
    return services.escalate_thread(
        c["thread"], by=c["moderator"], department=c["department"],
        category=Escalation.Category.choices[0][0], summary="Prinsipielt.",
    )  # fmt: skip


# Each entry prepares what the service needs (not recorded) and returns the one service
# call whose locks are recorded: in a request each service is its own transaction.
ACTIONS = {
    "hide_post": lambda c: lambda: services.hide_post(c["post"], by=c["moderator"], reason="Feil"),
    "unhide_post": lambda c: (
        services.hide_post(c["post"], by=c["moderator"], reason="Feil"),
        lambda: services.unhide_post(c["post"], by=c["moderator"]),
    )[1],
    "edit_post_as_moderator": lambda c: (
        lambda: services.edit_post_as_moderator(
            c["post"], by=c["moderator"], body="Rettet tekst.", reason="Presisering"
        )
    ),
    "lock_thread": lambda c: lambda: services.lock_thread(c["thread"], by=c["moderator"]),
    "pin_thread": lambda c: lambda: services.pin_thread(c["thread"], by=c["moderator"]),
    "move_thread": lambda c: (
        lambda: services.move_thread(c["thread"], by=c["admin"], to_topic=c["other_topic"])
    ),
    "clarify_post": lambda c: (
        lambda: services.clarify_post(
            c["post"], by=c["expert"], review_by=datetime.date.today() + datetime.timedelta(days=9)
        )
    ),
    "report_post": lambda c: (
        lambda: services.report_post(c["post"], reporter=c["author"], reason="Feil")
    ),
    "dismiss_report": lambda c: (
        lambda report: lambda: services.dismiss_report(report, by=c["moderator"])
    )(services.report_post(c["post"], reporter=c["author"], reason="Feil")),
    "open_consultation": lambda c: (
        lambda: services.open_consultation(c["thread"], by=c["moderator"])
    ),
    "add_internal_note": lambda c: (
        lambda consultation: (
            lambda: services.add_internal_note(consultation, author=c["expert"], body="Notat")
        )
    )(services.open_consultation(c["thread"], by=c["moderator"])),
    "escalate_thread": lambda c: lambda: _escalation(c),
    "set_escalation_status": lambda c: (
        lambda escalation: (
            lambda: services.set_escalation_status(
                escalation, by=c["contact"], status=Escalation.Status.IN_PROGRESS
            )
        )
    )(_escalation(c)),
    "answer_escalation": lambda c: (
        lambda escalation: (
            lambda: services.answer_escalation(
                escalation, by=c["contact"], body="Svar fra fagavdelingen."
            )
        )
    )(_escalation(c)),
}


@pytest.fixture
def cast(topic_a, topic_b, thread_a, post_a, moderator_a, expert, author, admin_user,
         department, department_contact):  # fmt: skip
    return {
        "thread": thread_a, "post": post_a, "moderator": moderator_a, "expert": expert,
        "author": author, "admin": admin_user, "other_topic": topic_b,
        "department": department, "contact": department_contact,
    }  # fmt: skip


# These write new rows only, which lock nothing another transaction could wait for.
INSERTS_ONLY = {"report_post", "add_internal_note"}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_moderation_service_locks_in_the_documented_order(cast, action):
    call = ACTIONS[action](cast)
    with recorded_locks() as tables:
        call()
    assert tables or action in INSERTS_ONLY, "the service locked nothing"
    assert violations(tables) == [], tables


def test_a_transaction_ended_by_a_deadlock_runs_again(transactional_db):
    attempts = []

    @atomic_with_retry
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            with connection.cursor() as cursor:  # a real 40P01 from PostgreSQL
                cursor.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$"
                )
        return "done"

    assert flaky() == "done"
    assert len(attempts) == 3


def test_other_database_errors_are_not_retried(transactional_db):
    attempts = []

    @atomic_with_retry
    def broken() -> None:
        attempts.append(1)
        with connection.cursor() as cursor:
            cursor.execute("DO $$ BEGIN RAISE EXCEPTION 'nope' USING ERRCODE = '57014'; END $$")

    with pytest.raises(OperationalError):
        broken()
    assert len(attempts) == 1


def test_a_consultation_note_sent_twice_is_stored_once(thread_a, moderator_a, expert):
    """Double-submitting the note form made two notes (issue 13, finding 8)."""
    consultation = services.open_consultation(thread_a, by=moderator_a)
    key = uuid.uuid4()
    first = services.add_internal_note(
        consultation, author=expert, body="Notat", submission_key=key
    )
    again = services.add_internal_note(
        consultation, author=expert, body="Notat", submission_key=key
    )
    assert first.pk == again.pk
    assert InternalNote.objects.filter(consultation=consultation).count() == 1


def test_a_department_answer_sent_twice_succeeds_once_and_quietly(
    thread_a, moderator_a, department, department_contact
):
    """The second click of a double-clicked answer was told the answer failed (a 400 page)
    although the first was saved (issue 13, finding 8)."""
    escalation = services.escalate_thread(
        thread_a, by=moderator_a, department=department,
        category=Escalation.Category.choices[0][0], summary="Prinsipielt.",
    )  # fmt: skip
    key = uuid.uuid4()
    services.answer_escalation(escalation, by=department_contact, body="Svar.", submission_key=key)
    again = services.answer_escalation(
        escalation, by=department_contact, body="Svar.", submission_key=key
    )
    assert again.status == Escalation.Status.ANSWERED
    assert thread_a.posts.filter(kind="department_answer").count() == 1
    with pytest.raises(Exception, match="already been answered"):
        services.answer_escalation(escalation, by=department_contact, body="Svar.")
