from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from erfaringsforum.fields import optional_reference
from erfaringsforum.urlcache import pk_url, slug_url

BODY_MAX_LENGTH = 32_000
TITLE_MAX_LENGTH = 150


class Topic(MPTTModel):
    """A subject area. Topics form a tree; groups are topics with children.

    Staffing (moderator and back-office) lives on the row so the database can check the
    publishing gate on one row: published => staffed (constraint below). The rule that the
    back-office has a member besides the moderator is kept by the moderation app's
    constraint trigger.
    """

    parent = optional_reference(
        "self", _("parent topic"), related_name="children", field=TreeForeignKey
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderator = optional_reference(
        settings.AUTH_USER_MODEL, _("moderator"), related_name="moderated_topics"
    )
    deputy_moderator = optional_reference(
        settings.AUTH_USER_MODEL, _("deputy moderator"), related_name="deputy_topics"
    )
    back_office = optional_reference(
        "moderation.BackOffice", _("back-office"), related_name="topics"
    )
    # Denormalised by the forum's write services, never by save().
    thread_count = models.PositiveIntegerField(_("threads"), default=0)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # mptt's tree columns, declared as mptt would add them, to give them names.
    lft = models.PositiveIntegerField(_("tree start"), editable=False)
    rght = models.PositiveIntegerField(_("tree end"), editable=False)
    tree_id = models.PositiveIntegerField(_("tree"), db_index=True, editable=False)
    level = models.PositiveIntegerField(_("depth"), editable=False)

    class MPTTMeta:
        order_insertion_by = ["position", "name"]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        # The home page lists the tree depth-first.
        indexes = [models.Index(fields=["tree_id", "lft"], name="topic_tree_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (Q(moderator__isnull=False) & Q(back_office__isnull=False)),
                name="topic_published_requires_staffing",
                violation_error_message=_(
                    "A topic cannot be published before it has a moderator and a back-office."
                ),
            ),
            models.CheckConstraint(
                condition=Q(deputy_moderator__isnull=True) | ~Q(deputy_moderator=F("moderator")),
                name="topic_deputy_is_not_moderator",
                violation_error_message=_("The deputy cannot be the moderator."),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("forum:topic-detail", self.slug)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("discussion")
        QUESTION = "question", _("question")

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="threads",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISCUSSION)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # post_count counts every post row (positions 1..post_count); reply_count the visible
    # replies. Both are kept by the write services under a lock on this row.
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    # Views are counted per day in ThreadViewDay (no lock on this row). view_count holds the
    # views of every day up to views_counted_through, folded in by forum.services once a day;
    # a page adds the few day rows after it (forum.querysets.VIEWS_SQL).
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    views_counted_through = models.DateField(
        _("views counted through"), null=True, blank=True, editable=False
    )
    last_post = models.ForeignKey(
        "Post",
        verbose_name=_("last post"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    solution_post = optional_reference(
        "Post", _("accepted answer"), related_name="+", on_delete=models.SET_NULL
    )
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(
                F("topic"),
                F("pinned").desc(),
                F("last_activity_at").desc(),
                F("id").desc(),
                name="thread_topic_listing",
            ),
            models.Index(F("last_activity_at").desc(), name="thread_last_activity"),
            # The per-employee threads-per-day rate limit.
            models.Index(F("author"), F("created_at").desc(), name="thread_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="thread_title_not_empty"),
            models.CheckConstraint(
                condition=Q(solution_post__isnull=True) | Q(kind="question"),
                name="thread_only_questions_are_solved",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("forum:thread-detail", self.pk)


class Post(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("post")
        DEPARTMENT_ANSWER = "department_answer", _("answer from department")

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.PROTECT, related_name="posts"
    )
    # 1-based place in the thread, assigned under the thread's row lock; page n shows
    # positions (n-1)*per_page+1 .. n*per_page, so any page is one index range scan.
    position = models.PositiveIntegerField(_("position"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    body_md = models.TextField(_("text"))
    body_html = models.TextField(_("rendered text"))
    renderer_version = models.PositiveSmallIntegerField(_("renderer version"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edit_count = models.PositiveIntegerField(_("edits"), default=0)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = optional_reference(settings.AUTH_USER_MODEL, _("hidden by"), related_name="+")
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # A client-generated key per form; a resubmitted form finds the post it already made.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(F("author"), F("created_at").desc(), name="post_author_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["thread", "position"], name="post_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="post_position_positive"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body_md"), BODY_MAX_LENGTH),
                name="post_body_max_length",
            ),
            models.CheckConstraint(condition=~Q(body_md=""), name="post_body_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | Q(hidden_by__isnull=False),
                name="post_hidden_has_moderator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.position}"

    def get_absolute_url(self) -> str:
        return pk_url("forum:post-redirect", self.pk)

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None


class PostRevision(models.Model):
    """An earlier version of a post, kept whenever the post is edited."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("version"))
    body_md = models.TextField(_("text"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replaced by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["post", "number"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.number}"


class ThreadViewDay(models.Model):
    """Views of a thread on one day.

    Readers increment one of several buckets chosen at random, so concurrent readers of
    one thread rarely wait on the same row, and never on the thread row itself.
    """

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="view_days"
    )
    day = models.DateField(_("day"))
    bucket = models.PositiveSmallIntegerField(_("bucket"), default=0)
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("views of a day")
        verbose_name_plural = _("views of a day")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "day", "bucket"], name="threadviewday_unique"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="threadviewday_day")]

    def __str__(self) -> str:
        return f"{self.thread_id} {self.day}: {self.views}"


class ThreadRead(models.Model):
    """How far an employee has read a thread (the highest post position seen)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="thread_reads",
    )
    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="reads"
    )
    last_read_position = models.PositiveIntegerField(_("last post read"), default=0)
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [
            models.UniqueConstraint(fields=["employee", "thread"], name="threadread_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} read {self.thread_id} to {self.last_read_position}"
