"""`make run` shows the product as its users see it: DEBUG off, the product's own error pages,
static files through whitenoise, a secret key generated once; scripts/serve.sh stops every
process it started on Ctrl-C."""

import os
import secrets
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  (http://127.0.0.1)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def database_url() -> str:
    s = connection.settings_dict
    user, password = quote(s["USER"] or "", safe=""), quote(s["PASSWORD"] or "", safe="")
    return (
        f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def test_the_secret_key_is_generated_once_into_a_private_file(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    make = ["make", "-s", "-C", str(ROOT), f"SECRET_KEY_FILE={key_file}", str(key_file)]
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    assert key_file.read_text().strip() == key  # kept for the next runs
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "var/secret_key"])
    assert ignored.returncode == 0


@pytest.mark.django_db(transaction=True)
def test_make_runs_serve_with_debug_off_the_products_404_and_whitenoise(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "STATIC_PLAIN"}
    }
    port = free_port()
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_COOKIES="0",
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=database_url(),
        PORT=str(port),
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG="/dev/null",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    server = subprocess.Popen(
        ["scripts/serve.sh"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):  # until gunicorn answers (start-up only; nothing is timed)
            try:
                status, _, page = get(f"{base}/finnes-ikke/")
                break
            except (ConnectionError, urllib.error.URLError):
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.5)
        assert status == 404
        assert "Fant ikke siden" in page and "<html" in page
        assert "URLconf" not in page and "DEBUG = True" not in page  # not Django's debug page

        status, headers, login = get(f"{base}/konto/logg-inn/")
        assert status == 200 and headers["Server"] == "gunicorn"
        css = login.split('href="/static/css/app.', 1)[1].split('"', 1)[0]
        assert css.count(".") == 1  # app.<hash>.css: the manifest storage's name
        status, headers, _ = get(f"{base}/static/css/app.{css}")
        assert status == 200 and "immutable" in headers["Cache-Control"]
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the terminal
        server.wait(timeout=60)
    assert "Shutting down: Master" in server.stdout.read().decode()  # gunicorn stopped cleanly
    for _ in range(40):  # the output prefixer ends when the last process's output closes
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.25)
    with pytest.raises(ProcessLookupError):
        os.killpg(server.pid, 0)  # no process of the group is left
