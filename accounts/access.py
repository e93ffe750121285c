"""Who is asking: the identity that owns matches.

A match belongs to the player id that created it: a guest browser's random id (kept in its
session; not the session key, which Django rotates on login), or, once logged in, the
account's user id. Guest matches are handed to the account that signs up or logs in from the
same browser (games.services.matches_adopt).
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest

SESSION_PLAYER_KEY = "arena_player"


def current_player_id(request: HttpRequest) -> str | None:
    """The player id of this browser, or None if it never created anything.

    Costs nothing for a visitor without a session cookie (Django does not load a session it
    has no key for) and one GetItem otherwise.
    """
    value = request.session.get(SESSION_PLAYER_KEY)
    return value if isinstance(value, str) else None


GUEST_PREFIX = "guest-"


def is_guest(player_id: str) -> bool:
    return player_id.startswith(GUEST_PREFIX)


def ensure_player_id(request: HttpRequest) -> str:
    """The player id of this browser, creating (and saving) one on first use."""
    player_id = current_player_id(request)
    if player_id is None:
        player_id = GUEST_PREFIX + secrets.token_urlsafe(12)
        request.session[SESSION_PLAYER_KEY] = player_id
    return player_id
