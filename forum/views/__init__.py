"""Forum pages (reading, writing, shared helpers). Thin: scoped lookup, check_*, form,
service, redirect.

Every page runs a fixed number of queries whatever the number of topics, threads or posts
(pinned by tests/forum/test_views.py).
"""

from forum.views.helpers import page_of, post_url
from forum.views.reading import (
    home,
    post_history,
    post_redirect,
    thread_detail,
    topic_detail,
    unanswered,
)
from forum.views.social import mention_suggestions, my_posts, my_threads, post_useful, profile
from forum.views.writing import (
    post_delete,
    post_edit,
    post_restore,
    thread_create,
    thread_reply,
    thread_solution,
)

__all__ = [
    "home",
    "mention_suggestions",
    "my_posts",
    "my_threads",
    "page_of",
    "post_delete",
    "post_edit",
    "post_history",
    "post_redirect",
    "post_restore",
    "post_url",
    "post_useful",
    "profile",
    "thread_create",
    "thread_detail",
    "thread_reply",
    "thread_solution",
    "topic_detail",
    "unanswered",
]
