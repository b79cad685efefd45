"""Django's database session store, reading a live session with one plain query.

Every page reads its session; the ORM's compilation of that fixed query cost more CPU than
PostgreSQL spends answering it (bench/results/history.md, F10). The store overrides `load()`, the
documented SessionBase method that returns the session's data: a live session is read with
one prepared statement. A missing or expired one (a stale cookie) goes to Django's own
`load()`, which reads it once more and forgets the key, so the next save makes a new session
instead of adopting the browser's. Writing, expiry and everything else are Django's own
(django.contrib.sessions.backends.db). With REDIS_URL the settings use Django's cached_db
store instead, which reads sessions from the cache.
"""

import functools

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from erfaringsforum.db import prepared_cursor


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        using = router.db_for_read(self.model)
        with prepared_cursor(using) as cursor:
            cursor.execute(_live_session_sql(self.model), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            return super().load()
        return self.decode(row[0])


@functools.cache
def _live_session_sql(model) -> str:
    meta = model._meta
    key, data, expiry = (
        meta.get_field(name).column for name in ("session_key", "session_data", "expire_date")
    )
    return (
        f"SELECT {data} FROM {meta.db_table} "  # noqa: S608  (names from the model)
        f"WHERE {key} = %s AND {expiry} > %s"
    )
