"""Watching and the fan-out: who is told of a new post, set-based and idempotent."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from forum.notifications import kinds, services
from forum.notifications.models import Level, Notification, OutboxMail, Preference, Watch
from tests.notifications.conftest import reply, start

pytestmark = pytest.mark.usefixtures("no_interval")


def told(kind: str | None = None) -> set[int]:
    qs = Notification.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient_id", flat=True))


@pytest.fixture
def people(make_employee):
    return {name: make_employee(name) for name in ("Kari", "Ola", "Per", "Liv")}


def staff(make_topic) -> set[int]:
    return {make_topic.staff["moderator"].pk, make_topic.staff["expert"].pk}


def test_a_reply_tells_the_thread_author_and_the_threads_watchers(topic, people, make_topic):
    kari, ola, per, liv = people.values()
    thread = start(topic, kari)
    services.set_watch(per, level=Level.WATCHING, thread=thread)
    reply(thread, ola)
    assert told(kinds.REPLY) == {kari.pk}
    assert told(kinds.NEW_POST) == {per.pk} | staff(make_topic)  # staff watch by default
    assert liv.pk not in told()  # at normal, not addressed


def test_starting_and_replying_watch_the_thread_unless_turned_off(topic, people):
    kari, ola, per, _liv = people.values()
    services.save_preference(per, auto_watch=False)
    thread = start(topic, kari)
    reply(thread, ola)
    reply(thread, per)
    levels = dict(Watch.objects.filter(thread=thread).values_list("employee_id", "level"))
    assert levels == {kari.pk: Level.WATCHING, ola.pk: Level.WATCHING}
    # Ola watches now, so Per's reply tells him; Per (auto-watch off) is not told of Ola's.
    assert Notification.objects.filter(recipient=ola, kind=kinds.NEW_POST).count() == 1
    assert not Notification.objects.filter(recipient=per).exists()


def test_a_muted_thread_stays_silent_even_for_its_author(topic, people):
    kari, ola, *_ = people.values()
    thread = start(topic, kari)
    services.set_watch(kari, level=Level.MUTED, thread=thread)
    reply(thread, ola)
    assert not Notification.objects.filter(recipient=kari).exists()


def test_at_normal_the_author_hears_only_of_replies(topic, people, make_topic):
    kari, ola, *_ = people.values()
    thread = start(topic, kari)
    services.set_watch(kari, level=Level.NORMAL, thread=thread)
    reply(thread, ola)
    assert told(kinds.REPLY) == {kari.pk} and kari.pk not in told(kinds.NEW_POST)


def test_a_topic_watch_covers_subtopics_and_the_nearest_watch_wins(make_topic, people):
    kari, ola, per, liv = people.values()
    parent = make_topic("Ytelser")
    child = make_topic("Dagpenger", parent=parent)
    services.set_watch(per, level=Level.WATCHING, topic=parent)
    services.set_watch(liv, level=Level.WATCHING, topic=parent)
    services.set_watch(liv, level=Level.MUTED, topic=child)  # nearer: wins
    thread = start(child, kari)
    assert told(kinds.NEW_THREAD) >= {per.pk} and liv.pk not in told()
    services.set_watch(per, level=Level.MUTED, thread=thread)  # a thread's wins over a topic's
    reply(thread, ola)
    assert per.pk not in told(kinds.NEW_POST)


def test_a_topics_staff_watch_it_by_default(make_topic, people):
    kari, ola, *_ = people.values()
    topic = make_topic("Arbeid")
    moderator, expert = make_topic.staff["moderator"], make_topic.staff["expert"]
    thread = start(topic, kari)
    assert told(kinds.NEW_THREAD) == {moderator.pk, expert.pk}
    services.set_watch(expert, level=Level.NORMAL, topic=topic)  # they can opt out
    reply(thread, ola)
    assert told(kinds.NEW_POST) == {moderator.pk}


def test_the_fan_out_runs_twice_and_tells_nobody_twice(topic, people):
    kari, ola, per, _ = people.values()
    thread = start(topic, kari)
    services.set_watch(per, level=Level.WATCHING, thread=thread)
    post = reply(thread, ola)
    before = Notification.objects.count(), OutboxMail.objects.count()
    assert services.fan_out_post(post.pk) == (0, 0)
    assert (Notification.objects.count(), OutboxMail.objects.count()) == before


def test_immediate_mails_are_queued_with_the_notification_per_preference(topic, people):
    kari, ola, per, liv = people.values()
    thread = start(topic, kari)
    for person in (per, liv):
        services.set_watch(person, level=Level.WATCHING, thread=thread)
    services.save_preference(liv, mail_watched="immediately")
    services.save_preference(kari, mail_addressed="never")
    reply(thread, ola)
    # Kari: addressed but chose never; Per: watched, daily by default; Liv: at once.
    assert set(OutboxMail.objects.values_list("recipient_id", flat=True)) == {liv.pk}


def test_notify_skips_the_actor_and_muted_threads(topic, people):
    kari, ola, per, _ = people.values()
    thread = start(topic, kari)
    services.set_watch(per, level=Level.MUTED, thread=thread)
    count = services.notify([kari.pk, ola.pk, per.pk], kinds.SOLVED, actor=ola, thread=thread)
    assert count == 1 and told() >= {kari.pk} and per.pk not in told(kinds.SOLVED)


# Leaks: nothing hidden is ever told --------------------------------------------------------


def test_a_hidden_post_is_told_to_nobody(topic, people):
    from moderation import services as moderation_services

    kari, ola, per, _ = people.values()
    thread = start(topic, kari)
    services.set_watch(per, level=Level.WATCHING, thread=thread)
    from forum import services as forum_services

    post = forum_services.post_reply(thread, author=ola, body="Noe som skjules")
    moderation_services.hide_post(post, by=topic.moderator, reason="Ufint")
    Notification.objects.all().delete()
    assert services.fan_out_post(post.pk) == (0, 0)


def test_a_draft_topic_tells_only_its_staff(make_topic, people):
    kari, *_ = people.values()
    draft = make_topic("Utkast", published=False)
    moderator = make_topic.staff["moderator"]
    services.set_watch(kari, level=Level.WATCHING, topic=draft)  # before it was a draft
    start(draft, moderator, title="Forberedelse")
    assert kari.pk not in told()


def test_reading_marks_read(topic, people):
    kari, ola, *_ = people.values()
    thread = start(topic, kari)
    reply(thread, ola)
    reply(thread, ola, "Enda et svar")
    assert services.mark_read(kari) == 2
    assert not Notification.objects.filter(recipient=kari, read_at__isnull=True).exists()


# Rules on every path: the service refuses, and so does PostgreSQL -------------------------


def test_set_watch_refuses_an_unknown_level_and_so_does_the_database(topic, people):
    kari = people["Kari"]
    with pytest.raises(ValidationError):
        services.set_watch(kari, level="loud", topic=topic)
    watch = services.set_watch(kari, level=Level.WATCHING, topic=topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.filter(pk=watch.pk).update(level="loud")


def test_a_watch_is_on_a_thread_or_a_topic_never_both(topic, people):
    kari = people["Kari"]
    thread = start(topic, kari)
    with pytest.raises(ValidationError):
        services.set_watch(kari, level=Level.WATCHING, thread=thread, topic=topic)
    watch = services.set_watch(kari, level=Level.WATCHING, topic=topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.filter(pk=watch.pk).update(thread=thread)


def test_one_watch_per_person_and_thread(topic, people):
    kari = people["Kari"]
    thread = start(topic, kari)  # auto-watch made one
    services.set_watch(kari, level=Level.MUTED, thread=thread)
    assert Watch.objects.get(employee=kari, thread=thread).level == Level.MUTED
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Watch._meta.db_table} (employee_id, thread_id, level, created_at)"
            " VALUES (%s, %s, 'normal', now())",
            [kari.pk, thread.pk],
        )


def test_a_post_is_told_once_per_person_and_kind(topic, people):
    kari, ola, *_ = people.values()
    thread = start(topic, kari)
    post = reply(thread, ola)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=kari, kind=kinds.REPLY, thread=thread, post=post)


def test_preferences_refuse_an_unknown_frequency_and_so_does_the_database(people):
    kari = people["Kari"]
    with pytest.raises(ValidationError):
        services.save_preference(kari, mail_watched="hourly")
    services.save_preference(kari, mail_watched="weekly")
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.filter(employee=kari).update(mail_watched="hourly")


def test_the_unsubscribe_token_is_signed(people):
    kari = people["Kari"]
    token = services.unsubscribe_token(kari, kinds.WATCHED)
    assert services.read_unsubscribe_token(token) == (kari.pk, kinds.WATCHED)
    with pytest.raises(ValidationError):
        services.read_unsubscribe_token(token[:-2] + "xx")
    services.unsubscribe(token)
    assert Preference.objects.get(employee=kari).mail_watched == "never"
