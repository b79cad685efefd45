"""The forum's writing pages: reply, new thread, edit, delete, restore, mark the answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from forum import extensions, permissions, querysets, services
from forum.forms import EditPostForm, ReplyForm, ThreadForm
from forum.models import Post, Thread
from forum.querysets import topic_ancestors
from forum.views.helpers import (
    crumbs_for,
    or_404,
    post_form_page,
    post_page_context,
    post_url,
    thread_crumbs,
    write_view,
)
from forum.views.reading import post_or_404

# Writing --------------------------------------------------------------------------------


def _quote(request: HttpRequest, thread: Thread) -> str:
    """The Markdown quote of ?quote=<post id> (a visible post of this thread), or ''."""
    raw = request.GET.get("quote", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return ""
    post = (
        Post.objects.filter(pk=int(raw), thread=thread, hidden_at=None, deleted_at=None)
        .select_related("author")
        .first()
    )
    if post is None:
        return ""
    lines = [_("%(name)s wrote:") % {"name": post.author.name}, ""]
    lines += post.body_md.splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


@write_view("GET", "POST")
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = or_404(querysets.thread_for_writing(pk), _("There is no such thread."))
    permissions.check_post_reply(request.user, thread)

    def reply(data: dict) -> HttpResponse:
        post = services.post_reply(
            thread, author=request.user, body=data["body"], submission_key=data["submission_key"]
        )
        # Read out on the thread page, where focus lands on the new post (static/js/app.js).
        messages.success(request, _("Your reply is published."))
        return HttpResponseRedirect(post_url(thread.pk, post.position))

    return post_form_page(
        request,
        ReplyForm,
        perform=reply,
        initial=lambda: {"body": _quote(request, thread)},
        template="forum/reply_form.html",
        context=lambda: {"thread": thread, "crumbs": thread_crumbs(thread)},
    )


@write_view("GET", "POST")
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    topic = or_404(querysets.topic_for_form(slug), _("There is no such topic."))
    permissions.check_start_thread(request.user, topic)

    def start(data: dict) -> HttpResponse:
        thread = services.start_thread(topic, author=request.user, **data)
        messages.success(request, _("Your thread is published."))
        return redirect(thread)

    return post_form_page(
        request,
        ThreadForm,
        perform=start,
        initial=dict,
        template="forum/thread_form.html",
        context=lambda: {"topic": topic, "crumbs": crumbs_for(topic, list(topic_ancestors(topic)))},
    )


@write_view("GET", "POST")
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(pk)
    permissions.check_edit_post(request.user, post)

    def edit(data: dict) -> HttpResponse:
        # A moderator editing someone else's post goes through the registered handler
        # (moderation audits the edit and tells the author); authors edit here.
        changes = {"body": data["body"], "title": data.get("title"), "reason": data["reason"]}
        if post.author_id == request.user.pk or (
            extensions.moderator_edit(post, by=request.user, **changes) is None
        ):
            services.edit_post(post, editor=request.user, **changes)
        return HttpResponseRedirect(post_url(post.thread_id, post.position))

    return post_form_page(
        request,
        EditPostForm,
        perform=edit,
        initial=lambda: {"body": post.body_md, "title": post.thread.title},
        template="forum/post_edit.html",
        context=lambda: post_page_context(post),
        form_kwargs={"with_title": post.position == 1},
    )


@write_view("GET", "POST")
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(pk)
    permissions.check_delete_post(request.user, post)
    if request.method == "POST":
        services.delete_post(post, by=request.user)
        return HttpResponseRedirect(post_url(post.thread_id, post.position))
    return render(request, "forum/post_delete.html", post_page_context(post))


@write_view("POST")
def post_restore(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(pk)
    permissions.check_restore_post(request.user, post)
    services.restore_post(post, by=request.user)
    return HttpResponseRedirect(post_url(post.thread_id, post.position))


@write_view("POST")
def thread_solution(request: HttpRequest, pk: int) -> HttpResponse:
    thread = or_404(querysets.thread_for_page(pk), _("There is no such thread."))
    permissions.check_mark_solution(request.user, thread)
    raw = request.POST.get("post", "")
    post = None
    if raw:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            raise Http404(_("There is no such post."))
        post = get_object_or_404(Post, pk=int(raw), thread=thread)
    try:
        services.mark_solution(thread, post=post, by=request.user)
    except ValidationError as exc:
        return render(request, "403.html", {"reason": " ".join(exc.messages)}, status=400)
    if post is None:
        return redirect(thread)
    return HttpResponseRedirect(post_url(thread.pk, post.position))
