"""What every moderation view shares: the scoped lookups and the one form-action shape.

A moderation view is thin: scoped lookup (`visible_post`, `visible_thread`: 404 where the
forum hides the thread) -> ``permissions.check_*`` -> form -> `form_action` (service ->
message -> redirect, or the page again with the refusal).
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from forum.models import Post, Thread
from forum.permissions import check_view_thread
from moderation import querysets as q

GET_POST = require_http_methods(["GET", "POST"])


def thread_url(thread: Thread) -> str:
    return reverse("forum:thread-detail", kwargs={"pk": thread.pk})


def post_url(post: Post) -> str:
    return reverse("forum:post-redirect", kwargs={"pk": post.pk})


def visible_post(request: HttpRequest, pk: int) -> Post:
    try:
        post = q.post_for_action(pk)
    except Post.DoesNotExist as exc:
        raise Http404 from exc
    check_view_thread(request.user, post.thread)
    return post


def visible_thread(request: HttpRequest, pk: int) -> Thread:
    try:
        thread = q.thread_for_action(pk)
    except Thread.DoesNotExist as exc:
        raise Http404 from exc
    check_view_thread(request.user, thread)
    return thread


def _apply_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_text(form: Form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


Page = Callable[[Form, int], HttpResponse]


def form_action(
    request: HttpRequest,
    form: Form,
    *,
    perform: Callable[[dict], object],
    redirect_to: str | Callable[[object], str],
    success: str = "",
    page: Page | None = None,
) -> HttpResponse:
    """The one shape of every moderation action behind a form, after the view's scoped
    lookup and ``check_*``: a valid POST runs the service (`perform` with the cleaned data),
    says `success` and redirects to `redirect_to` (or to what it makes of the service's
    result). A refusal, by the form or by the service's ValidationError, shows the
    action's page again with the text kept and status 400 (`page(form, status)`); an action
    without a page of its own (a button on another page, `redirect_to` a URL) redirects
    with the refusal as a message instead. A GET shows the page."""
    if request.method == "POST":
        if form.is_valid():
            try:
                result = perform(form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if success:
                    messages.success(request, success)
                return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
        if page is None:
            messages.error(request, _error_text(form))
            return redirect(redirect_to)
        return page(form, 400)
    return page(form, 200)


def action_form_page(
    request: HttpRequest,
    *,
    heading: str,
    submit: str,
    intro: str = "",
    post: Post | None = None,
    thread: Thread | None = None,
) -> Page:
    """The plain page of a post or thread action (moderation/action_form.html)."""
    back_url = post_url(post) if post is not None else thread_url(thread)

    def page(form: Form, status: int) -> HttpResponse:
        context = {
            "form": form,
            "heading": heading,
            "submit": submit,
            "intro": intro,
            "back_url": back_url,
            "post": post,
            "thread": thread,
        }
        return render(request, "moderation/action_form.html", context, status=status)

    return page
