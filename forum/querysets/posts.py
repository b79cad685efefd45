"""Posts: a page of a thread's posts, one post with its thread, a post's revisions."""

import functools

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.models import UserObjectPermission

from accounts import querysets as row_sql
from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from forum import extensions
from forum.models import Post, PostRevision, Thread, UsefulMark
from forum.querysets.topics import tree_published

# A post as a page of posts shows it (components/_post.html and forum.permissions).
POST_FIELDS = (
    "id", "thread_id", "position", "author_id", "kind", "body_html", "created_at", "edited_at",
    "edit_count", "hidden_at", "deleted_at", "useful_count",
)  # fmt: skip

# How a thread's posts can be ordered: by place (pages are position ranges) or the opening
# post first, then the replies most marked useful (pages by offset).
ORDER_POSITION, ORDER_USEFUL = "position", "useful"
VIEW_CONSULTATION = "view_consultation"  # forum.permissions' codename (querysets come first)


def post_with_thread(pk: int) -> Post | None:
    """A post with its thread, topic (with `tree_published`) and author, or None. One query."""
    post = (
        Post.objects.filter(pk=pk)
        .select_related("thread__topic", "author__unit__county")
        .annotate(topic_tree_published=tree_published("thread__topic"))
        .first()
    )
    if post is not None:
        post.thread.topic.tree_published = post.topic_tree_published
    return post


def revisions_of(post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related("replaced_by").order_by("-number")


def _author_role_sql() -> str:
    """The post author's role in the thread's topic, for the badge next to their name:
    'moderator' (the moderator or deputy), 'expert' (a back-office member: guardian's
    view_consultation row, which moderation derives from staffing) or NULL. An index probe
    on guardian's (user, permission, object_pk) per post. Parameters: the topic's moderator
    and deputy ids, the topic's id as text."""
    ct, perm = ContentType._meta.db_table, Permission._meta.db_table
    return f"""CASE WHEN p.author_id IN (%s, %s) THEN 'moderator'
        WHEN EXISTS (SELECT 1 FROM {UserObjectPermission._meta.db_table} g
                      JOIN {perm} gp ON gp.id = g.permission_id
                      JOIN {ct} gc ON gc.id = gp.content_type_id
                     WHERE g.user_id = p.author_id AND g.object_pk = %s
                       AND gp.codename = '{VIEW_CONSULTATION}' AND gc.app_label = 'forum'
                       AND gc.model = 'topic') THEN 'expert' END"""  # noqa: S608


@functools.cache
def posts_page_sql(order: str = ORDER_POSITION) -> tuple[str, list[list[str]]]:
    """The page of posts' statement (parameters: posts_page_params) and its column groups
    (post, author, unit, county, author role); its last column, whether the viewer marked
    the post useful, is in no group. forum.services.read_page embeds it as a CTE in the page
    view's counters statement."""
    post_fields, post_select = row_sql.select_columns(Post, "p", POST_FIELDS)
    author_groups, author_select = row_sql.person_columns("a")
    contributions = extensions.columns(extensions.POST)
    extra = "".join(f", {c.select}" for c in contributions)
    joins = " ".join(c.join for c in contributions)
    if order == ORDER_USEFUL:
        where = "p.thread_id = %s"
        order_by = "p.position <> 1, p.useful_count DESC, p.position LIMIT %s OFFSET %s"
    else:
        where = "p.thread_id = %s AND p.position >= %s AND p.position <= %s"
        order_by = "p.position LIMIT %s"
    sql = f"""
        SELECT {post_select}, {author_select}, {_author_role_sql()} {extra},
               EXISTS (SELECT 1 FROM {UsefulMark._meta.db_table} u
                        WHERE u.post_id = p.id AND u.employee_id = %s)
          FROM {Post._meta.db_table} p
          {row_sql.person_joins("a", "p.author_id")}
          {joins}
         WHERE {where}
         ORDER BY {order_by}
    """  # noqa: S608  (identifiers from the models, the values parameters)
    return sql, [post_fields, *author_groups, ["author_role"]]


class PostPage(list):
    """A page of posts (posts_on_page): the Post objects, knowing their thread, and `rows`,
    the rows they came from, which hold every value the page can show (with what POST
    contributors of forum.extensions read: moderation's clarification). The posts' authors
    (unit, county) and contributed values are attached by with_people(): the page of posts
    is a cached fragment keyed by the rows and the viewer's rights (forum_tags.post_list),
    and a page served from it builds none of them (F25 in bench/results/history.md)."""

    def __init__(self, posts: list[Post], rows: list[tuple], groups: list[list[str]]) -> None:
        super().__init__(posts)
        self.rows = rows
        self._groups = groups
        self._people = False

    def with_people(self) -> "PostPage":
        """Attach each post's author (unit, county) and the contributed values."""
        if not self._people:
            groups, seen = self._groups, {}
            contributions = extensions.columns(extensions.POST)
            for post, row in zip(self, self.rows, strict=True):
                slices, rest = row_sql.split_row(row, groups)
                post.author = row_sql.person_from_row(groups[1:4], slices[1:4], seen)
                post.author_role = slices[4][0]
                for contribution in contributions:
                    contribution.keep(post, rest[: contribution.width])
                    rest = rest[contribution.width :]
            self._people = True
        return self


def posts_on_page(
    thread: Thread,
    first: int,
    last: int,
    *,
    people: bool = True,
    viewer: Employee | None = None,
    order: str = ORDER_POSITION,
) -> PostPage:
    """Posts first..last of a thread, one range scan on (thread, position) however long the
    thread is, with their authors (unit, county, `author_role` in the thread's topic) and
    clarifications, knowing their thread: the page renders them without another query.
    Only POST_FIELDS are loaded. With people=False the authors and contributed values wait
    for PostPage.with_people(). Each post's `useful_marked` says whether `viewer` marked it.

    order=ORDER_USEFUL: the opening post, then the replies most marked useful first;
    first..last are then places in that order (1-based), not positions. One query."""
    sql, _groups = posts_page_sql(order)
    with prepared_cursor() as cursor:
        cursor.execute(sql, posts_page_params(thread, first, last, viewer=viewer, order=order))
        rows = cursor.fetchall()
    return post_page_from_rows(thread, rows, people=people)


def posts_page_params(
    thread: Thread,
    first: int,
    last: int,
    *,
    viewer: Employee | None = None,
    order: str = ORDER_POSITION,
) -> list:
    """posts_page_sql(order)'s parameters, in the order the statement names them."""
    topic = thread.topic
    role = [topic.moderator_id, topic.deputy_moderator_id, str(topic.pk)]
    marked_by = [viewer.pk if viewer is not None and viewer.is_authenticated else None]
    if order == ORDER_USEFUL:
        return [*role, *marked_by, thread.pk, last - first + 1, first - 1]
    return [*role, *marked_by, thread.pk, first, last, last - first + 1]


def post_page_from_rows(thread: Thread, rows: list[tuple], *, people: bool = True) -> PostPage:
    """The PostPage of rows read by posts_page_sql() (see posts_on_page). The viewer's mark
    (the rows' last column) goes to `post.useful_marked` and into the rights, not the rows:
    the cached header and list are keyed on what every reader sees."""
    _sql, groups = posts_page_sql()
    width = len(groups[0])
    posts, kept = [], []
    for row in rows:
        row, marked = tuple(row[:-1]), row[-1]
        post = row_sql.build(Post, groups[0], row[:width])
        post.thread = thread
        post.useful_marked = marked
        post.row = row  # everything the post's cached header shows (forum_tags.post_header)
        posts.append(post)
        kept.append(row)
    page = PostPage(posts, kept, groups)
    return page.with_people() if people else page
