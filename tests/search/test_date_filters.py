import pytest


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "31.12.9999"])
def test_an_extreme_date_filter_is_a_field_error_not_a_server_error(employee_client, value):
    """/sok/?date_to=9999-12-31 was a 500 (OverflowError) every time (issue 13, finding 6)."""
    response = employee_client.get("/sok/", {"q": "dagpenger", "date_to": value})
    assert response.status_code == 200
    assert "1900-01-01" in response.content.decode()
