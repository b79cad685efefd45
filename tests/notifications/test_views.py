"""The notification list, its links and read marks, the watch pages, settings and the
unsubscribe page; every path that could tell what is hidden."""

import pytest
from django.urls import reverse
from django.utils import translation

from forum.notifications import kinds, services
from forum.notifications.models import Level, Notification, Preference
from moderation import services as moderation_services
from tests.conftest import client_for
from tests.notifications.conftest import reply, start

pytestmark = pytest.mark.usefixtures("no_interval")

BASE = 3  # session, employee, header counts


def list_html(user) -> str:
    return client_for(user).get(reverse("notifications:list")).content.decode()


def test_the_list_groups_replies_by_thread_newest_first(
    topic, kari, ola, django_assert_num_queries
):
    thread = start(topic, kari, title="Refusjon ved ferie")
    for n in range(3):
        reply(thread, ola, f"Svar {n}")
    other = start(topic, kari, title="Nytt skjema")
    reply(other, ola)
    client = client_for(kari)
    # session, employee with grants and header counts, the list (nothing per group)
    with django_assert_num_queries(BASE + 1):
        response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert "3 new replies to your thread “Refusjon ved ferie”" in html or "3 nye svar" in html
    assert html.index("Nytt skjema") < html.index("Refusjon ved ferie")


def test_the_list_is_pinned_at_the_same_queries_whatever_it_holds(
    topic, kari, ola, make_employee, django_assert_num_queries
):
    thread = start(topic, kari)
    for n in range(12):
        reply(thread, make_employee(f"Svarer {n}"), f"Svar {n}")
    client = client_for(kari)
    with django_assert_num_queries(BASE + 1):
        client.get(reverse("notifications:list"))


def test_the_text_is_in_the_readers_language(topic, kari, ola):
    thread = start(topic, kari, title="Ferie")
    reply(thread, ola)
    client = client_for(kari)
    client.cookies["django_language"] = "en"
    assert (
        "1 new reply to your thread “Ferie”"
        in client.get(reverse("notifications:list")).content.decode()
    )
    client.cookies["django_language"] = "nb"
    html = client.get(reverse("notifications:list")).content.decode()
    with translation.override("nb"):
        expected = kinds.get(kinds.REPLY).text(None, 1, "Ferie")
    assert expected in html and "new reply" not in html


def test_following_a_notification_marks_its_group_read_and_leads_to_the_first_unread_post(
    topic, kari, ola
):
    thread = start(topic, kari)
    first = reply(thread, ola, "Første")
    reply(thread, ola, "Andre")
    client = client_for(kari)
    newest = Notification.objects.filter(recipient=kari).order_by("-id").first()
    response = client.get(reverse("notifications:open", args=[newest.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#p{first.position}")
    assert not Notification.objects.filter(recipient=kari, read_at__isnull=True).exists()


def test_mark_one_group_or_all_read(topic, kari, ola):
    a = start(topic, kari, title="A")
    b = start(topic, kari, title="B")
    reply(a, ola)
    reply(b, ola)
    one = Notification.objects.get(recipient=kari, thread=a)
    client = client_for(kari)
    assert client.post(reverse("notifications:mark-read"), {"ids": str(one.pk)}).status_code == 302
    assert list(Notification.objects.filter(recipient=kari, read_at__isnull=True)) == [
        Notification.objects.get(recipient=kari, thread=b)
    ]
    client.post(reverse("notifications:mark-read"))
    assert not Notification.objects.filter(recipient=kari, read_at__isnull=True).exists()
    assert client.post(reverse("notifications:mark-read"), {"ids": "1,x"}).status_code == 400


def test_the_header_shows_the_unread_count(topic, kari, ola):
    thread = start(topic, kari)
    reply(thread, ola)
    reply(thread, ola, "Enda et")
    html = list_html(kari)
    assert f'href="{reverse("notifications:list")}"' in html
    assert '<span class="count">(2)</span>' in html


def test_someone_elses_notification_is_404(topic, kari, ola):
    thread = start(topic, kari)
    reply(thread, ola)
    notice = Notification.objects.get(recipient=kari)
    assert client_for(ola).get(reverse("notifications:open", args=[notice.pk])).status_code == 404


# Leaks ---------------------------------------------------------------------------------------


def test_a_notification_whose_post_is_hidden_afterwards_disappears(topic, kari, ola):
    thread = start(topic, kari, title="Skjult svar")
    post = reply(thread, ola, "Noe ufint")
    moderation_services.hide_post(post, by=topic.moderator, reason="Ufint")
    html = list_html(kari)
    assert "Skjult svar" not in html
    assert '<span class="count">' not in html  # the bell counts it no more
    notice = Notification.objects.get(recipient=kari, kind=kinds.REPLY)
    assert client_for(kari).get(reverse("notifications:open", args=[notice.pk])).status_code == 404


def test_the_author_is_told_their_post_was_hidden(topic, kari, ola):
    thread = start(topic, kari)
    post = reply(thread, ola)
    moderation_services.hide_post(post, by=topic.moderator, reason="Personopplysninger")
    client = client_for(ola)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("notifications:list")).content.decode()
    assert "A moderator hid your post" in html and "Personopplysninger" in html


def test_a_thread_moved_into_a_draft_topic_disappears_from_the_list(make_topic, topic, kari, ola):
    thread = start(topic, kari, title="Flyttet tråd")
    reply(thread, ola)
    draft = make_topic("Utkast", published=False)
    from forum.models import Thread

    Thread.objects.filter(pk=thread.pk).update(topic=draft)  # a path around the move service
    html = list_html(kari)
    assert "Flyttet tråd" not in html and '<span class="count">' not in html


def test_a_muted_thread_tells_nothing(topic, kari, ola):
    thread = start(topic, kari, title="Stille")
    services.set_watch(kari, level=Level.MUTED, thread=thread)
    reply(thread, ola)
    assert "Stille" not in list_html(kari)


def test_consultation_notices_reach_only_the_topics_staff(topic, make_topic, kari):
    thread = start(topic, kari, title="Vurdering")
    moderator, expert = make_topic.staff["moderator"], make_topic.staff["expert"]
    consultation = moderation_services.open_consultation(thread, by=moderator)
    moderation_services.add_internal_note(consultation, author=expert, body="Hemmelig")
    assert not Notification.objects.filter(recipient=kari).exclude(kind__in=[kinds.REPLY]).exists()
    assert "Vurdering" in list_html(expert)
    assert "Hemmelig" not in list_html(moderator)
    # Someone who leaves the staff no longer sees it (a stray row, as a raw insert would make)
    Notification.objects.create(recipient=kari, kind="consultation_note", thread=thread, params={})
    assert "consultation" not in list_html(kari) and "høring" not in list_html(kari)


def test_a_draft_topics_notice_is_not_shown_to_an_outsider(make_topic, kari):
    draft = make_topic("Utkast", published=False)
    moderator = make_topic.staff["moderator"]
    thread = start(draft, moderator, title="Hemmelig plan")
    Notification.objects.create(recipient=kari, kind=kinds.NEW_THREAD, thread=thread,
                                post=thread.posts.get(position=1))  # fmt: skip
    assert "Hemmelig plan" not in list_html(kari)


# Watching pages --------------------------------------------------------------------------------


def test_watch_a_thread_and_change_it_from_what_i_watch(topic, kari, ola):
    thread = start(topic, ola, title="Følges")
    client = client_for(kari)
    url = reverse("notifications:watch-thread", args=[thread.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"level": "watching"}).status_code == 302
    assert "Følges" in client.get(reverse("notifications:watches")).content.decode()
    client.post(url, {"level": "stop"})
    assert not kari.watches.exists()
    response = client.post(url, {"level": "loud"})
    assert response.status_code == 400


def test_a_topic_can_be_watched(topic, kari):
    client = client_for(kari)
    url = reverse("notifications:watch-topic", args=[topic.slug])
    client.post(url, {"level": "watching"})
    assert kari.watches.get().topic == topic


def test_an_invisible_thread_or_topic_cannot_be_watched(make_topic, kari):
    draft = make_topic("Utkast", published=False)
    moderator = make_topic.staff["moderator"]
    thread = start(draft, moderator)
    client = client_for(kari)
    assert client.get(reverse("notifications:watch-thread", args=[thread.pk])).status_code == 404
    assert client.post(reverse("notifications:watch-topic", args=[draft.slug]),
                       {"level": "watching"}).status_code == 404  # fmt: skip


def test_the_watch_pages_pin_their_queries(topic, kari, django_assert_num_queries):
    thread = start(topic, kari)
    client = client_for(kari)
    with django_assert_num_queries(BASE + 2):  # thread with topic, the watch
        client.get(reverse("notifications:watch-thread", args=[thread.pk]))
    with django_assert_num_queries(BASE + 1):  # the watches with threads and topics
        client.get(reverse("notifications:watches"))


def test_settings_are_saved_and_a_bad_choice_keeps_the_form(kari):
    client = client_for(kari)
    url = reverse("notifications:settings")
    assert client.get(url).status_code == 200
    data = {"auto_watch": "on", "language": "en", "mail_addressed": "daily",
            "mail_watched": "weekly", "mail_staff": "never"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    saved = Preference.objects.get(employee=kari)
    assert (saved.language, saved.mail_addressed, saved.mail_watched) == ("en", "daily", "weekly")
    response = client.post(url, {**data, "mail_watched": "hourly"})
    assert response.status_code == 400
    assert 'value="weekly"' in response.content.decode()


def test_unsubscribe_works_without_logging_in(kari):
    from django.test import Client

    token = services.unsubscribe_token(kari, kinds.WATCHED)
    url = reverse("notifications:unsubscribe", args=[token])
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200
    assert not Preference.objects.filter(employee=kari).exists()  # GET changes nothing
    assert client.post(url).status_code == 200
    assert Preference.objects.get(employee=kari).mail_watched == "never"
    bad = reverse("notifications:unsubscribe", args=[token[:-3] + "abc"])
    assert client.get(bad).status_code == 400
    assert client.post(bad).status_code == 400


def test_a_thread_whose_opening_post_is_hidden_is_named_neutrally(topic, kari, ola, make_employee):
    thread = start(topic, kari, title="Navn og fødselsnummer")
    services.set_watch(ola, level=Level.WATCHING, thread=thread)
    reply(thread, make_employee("Per"))
    moderation_services.hide_post(thread.posts.get(position=1), by=topic.moderator, reason="x")
    client = client_for(ola)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("notifications:list")).content.decode()
    assert "fødselsnummer" not in html and "Thread hidden by a moderator" in html
