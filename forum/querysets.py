"""Every read the forum's pages need, each carrying its joins so templates never query."""

from datetime import date

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from accounts.models import Employee
from forum.models import Post, PostRevision, Thread, ThreadRead, ThreadViewDay, Topic
from moderation.models import ClarifiedAnswer, Escalation

PERSON = ("author__unit__county",)
# Columns of a person the pages show (components/_person.html); the rest of an employee's
# row (password hash, e-mail, ...) is never read on a page of posts or threads.
PERSON_COLUMNS = ("name", "unit__name", "unit__county__name")
# A post as a page of posts shows it (components/_post.html and forum.permissions).
POST_COLUMNS = (
    "id", "thread_id", "position", "author_id", "kind", "body_html", "created_at", "edited_at",
    "edit_count", "hidden_at", "deleted_at",
    *(f"author__{column}" for column in PERSON_COLUMNS),
    "clarification__id", "clarification__clarified_at", "clarification__clarified_by__name",
)  # fmt: skip
THREAD_ROW_COLUMNS = (
    "id", "topic_id", "title", "kind", "pinned", "locked", "solution_post_id", "reply_count",
    "post_count", "last_activity_at", "author_id", "last_post_id",
    *(f"author__{column}" for column in PERSON_COLUMNS),
    "last_post__author__name",
)  # fmt: skip


def topic_tree() -> QuerySet[Topic]:
    """All topics in tree order (depth-first, siblings by position then name)."""
    return Topic.objects.order_by("tree_id", "lft")


def published_topics() -> QuerySet[Topic]:
    return topic_tree().filter(published_at__isnull=False)


def topic_children(topic: Topic) -> QuerySet[Topic]:
    return Topic.objects.filter(parent=topic).order_by("lft")


def topic_ancestors(topic: Topic) -> QuerySet[Topic]:
    return topic.get_ancestors()


def view_totals() -> CombinedExpression:
    """A thread's views: its folded view_count plus the day rows after views_counted_through
    (a few days at most, read through the (thread, day, bucket) index)."""
    recent = Subquery(
        ThreadViewDay.objects.filter(
            thread=OuterRef("pk"),
            day__gt=Coalesce(OuterRef("views_counted_through"), Value(date.min)),
        )
        .values("thread")
        .annotate(total=Sum("views"))
        .values("total")[:1],
        output_field=BigIntegerField(),
    )
    return F("view_count") + Coalesce(recent, Value(0))


def with_read_state(threads: QuerySet[Thread], employee: Employee) -> QuerySet[Thread]:
    """Annotate last_read_position (0 when never opened) and has_unread."""
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), employee_id=employee.pk).values(
        "last_read_position"
    )[:1]
    threads = threads.annotate(
        last_read_position=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0))
    )
    return threads.annotate(
        has_unread=Case(
            When(post_count__gt=F("last_read_position"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def threads_for_topic_list(topic: Topic, employee: Employee) -> QuerySet[Thread]:
    """A topic's threads as the topic page lists them: pinned first, then newest activity
    (the thread_topic_listing index), with author, last poster, views and read state."""
    threads = (
        Thread.objects.filter(topic=topic)
        .select_related("author__unit__county", "last_post__author")
        .only(*THREAD_ROW_COLUMNS)
        .annotate(views=view_totals())
        .order_by("-pinned", "-last_activity_at", "-id")
    )
    return with_read_state(threads, employee)


def threads_for_topic_page(
    topic: Topic, employee: Employee, *, offset: int, limit: int
) -> list[Thread]:
    """One page of threads_for_topic_list: the page's ids come from the listing index alone
    (index-only scan), and only those rows get the joins and annotations."""
    page_ids = (
        Thread.objects.filter(topic=topic)
        .order_by("-pinned", "-last_activity_at", "-id")
        .values("id")[offset : offset + limit]
    )
    return list(threads_for_topic_list(topic, employee).filter(pk__in=page_ids))


def thread_for_page(pk: int) -> QuerySet[Thread]:
    """One thread with its topic, its views so far (annotated as `views`), and whether it has
    clarified answers and escalations (`has_clarified`, `has_escalations`: two index probes
    that spare most thread pages moderation's two queries for them)."""
    return (
        Thread.objects.filter(pk=pk)
        .select_related("topic")
        .annotate(
            views=view_totals(),
            has_clarified=Exists(ClarifiedAnswer.objects.filter(thread=OuterRef("pk"))),
            has_escalations=Exists(Escalation.objects.filter(thread=OuterRef("pk"))),
        )
    )


def thread_for_writing(pk: int) -> QuerySet[Thread]:
    """One thread with its topic, without the views total a write does not show."""
    return Thread.objects.filter(pk=pk).select_related("topic")


def posts_in_positions(thread: Thread, first: int, last: int) -> QuerySet[Post]:
    """Posts first..last of a thread: one range scan on (thread, position), however long
    the thread is."""
    return (
        Post.objects.filter(thread=thread, position__gte=first, position__lte=last)
        .select_related("author__unit__county", "clarification__clarified_by")
        .only(*POST_COLUMNS)
        .order_by("position")[: last - first + 1]
    )


def post_with_thread(pk: int) -> QuerySet[Post]:
    return Post.objects.filter(pk=pk).select_related("thread__topic", "author__unit__county")


def revisions_of(post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related("replaced_by").order_by("-number")


def posts_on_page(thread: Thread, first: int, last: int) -> list[Post]:
    """posts_in_positions as a list whose posts know their thread (no query per post)."""
    posts = list(posts_in_positions(thread, first, last))
    for post in posts:
        post.thread = thread
    return posts
