"""Playwright on Debian's chromium against pytest-django's live server, with axe-core."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe-4.14.1.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (make browser).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(browser, live_server, language: str = "en", **options):
    """A browser context whose reader chose `language` (the language cookie the header's
    switch sets): the product ignores the browser's Accept-Language, so the en-GB locale is
    kept only for the browser's own formats."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


@pytest.fixture
def page(browser, live_server):
    # English UI in browser tests: selectors by visible text stay stable when the Norwegian
    # catalogue changes. test_accounts_browser checks the Norwegian default separately.
    context = new_context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def login(page, employee, password: str = PASSWORD) -> None:
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", employee.email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return serious/critical hits."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe found on {page.url}: {violations}"


def assert_clean(page) -> None:
    """axe finds nothing on the page and no script has failed on it."""
    assert_accessible(page)
    assert page.js_errors == []


def follow(page, target) -> None:
    """Click `target` (a link or a submit button) and wait for the page it leads to."""
    target.click()
    page.wait_for_load_state()
