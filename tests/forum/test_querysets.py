"""The busiest pages' reads (a topic's threads, a thread, its posts) are plain SQL
(forum.querysets); each must return exactly what the equivalent ORM queryset returns."""

import uuid
from datetime import date, timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import BigIntegerField, Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Employee
from accounts.querysets import build
from forum import permissions, querysets, services
from forum.models import Post, Thread, ThreadRead, ThreadViewDay, Topic
from forum.templatetags import forum_tags
from moderation import services as moderation_services
from moderation.models import ClarifiedAnswer, Escalation

# The ORM's own reads of the same rows, the reference the plain SQL must equal.


def orm_views():
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


def orm_topic_page(topic, employee, offset, limit):
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), employee_id=employee.pk)
    return list(
        Thread.objects.filter(topic=topic)
        .select_related("author__unit__county", "last_post__author")
        .annotate(
            views=orm_views(),
            last_read_position=Coalesce(
                Subquery(last_read.values("last_read_position")[:1]), Value(0)
            ),
        )
        .order_by("-pinned", "-last_activity_at", "-id")[offset : offset + limit]
    )


def test_thread_for_page_equals_the_orm_read(thread, department, moderator):
    ThreadViewDay.objects.create(thread=thread, day=timezone.localdate(), bucket=1, views=7)
    ThreadViewDay.objects.create(
        thread=thread, day=timezone.localdate() - timedelta(days=400), bucket=0, views=5
    )
    Thread.objects.filter(pk=thread.pk).update(views_counted_through=None, view_count=0)
    for with_moderation in (False, True):
        if with_moderation:
            moderation_services.clarify_post(thread.posts.get(), by=moderator)
            Escalation.objects.create(
                thread=thread, department=department, category="routine", summary="S",
                escalated_by=moderator,
            )  # fmt: skip
        expected = (
            Thread.objects.select_related("topic__parent")
            .annotate(
                views=orm_views(),
                has_clarified=Exists(ClarifiedAnswer.objects.filter(thread=OuterRef("pk"))),
                has_escalations=Exists(Escalation.objects.filter(thread=OuterRef("pk"))),
            )
            .get(pk=thread.pk)
        )
        got = querysets.thread_for_page(thread.pk)
        fields = [f.attname for f in Thread._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert got.topic.__dict__.keys() >= {"name", "slug", "level"}
        assert (got.topic.pk, got.topic.name, got.topic.parent) == (
            expected.topic.pk, expected.topic.name, expected.topic.parent,
        )  # fmt: skip
        assert (got.views, got.has_clarified, got.has_escalations) == (
            expected.views, with_moderation, with_moderation,
        )  # fmt: skip
        assert got.views == 12
    assert querysets.thread_for_page(thread.pk + 10_000) is None


def test_posts_on_page_equals_the_orm_read(
    thread, employee, other_employee, moderator, django_assert_num_queries
):
    for n in range(5):
        services.post_reply(thread, author=other_employee, body=f"Svar {n}")
    employee.unit = None  # an author without a unit
    employee.save()
    clarified = thread.posts.get(position=3)
    moderation_services.clarify_post(clarified, by=moderator)
    expected = list(
        Post.objects.filter(thread=thread, position__gte=2, position__lte=5)
        .select_related("author__unit__county", "clarification__clarified_by")
        .order_by("position")
    )
    with django_assert_num_queries(1):
        got = querysets.posts_on_page(thread, 2, 5)
        shown = []  # everything a page shows, without another query
        for post in got:
            author, unit = post.author, post.author.unit
            clarification = getattr(post, "clarified_answer", None)
            shown.append((
                author.name, unit and unit.name, unit and unit.county.name, post.thread.title,
                post.body_html, clarification and clarification.clarified_by.name,
            ))  # fmt: skip
    assert shown[1][5] == moderator.name and shown[0][5] is None
    assert [p.pk for p in got] == [p.pk for p in expected]
    for post, ref in zip(got, expected, strict=True):
        for field in querysets.POST_FIELDS:
            assert getattr(post, field) == getattr(ref, field), field
        assert post.author.name == ref.author.name
        assert post.author.unit.county.name == ref.author.unit.county.name
    assert got[1].clarified_answer.clarified_by.name == moderator.name
    first = querysets.posts_on_page(thread, 1, 1)[0]
    assert first.author.unit is None and first.author.pk == employee.pk
    assert isinstance(first.author, Employee)
    assert querysets.posts_on_page(thread, 40, 59) == []


def test_threads_for_topic_page_equals_the_orm_read(
    topic, employee, other_employee, django_assert_num_queries
):
    threads = [
        services.start_thread(topic, author=other_employee, title=f"Tråd {n}", body="B")
        for n in range(7)
    ]
    other_employee.unit = None
    other_employee.save()
    services.post_reply(threads[2], author=employee, body="Svar")
    services.mark_read(threads[3], employee=employee, position=1)
    Thread.objects.filter(pk=threads[4].pk).update(pinned=True)
    ThreadViewDay.objects.create(thread=threads[5], day=timezone.localdate(), bucket=2, views=9)
    for offset, limit in ((0, 3), (3, 3), (6, 3), (9, 3)):
        expected = orm_topic_page(topic, employee, offset, limit)
        with django_assert_num_queries(1):
            got = querysets.threads_for_topic_page(topic, employee, offset=offset, limit=limit)
            shown = [  # everything a row shows, without another query
                (t.author.name, t.author.unit, t.last_poster_name) for t in got
            ]
        assert [t.pk for t in got] == [t.pk for t in expected]
        for thread, ref, (author_name, unit, poster) in zip(got, expected, shown, strict=True):
            for field in querysets.THREAD_ROW_FIELDS:
                assert getattr(thread, field) == getattr(ref, field), field
            assert (thread.views, thread.last_read_position) == (
                ref.views, ref.last_read_position,
            )  # fmt: skip
            assert thread.has_unread == (ref.post_count > ref.last_read_position)
            assert (author_name, unit, poster) == (
                ref.author.name, ref.author.unit, ref.last_post.author.name,
            )  # fmt: skip
    first_page = querysets.threads_for_topic_page(topic, employee, offset=0, limit=10)
    assert first_page[0].pk == threads[4].pk  # pinned first
    by_pk = {t.pk: t for t in first_page}
    assert by_pk[threads[5].pk].views == 9
    assert not by_pk[threads[2].pk].has_unread  # the employee replied: read to the end
    assert not by_pk[threads[3].pk].has_unread and by_pk[threads[6].pk].has_unread


def test_older_topic_pages_read_from_the_oldest_thread_give_the_same_pages(
    topic, employee, other_employee, django_assert_num_queries, monkeypatch
):
    """F30: a page in the older half is read backwards from the oldest thread. Every page of
    every size, the short last page and a page past the end included, equals the ORM's
    forward slice; pinned threads stay first whichever end the read starts from."""
    threads = [
        services.start_thread(topic, author=other_employee, title=f"Tråd {n}", body="B")
        for n in range(7)
    ]
    Thread.objects.filter(pk__in=[threads[1].pk, threads[5].pk]).update(pinned=True)
    topic.refresh_from_db()
    assert topic.thread_count == 7
    directions = []
    from forum.querysets import threads as thread_reads

    sql_for = thread_reads._topic_page_sql
    monkeypatch.setattr(
        thread_reads,
        "_topic_page_sql",
        lambda limit, backward=False: directions.append(backward) or sql_for(limit, backward),
    )
    for limit in (1, 2, 3, 4, 7, 25):
        for offset in range(0, 9, limit):
            expected = [t.pk for t in orm_topic_page(topic, employee, offset, limit)]
            with django_assert_num_queries(1):
                got = querysets.threads_for_topic_page(topic, employee, offset=offset, limit=limit)
            assert [t.pk for t in got] == expected, (limit, offset)
    assert directions.count(True) > 5  # the backward read was exercised, not only forward
    assert "pinned ASC" in sql_for(3, True)[0] and "pinned ASC" not in sql_for(3)[0]


def test_topic_for_page_equals_the_orm_read(make_topic):
    root = make_topic("Rot")
    child = make_topic("Barn", parent=root)
    for topic in (root, child):
        expected = type(topic).objects.select_related("parent").get(slug=topic.slug)
        got = querysets.topic_for_page(topic.slug)
        fields = [f.attname for f in type(topic)._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert got.parent == expected.parent
    assert querysets.topic_for_page("finnes-ikke") is None


def test_prepared_reads_run_their_generic_plan_from_the_first_execution(topic, thread, employee):
    """F20, F33: PostgreSQL would plan a prepared statement for its values while those plans
    looked cheaper than the generic one. The topic list's unknown OFFSET is costed as a
    tenth of the topic's threads, so on the 1,000,000-post data set page 1 (offset 0) and
    the last page (read backwards from offset 0) were planned anew on every request. The
    connection runs every prepared statement on its generic plan (settings,
    plan_cache_mode), and the page size is written into the statement."""
    for _n in range(3):
        querysets.threads_for_topic_page(topic, employee, offset=0, limit=25)
        querysets.posts_on_page(querysets.thread_for_page(thread.pk, viewer=employee), 1, 20)
    topic.thread_count = 3  # an offset in the older half: the backward statement
    querysets.threads_for_topic_page(topic, employee, offset=2, limit=25)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
        cursor.execute("SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements")
        plans = cursor.fetchall()
    topic_lists = [statement for _g, _c, statement in plans if "ORDER BY pinned" in statement]
    assert len(topic_lists) == 2  # forward and backward
    assert all("LIMIT 25 OFFSET $3" in statement for statement in topic_lists)
    assert len(plans) >= 4 and all(generic >= 1 and custom == 0 for generic, custom, _s in plans)


def test_a_topic_page_builds_its_threads_only_when_shown(topic, employee, other_employee):
    for n in range(3):
        services.start_thread(topic, author=other_employee, title=f"Tråd {n}", body="B")
    page = querysets.threads_for_topic_page(topic, employee, offset=0, limit=25)
    first = forum_tags.thread_rows(page)
    assert len(page) == 3 and "_threads" in page.__dict__  # rendered on a miss: built
    again = querysets.threads_for_topic_page(topic, employee, offset=0, limit=25)
    assert forum_tags.thread_rows(again) == first
    assert "_threads" not in again.__dict__  # a cache hit builds no Thread objects
    assert [t.title for t in again] == ["Tråd 2", "Tråd 1", "Tråd 0"]


def test_build_makes_what_from_db_makes(thread, employee):
    """accounts.querysets.build (F24) fills an instance as Model.from_db does, for every
    model the plain reads build, with all columns or some (the rest deferred)."""
    post = thread.posts.get()
    for obj in (post, employee, employee.unit, employee.unit.county, thread):
        model = type(obj)
        for fields in (
            [f.attname for f in model._meta.concrete_fields],
            [f.attname for f in model._meta.concrete_fields][:3],
        ):
            values = tuple(getattr(obj, name) for name in fields)
            built = build(model, fields, values)
            reference = model.from_db(connection.alias, fields, values)
            assert type(built) is model
            assert vars(built).keys() == vars(reference).keys()
            assert {k: v for k, v in vars(built).items() if k != "_state"} == {
                k: v for k, v in vars(reference).items() if k != "_state"
            }
            assert (built._state.adding, built._state.db) == (False, connection.alias)
            assert built.get_deferred_fields() == reference.get_deferred_fields()
    partial = build(Post, ["id", "thread_id"], (post.pk, thread.pk))
    assert partial.body_md == post.body_md  # a deferred field loads as with the ORM
    topic = build(Topic, ["id"], (thread.topic_id,))  # django-mptt's own __init__ is kept
    assert topic.name == thread.topic.name and hasattr(topic, "_mptt_cached_fields")


def test_a_page_of_posts_builds_authors_only_when_rendered(thread, employee, other_employee):
    """F25: a page served from its cached fragment builds no authors or clarifications."""
    services.post_reply(thread, author=other_employee, body="Svar")
    request = RequestFactory().get(thread.get_absolute_url())
    request.user = employee

    def page_html(page):
        permissions.post_rights(request.user, thread, page)
        return forum_tags.post_list(
            {"csrf_token": "t"}, page, reply_url="/r", solution_action="/s", can_reply=True
        )

    first = querysets.posts_on_page(thread, 1, 20, people=False)
    assert not first._people
    html = page_html(first)
    assert first._people and other_employee.name in html  # rendered anew: people attached
    again = querysets.posts_on_page(thread, 1, 20, people=False)
    assert page_html(again) == html and not again._people  # from the cache: none built
    whole = querysets.posts_on_page(thread, 1, 20)
    assert whole._people and whole[1].author.name == other_employee.name


def test_the_write_paths_reads_equal_the_orm_reads(thread, other_employee):
    """F28: the reply's thread (locked or not) and the post a submission key already made."""
    key = uuid.uuid4()
    reply = services.post_reply(thread, author=other_employee, body="Svar", submission_key=key)
    expected = Thread.objects.select_related("topic").get(pk=thread.pk)
    for lock in (False, True):
        with transaction.atomic():
            got = querysets.thread_for_writing(thread.pk, lock=lock)
        fields = [f.attname for f in Thread._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert got.topic == expected.topic and got.topic.name == expected.topic.name
    assert querysets.thread_for_writing(2_000_000_000) is None
    found = querysets.post_by_submission_key(key)
    assert found == reply and found.position == reply.position
    assert found.thread.post_count == 2 and found.thread == thread
    assert querysets.post_by_submission_key(uuid.uuid4()) is None


def _raw_connection_kwargs() -> dict:
    settings = connection.settings_dict  # the test database
    return {
        "dbname": settings["NAME"], "user": settings["USER"], "host": settings["HOST"],
        "port": settings["PORT"] or 5432, "password": settings["PASSWORD"] or None,
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_locked_read_holds_the_threads_row(thread):
    with transaction.atomic():
        querysets.thread_for_writing(thread.pk, lock=True)
        with psycopg.connect(**_raw_connection_kwargs(), autocommit=True) as other:
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(
                    "SELECT id FROM forum_thread WHERE id = %s FOR UPDATE NOWAIT", [thread.pk]
                )
            other.execute(  # the topic is not locked with it
                "SELECT id FROM forum_topic WHERE id = %s FOR UPDATE NOWAIT", [thread.topic_id]
            )


def test_the_visibility_rules_sql_equals_its_orm_form(make_topic):
    """forum.querysets.tree_published_sql (the raw reads' "every ancestor published") and
    tree_published() (the querysets') agree on every topic of a tree with drafts at each
    level; the raw reads that carry it give the same."""
    from django.db import connection as db

    root = make_topic("Rot")
    draft = make_topic("Utkast", published=False, parent=root)
    under_draft = make_topic("Under utkast", parent=draft)
    deepest = make_topic("Dypest", parent=under_draft)
    shown = make_topic("Synlig", parent=root)
    draft_root = make_topic("Utkast-rot", published=False)
    under_draft_root = make_topic("Under utkast-rot", parent=draft_root)
    expected = {
        root: True, draft: False, under_draft: False, deepest: False, shown: True,
        draft_root: False, under_draft_root: False,
    }  # fmt: skip
    orm = dict(Topic.objects.annotate(flag=querysets.tree_published()).values_list("pk", "flag"))
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT tp.id, {querysets.tree_published_sql('tp')} FROM {Topic._meta.db_table} tp"
        )
        raw = dict(cursor.fetchall())
    assert orm == raw == {topic.pk: flag for topic, flag in expected.items()}
    for topic, flag in expected.items():
        assert querysets.topic_for_page(topic.slug).tree_published is flag
        assert querysets.topic_for_form(topic.slug).tree_published is flag
        fresh = Topic.objects.get(pk=topic.pk)
        assert querysets.is_tree_published(fresh) is flag
