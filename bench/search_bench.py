"""Search benchmark: p50/p95 of the results-page query for a common and a rare word.

Run against a seeded database (``bench/seed.py``), single user::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/erf_bench \\
        .venv/bin/python bench/search_bench.py --runs 50 [--explain]

Each measured run is the exact statement behind ``/sok/?q=WORD`` (page 1, relevance, no
filters; headlines included), then the similar-threads statement for a typed title. The
first run of each query is a warm-up and not counted. Targets (issue 5): p95 < 150 ms for a
common word, < 50 ms for a rare word.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erfaringsforum.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.db import connection  # noqa: E402

from forum.search import engine  # noqa: E402
from forum.search.parsing import parse_query, parse_title  # noqa: E402

TARGETS_MS = {"common": 150.0, "rare": 50.0}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def matching_posts(tsquery: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM forum_post WHERE search_vector @@ to_tsquery('norwegian', %s)"
            " AND hidden_at IS NULL AND deleted_at IS NULL",
            [tsquery],
        )
        return cursor.fetchone()[0]


def measure(label: str, run, runs: int) -> dict:
    run()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "label": label,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 95),
        "max": max(timings),
        "result": result,
    }


def explain(sql: str, params: dict) -> str:
    with connection.cursor() as cursor:
        # as forum.search.engine does for its transaction
        cursor.execute("SET jit = off")
        cursor.execute("SET pg_trgm.similarity_threshold = 0.4")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--common", default="sykmelding", help="a word in ~10%% of posts")
    parser.add_argument("--rare", default="Svalbardtillegget", help="a word in few posts")
    parser.add_argument("--title", default="Hvordan følger dere opp sykmelding hos frisører?")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    args = parser.parse_args()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM forum_post")
        total_posts = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM forum_thread")
        total_threads = cursor.fetchone()[0]
    print(
        f"database {connection.settings_dict['NAME']}: {total_posts:,} posts, "
        f"{total_threads:,} threads; {args.runs} runs per query after one warm-up"
    )

    rows = []
    for kind, word in (("common", args.common), ("rare", args.rare)):
        parsed = parse_query(word)
        matches = matching_posts(parsed.tsquery)
        result = measure(
            kind, lambda parsed=parsed: engine.search_threads(parsed, engine.Filters()), args.runs
        )
        result.update(word=word, matches=matches, share=matches / max(total_posts, 1))
        rows.append(result)
        if args.explain:
            sql, params = engine.search_sql(parsed, engine.Filters())
            print(f"\n-- EXPLAIN ANALYZE: search for {word!r}\n{explain(sql, params)}\n")

    title, words = parse_title(args.title)
    similar = measure("similar", lambda: engine.similar_threads(title, words), args.runs)
    if args.explain:
        sql, params = engine.similar_sql(title, words)
        print(f"\n-- EXPLAIN ANALYZE: similar threads for {args.title!r}\n{explain(sql, params)}\n")

    print()
    print("| query | word | matching posts | p50 ms | p95 ms | max ms | target p95 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        target = TARGETS_MS[r["label"]]
        verdict = "ok" if r["p95"] < target else "MISSED"
        print(
            f"| {r['label']} word | {r['word']} | {r['matches']:,} ({r['share']:.1%}) | "
            f"{r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | < {target:.0f} ms: {verdict} |"
        )
    print(
        f"| similar threads | {args.title!r} | – | {similar['p50']:.1f} | "
        f"{similar['p95']:.1f} | {similar['max']:.1f} | – |"
    )
    for r in rows:
        print(
            f"{r['label']}: {r['result'].total} threads counted, "
            f"{'more than that (bounded)' if r['result'].more else 'exact'}"
        )


if __name__ == "__main__":
    main()
