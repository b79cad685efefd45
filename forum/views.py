from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.querysets import published_topics


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/home.html", {"topics": list(published_topics())})
