"""The search vectors are the database's job: every write path keeps them current."""

import pytest
from django.db import connection
from django.utils import timezone

from forum.models import Post, Thread
from forum.search.engine import Filters, search_threads
from forum.search.parsing import parse_query

pytestmark = pytest.mark.django_db


def total(query: str) -> int:
    return search_threads(parse_query(query), Filters()).total


def test_bulk_update_of_a_body_is_searchable_at_once(topic, make_thread):
    thread = make_thread(topic, "Gammel tittel", "Gammel tekst.")
    Post.objects.filter(thread=thread).update(body_md="Ny tekst om yrkesskadeerstatning.")
    assert total("yrkesskade") == 1
    assert total("gammel tekst") == 1  # "gammel" in the title, "tekst" in the post
    assert total('"gammel tekst"') == 0


def test_bulk_update_of_a_title_is_searchable_at_once(topic, make_thread):
    thread = make_thread(topic, "Gammel tittel", "Tekst.")
    Thread.objects.filter(pk=thread.pk).update(title="Barnetrygd ved utenlandsopphold")
    assert total("barnetrygd") == 1


def test_raw_sql_insert_is_searchable_and_raw_hide_removes_it(topic, make_thread, staff):
    thread = make_thread(topic, "Tittel", "Tekst.")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO forum_post (thread_id, position, author_id, kind, body_md, body_html,"
            " renderer_version, created_at, edit_count)"
            " VALUES (%s, 2, %s, 'regular', 'Pleiepenger i **fem** uker', '', 1, now(), 0)",
            [thread.pk, thread.author_id],
        )
    assert total("pleiepenger fem") == 1
    Post.objects.filter(thread=thread, position=2).update(
        hidden_at=timezone.now(), hidden_by=staff[0]
    )
    assert total("pleiepenger") == 0


def test_markdown_noise_is_not_indexed_but_link_text_is(topic, make_thread):
    make_thread(topic, "Lenker", "Se [rundskrivet](https://lovdata.example/hemmelig-sti) her.")
    assert total("rundskrivet") == 1
    assert total("hemmelig") == 0
