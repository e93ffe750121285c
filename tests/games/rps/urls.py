"""Just enough URLs to render the board partial outside the site (test_board.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _unused(request: HttpRequest, match_id: str) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("matches/", include(([path("<str:match_id>/move", _unused, name="move")], "games"))),
]
