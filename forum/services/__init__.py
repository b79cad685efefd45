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

By concern: writing (threads, replies, edits, deletes, restores, solutions), counters, and
reading (views and read marks).
"""

from forum.services.counters import refresh_thread_counters, refresh_topic_counters
from forum.services.reading import (
    COUNTERS_COMMIT_LAZILY,
    COUNTERS_IN_TRANSACTION,
    VIEW_BUCKETS,
    VIEWS_FOLD_LAG_DAYS,
    mark_read,
    read_page,
    record_view,
    record_visit,
)
from forum.services.validation import RateLimited
from forum.services.writing import (
    delete_post,
    edit_post,
    mark_solution,
    post_reply,
    rerender_posts,
    restore_post,
    start_thread,
)

__all__ = [
    "COUNTERS_COMMIT_LAZILY",
    "COUNTERS_IN_TRANSACTION",
    "VIEWS_FOLD_LAG_DAYS",
    "VIEW_BUCKETS",
    "RateLimited",
    "delete_post",
    "edit_post",
    "mark_read",
    "mark_solution",
    "post_reply",
    "read_page",
    "record_view",
    "record_visit",
    "refresh_thread_counters",
    "refresh_topic_counters",
    "rerender_posts",
    "restore_post",
    "start_thread",
]
