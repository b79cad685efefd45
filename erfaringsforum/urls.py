from django.contrib import admin
from django.urls import include, path

from erfaringsforum import views

admin.site.site_header = "Erfaringsforum"
admin.site.site_title = "Erfaringsforum"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("accounts.urls")),
    path("moderering/", include("moderation.urls")),
    path("varsler/", include("forum.notifications.urls")),
    path("", include("forum.urls")),
]

handler400 = "erfaringsforum.views.bad_request"
handler403 = "erfaringsforum.views.permission_denied"
handler404 = "erfaringsforum.views.page_not_found"
handler500 = "erfaringsforum.views.server_error"
