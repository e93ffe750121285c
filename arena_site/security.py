"""The Content-Security-Policy header, on every response.

Django 5.2 sets the other security headers (SecurityMiddleware, XFrameOptionsMiddleware) but
has no CSP. Ours allows no inline script or style and no eval, so an injected ``<script>`` or
``onerror=`` would not run even if some template forgot to escape it. The pages are built for
it: scripts and styles are static files, the SVG board uses presentation attributes instead of
``style=`` (games/board.py), and htmx is configured not to eval or inject styles (base.html).

Static files may be served from another origin (``ARENA_STATIC_URL`` pointing at CloudFront);
that origin is then allowed for scripts, styles, images and fonts, and nothing else is.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"
# Directives that load static files, and so also allow the static files' origin.
STATIC_DIRECTIVES = ("script-src", "style-src", "img-src", "font-src")


def static_origin(static_url: str) -> str | None:
    """``https://cdn.example.com`` for ``https://cdn.example.com/static/``; None for a path."""
    parts = urlsplit(static_url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}".lower()
    return None


def build_policy(static_url: str) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    origin = static_origin(static_url)
    if origin is not None:
        for name in STATIC_DIRECTIVES:
            directives[name].append(origin)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy unless the view set its own. The header is built once, when Django
    loads the middleware (once per process), so a request only pays for one dict store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = build_policy(settings.STATIC_URL or "")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.policy
        return response
