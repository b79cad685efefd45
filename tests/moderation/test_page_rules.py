"""The rules the moderation pages used to compute themselves, now in moderation.permissions,
and the one form-action helper every action view goes through (moderation.views.base)."""

import inspect

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from moderation import forms, permissions, services, urls
from moderation.models import Escalation, Report
from moderation.views.base import form_action

S = Escalation.Status


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("status", "change", "answer"),
    [
        (S.RECEIVED, True, True),
        (S.IN_PROGRESS, True, True),
        (S.ANSWERED, True, False),
        (S.CLOSED, False, False),
    ],
)
def test_the_escalation_page_offers_its_forms_by_status_to_those_who_handle_it(
    status,
    change,
    answer,
    department,
    other_department,
    department_contact,
    make_employee,
    admin_user,
    moderator_a,
):
    escalation = Escalation(department=department, status=status)
    assert permissions.can_change_escalation_status(department_contact, escalation) is change
    assert permissions.can_answer_escalation(department_contact, escalation) is answer
    assert permissions.can_change_escalation_status(admin_user, escalation) is change
    assert permissions.can_answer_escalation(admin_user, escalation) is answer
    elsewhere = make_employee("Kontakt annensteds", unit_obj=other_department)
    elsewhere.groups.set(department_contact.groups.all())
    for user in (elsewhere, moderator_a):
        assert not permissions.can_change_escalation_status(user, escalation)
        assert not permissions.can_answer_escalation(user, escalation)


def test_opening_a_consultation_is_404_outside_the_staff_and_403_for_the_back_office(
    topic_a, employee, moderator_b, expert, moderator_a, admin_user
):
    for outsider in (employee, moderator_b):
        with pytest.raises(Http404):
            permissions.check_can_open_consultation(outsider, topic_a)
    with pytest.raises(PermissionDenied):
        permissions.check_can_open_consultation(expert, topic_a)
    permissions.check_can_open_consultation(moderator_a, topic_a)
    permissions.check_can_open_consultation(admin_user, topic_a)


def test_a_note_needs_an_open_consultation_and_the_topics_staff(
    thread_a, moderator_a, expert, moderator_b
):
    topic = thread_a.topic
    with pytest.raises(Http404):
        permissions.check_can_add_internal_note(expert, topic, None)
    consultation = services.open_consultation(thread_a, by=moderator_a)
    permissions.check_can_add_internal_note(expert, topic, consultation)
    with pytest.raises(Http404):
        permissions.check_can_add_internal_note(moderator_b, topic, consultation)


def test_dismissing_a_report_is_for_the_topics_moderators(
    post_a, author, moderator_a, moderator_b, admin_user
):
    report = services.report_post(post_a, reporter=author, reason="Feil")
    report = Report.objects.select_related("post__thread__topic").get(pk=report.pk)
    permissions.check_can_dismiss_report(moderator_a, report)
    permissions.check_can_dismiss_report(admin_user, report)
    for user in (moderator_b, author):
        with pytest.raises(PermissionDenied):
            permissions.check_can_dismiss_report(user, report)


# ---------------------------------------------------------------------------------------------
# the views' wiring of these rules


def test_a_note_posted_where_no_consultation_is_open_is_404(thread_a, expert):
    url = reverse("moderation:consultation", args=[thread_a.pk])
    assert client_for(expert).post(url, {"body": "Et notat"}).status_code == 404


def test_the_edit_form_offers_the_title_only_on_the_first_post(thread_a, post_a, moderator_a):
    client = client_for(moderator_a)
    first = thread_a.posts.get(position=1)
    form = client.get(reverse("moderation:edit-post", args=[first.pk])).context["form"]
    assert form.initial == {"body": first.body_md, "title": thread_a.title}
    form = client.get(reverse("moderation:edit-post", args=[post_a.pk])).context["form"]
    assert "title" not in form.fields and form.initial["body"] == post_a.body_md


def test_the_clarify_form_starts_from_the_answer_already_clarified(post_a, moderator_a):
    services.clarify_post(post_a, by=moderator_a, legal_reference="ftrl. § 8-4", review_by=None)
    url = reverse("moderation:clarify-post", args=[post_a.pk])
    form = client_for(moderator_a).get(url).context["form"]
    assert form.initial == {"legal_reference": "ftrl. § 8-4", "review_by": None}


def test_a_refused_dismissal_goes_back_to_the_queue_saying_why(post_a, author, moderator_a):
    report = services.report_post(post_a, reporter=author, reason="Feil")
    client = client_for(moderator_a)
    url = reverse("moderation:dismiss-report", args=[report.pk])
    response = client.post(url, {"reason": "x" * 2001})  # longer than the form allows
    assert response.status_code == 302 and response["Location"] == reverse("moderation:queue")
    assert [m.level for m in get_messages(response.wsgi_request)] == [constants.ERROR]
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert client.post(url, {"reason": ""}).status_code == 302
    response = client.post(url, {"reason": ""})  # already dismissed: the service refuses
    levels = [m.level for m in get_messages(response.wsgi_request)]  # none was shown yet
    assert levels == [constants.ERROR, constants.SUCCESS, constants.ERROR]


def test_a_refused_status_change_shows_the_escalation_page_with_400(
    thread_a, moderator_a, department, department_contact
):
    escalation = services.escalate_thread(
        thread_a, by=moderator_a, department=department, category="routine", summary="S"
    )
    url = reverse("moderation:escalation-status", args=[escalation.pk])
    response = client_for(department_contact).post(url, {"status": "closed"})
    assert response.status_code == 400  # closing needs an answer first
    assert response.context["status_form"].errors
    assert response.context["can_handle"] and response.context["can_answer"]


# ---------------------------------------------------------------------------------------------
# form_action itself


def _act(method: str, data=None, **options):
    """form_action on a ReasonForm for target "T" by user "U"; the request and response."""
    request = getattr(RequestFactory(), method)("/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = "U"
    form = forms.ReasonForm(request.POST if method == "post" else None)
    options.setdefault("redirect_to", "/x/")
    return request, form_action(request, form, target="T", **options)


def _refuse(target, *, by, reason):
    raise ValidationError({"reason": "Nei."})


def _page(form, status):
    return HttpResponse(",".join(sorted(form.errors)), status=status)


def test_form_action_calls_the_service_with_the_forms_fields_and_redirects():
    calls = []

    def service(target, *, by, reason):
        calls.append((target, by, reason))
        return "/y/"

    _, response = _act("get", service=service, page=_page)
    assert response.status_code == 200 and calls == []
    request, response = _act(
        "post", {"reason": "Fordi"}, service=service, redirect_to=str, success="Gjort.", page=_page
    )
    assert (response.status_code, response["Location"]) == (302, "/y/")
    assert calls == [("T", "U", "Fordi")]
    assert [m.message for m in get_messages(request)] == ["Gjort."]


def test_form_action_puts_the_services_refusal_on_the_form_or_in_a_message():
    _, response = _act("post", {"reason": "Fordi"}, service=_refuse, page=_page)
    assert (response.status_code, response.content) == (400, b"reason")
    request, response = _act("post", {"reason": "Fordi"}, service=_refuse)
    assert (response.status_code, response["Location"]) == (302, "/x/")
    assert [(m.level, m.message) for m in get_messages(request)] == [(constants.ERROR, "Nei.")]


def test_every_action_forms_fields_are_its_services_keyword_arguments():
    """form_action passes the cleaned data as the service's keywords: a renamed field or
    argument must fail here, not on a moderator's click. Every routed action built by
    page_action or posted_action, and the two views that call form_action themselves."""
    wired = [p.callback.wiring for p in urls.urlpatterns if hasattr(p.callback, "wiring")]
    assert len(wired) == 14
    wired += [
        (services.add_internal_note, forms.NoteForm, "author"),
        (services.escalate_thread, forms.EscalationForm, "by"),
    ]
    for service, form_class, actor in wired:
        parameters = inspect.signature(service).parameters
        keywords = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
        fields = set(form_class.base_fields)
        assert fields | {actor} <= keywords, (service.__name__, fields - keywords)
        required = {n for n in keywords if parameters[n].default is inspect.Parameter.empty}
        assert required <= fields | {actor}, (service.__name__, required - fields)
