"""The denormalised counters of threads and topics, recomputed from their rows.

Counters on Thread and Topic are denormalised in forum.services and nowhere else;
moderation calls refresh_thread_counters / refresh_topic_counters after hiding, restoring
or moving."""

from django.db import transaction
from django.db.models import Max

from forum import querysets
from forum.models import (
    Post,
    Thread,
    Topic,
)

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
    topic = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
    topic.thread_count = Thread.objects.filter(topic=topic).count()
    topic.post_count = Post.objects.filter(
        thread__topic=topic, hidden_at__isnull=True, deleted_at__isnull=True
    ).count()
    topic.last_activity_at = Thread.objects.filter(topic=topic).aggregate(
        last=Max("last_activity_at")
    )["last"]
    topic.save(update_fields=["thread_count", "post_count", "last_activity_at"])
    return topic
