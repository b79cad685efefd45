"""The acceptance crawl of issue 14: which pages each role has, and what is checked on them.

The pages are found, not listed: for each role a Django test client starts from a few
seeds (home, searches, the threads with the most on them, a missing page) and follows every
link it is shown, keeping one page per URL pattern (and per set of query parameters), so a
new page is crawled as soon as something links to it. `test_every_url_pattern_is_crawled`
fails when a pattern is reached by no role. The browser then opens each found page in
Chromium at both widths in both languages (tests/browser/test_every_page_browser.py), and
the Nu HTML Checker reads their served HTML.
"""

import fnmatch
import json
import subprocess
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.demo import DOMAIN
from accounts.models import Employee

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe-4.14.1.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# `make vnu` installs it (npm, into the ignored var/); Debian's Java runs it.
VNU_JAR = ROOT / "var" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

WIDTHS = [1280, 375]
LANGUAGES = ["nb", "en"]
BROWSER_LOCALE = {"nb": "nb-NO", "en": "en-GB"}

# Role -> the demo login (moderation.demo): each sees pages the others do not.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "employee": "kari.nordmann",
    "moderator": "mona.lie",  # Sykefraværsoppfølging: an open report, a clarified answer
    "back-office": "lars.bakken",  # Baksystem ytelser: the consultation on AAP
    "department-contact": "kontakt.ytelse",  # the escalations to Ytelsesavdelingen
    "admin": "admin",
}

# URL patterns that show no page of their own: POST-only actions (their refusals and
# successes are pages already crawled), a fragment fetched by a script, a health probe.
NOT_PAGES = {
    "healthz": "plain-text health probe",
    "set_language": "POST only",
    "accounts:logout": "POST only",
    "forum:similar-threads": "an HTML fragment the new-thread page's script fetches",
    "forum:thread-solution": "POST only",
    "forum:post-useful": "POST only",
    "forum:mention-suggestions": "JSON for the mention suggestions' script",
    "forum:post-restore": "POST only",
    "notifications:mark-read": "POST only",
    "moderation:dismiss-report": "POST only",
    "moderation:lock-thread": "POST only",
    "moderation:unlock-thread": "POST only",
    "moderation:pin-thread": "POST only",
    "moderation:unpin-thread": "POST only",
    "moderation:move-thread": "POST only",
    "moderation:open-consultation": "POST only",
    "moderation:escalation-status": "POST only",
    "moderation:escalation-answer": "POST only",
}

# Faults that belong to another engineer's part of issue 14 (see the split), tolerated here
# only until their branches are merged: (role glob, page glob, "check: detail" glob) -> reason.
# The coordinator empties this list after merging everyone. A test whose only faults are listed
# here is reported as xfail (with the reasons), never as passed.
KNOWN_UNTIL_MERGE: dict[tuple[str, str, str], str] = {}


@dataclass
class Page:
    name: str  # the URL pattern's name, or the seed's own name
    url: str
    status: int = 200
    html: str = ""


@dataclass
class RoleSite:
    role: str
    pages: list[Page] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)  # every pattern name answered, redirects too
    broken_links: list[str] = field(default_factory=list)
    session_cookie: str | None = None


def employee(role: str) -> Employee | None:
    local = ROLES[role]
    return None if local is None else Employee.objects.get(email=f"{local}@{DOMAIN}")


def client_for(role: str, lang: str = "nb") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=BROWSER_LOCALE[lang])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if (person := employee(role)) is not None:
        client.force_login(person)
    return client


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "area"):
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def local_path(href: str, current: str) -> str | None:
    """The site-relative URL a link leads to, or None when it leaves the pages."""
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:
    if parts.netloc and parts.netloc not in ("testserver", "localhost"):
        return None
    path = parts.path or urlsplit(current).path
    if not path.startswith("/"):
        path = urlsplit(current).path.rsplit("/", 1)[0] + "/" + path
    if path.startswith((settings.STATIC_URL, "/i18n/", "/admin/jsi18n/")):
        return None
    if path.startswith("/admin/"):
        return path  # the admin's sorting and filter links show the same page
    return path + (f"?{parts.query}" if parts.query else "")


def pattern_name(url: str) -> str:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return "404"
    if name.endswith(("_history", "_delete")):
        return "admin:*" + name[name.rindex("_") :]  # the same page for every model: once
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return name + ("?" + "&".join(keys) if keys and not name.startswith("admin:") else "")


def discover(role: str, seeds: list[tuple[str, str, int]], *, limit: int = 400) -> RoleSite:
    """Every page the role reaches from `seeds` ((name, url, expected status)) by links,
    one per pattern name; the served bokmål HTML of each is kept for the Nu checker."""
    client = client_for(role)
    site = RoleSite(role, session_cookie=client.cookies.get(settings.SESSION_COOKIE_NAME))
    if site.session_cookie is not None:
        site.session_cookie = site.session_cookie.value
    queue: deque[tuple[str, str, int, str]] = deque(
        (name, url, status, "seed") for name, url, status in seeds
    )
    seen_names: set[str] = set()
    seen_urls: set[str] = set()
    while queue and len(site.pages) < limit:
        name, url, expected, origin = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        response = client.get(url)
        site.reached.add(pattern_name(url))
        if response.status_code in (301, 302, 303, 307, 308):
            target = local_path(response["Location"], url)
            if target and target not in seen_urls and pattern_name(target) not in seen_names:
                seen_names.add(pattern_name(target))
                queue.appendleft((pattern_name(target), target, 200, f"{origin} -> {url}"))
            continue
        if response.status_code != expected:
            site.broken_links.append(f"{url} answers {response.status_code} (from {origin})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        site.pages.append(Page(name, url, expected, html))
        for href in links_in(html):
            target = local_path(href, url)
            if target is None or target in seen_urls:
                continue
            target_name = pattern_name(target)
            if target_name in seen_names or target_name == "404":
                if target_name == "404":
                    site.broken_links.append(f"{target} is no page (linked from {url})")
                continue
            seen_names.add(target_name)
            queue.append((target_name, target, 200, url))
    return site


def known_reason(role: str, page: str, fault: str) -> str | None:
    """The KNOWN_UNTIL_MERGE reason for `fault` ("check: detail") on a role's page."""
    for (role_glob, page_glob, fault_glob), reason in KNOWN_UNTIL_MERGE.items():
        if (
            fnmatch.fnmatchcase(role, role_glob)
            and fnmatch.fnmatchcase(page, page_glob)
            and fnmatch.fnmatchcase(fault, fault_glob)
        ):
            return reason
    return None


# In the page before its own scripts: every Content-Security-Policy violation is kept.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
    + ` at ${e.sourceFile || ''}:${e.lineNumber}`);
});
"""

# Ids, references, width and language, read from the rendered page in one evaluation.
PAGE_FACTS = """
() => {
  const counts = new Map();
  for (const el of document.querySelectorAll('[id]')) {
    counts.set(el.id, (counts.get(el.id) || 0) + 1);
  }
  const describe = (el) => `<${el.tagName.toLowerCase()}`
    + (el.id ? ` id="${el.id}"` : '') + (el.name ? ` name="${el.name}"` : '') + '>';
  const dangling = [];
  const refs = ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-owns',
    'aria-activedescendant', 'aria-details', 'aria-errormessage', 'aria-flowto'];
  for (const attr of refs) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) dangling.push(`${attr}="${id}" on ${describe(el)}`);
      }
    }
  }
  const labelable = ['BUTTON', 'INPUT', 'METER', 'OUTPUT', 'PROGRESS', 'SELECT', 'TEXTAREA'];
  for (const el of document.querySelectorAll('label[for]')) {
    const target = document.getElementById(el.htmlFor);
    if (!target) dangling.push(`for="${el.htmlFor}" on ${describe(el)}`);
    else if (!labelable.includes(target.tagName)) {
      dangling.push(`for="${el.htmlFor}" on ${describe(el)} names a ${target.tagName}`);
    }
  }
  for (const el of document.querySelectorAll('[list]')) {
    if (!document.getElementById(el.getAttribute('list'))) {
      dangling.push(`list="${el.getAttribute('list')}" on ${describe(el)}`);
    }
  }
  return {
    duplicates: [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n}x)`),
    dangling,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    lang: document.documentElement.lang,
    csp: window.__cspViolations || [],
  };
}
"""

AXE_RUN = (
    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
    + json.dumps(AXE_TAGS)
    + "}, resultTypes: ['violations']})).violations"
)


def problems_on(page, target: Page, *, lang: str, width: int) -> list[tuple[str, str]]:
    """Open `target` in the browser page and return (check, detail) for each fault found."""
    page.js_errors.clear()
    page.console_csp.clear()
    response = page.goto(target.url)
    page.wait_for_load_state("load")
    problems: list[tuple[str, str]] = []
    if response is None or response.status != target.status:
        problems.append(("status", f"{response and response.status} != {target.status}"))
    facts = page.evaluate(PAGE_FACTS)
    if facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(
            (f"overflow@{width}", f"{facts['scrollWidth']} px wide in {facts['innerWidth']} px")
        )
    problems += [("duplicate-id", detail) for detail in facts["duplicates"]]
    problems += [("aria-ref", detail) for detail in facts["dangling"]]
    problems += [("csp", detail) for detail in facts["csp"] or page.console_csp]
    problems += [("js-error", detail) for detail in page.js_errors]
    if facts["lang"].split("-")[0] != lang:
        problems.append(("lang", f'<html lang="{facts["lang"]}"> for {lang}'))
    for violation in page.evaluate(AXE_RUN):
        nodes = "; ".join(
            " ".join(node["target"]) if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        problems.append((f"axe:{violation['id']}", f"{violation['impact']}: {nodes}"))
    return problems


def run_vnu(files: list[Path]) -> list[dict]:
    """The Nu HTML Checker over `files` in one Java run: its error messages (JSON)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
