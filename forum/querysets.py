"""Every read the forum's pages need, each carrying its joins so templates never query."""

import functools
from collections.abc import Sequence

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

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
from forum.models import Post, PostRevision, Thread, ThreadRead, ThreadViewDay, Topic
from moderation import querysets as moderation_reads
from moderation.models import ClarifiedAnswer, Escalation

# A post as a page of posts shows it (components/_post.html and forum.permissions).
POST_FIELDS = (
    "id", "thread_id", "position", "author_id", "kind", "body_html", "created_at", "edited_at",
    "edit_count", "hidden_at", "deleted_at",
)  # fmt: skip
# A thread as a topic's list shows it (components/_thread_rows.html).
THREAD_ROW_FIELDS = (
    "id", "topic_id", "title", "kind", "pinned", "locked", "solution_post_id", "reply_count",
    "post_count", "last_activity_at", "author_id", "last_post_id",
)  # fmt: skip


def topic_tree() -> QuerySet[Topic]:
    """All topics in tree order (depth-first, siblings by position then name)."""
    return Topic.objects.order_by("tree_id", "lft")


# A topic as the home page's tree shows it (forum/_topic_tree.html), with the MPTT ordering
# fields so a topic built from the row needs nothing else; in the model's column order, as
# Model.from_db takes them.
TOPIC_TREE_FIELDS = tuple(
    field.attname
    for field in Topic._meta.concrete_fields
    if field.attname in {
        "id", "parent_id", "slug", "name", "description", "position", "thread_count",
        "post_count", "last_activity_at",
    }
)  # fmt: skip
_TREE_PARENT = TOPIC_TREE_FIELDS.index("parent_id")


class TopicTree:
    """The topics of the home page (topic_tree_for) as rows; `nodes` nests them with totals
    that include every subtopic, built only when the tree is rendered anew. The rows hold
    every value the tree shows, so they key its cached fragment (forum_tags.topic_tree)
    and a cache hit builds no Topic objects: building the 69 topics of the benchmark's
    tree through django-mptt's from_db took 1.7 of the home page's 4.4 ms (F32 in
    docs/benchmarks.md)."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def __bool__(self) -> bool:
        # A visible topic is shown only under a shown parent, so there is a tree exactly
        # when a root is visible.
        return any(row[_TREE_PARENT] is None for row in self.rows)

    @functools.cached_property
    def nodes(self) -> list[dict]:
        """Nested {topic, published, children, threads, posts, last_activity}; a topic under
        a parent the person cannot see is left out with that parent."""
        nodes: dict[int, dict] = {}
        roots: list[dict] = []
        width = len(TOPIC_TREE_FIELDS)
        topics = [build(Topic, TOPIC_TREE_FIELDS, row[:width]) for row in self.rows]
        for topic, row in zip(topics, self.rows, strict=True):  # parents before children
            node = {
                "topic": topic,
                "published": row[width],
                "children": [],
                "threads": topic.thread_count,
                "posts": topic.post_count,
                "last_activity": topic.last_activity_at,
            }
            if topic.parent_id is None:
                roots.append(node)
            elif topic.parent_id in nodes:
                nodes[topic.parent_id]["children"].append(node)
            else:
                continue
            nodes[topic.pk] = node
        for topic in reversed(topics):  # children before parents: totals flow upwards
            node = nodes.get(topic.pk)
            parent = nodes.get(topic.parent_id) if node else None
            if parent is not None:
                parent["threads"] += node["threads"]
                parent["posts"] += node["posts"]
                latest = node["last_activity"]
                if latest and (parent["last_activity"] is None or latest > parent["last_activity"]):
                    parent["last_activity"] = latest
        return roots


def topic_tree_for(topics: QuerySet[Topic]) -> TopicTree:
    """These topics (in tree order, e.g. topic_tree() as filtered by the viewer's rights) as
    the home page shows them. One query; no model objects until the tree is rendered."""
    # Whether a topic is published, not when: the tree shows no more, and each timestamp
    # costs a Python-level parse (Django's time-zone-aware loader).
    published = ExpressionWrapper(Q(published_at__isnull=False), output_field=BooleanField())
    return TopicTree(list(topics.values_list(*TOPIC_TREE_FIELDS, published)))


def published_topics() -> QuerySet[Topic]:
    return topic_tree().filter(published_at__isnull=False)


def topic_children(topic: Topic) -> QuerySet[Topic]:
    return Topic.objects.filter(parent=topic).order_by("lft")


def topic_ancestors(topic: Topic) -> list[Topic]:
    """The topic's ancestors, root first. No query for a root topic, nor for a topic one
    level down whose parent was loaded with it (thread_for_page)."""
    if topic.level == 0:
        return []
    if topic.level == 1 and "parent" in topic._state.fields_cache:
        return [topic.parent]
    return list(topic.get_ancestors())


# The reads of the busiest pages (a topic's threads, a thread and its posts) are plain SQL
# built once per process from the models' columns: compiling them through the ORM cost
# 2.5-3 ms of CPU each per page (docs/benchmarks.md, F10), more than PostgreSQL spends
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


@functools.cache
def _topic_page_sql(limit: int, backward: bool = False) -> tuple[str, list[list[str]]]:
    # The page size is written into the statement, not passed: with LIMIT a parameter,
    # PostgreSQL's generic plan is costed for an unknown limit and never wins, so every
    # execution was planned anew (2 ms of planning against 1 ms of execution, docs/benchmarks.md
    # F20). The OFFSET stays a parameter: the connection runs prepared statements on their
    # generic plan (plan_cache_mode in the settings, F33), whatever the offset.
    # backward=True counts the OFFSET from the topic's oldest thread (the same index read
    # backwards); the outer ORDER BY puts the page back in the listing's order (F30).
    thread_fields, thread_select = select_columns(Thread, "t", THREAD_ROW_FIELDS)
    author_groups, author_select = person_columns("a")
    groups = [thread_fields, *author_groups, ["last_poster_name"]]
    selects = [thread_select, author_select, "lpa.name"]
    sql = f"""
        SELECT {", ".join(selects)}, {VIEWS_SQL},
               COALESCE((SELECT r.last_read_position FROM {ThreadRead._meta.db_table} r
                          WHERE r.thread_id = t.id AND r.employee_id = %s), 0)
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
    (forum_tags.thread_rows) and a cache hit builds no objects (F21 in docs/benchmarks.md)."""

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
            thread._state.fields_cache["author"] = person_from_row(groups[1:4], slices[1:4], seen)
            thread.last_poster_name = slices[4][0]
            thread.topic = self._topic
            thread.views, thread.last_read_position = extra
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
    instead of none (F30 in docs/benchmarks.md)."""
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


# A topic and its parent ("tp", "pa"): the parent is the only ancestor of a topic one level
# down, so its crumbs need no other query (topic_ancestors).
TOPIC_AND_PARENT_JOIN = f"LEFT JOIN {Topic._meta.db_table} pa ON pa.id = tp.parent_id"


def _topic_and_parent(row: tuple, fields: list[str]) -> Topic:
    topic = Topic.from_db(connection.alias, fields, row[: len(fields)])
    parent_row = row[len(fields) : 2 * len(fields)]
    if parent_row[0] is not None:
        topic._state.fields_cache["parent"] = Topic.from_db(connection.alias, fields, parent_row)
    return topic


@functools.cache
def _topic_sql() -> tuple[str, list[str]]:
    topic_fields, topic_select = select_columns(Topic, "tp")
    _fields, parent_select = select_columns(Topic, "pa")
    sql = f"""
        SELECT {topic_select}, {parent_select}
          FROM {Topic._meta.db_table} tp {TOPIC_AND_PARENT_JOIN}
         WHERE tp.slug = %s
    """  # noqa: S608  (identifiers from the models, the slug a parameter)
    return sql, topic_fields


def topic_for_page(slug: str) -> Topic | None:
    """The topic with this slug and its parent (one query), or None."""
    sql, fields = _topic_sql()
    with prepared_cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    return None if row is None else _topic_and_parent(row, fields)


@functools.cache
def _thread_page_sql(with_viewer: bool) -> tuple[str, list[str], list[str]]:
    thread_fields, thread_select = select_columns(Thread, "t")
    topic_fields, topic_select = select_columns(Topic, "tp")
    _fields, parent_select = select_columns(Topic, "pa")
    viewer_columns = f", {moderation_reads.VIEWER_COLUMNS}" if with_viewer else ""
    viewer_join = moderation_reads.VIEWER_JOIN if with_viewer else ""
    sql = f"""
        SELECT {thread_select}, {topic_select}, {parent_select}, {VIEWS_SQL},
               EXISTS (SELECT 1 FROM {ClarifiedAnswer._meta.db_table} c
                        WHERE c.thread_id = t.id),
               EXISTS (SELECT 1 FROM {Escalation._meta.db_table} e WHERE e.thread_id = t.id)
               {viewer_columns}
          FROM {Thread._meta.db_table} t
          JOIN {Topic._meta.db_table} tp ON tp.id = t.topic_id {TOPIC_AND_PARENT_JOIN}
          {viewer_join}
         WHERE t.id = %(pk)s
    """  # noqa: S608  (identifiers from the models, the values parameters)
    return sql, thread_fields, topic_fields


def thread_for_page(pk: int, viewer: Employee | None = None) -> Thread | None:
    """One thread with its topic (and the topic's parent), its views so far (`views`),
    and whether it has clarified answers and escalations (`has_clarified`,
    `has_escalations`: two index probes that spare most thread pages moderation's two
    queries for them); None when there is no such thread. One query.

    With a signed-in `viewer`, the same row carries the viewer's topic grants and the
    header's counts (moderation.querysets.VIEWER_COLUMNS), kept on the viewer object: the
    page then makes no query of its own for either (F29)."""
    with_viewer = viewer is not None and viewer.is_authenticated
    sql, thread_fields, topic_fields = _thread_page_sql(with_viewer)
    params = {"pk": pk, **(moderation_reads.viewer_params(viewer) if with_viewer else {})}
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(thread_fields), len(thread_fields) + 2 * len(topic_fields)
    thread = build(Thread, thread_fields, row[:n])
    thread._state.fields_cache["topic"] = _topic_and_parent(row[n:m], topic_fields)
    thread.views, thread.has_clarified, thread.has_escalations = row[m : m + 3]
    if with_viewer:
        moderation_reads.keep_viewer_state(viewer, row[m + 3 :])
    return thread


@functools.cache
def _with_related_sql(model: type, relation: str, where: str, suffix: str) -> tuple:
    related = model._meta.get_field(relation).related_model
    fields, select = select_columns(model, "o")
    related_fields, related_select = select_columns(related, "r")
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
    n = len(fields)
    instance = build(model, fields, row[:n])
    instance._state.fields_cache[relation] = build(related, related_fields, row[n:])
    return instance


def thread_for_writing(pk: int, *, lock: bool = False) -> Thread | None:
    """One thread with its topic (None if there is none), without the views total a write
    does not show; with lock=True its row is locked (FOR UPDATE OF the thread alone) until
    the transaction ends. One prepared statement: the reply path's ORM reads cost more
    Python than PostgreSQL spends on them (F28 in docs/benchmarks.md)."""
    return _one_with_related(Thread, "topic", "id", pk, "FOR UPDATE OF o" if lock else "")


def post_by_submission_key(key) -> Post | None:
    """The post a form with this submission key already made (with its thread), or None."""
    return _one_with_related(Post, "thread", "submission_key", key)


def post_with_thread(pk: int) -> QuerySet[Post]:
    return Post.objects.filter(pk=pk).select_related("thread__topic", "author__unit__county")


def revisions_of(post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related("replaced_by").order_by("-number")


@functools.cache
def _posts_page_sql(clarified: bool = True) -> tuple[str, list[list[str]]]:
    """The page of posts. Without `clarified` (thread_for_page found no clarified answer in
    the thread) the clarification's columns are NULLs instead of two joins per post: the
    rows keep their shape, and the largest thread's first page spent 23 µs less in
    PostgreSQL (108 -> 85, docs/perf-h2.md)."""
    post_fields, post_select = select_columns(Post, "p", POST_FIELDS)
    author_groups, author_select = person_columns("a")
    clarified_fields, clarified_select = select_columns(
        ClarifiedAnswer, "ca", ("id", "post_id", "clarified_by_id", "clarified_at")
    )
    by_fields, by_select = select_columns(Employee, "cb", ("id", "name"))
    clarified_joins = (
        f"LEFT JOIN {ClarifiedAnswer._meta.db_table} ca ON ca.post_id = p.id "
        f"LEFT JOIN {Employee._meta.db_table} cb ON cb.id = ca.clarified_by_id"
    )
    if not clarified:
        clarified_select = ", ".join(["NULL"] * len(clarified_fields))
        by_select = ", ".join(["NULL"] * len(by_fields))
        clarified_joins = ""
    sql = f"""
        SELECT {post_select}, {author_select}, {clarified_select}, {by_select}
          FROM {Post._meta.db_table} p
          {person_joins("a", "p.author_id")}
          {clarified_joins}
         WHERE p.thread_id = %s AND p.position >= %s AND p.position <= %s
         ORDER BY p.position
         LIMIT %s
    """  # noqa: S608  (identifiers from the models, the values parameters)
    return sql, [post_fields, *author_groups, clarified_fields, by_fields]


class PostPage(list):
    """A page of posts (posts_on_page): the Post objects, knowing their thread, and `rows`,
    the rows they came from, which hold every value the page can show. The posts' authors
    (unit, county) and clarifications are attached by with_people(): the page of posts is a
    cached fragment keyed by the rows and the viewer's rights (forum_tags.post_list), and a
    page served from it builds none of them (F25 in docs/benchmarks.md)."""

    def __init__(self, posts: list[Post], rows: list[tuple], groups: list[list[str]]) -> None:
        super().__init__(posts)
        self.rows = rows
        self._groups = groups
        self._people = False

    def with_people(self) -> "PostPage":
        """Attach each post's author (unit, county) and clarification (clarified_by)."""
        if not self._people:
            groups, seen = self._groups, {}
            for post, row in zip(self, self.rows, strict=True):
                slices, _rest = split_row(row, groups)
                post._state.fields_cache["author"] = person_from_row(groups[1:4], slices[1:4], seen)
                clarification = None
                if slices[4][0] is not None:
                    clarification = build(ClarifiedAnswer, groups[4], slices[4])
                    clarification._state.fields_cache["clarified_by"] = build(
                        Employee, groups[5], slices[5]
                    )
                post._state.fields_cache["clarification"] = clarification
            self._people = True
        return self


def posts_on_page(thread: Thread, first: int, last: int, *, people: bool = True) -> PostPage:
    """Posts first..last of a thread, one range scan on (thread, position) however long the
    thread is, with their authors (unit, county) and clarifications, knowing their thread:
    the page renders them without another query. Only POST_FIELDS are loaded. With
    people=False the authors and clarifications wait for PostPage.with_people()."""
    sql, groups = _posts_page_sql(getattr(thread, "has_clarified", True))
    with prepared_cursor() as cursor:
        cursor.execute(sql, [thread.pk, first, last, last - first + 1])
        rows = cursor.fetchall()
    width = len(groups[0])
    posts = []
    for row in rows:
        post = build(Post, groups[0], row[:width])
        post._state.fields_cache["thread"] = thread
        posts.append(post)
    page = PostPage(posts, rows, groups)
    return page.with_people() if people else page
