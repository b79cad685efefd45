"""Social reads: a person's profile, their threads and posts."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr
from guardian.models import UserObjectPermission

from accounts.models import Employee
from forum.models import Post, Thread, Topic

EXCERPT_LENGTH = 240
RECENT_THREADS = 10
VIEW_CONSULTATION = "view_consultation"  # forum.permissions' codename


def _opening_hidden() -> Exists:
    return Exists(Post.objects.filter(thread=OuterRef("pk"), position=1, hidden_at__isnull=False))


def profile_of(pk: int) -> Employee | None:
    """An active employee with unit and county, and `useful_received`: the useful marks
    on their visible posts (a sum over their posts through post_author_recent). One query."""
    received = (
        Post.objects.filter(author=OuterRef("pk"), hidden_at=None, deleted_at=None)
        .order_by()
        .values("author")
        .annotate(total=Sum("useful_count"))
        .values("total")
    )
    return (
        Employee.objects.select_related("unit__county")
        .filter(pk=pk, is_active=True)
        .annotate(useful_received=Coalesce(Subquery(received), 0, output_field=IntegerField()))
        .first()
    )


def topics_staffed_by(employee: Employee, visible: QuerySet[Topic]) -> list[Topic]:
    """The `visible` topics the employee moderates (`role` "moderator": moderator or
    deputy) or backs ("expert": a member of the topic's back-office, read from guardian's
    view_consultation rows, which moderation derives from staffing), in tree order. One
    query."""
    backed = UserObjectPermission.objects.filter(
        user=employee,
        content_type=ContentType.objects.get_for_model(Topic),
        permission__codename=VIEW_CONSULTATION,
    ).annotate(topic_id=Cast("object_pk", IntegerField()))
    moderates = Q(moderator=employee) | Q(deputy_moderator=employee)
    return list(
        visible.filter(moderates | Q(pk__in=backed.values("topic_id")))
        .annotate(
            role=Case(
                When(moderates, then=Value("moderator")),
                default=Value("expert"),
                output_field=CharField(),
            )
        )
        .only("id", "name", "slug", "tree_id", "lft", "rght", "level", "parent_id")
    )


def _threads_by(employee: Employee, visible: QuerySet[Topic]) -> QuerySet[Thread]:
    return (
        Thread.objects.filter(author=employee, topic__in=visible.values("pk"))
        .select_related("topic")
        .annotate(opening_hidden=_opening_hidden())
        .order_by("-created_at", "-id")
    )


def recent_threads_by(employee: Employee, visible: QuerySet[Topic]) -> list[Thread]:
    """The employee's RECENT_THREADS newest threads in `visible` topics (thread_author_recent
    index), each with its topic and `opening_hidden`. One query."""
    return list(_threads_by(employee, visible)[:RECENT_THREADS])


def threads_started_by(
    employee: Employee, visible: QuerySet[Topic], *, offset: int, limit: int
) -> tuple[list[Thread], bool]:
    """A page of the employee's threads, newest first, and whether there are more. One
    query (limit + 1 rows)."""
    rows = list(_threads_by(employee, visible)[offset : offset + limit + 1])
    return rows[:limit], len(rows) > limit


def posts_written_by(
    employee: Employee, visible: QuerySet[Topic], *, offset: int, limit: int
) -> tuple[list[Post], bool]:
    """A page of the employee's posts (not those they deleted), newest first, each with its
    thread and topic, an `excerpt` of its text and `opening_hidden` for the thread's title;
    and whether there are more. One query (limit + 1 rows, post_author_recent index)."""
    rows = list(
        Post.objects.filter(
            author=employee, deleted_at=None, thread__topic__in=visible.values("pk")
        )
        .select_related("thread__topic")
        .annotate(
            excerpt=Substr("body_md", 1, EXCERPT_LENGTH),
            opening_hidden=Exists(
                Post.objects.filter(
                    thread=OuterRef("thread_id"), position=1, hidden_at__isnull=False
                )
            ),
        )
        .defer("body_md", "body_html")
        .order_by("-created_at", "-id")[offset : offset + limit + 1]
    )
    return rows[:limit], len(rows) > limit
