from __future__ import annotations

from typing import Any

from django import template

from games.core import Game, all_games, get_game
from games.models import seats_of
from games.players import UnknownPlayerError

register = template.Library()


@register.filter
def plies_to_moves(plies: int) -> int:
    return (plies + 1) // 2


@register.filter
def termination_label(match: Any) -> str:
    """The termination of a match (or a list entry) in words."""
    return get_game(match.game).termination_label(match.termination) if match.termination else ""


@register.filter
def game_name(game_id: str) -> str:
    try:
        return get_game(game_id).name
    except LookupError:
        return game_id


@register.filter
def seat_label(rules: Game[Any] | str, seat: str) -> str:
    game = get_game(rules) if isinstance(rules, str) else rules
    return game.seat_label(seat)


@register.filter
def seat_labels(match: Any) -> list[str]:
    """Who plays each seat of a match or a list entry ("Alice", "Arena engine 2 (Casual)")."""
    try:
        return [
            seat.label for seat in seats_of(list(match.players), match.owner, match.owner_name, match.game)
        ]
    except UnknownPlayerError:
        return list(match.players)


@register.simple_tag
def game_scripts() -> list[str]:
    """The static scripts every game's board needs (chess: click-to-move)."""
    return [script for game in all_games() for script in game.scripts]


@register.filter
def usd(value: float | None) -> str:
    if value is None:
        return "cost unknown"
    return f"${value:.4f}" if value < 1 else f"${value:.2f}"


@register.filter
def seconds(ms: float | None) -> str:
    return "" if ms is None else f"{float(ms) / 1000:.1f} s"
