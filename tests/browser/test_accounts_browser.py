from tests.browser.conftest import assert_accessible, login


def test_log_in_see_home_and_profile(page, employee):
    page.goto("/")
    assert "/konto/logg-inn/" in page.url
    assert_accessible(page)
    login(page, employee)
    menu = page.locator("header .user-menu > summary")
    assert menu.inner_text() == "Kari Nordmann"
    assert_accessible(page)
    menu.click()  # the user menu: name, unit and county, the profile
    assert page.locator("header").get_by_text("NAV Bergen sør, Vestland").is_visible()
    assert_accessible(page)
    page.locator("header").get_by_role("link", name="My profile").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Kari Nordmann"
    assert page.get_by_text("Veileder").is_visible()
    assert_accessible(page)
    assert page.js_errors == []


def test_language_switch_to_english_and_back(page, employee):
    login(page, employee)
    page.locator("header .user-menu > summary").click()
    page.select_option("#language-select", "en")
    page.locator(".site-header__language button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("header .user-menu > summary").click()
    page.select_option("#language-select", "nb")
    page.locator(".site-header__language button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nb"
