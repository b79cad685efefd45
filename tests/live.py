"""The product served for real, and browsers without a screen, for the tests that load it
from outside: gunicorn with production settings in its own process, and clients that keep
cookies, sign in through the login form and send forms with their CSRF token."""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
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
