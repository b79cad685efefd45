"""Reading: views counted per day and read marks, one statement per page view."""

import functools
import random
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from forum import querysets
from forum.models import (
    Thread,
    ThreadRead,
    ThreadViewDay,
)
from forum.querysets import PostPage

VIEW_BUCKETS = 8
VIEWS_FOLD_LAG_DAYS = 2


# Reading --------------------------------------------------------------------------------


def views_fold_day() -> date:
    """The last day a thread's view_count may hold. Two days back, so no request that began
    before midnight can still be adding to a day already folded."""
    return timezone.localdate() - timedelta(days=VIEWS_FOLD_LAG_DAYS)


def _view_upsert(thread: Thread) -> tuple[str, list]:
    table = ThreadViewDay._meta.db_table
    sql = (
        f"INSERT INTO {table} (thread_id, day, bucket, views) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (thread_id, day, bucket) DO UPDATE SET views = {table}.views + 1"
    )
    return sql, [thread.pk, timezone.localdate(), random.randrange(VIEW_BUCKETS)]


def _views_fold(thread: Thread) -> tuple[list[str], list]:
    """A `folded AS (...)` CTE folding the thread's older day rows into view_count when one
    is due (once a day a thread; the only time a view writes the thread row), else nothing.

    The fold adds the day rows after views_counted_through up to the fold day, and only
    where views_counted_through is still older, so two folding viewers add them once. Past
    days' rows never change again, so view_count plus the later rows stays exact.
    """
    fold_day = views_fold_day()
    counted = thread.views_counted_through
    if counted is not None and counted >= fold_day:
        return [], []
    threads, days = Thread._meta.db_table, ThreadViewDay._meta.db_table
    cte = (
        f"folded AS (UPDATE {threads} t SET views_counted_through = %s, "  # noqa: S608
        f"view_count = t.view_count + (SELECT COALESCE(SUM(d.views), 0) FROM {days} d "
        "WHERE d.thread_id = t.id AND d.day > COALESCE(t.views_counted_through, '0001-01-01') "
        "AND d.day <= %s) WHERE t.id = %s AND (t.views_counted_through IS NULL "
        "OR t.views_counted_through < %s) RETURNING 1)"
    )
    return [cte], [fold_day, fold_day, thread.pk, fold_day]


def _read_upsert_sql(source: str) -> str:
    """The read mark's upsert of the row `source` gives (employee, thread, position, when)."""
    table = ThreadRead._meta.db_table
    return (
        f"INSERT INTO {table} (employee_id, thread_id, last_read_position, read_at) "
        f"{source} ON CONFLICT (employee_id, thread_id) DO UPDATE SET "
        f"last_read_position = GREATEST({table}.last_read_position, "
        "EXCLUDED.last_read_position), read_at = EXCLUDED.read_at"
    )


def read_upsert(thread: Thread, employee: Employee, position: int) -> tuple[str, list]:
    sql = _read_upsert_sql("VALUES (%s, %s, %s, %s)")
    return sql, [employee.pk, thread.pk, position, timezone.now()]


# How a page view's counters end: outside a transaction the statement is its own, and this
# makes its commit not wait for the WAL to reach the disk (synchronous_commit is set for that
# transaction alone). Every page view writes, and waiting for the flush doubled the
# statement's time (0.325 -> 0.163 ms here, more on network storage; F31 in
# bench/results/history.md). A crash can lose the last fraction of a second of views and read
# marks, never a post: those commits flush, and each flush carries every earlier commit with
# it. Inside a caller's transaction the caller's commit decides, so nothing is changed there.
COUNTERS_COMMIT_LAZILY = "SELECT set_config('synchronous_commit', 'off', true)"
COUNTERS_IN_TRANSACTION = "SELECT 1"


def _count(ctes: list[str], params: list) -> None:
    """Run the counters' data-modifying CTEs as one statement (one round trip)."""
    final = COUNTERS_IN_TRANSACTION if connection.in_atomic_block else COUNTERS_COMMIT_LAZILY
    with prepared_cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {final}", params)


def record_view(thread: Thread, *, viewer: Employee | None = None) -> None:
    """Count one view of the thread today.

    One upsert on a (thread, day, bucket) row picked at random: concurrent readers of one
    thread spread over VIEW_BUCKETS rows and lock the thread row only for the daily fold.
    Caller's contract: forum.permissions.check_view_thread(viewer, thread).
    """
    fold_ctes, fold_params = _views_fold(thread)
    sql, params = _view_upsert(thread)
    _count([*fold_ctes, f"counted AS ({sql} RETURNING 1)"], fold_params + params)


def record_visit(thread: Thread, *, viewer: Employee, position: int) -> None:
    """record_view and mark_read(position) in one statement (a page of a thread read).

    Both upserts (and the daily fold, when due) run as data-modifying CTEs of one statement,
    so a page view costs one round trip; the locking is the same as theirs (a view bucket
    row, the reader's own read row). Caller's contract: check_view_thread(viewer, thread).
    """
    if not viewer.is_authenticated or position < 1:
        record_view(thread, viewer=viewer)
        return
    fold_ctes, fold_params = _views_fold(thread)
    view_sql, view_params = _view_upsert(thread)
    read_sql, read_params = read_upsert(thread, viewer, position)
    _count(
        [*fold_ctes, f"counted AS ({view_sql} RETURNING 1)", f"marked AS ({read_sql} RETURNING 1)"],
        fold_params + view_params + read_params,
    )


@functools.cache
def _read_page_sql(ctes: tuple[str, ...], lazily: bool) -> str:
    """The page of posts (forum.querysets.posts_page_sql) as the CTE `page`, the counters'
    `ctes` after it, the read mark moved to the page's last post (none on an empty page),
    and the page's rows as the statement's result, in the page read's order."""
    page_sql, _groups = querysets.posts_page_sql()
    mark = _read_upsert_sql("SELECT %s, %s, max(position), %s FROM page HAVING count(*) > 0")
    # An uncorrelated scalar subquery runs once, before the first row, rows or not.
    ending = f"WHERE ({COUNTERS_COMMIT_LAZILY}) IS NOT NULL" if lazily else ""
    # Identifiers from the models, the values parameters.
    return (
        f"WITH page AS ({page_sql}), {', '.join(ctes)}, marked AS ({mark} RETURNING 1) "  # noqa: S608
        f"SELECT * FROM page {ending} ORDER BY position"
    )


def read_page(thread: Thread, *, viewer: Employee, first: int, last: int) -> PostPage:
    """Posts first..last of the thread as forum.querysets.posts_on_page(people=False) reads
    them, with the visit recorded as record_visit records it (the view counted, the read
    mark moved to the last of them), in one statement: a page view's write then costs no
    round trip and no statement of its own (F35 in bench/results/history.md). The write
    ends as _count's does (lazily in autocommit). Caller's contract:
    check_view_thread(viewer, thread)."""
    if not viewer.is_authenticated:
        posts = querysets.posts_on_page(thread, first, last, people=False)
        record_view(thread, viewer=viewer)
        return posts
    fold_ctes, fold_params = _views_fold(thread)
    view_sql, view_params = _view_upsert(thread)
    ctes = (*fold_ctes, f"counted AS ({view_sql} RETURNING 1)")
    sql = _read_page_sql(ctes, not connection.in_atomic_block)
    params = [
        *querysets.posts_page_params(thread, first, last), *fold_params, *view_params,
        viewer.pk, thread.pk, timezone.now(),
    ]  # fmt: skip
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return querysets.post_page_from_rows(thread, rows, people=False)


def mark_read(thread: Thread, *, employee: Employee, position: int) -> None:
    """Remember that the employee has read the thread up to `position` (never backwards).

    One upsert; no lock on the thread. Caller's contract: check_view_thread(employee,
    thread) (or the employee just wrote in it).
    """
    if not employee.is_authenticated or position < 1:
        return
    sql, params = read_upsert(thread, employee, position)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
