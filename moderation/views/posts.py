"""Actions on one post: report (any employee), dismiss a report, hide, restore, edit, clarify."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moderation import forms, permissions, services
from moderation import querysets as q
from moderation.models import Report
from moderation.views.base import GET_POST, action_form_page, form_action, post_url, visible_post


@GET_POST
def report_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    permissions.check_can_report(request.user, post)
    return form_action(
        request,
        forms.ReportForm(request.POST or None),
        perform=lambda data: services.report_post(
            post, reporter=request.user, reason=data["reason"]
        ),
        success=_("Thank you. The moderator will look at the post."),
        redirect_to=post_url(post),
        page=action_form_page(
            request, heading=_("Report a post"), submit=_("Send report"), post=post
        ),
    )


@require_POST
def dismiss_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = q.report_for_action(pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    permissions.check_can_dismiss_report(request.user, report)
    return form_action(
        request,
        forms.ReasonForm(request.POST),
        perform=lambda data: services.dismiss_report(
            report, by=request.user, reason=data["reason"]
        ),
        success=_("The report was dismissed."),
        redirect_to=reverse("moderation:queue"),
    )


# ---------------------------------------------------------------------------------------------
# actions on posts


@GET_POST
def hide_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    permissions.check_can_moderate(request.user, post.thread.topic)
    return form_action(
        request,
        forms.RequiredReasonForm(request.POST or None),
        perform=lambda data: services.hide_post(post, by=request.user, reason=data["reason"]),
        success=_("The post is hidden. The author has been told."),
        redirect_to=post_url(post),
        page=action_form_page(
            request,
            heading=_("Hide post"),
            submit=_("Hide post"),
            intro=_("The post is kept and can be restored."),
            post=post,
        ),
    )


@GET_POST
def unhide_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    permissions.check_can_moderate(request.user, post.thread.topic)
    return form_action(
        request,
        forms.ReasonForm(request.POST or None),
        perform=lambda data: services.unhide_post(post, by=request.user, reason=data["reason"]),
        success=_("The post is shown again."),
        redirect_to=post_url(post),
        page=action_form_page(
            request, heading=_("Restore hidden post"), submit=_("Restore post"), post=post
        ),
    )


@GET_POST
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    permissions.check_can_moderate(request.user, post.thread.topic)
    return form_action(
        request,
        forms.EditPostForm(request.POST or None, post=post),
        perform=lambda data: services.edit_post_as_moderator(
            post,
            by=request.user,
            body=data["body"],
            title=data.get("title") or None,
            reason=data["reason"],
        ),
        success=_("The post is edited. The earlier version is kept and the author has been told."),
        redirect_to=post_url(post),
        page=action_form_page(
            request, heading=_("Edit post as moderator"), submit=_("Save"), post=post
        ),
    )


@GET_POST
def clarify_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    permissions.check_can_clarify(request.user, post.thread.topic)
    return form_action(
        request,
        forms.ClarifyForm(request.POST or None, clarified=q.clarified_answer_of(post)),
        perform=lambda data: services.clarify_post(
            post,
            by=request.user,
            legal_reference=data["legal_reference"],
            review_by=data["review_by"],
        ),
        success=_("The post is marked as a clarified answer."),
        redirect_to=post_url(post),
        page=action_form_page(
            request,
            heading=_("Mark as clarified answer"),
            submit=_("Mark as clarified"),
            intro=_("Readers see who clarified the answer and when."),
            post=post,
        ),
    )


@GET_POST
def unclarify_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    permissions.check_can_clarify(request.user, post.thread.topic)
    return form_action(
        request,
        forms.ReasonForm(request.POST or None),
        perform=lambda data: services.unclarify_post(post, by=request.user, reason=data["reason"]),
        success=_("The post is no longer marked as clarified."),
        redirect_to=post_url(post),
        page=action_form_page(
            request, heading=_("Remove clarified mark"), submit=_("Remove mark"), post=post
        ),
    )
