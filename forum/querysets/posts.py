"""Posts: a page of a thread's posts, one post with its thread, a post's revisions."""

import functools

from django.db.models import QuerySet

from accounts import querysets as row_sql
from erfaringsforum.db import prepared_cursor
from forum import extensions
from forum.models import Post, PostRevision, Thread
from forum.querysets.topics import tree_published

# A post as a page of posts shows it (components/_post.html and forum.permissions).
POST_FIELDS = (
    "id", "thread_id", "position", "author_id", "kind", "body_html", "created_at", "edited_at",
    "edit_count", "hidden_at", "deleted_at",
)  # fmt: skip


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


@functools.cache
def posts_page_sql() -> tuple[str, list[list[str]]]:
    """The page of posts' statement (parameters: thread, first and last position, how many)
    and its column groups (post, author, unit, county). forum.services.read_page embeds it
    as a CTE in the page view's counters statement."""
    post_fields, post_select = row_sql.select_columns(Post, "p", POST_FIELDS)
    author_groups, author_select = row_sql.person_columns("a")
    contributions = extensions.columns(extensions.POST)
    extra = "".join(f", {c.select}" for c in contributions)
    joins = " ".join(c.join for c in contributions)
    sql = f"""
        SELECT {post_select}, {author_select} {extra}
          FROM {Post._meta.db_table} p
          {row_sql.person_joins("a", "p.author_id")}
          {joins}
         WHERE p.thread_id = %s AND p.position >= %s AND p.position <= %s
         ORDER BY p.position
         LIMIT %s
    """  # noqa: S608  (identifiers from the models, the values parameters)
    return sql, [post_fields, *author_groups]


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
                for contribution in contributions:
                    contribution.keep(post, rest[: contribution.width])
                    rest = rest[contribution.width :]
            self._people = True
        return self


def posts_on_page(thread: Thread, first: int, last: int, *, people: bool = True) -> PostPage:
    """Posts first..last of a thread, one range scan on (thread, position) however long the
    thread is, with their authors (unit, county) and clarifications, knowing their thread:
    the page renders them without another query. Only POST_FIELDS are loaded. With
    people=False the authors and contributed values wait for PostPage.with_people()."""
    sql, _groups = posts_page_sql()
    with prepared_cursor() as cursor:
        cursor.execute(sql, posts_page_params(thread, first, last))
        rows = cursor.fetchall()
    return post_page_from_rows(thread, rows, people=people)


def posts_page_params(thread: Thread, first: int, last: int) -> list:
    return [thread.pk, first, last, last - first + 1]


def post_page_from_rows(thread: Thread, rows: list[tuple], *, people: bool = True) -> PostPage:
    """The PostPage of rows read by posts_page_sql() (see posts_on_page)."""
    _sql, groups = posts_page_sql()
    width = len(groups[0])
    posts = []
    for row in rows:
        post = row_sql.build(Post, groups[0], row[:width])
        post.thread = thread
        post.row = row  # everything the post's cached header shows (forum_tags.post_header)
        posts.append(post)
    page = PostPage(posts, rows, groups)
    return page.with_people() if people else page
