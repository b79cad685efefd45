"""What moderation shows on the forum's home page (through forum.extensions' home
sections): this week's clarified answers."""

import datetime
import functools
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from forum.models import Post, Thread, Topic
from forum.querysets import opening_hidden_sql, tree_published_sql
from moderation.models import ClarifiedAnswer

CLARIFIED_DAYS = 7


@dataclass(frozen=True)
class ClarifiedListed:
    """A clarified answer as the home page lists it."""

    post_id: int
    clarified_at: datetime.datetime
    thread_id: int
    title: str
    topic_name: str
    clarified_by: str


@functools.cache
def _clarified_sql(limit: int) -> str:
    ca, posts, threads = ClarifiedAnswer._meta.db_table, Post._meta.db_table, Thread._meta.db_table
    topics, employees = Topic._meta.db_table, Employee._meta.db_table
    # Newest first through clarified_recent, stopping at `limit` visible answers: the
    # week's answers at most, however many there are in all.
    return f"""
        SELECT ca.post_id, ca.clarified_at, t.id, t.title, tp.name, e.name
          FROM {ca} ca
          JOIN {posts} p ON p.id = ca.post_id
          JOIN {threads} t ON t.id = p.thread_id
          JOIN {topics} tp ON tp.id = t.topic_id
          JOIN {employees} e ON e.id = ca.clarified_by_id
         WHERE ca.clarified_at >= %(since)s
           AND p.hidden_at IS NULL AND p.deleted_at IS NULL
           AND NOT {opening_hidden_sql("t")}
           AND (%(admin)s OR tp.id = ANY(%(staffed)s::bigint[]) OR {tree_published_sql("tp")})
         ORDER BY ca.clarified_at DESC, ca.id DESC
         LIMIT {int(limit)}
    """  # noqa: S608  (identifiers from the models, the values parameters)


def clarified_this_week(*, staffed: list[int], admin: bool, limit: int) -> list[ClarifiedListed]:
    """Answers clarified in the last CLARIFIED_DAYS days in topics the viewer can see
    (published with every ancestor, or `staffed` by them, or any for `admin`), newest
    first, without hidden or deleted posts and threads whose opening post is hidden. One
    query."""
    since = timezone.now() - datetime.timedelta(days=CLARIFIED_DAYS)
    params = {"since": since, "staffed": sorted(staffed), "admin": admin}
    with prepared_cursor() as cursor:
        cursor.execute(_clarified_sql(limit), params)
        return [ClarifiedListed(*row) for row in cursor.fetchall()]
