from django.urls import path

from erfaringsforum import converters  # noqa: F401  (registers <id:...>)
from forum import search_views, views

app_name = "forum"
urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", search_views.search, name="search"),
    path("sok/lignende/", search_views.similar_threads, name="similar-threads"),
    path("tema/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("tema/<slug:slug>/ny-trad/", views.thread_create, name="thread-create"),
    path("trad/<id:pk>/", views.thread_detail, name="thread-detail"),
    path("trad/<id:pk>/svar/", views.thread_reply, name="thread-reply"),
    path("trad/<id:pk>/losning/", views.thread_solution, name="thread-solution"),
    path("innlegg/<id:pk>/", views.post_redirect, name="post-redirect"),
    path("innlegg/<id:pk>/rediger/", views.post_edit, name="post-edit"),
    path("innlegg/<id:pk>/historikk/", views.post_history, name="post-history"),
    path("innlegg/<id:pk>/slett/", views.post_delete, name="post-delete"),
    path("innlegg/<id:pk>/gjenopprett/", views.post_restore, name="post-restore"),
]
