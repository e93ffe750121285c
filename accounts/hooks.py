"""What accounts needs from the apps above it, behind a small interface (accounts imports no
game code): the games the "My games" filter offers, and what happens to a guest's matches
when that browser signs up or logs in. The games app provides both at start-up
(games/apps.py), as dotted paths imported on first use.
"""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

_PROVIDED: dict[str, str] = {}


def provide(**paths: str) -> None:
    _PROVIDED.update(paths)


def _get(name: str) -> Any:
    path = _PROVIDED.get(name)
    return import_string(path) if path else None


def game_choices() -> list[tuple[str, str]]:
    """(id, name) of every game."""
    choices = _get("game_choices")
    return list(choices()) if choices else []


def adopt_guest(*, guest: str, user_id: str, username: str) -> int:
    """Hand a guest browser's matches to the account it signed up for or logged in to; how
    many moved."""
    adopt = _get("adopt_guest")
    return int(adopt(guest=guest, user_id=user_id, username=username)) if adopt else 0
