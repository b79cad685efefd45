"""Real concurrent connections: each worker thread opens its own database connection."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from forum import services
from forum.models import Post, Thread, ThreadRead, ThreadViewDay
from forum.querysets import thread_for_page
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_replies_give_fifty_posts_and_exact_counters(thread, make_employee):
    authors = [make_employee() for _ in range(50)]
    results = run_concurrently(
        50, lambda n: services.post_reply(thread, author=authors[n], body=f"Svar {n}")
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    thread = Thread.objects.get(pk=thread.pk)
    positions = sorted(Post.objects.filter(thread=thread).values_list("position", flat=True))
    assert positions == list(range(1, 52))
    assert (thread.post_count, thread.reply_count) == (51, 50)
    assert thread.last_post.position == 51
    thread.topic.refresh_from_db()
    assert (thread.topic.thread_count, thread.topic.post_count) == (1, 51)


def test_a_double_submitted_reply_is_stored_once(thread, other_employee):
    key = uuid.uuid4()
    results = run_concurrently(
        4,
        lambda n: services.post_reply(
            thread, author=other_employee, body="Dobbeltklikk", submission_key=key
        ),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({r.pk for r in results}) == 1
    assert Post.objects.filter(thread=thread).count() == 2


def test_concurrent_views_are_all_counted(thread, employee):
    run_concurrently(20, lambda n: services.record_view(thread, viewer=employee))
    assert sum(thread.view_days.values_list("views", flat=True)) == 20


def test_concurrent_viewers_fold_the_old_days_once(thread):
    today = timezone.localdate()
    Thread.objects.filter(pk=thread.pk).update(views_counted_through=None, view_count=0)
    for days_ago, views in ((400, 100), (10, 20)):
        ThreadViewDay.objects.create(
            thread=thread, day=today - timedelta(days=days_ago), bucket=0, views=views
        )
    thread.refresh_from_db()
    results = run_concurrently(8, lambda n: services.record_view(thread))
    assert [r for r in results if isinstance(r, Exception)] == []
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.view_count == 120
    assert thread_for_page(thread.pk).views == 128


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_a_page_views_counters_commit_lazily_and_only_their_own_transaction(thread, other_employee):
    """F31: a page view's counters are their own transaction, committed without waiting for
    the WAL flush; the setting never outlives that transaction, and inside a caller's
    transaction the caller's commit decides."""
    sent = []

    def spy(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        services.record_visit(thread, viewer=other_employee, position=1)
    assert sent[-1].endswith(services.COUNTERS_COMMIT_LAZILY)
    assert _synchronous_commit() == "on"  # not left on the connection for the next request
    # Committed: another connection sees the view and the read mark.
    seen = run_concurrently(
        1,
        lambda n: (
            sum(ThreadViewDay.objects.filter(thread=thread).values_list("views", flat=True)),
            ThreadRead.objects.get(thread=thread, employee=other_employee).last_read_position,
        ),
    )
    assert seen == [(1, 1)]

    with transaction.atomic(), connection.execute_wrapper(spy):
        services.record_view(thread)
        assert sent[-1].endswith(services.COUNTERS_IN_TRANSACTION)
        assert _synchronous_commit() == "on"
    # The thread page's statement (posts, view, read mark: F35) ends the same way.
    with connection.execute_wrapper(spy):
        page = services.read_page(thread, viewer=other_employee, first=1, last=20)
    assert [p.position for p in page] == [1]
    assert f"WHERE ({services.COUNTERS_COMMIT_LAZILY}) IS NOT NULL" in sent[-1]
    assert _synchronous_commit() == "on"
    views = ThreadViewDay.objects.filter(thread=thread).values_list("views", flat=True)
    assert run_concurrently(1, lambda n: sum(views.all())) == [3]
    with transaction.atomic(), connection.execute_wrapper(spy):
        services.read_page(thread, viewer=other_employee, first=1, last=20)
        assert services.COUNTERS_COMMIT_LAZILY not in sent[-1]
        assert _synchronous_commit() == "on"
    # What the lazy ending does: the setting holds for its transaction alone.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(services.COUNTERS_COMMIT_LAZILY)
        assert _synchronous_commit() == "off"
    assert _synchronous_commit() == "on"
