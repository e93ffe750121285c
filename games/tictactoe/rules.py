"""Tic-tac-toe rules: plain Python, no Django, no I/O.

Squares are named like chess squares: files a-c from left to right, ranks 1-3 from the
bottom up, so b2 is the centre and a3 the top-left corner. People may also type a keypad
digit, numbered like a phone keypad read left to right, top to bottom (1 = a3 ... 9 = c1).

The cells are kept in reading order, top row first, which is the order of the position text
("x.o......") and of the keypad digits, so one index serves all three.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from games.core.protocol import GameOverError, IllegalMoveError, UnparseableMoveError

X = "x"
O = "o"  # noqa: E741 (the mark's own name)
SEATS: tuple[str, ...] = (X, O)
SEAT_LABELS = {X: "X", O: "O"}
EMPTY = ""

FILES = "abc"
RANKS = "321"  # top row first: the reading order of the cells
# Every square in reading order: the index of a square is its keypad digit minus one.
READING_ORDER: tuple[str, ...] = tuple(f + r for r in RANKS for f in FILES)
# The order of legal moves: a1, b1, c1, a2 ... c3, like chess squares.
SQUARES: tuple[str, ...] = tuple(f + r for r in "123" for f in FILES)
_INDEX = {square: index for index, square in enumerate(READING_ORDER)}

# The eight lines of three, as cell indices.
LINES: tuple[tuple[int, int, int], ...] = (
    (0, 1, 2),
    (3, 4, 5),
    (6, 7, 8),
    (0, 3, 6),
    (1, 4, 7),
    (2, 5, 8),
    (0, 4, 8),
    (2, 4, 6),
)

_TYPED_SQUARE = re.compile(r"[a-c][1-3]")
_TYPED_DIGIT = re.compile(r"[1-9]")


class Termination(enum.StrEnum):
    THREE_IN_A_ROW = "three_in_a_row"
    FULL_BOARD = "full_board"


TERMINATIONS = {
    Termination.THREE_IN_A_ROW.value: "three in a row",
    Termination.FULL_BOARD.value: "a full board",
}


def seat_label(seat: str) -> str:
    return SEAT_LABELS.get(seat, seat.upper())


def other(seat: str) -> str:
    return O if seat == X else X


def keypad_square(digit: int) -> str:
    """The square of a keypad digit 1-9 (1 = a3, 5 = b2, 9 = c1)."""
    return READING_ORDER[digit - 1]


def square_keypad(square: str) -> int:
    return _INDEX[square] + 1


def parse_square(text: str) -> str:
    """A typed square ("b2", "B2", " 5 ") in notation; raises UnparseableMoveError."""
    cleaned = text.strip().lower()
    # fullmatch on ASCII classes: a1 with a Cyrillic a or a full-width digit is no square.
    if _TYPED_SQUARE.fullmatch(cleaned):
        return cleaned
    if _TYPED_DIGIT.fullmatch(cleaned):
        return keypad_square(int(cleaned))
    shown = repr(text.strip()[:20]) if text.strip() else "An empty move"
    raise UnparseableMoveError(
        f"{shown} is not a square: name one from a1 to c3 (column a-c, row 1 at the bottom) "
        "or a keypad digit 1-9."
    )


@dataclass(frozen=True)
class Board:
    """A position: nine cells in reading order ("x", "o" or "") and the squares played."""

    cells: tuple[str, ...] = (EMPTY,) * 9
    moves: tuple[str, ...] = ()

    @classmethod
    def from_moves(cls, moves: Iterable[str]) -> Board:
        """The board after ``moves`` (squares in notation); raises MoveError."""
        board = cls()
        for square in moves:
            board = board.play(square)
        return board

    # --- reading the position ---------------------------------------------------------
    def mark(self, square: str) -> str:
        return self.cells[_INDEX[square]]

    @property
    def turn(self) -> str | None:
        """The seat to move, None once the game is over."""
        return None if self.is_over() else self._mover()

    def _mover(self) -> str:
        # From the marks, not the move list, so a board of cells alone knows whose turn it is.
        return X if self.cells.count(X) == self.cells.count(O) else O

    def line(self) -> tuple[str, ...]:
        """The squares of a completed line of three, or () when there is none."""
        for line in LINES:
            first = self.cells[line[0]]
            if first and all(self.cells[i] == first for i in line):
                return tuple(READING_ORDER[i] for i in line)
        return ()

    def winner(self) -> str | None:
        line = self.line()
        return self.mark(line[0]) if line else None

    def is_full(self) -> bool:
        return all(self.cells)

    def is_over(self) -> bool:
        return bool(self.line()) or self.is_full()

    def termination(self) -> Termination | None:
        if self.line():
            return Termination.THREE_IN_A_ROW
        if self.is_full():
            return Termination.FULL_BOARD
        return None

    def empty_squares(self) -> list[str]:
        return [square for square in SQUARES if not self.mark(square)]

    def legal_moves(self) -> list[str]:
        return [] if self.is_over() else self.empty_squares()

    def rows(self) -> list[list[str]]:
        """The marks in rows, top row first."""
        return [list(self.cells[i : i + 3]) for i in range(0, 9, 3)]

    def position(self) -> str:
        """The cells top row first, "." for an empty one: "x.o......"."""
        return "".join(cell or "." for cell in self.cells)

    # --- playing ----------------------------------------------------------------------
    def check(self, square: str) -> None:
        """Raise the MoveError that playing ``square`` (in notation) would meet, if any."""
        if self.is_over():
            raise GameOverError("The game is over: no more moves can be played.")
        if square not in _INDEX:
            raise UnparseableMoveError(f"{square[:20]!r} is not a square: name one from a1 to c3.")
        holder = self.mark(square)
        if holder:
            raise IllegalMoveError(f"{square} is taken by {seat_label(holder)}.")

    def play(self, square: str) -> Board:
        """The board after the side to move marks ``square``; raises MoveError."""
        self.check(square)
        cells = list(self.cells)
        cells[_INDEX[square]] = self._mover()
        return Board(tuple(cells), (*self.moves, square))
