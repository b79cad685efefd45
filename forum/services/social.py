"""Social: mentions written with a post, useful marks, the units' usual topics.

A post's Markdown is prepared once (prepare_body): parsed, its @handles looked up among
active employees (one query, none without an @), rendered with links to their profiles,
and the people who are to be told picked: those who can see the topic. Someone named who
cannot see it is not mentioned, and the writer is told before the post is stored
(UnseenMentions) unless they already were (`acknowledged`). The post services store the
mentions (record_mentions) in the post's transaction; forum.notifications tells them.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Employee
from accounts.querysets import employees_by_handle
from erfaringsforum.transactions import atomic_with_retry
from erfaringsforum.urlcache import pk_url
from forum import permissions
from forum.markdown import parse_markdown, render_parsed
from forum.models import MENTIONS_PER_POST, Mention, Post, Thread, Topic, UnitTopic, UsefulMark


class UnseenMentions(ValidationError):
    """The text names people who cannot see the topic: they would not be told. `handles`
    are theirs; sending again with them acknowledged posts without mentioning them."""

    def __init__(self, message: str, *, handles: list[str]) -> None:
        super().__init__({"body": [message]}, code="unseen_mentions")
        self.handles = handles


@dataclass
class PreparedBody:
    """A post's text ready to store: its HTML and the employees to mention."""

    html: str
    mentioned: list[Employee] = field(default_factory=list)


def prepare_body(
    body: str, *, topic: Topic, author: Employee, acknowledged: Collection[str] = ()
) -> PreparedBody:
    """Render `body` with its mentions and pick who is mentioned.

    Raises ValidationError when more than MENTIONS_PER_POST people are named, and
    UnseenMentions when someone named cannot see `topic` and `acknowledged` (handles) does
    not list them. One query when the text names anyone (two in an unpublished topic),
    none otherwise. The author is never mentioned by their own post."""
    parsed = parse_markdown(body)
    if not parsed.handles:
        return PreparedBody(render_parsed(parsed))
    people = employees_by_handle(parsed.handles)
    if len(people) > MENTIONS_PER_POST:
        raise ValidationError(
            {
                "body": ngettext(
                    "A post can mention at most %(limit)d person; this one mentions %(count)d.",
                    "A post can mention at most %(limit)d people; this one mentions %(count)d.",
                    MENTIONS_PER_POST,
                )
                % {"limit": MENTIONS_PER_POST, "count": len(people)}
            },
            code="too_many_mentions",
        )
    named = [people[handle] for handle in parsed.handles if handle in people]
    others = [person for person in named if person.pk != author.pk]
    seeing = permissions.employees_who_can_view_topic(topic, others)
    unseen = [person for person in others if person.pk not in seeing]
    told = {handle.lower() for handle in acknowledged}
    if any(person.handle not in told for person in unseen):
        names = ", ".join(person.name for person in unseen)
        raise UnseenMentions(
            ngettext(
                "%(names)s cannot see this topic and will not be told. Send again to post "
                "without mentioning them, or remove the mention.",
                "%(names)s cannot see this topic and will not be told. Send again to post "
                "without mentioning them, or remove the mentions.",
                len(unseen),
            )
            % {"names": names},
            handles=[person.handle for person in unseen],
        )
    links = {handle: pk_url("forum:profile", person.pk) for handle, person in people.items()}
    return PreparedBody(
        render_parsed(parsed, links), [person for person in others if person.pk in seeing]
    )


def render_with_mentions(posts: list[Post]) -> list[str]:
    """The HTML of each post's body_md with links for its mentions of existing employees
    (one lookup for the whole batch): `manage.py rerender_posts`. Nobody is mentioned anew."""
    parsed = [parse_markdown(post.body_md) for post in posts]
    handles = sorted({handle for one in parsed for handle in one.handles})
    people = employees_by_handle(handles) if handles else {}
    links = {handle: pk_url("forum:profile", person.pk) for handle, person in people.items()}
    return [render_parsed(one, links) for one in parsed]


def record_mentions(post: Post, mentioned: list[Employee]) -> None:
    """Store the post's mentions (one INSERT; people already mentioned by it are skipped),
    inside the caller's transaction. Caller's contract: prepare_body picked `mentioned`."""
    if mentioned:
        Mention.objects.bulk_create(
            [Mention(post=post, employee=person) for person in mentioned],
            ignore_conflicts=True,
        )


# Useful marks ---------------------------------------------------------------------------


def _locked_post(post: Post) -> Post:
    """The post locked (FOR NO KEY UPDATE) before its marks change: the trigger that keeps
    useful_count updates the post row, and the lock order puts posts before the rest."""
    return (
        Post.objects.select_for_update(no_key=True)
        .only("id", "thread_id", "author_id", "hidden_at", "deleted_at", "useful_count")
        .get(pk=post.pk)
    )


@atomic_with_retry
def mark_useful(post: Post, *, by: Employee) -> Post:
    """`by` marks the post useful ("Nyttig"); marking again changes nothing. Locks the post.

    Caller's contract: forum.permissions.check_mark_useful(by, post). Raises
    ValidationError for one's own post (the database's usefulmark_not_own_post trigger
    refuses it on every path) and for a hidden or deleted post."""
    post = _locked_post(post)
    if post.author_id == by.pk:
        raise ValidationError(_("You cannot mark your own post as useful."))
    if not post.is_visible:
        raise ValidationError(_("This post is no longer shown."))
    try:
        with transaction.atomic():
            UsefulMark.objects.create(post=post, employee=by)
    except IntegrityError:
        pass  # marked already (a second tab, a resubmitted form)
    else:
        post.useful_count += 1
    return post


@atomic_with_retry
def unmark_useful(post: Post, *, by: Employee) -> Post:
    """`by` takes back their useful mark (nothing happens without one). Locks the post.

    Caller's contract: forum.permissions.check_mark_useful(by, post)."""
    post = _locked_post(post)
    deleted, _rows = UsefulMark.objects.filter(post=post, employee=by).delete()
    post.useful_count -= deleted
    return post


# The units' usual topics ----------------------------------------------------------------

USUAL_TOPICS_PER_UNIT = 5
USUAL_TOPICS_DAYS = 180


@transaction.atomic
def refresh_unit_topics(
    *, per_unit: int = USUAL_TOPICS_PER_UNIT, days: int = USUAL_TOPICS_DAYS
) -> int:
    """Rebuild UnitTopic: for each unit, the `per_unit` topics its employees posted most in
    over the last `days` days. One statement over the period's posts (the post_author_recent
    index is not used: it is every author's), run daily by `manage.py refresh_unit_topics`.
    Caller's contract: the system. Returns the number of rows."""
    unit_topics, posts = UnitTopic._meta.db_table, Post._meta.db_table
    threads, employees = Thread._meta.db_table, Employee._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {unit_topics}")  # noqa: S608
        cursor.execute(
            f"""
            INSERT INTO {unit_topics} (unit_id, topic_id, posts)
            SELECT unit_id, topic_id, n FROM (
                SELECT e.unit_id, t.topic_id, count(*) AS n,
                       row_number() OVER (PARTITION BY e.unit_id
                                          ORDER BY count(*) DESC, t.topic_id) AS rank
                  FROM {posts} p
                  JOIN {threads} t ON t.id = p.thread_id
                  JOIN {employees} e ON e.id = p.author_id
                 WHERE p.created_at > now() - make_interval(days => %s)
                   AND e.unit_id IS NOT NULL
                 GROUP BY e.unit_id, t.topic_id) ranked
             WHERE rank <= %s
            """,  # noqa: S608  (identifiers from the models, the values parameters)
            [days, per_unit],
        )
        return cursor.rowcount
