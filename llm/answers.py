"""Game-neutral reading of LLM replies: what a reply amounts to, whatever the game.

A game's reader knows its notation; this module knows how models answer (final-answer
markers, ``\\boxed{}``, JSON, XML tags, code fences, think blocks, revisions) and which of
several answers counts. Nothing here names a game.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class RejectKind(enum.StrEnum):
    """Why a reply was not played; the model is re-asked with the reason."""

    NO_MOVE = "no_move"  # names no move (a bare list of moves included)
    UNPARSEABLE = "unparseable"  # something move-like the notation cannot read
    ILLEGAL = "illegal"  # a move the rules forbid now
    AMBIGUOUS = "ambiguous"  # fits several moves
    WRONG_SIDE = "wrong_side"  # a move of the other seat
    GAME_OVER = "game_over"


@dataclass(frozen=True)
class Reading:
    """What an LLM reply amounts to: a playable move, or the typed reason it is not one."""

    move: str | None  # the move in the game's notation, or None if rejected
    kind: str  # "ok" or a RejectKind
    reason: str | None = None  # a sentence for the model; None if accepted
    candidate: str | None = None  # the move text the reply meant, when one was found

    @property
    def ok(self) -> bool:
        return self.move is not None

    @classmethod
    def accept(cls, move: str, candidate: str | None = None) -> Reading:
        return cls(move, "ok", None, candidate or move)

    @classmethod
    def reject(cls, kind: RejectKind, reason: str, candidate: str | None = None) -> Reading:
        return cls(None, str(kind), reason, candidate)
