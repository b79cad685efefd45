"""Every read the forum's pages need, each carrying its joins so templates never query."""

import functools
from datetime import date

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from accounts.models import County, Employee, Unit
from forum.models import Post, PostRevision, Thread, ThreadRead, ThreadViewDay, Topic
from moderation.models import ClarifiedAnswer, Escalation

PERSON = ("author__unit__county",)
# Columns of a person the pages show (components/_person.html); the rest of an employee's
# row (password hash, e-mail, ...) is never read on a page of posts or threads.
PERSON_COLUMNS = ("name", "unit__name", "unit__county__name")
# A post as a page of posts shows it (components/_post.html and forum.permissions).
POST_FIELDS = (
    "id", "thread_id", "position", "author_id", "kind", "body_html", "created_at", "edited_at",
    "edit_count", "hidden_at", "deleted_at",
)  # fmt: skip
THREAD_ROW_COLUMNS = (
    "id", "topic_id", "title", "kind", "pinned", "locked", "solution_post_id", "reply_count",
    "post_count", "last_activity_at", "author_id", "last_post_id",
    *(f"author__{column}" for column in PERSON_COLUMNS),
    "last_post__author__name",
)  # fmt: skip


def topic_tree() -> QuerySet[Topic]:
    """All topics in tree order (depth-first, siblings by position then name)."""
    return Topic.objects.order_by("tree_id", "lft")


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


def view_totals() -> CombinedExpression:
    """A thread's views: its folded view_count plus the day rows after views_counted_through
    (a few days at most, read through the (thread, day, bucket) index)."""
    recent = Subquery(
        ThreadViewDay.objects.filter(
            thread=OuterRef("pk"),
            day__gt=Coalesce(OuterRef("views_counted_through"), Value(date.min)),
        )
        .values("thread")
        .annotate(total=Sum("views"))
        .values("total")[:1],
        output_field=BigIntegerField(),
    )
    return F("view_count") + Coalesce(recent, Value(0))


def with_read_state(threads: QuerySet[Thread], employee: Employee) -> QuerySet[Thread]:
    """Annotate last_read_position (0 when never opened) and has_unread."""
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), employee_id=employee.pk).values(
        "last_read_position"
    )[:1]
    threads = threads.annotate(
        last_read_position=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0))
    )
    return threads.annotate(
        has_unread=Case(
            When(post_count__gt=F("last_read_position"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def threads_for_topic_list(topic: Topic, employee: Employee) -> QuerySet[Thread]:
    """A topic's threads as the topic page lists them: pinned first, then newest activity
    (the thread_topic_listing index), with author, last poster, views and read state."""
    threads = (
        Thread.objects.filter(topic=topic)
        .select_related("author__unit__county", "last_post__author")
        .only(*THREAD_ROW_COLUMNS)
        .annotate(views=view_totals())
        .order_by("-pinned", "-last_activity_at", "-id")
    )
    return with_read_state(threads, employee)


def threads_for_topic_page(
    topic: Topic, employee: Employee, *, offset: int, limit: int
) -> list[Thread]:
    """One page of threads_for_topic_list: the page's ids come from the listing index alone
    (index-only scan), and only those rows get the joins and annotations."""
    page_ids = (
        Thread.objects.filter(topic=topic)
        .order_by("-pinned", "-last_activity_at", "-id")
        .values("id")[offset : offset + limit]
    )
    return list(threads_for_topic_list(topic, employee).filter(pk__in=page_ids))


# The two reads of every thread page are plain SQL built once per process from the models'
# columns: compiling them through the ORM cost 2.5-3 ms of CPU each per page (docs/
# benchmarks.md, F10), more than PostgreSQL spends running them. Rows become model objects
# through Model.from_db, as the ORM's own rows do. tests/forum/test_querysets.py checks that
# they return what the equivalent ORM querysets return.


def _columns(model, alias: str, names: tuple[str, ...] | None = None) -> tuple[list[str], str]:
    """The attnames of a model's concrete fields (or `names`) and their SELECT list."""
    fields = [f.attname for f in model._meta.concrete_fields]
    if names is not None:
        fields = [name for name in fields if name in names]
    return fields, ", ".join(f'{alias}."{name}"' for name in fields)


@functools.cache
def _thread_page_sql() -> tuple[str, list[str], list[str]]:
    thread_fields, thread_select = _columns(Thread, "t")
    topic_fields, topic_select = _columns(Topic, "tp")
    _fields, parent_select = _columns(Topic, "pa")
    sql = f"""
        SELECT {thread_select}, {topic_select}, {parent_select},
               t.view_count + COALESCE((
                   SELECT SUM(d.views) FROM {ThreadViewDay._meta.db_table} d
                    WHERE d.thread_id = t.id
                      AND d.day > COALESCE(t.views_counted_through, '0001-01-01')), 0),
               EXISTS (SELECT 1 FROM {ClarifiedAnswer._meta.db_table} c
                        WHERE c.thread_id = t.id),
               EXISTS (SELECT 1 FROM {Escalation._meta.db_table} e WHERE e.thread_id = t.id)
          FROM {Thread._meta.db_table} t
          JOIN {Topic._meta.db_table} tp ON tp.id = t.topic_id
          LEFT JOIN {Topic._meta.db_table} pa ON pa.id = tp.parent_id
         WHERE t.id = %s
    """  # noqa: S608  (identifiers from the models, the id a parameter)
    return sql, thread_fields, topic_fields


def thread_for_page(pk: int) -> Thread | None:
    """One thread with its topic (and the topic's parent), its views so far (`views`, as
    view_totals() counts them),
    and whether it has clarified answers and escalations (`has_clarified`,
    `has_escalations`: two index probes that spare most thread pages moderation's two
    queries for them); None when there is no such thread. One query."""
    sql, thread_fields, topic_fields = _thread_page_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(thread_fields), len(thread_fields) + len(topic_fields)
    thread = Thread.from_db(connection.alias, thread_fields, row[:n])
    topic = Topic.from_db(connection.alias, topic_fields, row[n:m])
    parent_row, m = row[m : m + len(topic_fields)], m + len(topic_fields)
    if parent_row[0] is not None:  # the parent: topic_ancestors needs no query at level 1
        topic._state.fields_cache["parent"] = Topic.from_db(
            connection.alias, topic_fields, parent_row
        )
    thread._state.fields_cache["topic"] = topic
    thread.views, thread.has_clarified, thread.has_escalations = row[m:]
    return thread


def thread_for_writing(pk: int) -> QuerySet[Thread]:
    """One thread with its topic, without the views total a write does not show."""
    return Thread.objects.filter(pk=pk).select_related("topic")


def post_with_thread(pk: int) -> QuerySet[Post]:
    return Post.objects.filter(pk=pk).select_related("thread__topic", "author__unit__county")


def revisions_of(post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related("replaced_by").order_by("-number")


@functools.cache
def _posts_page_sql() -> tuple[str, list[list[str]]]:
    post_fields, post_select = _columns(Post, "p", POST_FIELDS)
    author_fields, author_select = _columns(Employee, "a", ("id", "name", "unit_id"))
    unit_fields, unit_select = _columns(Unit, "u", ("id", "name", "county_id"))
    county_fields, county_select = _columns(County, "c", ("id", "name"))
    clarified_fields, clarified_select = _columns(
        ClarifiedAnswer, "ca", ("id", "post_id", "clarified_by_id", "clarified_at")
    )
    by_fields, by_select = _columns(Employee, "cb", ("id", "name"))
    sql = f"""
        SELECT {post_select}, {author_select}, {unit_select}, {county_select},
               {clarified_select}, {by_select}
          FROM {Post._meta.db_table} p
          JOIN {Employee._meta.db_table} a ON a.id = p.author_id
          LEFT JOIN {Unit._meta.db_table} u ON u.id = a.unit_id
          LEFT JOIN {County._meta.db_table} c ON c.id = u.county_id
          LEFT JOIN {ClarifiedAnswer._meta.db_table} ca ON ca.post_id = p.id
          LEFT JOIN {Employee._meta.db_table} cb ON cb.id = ca.clarified_by_id
         WHERE p.thread_id = %s AND p.position >= %s AND p.position <= %s
         ORDER BY p.position
         LIMIT %s
    """  # noqa: S608  (identifiers from the models, the values parameters)
    groups = [post_fields, author_fields, unit_fields, county_fields, clarified_fields, by_fields]
    return sql, groups


def posts_on_page(thread: Thread, first: int, last: int) -> list[Post]:
    """Posts first..last of a thread, one range scan on (thread, position) however long the
    thread is, with their authors (unit, county) and clarifications, knowing their thread:
    the page renders them without another query. Only POST_FIELDS are loaded."""
    sql, groups = _posts_page_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [thread.pk, first, last, last - first + 1])
        rows = cursor.fetchall()
    alias = connection.alias
    posts = []
    for row in rows:
        values, start = [], 0
        for fields in groups:
            values.append(row[start : start + len(fields)])
            start += len(fields)
        post_row, author_row, unit_row, county_row, clarified_row, by_row = values
        post = Post.from_db(alias, groups[0], post_row)
        author = Employee.from_db(alias, groups[1], author_row)
        unit = Unit.from_db(alias, groups[2], unit_row) if unit_row[0] is not None else None
        if unit is not None:
            county = None
            if county_row[0] is not None:
                county = County.from_db(alias, groups[3], county_row)
            unit._state.fields_cache["county"] = county
        author._state.fields_cache["unit"] = unit
        clarification = None
        if clarified_row[0] is not None:
            clarification = ClarifiedAnswer.from_db(alias, groups[4], clarified_row)
            clarification._state.fields_cache["clarified_by"] = Employee.from_db(
                alias, groups[5], by_row
            )
        post._state.fields_cache["author"] = author
        post._state.fields_cache["clarification"] = clarification
        post._state.fields_cache["thread"] = thread
        posts.append(post)
    return posts
