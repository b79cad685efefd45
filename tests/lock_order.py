"""Record the rows a service locks, in order, and check them against the lock order of
erfaringsforum.transactions (issue 13: no deadlocks between replies and moderation).

A lock is what a statement takes on existing rows: SELECT ... FOR [NO KEY] UPDATE (of the
tables named after OF, or every table of the FROM clause), UPDATE and DELETE, and the
author's advisory lock. Inserts lock only their new rows and are left out. Locking again a
table whose rows the transaction already holds is allowed (a counter update of a thread the
service locked first); a new table ranked below one already locked is a violation.
"""

import contextlib
import re
from collections.abc import Iterator

from django.db import connection

from erfaringsforum.transactions import LOCK_ORDER

RANK = {name: rank for rank, name in enumerate(LOCK_ORDER)}
OTHERS = len(LOCK_ORDER)
_FOR_UPDATE = re.compile(
    r"\bFOR (?:NO KEY )?UPDATE(?: OF (?P<of>[^;]+?))?(?: NOWAIT| SKIP LOCKED)?\s*$", re.I
)
_TABLE = r'"?(?P<table>\w+)"?'


def locked_tables(sql: str) -> list[str]:
    """The tables whose existing rows `sql` locks (see the module docstring)."""
    text = " ".join(sql.split())
    if "pg_advisory_xact_lock" in text:
        return ["author"]
    if match := re.match(rf"UPDATE {_TABLE}", text, re.I):
        return [match["table"]]
    if match := re.match(rf"DELETE FROM {_TABLE}", text, re.I):
        return [match["table"]]
    if not text.upper().startswith(("SELECT", "WITH")):
        return []
    # Data-modifying CTEs (WITH ... UPDATE t ...): their tables, in the order written.
    modified = [
        table
        for table in re.findall(rf"(?<!FOR )(?<!KEY )\b(?:UPDATE|DELETE FROM) {_TABLE}", text, re.I)
        if table.upper() != "SET"  # INSERT ... ON CONFLICT DO UPDATE SET: the inserted table's
    ]
    if re.search(r"ON CONFLICT .* DO UPDATE", text, re.I):
        modified += re.findall(rf"INSERT INTO {_TABLE}", text, re.I)
    if modified and text.upper().startswith("WITH"):
        return modified
    match = _FOR_UPDATE.search(text)
    if match is None:
        return []
    body = text[: match.start()]
    # Each table of the FROM clause, and the alias it goes by (FOR UPDATE OF names aliases).
    tables = re.findall(r'(?:FROM|JOIN) "?(\w+)"?(?: (?:AS )?"?(\w+)"?)?', body, re.I)
    keywords = {"on", "where", "inner", "left", "join", "cross", "order", "limit", "group"}
    alias = {
        (name if name and name.lower() not in keywords else table): table for table, name in tables
    }
    if match["of"]:
        return [
            alias.get(n.strip().strip('"'), n.strip().strip('"')) for n in match["of"].split(",")
        ]
    return [table for table, _name in tables]


@contextlib.contextmanager
def recorded_locks() -> Iterator[list[str]]:
    """The tables locked by every statement run inside the block, in order."""
    tables: list[str] = []

    def record(execute, sql, params, many, context):
        tables.extend(locked_tables(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield tables


def violations(tables: list[str]) -> list[str]:
    """Each lock taken out of turn, as 'table after table'."""
    found, held, highest = [], set(), None
    for table in tables:
        rank = RANK.get(table, OTHERS)
        if table not in held and highest is not None and rank < RANK.get(highest, OTHERS):
            found.append(f"{table} after {highest}")
        held.add(table)
        if highest is None or rank > RANK.get(highest, OTHERS):
            highest = table
    return found
