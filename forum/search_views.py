"""Search pages: thin views over forum.search (results page, similar-threads fragment)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erfaringsforum.pagination import page_number
from forum.search import engine
from forum.search.forms import SearchForm
from forum.search.parsing import parse_query, parse_title


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    parsed = parse_query(form.data.get("q", "") if form.is_bound else "")
    results = None
    timed_out = False
    if parsed.is_searchable and form.is_valid():
        page = page_number(request.GET.get("page"))
        if page > engine.MAX_PAGES:
            raise Http404(_("There is no such page."))
        try:
            results = engine.search_threads(parsed, form.filters(), page=max(page, 1))
        except engine.SearchTimeout:
            timed_out = True
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "forum/search.html",
        {
            "form": form,
            "parsed": parsed,
            "results": results,
            "timed_out": timed_out,
            "search_query": parsed.raw,
            "base_url": f"?{params.urlencode()}&" if params else "?",
        },
    )


@require_GET
def similar_threads(request: HttpRequest) -> HttpResponse:
    title, words = parse_title(request.GET.get("title"))
    try:
        threads = engine.similar_threads(title, words)
    except engine.SearchTimeout:
        threads = []  # suggestions are a help, not a page: offer none this time
    return render(request, "forum/_similar_threads.html", {"threads": threads, "title": title})
