"""The look at every width (issue 14): at 375 px no changed page is wider than the screen
(wide tables scroll in their own region, a topic's threads stack, tags wrap); the header
folds behind a Menu button that works with the keyboard, with and without JavaScript; from
1,024 px the header is one row for every role."""

import datetime

import pytest
from django.utils import timezone

from forum import services as forum_services
from moderation import services
from tests.browser.conftest import assert_accessible, login
from tests.moderation.conftest import *  # noqa: F403  (the moderation fixtures)

PHONE = {"width": 375, "height": 740}

FITS = """() => ({doc: document.documentElement.scrollWidth, view: window.innerWidth,
  wider: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                 && e.checkVisibility() && !e.closest('.table-scroll, .ds-sr-only, thead'))
    .slice(0, 3).map(e => e.outerHTML.slice(0, 120))})"""


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(viewport: dict, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport=viewport,
            java_script_enabled=javascript,
        )  # fmt: skip
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def long_named_expert(make_employee, topic_a, back_office_a, expert, admin_user):
    """A back-office member with a long name: the clarified tag names them."""
    long_named = make_employee("Kari-Anne Østby-Kristiansen Haugland")
    services.set_back_office_members(back_office_a, members=[expert, long_named], by=admin_user)
    return long_named


@pytest.fixture
def busy(settings, make_topic, topic_a, author, employee, moderator_a, department,
         department_contact, long_named_expert):  # fmt: skip
    """Something on every page the issue measured: reports, escalations with long titles,
    audit entries, a parent topic with threads in its subtopic, a clarified answer."""
    settings.FORUM_POST_INTERVAL_SECONDS = 0
    settings.FORUM_THREADS_PER_DAY = 1000
    parent = make_topic("Arbeid og oppfølging med et langt navn")
    child = make_topic("Sykefraværsoppfølging", parent=parent)
    for n in range(3):
        thread = forum_services.start_thread(
            topic_a, author=author, kind="question",
            title=f"Aktivitetsplikten ved 8 uker – hvordan vurderer dere unntak nummer {n}?",
            body="Hva gjør dere når arbeidsgiver ikke stiller til dialogmøtet?",
        )  # fmt: skip
        post = forum_services.post_reply(thread, author=employee, body="Vi ringer først.")
        services.report_post(post, reporter=author, reason="Svaret mangler en henvisning.")
        services.escalate_thread(
            thread, by=moderator_a, department=department, category="regulation_effect",
            summary="Regelverket gir en utilsiktet virkning for mange brukere.",
        )  # fmt: skip
        services.lock_thread(thread, by=moderator_a, reason="Avklart av fagavdelingen i dag.")
        forum_services.start_thread(
            child, author=author, kind="question", title=f"Dialogmøte 2 uten arbeidsgiver {n}",
            body="Hvordan gjør dere det?",
        )  # fmt: skip
    services.clarify_post(
        post, by=long_named_expert, legal_reference="folketrygdloven § 8-7",
        review_by=timezone.localdate() + datetime.timedelta(days=90),
    )  # fmt: skip
    return {"parent": parent, "child": child, "clarified": post}


def test_no_changed_page_is_wider_than_a_phone(new_page, busy, topic_a, moderator_a,
                                               department_contact, employee):  # fmt: skip
    moderator = new_page(PHONE)
    login(moderator, moderator_a)
    contact = new_page(PHONE)
    login(contact, department_contact)
    reader = new_page(PHONE)
    login(reader, employee)
    clarified = busy["clarified"]
    for page, url in (
        (moderator, "/moderering/"),
        (moderator, "/moderering/eskaleringer/"),
        (moderator, "/moderering/logg/"),
        (contact, "/moderering/eskaleringer/innboks/"),
        (reader, busy["parent"].get_absolute_url()),
        (reader, busy["child"].get_absolute_url()),
        (reader, topic_a.get_absolute_url()),
        (reader, clarified.thread.get_absolute_url() + "?page=1"),
    ):
        page.goto(url)
        page.wait_for_load_state()
        size = page.evaluate(FITS)
        assert size["doc"] <= size["view"], (url, size)
        assert_accessible(page)
    # The clarified tag wraps inside its post.
    tag = reader.locator(f"#p{clarified.position} .post__clarified")
    post = reader.locator(f"#p{clarified.position}")
    assert tag.bounding_box()["x"] + tag.bounding_box()["width"] <= (
        post.bounding_box()["x"] + post.bounding_box()["width"]
    )
    # A wide table scrolls in its own region, with the cue above it.
    moderator.goto("/moderering/eskaleringer/")
    region = moderator.locator(".table-scroll")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    assert moderator.locator(".table-scroll__cue").is_visible()
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"


def _expanded(page, selector: str) -> bool:
    """The expanded state Chromium gives assistive technology for the element."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    props = {p["name"]: p["value"].get("value") for p in ax["nodes"][0].get("properties", [])}
    cdp.detach()
    return props.get("expanded")


def test_the_phone_header_is_a_menu_button_for_the_keyboard(new_page, employee):
    page = new_page(PHONE)
    login(page, employee)
    header = page.locator("header").bounding_box()
    assert header["height"] < 80  # was 40 % of the first screen
    toggle = ".site-menu > summary"
    assert not page.locator("#site-search").is_visible()
    assert _expanded(page, toggle) is False
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.site-menu > summary')")
    page.keyboard.press("Enter")
    assert _expanded(page, toggle) is True
    assert page.locator("#site-search").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.press("Escape")  # closes the menu, focus back on its button
    assert _expanded(page, toggle) is False
    assert page.evaluate("document.activeElement.matches('.site-menu > summary')")
    assert page.evaluate(FITS)["doc"] <= PHONE["width"]
    assert_accessible(page)


def test_the_menus_work_without_javascript(new_page, employee):
    page = new_page(PHONE, javascript=False)
    login(page, employee)
    page.locator(".site-menu > summary").click()
    page.locator(".user-menu > summary").click()
    page.get_by_role("link", name="My profile").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == employee.name


@pytest.fixture
def roles(employee, moderator_a, department_contact, admin_user, make_topic, back_office_b):
    """One of each: employee, moderator, department contact who also moderates (the most
    links), admin."""
    make_topic("Kontaktsenteret", moderator=department_contact, back_office=back_office_b)
    return [employee, moderator_a, department_contact, admin_user]


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_header_is_one_row_for_every_role(new_page, roles, width):
    for person in roles:
        page = new_page({"width": width, "height": 800})
        login(page, person)
        assert not page.locator(".site-menu > summary").is_visible()
        header = page.locator("header").bounding_box()
        assert header["height"] <= 72, (person.name, header)
        parts = [".site-header__brand", "#site-search", ".site-header__search-button",
                 ".site-header__nav", ".user-menu > summary"]  # fmt: skip
        boxes = [page.locator(part).bounding_box() for part in parts]
        for part, box in zip(parts, boxes, strict=True):
            assert box is not None and box["height"] > 0, (person.name, part)
            # inside the header's one row
            assert header["y"] <= box["y"] and box["y"] + box["height"] <= header["height"], part
        lefts = [box["x"] for box in boxes]
        assert lefts == sorted(lefts), (person.name, lefts)  # side by side, in order
        assert page.evaluate(FITS)["doc"] <= width
        # The search button is a button that reads as one: a light face on the blue header.
        colour = page.locator(".site-header__search-button").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert colour == "rgb(255, 255, 255)", colour
        page.locator(".user-menu > summary").click()
        for name in ("My profile", "Notifications", "Log out"):
            assert page.locator("header").get_by_text(name).first.is_visible(), name
        assert page.locator("#language-select").is_visible()
        page.context.close()
