"""Every read the forum's pages need, each carrying its joins so templates never query.

By concern: topics (the visibility rule's SQL and ORM forms, the tree, a topic's page),
viewer (the signed-in employee's grants, with what forum.extensions' contributors read in
the same row), threads (a topic's page of threads, the thread page, the write path) and
posts (a page of posts, one post, its revisions).

The reads of the busiest pages are plain SQL built once per process from the models'
columns (bench/results/history.md, F10); tests/forum/test_querysets.py checks that each returns
what the equivalent ORM queryset returns.
"""

from forum.querysets.posts import (
    POST_FIELDS,
    PostPage,
    post_page_from_rows,
    post_with_thread,
    posts_on_page,
    posts_page_params,
    posts_page_sql,
    revisions_of,
)
from forum.querysets.threads import (
    THREAD_ROW_FIELDS,
    TOPIC_ORDER,
    TOPIC_ORDER_BACKWARD,
    VIEWS_SQL,
    ThreadPage,
    latest_threads_in,
    post_by_submission_key,
    thread_for_page,
    thread_for_writing,
    threads_for_topic_page,
)
from forum.querysets.topics import (
    TOPIC_AND_PARENT_JOIN,
    TOPIC_TREE_FIELDS,
    TREE_PUBLISHED,
    TopicTree,
    is_tree_published,
    published_topics,
    topic_ancestors,
    topic_children,
    topic_for_form,
    topic_for_page,
    topic_tree,
    topic_tree_for,
    tree_published,
    tree_published_sql,
)
from forum.querysets.viewer import read_viewer

__all__ = [
    "POST_FIELDS",
    "THREAD_ROW_FIELDS",
    "TOPIC_AND_PARENT_JOIN",
    "TOPIC_ORDER",
    "TOPIC_ORDER_BACKWARD",
    "TOPIC_TREE_FIELDS",
    "TREE_PUBLISHED",
    "VIEWS_SQL",
    "PostPage",
    "ThreadPage",
    "TopicTree",
    "is_tree_published",
    "latest_threads_in",
    "post_by_submission_key",
    "post_page_from_rows",
    "post_with_thread",
    "posts_on_page",
    "posts_page_params",
    "posts_page_sql",
    "published_topics",
    "read_viewer",
    "revisions_of",
    "thread_for_page",
    "thread_for_writing",
    "threads_for_topic_page",
    "topic_ancestors",
    "topic_children",
    "topic_for_form",
    "topic_for_page",
    "topic_tree",
    "topic_tree_for",
    "tree_published",
    "tree_published_sql",
]
