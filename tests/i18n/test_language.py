"""Bokmål first: the language is the reader's choice (the language cookie) or bokmål, never
the browser's; confirmations are translated when read; English dates cannot be misread."""

import datetime

from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import client_for
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)

OSLO = datetime.timezone(datetime.timedelta(hours=1))


def lang_of(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_bokmal(db):
    for accept in ("en-US,en;q=0.9", "en-GB", "en", "de-DE,en;q=0.5"):
        response = Client(HTTP_ACCEPT_LANGUAGE=accept).get(reverse("accounts:login"))
        assert lang_of(response) == "nb", accept
        assert response["Content-Language"] == "nb"
        assert "Logg inn" in response.content.decode()


def test_english_only_when_chosen_and_the_choice_is_remembered(employee):
    client = client_for(employee)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60  # remembered, not for the session
    response = client.get(reverse("forum:home"), HTTP_ACCEPT_LANGUAGE="nb-NO")
    assert lang_of(response) == "en" and response["Content-Language"] == "en"
    assert "Cookie" in response["Vary"]


def test_an_unknown_language_in_the_cookie_falls_back_to_bokmal(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert lang_of(client.get(reverse("accounts:login"))) == "nb"


def test_a_confirmation_is_shown_in_the_language_of_the_reader_when_read(thread_a, moderator_a):
    client = client_for(moderator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.post(reverse("moderation:lock-thread", args=[thread_a.pk]), {"reason": ""})
    assert response.status_code == 302
    # The reader switches to English before the next page: the confirmation follows.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(response["Location"]).content.decode()
    assert "The thread is locked." in html and "Tråden er låst." not in html


def test_a_confirmation_read_in_bokmal_is_bokmal(thread_a, moderator_a):
    client = client_for(moderator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("moderation:lock-thread", args=[thread_a.pk]), {"reason": ""})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = client.get(response["Location"]).content.decode()
    with translation.override("nb"):
        locked = translation.gettext("The thread is locked.")
    assert locked != "The thread is locked." and locked in html


def render(template: str, value) -> str:
    return Template("{% load forum_tags %}" + template).render(Context({"value": value}))


def test_english_dates_are_unambiguous_and_bokmal_dates_are_norwegian():
    moment = datetime.datetime(2026, 12, 1, 14, 5, tzinfo=OSLO)
    with translation.override("en"), timezone.override("Europe/Oslo"):
        assert render('{{ value|date:"SHORT_DATE_FORMAT" }}', moment) == "1 Dec 2026"
        assert render('{{ value|date:"SHORT_DATETIME_FORMAT" }}', moment) == "1 Dec 2026, 14:05"
        assert render('{{ value|date:"DATE_FORMAT" }}', moment) == "1 December 2026"
        assert ">1 Dec 2026, 14:05</time>" in render("{% timestamp value %}", moment)
    with translation.override("nb"), timezone.override("Europe/Oslo"):
        assert render('{{ value|date:"SHORT_DATE_FORMAT" }}', moment) == "01.12.2026"
        assert ">01.12.2026 14:05</time>" in render("{% timestamp value %}", moment)


def test_tables_show_iso_dates_in_both_languages(topic_a, moderator_a, thread_a):
    from moderation import services

    services.lock_thread(thread_a, by=moderator_a, reason="")
    entry_day = timezone.localdate().isoformat()
    for language in ("nb", "en"):
        client = client_for(moderator_a)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(reverse("moderation:audit-log")).content.decode()
        assert f"<td>{entry_day} " in html, language
