"""Screenshots of the demo for the README's visual tour: `make screenshots`.

Loads the demo (`manage.py seed_demo`, idempotent) into the database DATABASE_URL names,
serves the product as its users get it (gunicorn, DEBUG off, static files through
whitenoise) on a free local port, signs in as demo people in Debian's chromium and saves
the first screen of the home page, a thread and the moderation queue at 1,280 and 375 px,
in bokmål, to docs/screenshots/<page>-<width>.png.

Run with the application role's DATABASE_URL after the owner has migrated (the Make target
does both).
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DEMO_PASSWORD = "demo-erfaring-2026"  # noqa: S105  (accounts.demo.DEMO_PASSWORD, printed by make run)
DOMAIN = "erfaringsforum.example"
WIDTHS = {1280: 800, 375: 812}  # width -> height of the first screen
THREAD_TITLE = "Dialogmøte 2 når arbeidsgiver ikke stiller"
# (file name, who signs in, path or None for the thread above)
SHOTS = [
    ("home", "kari.nordmann", "/"),
    ("thread", "kari.nordmann", None),
    ("moderation-queue", "mona.lie", "/moderering/"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _thread_path(env: dict[str, str]) -> str:
    code = (
        "from forum.models import Thread; "
        f"print(Thread.objects.get(title={THREAD_TITLE!r}).get_absolute_url())"
    )
    return _manage(env, "shell", "-v", "0", "-c", code).strip()


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "GUNICORN_WORKERS": "2", "GUNICORN_ACCESSLOG": "/dev/null"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 seconds")


def _capture(base_url: str, thread_path: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        for width, height in WIDTHS.items():
            for name, person, path in SHOTS:
                context = browser.new_context(
                    base_url=base_url,
                    locale="nb-NO",
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto("/konto/logg-inn/")
                page.fill("#id_username", f"{person}@{DOMAIN}")
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
                if "/konto/logg-inn/" in page.url:
                    raise SystemExit(f"{person} could not sign in with the demo password.")
                page.goto(path or thread_path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{width}.png"
                page.screenshot(path=str(target))
                saved.append(target)
                context.close()
        browser.close()
    return saved


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("DATABASE_URL is not set: run `make screenshots`.")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # this run's only
        "SECURE_COOKIES": "0",
        "AUTH_MODE": "local",
        "STATIC_PLAIN": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    _manage({**env, "DEBUG": "1"}, "seed_demo")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    thread_path = _thread_path(env)
    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    server = _serve(env, port)
    try:
        for path in _capture(f"http://127.0.0.1:{port}", thread_path):
            print(path.relative_to(ROOT))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)  # gunicorn's graceful stop; a busy machine is slow
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
