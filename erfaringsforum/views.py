import sys

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

KEPT_FIELDS = {"title", "body", "body_md", "summary", "reason", "note", "q"}


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form could not be accepted (expired session or token): give the text back."""
    kept = [
        (name, value)
        for name, value in request.POST.items()
        if name in KEPT_FIELDS and value.strip()
    ]
    return render(request, "403_csrf.html", {"kept": kept}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


# Seconds a client is asked to wait when the database is unreachable.
OUTAGE_RETRY_AFTER = 10


def _kept_text(request: HttpRequest) -> list[tuple[str, str]]:
    """The text fields of a POST that could not be saved, to give back to the writer."""
    if request.method != "POST":
        return []
    try:
        return [
            (name, value)
            for name, value in request.POST.items()
            if name in KEPT_FIELDS and value.strip()
        ]
    except Exception:  # an unreadable body: nothing to give back
        return []


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler, and the 503 page while the database is unreachable.

    Rendered from a static template without the request's context processors: those read
    the signed-in employee and the header's counts from the database, and a handler that
    fails itself leaves the browser with the web server's bare error. Django calls this
    inside its exception handling, so sys.exc_info() is the exception that ended the
    request: a database that cannot be reached gives a 503 with Retry-After, and a POST's
    text back in a box to copy.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        html = loader.render_to_string(
            "503.html", {"kept": _kept_text(request), "retry_after": OUTAGE_RETRY_AFTER}
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        add_never_cache_headers(response)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
