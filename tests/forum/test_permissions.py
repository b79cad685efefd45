import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum import permissions, services
from forum.models import Post, Thread, Topic


def fresh(obj):
    """A fresh instance, so cached rights from an earlier check do not leak in."""
    return type(obj).objects.get(pk=obj.pk)


def test_published_topics_are_visible_to_every_employee(topic, employee):
    assert permissions.can_view_topic(employee, topic)
    permissions.check_view_topic(employee, topic)


def test_anonymous_users_see_nothing(topic):
    assert not permissions.can_view_topic(AnonymousUser(), topic)


def test_a_draft_topic_is_a_404_for_employees(draft_topic, employee):
    assert not permissions.can_view_topic(employee, draft_topic)
    with pytest.raises(Http404):
        permissions.check_view_topic(employee, draft_topic)
    with pytest.raises(Http404):
        permissions.check_start_thread(employee, draft_topic)


def test_a_draft_topic_is_visible_to_admins_and_its_staff(
    draft_topic, admin_user, make_topic, employee
):
    assert permissions.can_view_topic(admin_user, draft_topic)
    assert permissions.can_view_topic(make_topic.staff["moderator"], draft_topic)
    assert permissions.can_view_topic(make_topic.staff["expert"], draft_topic)


def test_inactive_employees_can_do_nothing(topic, employee):
    employee.is_active = False
    assert not permissions.can_view_topic(employee, topic)
    assert not permissions.can_start_thread(employee, topic)


def test_employees_start_threads_only_in_published_topics(topic, draft_topic, employee, admin_user):
    assert permissions.can_start_thread(employee, topic)
    assert not permissions.can_start_thread(employee, draft_topic)
    assert permissions.can_start_thread(admin_user, draft_topic)


def test_a_locked_thread_takes_replies_only_from_moderators(thread, other_employee, moderator):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    thread = fresh(thread)
    assert not permissions.can_post_reply(other_employee, thread)
    with pytest.raises(PermissionDenied):
        permissions.check_post_reply(other_employee, thread)
    assert permissions.can_post_reply(moderator, thread)


def test_a_thread_in_a_draft_topic_is_invisible(thread, other_employee):
    Topic.objects.filter(pk=thread.topic_id).update(published_at=None)
    thread = fresh(thread)
    with pytest.raises(Http404):
        permissions.check_post_reply(other_employee, thread)
    with pytest.raises(Http404):
        permissions.check_view_thread(other_employee, thread)


def test_authors_and_moderators_edit_posts(thread, employee, other_employee, moderator, admin_user):
    post = thread.posts.get()
    assert permissions.can_edit_post(employee, post)
    assert not permissions.can_edit_post(other_employee, post)
    assert permissions.can_edit_post(moderator, post)
    assert permissions.can_edit_post(admin_user, post)
    with pytest.raises(PermissionDenied):
        permissions.check_edit_post(other_employee, post)


def test_authors_cannot_edit_in_a_locked_thread_or_a_hidden_post(thread, employee, moderator):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    post = Post.objects.select_related("thread__topic").get(thread=thread)
    assert not permissions.can_edit_post(employee, post)
    Thread.objects.filter(pk=thread.pk).update(locked=False)
    Post.objects.filter(pk=post.pk).update(hidden_at=post.created_at, hidden_by=moderator)
    post = Post.objects.select_related("thread__topic").get(pk=post.pk)
    assert not permissions.can_edit_post(employee, post)
    assert not permissions.can_see_post_body(employee, post)
    assert permissions.can_see_post_body(moderator, post)


def test_history_is_for_the_author_and_moderators(thread, employee, other_employee, moderator):
    post = thread.posts.get()
    assert permissions.can_view_history(employee, post)
    assert permissions.can_view_history(moderator, post)
    assert not permissions.can_view_history(other_employee, post)


def test_only_the_asker_marks_the_solution_of_a_question(
    question, thread, employee, other_employee, moderator
):
    assert permissions.can_mark_solution(employee, question)
    assert not permissions.can_mark_solution(other_employee, question)
    assert not permissions.can_mark_solution(moderator, question)
    assert not permissions.can_mark_solution(employee, thread)  # a discussion
    with pytest.raises(PermissionDenied):
        permissions.check_mark_solution(other_employee, question)


def test_authors_delete_their_replies_and_moderators_restore(
    thread, employee, other_employee, moderator
):
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    reply = Post.objects.select_related("thread__topic").get(pk=reply.pk)
    assert permissions.can_delete_post(other_employee, reply)
    assert not permissions.can_delete_post(employee, reply)
    opening = Post.objects.select_related("thread__topic").get(thread=thread, position=1)
    assert not permissions.can_delete_post(employee, opening)  # replies depend on it
    services.delete_post(reply, by=other_employee)
    reply = Post.objects.select_related("thread__topic").get(pk=reply.pk)
    assert not permissions.can_delete_post(other_employee, reply)
    assert not permissions.can_restore_post(other_employee, reply)
    assert permissions.can_restore_post(moderator, reply)


def test_an_opening_post_without_replies_can_be_deleted(thread, employee):
    assert permissions.can_delete_post(employee, thread.posts.get())


def test_topic_filter_shows_drafts_only_to_their_staff(topic, draft_topic, employee, make_topic):
    every = Topic.objects.all()
    assert set(permissions.topics_visible_to(employee, every)) == {topic}
    expert = make_topic.staff["expert"]
    assert set(permissions.topics_visible_to(expert, every)) == {topic, draft_topic}
    assert list(permissions.topics_visible_to(AnonymousUser(), every)) == []


def test_post_filter_hides_hidden_posts_from_employees(thread, other_employee, moderator):
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    Post.objects.filter(pk=reply.pk).update(hidden_at=reply.created_at, hidden_by=moderator)
    everything = Post.objects.all()
    assert reply not in permissions.posts_visible_to(other_employee, everything)
    assert reply in permissions.posts_visible_to(moderator, everything)
    assert set(permissions.threads_visible_to(other_employee, Thread.objects.all())) == {thread}
