"""Run the background worker (django-tasks' db_worker) after making sure nothing is lost.

Before it starts taking tasks it puts back in the queue the tasks that a worker killed
mid-way left "running" for longer than --stale-after (their work is idempotent, so running
them again tells nobody twice), schedules the daily and weekly digests if they are not,
and queues a sweep of the outbox (mails that a killed worker had not sent yet)."""

from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from forum.notifications import tasks
from forum.notifications.models import OutboxMail


class Command(BaseCommand):
    help = "Run the notification worker (fan-out, mail, digests)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--stale-after", type=int, default=900,
            help="Seconds after which a task still marked running belongs to a dead worker "
            "(default 900; the longest task, a digest batch, takes well under that).",
        )  # fmt: skip
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, stale_after: int, interval: float, batch: bool, worker_id, **kw):
        cutoff = timezone.now() - timedelta(seconds=stale_after)
        revived = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY, started_at=None)
        if revived:
            self.stderr.write(f"notify_worker: {revived} stale task(s) queued again")
        for period in (OutboxMail.Digest.DAILY, OutboxMail.Digest.WEEKLY):
            tasks.schedule_digest(period)
        tasks.enqueue_delivery()
        options = {"interval": interval, "reload": False, "startup_delay": False}
        if batch:
            options["batch"] = True
        if worker_id:
            options["worker_id"] = worker_id
        call_command("db_worker", verbosity=kw.get("verbosity", 1), **options)
