"""The forum's reading pages: home, topic, thread, post link, post history."""

import math

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from erfaringsforum.pagination import page_number
from erfaringsforum.urlcache import pk_url
from forum import extensions, permissions, querysets, services
from forum.forms import ReplyForm
from forum.markdown import render_markdown
from forum.models import Post, ThreadRead
from forum.views.helpers import crumbs_for, page_of, post_page_context, post_url, posts_per_page

# A parent topic's page lists this many of its subtopics' newest-active threads.
LATEST_IN_SUBTOPICS = 10

# Reading --------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    tree = querysets.topic_tree_for(
        permissions.topics_visible_to(request.user, querysets.topic_tree())
    )
    return render(request, "forum/home.html", {"tree": tree})


@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = querysets.topic_for_page(slug)
    if topic is None:
        raise Http404(_("There is no such topic."))
    permissions.check_view_topic(request.user, topic)
    per_page = settings.FORUM_THREADS_PER_PAGE
    num_pages = max(1, math.ceil(topic.thread_count / per_page))
    page = page_number(request.GET.get("page"))
    if page == -1:
        page = num_pages
    if page > num_pages:
        raise Http404(_("There is no such page."))
    offset = (page - 1) * per_page
    threads = querysets.threads_for_topic_page(topic, request.user, offset=offset, limit=per_page)
    children, latest = [], []
    if not topic.is_leaf_node():  # the tree fields say so: no query for a leaf topic
        children = list(
            permissions.topics_visible_to(request.user, querysets.topic_children(topic))
        )
        below = permissions.topics_visible_to(request.user, topic.get_descendants())
        latest = [
            {"thread": thread, "title": permissions.shown_title(request.user, thread)}
            for thread in querysets.latest_threads_in(below, limit=LATEST_IN_SUBTOPICS)
        ]
    ancestors = list(querysets.topic_ancestors(topic))
    return render(
        request,
        "forum/topic_detail.html",
        {
            "topic": topic,
            "threads": threads,
            "children": children,
            "latest": latest,
            "crumbs": crumbs_for(topic, ancestors),
            "page": page,
            "num_pages": num_pages,
            "can_start_thread": permissions.can_start_thread(request.user, topic),
        },
    )


@require_safe
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = querysets.thread_for_page(pk, viewer=request.user)
    if thread is None:
        raise Http404(_("There is no such thread."))
    permissions.check_view_thread(request.user, thread)
    per_page = posts_per_page()
    num_pages = max(1, page_of(thread.post_count))
    raw_page = request.GET.get("page")
    if raw_page is None:
        # Opening a thread lands on the first post this employee has not read.
        last_read = (
            ThreadRead.objects.filter(employee_id=request.user.pk, thread=thread)
            .values_list("last_read_position", flat=True)
            .first()
        )
        if last_read and last_read < thread.post_count:
            return HttpResponseRedirect(post_url(thread.pk, last_read + 1))
        page = 1
    else:
        page = page_number(raw_page)
        if page == -1:
            page = num_pages
        if page > num_pages:
            raise Http404(_("There is no such page."))
    first = (page - 1) * per_page + 1
    # The page's posts, and the view counted and the read mark moved: one statement.
    posts = services.read_page(thread, viewer=request.user, first=first, last=first + per_page - 1)
    can_moderate = permissions.post_rights(request.user, thread, posts)
    can_reply = permissions.can_post_reply(request.user, thread)
    ancestors = list(querysets.topic_ancestors(thread.topic))
    return render(
        request,
        "forum/thread_detail.html",
        {
            "thread": thread,
            "title": permissions.shown_title(request.user, thread, moderates=can_moderate),
            "topic": thread.topic,
            "posts": posts,
            "views": thread.views + 1,  # this view is counted too
            "crumbs": crumbs_for(thread.topic, ancestors),
            "page": page,
            "num_pages": num_pages,
            "can_reply": can_reply,
            "panels": extensions.thread_panels(request.user, thread),
            "can_moderate": can_moderate,
            "form": ReplyForm() if can_reply and page == num_pages else None,
            "solution_url": (
                pk_url("forum:post-redirect", thread.solution_post_id)
                if thread.solution_post_id
                else None
            ),
        },
    )


def post_or_404(pk: int) -> Post:
    post = querysets.post_with_thread(pk)
    if post is None:
        raise Http404(_("There is no such post."))
    return post


@require_safe
def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(pk)
    permissions.check_view_thread(request.user, post.thread)
    return HttpResponseRedirect(post_url(post.thread_id, post.position))


@require_safe
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(pk)
    permissions.check_view_history(request.user, post)
    revisions = list(querysets.revisions_of(post))
    for revision in revisions:
        revision.body_html = render_markdown(revision.body_md)
    return render(
        request,
        "forum/post_history.html",
        {
            **post_page_context(post),
            "revisions": revisions,
            "can_see_body": permissions.can_see_post_body(request.user, post),
        },
    )
