from __future__ import annotations

from django import template

from games.models import MatchItem
from games.rules.chess import Termination

register = template.Library()


@register.filter
def plies_to_moves(plies: int) -> int:
    return (plies + 1) // 2


@register.filter
def termination_label(match: MatchItem) -> str:
    return Termination(match.termination).label if match.termination else ""


@register.filter
def usd(value: float | None) -> str:
    if value is None:
        return "cost unknown"
    return f"${value:.4f}" if value < 1 else f"${value:.2f}"


@register.filter
def seconds(ms: float | None) -> str:
    return "" if ms is None else f"{float(ms) / 1000:.1f} s"
