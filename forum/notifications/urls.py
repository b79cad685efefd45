from django.urls import path, register_converter

from erfaringsforum.converters import IdConverter
from forum.notifications import views

register_converter(IdConverter, "noticeid")

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("les/", views.notification_mark_read, name="mark-read"),
    path("<noticeid:pk>/", views.notification_open, name="open"),
    path("folger/", views.watched, name="watches"),
    path("folg/trad/<noticeid:pk>/", views.watch_thread, name="watch-thread"),
    path("folg/tema/<slug:slug>/", views.watch_topic, name="watch-topic"),
    path("innstillinger/", views.preference_settings, name="settings"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
