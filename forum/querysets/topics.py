"""Topics: the visibility rule's SQL and ORM forms, the tree, one topic's page."""

import functools

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from accounts.models import Employee
from accounts.querysets import (
    build,
    select_columns,
)
from erfaringsforum.db import prepared_cursor
from forum.models import Topic

# The visibility rule's "every ancestor published" part (forum.permissions.can_view_topic):
# no unpublished topic on the path from the root down to the topic itself, one range read
# over the topic_tree_order index (tree_id, lft). In SQL for the raw reads ("{alias}" is
# the topic's), as an ORM expression for querysets of topics.
_TREE_PUBLISHED_SQL = f"""NOT EXISTS (
    SELECT 1 FROM {Topic._meta.db_table} anc
     WHERE anc.tree_id = {{alias}}.tree_id AND anc.lft <= {{alias}}.lft
       AND anc.rght >= {{alias}}.rght AND anc.published_at IS NULL)"""  # noqa: S608


def tree_published_sql(alias: str) -> str:
    return _TREE_PUBLISHED_SQL.format(alias=alias)


def tree_published(path: str = "") -> Exists:
    """The ORM form of tree_published_sql for the topic at `path` ("" for a Topic query)."""
    prefix = f"{path}__" if path else ""
    return ~Exists(
        Topic.objects.filter(
            tree_id=OuterRef(f"{prefix}tree_id"),
            lft__lte=OuterRef(f"{prefix}lft"),
            rght__gte=OuterRef(f"{prefix}rght"),
            published_at__isnull=True,
        )
    )


TREE_PUBLISHED = tree_published()


def is_tree_published(topic: Topic) -> bool:
    """One query (none for a root): for a topic whose read did not carry the flag."""
    if topic.parent_id is None:
        return topic.is_published
    return Topic.objects.filter(pk=topic.pk).filter(TREE_PUBLISHED).exists()


def topic_tree() -> QuerySet[Topic]:
    """All topics in tree order (depth-first, siblings by position then name)."""
    return Topic.objects.order_by("tree_id", "lft")


# A topic as the home page's tree shows it (forum/_topic_tree.html), with the MPTT ordering
# fields so a topic built from the row needs nothing else; in the model's column order, as
# Model.from_db takes them.
TOPIC_TREE_FIELDS = tuple(
    field.attname
    for field in Topic._meta.concrete_fields
    if field.attname in {
        "id", "parent_id", "slug", "name", "description", "position", "thread_count",
        "post_count", "last_activity_at",
    }
)  # fmt: skip
_TREE_PARENT = TOPIC_TREE_FIELDS.index("parent_id")


class TopicTree:
    """The topics of the home page (topic_tree_for) as rows; `nodes` nests them with totals
    that include every subtopic, built only when the tree is rendered anew. The rows hold
    every value the tree shows, so they key its cached fragment (forum_tags.topic_tree)
    and a cache hit builds no Topic objects: building the 69 topics of the benchmark's
    tree through django-mptt's from_db took 1.7 of the home page's 4.4 ms (F32 in
    bench/results/history.md)."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def __bool__(self) -> bool:
        # A visible topic is shown only under a shown parent, so there is a tree exactly
        # when a root is visible.
        return any(row[_TREE_PARENT] is None for row in self.rows)

    @functools.cached_property
    def nodes(self) -> list[dict]:
        """Nested {topic, published, children, threads, posts, last_activity}; a topic under
        a parent the person cannot see is left out with that parent."""
        nodes: dict[int, dict] = {}
        roots: list[dict] = []
        width = len(TOPIC_TREE_FIELDS)
        topics = [build(Topic, TOPIC_TREE_FIELDS, row[:width]) for row in self.rows]
        for topic, row in zip(topics, self.rows, strict=True):  # parents before children
            node = {
                "topic": topic,
                "published": row[width],
                "children": [],
                "threads": topic.thread_count,
                "posts": topic.post_count,
                "last_activity": topic.last_activity_at,
            }
            if topic.parent_id is None:
                roots.append(node)
            elif topic.parent_id in nodes:
                nodes[topic.parent_id]["children"].append(node)
            else:
                continue
            nodes[topic.pk] = node
        for topic in reversed(topics):  # children before parents: totals flow upwards
            node = nodes.get(topic.pk)
            parent = nodes.get(topic.parent_id) if node else None
            if parent is not None:
                parent["threads"] += node["threads"]
                parent["posts"] += node["posts"]
                latest = node["last_activity"]
                if latest and (parent["last_activity"] is None or latest > parent["last_activity"]):
                    parent["last_activity"] = latest
        return roots


def topic_tree_for(topics: QuerySet[Topic]) -> TopicTree:
    """These topics (in tree order, e.g. topic_tree() as filtered by the viewer's rights) as
    the home page shows them. One query; no model objects until the tree is rendered."""
    # Whether a topic is published, not when: the tree shows no more, and each timestamp
    # costs a Python-level parse (Django's time-zone-aware loader).
    published = ExpressionWrapper(Q(published_at__isnull=False), output_field=BooleanField())
    return TopicTree(list(topics.values_list(*TOPIC_TREE_FIELDS, published)))


def published_topics() -> QuerySet[Topic]:
    """Topics published with every ancestor, in tree order: those every employee sees."""
    return topic_tree().filter(TREE_PUBLISHED)


def topic_children(topic: Topic) -> QuerySet[Topic]:
    return Topic.objects.filter(parent=topic).order_by("lft")


def topic_ancestors(topic: Topic) -> list[Topic]:
    """The topic's ancestors, root first. No query for a root topic, nor for a topic one
    level down whose parent was loaded with it (thread_for_page)."""
    if topic.level == 0:
        return []
    if topic.level == 1 and Topic.parent.is_cached(topic):
        return [topic.parent]
    return list(topic.get_ancestors())


# A topic and its parent ("tp", "pa"): the parent is the only ancestor of a topic one level
# down, so its crumbs need no other query (topic_ancestors).
TOPIC_AND_PARENT_JOIN = f"LEFT JOIN {Topic._meta.db_table} pa ON pa.id = tp.parent_id"


def topic_and_parent(row: tuple, fields: list[str], tree_published: bool | None = None) -> Topic:
    topic = Topic.from_db(connection.alias, fields, row[: len(fields)])
    if tree_published is not None:
        topic.tree_published = tree_published
    parent_row = row[len(fields) : 2 * len(fields)]
    if parent_row[0] is not None:
        topic.parent = Topic.from_db(connection.alias, fields, parent_row)
    return topic


@functools.cache
def _topic_sql() -> tuple[str, list[str]]:
    topic_fields, topic_select = select_columns(Topic, "tp")
    _fields, parent_select = select_columns(Topic, "pa")
    employees = Employee._meta.db_table
    # Who moderates it (the topic page says so to every reader): the moderator and the
    # deputy, read with the topic.
    sql = f"""
        SELECT {topic_select}, {parent_select}, mo.name, de.name, {tree_published_sql("tp")}
          FROM {Topic._meta.db_table} tp {TOPIC_AND_PARENT_JOIN}
          LEFT JOIN {employees} mo ON mo.id = tp.moderator_id
          LEFT JOIN {employees} de ON de.id = tp.deputy_moderator_id
         WHERE tp.slug = %s
    """  # noqa: S608  (identifiers from the models, the slug a parameter)
    return sql, topic_fields


def topic_for_page(slug: str) -> Topic | None:
    """The topic with this slug, its parent, `tree_published` and the names of its
    moderator and deputy (`moderator_name`, `deputy_name`, None without one); one query,
    or None."""
    sql, fields = _topic_sql()
    with prepared_cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    topic = topic_and_parent(row[:-3], fields, row[-1])
    topic.moderator_name, topic.deputy_name = row[-3:-1]
    return topic


def topic_for_form(slug: str) -> Topic | None:
    """A topic with `tree_published` (the new-thread form), or None. One query."""
    return Topic.objects.filter(slug=slug).annotate(tree_published=TREE_PUBLISHED).first()
