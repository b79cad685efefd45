from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string


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
