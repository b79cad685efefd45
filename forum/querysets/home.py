"""The home page's lists of what is new for the viewer (beside the topic tree).

Each list is one prepared statement whose cost does not grow with the forum: it starts from
a handful of topics (the viewer's), reads at most `limit` rows per topic from a partial
index, and keeps the newest `limit`.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from forum.models import Thread, Topic, UnitTopic
from forum.querysets.threads import opening_hidden_sql
from forum.querysets.topics import tree_published_sql

HOME_LIST_LENGTH = 5
SEE_ALL_LENGTH = 100


@dataclass(frozen=True)
class ListedThread:
    """A thread as the home page's lists show it."""

    pk: int
    title: str
    created_at: datetime
    topic_name: str
    topic_slug: str
    author_name: str


@functools.cache
def _unanswered_sql(limit: int) -> str:
    threads, topics = Thread._meta.db_table, Topic._meta.db_table
    employees, usual = Employee._meta.db_table, UnitTopic._meta.db_table
    # The limit is written into the statement (see threads._topic_page_sql: a generic plan
    # costed for an unknown LIMIT never wins).
    return f"""
        SELECT t.id, t.title, t.created_at, tp.name, tp.slug, a.name
          FROM (SELECT topic_id FROM {usual} WHERE unit_id = %(unit)s
                UNION SELECT unnest(%(staffed)s::bigint[])) mine
          JOIN {topics} tp ON tp.id = mine.topic_id
          CROSS JOIN LATERAL (
                SELECT q.id FROM {threads} q
                 WHERE q.topic_id = mine.topic_id AND q.kind = %(question)s
                   AND q.reply_count = 0 AND q.author_id <> %(user)s
                 ORDER BY q.created_at DESC LIMIT {int(limit)}) page
          JOIN {threads} t ON t.id = page.id
          JOIN {employees} a ON a.id = t.author_id
         WHERE (%(admin)s OR tp.id = ANY(%(staffed)s::bigint[]) OR {tree_published_sql("tp")})
           AND NOT {opening_hidden_sql("t")}
         ORDER BY t.created_at DESC, t.id DESC
         LIMIT {int(limit)}
    """  # noqa: S608  (identifiers from the models, the values parameters)


def unanswered_questions(
    viewer: Employee, *, staffed: list[int], admin: bool, limit: int = HOME_LIST_LENGTH
) -> list[ListedThread]:
    """Questions nobody has answered yet in the viewer's topics: those they staff
    (`staffed`, from the grants the request has read) and their unit's usual topics
    (UnitTopic), newest first, without their own and without those whose opening post is
    hidden; only topics the viewer can see (`admin`: every topic). One query: at most
    `limit` index rows (thread_unanswered) per topic."""
    params = {
        "unit": viewer.unit_id, "staffed": sorted(staffed), "question": Thread.Kind.QUESTION,
        "user": viewer.pk, "admin": admin,
    }  # fmt: skip
    with prepared_cursor() as cursor:
        cursor.execute(_unanswered_sql(limit), params)
        return [ListedThread(*row) for row in cursor.fetchall()]
