"""bench/seed.py gives consistent, deterministic data (at 2,000 posts)."""

import pytest
from django.db import connection

from accounts.models import County, Employee, Unit
from bench import seed as seed_script
from bench import seeding
from bench.seeding import bulk
from forum.markdown import render_markdown
from forum.models import Post, Thread, Topic
from moderation.models import BackOfficeMembership, ClarifiedAnswer, Escalation

pytestmark = pytest.mark.django_db(transaction=True)

N_POSTS = 2000


def quiet(_message: str) -> None:
    pass


def scalar(sql: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.fixture
def seeded():
    foreign_keys = bulk.foreign_keys(["forum_post", "forum_thread", "forum_threadviewday"])
    indexes = bulk.secondary_indexes(["forum_post", "forum_thread"])
    seed_script.run(posts=N_POSTS, flush=True, no_vacuum=True, log=quiet)
    return foreign_keys, indexes


def test_seed_has_the_organisation_and_the_posts(seeded):
    assert County.objects.count() == 15
    assert Unit.objects.count() == 450
    assert Employee.objects.count() == 20_000
    assert Post.objects.count() == N_POSTS
    leaves = Topic.objects.filter(children__isnull=True)
    assert leaves.count() == 60
    assert not Topic.objects.filter(published_at__isnull=True).exists()
    assert ClarifiedAnswer.objects.exists()
    assert Escalation.objects.exists()


def test_positions_are_one_to_n_per_thread(seeded):
    assert not scalar(
        """SELECT COUNT(*) FROM (
             SELECT thread_id FROM forum_post GROUP BY thread_id
             HAVING MIN(position) <> 1 OR MAX(position) <> COUNT(*)
                 OR COUNT(DISTINCT position) <> COUNT(*)) bad"""
    )


def test_thread_counters_equal_the_rows(seeded):
    assert not scalar(
        """SELECT COUNT(*) FROM forum_thread t
           JOIN (SELECT thread_id, COUNT(*) AS n, MAX(created_at) AS last_at,
                        COUNT(*) FILTER (WHERE position > 1 AND hidden_at IS NULL
                                          AND deleted_at IS NULL) AS replies
                 FROM forum_post GROUP BY thread_id) p ON p.thread_id = t.id
           WHERE t.post_count <> p.n OR t.reply_count <> p.replies
              OR t.last_activity_at <> p.last_at"""
    )
    assert not scalar(
        """SELECT COUNT(*) FROM forum_thread t
           WHERE t.last_post_id IS DISTINCT FROM
                 (SELECT id FROM forum_post WHERE thread_id = t.id
                  ORDER BY position DESC LIMIT 1)"""
    )
    assert not scalar(
        """SELECT COUNT(*) FROM forum_thread t
           WHERE t.views_counted_through IS NULL
              OR t.view_count <> (SELECT COALESCE(SUM(views), 0) FROM forum_threadviewday
                                  WHERE thread_id = t.id AND day <= t.views_counted_through)"""
    )
    # Every seeded day is folded in: a page adds nothing to view_count until new views come.
    assert not scalar(
        """SELECT COUNT(*) FROM forum_threadviewday d JOIN forum_thread t ON t.id = d.thread_id
           WHERE d.day > t.views_counted_through"""
    )
    assert scalar("SELECT COUNT(*) FROM forum_thread") == Thread.objects.count()


def test_topic_counters_equal_the_rows(seeded):
    assert not scalar(
        """SELECT COUNT(*) FROM forum_topic tp
           LEFT JOIN (SELECT topic_id, COUNT(*) AS threads, SUM(post_count) AS posts,
                             MAX(last_activity_at) AS last
                      FROM forum_thread GROUP BY topic_id) s ON s.topic_id = tp.id
           WHERE tp.thread_count <> COALESCE(s.threads, 0)
              OR tp.post_count <> COALESCE(s.posts, 0)
              OR tp.last_activity_at IS DISTINCT FROM s.last"""
    )
    assert scalar("SELECT SUM(post_count) FROM forum_topic") == N_POSTS


def test_the_largest_threads_are_giants_and_ids_follow_time(seeded):
    lengths = list(Thread.objects.order_by("-post_count").values_list("post_count", flat=True))
    assert lengths[0] == round(N_POSTS * seeding.GIANT_SHARES[0])
    assert lengths[3] < lengths[2]
    assert not scalar(
        """SELECT COUNT(*) FROM (
             SELECT created_at < LAG(created_at) OVER (ORDER BY id) AS backwards
             FROM forum_post) s WHERE backwards"""
    )


def test_the_topic_tree_is_what_mptt_would_build(seeded):
    fields = ("id", "lft", "rght", "tree_id", "level", "parent_id")
    before = list(Topic.objects.order_by("id").values_list(*fields))
    Topic.objects.rebuild()
    assert list(Topic.objects.order_by("id").values_list(*fields)) == before


def test_published_topics_are_staffed_beyond_the_moderator(seeded):
    for topic in Topic.objects.all():
        assert topic.moderator_id and topic.back_office_id
        assert (
            BackOfficeMembership.objects.filter(back_office_id=topic.back_office_id)
            .exclude(employee_id=topic.moderator_id)
            .exists()
        )


def test_body_html_is_the_rendered_markdown(seeded):
    for post in Post.objects.order_by("?")[:60]:
        assert post.body_html == render_markdown(post.body_md)


def test_answered_escalations_point_at_department_answers(seeded):
    for escalation in Escalation.objects.exclude(answer_post=None).select_related("answer_post"):
        assert escalation.answer_post.thread_id == escalation.thread_id
        assert escalation.answer_post.kind == Post.Kind.DEPARTMENT_ANSWER


def test_keys_indexes_and_search_vectors_are_back(seeded):
    foreign_keys, indexes = seeded
    assert bulk.foreign_keys(["forum_post", "forum_thread", "forum_threadviewday"]) == (
        foreign_keys
    )
    assert bulk.secondary_indexes(["forum_post", "forum_thread"]) == indexes
    has_vector = scalar(
        """SELECT COUNT(*) FROM information_schema.columns
           WHERE table_name = 'forum_post' AND column_name = 'search_vector'"""
    )
    if has_vector:
        assert not scalar("SELECT COUNT(*) FROM forum_post WHERE search_vector IS NULL")
    # New rows get ids after the seeded ones.
    assert scalar("SELECT last_value FROM pg_sequences WHERE sequencename LIKE 'forum_post_id%'")


def test_same_seed_same_data(seeded):
    first = seeding.data_checksums()
    seed_script.run(posts=N_POSTS, flush=True, no_vacuum=True, log=quiet)
    assert seeding.data_checksums() == first
    seed_script.run(posts=N_POSTS, seed=7, flush=True, no_vacuum=True, log=quiet)
    assert seeding.data_checksums()["posts"] != first["posts"]


def test_refuses_a_database_that_is_not_empty(seeded):
    with pytest.raises(seed_script.SeedError, match="not empty"):
        seed_script.run(posts=10, log=quiet)


def test_the_forums_own_recount_changes_nothing(seeded):
    from forum import services

    fields = ("post_count", "reply_count", "last_post_id", "last_activity_at")
    threads = list(Thread.objects.order_by("-post_count")[:5]) + list(
        Thread.objects.order_by("?")[:20]
    )
    for thread in threads:
        before = tuple(getattr(thread, f) for f in fields)
        after = services.refresh_thread_counters(thread)
        assert tuple(getattr(after, f) for f in fields) == before
    for topic in Topic.objects.filter(children__isnull=True):
        before = (topic.thread_count, topic.post_count, topic.last_activity_at)
        after = services.refresh_topic_counters(topic)
        assert (after.thread_count, after.post_count, after.last_activity_at) == before


def test_guardian_rights_follow_the_topics_staffing(seeded):
    from guardian.shortcuts import get_users_with_perms

    for topic in Topic.objects.all():
        wanted: dict[int, set[str]] = {}
        for moderator_id in (topic.moderator_id, topic.deputy_moderator_id):
            if moderator_id:
                wanted.setdefault(moderator_id, set()).update(
                    {"moderate_topic", "view_consultation"}
                )
        for member_id in BackOfficeMembership.objects.filter(
            back_office_id=topic.back_office_id
        ).values_list("employee_id", flat=True):
            wanted.setdefault(member_id, set()).add("view_consultation")
        granted = get_users_with_perms(topic, attach_perms=True, with_group_users=False)
        assert {user.pk: set(perms) for user, perms in granted.items()} == wanted


def test_the_script_leaves_a_seeded_database_alone(seeded):
    checksums = seeding.data_checksums()
    assert seed_script.main(["--posts", "10", "--if-empty"]) == 0
    assert seeding.data_checksums() == checksums
