"""Experiment, not part of `make bench`: Python CPU per request of a few pages under cumulative
monkeypatched variants (findings F3-F5 in bench/results/history.md), then a profile of one page.

    TREE=<a copy of the project with F1+F2 applied> .venv/bin/python bench/profile_variants.py

The patches only live in this process; they estimate what a proper change would save.
"""

import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

TREE = os.environ.get("TREE", str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, TREE)
os.chdir(TREE)
os.environ.update(
    DATABASE_URL=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/erf_bench"
    ),
    DJANGO_SETTINGS_MODULE="erfaringsforum.settings",
    DEBUG="0",
    SECRET_KEY=secrets.token_urlsafe(50),
    SECURE_COOKIES="0",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="WARNING",
)


def main() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.template import loader
    from django.test import Client

    import forum.permissions as forum_permissions
    import moderation.permissions as moderation_permissions
    from accounts.models import Employee
    from forum.models import Thread
    from moderation import querysets as moderation_querysets

    employee = Employee.objects.filter(posts__isnull=False, is_staff=False).first()
    client = Client()
    client.force_login(employee)
    big = Thread.objects.order_by("-post_count").first()
    typical = Thread.objects.order_by("post_count", "id")[Thread.objects.count() // 2]
    pages = {
        "healthz": "/healthz",
        "home": "/",
        "topic-p1": "/tema/sykepenger/",
        "thread-typical": f"/trad/{typical.pk}/?page=1",
        "thread-big-last": f"/trad/{big.pk}/?page={(big.post_count + 19) // 20}",
    }

    def measure(label: str) -> None:
        out = []
        for name, url in pages.items():
            for _ in range(3):
                client.get(url)
            started = time.process_time()
            for _ in range(20):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            out.append(f"{name} {(time.process_time() - started) / 20 * 1000:.1f}")
        print(f"{label:34}", " | ".join(out), flush=True)

    measure("V0 as is")

    # F3: navigation counts memoised per employee.
    navigation_counts = moderation_querysets.navigation_counts
    memo_nav: dict = {}

    def cached_navigation(user):
        if user.pk not in memo_nav:
            memo_nav[user.pk] = navigation_counts(user)
        return memo_nav[user.pk]

    moderation_querysets.navigation_counts = cached_navigation
    measure("V1 +F3 navigation cached")

    # F4: can_moderate once per (employee, topic).
    can_moderate = moderation_permissions.can_moderate
    memo_perm: dict = {}

    def memo_can_moderate(user, topic):
        key = (user.pk, topic.pk)
        if key not in memo_perm:
            memo_perm[key] = can_moderate(user, topic)
        return memo_perm[key]

    moderation_permissions.can_moderate = memo_can_moderate
    forum_permissions.can_moderate = memo_can_moderate
    measure("V2 +F4 permission once")

    # F5a, upper bound: the whole post component cached per post state.
    template = loader.get_template("components/_post.html").template
    render = template.render

    def cached_render(context):
        post = context.get("post")
        key = f"postfrag:{post.pk}:{post.edit_count}:{post.hidden_at}:{post.deleted_at}"
        html = cache.get(key)
        if html is None:
            html = render(context)
            cache.set(key, html, 3600)
        return html

    template.render = cached_render
    measure("V3 +F5a post fragments cached")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(20):
        client.get(pages["thread-big-last"])
    profile.disable()
    pstats.Stats(profile).sort_stats("cumtime").print_stats(70)


if __name__ == "__main__":
    main()
