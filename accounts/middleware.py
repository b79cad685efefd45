from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.services import ProxyHeaderError

PUBLIC_PATHS = ("/healthz", "/static/")


class HeaderAuthMiddleware:
    """In AUTH_MODE=header, log the employee in from the trusted proxy's header.

    The header is honoured only when the request's immediate peer is one of
    AUTH_TRUSTED_PROXIES; any other request, and a trusted one without the header, gets a
    403 page explaining why. In AUTH_MODE=local this middleware does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.AUTH_MODE != "header" or request.path.startswith(PUBLIC_PATHS):
            return self.get_response(request)
        peer = request.META.get("REMOTE_ADDR", "")
        if peer not in settings.AUTH_TRUSTED_PROXIES:
            return self._refuse(request, _("This address may not sign in through the intranet."))
        email = request.headers.get(settings.AUTH_HEADER, "").strip().lower()
        if not email:
            return self._refuse(request, _("The intranet did not say who you are."))
        if request.user.is_authenticated and request.user.get_username() == email:
            return self.get_response(request)
        if request.user.is_authenticated:
            auth.logout(request)
        try:
            employee = auth.authenticate(request, remote_user=email)
        except ProxyHeaderError:
            return self._refuse(
                request,
                _(
                    "The intranet sent your name or title in a form Erfaringsforum cannot "
                    "read. Ask the IT service desk to check the sign-in proxy's header encoding."
                ),
            )
        if employee is None:
            return self._refuse(request, _("You have no access to Erfaringsforum."))
        auth.login(request, employee)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, reason: str) -> HttpResponse:
        return render(request, "403.html", {"reason": reason}, status=403)


class ConcreteUserMiddleware:
    """request.user as the signed-in employee (or AnonymousUser) itself, not Django's lazy
    wrapper around it. Every view needs it (LoginRequiredMiddleware asks whether the user is
    signed in), and each attribute read through the wrapper costs a proxy call: about 200 a
    page of posts, where the rights are worked out per post (F23 in bench/results/history.md).
    The user is the one AuthenticationMiddleware would load, from its per-request cache;
    auth.login and auth.logout still replace request.user as they always do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = get_user(request)
        return self.get_response(request)
