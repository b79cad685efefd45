from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erfaringsforum.fields import optional_reference


class BackOffice(models.Model):
    """A named group of subject experts behind one or more topics' moderators."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="BackOfficeMembership",
        related_name="back_offices",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("back-office")
        verbose_name_plural = _("back-offices")

    def __str__(self) -> str:
        return self.name


class BackOfficeMembership(models.Model):
    back_office = models.ForeignKey(
        BackOffice,
        verbose_name=_("back-office"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="back_office_memberships",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("back-office member")
        verbose_name_plural = _("back-office members")
        constraints = [
            models.UniqueConstraint(
                fields=["back_office", "employee"], name="backoffice_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.back_office})"


class AuditEntry(models.Model):
    """One moderation or staffing action: who, what, on what, why, when.

    Written only through `moderation.services.record_audit`, by the service that performs
    the action, in the same transaction.
    """

    class Action(models.TextChoices):
        PUBLISH_TOPIC = "publish_topic", _("published topic")
        UNPUBLISH_TOPIC = "unpublish_topic", _("unpublished topic")
        STAFF_TOPIC = "staff_topic", _("changed staffing")
        HIDE_POST = "hide_post", _("hid post")
        RESTORE_POST = "restore_post", _("restored post")
        EDIT_POST = "edit_post", _("edited post")
        LOCK_THREAD = "lock_thread", _("locked thread")
        UNLOCK_THREAD = "unlock_thread", _("unlocked thread")
        PIN_THREAD = "pin_thread", _("pinned thread")
        UNPIN_THREAD = "unpin_thread", _("unpinned thread")
        MOVE_THREAD = "move_thread", _("moved thread")
        CLARIFY_POST = "clarify_post", _("marked clarified answer")
        UNCLARIFY_POST = "unclarify_post", _("removed clarified answer")
        ESCALATE_THREAD = "escalate_thread", _("escalated thread")
        ESCALATION_STATUS = "escalation_status", _("changed escalation status")
        ANSWER_ESCALATION = "answer_escalation", _("answered escalation")
        DISMISS_REPORT = "dismiss_report", _("dismissed report")
        OPEN_CONSULTATION = "open_consultation", _("opened consultation")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    topic = models.ForeignKey(
        "forum.Topic", verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    thread = models.ForeignKey(
        "forum.Thread", verbose_name=_("thread"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    post = models.ForeignKey(
        "forum.Post", verbose_name=_("post"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    target = models.CharField(_("target"), max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["topic", "-created_at"], name="audit_topic_recent"),
            models.Index(fields=["-created_at"], name="audit_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DISMISSED = "dismissed", _("dismissed")
        RESOLVED = "resolved", _("acted on")

    post = models.ForeignKey(
        "forum.Post", verbose_name=_("post"), on_delete=models.PROTECT, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_by = optional_reference(settings.AUTH_USER_MODEL, _("resolved by"), related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="report_one_open_per_reporter",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(resolved_by__isnull=False, resolved_at__isnull=False),
                name="report_resolution_stamped",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on post {self.post_id}"


class Consultation(models.Model):
    """The back-office discussion on a thread; visible only to the topic's staff and admins."""

    thread = models.OneToOneField(
        "forum.Thread", verbose_name=_("thread"), on_delete=models.PROTECT,
        related_name="consultation",
    )  # fmt: skip
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return f"consultation on thread {self.thread_id}"


class InternalNote(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.PROTECT,
        related_name="notes",
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    body_md = models.TextField(_("text"), max_length=32_000)
    body_html = models.TextField(_("rendered text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The form's one-time key: a note sent twice (a double click) is stored once.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"note {self.pk}"


class ClarifiedAnswer(models.Model):
    post = models.OneToOneField(
        "forum.Post", verbose_name=_("post"), on_delete=models.PROTECT,
        related_name="clarification",
    )  # fmt: skip
    # The post's thread, so a thread page finds its clarified answers through an index
    # however many there are elsewhere. Set by the database from the post on every insert
    # and update (trigger in migration 0004), so no write path can get it wrong.
    thread = models.ForeignKey(
        "forum.Thread", verbose_name=_("thread"), on_delete=models.PROTECT,
        related_name="clarified_answers", editable=False,
    )  # fmt: skip
    clarified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("clarified by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    clarified_at = models.DateTimeField(_("clarified"), default=timezone.now)
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarified answer")
        verbose_name_plural = _("clarified answers")
        indexes = [models.Index(fields=["review_by"], name="clarified_review_by")]

    def __str__(self) -> str:
        return f"clarified post {self.post_id}"

    def save(self, *args, **kwargs) -> None:
        # The trigger sets thread_id in the row; this keeps the object in step with it.
        if self.thread_id is None and self.post_id is not None:
            self.thread_id = self.post.thread_id
        super().save(*args, **kwargs)


class Escalation(models.Model):
    class Category(models.TextChoices):
        ROUTINE = "routine", _("inappropriate routine")
        REGULATION_EFFECT = "regulation_effect", _("unintended effect of a regulation")
        PRINCIPLED = "principled", _("other principled question")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    thread = models.ForeignKey(
        "forum.Thread", verbose_name=_("thread"), on_delete=models.PROTECT,
        related_name="escalations",
    )  # fmt: skip
    department = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name=_("department"),
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    summary = models.TextField(_("summary"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    in_progress_at = models.DateTimeField(_("in progress"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer_post = models.OneToOneField(
        "forum.Post", verbose_name=_("answer"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="escalation",
    )  # fmt: skip
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [models.Index(fields=["department", "status"], name="escalation_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_at__isnull=False),
                name="escalation_answered_stamped",
            ),
        ]

    def __str__(self) -> str:
        return f"escalation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:escalation-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)
