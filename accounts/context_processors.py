from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.auth import current_user


def identity(request: HttpRequest) -> dict[str, Any]:
    """``arena_user``: the logged-in account (or None), read from the session only when a
    template asks (a visitor without a session cookie costs no request at all)."""
    return {"arena_user": SimpleLazyObject(lambda: current_user(request))}
