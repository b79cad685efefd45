"""The search SQL: bounded candidate sets, ranking, one page, headlines for that page only.

Why bounded: a common word matches ~10 % of a million posts, and ``ts_rank`` over every
match (plus reading every matching row) is far too slow. The candidates are therefore

* threads whose *title* matches (small vectors, ranked, best ``TITLE_CANDIDATES``),
* the newest ``POST_CANDIDATES`` matching visible posts (an index walk that stops early
  for common words, a GIN bitmap scan for rare ones), and
* matching posts among the newest ``CLARIFIED_CANDIDATES`` clarified answers, and
* for queries of several words, the opening posts of the newest threads whose title holds
  some of the words, when title and opening post together hold them all.

Only those are ranked; one row per thread survives, and ``ts_headline`` runs for the
``PER_PAGE`` rows shown. When a bound was reached the total is reported as "more than".

Never shown: unpublished topics (or topics under an unpublished group), hidden or deleted
posts (they are not even in the partial GIN index), threads whose opening post is hidden or
deleted, and the moderation app's internal notes (never read here).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from forum import extensions
from forum.search.common import (  # noqa: F401  (SearchTimeout: the views catch it here)
    HAS_ACCEPTED,
    IN_VISIBLE_TOPIC,
    NO_ROWS,
    OPENING_POST_VISIBLE,
    SEARCH_TIMEOUT_MS,
    TABLES,
    VISIBLE_POST,
    SearchTimeout,
    _fetch,
    _has_clarified,
    _visible_topics,
)
from forum.search.parsing import ParsedQuery
from forum.search.results import (  # noqa: F401  (the public names, importable from here)
    PER_PAGE,
    START,
    STOP,
    Filters,
    Named,
    Person,
    SearchHit,
    SearchPage,
    SimilarThread,
    highlight,
)
from forum.search.similar import SIMILAR_LIMIT, similar_sql, similar_threads  # noqa: F401

MAX_PAGES = 50
TITLE_CANDIDATES = 500
POST_CANDIDATES = 500
CLARIFIED_CANDIDATES = 1000
CROSS_CANDIDATES = 200

CLARIFIED_BOOST = 2.0
ACCEPTED_BOOST = 1.5
# Gentle recency decay: a two-year-old thread keeps 2/3 of its score.
DECAY_PER_YEAR = 0.25


HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, ShortWord=2, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
TITLE_HEADLINE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'
# Same Markdown noise removal as the stored vector (forum/migrations/0003_search.py), and
# the private-use markers removed so user text can never forge a highlight.
SNIPPET_TEXT = (
    "translate(regexp_replace(regexp_replace({col}, '\\]\\([^)]*\\)', ' ', 'g'), "
    "'[*_`#>~|\\[\\]]+', ' ', 'g'), U&'\\E000\\E001', '')"
)


def _start_of_day(day: date) -> datetime:
    """Midnight of `day` in the site's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _user_filters(filters: Filters, params: dict[str, Any]) -> list[str]:
    """SQL conditions on ``th`` (a thread row) for the filters the employee chose."""
    conditions = []
    if filters.topic is not None:
        conditions.append(IN_VISIBLE_TOPIC)
    if filters.unit_id is not None:
        conditions.append(
            f"th.author_id IN (SELECT e.id FROM {TABLES['employee_t']} e"  # noqa: S608
            " WHERE e.unit_id = %(unit)s)"
        )
        params["unit"] = filters.unit_id
    if filters.county_id is not None:
        conditions.append(
            f"th.author_id IN (SELECT e.id FROM {TABLES['employee_t']} e"  # noqa: S608
            f" JOIN {TABLES['unit_t']} u ON u.id = e.unit_id WHERE u.county_id = %(county)s)"
        )
        params["county"] = filters.county_id
    # Dates are the site's local days (TIME_ZONE), not the database session's UTC ones: a
    # thread started at 00:30 in Oslo belongs to that day.
    if filters.date_from is not None:
        conditions.append("th.created_at >= %(date_from)s")
        params["date_from"] = _start_of_day(filters.date_from)
    if filters.date_to is not None:
        conditions.append("th.created_at < %(date_to)s")
        params["date_to"] = _start_of_day(filters.date_to + timedelta(days=1))
    if filters.kind:
        conditions.append("th.kind = %(kind)s")
        params["kind"] = filters.kind
    if filters.clarified_only:
        conditions.append(_has_clarified())
    return conditions


# The tsquery is written inline (psycopg binds parameters client-side), so the planner sees a
# constant and estimates how common the words are: a common word walks the newest posts
# backwards and stops after POST_CANDIDATES matches, a rare word uses the GIN index.
Q = "to_tsquery('norwegian'::regconfig, %(query)s)"
Q_ANY = "to_tsquery('norwegian'::regconfig, %(any_query)s)"
Q_LOOSE = "to_tsquery('norwegian'::regconfig, %(loose_query)s)"
EXCLUSION_JOIN = f"JOIN {TABLES['thread_t']} th ON th.id = p.thread_id"
EXCLUSION_CHECK = f"AND (p.search_vector || th.search_vector) @@ {Q}"

# Only for queries of several words (left out otherwise: less to plan).
CROSS_CTES = """
title_any AS (
    SELECT th.id FROM {thread_t} th
    WHERE th.search_vector @@ {q_any} {and_filters}
    ORDER BY th.id DESC
    LIMIT {cross_limit}
),
cross_post AS (
    SELECT op.id
    FROM title_any ta JOIN {thread_t} th ON th.id = ta.id
      JOIN {post_t} op ON op.thread_id = ta.id AND op.position = 1
    WHERE op.hidden_at IS NULL AND op.deleted_at IS NULL
      AND (op.search_vector || th.search_vector) @@ {q}
),
"""

SEARCH_SQL = """
WITH visible_topic AS MATERIALIZED ({visible_topics}),
title_hit AS (
    SELECT th.id AS thread_id, ts_rank(th.search_vector, {q}) AS rank
    FROM {thread_t} th
    WHERE th.search_vector @@ {q} {and_filters}
    ORDER BY rank DESC, th.id DESC
    LIMIT {title_limit}
),
recent_post AS ({recent_post}),
clarified_post AS (
    SELECT p.id
    FROM ({recent_clarified}) ca
      JOIN {post_t} p ON p.id = ca.post_id {join_thread}
    WHERE p.search_vector @@ {q} AND {visible_p} {and_filters}
      -- Only needed when the newest matches were cut off; otherwise they hold these too.
      AND (SELECT count(*) FROM recent_post) >= {post_limit}
),
{cross_ctes}best_post AS (
    SELECT DISTINCT ON (p.thread_id) p.thread_id, p.id AS post_id,
           ts_rank(p.search_vector, {q_rank}) AS rank
    FROM {post_t} p {exclusion_join}
    WHERE p.id IN (SELECT id FROM recent_post UNION ALL SELECT id FROM clarified_post
                   {cross_union}) {exclusion_check}
    ORDER BY p.thread_id, rank DESC, p.id
),
candidate AS (
    SELECT coalesce(bp.thread_id, tt.thread_id) AS thread_id, bp.post_id,
           coalesce(bp.rank, 0) AS post_rank
    FROM best_post bp FULL JOIN title_hit tt ON tt.thread_id = bp.thread_id
),
clarified_thread AS MATERIALIZED ({clarified_threads}),
scored AS (
    SELECT c.thread_id, c.post_id, th.created_at,
           ts_rank(th.search_vector, {q_rank}) + c.post_rank AS relevance,
           c.thread_id IN (SELECT thread_id FROM clarified_thread) AS clarified,
           {has_accepted} AS accepted, th.last_activity_at
    FROM candidate c
      -- OFFSET 0 keeps this a per-candidate index lookup (not a join over all threads).
      CROSS JOIN LATERAL (SELECT * FROM {thread_t} th WHERE th.id = c.thread_id OFFSET 0) th
    WHERE {in_visible_topic} AND {opening_visible} {and_filters}
),
ranked AS MATERIALIZED (
    SELECT s.thread_id, s.post_id, s.created_at, s.clarified, s.accepted,
           s.relevance
             * CASE WHEN s.clarified THEN {clarified_boost}
                    WHEN s.accepted THEN {accepted_boost} ELSE 1 END
             / (1 + {decay} * extract(epoch FROM now() - s.last_activity_at) / 31557600.0)
             AS score
    FROM scored s
),
page AS (
    SELECT * FROM ranked ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM ranked) AS total,
    (SELECT count(*) FROM title_hit) >= {title_limit}
      OR (SELECT count(*) FROM recent_post) >= {post_limit} AS more,
    pg.thread_id, pg.post_id, pg.clarified, pg.accepted, pg.score,
    ts_headline('norwegian', {title_text}, {q_rank}, %(title_options)s) AS title_html,
    ts_headline('norwegian', {body_text}, {q_rank}, %(options)s) AS snippet_html,
    th.kind, th.created_at, th.last_activity_at, th.reply_count,
    tp.name, tp.slug, au.id, au.name, un.name, co.name
FROM (SELECT 1) AS one
  LEFT JOIN page pg ON true
  LEFT JOIN {thread_t} th ON th.id = pg.thread_id
  LEFT JOIN {topic_t} tp ON tp.id = th.topic_id
  LEFT JOIN {employee_t} au ON au.id = th.author_id
  LEFT JOIN {unit_t} un ON un.id = au.unit_id
  LEFT JOIN {county_t} co ON co.id = un.county_id
  LEFT JOIN {post_t} bp ON bp.id = coalesce(pg.post_id, (
      SELECT op.id FROM {post_t} op WHERE op.thread_id = pg.thread_id AND op.position = 1))
ORDER BY {outer_order}
"""

RECENT_POST = """
    SELECT p.id FROM {post_t} p {join_thread}
    WHERE p.search_vector @@ {q} AND {visible_p} {and_filters}
    ORDER BY p.id DESC
    LIMIT {post_limit}
"""
# PostgreSQL estimates a phrase like the AND of its words. A phrase much rarer than its
# words would make it walk most of the table looking for 500 matches; so phrases look among
# the newest PHRASE_POOL posts holding all the words (a bounded walk, or the GIN index when
# the words are rare together), then check the phrase on those.
RECENT_PHRASE_POST = """
    SELECT loose.id FROM (
        SELECT p.id, p.search_vector FROM {post_t} p {join_thread}
        WHERE p.search_vector @@ {q_loose} AND {visible_p} {and_filters}
        ORDER BY p.id DESC
        LIMIT {phrase_pool}
    ) loose
    WHERE loose.search_vector @@ {q}
    ORDER BY loose.id DESC
    LIMIT {post_limit}
"""
PHRASE_POOL = 5000

ORDERS = {
    "relevance": ("score DESC, thread_id DESC", "pg.score DESC, pg.thread_id DESC"),
    "newest": ("created_at DESC, thread_id DESC", "pg.created_at DESC, pg.thread_id DESC"),
}


def search_sql(parsed: ParsedQuery, filters: Filters, *, page: int = 1) -> tuple[str, dict]:
    """The one statement behind a results page (also used by the benchmark's EXPLAIN)."""
    params: dict[str, Any] = {
        "query": parsed.tsquery,
        "any_query": parsed.any_tsquery or parsed.tsquery,
        "limit": PER_PAGE,
        "offset": (page - 1) * PER_PAGE,
        "options": HEADLINE_OPTIONS,
        "title_options": TITLE_HEADLINE_OPTIONS,
    }
    conditions = _user_filters(filters, params)
    and_filters = "".join(f" AND {c}" for c in conditions)
    order, outer_order = ORDERS.get(filters.sort, ORDERS["relevance"])
    is_phrase = " <-> " in parsed.tsquery
    params["loose_query"] = parsed.tsquery.replace(" <-> ", " & ")
    parts = {
        "q": Q,
        "q_loose": Q_LOOSE,
        "phrase_pool": PHRASE_POOL,
        # Ranking and highlighting count every positive word, wherever it was found.
        "q_rank": Q_ANY,
        "q_any": Q_ANY,
        # -word excludes a thread whose title holds the word, not only a post that does.
        "exclusion_join": EXCLUSION_JOIN if parsed.has_exclusions else "",
        "exclusion_check": EXCLUSION_CHECK if parsed.has_exclusions else "",
        "visible_topics": _visible_topics(filters, params),
        "in_visible_topic": IN_VISIBLE_TOPIC,
        "and_filters": and_filters,
        "join_thread": f"JOIN {TABLES['thread_t']} th ON th.id = p.thread_id" if conditions else "",
        "visible_p": VISIBLE_POST.format(p="p"),
        "has_clarified": _has_clarified(),
        "recent_clarified": extensions.sql(
            "recent_clarified_posts",
            NO_ROWS.format(column="post_id"),
            limit=str(CLARIFIED_CANDIDATES),
        ),
        "clarified_threads": extensions.sql(
            "clarified_threads", NO_ROWS.format(column="thread_id")
        ),
        "has_accepted": HAS_ACCEPTED,
        "opening_visible": OPENING_POST_VISIBLE,
        "title_limit": TITLE_CANDIDATES,
        "cross_limit": CROSS_CANDIDATES,
        "post_limit": POST_CANDIDATES,
        "clarified_boost": CLARIFIED_BOOST,
        "accepted_boost": ACCEPTED_BOOST,
        "decay": DECAY_PER_YEAR,
        "order": order,
        "outer_order": outer_order,
        "title_text": "translate(th.title, U&'\\E000\\E001', '')",
        "body_text": SNIPPET_TEXT.format(col="bp.body_md"),
        **TABLES,
    }
    recent_post = (RECENT_PHRASE_POST if is_phrase else RECENT_POST).format(**parts)
    cross = bool(parsed.any_tsquery)
    sql = SEARCH_SQL.format(
        recent_post=recent_post,
        cross_ctes=CROSS_CTES.format(**parts) if cross else "",
        cross_union="UNION ALL SELECT id FROM cross_post" if cross else "",
        **parts,
    )
    return sql, params


def search_threads(parsed: ParsedQuery, filters: Filters, *, page: int = 1) -> SearchPage:
    """One page of threads matching ``parsed`` under ``filters``, best first."""
    if not parsed.is_searchable:
        return SearchPage(hits=[], total=0, more=False, page=1, num_pages=0)
    page = max(1, min(page, MAX_PAGES))
    rows = _fetch(*search_sql(parsed, filters, page=page))
    total = rows[0][0] if rows else 0
    more = bool(rows and rows[0][1])
    hits = [_hit(row) for row in rows if row[2] is not None]
    num_pages = min(MAX_PAGES, -(-total // PER_PAGE))
    return SearchPage(hits=hits, total=total, more=more, page=page, num_pages=num_pages)


def _hit(row: tuple) -> SearchHit:
    (_, _, thread_id, post_id, clarified, accepted, score, title_html, snippet_html) = row[:9]
    (kind, created_at, last_activity_at, reply_count) = row[9:13]
    (topic_name, topic_slug, author_id, author_name, unit_name, county_name) = row[13:19]
    unit = None
    if unit_name is not None:
        unit = Named(unit_name, Named(county_name) if county_name is not None else None)
    return SearchHit(
        thread_id=thread_id,
        post_id=post_id,
        title_html=highlight(title_html),
        snippet_html=highlight(snippet_html),
        kind=kind,
        topic_name=topic_name,
        topic_slug=topic_slug,
        author=Person(author_id, author_name, unit),
        created_at=created_at,
        last_activity_at=last_activity_at,
        reply_count=reply_count,
        clarified=clarified,
        accepted=accepted,
        score=score,
    )
