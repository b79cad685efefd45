import pytest
from django.test import Client, override_settings

from accounts.models import Employee
from tests.conftest import PASSWORD


def test_every_page_but_healthz_and_login_requires_login(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get("/konto/logg-inn/").status_code == 200
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


def test_local_login_with_the_form(client, employee):
    response = client.post("/konto/logg-inn/", {"username": employee.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_local_login_with_a_wrong_password_keeps_the_email(client, employee):
    response = client.post("/konto/logg-inn/", {"username": employee.email, "password": "nope"})
    assert response.status_code == 200
    assert employee.email in response.content.decode()


def test_logout_needs_a_post(employee_client):
    assert employee_client.get("/konto/logg-ut/").status_code == 405
    assert employee_client.post("/konto/logg-ut/").status_code == 302
    assert employee_client.get("/").status_code == 302


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_header_login_from_a_trusted_proxy(employee):
    client = Client(REMOTE_ADDR="10.0.0.5")
    response = client.get("/", headers={"X-Remote-User": employee.email.upper()})
    assert response.status_code == 200
    assert response.wsgi_request.user == employee


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_header_from_an_untrusted_address_is_refused(employee):
    client = Client(REMOTE_ADDR="10.0.0.99")
    response = client.get("/", headers={"X-Remote-User": employee.email})
    assert response.status_code == 403
    assert not response.wsgi_request.user.is_authenticated


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_a_trusted_request_without_the_header_gets_a_clear_403(db):
    client = Client(REMOTE_ADDR="10.0.0.5")
    response = client.get("/")
    assert response.status_code == 403
    assert "<h1" in response.content.decode()


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_an_unknown_employee_is_created_from_the_headers(unit):
    client = Client(REMOTE_ADDR="10.0.0.5")
    response = client.get(
        "/",
        headers={
            "X-Remote-User": "ny.ansatt@erfaringsforum.example",
            "X-Remote-Name": "Ny Ansatt",
            "X-Remote-Unit": unit.number,
        },
    )
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert (user.name, user.unit, user.has_usable_password()) == ("Ny Ansatt", unit, False)


@override_settings(
    AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"], AUTH_HEADER_CREATE_USERS=False
)
def test_an_unknown_employee_is_refused_when_creation_is_off(db):
    client = Client(REMOTE_ADDR="10.0.0.5")
    response = client.get("/", headers={"X-Remote-User": "ukjent@erfaringsforum.example"})
    assert response.status_code == 403


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_healthz_needs_no_header(db):
    assert Client(REMOTE_ADDR="192.0.2.1").get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/?page=%00", "/%00/", "/?q=a%00b"])
def test_nul_bytes_in_the_address_are_a_400(employee_client, path):
    assert employee_client.get(path).status_code == 400


@pytest.mark.parametrize(
    "value", ["abcdefgh\x00ijkl", "a" * 5000, "ü" * 40, "' OR 1=1 --", "%00abcdefgh"]
)
def test_a_hostile_session_cookie_is_a_400_or_a_login_never_a_500(db, value):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = value
    response = client.get("/")
    expected = 400 if "\x00" in value else 302  # to the login page: no such session
    assert response.status_code == expected
    if expected == 400:
        assert "Content-Security-Policy" in response.headers


def _as_wsgi(text: str) -> str:
    """A header as a WSGI server hands it over: its UTF-8 bytes read as Latin-1."""
    return text.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(
    "sent",
    [
        _as_wsgi("Åse Ødegård"),
        "%C3%85se%20%C3%98deg%C3%A5rd",
        "=?utf-8?b?w4VzZSDDmGRlZ8OlcmQ=?=",
        "=?utf-8?q?=C3=85se_=C3=98deg=C3=A5rd?=",
    ],
    ids=["utf-8", "percent", "rfc2047-b", "rfc2047-q"],
)
@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_header_login_stores_a_norwegian_name_as_sent(unit, sent):
    client = Client(REMOTE_ADDR="10.0.0.5")
    response = client.get(
        "/", headers={"X-Remote-User": "ase@erfaringsforum.example", "X-Remote-Name": sent}
    )
    assert response.status_code == 200
    assert Employee.objects.get(email="ase@erfaringsforum.example").name == "Åse Ødegård"


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_header_login_refuses_an_unreadable_name_with_a_clear_page(unit):
    client = Client(REMOTE_ADDR="10.0.0.5")
    latin1_bytes = "Åse".encode("latin-1").decode("latin-1")  # not UTF-8
    response = client.get(
        "/", headers={"X-Remote-User": "ase@erfaringsforum.example", "X-Remote-Name": latin1_bytes}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "cannot read" in page or "ikke kan lese" in page
    assert not Employee.objects.filter(email="ase@erfaringsforum.example").exists()


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"])
def test_header_login_with_an_overlong_name_and_title_signs_in_every_time(unit):
    client = Client(REMOTE_ADDR="10.0.0.5")
    headers = {
        "X-Remote-User": "lang@erfaringsforum.example",
        "X-Remote-Name": "N" * 500,
        "X-Remote-Title": "T" * 500,
    }
    assert client.get("/", headers=headers).status_code == 200
    assert client.get("/", headers=headers).status_code == 200
    employee = Employee.objects.get(email="lang@erfaringsforum.example")
    assert (len(employee.name), len(employee.title)) == (200, 200)


def _wrong_password(client: Client, email: str):
    return client.post("/konto/logg-inn/", {"username": email, "password": "feil-passord"})


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_account_with_a_clear_page(employee):
    attacker = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(2):
        assert _wrong_password(attacker, employee.email).status_code == 200
    locked = _wrong_password(attacker, employee.email)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    # The right password from another address does not get in while the account is locked.
    other = Client(REMOTE_ADDR="10.2.2.2")
    response = other.post("/konto/logg-inn/", {"username": employee.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in other.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_from_one_address_lock_that_address_for_every_account(
    employee, make_employee
):
    colleague = make_employee("Ola Nordmann")
    attacker = Client(REMOTE_ADDR="10.3.3.3")
    for n in range(3):
        _wrong_password(attacker, f"ukjent{n}@erfaringsforum.example")
    response = attacker.post(
        "/konto/logg-inn/", {"username": colleague.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    # The same account from another address still signs in.
    elsewhere = Client(REMOTE_ADDR="10.4.4.4")
    response = elsewhere.post(
        "/konto/logg-inn/", {"username": colleague.email, "password": PASSWORD}
    )
    assert response.status_code == 302


@override_settings(AUTH_MODE="header", AUTH_TRUSTED_PROXIES=["10.0.0.5"], AXES_ENABLED=False)
def test_header_mode_is_not_throttled_by_unknown_employees(employee):
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    with override_settings(AUTH_HEADER_CREATE_USERS=False):
        for n in range(15):
            proxy.get("/", headers={"X-Remote-User": f"ukjent{n}@erfaringsforum.example"})
    assert proxy.get("/", headers={"X-Remote-User": employee.email}).status_code == 200
