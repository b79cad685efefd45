"""The admin speaks bokmål: every model and field has a bokmål name, Django's own admin
strings that its catalogue lacks are translated in ours, and no admin page shows an English
model or field label."""

import html
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from erfaringsforum import admin_strings
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)

OUR_APPS = ("accounts", "forum", "moderation")
# Words that are the same in both languages.
SAME_IN_BOTH = {"ID", "moderator", "status"}
# Issue 15 rebuilds notifications (another engineer's model): named there.
NOT_YET = {"notification"}


def names_of(model) -> list[tuple[str, object]]:
    opts = model._meta
    names = [("model", opts.verbose_name), ("plural", opts.verbose_name_plural)]
    names += [(f.name, f.verbose_name) for f in opts.get_fields() if f.concrete]
    return names


def in_language(text, language) -> str:
    with translation.override(language):
        return str(text)


def source(text) -> str:
    with translation.override(None):
        return str(text)


def our_models():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name not in NOT_YET:
                yield model


def test_every_model_and_field_has_a_bokmal_name():
    english = []
    for model in our_models():
        for name, text in names_of(model):
            if source(text) not in SAME_IN_BOTH and in_language(text, "nb") == source(text):
                english.append(f"{model.__name__}.{name}: {source(text)}")
    assert english == []


def test_djangos_admin_strings_missing_from_its_catalogue_are_translated_in_ours():
    with translation.override("nb"):
        untranslated = [t for t in admin_strings.DJANGO_STRINGS if translation.gettext(t) == t]
        untranslated += [source(t) for t in admin_strings.DJANGO_PLURALS if str(t) == source(t)]
    assert untranslated == []
    with translation.override("nb"):
        assert translation.gettext("Start typing to filter…") == "Skriv for å filtrere …"


LABEL = re.compile(r"<label[^>]*>(.*?)</label>|<th[^>]*scope=\"col\"[^>]*>(.*?)</th>", re.S)


def labels_on(page: str) -> set[str]:
    found = set()
    for match in LABEL.finditer(page):
        text = re.sub(r"<[^>]+>", " ", match.group(1) or match.group(2) or "")
        text = html.unescape(" ".join(text.split())).rstrip(":").strip()
        if text:
            found.add(text.lower())
    return found


@pytest.fixture
def admin_pages(topic_a, thread_a, post_a, moderator_a, back_office_a, admin_user):
    """Every registered model's list, add and change page (for a row that exists)."""
    from moderation import services

    services.lock_thread(thread_a, by=moderator_a, reason="Låst")  # an audit entry
    services.report_post(post_a, reporter=admin_user, reason="Se på dette")
    pages = [reverse("admin:index")]
    for model in apps.get_models():
        opts = model._meta
        if opts.app_label not in OUR_APPS or not admin.site.is_registered(model):
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        row = model._default_manager.first()
        if row is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
    return pages


def test_no_admin_page_shows_an_english_model_or_field_label(admin_pages, admin_user):
    english = {
        source(text).lower()
        for model in our_models()
        for _, text in names_of(model)
        if source(text) not in SAME_IN_BOTH
    }
    english -= {in_language(t, "nb").lower() for m in our_models() for _, t in names_of(m)}
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(admin_user)
    found = {}
    for url in admin_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="nb"' in page, url
        for phrase in ("Start typing to filter", "Show counts", "Hide counts"):
            assert phrase not in page, (url, phrase)
        leftovers = labels_on(page) & english
        if leftovers:
            found[url] = sorted(leftovers)
    assert found == {}
