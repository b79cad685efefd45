import hashlib
import pickle
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from django import template
from django.core.cache import cache as fragment_cache
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import ngettext

from erfaringsforum import urlcache
from forum.markdown import RENDERER_VERSION

register = template.Library()

# A fragment's key holds everything it shows, so any change makes a new key and the old
# entry simply expires: nothing has to be invalidated.
FRAGMENT_SECONDS = 24 * 60 * 60


@register.simple_tag
def timestamp(value: datetime | None) -> str:
    """A <time> element: machine-readable datetime, local short date and time for people."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="seconds"),
        date_filter(local, "SHORT_DATETIME_FORMAT"),
    )


@register.simple_tag
def pk_url(name: str, pk: int) -> str:
    """{% url name pk %} for URLs with one integer argument, reversed once per process
    (a page of posts has many of them)."""
    return urlcache.pk_url(name, pk)


@register.simple_tag
def replies_text(count: int) -> str:
    """ "N replies", the message of {% blocktranslate count counter=... %}{{ counter }}
    reply{% plural %}...: the block tag's context and per-value rendering cost more than the
    thread page's other tags (F37 in bench/results/history.md)."""
    return ngettext("%(counter)s reply", "%(counter)s replies", count) % {"counter": count}


@register.simple_tag
def views_text(count: int) -> str:
    """ "N views", as replies_text."""
    return ngettext("%(counter)s view", "%(counter)s views", count) % {"counter": count}


@register.simple_tag
def fixed_url(name: str) -> str:
    """{% url name %} for URLs without arguments, reversed once per process."""
    return urlcache.fixed_url(name)


@register.simple_tag
def person(employee) -> SafeString:
    """An employee as shown next to everything they write: name, unit, county."""
    unit = employee.unit
    org = ""
    if unit is not None:
        county = unit.county
        org = format_html(
            '<span class="person__org">, {}{}</span>',
            unit.name,
            format_html(", {}", county.name) if county is not None else "",
        )
    return format_html(
        '<span class="person"><a class="ds-link person__name" href="{}">{}</a>{}</span>',
        pk_url("accounts:profile", employee.pk),
        employee.name,
        org,
    )


def _digest(shown) -> str:
    """A fragment key's digest of everything the fragment shows. Pickled rather than repr'd:
    a page of posts' values with their bodies took 0.35 ms through repr and 0.02 ms through
    pickle (F27 in bench/results/history.md). Different values always pickle differently; equal
    values may pickle differently (shared objects are written once), which costs a cache
    miss, never a stale hit. Anything that does not pickle falls back to repr."""
    try:
        data = pickle.dumps(shown, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        data = repr(shown).encode()
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _localized_key(*parts) -> str:
    """A fragment key: its parts, then the language and time zone the fragment is shown in."""
    language = translation.get_language()
    zone = timezone.get_current_timezone_name()
    return ":".join(map(str, (*parts, language, zone)))


def _fragment(key: str, render: Callable[[], str]) -> SafeString:
    """The cached fragment under `key`, rendered and stored on a miss. Keys hold a digest of
    everything the fragment shows, so a change is a new key and nothing is invalidated."""
    html = fragment_cache.get(key)
    if html is None:
        html = render()
        fragment_cache.set(key, html, FRAGMENT_SECONDS)
    return SafeString(html)


def post_fragment_key(post) -> str:
    """The cache key of a post's header: a digest of the row the post (with its author and
    contributed columns, e.g. its clarification) was built from, forum.querysets.PostPage,
    and its solution mark: everything the fragment can render, listed nowhere by hand."""
    return _localized_key("post", RENDERER_VERSION, post.pk, _digest((post.row, post.is_solution)))


@register.simple_tag
def post_header(post) -> SafeString:
    """The viewer-independent part of a post (author, dates, tags, removal notice), cached
    per post in the shared cache. A post of a PostPage (`post.row`), is_solution set."""
    template_ = get_template("components/_post_header.html")
    return _fragment(post_fragment_key(post), lambda: template_.render({"post": post}))


@register.simple_tag(takes_context=True)
def post_list(context, posts, *, reply_url: str, solution_action: str, can_reply: bool):
    """A page of posts (forum.querysets.PostPage; components/_post.html each), cached as one
    fragment.

    The key is a digest of everything the list shows: the posts' rows as read (header,
    author, body, contributed columns such as the clarification) and each post's `rights`
    (forum.permissions.PostRights, the very object the template renders, solution mark
    included), and the page's reply settings. Employees with the same rights
    on a page share one entry, and an edit, a hidden post or a new right is a new key, so
    nothing is ever invalidated. A list with a form in it (restore, mark as the answer)
    carries the viewer's CSRF token and is rendered for them alone, never cached.
    """
    template_ = get_template("components/_post.html")
    extra = {"reply_url": reply_url, "solution_action": solution_action, "can_reply": can_reply}

    def render() -> str:
        csrf = {"csrf_token": context.get("csrf_token")}
        posts.with_people()  # authors and clarifications, only for a page rendered anew
        return "".join(template_.render({"post": post, **extra, **csrf}) for post in posts)

    if any(post.rights.personal for post in posts):
        return SafeString(render())
    return _fragment(post_list_key(posts, reply_url, solution_action, can_reply), render)


def post_list_key(posts, reply_url: str, solution_action: str, can_reply: bool) -> str:
    """The key of a page of posts: its rows and each post's whole PostRights."""
    shown = [
        (reply_url, solution_action, can_reply),
        *zip(posts.rows, (post.rights for post in posts), strict=True),
    ]
    return _localized_key("posts", RENDERER_VERSION, _digest(shown))


@register.simple_tag
def thread_rows(threads) -> SafeString:
    """The rows of a topic's thread table (forum.querysets.ThreadPage), cached under a digest
    of the rows as read: every value they can show, the viewer's read marks included. Like
    post_list, nothing is ever invalidated, and a cache hit builds no Thread objects."""
    template_ = get_template("components/_thread_rows.html")
    return _fragment(
        _localized_key("threadrows", _digest(threads.rows)),
        lambda: template_.render({"threads": threads}),
    )


@register.simple_tag
def topic_tree(tree) -> SafeString:
    """The home page's topic tree (forum.querysets.TopicTree; forum/_topic_tree.html),
    cached under a digest of its rows: everyone who sees the same topics shares it, and any
    change to a shown value is a new key. A cache hit builds no Topic objects."""
    template_ = get_template("forum/_topic_tree.html")
    return _fragment(
        _localized_key("topictree", _digest(tree.rows)),
        lambda: template_.render({"nodes": tree.nodes, "level": 0}),
    )


@lru_cache(maxsize=1024)
def _pagination_html(page: int, num_pages: int, base_url: str, language: str) -> str:
    return get_template("components/_pagination.html").render(
        {"page": page, "num_pages": num_pages, "base_url": base_url}
    )


@register.simple_tag
def pagination(page: int, num_pages: int, base_url: str) -> SafeString:
    """components/_pagination.html, rendered once per process for each (page, number of
    pages, base URL, language): it shows nothing else."""
    html = _pagination_html(int(page), int(num_pages), str(base_url), translation.get_language())
    return SafeString(html)


# Slots for the per-request values of the cached site header: random per process, so no text
# a user writes (a search query, a name) can contain one and have it filled in.
_CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"
_NEXT_SLOT = f"next-slot-{secrets.token_hex(16)}"


def _site_header_shown(context, user) -> tuple:
    """Every viewer-dependent value components/_site_header.html shows."""
    if not user.is_authenticated:
        return ("anonymous",)
    nav = context.get("nav") or {}
    unit = user.unit
    county = unit.county if unit is not None else None
    links = [(link["url"], link["label"], link["count"]) for link in nav.get("links", ())]
    return (
        user.pk, user.name, unit and unit.name, county and county.name,
        context.get("search_query"), bool(nav.get("admin")), links,
    )  # fmt: skip


# The header's templates: a new version of any of them is a new key, so a deploy never serves
# headers cached (in the shared cache) from the templates before it.
HEADER_TEMPLATES = (
    "components/_site_header.html",
    "components/_language_form.html",
    "components/_notifications_link.html",
)


@lru_cache(maxsize=1)
def _header_templates_digest() -> str:
    sources = [get_template(name).template.source for name in HEADER_TEMPLATES]
    return _digest(sources)[:12]


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """components/_site_header.html, cached under a digest of what it shows for this viewer
    (name, unit, the menu's counts, the search query). The CSRF token, which Django masks
    anew for every response, and the current path for the language switch are slots filled
    in per request, so the cached HTML never holds a token or another page's path."""
    request = context.get("request")
    user = context.get("user")
    language = translation.get_language()
    template_ = get_template("components/_site_header.html")
    values = {
        "user": user, "nav": context.get("nav"), "search_query": context.get("search_query"),
        "LANGUAGE_CODE": language,
    }  # fmt: skip
    token = str(context.get("csrf_token") or "")
    if request is None or token in ("", "NOTPROVIDED"):
        # No request or no CSRF token to fill in: rendered as is, not cached.
        path = request.get_full_path() if request is not None else ""
        return SafeString(template_.render({**values, "csrf_token": token, "next_path": path}))
    shown = _digest(_site_header_shown(context, user))
    html = _fragment(
        f"header:{_header_templates_digest()}:{language}:{get_script_prefix()}:{shown}",
        lambda: template_.render({**values, "csrf_token": _CSRF_SLOT, "next_path": _NEXT_SLOT}),
    )
    html = html.replace(_CSRF_SLOT, escape(token))
    return SafeString(html.replace(_NEXT_SLOT, escape(request.get_full_path())))


@lru_cache(maxsize=8)
def _head_assets_html(prefix: str) -> str:
    return get_template("components/_head_assets.html").render({})


@register.simple_tag
def head_assets() -> SafeString:
    """components/_head_assets.html, rendered once per process and script prefix: the static
    storage looks each hashed name up anew (about 50 microseconds a link)."""
    return SafeString(_head_assets_html(get_script_prefix()))


@lru_cache(maxsize=1024)
def _breadcrumbs_html(crumbs: tuple, language: str, prefix: str) -> str:
    trail = [(SafeString(label) if safe else label, url) for label, safe, url in crumbs]
    return get_template("components/_breadcrumbs.html").render({"crumbs": trail})


@register.simple_tag
def breadcrumbs(crumbs) -> SafeString:
    """components/_breadcrumbs.html for a list of (label, url), rendered once per process
    for each trail and language (labels marked safe are keyed apart from plain ones)."""
    key = tuple((str(label), isinstance(label, SafeData), str(url)) for label, url in crumbs)
    return SafeString(_breadcrumbs_html(key, translation.get_language(), get_script_prefix()))


# The slot for a blank post form's submission key (random per process, like the header's).
_KEY_SLOT = f"key-slot-{secrets.token_hex(16)}"


@lru_cache(maxsize=64)
def _blank_form_html(form_class: type, language: str) -> str:
    form = form_class(initial={"submission_key": _KEY_SLOT})
    return get_template("forum/_body_fields.html").render({"form": form})


@register.simple_tag
def post_form_fields(form) -> SafeString:
    """forum/_body_fields.html. A blank form (unbound, with nothing in it but the fresh
    submission key the form made for itself) is the same for everyone but that key, so it is
    rendered once per process for each form class and language, with a slot for the key.
    Any other form (bound, with errors, a quote or text to keep) is rendered as it is."""
    key = form.initial.get("submission_key")
    if form.is_bound or key is None or set(form.initial) != {"submission_key"} or form.prefix:
        return SafeString(get_template("forum/_body_fields.html").render({"form": form}))
    html = _blank_form_html(type(form), translation.get_language())
    return SafeString(html.replace(_KEY_SLOT, escape(str(key))))
