"""Who is told what: the rules a notification must pass when it is shown or mailed."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Employee
from accounts.permissions import is_admin
from forum import permissions
from forum.models import Thread, Topic
from forum.notifications import kinds
from forum.notifications.models import Notification


def notifications_visible_to(user: Employee, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """Nothing hidden is told, now as when it was made: a notification about a post shows
    only while the post is visible (except a notice about the reader's own post, e.g. that
    it was hidden), only while its thread is in a topic the reader may see (a thread moved
    into a draft topic drops out), and a staff-only kind (consultation, report) only while
    the reader staffs the thread's topic."""
    visible_topics = permissions.topics_visible_to(user, Topic.objects.all())
    post_ok = (
        Q(post__isnull=True)
        | Q(kind__in=kinds.own_post_kinds())
        | Q(post__hidden_at__isnull=True, post__deleted_at__isnull=True)
    )
    thread_ok = Q(thread__isnull=True) | Q(thread__topic__in=visible_topics)
    if is_admin(user):
        return qs.filter(post_ok, thread_ok)
    staff_ok = ~Q(kind__in=kinds.staff_only_kinds()) | Q(
        thread__topic_id__in=permissions.staffed_topic_ids(user)
    )
    return qs.filter(post_ok, thread_ok, staff_ok)


def can_watch_thread(user: Employee, thread: Thread) -> bool:
    return permissions.can_view_thread(user, thread)


def check_watch_thread(user: Employee, thread: Thread) -> None:
    """Http404 when the thread must stay invisible to the user."""
    if not can_watch_thread(user, thread):
        raise Http404(_("There is no such thread."))


def can_watch_topic(user: Employee, topic: Topic) -> bool:
    return permissions.can_view_topic(user, topic)


def check_watch_topic(user: Employee, topic: Topic) -> None:
    """Http404 when the topic must stay invisible to the user."""
    if not can_watch_topic(user, topic):
        raise Http404(_("There is no such topic."))
