"""The two reads every request makes, the session and the signed-in employee, are plain SQL
(erfaringsforum.sessions, accounts.querysets.employee_for_request): they must behave as
Django's own."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.models import Employee
from accounts.querysets import employee_for_request
from erfaringsforum.sessions import SessionStore


def test_the_session_store_reads_live_sessions_only(db):
    store = SessionStore()
    store["colour"] = "blå"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "blå"}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # as Django's store: a new session, not the old key
    assert SessionStore("not-a-session-key-at-all").load() == {}


def test_a_live_session_is_read_with_one_query(db, django_assert_num_queries):
    store = SessionStore()
    store["colour"] = "grønn"
    store.create()
    with django_assert_num_queries(1):
        assert SessionStore(store.session_key).load() == {"colour": "grønn"}


def test_a_stale_session_cookie_is_not_adopted(db):
    stale = SessionStore("stale-session-key-from-a-browser")
    stale["colour"] = "rød"
    stale.save()
    assert stale.session_key != "stale-session-key-from-a-browser"
    assert not Session.objects.filter(pk="stale-session-key-from-a-browser").exists()
    assert SessionStore(stale.session_key).load() == {"colour": "rød"}


def test_the_employee_is_read_with_every_column_and_their_unit_and_county(
    employee, django_assert_num_queries
):
    with django_assert_num_queries(1):
        loaded = employee_for_request(employee.pk)
        assert (loaded.unit.name, loaded.unit.county.name) == (
            employee.unit.name, employee.unit.county.name,
        )  # fmt: skip
    for field in type(employee)._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(employee, field.attname), field.name
    employee.unit = None
    employee.save()
    assert employee_for_request(employee.pk).unit is None
    assert employee_for_request(employee.pk + 100_000) is None


def test_a_deactivated_or_deleted_employee_is_signed_out(employee):
    client = Client()
    client.force_login(employee)
    assert client.get("/").status_code == 200
    type(employee).objects.filter(pk=employee.pk).update(is_active=False)
    assert client.get("/").status_code == 302  # to the login page
    client.force_login(type(employee).objects.create_user(email="ny@nav.no", name="Ny"))
    assert client.get("/").status_code == 200


def test_a_password_change_elsewhere_signs_the_session_out(employee):
    client = Client()
    client.force_login(employee)
    assert client.get("/").status_code == 200
    employee.set_password("et-helt-annet-passord-2026")
    employee.save()
    assert client.get("/").status_code == 302


def test_views_get_the_employee_itself_not_a_lazy_wrapper(employee):
    client = Client()
    client.force_login(employee)
    request = client.get("/healthz").wsgi_request
    assert type(request.user) is Employee and request.user.pk == employee.pk
    anonymous = Client().get("/healthz").wsgi_request
    assert type(anonymous.user) is AnonymousUser
