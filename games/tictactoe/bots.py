"""The built-in tic-tac-toe players: a random mover and a perfect player.

The whole game tree has 5,478 positions, so the perfect player searches all of it once per
process (memoized) and never loses.
"""

from __future__ import annotations

import functools
import random

from games.core.protocol import Bot
from games.tictactoe.rules import Board


def random_move(board: Board, seat: str, rng: random.Random) -> str:
    return rng.choice(_moves_of(board, seat))


def _value(board: Board) -> int:
    # Keyed by the cells alone, so transpositions share one entry (5,478 of them).
    return _cells_value(board.cells)


@functools.cache
def _cells_value(cells: tuple[str, ...]) -> int:
    """The score of these cells for the side to move under perfect play: positive wins,
    negative loses, 0 draws. A win is worth more the more empty squares remain, so the
    player goes for the fastest win and, when lost, the slowest loss."""
    board = Board(cells)
    if board.winner() is not None:
        # The last move made the line, so the side to move has lost.
        return -(board.cells.count("") + 1)
    if board.is_full():
        return 0
    return max(-_value(board.play(square)) for square in board.legal_moves())


def perfect_moves(board: Board) -> list[str]:
    """Every move of the side to move that scores best (a perfect player may play any)."""
    scores = {square: -_value(board.play(square)) for square in board.legal_moves()}
    best = max(scores.values(), default=0)
    return [square for square, score in scores.items() if score == best]


def perfect_move(board: Board, seat: str, rng: random.Random) -> str:
    # The rng breaks ties between equally good moves, so games between bots vary.
    _moves_of(board, seat)
    return rng.choice(perfect_moves(board))


def _moves_of(board: Board, seat: str) -> list[str]:
    if board.turn != seat:
        raise ValueError(f"{seat!r} is not to move in {board.position()!r}.")
    return board.legal_moves()


BOTS: tuple[Bot[Board], ...] = (
    Bot("random", "Random mover", random_move),
    Bot("perfect", "Perfect player (never loses)", perfect_move),
)
