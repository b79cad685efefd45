"""What the search and similar-threads statements share: table names from the models,
the visibility rule's topics, post visibility, and one guarded way to run a statement."""

from typing import Any

import psycopg
from django.db import OperationalError, connection, transaction

from accounts.models import County, Employee, Unit
from forum import extensions
from forum.models import Post, Thread, Topic
from forum.querysets import tree_published_sql
from forum.search.results import Filters

SEARCH_TIMEOUT_MS = 3000


# The tables, from the models; the statements below name them {topic_t}, {thread_t} ...
TABLES = {
    "topic_t": Topic._meta.db_table,
    "thread_t": Thread._meta.db_table,
    "post_t": Post._meta.db_table,
    "employee_t": Employee._meta.db_table,
    "unit_t": Unit._meta.db_table,
    "county_t": County._meta.db_table,
}
# Search lists what every employee may see: the visibility rule's topics published with
# every ancestor (forum.querysets.tree_published_sql, the rule's one SQL form). A draft's
# staff reach it through its topic page, never through search (tests/search).
VISIBLE_TOPICS = f"""
    SELECT t.id FROM {TABLES["topic_t"]} t
    WHERE {tree_published_sql("t")}
"""  # noqa: S608
# An array computed once per statement: an IN (subquery) here was re-hashed per candidate.
IN_VISIBLE_TOPIC = "th.topic_id = ANY ((SELECT array_agg(id) FROM visible_topic)::bigint[])"
VISIBLE_POST = "{p}.hidden_at IS NULL AND {p}.deleted_at IS NULL"
OPENING_POST_VISIBLE = f"""EXISTS (
    SELECT 1 FROM {TABLES["post_t"]} op WHERE op.thread_id = th.id AND op.position = 1
      AND op.hidden_at IS NULL AND op.deleted_at IS NULL)"""  # noqa: S608
# Clarified answers are moderation's: their SQL comes through forum.extensions (nothing is
# clarified without it).
NO_ROWS = "SELECT NULL::bigint AS {column} WHERE FALSE"


def _has_clarified() -> str:
    return extensions.sql("thread_has_clarified", "FALSE", thread="th")


HAS_ACCEPTED = f"""(th.solution_post_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM {TABLES["post_t"]} sp WHERE sp.id = th.solution_post_id
      AND sp.hidden_at IS NULL AND sp.deleted_at IS NULL))"""  # noqa: S608


def _visible_topics(filters: Filters, params: dict[str, Any]) -> str:
    """The ``visible_topic`` CTE body: published topics, narrowed to the chosen subtree."""
    sql = VISIBLE_TOPICS
    if filters.topic is not None:
        sql += " AND t.tree_id = %(tree_id)s AND t.lft >= %(lft)s AND t.rght <= %(rght)s"
        params.update(tree_id=filters.topic.tree_id, lft=filters.topic.lft, rght=filters.topic.rght)
    return sql


class SearchTimeout(Exception):
    """The statement ran past SEARCH_TIMEOUT_MS (a plan gone wrong): say so, do not 500."""


def _fetch(sql: str, params: dict[str, Any], *, trigram_threshold: float = 0.3) -> list[tuple]:
    # JIT compiling these plans costs 0.4-0.6 s, far more than running them. A statement
    # timeout bounds what any query text can cost (e.g. a phrase far rarer than its words,
    # which the planner cannot know). A higher trigram threshold keeps the title index from
    # handing back thousands of near-misses. SET LOCAL needs a transaction.
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jit', 'off', true),"
                " set_config('statement_timeout', %s, true),"
                " set_config('pg_trgm.similarity_threshold', %s, true)",
                [str(SEARCH_TIMEOUT_MS), str(trigram_threshold)],
            )
            cursor.execute(sql, params)
            return cursor.fetchall()
    except OperationalError as error:
        if isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            raise SearchTimeout from error
        raise
