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
