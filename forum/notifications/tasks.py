"""The background work (django-tasks, database backend; run by `manage.py notify_worker`).

Tasks only trigger work whose state lives in our own tables: a fan-out is idempotent (unique
keys), mails are rows of the outbox. So a task that dies with its worker loses nothing:
notify_worker puts tasks left running by a dead worker back in the queue and sweeps the
outbox when it starts.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from forum.notifications import mail, services
from forum.notifications.models import OutboxMail


@task()
def fan_out_post(post_id: int) -> list[int]:
    """Tell everyone who should hear of this new post (services.fan_out_post)."""
    told, mailed = services.fan_out_post(post_id)
    return [told, mailed]


@task()
def deliver_mail() -> dict:
    """Send every due mail of the outbox; come back when the next retry is due."""
    counts = mail.deliver_due()
    due = mail.next_retry_at()
    if due is not None:
        _enqueue_once(deliver_mail, run_after=max(due, timezone.now()))
    return counts


@task()
def send_digests(period: str) -> dict:
    """Queue and send the daily or weekly digest; schedule the next one."""
    queued = mail.queue_digests(period)
    counts = mail.deliver_due()
    schedule_digest(period)
    return {"queued": queued, **counts}


def _waiting(task_, *, before: datetime | None = None):
    waiting = DBTaskResult.objects.filter(
        task_path=task_.module_path, status=TaskResultStatus.READY
    )
    if before is not None:
        waiting = waiting.filter(run_after__lte=before)
    return waiting


def _enqueue_once(task_, *, run_after: datetime | None = None, args: tuple = ()) -> None:
    """Enqueue unless the same task already waits to run by then (one delivery task drains
    the whole outbox, so a burst of replies needs one, not one each)."""
    if _waiting(task_, before=run_after or timezone.now()).exists():
        return
    task_.using(run_after=run_after).enqueue(*args)


def enqueue_fan_out(post_id: int) -> None:
    """For transaction.on_commit in the forum's write services."""
    fan_out_post.enqueue(post_id)


def enqueue_delivery() -> None:
    """For transaction.on_commit after outbox rows were written."""
    _enqueue_once(deliver_mail)


def next_digest_time(period: str, now: datetime | None = None) -> datetime:
    """06:00 local time tomorrow (daily), or next Monday 06:00 (weekly)."""
    now = timezone.localtime(now or timezone.now())
    at = now.replace(hour=6, minute=0, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    if period == OutboxMail.Digest.WEEKLY:
        at += timedelta(days=(7 - at.weekday()) % 7)
    return at


def schedule_digest(period: str) -> None:
    """Make sure the next digest of this period is queued (once)."""
    with transaction.atomic():
        if (
            DBTaskResult.objects.select_for_update()
            .filter(
                task_path=send_digests.module_path,
                status=TaskResultStatus.READY,
                args_kwargs__args=[period],
            )
            .exists()
        ):
            return
        send_digests.using(run_after=next_digest_time(period)).enqueue(period)
