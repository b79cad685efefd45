from django.urls import path

from forum import search_views, views

app_name = "forum"
urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", search_views.search, name="search"),
    path("sok/lignende/", search_views.similar_threads, name="similar-threads"),
]
