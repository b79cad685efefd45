"""The product served for real, and browsers without a screen, for the tests that load it
from outside: gunicorn with production settings in its own process, and clients that keep
cookies, sign in through the login form and send forms with their CSRF token."""

import contextlib
import datetime
import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def product_env(database_url: str, port: int, **extra: str) -> dict[str, str]:
    """The environment of a production-like server on 127.0.0.1 (plain HTTP cookies)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "live-test-" + "s" * 40,
        "SECURE_COOKIES": "0",
        "AUTH_MODE": "local",
        "FORUM_POST_INTERVAL_SECONDS": "0",
        "FORUM_THREADS_PER_DAY": "100000",
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "/dev/null",
        "STATIC_PLAIN": "1",
        **extra,
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn serving the product with `env`; yields its base URL once /healthz answers."""
    base_url = f"http://127.0.0.1:{env['PORT']}"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            for _ in range(300):
                if server.poll() is not None:
                    raise RuntimeError("gunicorn stopped: " + log.read_text()[-2000:])
                try:
                    urllib.request.urlopen(base_url + "/healthz", timeout=2)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: a cookie jar, the login form, forms sent with the CSRF token.
    Redirects are not followed, so a 302 after a form is seen as the success it is."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = None
        if data is not None:
            token = next(c.value for c in self.jar if c.name == "csrftoken")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(self.base_url + path, body, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def sign_in(self, email: str, password: str) -> None:
        self.request("/konto/logg-inn/")
        status, page, _ = self.request(
            "/konto/logg-inn/", {"username": email, "password": password, "next": "/"}
        )
        if status != 302:
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))[:600]
            raise AssertionError(f"signing in as {email} failed: {text}")


# ---------------------------------------------------------------------------------------------
# A busy Monday: the soak test's and `make bench`'s mix of authors, moderators and readers


@dataclass
class Mix:
    """What the mix works on, and what it saw: (kind, status, seconds) per request and the
    texts of the replies the product confirmed (a redirect after the POST)."""

    base_url: str
    thread_ids: list[int]
    post_ids: list[int]
    topic_ids: list[int]
    results: list[tuple[str, int, float]] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _send(self, browser: Browser, kind: str, path: str, data: dict | None = None):
        started = time.monotonic()
        try:
            status, page, _ = browser.request(path, data)
        except OSError:  # a refused or broken connection counts as an error
            status, page = 599, ""
        with self._lock:
            self.results.append((kind, status, time.monotonic() - started))
        return status, page

    def author(self, browser: Browser, rng: random.Random, deadline: float) -> None:
        while time.monotonic() < deadline:
            thread_id = rng.choice(self.thread_ids)
            text = f"Svar {uuid.uuid4().hex}"
            status, _ = self._send(browser, "reply", f"/trad/{thread_id}/svar/", {"body": text})
            if status == 302:
                with self._lock:
                    self.confirmed.append(text)
            _, page = self._send(browser, "read", f"/trad/{thread_id}/?page=last")
            editable = [int(pk) for pk in re.findall(r"/innlegg/(\d+)/rediger/", page)]
            if editable and rng.random() < 0.5:
                data = {"body": f"Rettet {text}", "reason": "skrivefeil"}
                self._send(browser, "edit", f"/innlegg/{rng.choice(editable)}/rediger/", data)

    def moderator(self, browser: Browser, rng: random.Random, deadline: float) -> None:
        later = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        while time.monotonic() < deadline:
            pk, thread_id = rng.choice(self.post_ids), rng.choice(self.thread_ids)
            post, thread = f"/moderering/innlegg/{pk}", f"/moderering/trad/{thread_id}"
            kind, path, data = rng.choice(
                [
                    ("hide", f"{post}/skjul/", {"reason": "Personopplysninger"}),
                    ("unhide", f"{post}/vis/", {"reason": ""}),
                    ("mod-edit", f"{post}/rediger/", {"body": "Moderert.", "reason": "Språk"}),
                    ("clarify", f"{post}/avklar/", {"legal_reference": "ftrl. § 8-2",
                                                    "review_by": later}),
                    ("lock", f"{thread}/las/", {"reason": ""}),
                    ("unlock", f"{thread}/apne/", {"reason": ""}),
                    ("move", f"{thread}/flytt/", {"to_topic": rng.choice(self.topic_ids),
                                                  "reason": "Rett tema"}),
                ]
            )  # fmt: skip
            self._send(browser, kind, path, data)

    def reader(self, browser: Browser, rng: random.Random, deadline: float) -> None:
        while time.monotonic() < deadline:
            thread_id = rng.choice(self.thread_ids)
            path = rng.choice(["/", f"/trad/{thread_id}/?page=1", f"/trad/{thread_id}/"])
            self._send(browser, "read", path)

    def run(self, people: dict[str, list[tuple[str, str]]], seconds: float) -> None:
        """Sign everyone in ((email, password) lists under "authors", "moderators",
        "readers"), then let them all work at once for `seconds`."""
        roles = {"authors": self.author, "moderators": self.moderator, "readers": self.reader}
        actors = []
        for role, credentials in people.items():
            for n, (email, password) in enumerate(credentials):
                browser = Browser(self.base_url)
                browser.sign_in(email, password)
                actors.append((roles[role], browser, random.Random(f"{role}{n}")))
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=work, args=(browser, rng, deadline))
            for work, browser, rng in actors
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 60)

    def errors(self) -> list[tuple[str, int]]:
        return [(kind, status) for kind, status, _ in self.results if status >= 500]
