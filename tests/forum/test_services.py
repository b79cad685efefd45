import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from forum import services
from forum.markdown import RENDERER_VERSION
from forum.models import (
    BODY_MAX_LENGTH,
    Post,
    PostRevision,
    Thread,
    ThreadRead,
    ThreadViewDay,
    Topic,
)


def test_start_thread_creates_the_opening_post_and_counts_it(topic, employee):
    thread = services.start_thread(
        topic, author=employee, title="  Spørsmål om AAP  ", body="Hei *alle*", kind="question"
    )
    post = thread.posts.get()
    assert thread.title == "Spørsmål om AAP"
    assert (post.position, post.body_html) == (1, "<p>Hei <em>alle</em></p>\n")
    assert post.renderer_version == RENDERER_VERSION
    assert (thread.post_count, thread.reply_count, thread.last_post_id) == (1, 0, post.pk)
    topic.refresh_from_db()
    assert (topic.thread_count, topic.post_count) == (1, 1)
    assert topic.last_activity_at == post.created_at
    assert ThreadRead.objects.get(employee=employee, thread=thread).last_read_position == 1


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "tekst", "title"),
        ("   ", "tekst", "title"),
        ("x" * 151, "tekst", "title"),
        ("Tittel", "", "body"),
        ("Tittel", "x" * (BODY_MAX_LENGTH + 1), "body"),
        ("Tittel", "før\x00etter", "body"),
        ("Tittel", "ugyldig \udc80 tegn", "body"),
    ],
)
def test_start_thread_refuses_bad_text_with_a_field_message(topic, employee, title, body, field):
    with pytest.raises(ValidationError) as exc:
        services.start_thread(topic, author=employee, title=title, body=body, kind="discussion")
    assert field in exc.value.message_dict
    assert not Thread.objects.exists()


def test_start_thread_refuses_an_unpublished_topic(draft_topic, employee):
    with pytest.raises(ValidationError, match="not open"):
        services.start_thread(draft_topic, author=employee, title="T", body="B", kind="question")


def test_the_same_submission_key_makes_one_thread(topic, employee):
    key = uuid.uuid4()
    first = services.start_thread(
        topic, author=employee, title="T", body="B", kind="discussion", submission_key=key
    )
    again = services.start_thread(
        topic, author=employee, title="T", body="B", kind="discussion", submission_key=key
    )
    assert first.pk == again.pk
    assert Thread.objects.count() == 1


def test_post_reply_appends_at_the_next_position_and_updates_counters(thread, other_employee):
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    thread.refresh_from_db()
    assert reply.position == 2
    assert (thread.post_count, thread.reply_count, thread.last_post_id) == (2, 1, reply.pk)
    assert thread.last_activity_at == reply.created_at
    thread.topic.refresh_from_db()
    assert thread.topic.post_count == 2


def test_the_same_submission_key_makes_one_reply(thread, other_employee):
    key = uuid.uuid4()
    first = services.post_reply(thread, author=other_employee, body="Svar", submission_key=key)
    again = services.post_reply(thread, author=other_employee, body="Svar", submission_key=key)
    assert first.pk == again.pk
    thread.refresh_from_db()
    assert thread.post_count == 2


def test_another_employees_submission_key_is_refused(thread, other_employee, employee):
    key = uuid.uuid4()
    services.post_reply(thread, author=other_employee, body="Svar", submission_key=key)
    with pytest.raises(ValidationError):
        services.post_reply(thread, author=employee, body="Svar", submission_key=key)


def test_a_locked_thread_refuses_replies_from_employees_but_not_moderators(
    thread, other_employee, moderator
):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    with pytest.raises(ValidationError, match="locked"):
        services.post_reply(thread, author=other_employee, body="Svar")
    assert services.post_reply(thread, author=moderator, body="Fra moderator").position == 2


def test_department_answers_go_into_locked_threads(thread, other_employee):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    post = services.post_reply(
        thread,
        author=other_employee,
        body="Svar fra fagavdelingen",
        kind=Post.Kind.DEPARTMENT_ANSWER,
    )
    assert post.kind == Post.Kind.DEPARTMENT_ANSWER


def test_an_unpublished_topic_refuses_replies(thread, other_employee):
    type(thread.topic).objects.filter(pk=thread.topic_id).update(published_at=None)
    with pytest.raises(ValidationError, match="not open"):
        services.post_reply(thread, author=other_employee, body="Svar")


def test_posting_faster_than_the_interval_is_rate_limited(settings, thread, other_employee):
    settings.FORUM_POST_INTERVAL_SECONDS = 60
    services.post_reply(thread, author=other_employee, body="Første")
    with pytest.raises(services.RateLimited, match="too fast"):
        services.post_reply(thread, author=other_employee, body="Andre")
    Post.objects.filter(author=other_employee).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )
    assert services.post_reply(thread, author=other_employee, body="Andre").position == 3


def test_department_answers_are_not_rate_limited(settings, thread, other_employee):
    settings.FORUM_POST_INTERVAL_SECONDS = 60
    services.post_reply(thread, author=other_employee, body="Første")
    services.post_reply(
        thread, author=other_employee, body="Svar", kind=Post.Kind.DEPARTMENT_ANSWER
    )


def test_threads_per_day_are_limited(settings, topic, employee):
    settings.FORUM_THREADS_PER_DAY = 2
    for n in range(2):
        services.start_thread(topic, author=employee, title=f"T{n}", body="B", kind="discussion")
    with pytest.raises(services.RateLimited, match="24 hours"):
        services.start_thread(topic, author=employee, title="T3", body="B", kind="discussion")


def test_edit_post_keeps_every_earlier_version(thread, employee, moderator):
    post = thread.posts.get()
    services.edit_post(post, editor=employee, body="Andre versjon", reason="skrivefeil")
    services.edit_post(post, editor=moderator, body="Tredje versjon", title="Ny tittel")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.body_md, post.edit_count, thread.title) == ("Tredje versjon", 2, "Ny tittel")
    assert post.edited_at is not None
    revisions = list(PostRevision.objects.filter(post=post).order_by("number"))
    assert [r.body_md for r in revisions] == [
        "Vi lurer på hvordan **andre kontor** gjør aktivitetsplikten.",
        "Andre versjon",
    ]
    assert [r.replaced_by for r in revisions] == [employee, moderator]
    assert revisions[0].reason == "skrivefeil"
    assert revisions[1].title == "Hvordan følger dere opp sykmeldte etter åtte uker?"


def test_an_edit_that_changes_nothing_keeps_no_revision(thread, employee):
    post = thread.posts.get()
    services.edit_post(post, editor=employee, body=post.body_md)
    assert not PostRevision.objects.exists()


def test_edit_post_refuses_an_empty_body(thread, employee):
    with pytest.raises(ValidationError):
        services.edit_post(thread.posts.get(), editor=employee, body="  ")


def test_delete_and_restore_keep_the_post_and_fix_the_counters(thread, other_employee, moderator):
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    services.delete_post(reply, by=other_employee)
    thread.refresh_from_db()
    reply.refresh_from_db()
    assert reply.deleted_at is not None and reply.body_md == "Svar"
    assert (thread.post_count, thread.reply_count, thread.last_post_id) == (
        2,
        0,
        thread.posts.get(position=1).pk,
    )
    services.restore_post(reply, by=moderator)
    thread.refresh_from_db()
    assert (thread.reply_count, thread.last_post_id) == (1, reply.pk)
    thread.topic.refresh_from_db()
    assert thread.topic.post_count == 2


def test_mark_solution_on_a_question(question, other_employee, employee):
    reply = services.post_reply(question, author=other_employee, body="Svaret")
    thread = services.mark_solution(question, post=reply, by=employee)
    assert thread.solution_post_id == reply.pk and thread.solved_at is not None
    thread = services.mark_solution(question, post=None, by=employee)
    assert thread.solution_post_id is None


def test_mark_solution_refuses_discussions_the_opening_post_and_other_threads(
    thread, question, other_employee, employee
):
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    with pytest.raises(ValidationError):
        services.mark_solution(thread, post=reply, by=employee)
    with pytest.raises(ValidationError):
        services.mark_solution(question, post=question.posts.get(), by=employee)
    with pytest.raises(ValidationError):
        services.mark_solution(question, post=reply, by=employee)


def test_the_database_refuses_a_solution_on_a_discussion(thread, other_employee):
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(solution_post=reply)


def test_the_database_refuses_duplicate_positions_and_empty_bodies(thread, employee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(thread=thread).update(body_md="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            thread=thread, position=1, author=employee, body_md="x", body_html="x",
            renderer_version=1,
        )  # fmt: skip


def test_record_view_counts_per_day_without_touching_the_thread(thread, employee):
    for _ in range(30):
        services.record_view(thread, viewer=employee)
    rows = ThreadViewDay.objects.filter(thread=thread)
    assert sum(r.views for r in rows) == 30
    assert {r.day for r in rows} == {timezone.localdate()}
    assert 1 < rows.count() <= services.VIEW_BUCKETS


def test_mark_read_only_moves_forward(thread, other_employee):
    services.mark_read(thread, employee=other_employee, position=5)
    services.mark_read(thread, employee=other_employee, position=3)
    assert ThreadRead.objects.get(employee=other_employee, thread=thread).last_read_position == 5


def test_record_visit_counts_every_view_and_moves_the_read_mark_forward(thread, other_employee):
    for position in (5, 3, 0):
        services.record_visit(thread, viewer=other_employee, position=position)
    assert sum(ThreadViewDay.objects.filter(thread=thread).values_list("views", flat=True)) == 3
    assert ThreadRead.objects.get(employee=other_employee, thread=thread).last_read_position == 5


def test_read_page_reads_what_posts_on_page_reads_and_records_the_visit(
    thread, other_employee, make_employee
):
    """F35: the thread page's posts and its view counter and read mark in one statement."""
    from forum import querysets

    for n in range(4):
        services.post_reply(thread, author=other_employee, body=f"Svar {n}")
    reader = make_employee()
    thread = querysets.thread_for_page(thread.pk)
    expected = querysets.posts_on_page(thread, 2, 4, people=False)
    page = services.read_page(thread, viewer=reader, first=2, last=4)
    assert page.rows == expected.rows
    assert [p.position for p in page] == [2, 3, 4]
    assert all(post.thread is thread for post in page)
    assert ThreadRead.objects.get(employee=reader, thread=thread).last_read_position == 4
    # An earlier page counts the view and never moves the read mark back; a page past the
    # end reads no posts and counts the view, as record_visit(position=0) does.
    services.read_page(thread, viewer=reader, first=1, last=2)
    assert services.read_page(thread, viewer=reader, first=21, last=40) == []
    assert ThreadRead.objects.get(employee=reader, thread=thread).last_read_position == 4
    assert sum(ThreadViewDay.objects.filter(thread=thread).values_list("views", flat=True)) == 3
    # The page's authors and contributed values come as posts_on_page's do.
    assert [p.author.name for p in page.with_people()] == [other_employee.name] * 3


def test_read_page_folds_older_days_as_record_visit_does(thread, other_employee):
    Thread.objects.filter(pk=thread.pk).update(views_counted_through=None, view_count=0)
    total = _old_views(thread, (700, 40), (3, 5), (1, 1))
    thread.refresh_from_db()
    services.read_page(thread, viewer=other_employee, first=1, last=20)
    thread.refresh_from_db()
    assert thread.views_counted_through == timezone.localdate() - timedelta(days=2)
    assert thread.view_count == 45
    assert _views_shown(thread) == total + 1


def test_refresh_counters_recompute_from_rows(thread, other_employee):
    services.post_reply(thread, author=other_employee, body="Svar")
    Thread.objects.filter(pk=thread.pk).update(reply_count=99, post_count=99)
    thread = services.refresh_thread_counters(thread)
    assert (thread.post_count, thread.reply_count) == (2, 1)
    type(thread.topic).objects.filter(pk=thread.topic_id).update(post_count=0, thread_count=0)
    topic = services.refresh_topic_counters(thread.topic)
    assert (topic.thread_count, topic.post_count) == (1, 2)


def test_rerender_posts_updates_old_renderer_versions(thread):
    Post.objects.update(body_html="old", renderer_version=0)
    assert services.rerender_posts() == 1
    post = thread.posts.get()
    assert post.renderer_version == RENDERER_VERSION and "<strong>" in post.body_html


def test_a_post_that_renders_to_nothing_is_still_stored(thread, other_employee):
    post = services.post_reply(thread, author=other_employee, body="[ref]: (javascript:x)")
    assert post.body_md == "[ref]: (javascript:x)" and post.body_html == ""


def _views_shown(thread: Thread) -> int:
    from forum.querysets import thread_for_page

    return thread_for_page(thread.pk).views


def _old_views(thread: Thread, *days_ago_and_views: tuple[int, int]) -> int:
    today = timezone.localdate()
    for days_ago, views in days_ago_and_views:
        ThreadViewDay.objects.create(
            thread=thread, day=today - timedelta(days=days_ago), bucket=0, views=views
        )
    return sum(views for _days, views in days_ago_and_views)


def test_a_new_thread_has_nothing_to_fold(thread):
    assert thread.views_counted_through == timezone.localdate() - timedelta(
        days=services.VIEWS_FOLD_LAG_DAYS
    )


def test_a_view_folds_older_days_into_view_count_once_and_the_total_stays_exact(
    thread, other_employee
):
    # A thread from before the fold existed: nothing counted, two years of day rows.
    Thread.objects.filter(pk=thread.pk).update(views_counted_through=None, view_count=0)
    total = _old_views(thread, (700, 40), (30, 7), (3, 5), (2, 2), (1, 1))
    thread.refresh_from_db()
    assert _views_shown(thread) == total  # read path: view_count + the unfolded rows
    services.record_visit(thread, viewer=other_employee, position=1)
    thread.refresh_from_db()
    assert thread.views_counted_through == timezone.localdate() - timedelta(days=2)
    assert thread.view_count == 40 + 7 + 5 + 2  # up to the fold day, the rest stays in rows
    assert _views_shown(thread) == total + 1
    # A second viewer with the stale object does not fold the same days again.
    Thread.objects.filter(pk=thread.pk).update(views_counted_through=None)
    stale = Thread.objects.get(pk=thread.pk)
    Thread.objects.filter(pk=thread.pk).update(
        views_counted_through=timezone.localdate() - timedelta(days=2)
    )
    services.record_view(stale, viewer=other_employee)
    thread.refresh_from_db()
    assert thread.view_count == 54
    assert _views_shown(thread) == total + 2


def test_a_raw_view_row_is_counted_whatever_the_fold_state(thread):
    """The read path sums every day row after views_counted_through: a row written past the
    services (here today's) counts at once; one before it was folded in by the fold."""
    ThreadViewDay.objects.create(thread=thread, day=timezone.localdate(), bucket=3, views=11)
    assert _views_shown(thread) == 11


def test_the_replys_raw_counter_update_equals_the_orm_recount(thread, other_employee, employee):
    """post_reply's one-statement counter update (_count_reply) leaves the thread, topic and
    read mark as the ORM's recount (refresh_*_counters) and ThreadRead say they should be."""
    for n in range(3):
        services.post_reply(thread, author=other_employee if n % 2 else employee, body=f"S{n}")
    thread.refresh_from_db()
    topic = Topic.objects.get(pk=thread.topic_id)
    raw_thread = (thread.post_count, thread.reply_count, thread.last_post_id,
                  thread.last_activity_at)  # fmt: skip
    raw_topic = (topic.thread_count, topic.post_count, topic.last_activity_at)
    recounted = services.refresh_thread_counters(thread)
    topic = services.refresh_topic_counters(topic)
    assert raw_thread == (recounted.post_count, recounted.reply_count, recounted.last_post_id,
                          recounted.last_activity_at)  # fmt: skip
    assert raw_topic == (topic.thread_count, topic.post_count, topic.last_activity_at)
    last = ThreadRead.objects.get(thread=thread, employee=employee).last_read_position
    assert (
        last
        == Post.objects.filter(thread=thread, author=employee).aggregate(m=Max("position"))["m"]
    )


def test_the_forum_acts_alone_without_registered_hooks(
    monkeypatch, thread, other_employee, moderator
):
    """Restoring and a moderator's edit call forum.extensions' hooks (moderation's audit);
    with none registered the forum's own services still do the work."""
    from forum import extensions
    from moderation.models import AuditEntry

    monkeypatch.setattr(extensions, "_hooks", {name: [] for name in extensions._hooks})
    reply = services.post_reply(thread, author=other_employee, body="Angrer")
    services.delete_post(reply, by=other_employee)
    audited = AuditEntry.objects.count()  # the fixtures' staffing and publishing
    restored = services.restore_post(reply, by=moderator, reason="Feil")
    assert restored.deleted_at is None and AuditEntry.objects.count() == audited
    assert extensions.moderator_edit(reply, by=moderator, body="Ny", title=None, reason="") is None
