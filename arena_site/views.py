"""Site-wide error views: JSON under /api/, a page elsewhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "status": status}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "This request did not carry a valid CSRF token. Reload the page and try again "
        "(API clients: send the csrftoken cookie and the X-CSRFToken header).",
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, "You are not allowed to do that.")


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "There is nothing at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors here on purpose: they may be what failed.
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "Something went wrong on our side.", "status": 500}, status=500)
    return HttpResponse(
        "<!doctype html><title>Server error</title><h1>Something went wrong on our side</h1>"
        "<p>The error has been logged. Please try again.</p>",
        status=500,
    )
