"""Methods no page implements, and signed-in pages kept out of shared caches (issue 13)."""

import re
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/", "/moderering/", "/sok/", "/konto/logg-inn/"])
def test_options_and_trace_get_405_and_never_a_page(employee_client, method, path):
    response = employee_client.generic(method, path)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert b"<html" not in response.content


def test_signed_in_pages_are_not_stored_by_caches(employee_client):
    response = employee_client.get("/")
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_the_csp_allows_no_data_images_and_the_linked_styles_need_none(employee_client):
    """img-src allowed data: for the design system's inline icons (issue 13, finding 13):
    the icons are files now, and the stylesheet the pages link holds no data: URL."""
    response = employee_client.get("/")
    csp = response["Content-Security-Policy"]
    img_src = next(part for part in csp.split(";") if part.strip().startswith("img-src"))
    assert "data:" not in img_src
    folder = Path(settings.BASE_DIR) / "static"
    links = re.findall(r'href="/static/([^"]+\.css)"', response.content.decode())
    assert links
    for link in links:
        css_file = folder / link
        css = css_file.read_text(encoding="utf-8")
        assert "data:" not in css, link
        for icon in re.findall(r'url\("(icons/[^"]+)"\)', css):
            assert (css_file.parent / icon).is_file(), icon
