"""Writing: threads, replies, edits, deletes, restores, solutions (and re-rendering)."""

import functools
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from erfaringsforum.transactions import atomic_with_retry
from forum import extensions, querysets
from forum.markdown import RENDERER_VERSION, render_markdown
from forum.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Post,
    PostRevision,
    Thread,
    Topic,
)
from forum.notifications import kinds as notification_kinds
from forum.notifications import services as notification_services
from forum.notifications import tasks as notification_tasks
from forum.permissions import can_moderate
from forum.services.counters import refresh_thread_counters, refresh_topic_counters
from forum.services.reading import mark_read, read_upsert, views_fold_day
from forum.services.validation import (
    clean_text,
    existing_post,
    limit_post_interval,
    limit_threads_per_day,
    lock_author,
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


def _fan_out_after_commit(post: Post) -> None:
    """The request only enqueues: who is told is the worker's work (one row in the task
    queue after the commit; forum.notifications.tasks.fan_out_post)."""
    transaction.on_commit(functools.partial(notification_tasks.enqueue_fan_out, post.pk))


# Writing --------------------------------------------------------------------------------


def _locked_with_thread(post: Post) -> Post:
    """The post locked after its thread (the lock order of erfaringsforum.transactions),
    both FOR NO KEY UPDATE, so rows that point at them can still be written meanwhile."""
    thread_id = Post.objects.filter(pk=post.pk).values_list("thread_id", flat=True).get()
    thread = Thread.objects.select_for_update(no_key=True).get(pk=thread_id)
    post = Post.objects.select_for_update(no_key=True).get(pk=post.pk)
    post.thread = thread
    return post


@atomic_with_retry
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
        title = clean_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        body = clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if kind not in Thread.Kind.values:
        errors["kind"] = [_("Choose discussion or question.")]
    if errors:
        raise ValidationError(errors)

    lock_author(author)
    existing = existing_post(submission_key, author)
    if existing is not None:
        return existing.thread
    topic = Topic.objects.get(pk=topic.pk)
    if not topic.is_published and not can_moderate(author, topic):
        raise ValidationError(_("This topic is not open for new threads."))
    now = timezone.now()
    limit_post_interval(author, now)
    limit_threads_per_day(author, now)

    thread = Thread(
        topic=topic,
        title=title,
        author=author,
        kind=kind,
        created_at=now,
        last_activity_at=now,
        post_count=1,
        reply_count=0,
        views_counted_through=views_fold_day(),  # nothing to fold before it existed
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
    _fan_out_after_commit(post)
    return thread


@atomic_with_retry
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
    body = clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    if kind not in Post.Kind.values:
        raise ValidationError(_("Unknown kind of post."))
    html = render_markdown(body)  # before any lock: concurrent replies wait on the thread row
    lock_author(author)
    existing = existing_post(submission_key, author)
    if existing is not None:
        return existing
    now = timezone.now()
    if kind == Post.Kind.REGULAR:
        limit_post_interval(author, now)
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
    _fan_out_after_commit(post)
    return post


def _count_reply(thread: Thread, post: Post, *, author: Employee, now) -> None:
    """The thread's and topic's counters and the author's read mark after a reply, in one
    prepared statement: concurrent replies to the thread wait on its row lock, so the fewer
    round trips between that lock and the commit, the shorter everyone's wait."""
    threads, topics = Thread._meta.db_table, Topic._meta.db_table
    read_sql, read_params = read_upsert(thread, author, post.position)
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


@atomic_with_retry
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
    body = clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    if title is not None:
        title = clean_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    reason = (reason or "").strip()
    if reason:
        reason = clean_text(reason, field="reason", max_length=500)

    post = _locked_with_thread(post)
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
        thread.title = title
        thread.full_clean(validate_unique=False, validate_constraints=False)
        thread.save(update_fields=["title"])
        post.thread = thread
    return post


@atomic_with_retry
def delete_post(post: Post, *, by: Employee) -> Post:
    """Soft-delete a post: it keeps its place and text, shown as deleted, restorable by a
    moderator. Locks the post; refreshes thread and topic counters.

    Caller's contract: forum.permissions.check_delete_post(by, post)."""
    post = _locked_with_thread(post)
    if post.deleted_at is not None:
        return post
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    thread = refresh_thread_counters(post.thread)
    refresh_topic_counters(thread.topic)
    return post


@atomic_with_retry
def restore_post(post: Post, *, by: Employee, reason: str = "") -> Post:
    """Undo an author's delete (a moderator's action). Locks the post, refreshes thread and
    topic counters and calls the POST_RESTORED hooks of forum.extensions (moderation's
    audit entry) in the same transaction.

    Caller's contract: forum.permissions.check_restore_post(by, post)."""
    post = _locked_with_thread(post)
    if post.deleted_at is None:
        return post
    post.deleted_at = None
    post.save(update_fields=["deleted_at"])
    thread = refresh_thread_counters(post.thread)
    refresh_topic_counters(thread.topic)
    post.thread = thread
    extensions.post_restored(post, by=by, reason=reason)
    return post


@atomic_with_retry
def mark_solution(thread: Thread, *, post: Post | None, by: Employee) -> Thread:
    """Mark a reply as the answer that solved a question (post=None removes the mark).

    Raises ValidationError unless the thread is a question and the post is a visible
    reply in it. Locks the thread.

    Caller's contract: forum.permissions.check_mark_solution(by, thread).
    """
    thread = Thread.objects.select_for_update(no_key=True).get(pk=thread.pk)
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
    if post is not None:
        notification_services.notify(
            [thread.author_id], notification_kinds.SOLVED, actor=by, thread=thread, post=post
        )
    return thread


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
