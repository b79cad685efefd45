"""Threads: a topic's page of them, the thread page's one-row read, the write path's reads."""

import functools
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Employee
from accounts.querysets import (
    build,
    person_columns,
    person_from_row,
    person_joins,
    select_columns,
    split_row,
)
from erfaringsforum.db import prepared_cursor
from forum import extensions
from forum.models import Post, Thread, ThreadRead, ThreadViewDay, Topic
from forum.querysets.topics import TOPIC_AND_PARENT_JOIN, topic_and_parent, tree_published_sql
from forum.querysets.viewer import keep_viewer, viewer_params, viewer_parts

# A thread as a topic's list shows it (components/_thread_rows.html).
THREAD_ROW_FIELDS = (
    "id", "topic_id", "title", "kind", "pinned", "locked", "solution_post_id", "reply_count",
    "post_count", "last_activity_at", "author_id", "last_post_id",
)  # fmt: skip

# The reads of the busiest pages (a topic's threads, a thread and its posts) are plain SQL
# built once per process from the models' columns: compiling them through the ORM cost
# 2.5-3 ms of CPU each per page (bench/results/history.md, F10), more than PostgreSQL spends
# running them. Rows become model objects through accounts.querysets' row helpers (`build`
# is Model.from_db without __init__'s per-field work); tests/forum/test_querysets.py checks
# that each returns what the equivalent ORM queryset returns.

# The views of a thread: its folded view_count plus the day rows after views_counted_through
# (a few days at most, read through the (thread, day, bucket) index). "t" is the thread.
VIEWS_SQL = f"""t.view_count + COALESCE((
    SELECT SUM(d.views) FROM {ThreadViewDay._meta.db_table} d
     WHERE d.thread_id = t.id AND d.day > COALESCE(t.views_counted_through, '0001-01-01')), 0)"""  # noqa: S608


# A topic's threads as its pages list them, and the same order from the other end.
TOPIC_ORDER = "pinned DESC, last_activity_at DESC, id DESC"
TOPIC_ORDER_BACKWARD = "pinned ASC, last_activity_at ASC, id ASC"


def opening_hidden_sql(thread: str) -> str:
    """Whether the thread's opening post is hidden: its title is then not shown to readers
    (forum.permissions.shown_title), as its text is not (issue 13). An index probe on
    (thread, position)."""
    return (
        f"EXISTS (SELECT 1 FROM {Post._meta.db_table} op WHERE op.thread_id = {thread}.id "  # noqa: S608
        "AND op.position = 1 AND op.hidden_at IS NOT NULL)"
    )


@functools.cache
def _topic_page_sql(limit: int, backward: bool = False) -> tuple[str, list[list[str]]]:
    # The page size is written into the statement, not passed: with LIMIT a parameter,
    # PostgreSQL's generic plan is costed for an unknown limit and never wins, so every
    # execution was planned anew (2 ms of planning against 1 ms of execution,
    # bench/results/history.md F20). The OFFSET stays a parameter: the connection runs
    # prepared statements on their generic plan (plan_cache_mode in the settings, F33),
    # whatever the offset.
    # backward=True counts the OFFSET from the topic's oldest thread (the same index read
    # backwards); the outer ORDER BY puts the page back in the listing's order (F30).
    thread_fields, thread_select = select_columns(Thread, "t", THREAD_ROW_FIELDS)
    author_groups, author_select = person_columns("a")
    groups = [thread_fields, *author_groups, ["last_poster_name"]]
    selects = [thread_select, author_select, "lpa.name"]
    sql = f"""
        SELECT {", ".join(selects)}, {VIEWS_SQL},
               COALESCE((SELECT r.last_read_position FROM {ThreadRead._meta.db_table} r
                          WHERE r.thread_id = t.id AND r.employee_id = %s), 0),
               {opening_hidden_sql("t")}
          FROM (SELECT id FROM {Thread._meta.db_table} WHERE topic_id = %s
                 ORDER BY {TOPIC_ORDER_BACKWARD if backward else TOPIC_ORDER}
                 LIMIT {int(limit)} OFFSET %s) page
          JOIN {Thread._meta.db_table} t ON t.id = page.id
          {person_joins("a", "t.author_id")}
          LEFT JOIN {Post._meta.db_table} lp ON lp.id = t.last_post_id
          LEFT JOIN {Employee._meta.db_table} lpa ON lpa.id = lp.author_id
         ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC
    """  # noqa: S608  (identifiers from the models, the values parameters)
    return sql, groups


class ThreadPage(Sequence[Thread]):
    """A page of a topic's threads (threads_for_topic_page), built into Thread objects only
    when it is first iterated or indexed. `rows` are the rows as read: every value the page
    can show, the viewer's read marks included, so they key the page's cached fragment
    (forum_tags.thread_rows) and a cache hit builds no objects (F21 in bench/results/history.md)."""

    def __init__(self, rows: list[tuple], groups: list[list[str]], topic: Topic) -> None:
        self.rows = rows
        self._groups = groups
        self._topic = topic

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self._threads[index]

    @functools.cached_property
    def _threads(self) -> list[Thread]:
        groups, threads, seen = self._groups, [], {}
        for row in self.rows:
            slices, extra = split_row(row, groups)
            thread = build(Thread, groups[0], slices[0])
            thread.author = person_from_row(groups[1:4], slices[1:4], seen)
            thread.last_poster_name = slices[4][0]
            thread.topic = self._topic
            thread.views, thread.last_read_position, thread.opening_hidden = extra
            thread.has_unread = thread.post_count > thread.last_read_position
            threads.append(thread)
        return threads


def threads_for_topic_page(
    topic: Topic, employee: Employee, *, offset: int, limit: int
) -> ThreadPage:
    """One page of a topic's threads as the topic page lists them: pinned first, then newest
    activity. The page's ids come from the thread_topic_listing index alone (index-only
    scan); only those rows get their author (unit, county), last poster's name
    (`last_poster_name`, None without posts), views
    (`views`) and the employee's read state (`last_read_position`, 0 when never opened, and
    `has_unread`). One query.

    A page in the older half of the topic is read from its oldest thread (by
    `topic.thread_count`, which the write path keeps exact): OFFSET steps over every index
    entry before the page, so the last page of a 16,700-thread topic stepped over 16,700
    instead of none (F30 in bench/results/history.md)."""
    count = topic.thread_count
    backward = offset > count // 2 and offset < count
    if backward:
        # The page holds listing positions offset .. offset+limit-1 (or up to the last
        # thread); counted from the oldest that is start .. start+limit-1.
        start = count - offset - limit
        keep = limit + min(start, 0)  # a short last page: the rest of the read is page n-1
        offset = max(start, 0)
    sql, groups = _topic_page_sql(limit, backward)
    with prepared_cursor() as cursor:
        cursor.execute(sql, [employee.pk, topic.pk, offset])
        rows = cursor.fetchall()
    if backward and len(rows) > keep:
        rows = rows[len(rows) - keep :]
    return ThreadPage(rows, groups, topic)


@functools.cache
def _thread_page_sql(with_viewer: bool) -> tuple[str, list[str], list[str]]:
    thread_fields, thread_select = select_columns(Thread, "t")
    topic_fields, topic_select = select_columns(Topic, "tp")
    _fields, parent_select = select_columns(Topic, "pa")
    extra = "".join(f", {c.select}" for c in extensions.columns(extensions.THREAD))
    viewer_columns, viewer_join = "", ""
    if with_viewer:
        select, viewer_join = viewer_parts()
        viewer_columns = f", {select}"
    sql = f"""
        SELECT {thread_select}, {topic_select}, {parent_select}, {VIEWS_SQL},
               {tree_published_sql("tp")}, {opening_hidden_sql("t")} {extra} {viewer_columns}
          FROM {Thread._meta.db_table} t
          JOIN {Topic._meta.db_table} tp ON tp.id = t.topic_id {TOPIC_AND_PARENT_JOIN}
          {viewer_join}
         WHERE t.id = %(pk)s
    """  # noqa: S608  (identifiers from the models, the values parameters)
    return sql, thread_fields, topic_fields


def thread_for_page(pk: int, viewer: Employee | None = None) -> Thread | None:
    """One thread with its topic (and the topic's parent, and `tree_published`), its views
    so far (`views`), and what THREAD contributors of forum.extensions read on the same row
    (moderation's `has_clarified`, `has_escalations`: two index probes that spare most
    thread pages moderation's two queries for them); None when there is no such thread.
    One query.

    With a signed-in `viewer`, the same row carries the viewer's topic grants and what
    VIEWER contributors read (the header's counts), kept on the viewer object: the page
    then makes no query of its own for either (F29)."""
    with_viewer = viewer is not None and viewer.is_authenticated
    sql, thread_fields, topic_fields = _thread_page_sql(with_viewer)
    params = {"pk": pk, **(viewer_params(viewer) if with_viewer else {})}
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(thread_fields), len(thread_fields) + 2 * len(topic_fields)
    thread = build(Thread, thread_fields, row[:n])
    thread.views, published, thread.opening_hidden = row[m : m + 3]
    thread.topic = topic_and_parent(row[n:m], topic_fields, published)
    rest = row[m + 3 :]
    for contribution in extensions.columns(extensions.THREAD):
        contribution.keep(thread, rest[: contribution.width])
        rest = rest[contribution.width :]
    if with_viewer:
        keep_viewer(viewer, rest)
    return thread


@functools.cache
def _with_related_sql(model: type, relation: str, where: str, suffix: str) -> tuple:
    related = model._meta.get_field(relation).related_model
    fields, select = select_columns(model, "o")
    related_fields, related_select = select_columns(related, "r")
    if related is Topic:  # the visibility rule's flag, read with the topic
        related_select += f", {tree_published_sql('r')}"
    sql = f"""
        SELECT {select}, {related_select}
          FROM {model._meta.db_table} o
          JOIN {related._meta.db_table} r ON r.id = o.{relation}_id
         WHERE o.{where} = %s {suffix}
    """  # noqa: S608  (identifiers from the models, the value a parameter)
    return sql, fields, related, related_fields


def _one_with_related(model: type, relation: str, where: str, value, suffix: str = ""):
    """The `model` row whose `where` column equals `value`, with its `relation` built from
    the same row (one prepared statement), or None."""
    sql, fields, related, related_fields = _with_related_sql(model, relation, where, suffix)
    with prepared_cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(fields), len(fields) + len(related_fields)
    instance = build(model, fields, row[:n])
    related_obj = build(related, related_fields, row[n:m])
    setattr(instance, relation, related_obj)
    if related is Topic:
        related_obj.tree_published = row[m]
    return instance


def thread_for_writing(pk: int, *, lock: bool = False) -> Thread | None:
    """One thread with its topic (None if there is none), without the views total a write
    does not show; with lock=True its row is locked (FOR NO KEY UPDATE OF the thread alone)
    until the transaction ends. One prepared statement: the reply path's ORM reads cost more
    Python than PostgreSQL spends on them (F28 in bench/results/history.md)."""
    if not lock:
        return _one_with_related(Thread, "topic", "id", pk)
    # A thread moved to another topic while this read waited for its lock comes back as no
    # row: PostgreSQL rechecks the join of the new thread row against the topic row it had
    # read. Reading again joins the new topic (found by the soak test, tests/test_soak.py).
    for _attempt in range(3):
        thread = _one_with_related(Thread, "topic", "id", pk, "FOR NO KEY UPDATE OF o")
        if thread is not None or not Thread.objects.filter(pk=pk).exists():
            return thread
    return thread


def post_by_submission_key(key) -> Post | None:
    """The post a form with this submission key already made (with its thread), or None."""
    return _one_with_related(Post, "thread", "submission_key", key)


def latest_threads_in(topics: QuerySet[Topic], *, limit: int) -> list[Thread]:
    """The `limit` threads with the newest activity in `topics` (a parent topic's page lists
    its subtopics' latest threads), each with its topic and `opening_hidden` (for
    forum.permissions.shown_title). One query."""
    hidden_opening = Post.objects.filter(thread=OuterRef("pk"), position=1, hidden_at__isnull=False)
    return list(
        Thread.objects.filter(topic__in=topics)
        .select_related("topic")
        .annotate(opening_hidden=Exists(hidden_opening))
        .order_by("-last_activity_at", "-id")[:limit]
    )
