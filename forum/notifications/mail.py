"""E-mail: what a mail says (made when it is sent, in the recipient's language), and the
delivery loop the worker runs over the outbox."""

import contextlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Employee
from forum import permissions as forum_permissions
from forum.notifications import kinds, querysets, services
from forum.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Notification,
    OutboxMail,
    Preference,
)
from forum.notifications.permissions import notifications_visible_to

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 30 s, 1 min, 2 min, ... at most an hour."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS))


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(employee: Employee, category: str) -> str:
    token = services.unsubscribe_token(employee, category)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def group_line(group: querysets.Group, viewer: Employee) -> tuple[str, str]:
    """(sentence, absolute link) for a group of notifications, in the active language."""
    kind = kinds.get(group.kind)
    thread = group.thread
    title = forum_permissions.shown_title(viewer, thread) if thread is not None else ""
    text = kind.text(group.first, group.count, title)
    return text, absolute(group_url(group))


def group_url(group: querysets.Group) -> str:
    """The first post of the group not yet read (else the newest), or the kind's own link."""
    kind = kinds.get(group.kind)
    first = group.first
    if kind.url is not None:
        return kind.url(first)
    if first.post is not None:
        page = -(-first.post.position // settings.FORUM_POSTS_PER_PAGE)
        url = reverse("forum:thread-detail", kwargs={"pk": first.thread_id})
        return f"{url}?page={page}#p{first.post.position}"
    if first.thread_id:
        return reverse("forum:thread-detail", kwargs={"pk": first.thread_id})
    return reverse("notifications:list")


def _category_of(kind: str) -> str:
    return kinds.get(kind).category


def _frequency(preference: Preference | None, category: str) -> str:
    if preference is None:
        return DEFAULT_FREQUENCY[category]
    return getattr(preference, f"mail_{category}")


def compose(mail: OutboxMail) -> EmailMessage | None:
    """The message for an outbox row, or None when there is nothing left to tell (the post
    was hidden meanwhile, the reader lost sight of the topic, or chose no mail since)."""
    recipient = Employee.objects.select_related("unit").get(pk=mail.recipient_id)
    if not recipient.is_active or not recipient.email:
        return None
    preference = Preference.objects.filter(employee=recipient).first()
    language = preference.language if preference is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        if mail.digest:
            return _compose_digest(mail, recipient, preference)
        return _compose_single(mail, recipient, preference)


def _message(
    recipient: Employee, *, subject: str, body: str, category: str, key: str
) -> EmailMessage:
    link = unsubscribe_url(recipient, category)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<{key.replace(':', '.')}@erfaringsforum>",
            "X-Erfaringsforum-Key": key,
        },
    )  # fmt: skip
    return message


def _compose_single(
    mail: OutboxMail, recipient: Employee, preference: Preference | None
) -> EmailMessage | None:
    qs = querysets.recent_for(recipient).filter(pk=mail.notification_id)
    notification = notifications_visible_to(recipient, qs).first()
    if notification is None:
        return None
    category = _category_of(notification.kind)
    if _frequency(preference, category) != Frequency.IMMEDIATELY:
        return None
    (group,) = querysets.group_by_thread([notification])
    text, link = group_line(group, recipient)
    unsubscribe = unsubscribe_url(recipient, category)
    body = render_to_string(
        "notifications/mail/single.txt",
        {"recipient": recipient, "text": text, "link": link, "unsubscribe": unsubscribe,
         "settings_url": absolute(reverse("notifications:settings"))},
    )  # fmt: skip
    return _message(recipient, subject=text[:150], body=body, category=category, key=mail.key)


def _compose_digest(
    mail: OutboxMail, recipient: Employee, preference: Preference | None
) -> EmailMessage | None:
    wanted = [
        name
        for category in kinds.CATEGORIES
        if _frequency(preference, category) == mail.digest
        for name in kinds.in_category(category)
    ]
    if not wanted:
        return None
    qs = querysets.recent_for(recipient).filter(
        kind__in=wanted, created_at__gte=mail.period_start, created_at__lt=mail.period_end
    )
    notifications = list(notifications_visible_to(recipient, qs)[: querysets.LIST_WINDOW])
    if not notifications:
        return None
    lines = [group_line(group, recipient) for group in querysets.group_by_thread(notifications)]
    category = (
        kinds.WATCHED
        if kinds.WATCHED in {_category_of(n.kind) for n in notifications}
        else _category_of(notifications[0].kind)
    )
    if mail.digest == OutboxMail.Digest.DAILY:
        subject = _("Your daily digest from Erfaringsforum")
    else:
        subject = _("Your weekly digest from Erfaringsforum")
    body = render_to_string(
        "notifications/mail/digest.txt",
        {"recipient": recipient, "lines": lines, "subject": subject,
         "unsubscribe": unsubscribe_url(recipient, category),
         "settings_url": absolute(reverse("notifications:settings"))},
    )  # fmt: skip
    return _message(recipient, subject=subject, body=body, category=category, key=mail.key)


def deliver_due(*, limit: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Send the due outbox rows one at a time until none is left (or `limit` were tried).

    Each row is claimed FOR UPDATE SKIP LOCKED (two workers never take the same row), sent
    and stamped in one transaction: a worker killed before the stamp commits leaves the row
    unsent and claimable again, so nothing queued is lost. A failure is recorded with the
    next attempt's time (retry_delay) and MAX_ATTEMPTS gives up. Returns the counts."""
    counts = {"sent": 0, "skipped": 0, "failed": 0, "given_up": 0}
    smtp = get_connection()
    tried = 0
    try:
        while limit is None or tried < limit:
            with transaction.atomic():
                mail = (
                    OutboxMail.objects.select_for_update(skip_locked=True)
                    .filter(sent_at__isnull=True, failed_at__isnull=True,
                            next_attempt_at__lte=now or timezone.now())
                    .order_by("next_attempt_at", "id")
                    .first()
                )  # fmt: skip
                if mail is None:
                    break
                tried += 1
                _deliver_one(mail, smtp, counts)
    finally:
        smtp.close()
    return counts


def _deliver_one(mail: OutboxMail, smtp, counts: dict[str, int]) -> None:
    now = timezone.now()
    try:
        message = compose(mail)
        if message is not None:
            # Opened here and kept open for the next mails (a connection that send()
            # opened itself would be closed after each one: ~200 ms a mail on this machine).
            smtp.open()
            message.connection = smtp
            message.send()
    except Exception as exc:
        mail.attempts += 1
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.failed_at = now
            counts["given_up"] += 1
        else:
            mail.next_attempt_at = now + retry_delay(mail.attempts)
            counts["failed"] += 1
        logger.warning("mail %s failed (attempt %d): %s", mail.key, mail.attempts, exc)
        with contextlib.suppress(Exception):
            smtp.close()  # a broken connection is opened anew for the next mail
        mail.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
        return
    mail.sent_at = now
    mail.skipped = message is None
    mail.attempts += 1
    mail.save(update_fields=["sent_at", "skipped", "attempts"])
    counts["skipped" if message is None else "sent"] += 1


def next_retry_at() -> datetime | None:
    """When the earliest waiting row is due (for the delivery task's next run)."""
    return (
        OutboxMail.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


# Digests ------------------------------------------------------------------------------------

PERIODS = {OutboxMail.Digest.DAILY: timedelta(days=1), OutboxMail.Digest.WEEKLY: timedelta(days=7)}


def queue_digests(period: str, *, end: datetime | None = None) -> int:
    """Queue one digest per employee who has notifications in the period that they want in
    this digest: one INSERT ... SELECT, keyed by period and day, so a second run the same
    day queues nothing. Returns how many were queued."""
    end = end or timezone.now()
    start = end - PERIODS[period]
    n, o, p = Notification._meta.db_table, OutboxMail._meta.db_table, Preference._meta.db_table
    wants = []
    for category in kinds.CATEGORIES:
        names = ", ".join(f"'{k}'" for k in kinds.in_category(category)) or "''"
        wants.append(
            f"(n.kind IN ({names}) AND COALESCE(pr.mail_{category}, "
            f"'{DEFAULT_FREQUENCY[category]}') = %(period)s)"
        )
    sql = f"""INSERT INTO {o} (key, recipient_id, notification_id, digest, period_start,
                      period_end, created_at, next_attempt_at, attempts, skipped, last_error)
SELECT 'd:' || %(period)s || ':' || %(day)s || ':' || r.recipient_id, r.recipient_id, NULL,
       %(period)s, %(start)s, %(end)s, %(end)s, %(end)s, 0, false, ''
  FROM (SELECT DISTINCT n.recipient_id FROM {n} n
          LEFT JOIN {p} pr ON pr.employee_id = n.recipient_id
         WHERE n.created_at >= %(start)s AND n.created_at < %(end)s
           AND ({" OR ".join(wants)})) r
ON CONFLICT (key) DO NOTHING"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"period": period, "day": end.date().isoformat(), "start": start, "end": end},
        )
        return cursor.rowcount
