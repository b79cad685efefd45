"""The only code that changes forum state.

Every service runs in one transaction, locks the row it changes (select_for_update),
validates the new row and saves only the fields it touched. Rule violations raise
ValidationError with a message the form can show.

Who may act is the caller's contract, as with Zulip's do_* actions: each service's
docstring names the forum.permissions check_* rule its caller has run (the views do; the
admin, management commands and seeders act as the system). The services re-check only
what can change between that check and the write, under the row lock: a thread locked or
a topic closed meanwhile.

Counters on Thread and Topic are denormalised here and nowhere else; moderation calls
refresh_thread_counters / refresh_topic_counters after hiding, restoring or moving.
"""

import random
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from forum import extensions, querysets
from forum.markdown import RENDERER_VERSION, render_markdown
from forum.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Post,
    PostRevision,
    Thread,
    ThreadRead,
    ThreadViewDay,
    Topic,
)
from forum.permissions import can_moderate

VIEW_BUCKETS = 8
VIEWS_FOLD_LAG_DAYS = 2


class RateLimited(ValidationError):
    """The employee posts faster than the installation allows (the view answers 429)."""


# Validation helpers ---------------------------------------------------------------------


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    """Stripped text that PostgreSQL can store, or a ValidationError naming the field."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field cannot be empty.")})
    if "\x00" in value:
        raise ValidationError({field: _("The text contains a null character; remove it.")})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError({field: _("The text contains invalid characters.")}) from None
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("The text is %(length)d characters long; the limit is %(limit)d.")
                % {"length": len(value), "limit": max_length}
            }
        )
    return value


def _lock_author(author: Employee) -> None:
    # One employee's submissions queue behind each other: the rate limit and the
    # submission key are then checked against committed rows, never raced.
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Employee._meta.db_table} WHERE id = %s FOR UPDATE",  # noqa: S608
            [author.pk],
        )
        if cursor.fetchone() is None:
            raise Employee.DoesNotExist


def _existing_post(submission_key: uuid.UUID | None, author: Employee) -> Post | None:
    if submission_key is None:
        return None
    post = querysets.post_by_submission_key(submission_key)
    if post is not None and post.author_id != author.pk:
        raise ValidationError(_("This form was already used. Reload the page and try again."))
    return post


def _check_post_interval(author: Employee, now) -> None:
    interval = settings.FORUM_POST_INTERVAL_SECONDS
    if interval <= 0:
        return
    last = (
        Post.objects.filter(author=author, kind=Post.Kind.REGULAR)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and now - last < timedelta(seconds=interval):
        wait = interval - int((now - last).total_seconds())
        raise RateLimited(
            _("You are posting too fast. Wait %(seconds)d seconds and send again.")
            % {"seconds": max(wait, 1)},
            code="rate_limited",
        )


def _check_threads_per_day(author: Employee, now) -> None:
    limit = settings.FORUM_THREADS_PER_DAY
    started = Thread.objects.filter(author=author, created_at__gt=now - timedelta(days=1))
    if started.count() >= limit:
        raise RateLimited(
            _(
                "You have started %(limit)d threads in the last 24 hours, the most allowed. "
                "Try again later, or reply in an existing thread."
            )
            % {"limit": limit},
            code="rate_limited",
        )


def _new_post(
    thread: Thread, *, position: int, author, body: str, kind, key, now, html: str | None = None
) -> Post:
    post = Post(
        thread=thread,
        position=position,
        author=author,
        kind=kind,
        body_md=body,
        body_html=render_markdown(body) if html is None else html,
        renderer_version=RENDERER_VERSION,
        created_at=now,
        submission_key=key,
    )
    # Uniqueness (position, key) is guaranteed by the locks above and by the database;
    # checking it here would only add queries. The HTML may be empty (a lone link
    # reference definition renders to nothing); the source is what must not be. The thread
    # and the author are rows the caller has just locked: validating them would re-read them.
    post.full_clean(
        exclude=["body_html", "thread", "author"], validate_unique=False, validate_constraints=False
    )
    post.save(force_insert=True)
    return post


def _bump_topic(topic_id: int, *, threads: int, posts: int, now) -> None:
    # An UPDATE with F() is atomic and takes the topic row lock only for the rest of this
    # transaction; readers are never blocked.
    Topic.objects.filter(pk=topic_id).update(
        thread_count=F("thread_count") + threads,
        post_count=F("post_count") + posts,
        last_activity_at=Greatest(F("last_activity_at"), now),
    )


# Writing --------------------------------------------------------------------------------


@transaction.atomic
def start_thread(
    topic: Topic,
    *,
    author: Employee,
    title: str,
    body: str,
    kind: str = Thread.Kind.DISCUSSION,
    submission_key: uuid.UUID | None = None,
) -> Thread:
    """Create a thread with its opening post (position 1).

    Caller's contract: forum.permissions.check_start_thread(author, topic).

    A resubmitted form (same submission_key) returns the thread it already made. Raises
    ValidationError for an empty/too long title or body or an unknown kind, for a topic
    that is not published (unless the author moderates it), and RateLimited when the
    author exceeds FORUM_THREADS_PER_DAY or FORUM_POST_INTERVAL_SECONDS. Locks the author
    row (per-employee ordering) and updates the topic's counters atomically.
    """
    errors: dict[str, list[str]] = {}
    try:
        title = _clean_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if kind not in Thread.Kind.values:
        errors["kind"] = [_("Choose discussion or question.")]
    if errors:
        raise ValidationError(errors)

    _lock_author(author)
    existing = _existing_post(submission_key, author)
    if existing is not None:
        return existing.thread
    topic = Topic.objects.get(pk=topic.pk)
    if not topic.is_published and not can_moderate(author, topic):
        raise ValidationError(_("This topic is not open for new threads."))
    now = timezone.now()
    _check_post_interval(author, now)
    _check_threads_per_day(author, now)

    thread = Thread(
        topic=topic,
        title=title,
        author=author,
        kind=kind,
        created_at=now,
        last_activity_at=now,
        post_count=1,
        reply_count=0,
        views_counted_through=_views_fold_day(),  # nothing to fold before it existed
    )
    thread.full_clean(validate_unique=False, validate_constraints=False)
    thread.save(force_insert=True)
    post = _new_post(
        thread, position=1, author=author, body=body, kind=Post.Kind.REGULAR,
        key=submission_key, now=now,
    )  # fmt: skip
    thread.last_post = post
    thread.save(update_fields=["last_post"])
    _bump_topic(topic.pk, threads=1, posts=1, now=now)
    mark_read(thread, employee=author, position=1)
    return thread


@transaction.atomic
def post_reply(
    thread: Thread,
    *,
    author: Employee,
    body: str,
    submission_key: uuid.UUID | None = None,
    kind: str = Post.Kind.REGULAR,
) -> Post:
    """Append a reply to a thread and update its counters in the same transaction.

    Caller's contract: forum.permissions.check_post_reply(author, thread) (department
    answers: moderation's escalation rules).

    The thread row is locked while the position is assigned, so concurrent replies get
    consecutive positions and exact counters. A resubmitted form (same submission_key)
    returns the post it already made. Raises ValidationError for an empty or too long
    body, a locked thread or an unpublished topic (except for its moderators and for
    department answers), and RateLimited when the author posts faster than
    FORUM_POST_INTERVAL_SECONDS (department answers are not limited).
    """
    body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    if kind not in Post.Kind.values:
        raise ValidationError(_("Unknown kind of post."))
    html = render_markdown(body)  # before any lock: concurrent replies wait on the thread row
    _lock_author(author)
    existing = _existing_post(submission_key, author)
    if existing is not None:
        return existing
    now = timezone.now()
    if kind == Post.Kind.REGULAR:
        _check_post_interval(author, now)
    thread = querysets.thread_for_writing(thread.pk, lock=True)
    if thread is None:
        raise Thread.DoesNotExist
    # The cheap conditions first: asking whether the author moderates costs a query.
    closed = not thread.topic.is_published or thread.locked
    if kind == Post.Kind.REGULAR and closed and not can_moderate(author, thread.topic):
        if not thread.topic.is_published:
            raise ValidationError(_("This topic is not open for posting."))
        if thread.locked:
            raise ValidationError(_("This thread is locked: it takes no new replies."))

    post = _new_post(
        thread, position=thread.post_count + 1, author=author, body=body, kind=kind,
        key=submission_key, now=now, html=html,
    )  # fmt: skip
    thread.post_count = post.position
    thread.reply_count += 1
    thread.last_post = post
    thread.last_activity_at = now
    _count_reply(thread, post, author=author, now=now)
    return post


def _count_reply(thread: Thread, post: Post, *, author: Employee, now) -> None:
    """The thread's and topic's counters and the author's read mark after a reply, in one
    prepared statement: concurrent replies to the thread wait on its row lock, so the fewer
    round trips between that lock and the commit, the shorter everyone's wait."""
    threads, topics = Thread._meta.db_table, Topic._meta.db_table
    read_sql, read_params = _read_upsert(thread, author, post.position)
    sql = (
        f"WITH counted AS (UPDATE {threads} SET post_count = %s, "  # noqa: S608
        "reply_count = reply_count + 1, last_post_id = %s, last_activity_at = %s "
        f"WHERE id = %s RETURNING 1), bumped AS (UPDATE {topics} "
        "SET post_count = post_count + 1, last_activity_at = GREATEST(last_activity_at, %s) "
        f"WHERE id = %s RETURNING 1) {read_sql}"
    )
    params = [post.position, post.pk, now, thread.pk, now, thread.topic_id, *read_params]
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def edit_post(
    post: Post,
    *,
    editor: Employee,
    body: str,
    title: str | None = None,
    reason: str = "",
) -> Post:
    """Replace a post's text (and, for an opening post, the thread title).

    The earlier version is kept as a PostRevision (who replaced it, when, why); an edit
    that changes nothing stores nothing. Locks the post (and the thread when the title
    changes). Raises ValidationError for an empty or too long body, title or reason.

    Caller's contract: forum.permissions.check_edit_post(editor, post). A moderator's edit
    of someone else's post goes through forum.extensions.moderator_edit, which records it.
    """
    body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    if title is not None:
        title = _clean_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    reason = (reason or "").strip()
    if reason:
        reason = _clean_text(reason, field="reason", max_length=500)

    post = Post.objects.select_for_update(of=("self",)).select_related("thread").get(pk=post.pk)
    thread = post.thread
    change_title = title is not None and post.position == 1 and title != thread.title
    if body == post.body_md and not change_title:
        return post

    now = timezone.now()
    revision = PostRevision(
        post=post,
        number=post.edit_count + 1,
        body_md=post.body_md,
        title=thread.title if post.position == 1 else "",
        created_at=post.edited_at or post.created_at,
        replaced_at=now,
        replaced_by=editor,
        reason=reason,
    )
    revision.full_clean(validate_unique=False, validate_constraints=False)
    revision.save(force_insert=True)

    post.body_md = body
    post.body_html = render_markdown(body)
    post.renderer_version = RENDERER_VERSION
    post.edited_at = now
    post.edit_count += 1
    post.full_clean(exclude=["body_html"], validate_unique=False, validate_constraints=False)
    post.save(update_fields=["body_md", "body_html", "renderer_version", "edited_at", "edit_count"])
    if change_title:
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        thread.title = title
        thread.full_clean(validate_unique=False, validate_constraints=False)
        thread.save(update_fields=["title"])
        post.thread = thread
    return post


@transaction.atomic
def delete_post(post: Post, *, by: Employee) -> Post:
    """Soft-delete a post: it keeps its place and text, shown as deleted, restorable by a
    moderator. Locks the post; refreshes thread and topic counters.

    Caller's contract: forum.permissions.check_delete_post(by, post)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.deleted_at is not None:
        return post
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    thread = refresh_thread_counters(post.thread)
    refresh_topic_counters(thread.topic)
    return post


@transaction.atomic
def restore_post(post: Post, *, by: Employee, reason: str = "") -> Post:
    """Undo an author's delete (a moderator's action). Locks the post, refreshes thread and
    topic counters and calls the POST_RESTORED hooks of forum.extensions (moderation's
    audit entry) in the same transaction.

    Caller's contract: forum.permissions.check_restore_post(by, post)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.deleted_at is None:
        return post
    post.deleted_at = None
    post.save(update_fields=["deleted_at"])
    thread = refresh_thread_counters(post.thread)
    refresh_topic_counters(thread.topic)
    post.thread = thread
    extensions.post_restored(post, by=by, reason=reason)
    return post


@transaction.atomic
def mark_solution(thread: Thread, *, post: Post | None, by: Employee) -> Thread:
    """Mark a reply as the answer that solved a question (post=None removes the mark).

    Raises ValidationError unless the thread is a question and the post is a visible
    reply in it. Locks the thread.

    Caller's contract: forum.permissions.check_mark_solution(by, thread).
    """
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.kind != Thread.Kind.QUESTION:
        raise ValidationError(_("Only questions can be marked as solved."))
    if post is None:
        thread.solution_post = None
        thread.solved_at = None
    else:
        post = Post.objects.get(pk=post.pk)
        if post.thread_id != thread.pk or post.position == 1 or not post.is_visible:
            raise ValidationError(_("Choose a visible reply in this thread as the answer."))
        thread.solution_post = post
        thread.solved_at = timezone.now()
    thread.save(update_fields=["solution_post", "solved_at"])
    return thread


# Counters -------------------------------------------------------------------------------


@transaction.atomic
def refresh_thread_counters(thread: Thread) -> Thread:
    """Recompute a thread's post/reply counts, last post and last activity from its rows.

    Locks the thread row. reply_count counts visible posts after the first; post_count
    every row (positions stay 1..post_count); last activity is the newest visible post.
    Caller's contract: none (bookkeeping after a write the caller was allowed to make).
    """
    thread = querysets.thread_for_writing(thread.pk, lock=True)
    if thread is None:
        raise Thread.DoesNotExist
    posts = Post.objects.filter(thread=thread)
    visible = posts.filter(hidden_at__isnull=True, deleted_at__isnull=True)
    thread.post_count = posts.aggregate(n=Max("position"))["n"] or 0
    thread.reply_count = visible.filter(position__gt=1).count()
    last = visible.order_by("-position").first()
    thread.last_post = last
    thread.last_activity_at = last.created_at if last else thread.created_at
    if thread.solution_post_id and not visible.filter(pk=thread.solution_post_id).exists():
        thread.solution_post = None
        thread.solved_at = None
    thread.save(
        update_fields=[
            "post_count",
            "reply_count",
            "last_post",
            "last_activity_at",
            "solution_post",
            "solved_at",
        ]
    )
    return thread


@transaction.atomic
def refresh_topic_counters(topic: Topic) -> Topic:
    """Recompute a topic's thread count, visible post count and last activity. Locks the
    topic row. Caller's contract: none (bookkeeping after an allowed write)."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.thread_count = Thread.objects.filter(topic=topic).count()
    topic.post_count = Post.objects.filter(
        thread__topic=topic, hidden_at__isnull=True, deleted_at__isnull=True
    ).count()
    topic.last_activity_at = Thread.objects.filter(topic=topic).aggregate(
        last=Max("last_activity_at")
    )["last"]
    topic.save(update_fields=["thread_count", "post_count", "last_activity_at"])
    return topic


# Reading --------------------------------------------------------------------------------


def _views_fold_day() -> date:
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
    fold_day = _views_fold_day()
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


def _read_upsert(thread: Thread, employee: Employee, position: int) -> tuple[str, list]:
    table = ThreadRead._meta.db_table
    sql = (
        f"INSERT INTO {table} (employee_id, thread_id, last_read_position, read_at) "  # noqa: S608
        "VALUES (%s, %s, %s, %s) ON CONFLICT (employee_id, thread_id) DO UPDATE SET "
        f"last_read_position = GREATEST({table}.last_read_position, "
        "EXCLUDED.last_read_position), read_at = EXCLUDED.read_at"
    )
    return sql, [employee.pk, thread.pk, position, timezone.now()]


# How a page view's counters end: outside a transaction the statement is its own, and this
# makes its commit not wait for the WAL to reach the disk (synchronous_commit is set for that
# transaction alone). Every page view writes, and waiting for the flush doubled the
# statement's time (0.325 -> 0.163 ms here, more on network storage; F31 in
# docs/benchmarks.md). A crash can lose the last fraction of a second of views and read
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
    read_sql, read_params = _read_upsert(thread, viewer, position)
    _count(
        [*fold_ctes, f"counted AS ({view_sql} RETURNING 1)", f"marked AS ({read_sql} RETURNING 1)"],
        fold_params + view_params + read_params,
    )


def mark_read(thread: Thread, *, employee: Employee, position: int) -> None:
    """Remember that the employee has read the thread up to `position` (never backwards).

    One upsert; no lock on the thread. Caller's contract: check_view_thread(employee,
    thread) (or the employee just wrote in it).
    """
    if not employee.is_authenticated or position < 1:
        return
    sql, params = _read_upsert(thread, employee, position)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)


def rerender_posts(*, batch_size: int = 500) -> int:
    """Re-render every post stored with an older renderer version; returns how many.
    Caller's contract: the system (a management command after a renderer change)."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                Post.objects.select_for_update(skip_locked=True)
                .filter(~Q(renderer_version=RENDERER_VERSION))
                .only("pk", "body_md")[:batch_size]
            )
            if not batch:
                return done
            for post in batch:
                post.body_html = render_markdown(post.body_md)
                post.renderer_version = RENDERER_VERSION
            Post.objects.bulk_update(batch, ["body_html", "renderer_version"])
            done += len(batch)
