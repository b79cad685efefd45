"""A busy Monday in one topic, for SOAK_SECONDS (20 s): authors reply and edit, moderators
hide, restore, edit, lock, move and clarify in the same threads, readers read. Everything
goes through gunicorn with production settings over real connections (issue 13).

Afterwards: no response of 500 or more, every reply that was confirmed is in the database,
and every thread's and topic's counters equal what their rows say.
"""

import os
import re

import pytest
from django.db import connection
from django.db.models import Count, Max, Q

from forum import services as forum_services
from forum.models import Post, PostRevision, Thread, Topic
from tests.conftest import PASSWORD
from tests.live import Mix, free_port, gunicorn, product_env

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "20"))


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


@pytest.fixture
def monday(transactional_db, settings, make_employee, make_topic, make_back_office, tmp_path):
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    moderator = make_employee("Mona Moderator")
    deputy = make_employee("Dag Moderator")
    expert = make_employee("Erik Ekspert")
    back_office = make_back_office(expert)
    home = make_topic("Sykepenger", moderator=moderator, back_office=back_office, deputy=deputy)
    away = make_topic("Dagpenger", moderator=moderator, back_office=back_office, deputy=deputy)
    authors = [make_employee(f"Forfatter {n}") for n in range(3)]
    readers = [make_employee(f"Leser {n}") for n in range(2)]
    threads = []
    for n in range(3):
        thread = forum_services.start_thread(
            home, author=authors[n], title=f"Spørsmål {n}", body="Hvordan gjør dere det?"
        )
        for m in range(4):
            forum_services.post_reply(thread, author=authors[(n + m + 1) % 3], body=f"Svar {m}")
        threads.append(thread)
    env = product_env(_database_url(), free_port(), GUNICORN_WORKERS="3")
    with gunicorn(env, tmp_path / "gunicorn.log") as base_url:
        yield {
            "base_url": base_url, "moderators": [moderator, deputy], "expert": expert,
            "authors": authors, "readers": readers, "threads": threads,
            "topics": [home, away],
        }  # fmt: skip


def _post_ids(page: str, kind: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf"/innlegg/(\d+)/{kind}/", page)]


def test_authors_moderators_and_readers_at_once_lose_nothing_and_get_no_server_error(monday):
    thread_ids = [t.pk for t in monday["threads"]]
    topic_ids = [t.pk for t in monday["topics"]]
    post_ids = list(Post.objects.filter(thread_id__in=thread_ids).values_list("pk", flat=True))
    mix = Mix(monday["base_url"], thread_ids, post_ids, topic_ids)
    mix.run(
        {
            role: [(person.email, PASSWORD) for person in monday[role]]
            for role in ("authors", "moderators", "readers")
        },
        SOAK_SECONDS,
    )

    errors = mix.errors()
    assert errors == [], f"{len(errors)} of {len(mix.results)} requests failed"
    kinds = {kind for kind, status, _ in mix.results if status in (200, 302)}
    assert {"reply", "read", "hide", "move"} <= kinds, kinds
    confirmed = mix.confirmed
    assert confirmed, "no reply got through"

    # A reply edited later keeps its first text as a revision (nothing is silently lost).
    bodies = Post.objects.filter(thread_id__in=thread_ids).values_list("body_md", flat=True)
    earlier = PostRevision.objects.filter(post__thread_id__in=thread_ids)
    stored = set(bodies) | set(earlier.values_list("body_md", flat=True))
    lost = [text for text in confirmed if text not in stored]
    assert lost == [], f"{len(lost)} confirmed replies are missing"

    visible = Q(posts__hidden_at__isnull=True, posts__deleted_at__isnull=True)
    for thread in Thread.objects.filter(pk__in=thread_ids).annotate(
        rows=Count("posts"),
        last_position=Max("posts__position"),
        visible_replies=Count("posts", filter=visible & Q(posts__position__gt=1)),
    ):
        assert (thread.post_count, thread.reply_count) == (
            thread.last_position,
            thread.visible_replies,
        ), thread.title
        assert thread.rows == thread.last_position, thread.title
    for topic in Topic.objects.filter(pk__in=topic_ids):
        threads = Thread.objects.filter(topic=topic)
        posts = Post.objects.filter(
            thread__topic=topic, hidden_at__isnull=True, deleted_at__isnull=True
        )
        assert (topic.thread_count, topic.post_count) == (threads.count(), posts.count()), (
            topic.name
        )
