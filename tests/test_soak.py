"""A busy Monday in one topic, for SOAK_SECONDS (20 s): authors reply and edit, moderators
hide, restore, edit, lock, move and clarify in the same threads, readers read. Everything
goes through gunicorn with production settings over real connections (issue 13).

Afterwards: no response of 500 or more, every reply that was confirmed is in the database,
and every thread's and topic's counters equal what their rows say.
"""

import datetime
import os
import random
import re
import threading
import time
import uuid

import pytest
from django.db import connection
from django.db.models import Count, Max, Q

from forum import services as forum_services
from forum.models import Post, PostRevision, Thread, Topic
from tests.conftest import PASSWORD
from tests.live import Browser, free_port, gunicorn, product_env

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
    base_url = monday["base_url"]
    thread_ids = [t.pk for t in monday["threads"]]
    topic_ids = [t.pk for t in monday["topics"]]
    post_ids = list(Post.objects.filter(thread_id__in=thread_ids).values_list("pk", flat=True))
    results: list[tuple[str, int]] = []
    confirmed: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SOAK_SECONDS

    def record(what: str, status: int) -> None:
        with lock:
            results.append((what, status))

    def author(person, seed: int) -> None:
        rng, browser = random.Random(seed), Browser(base_url)
        browser.sign_in(person.email, PASSWORD)
        while time.monotonic() < deadline:
            thread_id = rng.choice(thread_ids)
            text = f"Svar {uuid.uuid4().hex}"
            status, _, _ = browser.request(f"/trad/{thread_id}/svar/", {"body": text})
            record("reply", status)
            if status == 302:
                with lock:
                    confirmed.append(text)
            status, page, _ = browser.request(f"/trad/{thread_id}/?page=last")
            record("read", status)
            editable = _post_ids(page, "rediger")
            if editable and rng.random() < 0.5:
                pk = rng.choice(editable)
                status, _, _ = browser.request(
                    f"/innlegg/{pk}/rediger/", {"body": f"Rettet {text}", "reason": "skrivefeil"}
                )
                record("edit", status)

    def moderator(person, seed: int) -> None:
        rng, browser = random.Random(seed), Browser(base_url)
        browser.sign_in(person.email, PASSWORD)
        later = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        while time.monotonic() < deadline:
            pk, thread_id = rng.choice(post_ids), rng.choice(thread_ids)
            action, path, data = rng.choice(
                [
                    ("hide", f"/moderering/innlegg/{pk}/skjul/", {"reason": "Personopplysninger"}),
                    ("unhide", f"/moderering/innlegg/{pk}/vis/", {"reason": ""}),
                    ("mod-edit", f"/moderering/innlegg/{pk}/rediger/",
                     {"body": "Moderert tekst.", "reason": "Presisering"}),
                    ("clarify", f"/moderering/innlegg/{pk}/avklar/",
                     {"legal_reference": "ftrl. § 8-2", "review_by": later}),
                    ("lock", f"/moderering/trad/{thread_id}/las/", {"reason": ""}),
                    ("unlock", f"/moderering/trad/{thread_id}/apne/", {"reason": ""}),
                    ("move", f"/moderering/trad/{thread_id}/flytt/",
                     {"to_topic": rng.choice(topic_ids), "reason": "Rett tema"}),
                ]
            )  # fmt: skip
            status, _, _ = browser.request(path, data)
            record(action, status)

    def reader(person, seed: int) -> None:
        rng, browser = random.Random(seed), Browser(base_url)
        browser.sign_in(person.email, PASSWORD)
        while time.monotonic() < deadline:
            path = rng.choice(
                ["/", f"/trad/{rng.choice(thread_ids)}/?page=1", f"/trad/{rng.choice(thread_ids)}/"]
            )
            status, _, _ = browser.request(path)
            record("read", status)

    actors = [
        *(threading.Thread(target=author, args=(p, n)) for n, p in enumerate(monday["authors"])),
        *(threading.Thread(target=moderator, args=(p, 10 + n))
          for n, p in enumerate(monday["moderators"])),
        *(threading.Thread(target=reader, args=(p, 20 + n))
          for n, p in enumerate(monday["readers"])),
    ]  # fmt: skip
    for actor in actors:
        actor.start()
    for actor in actors:
        actor.join(timeout=SOAK_SECONDS + 60)

    errors = [(what, status) for what, status in results if status >= 500]
    assert errors == [], f"{len(errors)} of {len(results)} requests failed"
    kinds = {what for what, status in results if status in (200, 302)}
    assert {"reply", "read", "hide", "move"} <= kinds, kinds
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
