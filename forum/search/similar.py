"""Similar threads while a title is being typed: up to SIMILAR_LIMIT visible threads."""

from typing import Any

from forum.search.common import (
    HAS_ACCEPTED,
    IN_VISIBLE_TOPIC,
    OPENING_POST_VISIBLE,
    TABLES,
    VISIBLE_POST,
    _fetch,
    _has_clarified,
    _visible_topics,
)
from forum.search.results import Filters, SimilarThread

SIMILAR_LIMIT = 5


SIMILAR_SQL = """
WITH visible_topic AS MATERIALIZED ({visible_topics}),
by_trigram AS (
    SELECT th.id FROM {thread_t} th
    WHERE th.title %% %(title)s
    ORDER BY similarity(th.title, %(title)s) DESC LIMIT 50
),
by_title_words AS (
    SELECT th.id FROM {thread_t} th
    WHERE th.search_vector @@ {all_words}
    ORDER BY th.id DESC LIMIT 50
),
by_question AS (
    SELECT p.thread_id AS id FROM {post_t} p
    WHERE p.search_vector @@ {all_words} AND p.position = 1 AND {visible_p}
    ORDER BY p.id DESC LIMIT 50
),
scored AS (
    SELECT th.id, th.title, th.topic_id, th.reply_count, th.created_at,
           {has_clarified} AS clarified, {has_accepted} AS accepted,
           similarity(th.title, %(title)s) + ts_rank(th.search_vector, {any_word})
             + coalesce((SELECT ts_rank(op.search_vector, {any_word}) FROM {post_t} op
                         WHERE op.thread_id = th.id AND op.position = 1), 0) AS score
    FROM {thread_t} th
    WHERE th.id IN (SELECT id FROM by_trigram UNION SELECT id FROM by_title_words
                    UNION SELECT id FROM by_question)
      AND {in_visible_topic} AND {opening_visible}
    ORDER BY score DESC, th.id DESC
    LIMIT {limit}
)
SELECT s.id, s.title, tp.name, s.reply_count, s.clarified, s.accepted, s.created_at
FROM scored s JOIN {topic_t} tp ON tp.id = s.topic_id
ORDER BY (s.clarified OR s.accepted) DESC, s.score DESC, s.id DESC
"""


def similar_sql(title: str, words: list[str]) -> tuple[str, dict]:
    """The statement behind the similar-threads fragment (also used by the benchmark)."""
    params: dict[str, Any] = {
        "title": title,
        "all_words": " & ".join(words),
        "any_word": " | ".join(words),
    }
    sql = SIMILAR_SQL.format(
        visible_topics=_visible_topics(Filters(), params),
        in_visible_topic=IN_VISIBLE_TOPIC,
        all_words="to_tsquery('norwegian'::regconfig, %(all_words)s)",
        any_word="to_tsquery('norwegian'::regconfig, %(any_word)s)",
        visible_p=VISIBLE_POST.format(p="p"),
        has_clarified=_has_clarified(),
        has_accepted=HAS_ACCEPTED,
        opening_visible=OPENING_POST_VISIBLE,
        limit=SIMILAR_LIMIT,
        **TABLES,
    )
    return sql, params


def similar_threads(title: str, words: list[str]) -> list[SimilarThread]:
    """Up to five visible threads like a title being typed, answered ones first.

    Candidates: titles with similar trigrams, and threads whose title or opening post holds
    all the words; scored by trigram similarity plus full-text rank on any of the words.
    ``title`` and ``words`` come from ``parsing.parse_title``.
    """
    if len(title) < 3 or not words:
        return []
    sql, params = similar_sql(title, words)
    return [SimilarThread(*row) for row in _fetch(sql, params, trigram_threshold=0.4)]
