"""The SQL moderation contributes to search through forum.extensions equals the ORM."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from forum import extensions
from forum.models import Thread
from moderation.models import ClarifiedAnswer
from tests.search.conftest import add_post, clarify

pytestmark = pytest.mark.django_db


def test_clarified_sql_fragments_equal_the_orm(topic, make_thread, staff):
    moderator, _office = staff
    shown = make_thread(topic, "Avklart")
    clarify(add_post(shown, "Svaret"), moderator)
    hidden = make_thread(topic, "Skjult avklaring")
    clarify(add_post(hidden, "Skjult svar", hidden=True), moderator)
    make_thread(topic, "Uten avklaring")
    visible_clarified = ClarifiedAnswer.objects.filter(
        post__thread=OuterRef("pk"), post__hidden_at=None, post__deleted_at=None
    )
    expected = dict(Thread.objects.annotate(c=Exists(visible_clarified)).values_list("pk", "c"))
    has_clarified = extensions.sql("thread_has_clarified", "FALSE", thread="th")
    threads = extensions.sql("clarified_threads", "")
    recent = extensions.sql("recent_clarified_posts", "", limit="1")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT th.id, {has_clarified} FROM {Thread._meta.db_table} th")
        assert dict(cursor.fetchall()) == expected
        cursor.execute(threads)
        assert {row[0] for row in cursor.fetchall()} == {pk for pk, c in expected.items() if c}
        cursor.execute(recent)
        newest = ClarifiedAnswer.objects.order_by("-id").values_list("post_id", flat=True)[:1]
        assert [row[0] for row in cursor.fetchall()] == list(newest)
