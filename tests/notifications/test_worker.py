"""A worker killed in the middle of the outbox loses nothing and sends nothing twice.

100 mails are queued; the worker (`manage.py notify_worker`, its own process) sends them to
a real SMTP server, which holds the 40th mail while the test kills the worker with SIGKILL
(no clean-up: as a crash or an OOM kill would). Restarted, the worker revives the task the
dead one left "running", and every mail arrives exactly once."""

import asyncio
import subprocess
import sys
import threading

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from forum.notifications import kinds, services
from forum.notifications.models import OutboxMail
from tests.live import ROOT, product_env
from tests.notifications.conftest import Inbox, free_port

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_AT = 40


class HoldingInbox(Inbox):
    """Holds the HOLD_AT-th mail until `release`; that mail's connection is dead by then,
    so it is not accepted (never stored)."""

    def __init__(self) -> None:
        super().__init__()
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) == HOLD_AT - 1 and not self.held.is_set():
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 Not accepted"
        return await super().handle_DATA(server, session, envelope)


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


def _worker(port: int, *args: str) -> subprocess.Popen:
    env = product_env(
        _database_url(), free_port(),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), SITE_URL="http://testserver",
    )  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "manage.py", "notify_worker", "--interval", "0.1", *args],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_a_worker_killed_mid_way_loses_nothing_and_sends_nothing_twice(make_topic, make_employee):
    topic = make_topic("Sykepenger")
    author = make_employee("Kari Nordmann")
    from forum import services as forum_services

    thread = forum_services.start_thread(topic, author=author, title="Svar", body="Hvordan?")
    post = thread.posts.get()
    people = [make_employee(f"Mottaker {n}") for n in range(100)]
    services.notify([p.pk for p in people], kinds.SOLVED, actor=author, thread=thread, post=post)
    assert OutboxMail.objects.count() == 100

    inbox = HoldingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        first = _worker(port)
        assert inbox.held.wait(timeout=120), first.stderr.read1().decode() if first.poll() else ""
        first.kill()  # SIGKILL while the 40th mail is being sent
        first.wait(timeout=30)
        inbox.release.set()
        assert len(inbox.messages) == HOLD_AT - 1
        assert OutboxMail.objects.filter(sent_at__isnull=False).count() == HOLD_AT - 1

        second = _worker(port, "--batch", "--stale-after", "0")
        _out, err = second.communicate(timeout=180)
        assert second.returncode == 0, err.decode()[-2000:]
    finally:
        controller.stop()

    keys = inbox.keys()
    assert len(keys) == 100 and len(set(keys)) == 100  # each exactly once
    assert sorted(m["To"] for m in inbox.messages) == sorted(p.email for p in people)
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
