"""forum.querysets.posts_on_page leaves out the clarification joins when thread_for_page found
no clarified answer in the thread (docs/perf-h2.md): the page of posts must be the same."""

from forum import querysets, services
from moderation import services as moderation_services


def _shown(page) -> list[tuple]:
    return [
        (post.pk, post.author.name, getattr(post, "clarification", None) and post.pk)
        for post in page
    ]


def test_a_thread_without_clarified_answers_reads_the_same_posts(
    thread, employee, other_employee, django_assert_num_queries
):
    for n in range(3):
        services.post_reply(thread, author=other_employee, body=f"Svar {n}")
    loaded = querysets.thread_for_page(thread.pk, viewer=employee)
    assert loaded.has_clarified is False
    with django_assert_num_queries(1):
        without_joins = querysets.posts_on_page(loaded, 1, 4)
        shown = _shown(without_joins)
    assert without_joins.rows == querysets.posts_on_page(thread, 1, 4).rows  # with the joins
    assert [pk for pk, _name, clarified in shown if clarified] == []


def test_a_thread_with_a_clarified_answer_reads_it(thread, employee, other_employee, moderator):
    services.post_reply(thread, author=other_employee, body="Svaret")
    moderation_services.clarify_post(thread.posts.get(position=2), by=moderator)
    loaded = querysets.thread_for_page(thread.pk, viewer=employee)
    assert loaded.has_clarified is True
    page = querysets.posts_on_page(loaded, 1, 2)
    assert page[1].clarification.clarified_by.name == moderator.name
