import contextlib
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers


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


class LanguageMiddleware:
    """Bokmål unless the reader chose English: the language is the one in the language
    cookie (set by the language switch, Django's ``set_language``), else LANGUAGE_CODE.
    Unlike Django's LocaleMiddleware the browser's Accept-Language is never consulted: the
    product is Norwegian first, and an en-US browser must not turn it English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
