"""The benchmark's threads: lengths (three giants and a long tail), topics, times, authors."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field

from bench.seeding.common import DAYS, START
from bench.seeding.text import Generator
from forum.models import Thread, Topic

GIANT_SHARES = (0.008, 0.006, 0.0052)  # of all posts: 8,000 / 6,000 / 5,200 at 1,000,000
CHAT_TOPIC = "nettprat-med-ledelsen"
CHAT_PEAK_VIEWS = 2_000_000  # 100 x the source's 20,000 views on a live-chat day


@dataclass
class ThreadPlan:
    index: int  # 0-based; the thread's id is index + 1
    topic_id: int
    length: int
    created: int  # unix seconds
    author: int  # employee id
    kind: str
    title: str
    pinned: bool = False
    locked: bool = False
    offsets: list[int] = field(default_factory=list)
    last_post_id: int = 0
    views: int = 0
    is_chat: bool = False


def thread_lengths(n_posts: int, rng: random.Random) -> list[int]:
    """Thread lengths summing to n_posts: three giants plus a Pareto-like tail (mean ~10).

    The giants are GIANT_SHARES of all posts (when that is at least 2 posts each); every
    other thread is shorter than the smallest giant.
    """
    giants = [round(n_posts * share) for share in GIANT_SHARES]
    giants = [g for g in giants if g >= 2] if n_posts >= 500 else []
    lengths = list(giants)
    remaining = n_posts - sum(giants)
    cap = max(2, min(giants) - 1) if giants else max(1, n_posts)
    cap = min(cap, 3_000)
    while remaining > 0:
        length = int(1.6 * rng.paretovariate(1.15))
        length = max(1, min(cap, length))
        length = min(length, remaining)
        lengths.append(length)
        remaining -= length
    return lengths


def plan_threads(gen: Generator, n_posts: int, leaves: list[Topic], org: dict) -> list[ThreadPlan]:
    """Thread lengths, topics, times, authors and post offsets, ordered by creation time."""
    rng = gen.rng
    lengths = thread_lengths(n_posts, rng)
    n_giants = sum(1 for _ in GIANT_SHARES) if n_posts >= 500 else 0
    topic_cum = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(len(leaves))))
    topic_order = list(leaves)
    rng.shuffle(topic_order)
    chat_topic = next(t for t in leaves if t.slug == CHAT_TOPIC)
    posters, poster_cum = org["posters"], org["poster_cum"]
    span_all = DAYS * 86400
    start = int(START.timestamp())
    plans: list[ThreadPlan] = []
    for i, length in enumerate(lengths):
        is_chat = n_giants > 0 and i == 0
        if is_chat:
            topic = chat_topic  # the live chat with management: the largest thread
            created = (start // 86400 + DAYS * 3 // 4) * 86400 + 9 * 3600
            title = "Nettprat med ledelsen: spør arbeids- og velferdsdirektøren"
            author, kind, span = org["leader_ids"][0], Thread.Kind.DISCUSSION.value, 6 * 3600
        else:
            topic = topic_order[bisect.bisect(topic_cum, rng.random() * topic_cum[-1])]
            if i < n_giants:
                created = start + rng.randrange(30 * 86400, 120 * 86400)
            else:
                created = start + rng.randrange(span_all - 3600)
            kind = (
                Thread.Kind.QUESTION.value if rng.random() < 0.45 else Thread.Kind.DISCUSSION.value
            )
            title = gen.title()
            author = posters[bisect.bisect(poster_cum, rng.random() * poster_cum[-1])]
            mean_gap = rng.expovariate(1 / (6 * 3600))
            span = int(min(span_all + start - created - 60, (length - 1) * mean_gap + 600))
        offsets = sorted(rng.randrange(max(1, span)) for _ in range(length - 1))
        plans.append(
            ThreadPlan(
                index=i,
                topic_id=topic.id,
                length=length,
                created=created,
                author=author,
                kind=kind,
                title=title,
                offsets=[0, *offsets],
                locked=rng.random() < 0.004,
                is_chat=is_chat,
            )
        )
    plans.sort(key=lambda p: (p.created, p.index))
    for n, plan in enumerate(plans):
        plan.index = n
    # One pinned thread per topic: its oldest question.
    pinned_topics: set[int] = set()
    for plan in plans:
        if plan.kind == Thread.Kind.QUESTION and plan.topic_id not in pinned_topics:
            plan.pinned = True
            pinned_topics.add(plan.topic_id)
    return plans
