def test_header_shows_the_users_name_unit_and_county(employee_client):
    html = employee_client.get("/").content.decode()
    assert "Kari Nordmann" in html
    assert "NAV Bergen sør, Vestland" in html


def test_the_page_is_norwegian_by_default_and_english_on_request(employee_client):
    html = employee_client.get("/").content.decode()
    assert '<html lang="nb"' in html
    employee_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = employee_client.get("/").content.decode()
    assert '<html lang="en"' in html


def test_the_base_page_has_a_skip_link_and_landmarks(employee_client):
    html = employee_client.get("/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<nav" in html
