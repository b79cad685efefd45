"""Prepared statements for the few fixed queries every page runs.

Django binds parameters on the client and never prepares (by default prepare_threshold=None,
so that connection poolers keep working; the settings set a threshold no query reaches, so
only what asks for it is prepared). PostgreSQL then parses and plans each query anew: for the
page reads with five or six joins that took longer than running them (about 1 ms a query,
bench/results/history.md, F11). A cursor from `prepared_cursor()` binds on the server and prepares
each statement once per connection (connections persist, CONN_MAX_AGE), through Django's own
cursor wrapper, so query logging and django_assert_num_queries see every query.

Only plain SQL with `%s` placeholders goes through it (forum.querysets, accounts.querysets,
the session store, the rights and header counts, the view counter). Behind a transaction-
pooling pgbouncer set DB_PREPARED_STATEMENTS=0: the same cursor then neither binds on the
server nor prepares.
"""

from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorWrapper


class _PreparedCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor(using: str = "default") -> CursorWrapper:
    """A cursor whose statements are prepared once per database connection."""
    connection = connections[using]
    if not settings.DB_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    return connection._prepare_cursor(_PreparedCursor(connection.connection))
