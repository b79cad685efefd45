import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "-production-secret-value-0123456789abcdef",
    "ALLOWED_HOSTS": "erfaringsforum.intranett.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_TLS_PROXY": "1",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def run_bare(*args: str) -> subprocess.CompletedProcess:
    # A bare environment, as a person's shell (or a CI step) has before reading the README.
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_manage_command_states_the_refusal_clearly():
    for command in ("check", "migrate", "runserver"):
        result = run_bare(command)
        assert result.returncode != 0, command
        assert "SECRET_KEY must be set" in result.stderr, command
        assert "Models aren't loaded yet" not in result.stderr, command


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = run_bare("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_production_mode_refuses_a_short_secret_key():
    result = run_manage("check", env={"DEBUG": "0", "SECRET_KEY": "change-me"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "1", "SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_the_documented_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unknown_auth_mode_is_refused():
    result = run_manage("check", env={"DEBUG": "1", "AUTH_MODE": "ldap"})
    assert result.returncode != 0
    assert "AUTH_MODE" in result.stderr


@pytest.mark.django_db
def test_security_headers_are_on_every_response(client):
    response = client.get("/konto/logg-inn/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_in_production_mode():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    result = run_manage("shell", "-v", "0", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", "Lax"], result.stderr


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "up"


def test_healthz_answers_503_when_the_database_does_not():
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
    }
    code = "from django.test import Client;r = Client().get('/healthz');print(r.status_code)"
    result = run_manage("shell", "-v", "0", "-c", code, env=env)
    assert result.stdout.strip() == "503", result.stderr


def test_allowed_hosts_default_leaves_out_testserver_when_debug_is_off():
    env = {"DEBUG": "0", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"], "ALLOWED_HOSTS": ""}
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS)", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "testserver" not in result.stdout
    assert "localhost" in result.stdout
