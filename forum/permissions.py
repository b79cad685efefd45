"""Who may see and do what in the forum: topic roles, the one visibility rule, and the
rights on each post. With moderation.permissions (which builds on this module), the only
place that reads roles or django-guardian; views call check_* and pass can_* booleans (or
a PostRights) to templates.

Roles are django-guardian object permissions on the Topic (moderation keeps them in step
with staffing): ``moderate_topic`` for the moderator and the deputy, ``view_consultation``
for them and every back-office member. Admins (``is_staff``) may do everything. A viewer's
grants on every topic are read once per request (forum.querysets.read_viewer, in the same
query as what VIEWER contributors of forum.extensions add, e.g. the header's counts).

Rules:
- Visibility (one rule, every path): a topic is visible when it and every ancestor are
  published, or the viewer staffs it (either permission on that topic), or is an admin.
  An invisible topic (and everything in it) does not exist: 404.
- Posting needs a published topic and an open thread; moderators may still post in a
  locked thread.
- Authors edit and delete their own visible posts while the thread is open; moderators
  edit, and restore, any post in their topics.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from accounts.models import Employee
from accounts.permissions import deny_unless, hide_unless, is_admin
from forum import extensions, querysets
from forum.models import Post, Thread, Topic

User = Employee | AnonymousUser

MODERATE_TOPIC = "moderate_topic"
VIEW_CONSULTATION = "view_consultation"
STAFF_PERMISSIONS = (MODERATE_TOPIC, VIEW_CONSULTATION)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# Topic roles (guardian) -------------------------------------------------------------------


def _topic_perms(user: Employee) -> set[tuple[str, str]]:
    """The user's (topic pk, codename) grants, user and group grants together, loaded once
    per user object (one request) by forum.querysets.read_viewer."""
    perms = getattr(user, "_topic_perms", None)
    if perms is None:
        perms = user._topic_perms = querysets.read_viewer(user)
    return perms


def forget_cached_perms(user: Employee) -> None:
    """Drop the user's loaded grants and what was read with them (after staffing changed
    in the same request or test)."""
    user._topic_perms = None
    for contribution in extensions.columns(extensions.VIEWER):
        if contribution.forget is not None:
            contribution.forget(user)


def prefetch_topic_perms(user: User, topics: Iterable[Topic] = ()) -> None:
    """Load the user's rights on every topic now (one query; lists, the moderation queue)."""
    if _active(user) and not is_admin(user):
        _topic_perms(user)


def _has_topic_perm(user: User, codename: str, topic: Topic) -> bool:
    if not _active(user) or topic.pk is None:
        return False
    if user.is_superuser:  # as guardian: a superuser holds every permission
        return True
    return (str(topic.pk), codename) in _topic_perms(user)


def is_topic_moderator(user: User, topic: Topic) -> bool:
    """The topic's moderator or its deputy (guardian ``moderate_topic``)."""
    return _has_topic_perm(user, MODERATE_TOPIC, topic)


def is_back_office_member(user: User, topic: Topic) -> bool:
    """A member of the topic's back-office (or its moderator): ``view_consultation``."""
    return _has_topic_perm(user, VIEW_CONSULTATION, topic)


def can_moderate(user: User, topic: Topic) -> bool:
    """Hide, restore, lock, pin, move, edit, escalate in this topic: moderator, deputy, admins."""
    return is_admin(user) or is_topic_moderator(user, topic)


def is_topic_staff(user: User, topic: Topic) -> bool:
    """Moderator, deputy, back-office member (either permission) or admin."""
    return is_admin(user) or any(_has_topic_perm(user, c, topic) for c in STAFF_PERMISSIONS)


def can_clarify(user: User, topic: Topic) -> bool:
    """Mark or unmark a clarified answer: the moderator, a back-office member, admins."""
    return is_admin(user) or is_back_office_member(user, topic)


def can_report(user: User, post: Post) -> bool:
    """Any signed-in employee may report a visible post written by someone else."""
    return bool(_active(user) and post.is_visible and post.author_id != user.pk)


def granted_topics(
    user: User, codenames: Iterable[str] = STAFF_PERMISSIONS, *, path: str = "pk"
) -> Q:
    """A filter on the topic at `path`: the user holds one of `codenames` on it, through a
    user or a group grant (guardian's tables, two subqueries)."""
    content_type = ContentType.objects.get_for_model(Topic)  # cached per process
    codenames = list(codenames)
    as_id = Cast("object_pk", BigIntegerField())
    by_user = UserObjectPermission.objects.filter(
        user_id=user.pk, content_type=content_type, permission__codename__in=codenames
    )
    by_group = GroupObjectPermission.objects.filter(
        group__user=user.pk, content_type=content_type, permission__codename__in=codenames
    )
    return Q(**{f"{path}__in": by_user.annotate(topic_id=as_id).values("topic_id")}) | Q(
        **{f"{path}__in": by_group.annotate(topic_id=as_id).values("topic_id")}
    )


def topics_moderated_by(user: User) -> QuerySet[Topic]:
    """The topics the user may moderate, unordered, as a queryset the lists filter by.

    The same answer as `can_moderate` for every topic: admins (``is_staff``) and
    superusers get every topic; anyone else the topics on which django-guardian grants
    them ``moderate_topic``, by a user grant or a group grant, read through guardian's
    public `get_objects_for_user` (global permissions are not topic rights, so they are
    ignored). Anonymous and inactive users get none. No query until evaluated.
    """
    if not user.is_authenticated or not user.is_active:
        return Topic.objects.none()
    if is_admin(user):
        return Topic.objects.all()
    # The codename alone with klass: guardian then takes the content type from ContentType's
    # own per-process cache (an "app.codename" string costs a query per process).
    return get_objects_for_user(
        user, MODERATE_TOPIC, klass=Topic, accept_global_perms=False, with_superuser=True
    )


# Topics and threads ---------------------------------------------------------------------


def tree_published(topic: Topic) -> bool:
    """The topic and every ancestor are published. The topic pages' reads load it with the
    topic (forum.querysets: `topic.tree_published`); otherwise it costs one query (none for
    a root)."""
    flag = getattr(topic, "tree_published", None)
    if flag is None:
        flag = topic.tree_published = querysets.is_tree_published(topic)
    return flag


def can_view_topic(user: User, topic: Topic) -> bool:
    """THE visibility rule: the topic and every ancestor published, or the user staffs the
    topic (moderator, deputy, back-office member), or is an admin."""
    if not _active(user):
        return False
    return tree_published(topic) or is_topic_staff(user, topic)


def check_view_topic(user: User, topic: Topic) -> None:
    """Raises Http404 when the topic must stay invisible to the user."""
    hide_unless(can_view_topic(user, topic), _("There is no such topic."))


def can_view_thread(user: User, thread: Thread) -> bool:
    return can_view_topic(user, thread.topic)


def check_view_thread(user: User, thread: Thread) -> None:
    """Raises Http404 when the thread's topic is invisible to the user."""
    hide_unless(can_view_thread(user, thread), _("There is no such thread."))


def can_start_thread(user: User, topic: Topic) -> bool:
    """Any employee in a visible published topic (moderators also in their draft topics)."""
    if not can_view_topic(user, topic):
        return False
    return topic.is_published or can_moderate(user, topic)


def check_start_thread(user: User, topic: Topic) -> None:
    """Http404 for an invisible topic, PermissionDenied when it is closed for posting."""
    check_view_topic(user, topic)
    deny_unless(can_start_thread(user, topic), _("This topic is not open for new threads."))


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
    deny_unless(can_post_reply(user, thread), _("This thread is locked: it takes no new replies."))


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
    deny_unless(
        can_mark_solution(user, thread), _("Only the person who asked can mark the answer.")
    )


def employees_who_can_view_topic(topic: Topic, employees: Iterable[Employee]) -> set[int]:
    """The pks of those `employees` for whom can_view_topic(employee, topic) holds, in one
    query for an unpublished topic (its staff's grants) and none for a published one.
    For mentions: only people who can see a post are mentioned in it."""
    active = [e for e in employees if e.is_active]
    if not active:
        return set()
    if tree_published(topic):
        return {e.pk for e in active}
    admins = {e.pk for e in active if e.is_staff or e.is_superuser}
    others = [e.pk for e in active if e.pk not in admins]
    if not others:
        return admins
    content_type = ContentType.objects.get_for_model(Topic)
    grants = {"content_type": content_type, "object_pk": str(topic.pk)}
    by_user = UserObjectPermission.objects.filter(
        user_id__in=others, permission__codename__in=STAFF_PERMISSIONS, **grants
    ).values_list("user_id", flat=True)
    member = Employee._meta.get_field("groups").remote_field.through
    group_members = member.objects.filter(
        group_id__in=GroupObjectPermission.objects.filter(
            permission__codename__in=STAFF_PERMISSIONS, **grants
        ).values("group_id"),
        employee_id__in=others,
    ).values_list("employee_id", flat=True)
    return admins | set(by_user.union(group_members))


# Posts ----------------------------------------------------------------------------------


def can_mark_useful(user: User, post: Post, *, visible: bool | None = None) -> bool:
    """Any employee marks a visible post useful (and takes the mark back), never their own:
    thanking oneself would make the count mean less. `visible` is can_view_thread when the
    caller has checked it."""
    if not (_active(user) and post.is_visible and post.author_id != user.pk):
        return False
    return can_view_thread(user, post.thread) if visible is None else visible


def check_mark_useful(user: User, post: Post) -> None:
    """Http404 for an invisible thread, PermissionDenied for one's own or a removed post."""
    check_view_thread(user, post.thread)
    deny_unless(
        can_mark_useful(user, post, visible=True), _("You cannot mark this post as useful.")
    )


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


def shown_title(user: User, thread: Thread, *, moderates: bool | None = None) -> str:
    """The thread's title as this reader is shown it. When the opening post is hidden its
    title is too, as its text is (a title can hold what the moderator hid): readers get a
    neutral title, the topic's moderators the real one. `thread.opening_hidden` comes with
    the thread page's read; `moderates` is can_moderate on the topic when computed."""
    if not getattr(thread, "opening_hidden", False):
        return thread.title
    if can_moderate(user, thread.topic) if moderates is None else moderates:
        return thread.title
    return _("Thread hidden by a moderator")


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
    deny_unless(can_edit_post(user, post), _("You cannot edit this post."))


def can_view_history(
    user: User, post: Post, *, moderates: bool | None = None, visible: bool | None = None
) -> bool:
    """Earlier versions are for the author and the topic's moderators."""
    if not (can_view_thread(user, post.thread) if visible is None else visible):
        return False
    return post.author_id == user.pk or _moderates(user, post, moderates)


def check_view_history(user: User, post: Post) -> None:
    check_view_thread(user, post.thread)
    deny_unless(
        can_view_history(user, post), _("Only the author and moderators see earlier versions.")
    )


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
    deny_unless(can_delete_post(user, post), _("You cannot delete this post."))


def can_restore_post(user: User, post: Post, *, moderates: bool | None = None) -> bool:
    """Moderators bring back a post its author deleted."""
    return post.deleted_at is not None and _moderates(user, post, moderates)


def check_restore_post(user: User, post: Post) -> None:
    check_view_thread(user, post.thread)
    deny_unless(can_restore_post(user, post), _("Only moderators restore deleted posts."))


# Queryset filters -----------------------------------------------------------------------


def staffed_topic_ids(user: User) -> list[int]:
    """The topics the user staffs (moderator, deputy, back-office member), sorted, from the
    grants the request reads anyway (with the header's counts; none for anonymous users): a
    literal list plans faster than guardian subqueries."""
    if not _active(user):
        return []
    return sorted({int(pk) for pk, codename in _topic_perms(user) if codename in STAFF_PERMISSIONS})


def topics_visible_to(user: User, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """The visibility rule as a filter: topics published with every ancestor, plus those
    the user staffs (all for admins)."""
    if not _active(user):
        return topics.none()
    if is_admin(user):
        return topics
    # The staffed topics from the grants the request reads anyway (with the header's
    # counts, one query): a literal list plans faster than guardian subqueries.
    staffed = staffed_topic_ids(user)
    return topics.filter(Q(querysets.TREE_PUBLISHED) | Q(pk__in=sorted(staffed)))


def threads_visible_to(user: User, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Threads in topics the user may see."""
    return threads.filter(topic__in=topics_visible_to(user, Topic.objects.all()))


def posts_visible_to(user: User, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Posts whose text the user may read: visible posts in visible topics (moderators of a
    topic also see its hidden and deleted posts)."""
    if is_admin(user):
        return posts
    visible_topics = topics_visible_to(user, Topic.objects.all())
    moderated = granted_topics(user, [MODERATE_TOPIC], path="thread__topic_id")
    return posts.filter(thread__topic__in=visible_topics).filter(
        Q(hidden_at__isnull=True, deleted_at__isnull=True) | moderated
    )


# The rights on each post of a page ------------------------------------------------------


class PostRights(NamedTuple):
    """What the viewer may do with one post, as components/_post.html renders it. The
    page-of-posts fragment is keyed on this whole object (forum_tags.post_list), so a right
    added here is in the key without being listed again. A NamedTuple, not a frozen
    dataclass: a page builds and pickles twenty of them, in a third of the time."""

    is_solution: bool = False
    see_body: bool = False
    edit: bool = False
    delete: bool = False
    restore: bool = False
    view_history: bool = False
    mark_solution: bool = False
    report: bool = False
    useful: bool = False
    useful_marked: bool = False
    hide: bool = False
    unhide: bool = False
    clarify: bool = False

    @property
    def any_action(self) -> bool:
        """Whether the post's action bar has a button for the viewer."""
        shown = ("is_solution", "see_body", "useful_marked")
        return any(getattr(self, name) for name in self._fields if name not in shown)

    @property
    def personal(self) -> bool:
        """A form carrying the viewer's CSRF token (restore, mark as the answer)."""
        return self.restore or self.mark_solution


def post_rights(user: User, thread: Thread, posts: Iterable[Post]) -> bool:
    """Set `post.rights` (a PostRights) and `post.is_solution` on each post of a page of
    `thread`, which the caller has checked is visible to the user; returns whether the
    user moderates the thread. The topic-wide answers are computed once for the page."""
    can_solve = can_mark_solution(user, thread)
    moderates = can_moderate_thread(user, thread)
    clarifies = can_clarify_in(user, thread)
    rights = {"moderates": moderates, "visible": True}
    for post in posts:
        is_solution = post.pk == thread.solution_post_id
        post.is_solution = is_solution
        post.rights = PostRights(
            is_solution=is_solution,
            see_body=can_see_post_body(user, post, moderates=moderates),
            edit=can_edit_post(user, post, **rights),
            delete=can_delete_post(user, post, visible=True),
            restore=can_restore_post(user, post, moderates=moderates),
            view_history=can_view_history(user, post, **rights),
            mark_solution=can_solve and post.position > 1 and post.is_visible and not is_solution,
            report=can_report_post(user, post, visible=True),
            useful=can_mark_useful(user, post, visible=True),
            useful_marked=getattr(post, "useful_marked", False),
            hide=moderates and post.hidden_at is None,
            unhide=moderates and post.hidden_at is not None,
            clarify=clarifies and post.is_visible,
        )
    return moderates
