"""E-mail against a real SMTP server (aiosmtpd): immediate mails, retries with back-off,
the digest, the unsubscribe link and header."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from forum.notifications import kinds, mail, services
from forum.notifications.models import Level, OutboxMail, Preference
from moderation import services as moderation_services
from tests.notifications.conftest import reply, start

pytestmark = pytest.mark.usefixtures("no_interval")


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_reply_mails_the_thread_author_at_once_in_her_language(smtp, topic, kari, ola):
    services.save_preference(kari, language="en")
    thread = start(topic, kari, title="Refusjon")
    reply(thread, ola)
    counts = mail.deliver_due()
    assert counts["sent"] == 1
    (message,) = smtp.messages
    assert message["To"] == kari.email
    assert message["Subject"] == "1 new reply to your thread “Refusjon”"
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/varsler/avmeld/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/trad/{thread.pk}/" in body_of(message)
    assert OutboxMail.objects.get().sent_at is not None
    assert mail.deliver_due()["sent"] == 0  # never twice


def test_the_unsubscribe_link_in_a_mail_works_with_one_click(smtp, topic, kari, ola):
    thread = start(topic, kari)
    reply(thread, ola)
    mail.deliver_due()
    link = smtp.messages[0]["List-Unsubscribe"].strip().strip("<>")
    response = Client(enforce_csrf_checks=True).post(urlparse(link).path)
    assert response.status_code == 200
    assert Preference.objects.get(employee=kari).mail_addressed == "never"
    reply(thread, ola, "Et svar til")
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()  # nothing queued


def test_a_refused_mail_is_retried_with_back_off_and_sent_once(smtp, topic, kari, ola):
    thread = start(topic, kari)
    reply(thread, ola)
    smtp.refuse = 2
    first = mail.deliver_due()
    assert first["failed"] == 1 and smtp.messages == []
    row = OutboxMail.objects.get()
    assert row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at >= timezone.now() + timedelta(seconds=25)
    assert mail.deliver_due()["sent"] == 0  # not due yet
    later = row.next_attempt_at + timedelta(seconds=1)
    assert mail.deliver_due(now=later)["failed"] == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=50)  # doubled
    assert mail.deliver_due(now=row.next_attempt_at)["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_mail_that_keeps_failing_is_given_up(smtp, topic, kari, ola):
    thread = start(topic, kari)
    reply(thread, ola)
    smtp.refuse = mail.MAX_ATTEMPTS
    far = timezone.now() + timedelta(days=1)
    for _attempt in range(mail.MAX_ATTEMPTS):
        mail.deliver_due(now=far)
    row = OutboxMail.objects.get()
    assert row.failed_at is not None and row.sent_at is None and smtp.messages == []


def test_a_post_hidden_before_the_mail_goes_is_not_mailed(smtp, topic, kari, ola):
    thread = start(topic, kari)
    post = reply(thread, ola, "Noe ufint")
    moderation_services.hide_post(post, by=topic.moderator, reason="Ufint")
    counts = mail.deliver_due()
    # Ola is told (at once) that his post was hidden; Kari hears nothing of the hidden reply.
    assert [m["To"] for m in smtp.messages] == [ola.email]
    assert counts["skipped"] == 1


def test_the_daily_digest_lists_what_i_watch_and_goes_once(smtp, topic, kari, ola, make_employee):
    per = make_employee("Per Hansen")
    services.save_preference(per, language="en")
    thread = start(topic, kari, title="Ferieavvikling")
    services.set_watch(per, level=Level.WATCHING, thread=thread)
    reply(thread, ola)
    reply(thread, make_employee("Liv"), "Enda et svar")
    end = timezone.now() + timedelta(seconds=1)
    assert mail.queue_digests("daily", end=end) >= 1
    assert mail.queue_digests("daily", end=end) == 0  # once per day
    mail.deliver_due(now=end)
    digests = [m for m in smtp.messages if m["To"] == per.email]
    assert len(digests) == 1
    text = body_of(digests[0])
    assert digests[0]["Subject"] == "Your daily digest from Erfaringsforum"
    assert "2 new replies in “Ferieavvikling”" in text
    assert "/varsler/avmeld/" in text and digests[0]["List-Unsubscribe"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_fans_out_and_mails(smtp, topic, kari, ola):
    """The request only enqueues (after its commit); the worker (django-tasks' db_worker,
    run in batch mode here) fans out and mails."""
    from django.core.management import call_command

    from forum import services as forum_services

    thread = forum_services.start_thread(topic, author=kari, title="Via arbeideren", body="?")
    forum_services.post_reply(thread, author=ola, body="Svar via køen")
    assert not kari.notifications.exists()  # nothing told in the request
    call_command("notify_worker", batch=True, verbosity=0)
    assert [m["To"] for m in smtp.messages] == [kari.email]
    assert kinds.REPLY in set(kari.notifications.values_list("kind", flat=True))
