"""Watches, notifications, e-mail preferences and the outbox of mails."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    WATCHING = "watching", _("Watching: every new post")
    NORMAL = "normal", _("Normal: only when I am addressed")
    MUTED = "muted", _("Muted: nothing")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    NEVER = "never", _("Never")


class Watch(models.Model):
    """An employee's level on one thread, or on one topic (its subtopics included).

    The nearest watch wins: a thread's over its topic's, a subtopic's over its parent's.
    With no watch at all an employee is at NORMAL, except a topic's moderator, deputy and
    back-office members, who are WATCHING their topics by default."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    topic = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True, topic__isnull=False)
                | Q(thread__isnull=False, topic__isnull=True),
                name="watch_thread_xor_topic",
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="watch_level_known"),
            models.UniqueConstraint(
                fields=["employee", "thread"], condition=Q(thread__isnull=False),
                name="watch_one_per_thread",
            ),
            models.UniqueConstraint(
                fields=["employee", "topic"], condition=Q(topic__isnull=False),
                name="watch_one_per_topic",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["thread", "level"], name="watch_thread_level"),
            models.Index(fields=["topic", "level"], name="watch_topic_level"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.level} {self.thread_id or self.topic_id}"


class Notification(models.Model):
    """Something an employee is told: a kind (forum.notifications.kinds) and what it is
    about. Never rendered text: the reader's language decides the words when it is read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "forum.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=""), name="notification_kind_not_empty"),
            # A post is told once per kind to each person: a fan-out that runs again (a
            # retried task) inserts nothing twice.
            models.UniqueConstraint(
                fields=["recipient", "kind", "post"], condition=Q(post__isnull=False),
                name="notification_once_per_post",
            ),
            models.CheckConstraint(
                condition=Q(post__isnull=True) | Q(thread__isnull=False),
                name="notification_post_has_thread",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"], name="notification_recent",
            ),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True),
                name="notification_unread_only",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Preference(models.Model):
    """An employee's choices. No row: the defaults (auto-watch on; addressed mails at once,
    watched threads in a daily digest, staff matters at once; bokmål)."""

    employee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
        related_name="notification_preference",
    )  # fmt: skip
    auto_watch = models.BooleanField(_("Watch the threads I start or reply to"), default=True)
    language = models.CharField(
        _("Language of my e-mails"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )  # fmt: skip
    mail_addressed = models.CharField(
        _("When I am addressed (a reply to my thread, a mention, moderation of my posts)"),
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY,
    )  # fmt: skip
    mail_watched = models.CharField(
        _("New threads and replies in what I watch"),
        max_length=12, choices=Frequency.choices, default=Frequency.DAILY,
    )  # fmt: skip
    mail_staff = models.CharField(
        _("Consultations, reports and escalations in my topics"),
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY,
    )  # fmt: skip

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(mail_addressed__in=Frequency.values)
                & Q(mail_watched__in=Frequency.values) & Q(mail_staff__in=Frequency.values),
                name="preference_frequency_known",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"preferences of {self.employee_id}"


DEFAULT_FREQUENCY = {
    "addressed": Frequency.IMMEDIATELY,
    "watched": Frequency.DAILY,
    "staff": Frequency.IMMEDIATELY,
}


class OutboxMail(models.Model):
    """One mail to send, made in the same statement as what it tells (a notification) or by
    the digest. `key` is unique, so the same mail is never queued twice; the worker claims a
    row with FOR UPDATE SKIP LOCKED, sends it and stamps `sent_at` in that transaction, so it
    is never sent twice either. A failure sets `next_attempt_at` later (back-off); after
    MAX_ATTEMPTS the row is given up (`failed_at`). The text is made when it is sent, in the
    recipient's language."""

    class Digest(models.TextChoices):
        NONE = "", _("single notification")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")

    key = models.CharField(max_length=100, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    digest = models.CharField(max_length=10, choices=Digest.choices, blank=True, default="")
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(digest="") & Q(notification__isnull=False))
                | (~Q(digest="") & Q(period_start__isnull=False) & Q(period_end__isnull=False)),
                name="outbox_single_or_digest",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(failed_at__isnull=True),
                name="outbox_sent_or_failed",
            ),
        ]
        indexes = [
            # (next_attempt_at, id): the claim's ORDER BY; a digest queues 20,000 rows with
            # one next_attempt_at, which an index on the time alone had to sort per claim.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_due_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.key
