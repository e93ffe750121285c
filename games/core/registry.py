"""The games of the arena, by id: the one place that knows which games exist.

A game package registers its singleton at import (``GAME = register(TicTacToe())``). The
registry finds the packages itself: every ``games/<name>/`` holding a ``game.py`` is imported on
first use, so a new game is one package and no edit anywhere else. Games are listed in their
``order``, then by name.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from games.core.protocol import Game

_GAMES_DIR = Path(__file__).resolve().parents[1]
_GAMES: dict[str, Game[Any]] = {}
_loaded = False


def _packages() -> list[str]:
    return sorted(
        f"games.{path.parent.name}"
        for path in _GAMES_DIR.glob("*/game.py")
        if path.parent.joinpath("__init__.py").exists()
    )


def register(game: Game[Any]) -> Game[Any]:
    existing = _GAMES.get(game.id)
    if existing is not None and type(existing) is not type(game):
        raise ValueError(f"two games claim the id {game.id!r}")
    _GAMES[game.id] = game
    return game


def _load() -> None:
    global _loaded
    if not _loaded:
        for package in _packages():
            importlib.import_module(package)
        ordered = sorted(_GAMES.values(), key=lambda game: (game.order, game.name))
        _GAMES.clear()
        _GAMES.update((game.id, game) for game in ordered)
        _loaded = True


class UnknownGameError(LookupError):
    pass


def get_game(game_id: str) -> Game[Any]:
    _load()
    try:
        return _GAMES[game_id]
    except KeyError:
        raise UnknownGameError(
            f"There is no game {game_id[:40]!r}; the games are {', '.join(_GAMES)}."
        ) from None


def all_games() -> list[Game[Any]]:
    _load()
    return list(_GAMES.values())


def game_ids() -> list[str]:
    return [game.id for game in all_games()]


def game_choices() -> list[tuple[str, str]]:
    return [(game.id, game.name) for game in all_games()]
