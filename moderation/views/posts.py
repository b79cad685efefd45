"""Actions on one post: report (any employee), dismiss a report, hide, restore, edit, clarify.

Each is a row: the service it runs, the form whose fields are that service's keyword
arguments, the rule it checks, and what its page says (moderation/views/base.py).
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.models import Post
from moderation import forms, permissions, services
from moderation import querysets as q
from moderation.models import Report
from moderation.views.base import Texts, found, page_action, posted_action, visible_post


def _check_moderate(user, post: Post) -> None:
    permissions.check_can_moderate(user, post.thread.topic)


def _check_clarify(user, post: Post) -> None:
    permissions.check_can_clarify(user, post.thread.topic)


def _report(request: HttpRequest, pk: int) -> Report:
    return found(q.report_for_action, pk)


report_post = page_action(
    services.report_post,
    forms.ReportForm,
    lookup=visible_post,
    check=permissions.check_can_report,
    actor="reporter",
    texts=Texts(
        heading=_("Report a post"),
        submit=_("Send report"),
        success=_("Thank you. The moderator will look at the post."),
    ),
)
dismiss_report = posted_action(
    services.dismiss_report,
    forms.ReasonForm,
    lookup=_report,
    check=permissions.check_can_dismiss_report,
    success=_("The report was dismissed."),
    redirect_to=lambda report: reverse("moderation:queue"),
)
hide_post = page_action(
    services.hide_post,
    forms.RequiredReasonForm,
    lookup=visible_post,
    check=_check_moderate,
    texts=Texts(
        heading=_("Hide post"),
        submit=_("Hide post"),
        intro=_("The post is kept and can be restored."),
        success=_("The post is hidden. The author has been told."),
    ),
)
unhide_post = page_action(
    services.unhide_post,
    forms.ReasonForm,
    lookup=visible_post,
    check=_check_moderate,
    texts=Texts(
        heading=_("Restore hidden post"),
        submit=_("Restore post"),
        success=_("The post is shown again."),
    ),
)
edit_post = page_action(
    services.edit_post_as_moderator,
    forms.EditPostForm,
    lookup=visible_post,
    check=_check_moderate,
    form_kwargs=lambda post: {"post": post},
    texts=Texts(
        heading=_("Edit post as moderator"),
        submit=_("Save"),
        success=_("The post is edited. The earlier version is kept and the author has been told."),
    ),
)
clarify_post = page_action(
    services.clarify_post,
    forms.ClarifyForm,
    lookup=visible_post,
    check=_check_clarify,
    form_kwargs=lambda post: {"clarified": q.clarified_answer_of(post)},
    texts=Texts(
        heading=_("Mark as clarified answer"),
        submit=_("Mark as clarified"),
        intro=_("Readers see who clarified the answer and when."),
        success=_("The post is marked as a clarified answer."),
    ),
)
unclarify_post = page_action(
    services.unclarify_post,
    forms.ReasonForm,
    lookup=visible_post,
    check=_check_clarify,
    texts=Texts(
        heading=_("Remove clarified mark"),
        submit=_("Remove mark"),
        success=_("The post is no longer marked as clarified."),
    ),
)
