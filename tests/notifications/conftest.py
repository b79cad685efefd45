"""A real SMTP server (aiosmtpd) on a free loopback port, and helpers to stage posts."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from forum import services as forum_services
from forum.notifications import services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the server received; `refuse` makes the next n deliveries fail with 451."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 Message accepted for delivery"

    def keys(self) -> list[str]:
        return [m["X-Erfaringsforum-Key"] for m in self.messages]


@pytest.fixture
def smtp(settings):
    """A running SMTP server; Django's mail goes to it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.SITE_URL = "http://testserver"
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def kari(make_employee):
    """The asker of the notification tests' threads."""
    return make_employee("Kari Nordmann")


@pytest.fixture
def ola(make_employee):
    """The colleague who replies."""
    return make_employee("Ola Nordmann")


@pytest.fixture
def topic(make_topic):
    return make_topic("Sykepenger")


@pytest.fixture
def no_interval(settings):
    settings.FORUM_POST_INTERVAL_SECONDS = 0


def reply(thread, author, body: str = "Et svar."):
    """A reply through the forum's service, then the fan-out the worker would run."""
    post = forum_services.post_reply(thread, author=author, body=body)
    services.fan_out_post(post.pk)
    return post


def start(topic, author, title: str = "Et spørsmål", body: str = "Hvordan gjør dere det?"):
    thread = forum_services.start_thread(topic, author=author, title=title, body=body)
    services.fan_out_post(thread.posts.get(position=1).pk)
    return thread
