"""ClarifiedAnswer.thread is always the clarified post's thread: the database sets it."""

from django.db import connection

from moderation.models import ClarifiedAnswer
from tests.moderation.conftest import make_post


def test_the_service_path_stores_the_posts_thread(post_a, expert, thread_a):
    answer = ClarifiedAnswer.objects.create(post=post_a, clarified_by=expert)
    answer.refresh_from_db()
    assert answer.thread_id == thread_a.pk == post_a.thread_id


def test_a_raw_insert_and_update_naming_another_thread_are_corrected(
    post_a, expert, thread_a, make_thread, topic_a, author, employee
):
    other = make_thread(topic_a, author)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO moderation_clarifiedanswer "
            "(post_id, thread_id, clarified_by_id, clarified_at, legal_reference) "
            "VALUES (%s, %s, %s, now(), '') RETURNING id",
            [post_a.pk, other.pk, expert.pk],
        )
        (answer_id,) = cursor.fetchone()
    assert ClarifiedAnswer.objects.get(pk=answer_id).thread_id == thread_a.pk
    moved_to = make_post(other, employee, "Et annet svar")
    ClarifiedAnswer.objects.filter(pk=answer_id).update(post=moved_to, thread=thread_a)
    assert ClarifiedAnswer.objects.get(pk=answer_id).thread_id == other.pk
