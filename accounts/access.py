"""Who is asking: the identity that owns matches.

A match belongs to the player id that created it: a guest browser's random id (kept in its
session; not the session key, which Django rotates on login), or, once logged in, the
account's user id. Guest matches are handed to the account that signs up or logs in from the
same browser (games.services.matches_adopt).
"""

from __future__ import annotations

import secrets

from django.conf import settings
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
GUEST_NAME = "Guest"  # how a player without an account is shown


def is_guest(player_id: str) -> bool:
    return player_id.startswith(GUEST_PREFIX)


def ensure_player_id(request: HttpRequest) -> str:
    """The player id of this browser, creating (and saving) one on first use."""
    player_id = current_player_id(request)
    if player_id is None:
        player_id = GUEST_PREFIX + secrets.token_urlsafe(12)
        request.session[SESSION_PLAYER_KEY] = player_id
    return player_id


def client_address(request: HttpRequest) -> str:
    """The client's IP address, for throttling.

    On Lambda, Zappa derives REMOTE_ADDR from X-Forwarded-For, which a client can write itself
    when the API is regional. zappa_settings.json therefore maps API Gateway's own
    ``requestContext.identity.sourceIp`` into a header (``context_header_mappings``), and
    ``ARENA_CLIENT_IP_HEADER`` names it here; Zappa overwrites any client-sent header of that
    name. Elsewhere (``make run``, tests) REMOTE_ADDR is the peer and is used as is.
    """
    header = settings.ARENA_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    return str(value or request.META.get("REMOTE_ADDR") or "unknown")[:64]
