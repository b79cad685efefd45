"""One lock order for every write, and a whole-transaction retry where PostgreSQL still
reports a deadlock or a serialization failure.

The order (each service takes only the steps it needs, never one out of turn):

1. the author's posting lock: a transaction-scoped advisory lock on the employee's id
   (`lock_author`), never a row lock on the employee. Rows that point at an employee (a
   notification, an audit entry, a post) take a KEY SHARE lock on that employee's row, so a
   FOR UPDATE on it made a reply wait for a moderator's action and the reverse: the
   deadlocks of issue 13;
2. threads, by ascending id, FOR UPDATE OF the thread alone (never the joined topic);
3. posts, by ascending id;
4. topics, by ascending id: the counters are updated late and briefly, since every reply in
   a topic updates its row; staffing locks its topic here too;
5. back-offices: after the topic, since a staffing change's trigger locks the back-offices
   it reads (moderation migration 0005); the membership services lock no topic;
6. everything else (reports, escalations, consultations, notifications, the audit log).

tests/lock_order.py records the locks each service takes and fails on a step out of turn.
A service that follows the order can still meet a deadlock with a transaction outside it
(a raw statement, a migration) or a serialization failure: `atomic_with_retry` runs such a
service's transaction again, a bounded number of times.
"""

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

# The order's steps, by the table whose rows they lock (tests/lock_order.py reads it).
LOCK_ORDER = (
    "author",
    "forum_thread",
    "forum_post",
    "forum_topic",
    "moderation_backoffice",
)
ATTEMPTS = 4
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"
RETRIED = {DEADLOCK_DETECTED, SERIALIZATION_FAILURE}
# Advisory locks are keyed by two integers: this namespace and the employee's id.
AUTHOR_LOCK_NAMESPACE = 0x45524601

P = ParamSpec("P")
R = TypeVar("R")


def lock_author(author_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Step 1: serialise one author's posting (interval and daily limits) until commit."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [AUTHOR_LOCK_NAMESPACE, author_id])


def _sqlstate(error: OperationalError) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


def atomic_with_retry(func: Callable[P, R]) -> Callable[P, R]:
    """`transaction.atomic`, run again (up to ATTEMPTS times, with a short random pause)
    when PostgreSQL ends it with a deadlock or a serialization failure.

    Inside a caller's transaction it is a plain savepoint and never retries: the failure
    has aborted the caller's transaction too, so only the caller can start it again.
    """
    atomic_func = transaction.atomic(func)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return atomic_func(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return atomic_func(*args, **kwargs)
            except OperationalError as error:
                if _sqlstate(error) not in RETRIED or attempt == ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.02) * attempt)
        raise AssertionError("unreachable")

    wrapper.retries_on_conflict = True  # type: ignore[attr-defined]
    return wrapper
