from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control


class BadInputMiddleware:
    """Answer 400 to a NUL byte in the path, the query string or a cookie.

    PostgreSQL cannot store NUL in text, and no legitimate link or cookie carries one, so
    such a request is refused before any view (or the session lookup) can turn it into a
    database error. NUL bytes in
    form fields are left to the forms, which answer with a field error and keep the text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path
            or "%00" in raw_query
            or "\x00" in raw_query
            or any("\x00" in value for value in request.COOKIES.values())
        ):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)


class MethodMiddleware:
    """Answer 405 to every method but GET, HEAD and POST.

    No page of the product implements another method, and a function view that is not
    decorated answers whatever it is sent: OPTIONS or TRACE would render a full page.
    """

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Signed-in pages are never stored by a shared proxy or kept for the back button after
    logging out: `Cache-Control: no-store, private` unless the view chose its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        try:
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
        except DatabaseError:  # the outage page (503) already says no-store
            return response
        if signed_in:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
