"""Search infrastructure, kept by the database itself so no write path can skip it.

- ``forum_post.search_vector`` and ``forum_thread.search_vector`` are STORED generated
  columns (Norwegian Snowball configuration); the thread title carries weight A, post bodies
  the default weight D, so a title match outranks a body match.
- The columns are database-only (not model fields): forum/search.py reads them in SQL.
- GIN indexes on both; the post index is partial (visible posts only), so hidden and
  deleted posts are not even in the index the search reads.
- A trigram GIN index on thread titles for "similar threads" while asking.
"""

from django.db import migrations

# Markdown noise: link targets and emphasis/heading/quote/table characters become spaces.
POST_DOCUMENT = (
    "to_tsvector('norwegian'::regconfig, regexp_replace(regexp_replace(body_md, "
    "'\\]\\([^)]*\\)', ' ', 'g'), '[*_`#>~|\\[\\]]+', ' ', 'g'))"
)
THREAD_DOCUMENT = "setweight(to_tsvector('norwegian'::regconfig, title), 'A')"


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            f"""
            ALTER TABLE forum_post ADD COLUMN search_vector tsvector
                GENERATED ALWAYS AS ({POST_DOCUMENT}) STORED;
            ALTER TABLE forum_thread ADD COLUMN search_vector tsvector
                GENERATED ALWAYS AS ({THREAD_DOCUMENT}) STORED;
            CREATE INDEX forum_post_search ON forum_post USING gin (search_vector)
                WHERE hidden_at IS NULL AND deleted_at IS NULL;
            CREATE INDEX forum_thread_search ON forum_thread USING gin (search_vector);
            CREATE INDEX forum_thread_title_trgm ON forum_thread USING gin (title gin_trgm_ops);
            """,
            reverse_sql="""
            DROP INDEX IF EXISTS forum_thread_title_trgm;
            DROP INDEX IF EXISTS forum_thread_search;
            DROP INDEX IF EXISTS forum_post_search;
            ALTER TABLE forum_thread DROP COLUMN IF EXISTS search_vector;
            ALTER TABLE forum_post DROP COLUMN IF EXISTS search_vector;
            """,
        ),
    ]
