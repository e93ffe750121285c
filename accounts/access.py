"""Who is asking: the identity that owns matches.

Until accounts exist, a match belongs to the browser session that created it. The session
holds a random player id (not the session key, which Django rotates on login), so guest
matches can later be handed to the account that signs up in the same browser.
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


def ensure_player_id(request: HttpRequest) -> str:
    """The player id of this browser, creating (and saving) one on first use."""
    player_id = current_player_id(request)
    if player_id is None:
        player_id = "guest-" + secrets.token_urlsafe(12)
        request.session[SESSION_PLAYER_KEY] = player_id
    return player_id
