from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from accounts.forms import LoginForm
from accounts.querysets import employees_for_display


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        # Announced on the page the person came for (static/js/app.js reads it out).
        messages.success(
            self.request, _("You are logged in as %(name)s.") % {"name": self.request.user.name}
        )
        return response


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_object_or_404(employees_for_display().filter(is_active=True), pk=pk)
    crumbs = [(_("Topics"), reverse("forum:home")), (employee.name, request.path)]
    return render(
        request,
        "accounts/profile.html",
        {"employee": employee, "crumbs": crumbs},
    )


def locked_out(request: HttpRequest, credentials: dict | None, *args, **kwargs) -> HttpResponse:
    """django-axes' answer to a locked-out account or address (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def login_attempt_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE): what was typed,
    cut to the e-mail column's length and without NUL bytes, so an overlong or broken value
    is still counted instead of failing to be stored (a 500)."""
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(typed).replace("\x00", "").strip().lower()[:254]
