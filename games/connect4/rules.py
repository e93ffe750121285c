"""Connect Four rules: plain Python, no Django, no I/O.

The board is 7 columns by 6 rows. A :class:`State` keeps one bitboard per colour in the
classic layout of Connect Four solvers: column ``c`` owns bits ``7c .. 7c + 5`` (bottom to
top) and bit ``7c + 6`` stays empty, a sentinel row that stops lines from wrapping from the
top of one column into the bottom of the next. A line of four is then four bits spaced by 1
(vertical), 7 (horizontal), 6 or 8 (the diagonals), which a few shifts and ands detect.

Columns are numbered 1 to 7 from the left in notation (what is typed, stored and sent to a
model) and 0 to 6 inside this module.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from games.core import GameOverError, IllegalMoveError, UnparseableMoveError

WIDTH = 7
HEIGHT = 6
# Bits per column: the playable rows plus the sentinel.
STRIDE = HEIGHT + 1
CELLS = WIDTH * HEIGHT

# One bit at the bottom of every column; times a full column it gives every playable cell.
BOTTOM_MASK = sum(1 << (column * STRIDE) for column in range(WIDTH))
BOARD_MASK = BOTTOM_MASK * ((1 << HEIGHT) - 1)
# The shifts between neighbouring cells of a line: up, right, down-right, up-right.
DIRECTIONS = (1, STRIDE, HEIGHT, HEIGHT + 2)

FOUR_IN_A_ROW = "four_in_a_row"
FULL_BOARD = "full_board"


class Disc(enum.StrEnum):
    RED = "red"
    YELLOW = "yellow"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def letter(self) -> str:
        return self.value[0].upper()

    @property
    def other(self) -> Disc:
        return Disc.YELLOW if self is Disc.RED else Disc.RED


def bit(column: int, row: int) -> int:
    """The bit of a cell; ``row`` 0 is the bottom."""
    return 1 << (column * STRIDE + row)


def has_four(discs: int) -> bool:
    """Whether a bitboard holds four in a row in any direction."""
    for shift in DIRECTIONS:
        pairs = discs & (discs >> shift)
        if pairs & (pairs >> (2 * shift)):
            return True
    return False


def fours(discs: int) -> int:
    """Every cell of every line of four in a bitboard, as a bitboard."""
    cells = 0
    for shift in DIRECTIONS:
        starts = discs & (discs >> shift) & (discs >> (2 * shift)) & (discs >> (3 * shift))
        for step in range(4):
            cells |= starts << (step * shift)
    return cells


def column_number(column: int) -> str:
    """The notation of a column: "1" for the leftmost."""
    return str(column + 1)


@dataclass(frozen=True)
class State:
    """A position: the discs of each colour, the height of each column, and the columns
    played so far (0-based, in order), so the last disc and the record are at hand."""

    red: int = 0
    yellow: int = 0
    heights: tuple[int, ...] = (0,) * WIDTH
    history: tuple[int, ...] = ()

    @classmethod
    def from_columns(cls, columns: Iterable[int]) -> State:
        """The position after dropping discs in these 0-based columns, Red first."""
        state = cls()
        for column in columns:
            state = state.play(column)
        return state

    @classmethod
    def from_notation(cls, moves: Iterable[str]) -> State:
        """``State.from_notation("4453")``: one column digit per disc."""
        return cls.from_columns(parse_column(move) for move in moves)

    def __repr__(self) -> str:
        return f"State.from_notation({self.notation()!r})"

    # --- reading the position ---------------------------------------------------------
    @property
    def turn(self) -> Disc:
        return Disc.RED if len(self.history) % 2 == 0 else Disc.YELLOW

    @property
    def occupied(self) -> int:
        return self.red | self.yellow

    def discs(self, disc: Disc) -> int:
        return self.red if disc is Disc.RED else self.yellow

    def at(self, column: int, row: int) -> Disc | None:
        cell = bit(column, row)
        if self.red & cell:
            return Disc.RED
        if self.yellow & cell:
            return Disc.YELLOW
        return None

    def can_play(self, column: int) -> bool:
        return 0 <= column < WIDTH and self.heights[column] < HEIGHT

    def legal_columns(self) -> list[int]:
        if self.is_over():
            return []
        return [column for column in range(WIDTH) if self.heights[column] < HEIGHT]

    @property
    def last(self) -> int | None:
        """The column of the last disc dropped."""
        return self.history[-1] if self.history else None

    def winner(self) -> Disc | None:
        # Only the side that just moved can have completed a line.
        if not self.history:
            return None
        mover = self.turn.other
        return mover if has_four(self.discs(mover)) else None

    def is_full(self) -> bool:
        return len(self.history) == CELLS

    def is_over(self) -> bool:
        return self.is_full() or self.winner() is not None

    def winning_cells(self) -> int:
        """The cells of the line (or lines) of four that ended the game, as a bitboard."""
        winner = self.winner()
        return fours(self.discs(winner)) if winner is not None else 0

    def notation(self) -> str:
        return "".join(column_number(column) for column in self.history)

    def rows(self) -> list[str]:
        """The board as text rows, top row first: R, Y or . per cell."""
        return [
            "".join(self._letter(column, row) for column in range(WIDTH)) for row in reversed(range(HEIGHT))
        ]

    def to_text(self) -> str:
        """ "......./......./......./......./......./...RY..": the rows, top first."""
        return "/".join(self.rows())

    def _letter(self, column: int, row: int) -> str:
        disc = self.at(column, row)
        return disc.letter if disc is not None else "."

    # --- playing ----------------------------------------------------------------------
    def play(self, column: int) -> State:
        """The position after the side to move drops a disc in ``column`` (0-based)."""
        if self.is_over():
            raise GameOverError(f"The game is over: {self.describe_end()}.")
        if not 0 <= column < WIDTH:
            raise UnparseableMoveError(COLUMN_RANGE)
        if self.heights[column] >= HEIGHT:
            raise IllegalMoveError(full_column_reason(self, column))
        cell = bit(column, self.heights[column])
        heights = (*self.heights[:column], self.heights[column] + 1, *self.heights[column + 1 :])
        red, yellow = (
            (self.red | cell, self.yellow) if self.turn is Disc.RED else (self.red, self.yellow | cell)
        )
        return State(red, yellow, heights, (*self.history, column))

    def describe_end(self) -> str:
        winner = self.winner()
        if winner is not None:
            return f"{winner.label} has four in a row"
        return "the board is full, a draw" if self.is_full() else "it goes on"


COLUMN_RANGE = "There are 7 columns: 1 to 7 (or a to g), counted from the left."

_NUMBER_RE = re.compile(r"(?:col(?:umn)?\.?\s*)?#?\s*(\d+)")
_LETTER_RE = re.compile(r"(?:col(?:umn)?\.?\s*)?([a-z])")


def full_column_reason(state: State, column: int) -> str:
    open_columns = ", ".join(column_number(c) for c in state.legal_columns())
    return f"Column {column_number(column)} is full; the columns with room are {open_columns}."


def parse_column(text: str) -> int:
    """The 0-based column a typed move names: "4", " 4 ", "column 4", "col 4" or "d".

    Raises UnparseableMoveError, saying why, for anything else (a column 8 included)."""
    cleaned = " ".join(text.lower().split())
    number = _NUMBER_RE.fullmatch(cleaned)
    if number is not None:
        value = int(number.group(1))
        if not 1 <= value <= WIDTH:
            raise UnparseableMoveError(COLUMN_RANGE)
        return value - 1
    letter = _LETTER_RE.fullmatch(cleaned)
    if letter is not None:
        index = ord(letter.group(1)) - ord("a")
        if index >= WIDTH:
            raise UnparseableMoveError(COLUMN_RANGE)
        return index
    if not cleaned:
        raise UnparseableMoveError("Type a column number, 1 to 7.")
    raise UnparseableMoveError(f"{text.strip()[:40]!r} is not a column: type a number from 1 to 7.")
