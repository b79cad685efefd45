"""Django's database session store, reading the session row with one plain query.

Every page reads its session; the ORM's compilation of that fixed query cost more CPU than
PostgreSQL spends answering it (bench/results/history.md, F10). Writing, expiry and everything else
are Django's own (django.contrib.sessions.backends.db). With REDIS_URL the settings use
Django's cached_db store instead, which reads sessions from the cache.
"""

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from erfaringsforum.db import prepared_cursor


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        table = model._meta.db_table
        with prepared_cursor(using) as cursor:
            cursor.execute(
                f"SELECT session_key, session_data, expire_date FROM {table} "  # noqa: S608
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model.from_db(using, ["session_key", "session_data", "expire_date"], row)
