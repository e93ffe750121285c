"""Independent checks for the Connect Four tests: a slow, obvious scan of the grid text and an
exhaustive search, so the bitboard code is checked against something that shares none of it."""

from __future__ import annotations

import dataclasses

from games.connect4.rules import Disc, State, bit

# A drawn game found by random play (seed 344): every column full, no four anywhere.
DRAWN_GAME = "441365675334466335442232661515577771217122"


def naive_four(state: State, letter: str) -> bool:
    """Whether ``letter`` (R or Y) has four in a row, read cell by cell off the text rows."""
    rows = state.rows()  # top first
    cells = {(c, 5 - r) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == letter}
    for column, row in cells:
        for dc, dr in ((1, 0), (0, 1), (1, 1), (1, -1)):
            if all((column + k * dc, row + k * dr) in cells for k in range(4)):
                return True
    return False


def naive_winner(state: State) -> str | None:
    for letter, seat in (("R", "red"), ("Y", "yellow")):
        if naive_four(state, letter):
            return seat
    return None


def winning_columns(state: State) -> list[int]:
    """The 0-based columns where the side to move completes four at once."""
    return [c for c in state.legal_columns() if state.play(c).winner() is not None]


def threat_columns(state: State) -> list[int]:
    """The 0-based columns where the opponent would complete four if it could move now."""
    other = state.turn.other
    threats = []
    for column in state.legal_columns():
        cell = bit(column, state.heights[column])
        if other is Disc.RED:
            placed = dataclasses.replace(state, red=state.red | cell)
        else:
            placed = dataclasses.replace(state, yellow=state.yellow | cell)
        if naive_four(placed, other.letter):
            threats.append(column)
    return threats


def wins_within(state: State, own_moves: int) -> bool:
    """Whether the side to move can force four in a row within ``own_moves`` of its moves,
    whatever the opponent does: a plain exhaustive search, no pruning beyond a found win."""
    if own_moves <= 0 or state.is_over():
        return False
    if winning_columns(state):
        return True
    return any(forces_win(state.play(c), own_moves - 1) for c in state.legal_columns())


def forces_win(after: State, own_moves: int) -> bool:
    """Whether, after a move, every reply of the opponent leaves a win within ``own_moves``."""
    if after.is_over() or own_moves <= 0:
        return False
    replies = [after.play(r) for r in after.legal_columns()]
    return all(reply.winner() is None and not reply.is_full() for reply in replies) and all(
        wins_within(reply, own_moves) for reply in replies
    )
