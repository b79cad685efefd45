"""Every form and query parameter of every page, driven with hostile and broken input: the
public bad-input corpora (../shared/data/bad-input), overlong values, NUL bytes, extreme dates
and numbers. No answer may be a server error (issue 13).

The pages are not listed by hand: the test signs in as an employee and as an admin (who sees
every moderation form), opens every page of the URL configuration for a small forum built
through the services, reads the forms each page really serves, and sends each field every bad
value in turn, the other fields keeping what the page filled in.
"""

import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP
from forum import services as forum_services
from forum.models import Thread, Topic
from moderation import services as moderation_services
from moderation.models import BackOffice, Escalation
from tests.conftest import PASSWORD, bad_input_lines

EXTREMES = [
    "",
    " ",
    "\x00",
    "før\x00etter",
    "x" * 100_000,
    "9999-12-31",
    "0001-01-01",
    "31.12.9999",
    "2026-02-30",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "%00",
    "../../../../etc/passwd",
    "' OR 1=1 --",
    '"; DROP TABLE forum_post; --',
    "ÆØÅ æøå «sitat» – tankestrek",
    "\u202eRTL override",
    "🤦🏼‍♂️ 👩‍👩‍👧",
    '-sykmelding OR ELLER "" "',
    "a" * 300 + " " + "b" * 300,
]
PAGE_NUMBERS = ["-1", "0", "last", "2147483648", "99999999999999999999999999", "1e309", "\x00"]
# Fields a person types into; the others (choices, dates, hidden keys) get EXTREMES only.
TEXT_INPUTS = {"text", "search", "email", "textarea", "password", "url"}
# What a person would type where the page left a text field empty, so that each bad value
# is sent in a form that is otherwise valid and reaches the service.
BASELINE = "Sykepenger og arbeidsavklaringspenger"
# The corpora, some lines at a time: every line is sent, in a bounded number of requests.
CHUNK = 150


def bad_values() -> list[str]:
    lines = bad_input_lines("blns.txt") + bad_input_lines("markdown-xss-payloads.txt")
    chunks = ["\n".join(lines[i : i + CHUNK]) for i in range(0, len(lines), CHUNK)]
    return EXTREMES + chunks


class Forms(HTMLParser):
    """The forms of a page: action, method, and each named field with its served value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self.forms.append({**form, "fields": {}, "names": [], "text": set()})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                form["names"].append(name)
                form["fields"].setdefault(name, "")
                return
            form["fields"][name] = a.get("value", "")
            form["names"].append(name)
            if kind in TEXT_INPUTS:
                form["text"].add(name)
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""
            form["names"].append(name)
            form["text"].add(name)
        elif tag == "select":
            self._select = name
            form["fields"].setdefault(name, None)
            form["names"].append(name)
        elif (
            tag == "option"
            and self._select
            and (form["fields"].get(self._select) is None or "selected" in a)
        ):
            form["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def served_forms(html: str, page_url: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = urlsplit(form["action"] or page_url).path
        form["fields"] = {
            name: (BASELINE if name in form["text"] and not value else value or "")
            for name, value in form["fields"].items()
        }
    return parser.forms


@pytest.fixture
def forum(db, county, settings):
    """A published topic with staff, a question with replies, a report, a consultation, a
    clarified answer and an escalation: every page of the product has something to show."""
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    settings.FORUM_THREADS_PER_DAY = 100_000
    unit = Unit.objects.create(
        number="4602", name="NAV Fana", kind=Unit.Kind.LOCAL_OFFICE, county=county
    )
    department = Unit.objects.create(
        number="0131", name="Fagavdeling ytelse", kind=Unit.Kind.DIRECTORATE_DEPARTMENT
    )

    def person(local: str, **fields) -> Employee:
        return Employee.objects.create_user(
            email=f"{local}@erfaringsforum.example", password=PASSWORD, name=local.title(),
            unit=fields.pop("unit", unit), **fields,
        )  # fmt: skip

    admin = person("admin", is_staff=True, is_superuser=True)
    moderator, expert, employee, author = (
        person(n) for n in ("moderator", "ekspert", "ansatt", "forfatter")
    )
    contact = person("kontakt", unit=department)
    contact.groups.add(Group.objects.get_or_create(name=DEPARTMENT_CONTACTS_GROUP)[0])
    back_office = BackOffice.objects.create(name="Baksystem fuzz")
    moderation_services.set_back_office_members(back_office, members=[expert], by=admin)
    topic = Topic.objects.create(name="Sykepenger", slug="sykepenger")
    moderation_services.staff_topic(topic, by=admin, moderator=moderator, back_office=back_office)
    moderation_services.publish_topic(topic, by=admin)
    thread = forum_services.start_thread(
        topic, author=author, title="Hvordan beregnes sykepenger?", body="Spørsmål.",
        kind=Thread.Kind.QUESTION,
    )  # fmt: skip
    reply = forum_services.post_reply(thread, author=employee, body="Slik gjør vi det.")
    own = forum_services.post_reply(thread, author=author, body="Takk!")
    moderation_services.report_post(reply, reporter=author, reason="Feil")
    moderation_services.open_consultation(thread, by=moderator)
    moderation_services.clarify_post(
        reply, by=expert, review_by=datetime.date.today() + datetime.timedelta(days=30)
    )
    moderation_services.escalate_thread(
        thread, by=moderator, department=department,
        category=Escalation.Category.choices[0][0], summary="Prinsipielt spørsmål.",
    )  # fmt: skip
    return {
        "roles": {"ansatt": employee, "forfatter": author, "admin": admin, "kontakt": contact},
        "topic": topic, "thread": thread, "post": reply, "own": own,
    }  # fmt: skip


def page_urls(forum: dict) -> list[str]:
    thread, post, topic = forum["thread"], forum["post"], forum["topic"]
    escalation = Escalation.objects.get(thread=thread)
    report = post.reports.first()
    urls = ["/", reverse("forum:search"), reverse("forum:similar-threads")]
    urls += [reverse(n, kwargs={"slug": topic.slug}) for n in ("forum:topic-detail",
             "forum:thread-create")]  # fmt: skip
    urls += [reverse(n, args=[thread.pk]) for n in (
        "forum:thread-detail", "moderation:thread-tools", "moderation:consultation",
        "moderation:move-thread", "moderation:escalate-thread",
    )]  # fmt: skip
    for target in (post, forum["own"]):
        urls += [reverse(n, args=[target.pk]) for n in (
            "forum:post-edit", "forum:post-history", "forum:post-delete",
            "moderation:report-post", "moderation:hide-post", "moderation:edit-post",
            "moderation:clarify-post",
        )]  # fmt: skip
    urls += [reverse("moderation:escalation-detail", args=[escalation.pk])]
    urls += [reverse("moderation:dismiss-report", args=[report.pk])]
    urls += [reverse(n) for n in (
        "moderation:queue", "moderation:audit-log", "notifications:list",
        "moderation:escalation-register", "moderation:escalation-inbox",
    )]  # fmt: skip
    return urls


def _send(client: Client, method: str, url: str, data: dict):
    if method == "post":
        return client.post(url, data)
    return client.get(url + "?" + urlencode(data, doseq=True))


@pytest.mark.parametrize("role", ["ansatt", "forfatter", "admin", "kontakt"])
def test_no_form_or_query_parameter_of_any_page_gives_a_server_error(forum, role):
    client = Client(raise_request_exception=False)
    client.force_login(forum["roles"][role])
    values = bad_values()
    failures: list[str] = []
    seen: set[tuple] = set()
    for url in page_urls(forum):
        page = client.get(url)
        if page.status_code >= 500:
            failures.append(f"GET {url}: {page.status_code}")
        for value in PAGE_NUMBERS:
            response = client.get(url + "?" + urlencode({"page": value}))
            if response.status_code >= 500:
                failures.append(f"GET {url}?page={value[:40]!r}: {response.status_code}")
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for form in served_forms(page.content.decode(), url):
            if form["action"].startswith(("/i18n/", "/konto/logg-ut/")):
                continue
            # The same form on several pages, or once per post, is driven once.
            shape = (form["method"], form["action"], tuple(sorted(form["fields"])))
            if shape in seen:
                continue
            seen.add(shape)
            for name in dict.fromkeys(form["names"]):
                if name == "csrfmiddlewaretoken":
                    continue
                for value in values if name in form["text"] else EXTREMES:
                    data = {**form["fields"], name: value}
                    response = _send(client, form["method"], form["action"], data)
                    if response.status_code >= 500:
                        failures.append(
                            f"{form['method'].upper()} {form['action']} {name}={value[:60]!r}: "
                            f"{response.status_code}"
                        )
    assert len(seen) >= 3, "the pages served fewer forms than expected"
    assert failures == []


def test_the_login_form_takes_every_bad_value_without_a_server_error(db):
    client = Client(raise_request_exception=False)
    failures = []
    for value in bad_values():
        for field in ("username", "password"):
            data = {"username": "a@b.no", "password": "x", field: value}
            response = client.post(reverse("accounts:login"), data)
            if response.status_code >= 500:
                failures.append(f"{field}={value[:60]!r}: {response.status_code}")
    assert failures == []
