"""Who may see and do what in the forum. With moderation.permissions, the only place that
reads roles; views call check_* and pass can_* booleans to templates.

Rules:
- An unpublished topic (and everything in it) does not exist for employees: 404. Admins
  and the topic's staff (moderator, deputy, back-office) see it.
- Posting needs a published topic and an open thread; moderators may still post in a
  locked thread.
- Authors edit and delete their own visible posts while the thread is open; moderators
  edit, and restore, any post in their topics.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Employee
from accounts.permissions import is_admin
from forum.models import Post, Thread, Topic
from moderation.models import BackOfficeMembership
from moderation.permissions import can_clarify, can_moderate, can_report, is_topic_staff

User = Employee | AnonymousUser


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# Topics and threads ---------------------------------------------------------------------


def can_view_topic(user: User, topic: Topic) -> bool:
    """Published topics for every employee; drafts for admins and the topic's staff."""
    if not _active(user):
        return False
    return topic.is_published or is_topic_staff(user, topic)


def check_view_topic(user: User, topic: Topic) -> None:
    """Raises Http404 when the topic must stay invisible to the user."""
    if not can_view_topic(user, topic):
        raise Http404(_("There is no such topic."))


def can_view_thread(user: User, thread: Thread) -> bool:
    return can_view_topic(user, thread.topic)


def check_view_thread(user: User, thread: Thread) -> None:
    """Raises Http404 when the thread's topic is invisible to the user."""
    if not can_view_thread(user, thread):
        raise Http404(_("There is no such thread."))


def can_start_thread(user: User, topic: Topic) -> bool:
    """Any employee in a published topic (moderators also in their draft topics)."""
    if not can_view_topic(user, topic):
        return False
    return topic.is_published or can_moderate(user, topic)


def check_start_thread(user: User, topic: Topic) -> None:
    """Http404 for an invisible topic, PermissionDenied when it is closed for posting."""
    check_view_topic(user, topic)
    if not can_start_thread(user, topic):
        raise PermissionDenied(_("This topic is not open for new threads."))


def can_post_reply(user: User, thread: Thread) -> bool:
    """A locked thread or an unpublished topic takes replies only from its moderators."""
    if not can_view_thread(user, thread):
        return False
    if thread.locked or not thread.topic.is_published:
        return can_moderate(user, thread.topic)
    return True


def check_post_reply(user: User, thread: Thread) -> None:
    """Http404 for an invisible thread, PermissionDenied for a locked one."""
    check_view_thread(user, thread)
    if not can_post_reply(user, thread):
        raise PermissionDenied(_("This thread is locked: it takes no new replies."))


def can_mark_solution(user: User, thread: Thread) -> bool:
    """Only the asker of a question picks the reply that solved it."""
    return (
        _active(user)
        and thread.kind == Thread.Kind.QUESTION
        and thread.author_id == user.pk
        and can_view_thread(user, thread)
    )


def check_mark_solution(user: User, thread: Thread) -> None:
    check_view_thread(user, thread)
    if not can_mark_solution(user, thread):
        raise PermissionDenied(_("Only the person who asked can mark the answer."))


# Posts ----------------------------------------------------------------------------------


def can_moderate_thread(user: User, thread: Thread) -> bool:
    return can_moderate(user, thread.topic)


def can_report_post(user: User, post: Post, *, visible: bool | None = None) -> bool:
    """Report a visible post written by someone else (moderation handles the report)."""
    if not (can_view_thread(user, post.thread) if visible is None else visible):
        return False
    return can_report(user, post)


def can_clarify_in(user: User, thread: Thread) -> bool:
    """Mark clarified answers in this thread: the topic's moderator, back-office, admins."""
    return can_clarify(user, thread.topic)


def _moderates(user: User, post: Post, moderates: bool | None) -> bool:
    """`moderates` is can_moderate(user, topic) computed once for a page of posts."""
    return can_moderate(user, post.thread.topic) if moderates is None else moderates


def can_see_post_body(user: User, post: Post, *, moderates: bool | None = None) -> bool:
    """Hidden and deleted posts keep their place; their text is for moderators only.

    Per-post rules take `moderates` (can_moderate on the post's topic) when the caller has
    computed it once for a page of posts of one thread."""
    return post.is_visible or _moderates(user, post, moderates)


def can_edit_post(
    user: User, post: Post, *, moderates: bool | None = None, visible: bool | None = None
) -> bool:
    """The author while the post is visible and the thread open; moderators always.

    `visible` is can_view_thread(user, post.thread) when the caller has checked it."""
    if not (can_view_thread(user, post.thread) if visible is None else visible):
        return False
    if _moderates(user, post, moderates):
        return True
    return post.author_id == user.pk and post.is_visible and not post.thread.locked


def check_edit_post(user: User, post: Post) -> None:
    check_view_thread(user, post.thread)
    if not can_edit_post(user, post):
        raise PermissionDenied(_("You cannot edit this post."))


def can_view_history(
    user: User, post: Post, *, moderates: bool | None = None, visible: bool | None = None
) -> bool:
    """Earlier versions are for the author and the topic's moderators."""
    if not (can_view_thread(user, post.thread) if visible is None else visible):
        return False
    return post.author_id == user.pk or _moderates(user, post, moderates)


def check_view_history(user: User, post: Post) -> None:
    check_view_thread(user, post.thread)
    if not can_view_history(user, post):
        raise PermissionDenied(_("Only the author and moderators see earlier versions."))


def can_delete_post(user: User, post: Post, *, visible: bool | None = None) -> bool:
    """Authors delete their own posts (softly); the opening post of a thread with replies
    stays, so the replies keep their context."""
    if post.deleted_at is not None:
        return False
    if not (can_view_thread(user, post.thread) if visible is None else visible):
        return False
    if post.author_id != user.pk or post.thread.locked:
        return False
    return post.position > 1 or post.thread.post_count == 1


def check_delete_post(user: User, post: Post) -> None:
    check_view_thread(user, post.thread)
    if not can_delete_post(user, post):
        raise PermissionDenied(_("You cannot delete this post."))


def can_restore_post(user: User, post: Post, *, moderates: bool | None = None) -> bool:
    """Moderators bring back a post its author deleted."""
    return post.deleted_at is not None and _moderates(user, post, moderates)


def check_restore_post(user: User, post: Post) -> None:
    check_view_thread(user, post.thread)
    if not can_restore_post(user, post):
        raise PermissionDenied(_("Only moderators restore deleted posts."))


# Queryset filters -----------------------------------------------------------------------


def _staffed_by(user: User) -> Q:
    membership = BackOfficeMembership.objects.filter(
        back_office_id=OuterRef("back_office_id"), employee_id=user.pk
    )
    return Q(moderator_id=user.pk) | Q(deputy_moderator_id=user.pk) | Q(Exists(membership))


def topics_visible_to(user: User, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """The topics the user may see: published ones, plus drafts they staff (all for admins)."""
    if not _active(user):
        return topics.none()
    if is_admin(user):
        return topics
    return topics.filter(Q(published_at__isnull=False) | _staffed_by(user))


def threads_visible_to(user: User, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Threads in topics the user may see."""
    return threads.filter(topic__in=topics_visible_to(user, Topic.objects.all()))


def posts_visible_to(user: User, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Posts whose text the user may read: visible posts in visible topics (moderators of a
    topic also see its hidden and deleted posts)."""
    visible_topics = topics_visible_to(user, Topic.objects.all())
    if is_admin(user):
        return posts
    moderated = Q(thread__topic__moderator_id=user.pk) | Q(
        thread__topic__deputy_moderator_id=user.pk
    )
    return posts.filter(thread__topic__in=visible_topics).filter(
        Q(hidden_at__isnull=True, deleted_at__isnull=True) | moderated
    )
