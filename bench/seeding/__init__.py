"""Deterministic benchmark data for `bench/seed.py` (issue 6).

Contract: `seed(n_posts, seed=...)` fills an *empty* (or flushed) database with an agency of
15 counties, 450 units and 20,000 employees, 60 staffed and published topics under 9 staffed
groups, threads whose lengths follow a long-tailed distribution (three giants of 0.5-0.8 % of
all posts each, i.e. 5,000-8,000 posts at 1,000,000), Norwegian text drawn from
`bench/words_nb.txt`, two years of per-day view counts, clarified answers and escalations.

The data looks as if it had been posted through the product: Thread.post_count /
reply_count / last_post / last_activity_at / view_count and Topic.thread_count / post_count /
last_activity_at equal what the rows say; Post.position is 1..n per thread; topic tree fields
come from django-mptt (topics are created through the ORM); body_html is render_markdown()
of body_md. The same seed and post count always give the same rows (ids included).

How it is fast: posts, threads, employees and view days go in with PostgreSQL COPY
(psycopg 3 `cursor.copy()`), as pre-escaped text lines. Bodies are 1-4 paragraphs picked from
a pool of generated paragraphs; each pool paragraph is rendered through render_markdown once,
and a body's HTML is the concatenation of its paragraphs' HTML (for plain paragraphs
CommonMark renders "a\\n\\nb" exactly as render("a") + render("b"); the test checks a sample).
Posts load over several connections in parallel (PostgreSQL computes each row's generated
search vector, the costliest part, on every core); the big tables' foreign keys are dropped
around the load and added back afterwards (PostgreSQL then validates each with one join).
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import County, Employee, Unit
from bench.seeding.bulk import (
    Timestamps,
    copy_escape,
    copy_in_own_connection,
    copy_rows,
    execute_in_own_connection,
    flush_database,
    foreign_keys,
    restore_empty,
    secondary_indexes,
    set_sequences,
)
from bench.seeding.cases import pick_cases, write_cases
from bench.seeding.common import END, SeedReport
from bench.seeding.org import BENCH_PASSWORD, create_organisation
from bench.seeding.text import Generator, body_paragraphs, render_pool
from bench.seeding.threads import CHAT_PEAK_VIEWS, GIANT_SHARES, plan_threads
from bench.seeding.topics import create_topics
from forum.models import Post, Thread, ThreadViewDay

__all__ = ["GIANT_SHARES", "SeedReport", "data_checksums", "flush_database", "seed"]


def seed(
    n_posts: int = 1_000_000,
    *,
    seed: int = 2026,
    log: Callable[[str], None] = lambda _msg: None,
    vacuum: bool = True,
    drop_indexes: bool = False,
    jobs: int = 2,
) -> SeedReport:
    """Fill an empty database with the benchmark data set (see the module docstring).

    The organisation and topics commit first; posts load over `jobs` connections in parallel;
    on a failure in the bulk load the bulk tables are emptied again (rerun with --flush).
    VACUUM ANALYZE of the big tables at the end when `vacuum`, then ANALYZE of every table.
    Raises RuntimeError when the database already holds employees or posts, or when called
    inside a transaction.
    """
    if connection.in_atomic_block:
        raise RuntimeError("seed() manages its own transactions: call it outside atomic()")
    if Employee.objects.exists() or Post.objects.exists():
        raise RuntimeError("the database is not empty: use --flush (benchmark databases only)")
    report = SeedReport()
    gen = Generator(seed)
    rng = gen.rng
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.timings[name] = round(now - clock, 2)
        log(f"  {name}: {now - clock:.1f} s")
        clock = now

    password_hash = make_password(BENCH_PASSWORD, salt="erfaringsforumbench")
    with transaction.atomic():
        org = create_organisation(gen, password_hash, report)
        lap("organisation")
        leaves, members_by_topic = create_topics(gen, org)
        moderator_of = {t.id: t.moderator_id for t in leaves}
        lap("topics")

    pool = gen.paragraph_pool()
    pool_md, pool_html, renderer_version = render_pool(pool)
    lap("text_pool")

    plans = plan_threads(gen, n_posts, leaves, org)
    # Escalations and clarified answers, decided per thread before the posts exist.
    cases = pick_cases(gen, plans, org)
    answered, answer_author = cases.answered, cases.answer_author

    # Every post as one sortable integer: creation time, thread, position, author. Sorted, so
    # post ids follow creation time (and position within a thread), as in a live forum.
    posters, poster_cum = org["posters"], org["poster_cum"]
    total = poster_cum[-1]
    keys: list[int] = []
    append = keys.append
    rand = rng.random
    for p in plans:
        append((p.created << 60) | (p.index << 36) | (1 << 16) | p.author)
        for pos in range(2, p.length + 1):
            author = posters[bisect.bisect(poster_cum, rand() * total)]
            if pos == p.length and p.index in answered:
                author = answer_author[p.index]
            append(
                ((p.created + p.offsets[pos - 1]) << 60) | (p.index << 36) | (pos << 16) | author
            )
    keys.sort()
    wanted = {(p.index, 2) for p in cases.clarify}
    post_id_of: dict[tuple[int, int], int] = {}
    mask20, mask24 = (1 << 20) - 1, (1 << 24) - 1
    for n, key in enumerate(keys, start=1):
        t = (key >> 36) & mask24
        pos = (key >> 16) & mask20
        plan = plans[t]
        if pos == plan.length:
            plan.last_post_id = n
        if pos == 2 and (t, 2) in wanted:
            post_id_of[(t, 2)] = n
    lap("plan_posts")

    # Views per day: most in the first weeks after a thread starts, a tail afterwards.
    end_day = int(END.timestamp()) // 86400

    def view_rows() -> Iterator[str]:
        for p in plans:
            first_day = p.created // 86400
            alive = end_day - first_day
            if alive <= 0:
                continue
            n_days = min(alive, 3 + int(3 * math.log2(p.length + 1)))
            base = 5 + p.length * 3
            days = list(range(first_day, first_day + min(n_days, 14)))
            if n_days > 14:
                days += sorted(
                    rng.sample(range(first_day + 14, end_day), k=min(n_days - 14, alive - 14))
                )
            total_views = 0
            for d_i, day in enumerate(days):
                views = max(1, int(base / (1 + d_i) * (0.5 + rng.random())))
                if p.is_chat and d_i == 0:
                    share = CHAT_PEAK_VIEWS // 8
                    for bucket in range(8):
                        total_views += share
                        yield f"{p.index + 1}\t{date.fromordinal(719163 + day)}\t{bucket}\t{share}"
                    continue
                total_views += views
                yield f"{p.index + 1}\t{date.fromordinal(719163 + day)}\t0\t{views}"
            p.views = total_views

    ts = Timestamps()
    dept_kind = Post.Kind.DEPARTMENT_ANSWER.value
    regular = Post.Kind.REGULAR.value
    pool_size = len(pool_md)

    def post_rows(first: int, last: int) -> Iterator[str]:
        """COPY lines for posts with ids first..last (1-based, inclusive)."""
        stamp = Timestamps()
        for n in range(first, last + 1):
            key = keys[n - 1]
            t = (key >> 36) & mask24
            pos = (key >> 16) & mask20
            paras = body_paragraphs(t, pos, seed, pool_size)
            md = "\\n\\n".join([pool_md[i] for i in paras])
            html = "".join([pool_html[i] for i in paras])
            kind = dept_kind if (t in answered and pos == plans[t].length) else regular
            yield (
                f"{n}\t{t + 1}\t{pos}\t{key & 0xFFFF}\t{kind}\t{md}\t{html}\t{renderer_version}"
                f"\t{stamp(key >> 60)}"
            )

    # view_count holds every seeded day (none is after END); the product folds later ones.
    views_through = END.date().isoformat()

    def thread_rows() -> Iterator[str]:
        for p in plans:
            last = ts(p.created + p.offsets[-1])
            yield (
                f"{p.index + 1}\t{p.topic_id}\t{copy_escape(p.title)}\t{p.author}\t{p.kind}"
                f"\t{ts(p.created)}\t{last}\t{p.length}\t{p.length - 1}\t{p.views}"
                f"\t{p.last_post_id}\t{'t' if p.pinned else 'f'}\t{'t' if p.locked else 'f'}"
                f"\t{views_through}"
            )

    post_columns = ["id", "thread_id", "position", "author_id", "kind", "body_md", "body_html",
                    "renderer_version", "created_at"]  # fmt: skip
    thread_columns = ["id", "topic_id", "title", "author_id", "kind", "created_at",
                      "last_activity_at", "post_count", "reply_count", "view_count",
                      "last_post_id", "pinned", "locked",
                      "views_counted_through"]  # fmt: skip

    # The bulk tables load outside one transaction: posts in `jobs` parallel connections
    # (PostgreSQL computes the generated search vector of each row, the costliest part, on
    # as many cores), views and threads on this one. These rows refer to each other across
    # connections, so the foreign keys are dropped first and added back (validated by one
    # join each) at the end; secondary indexes too with drop_indexes (measured: no faster at
    # 1,000,000 posts). On any failure the bulk tables are emptied and the schema restored,
    # so a rerun with --flush starts clean.
    fks = foreign_keys(["forum_post", "forum_thread", "forum_threadviewday"])
    indexes = secondary_indexes(["forum_post", "forum_thread"]) if drop_indexes else []
    with connection.cursor() as cursor:
        for table, name, _definition in fks:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _statement in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool_exec:
            bounds = [(len(keys) * j // jobs + 1, len(keys) * (j + 1) // jobs) for j in range(jobs)]
            futures = [
                pool_exec.submit(copy_in_own_connection, Post, post_columns, post_rows(a, b))
                for a, b in bounds
                if a <= b
            ]
            with transaction.atomic():
                report.view_days = copy_rows(
                    ThreadViewDay, ["thread_id", "day", "bucket", "views"], view_rows()
                )
                report.threads = copy_rows(Thread, thread_columns, thread_rows())
            report.posts = sum(f.result() for f in futures)
        lap("posts_threads_views")
        statements = [statement for _name, statement in indexes]
        with ThreadPoolExecutor(max_workers=jobs) as pool_exec:
            # Largest first (the posts' GIN index), so the two connections finish together.
            statements.sort(key=lambda s: ("forum_post" not in s, "gin" not in s))
            list(pool_exec.map(execute_in_own_connection, statements))
        if indexes:
            lap("indexes")
        with connection.cursor() as cursor:
            for table, name, definition in fks:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if fks:
            lap("foreign_keys")
    except BaseException:
        restore_empty(fks, indexes)
        raise

    with transaction.atomic():
        # Topic counters from the threads, as the write services keep them.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE forum_topic t SET thread_count = s.threads, post_count = s.posts,
                       last_activity_at = s.last
                FROM (SELECT topic_id, COUNT(*) AS threads, SUM(post_count) AS posts,
                             MAX(last_activity_at) AS last
                      FROM forum_thread GROUP BY topic_id) s
                WHERE s.topic_id = t.id
                """
            )

        write_cases(
            gen,
            cases,
            post_id_of=post_id_of,
            moderator_of=moderator_of,
            members_by_topic=members_by_topic,
            report=report,
        )
        set_sequences([County, Unit, Employee, Thread, Post])
        lap("moderation_and_counters")

    tables = ["forum_post", "forum_thread", "forum_threadviewday", "forum_topic",
              "accounts_employee", "accounts_unit", "moderation_clarifiedanswer",
              "moderation_escalation"]  # fmt: skip
    with connection.cursor() as cursor:
        if vacuum:
            for table in tables:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        # Every table, the small ones included (guardian's grants, group memberships,
        # permissions): where autovacuum is off nothing else ever analyzes them, and the
        # generic plans of the viewer's grants then scanned all 483 grants by content type
        # instead of reading the viewer's through the user index (bench/results/history.md,
        # F34). A production server's autovacuum analyzes them as they fill.
        cursor.execute("ANALYZE")
    lap("vacuum_analyze")
    return report


def data_checksums() -> dict[str, str]:
    """md5 of each big table's rows in id order: equal checksums mean equal data."""
    queries = {
        "employees": "SELECT id, email, name, title, unit_id FROM accounts_employee",
        "topics": "SELECT id, slug, parent_id, lft, rght, tree_id, level, moderator_id, "
        "back_office_id, thread_count, post_count, last_activity_at FROM forum_topic",
        "threads": "SELECT id, topic_id, title, author_id, kind, created_at, last_activity_at, "
        "post_count, reply_count, view_count, last_post_id, pinned, locked FROM forum_thread",
        "posts": "SELECT id, thread_id, position, author_id, kind, md5(body_md), md5(body_html), "
        "created_at FROM forum_post",
        "views": "SELECT thread_id, day, bucket, views FROM forum_threadviewday",
        "clarified": "SELECT post_id, clarified_by_id, clarified_at "
        "FROM moderation_clarifiedanswer",
        "escalations": "SELECT thread_id, department_id, status, answer_post_id "
        "FROM moderation_escalation",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(f"SELECT md5(string_agg(q::text, ',' ORDER BY q::text)) FROM ({sql}) q")  # noqa: S608
            out[name] = cursor.fetchone()[0] or ""
    return out
