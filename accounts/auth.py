"""Who is logged in, kept in the session (no read of the user item on ordinary requests).

Logging in rotates the session key and the CSRF token (against session fixation) and makes the
account's id the browser's player id; logging out flushes the session. A password change ends
every other session of the account through the sessions' ``by_user`` index.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import rotate_token

from accounts.access import SESSION_PLAYER_KEY
from accounts.models import UserItem
from accounts.sessions.dynamodb import SESSION_USER_KEY


@dataclass(frozen=True)
class SessionUser:
    id: str
    username: str
    is_staff: bool


def current_user(request: HttpRequest) -> SessionUser | None:
    data = request.session.get(SESSION_USER_KEY)
    if not isinstance(data, dict):
        return None
    try:
        return SessionUser(id=str(data["id"]), username=str(data["username"]), is_staff=bool(data["staff"]))
    except KeyError:
        return None


def current_username(request: HttpRequest) -> str | None:
    user = current_user(request)
    return user.username if user else None


def log_in(request: HttpRequest, user: UserItem) -> None:
    request.session.cycle_key()
    request.session[SESSION_USER_KEY] = {
        "id": user.user_id,
        "username": user.username,
        "staff": user.is_staff,
    }
    request.session[SESSION_PLAYER_KEY] = user.user_id
    rotate_token(request)


def log_out(request: HttpRequest) -> None:
    request.session.flush()
    rotate_token(request)
