"""Prepared statements for the few fixed queries every page runs.

Django binds parameters on the client and never prepares (by default prepare_threshold=None,
so that connection poolers keep working; the settings set a threshold no query reaches, so
only what asks for it is prepared). PostgreSQL then parses and plans each query anew: for the
page reads with five or six joins that took longer than running them (about 1 ms a query,
bench/results/history.md, F11). A cursor from `prepared_cursor()` binds on the server and prepares
each statement once per connection (connections persist, CONN_MAX_AGE). It is Django's own
cursor (`connection.cursor()`), so query logging, `connection.execute_wrapper()` and
django_assert_num_queries see every query; only the psycopg cursor under it differs.

Only documented APIs: psycopg's `Connection.cursor_factory` (the class `cursor()` returns),
`Cursor.execute(..., prepare=True)` and the `prepare_threshold` connection parameter (passed
through `DATABASES["default"]["OPTIONS"]`), and Django's `connection.connection` (the psycopg
connection) and `connection.cursor()`.

Only plain SQL with `%s` placeholders goes through it (forum.querysets, accounts.querysets,
the session store, the rights and header counts, the view counter). Behind a transaction-
pooling pgbouncer set DB_PREPARED_STATEMENTS=0: the same entry point then returns Django's
plain cursor, which neither binds on the server nor prepares.
"""

import psycopg
from django.conf import settings
from django.db import connections


class PreparingCursor(psycopg.Cursor):
    """A psycopg cursor that binds on the server, prepares every statement it runs and
    receives its results in binary.

    Binary results are parsed by psycopg's C loaders: Django's text loader for timestamptz
    is Python, and a page of posts carries some 30 of them. A thread's first page then ran
    about 10 % fewer instructions in Python (1.05 of 11.6 million, callgrind, docs/perf-h2.md)
    and PostgreSQL formats no text. The values are the same Python objects (datetimes in
    UTC as Django's, ints, str, UUID, date); a jsonb column would come back parsed, as
    Model.from_db expects, where the text loader leaves Django's unparsed string."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=True)


def prepared_cursor(using: str = "default"):
    """Django's cursor, whose statements are prepared once per database connection."""
    connection = connections[using]
    if not settings.DB_PREPARED_STATEMENTS:
        return connection.cursor()
    psycopg_connection = connection.connection
    if psycopg_connection is None:
        # Not connected yet (once per connection, which persists for CONN_MAX_AGE): Django
        # connects, and this one statement runs unprepared.
        return connection.cursor()
    # Django makes its cursors with the psycopg connection's cursor_factory: for this one
    # cursor it is ours. The connection belongs to this thread, so nothing else sees it. If
    # Django's health check replaces a broken connection, the cursor is a plain one.
    django_factory = psycopg_connection.cursor_factory
    psycopg_connection.cursor_factory = PreparingCursor
    try:
        return connection.cursor()
    finally:
        psycopg_connection.cursor_factory = django_factory
