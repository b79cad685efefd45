"""Methods no page implements, and signed-in pages kept out of shared caches (issue 13)."""

import pytest


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
