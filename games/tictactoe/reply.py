"""The tic-tac-toe move reader for LLM replies (see llm.answers for the game-neutral part).

``read`` takes one extracted answer ("b2", "**B2**", "square 5", "the centre") and reads the
square it names first; ``find`` lists the empty squares a stretch of prose names, for the
replies that give no marked answer.

Only ASCII letters and digits make a square: a1 spelt with a Cyrillic a (U+0430) looks right
but is not what the model was asked to write, and guessing would play a move it may not have
meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from games.tictactoe.rules import Board, keypad_square, seat_label
from llm.answers import Found, Reading, RejectKind, normalise

# \b is Unicode-aware (no re.ASCII), so a1 with a Cyrillic a is one word and holds no square.
_SQUARE = re.compile(r"\b[a-cA-C][1-3]\b")
# A keypad digit in prose counts only behind a word that says it is a square: "I have 2
# options" names none.
_KEYPAD = re.compile(r"\b(?:square|cell|position|keypad|number|no\.)\s*#?\s*([1-9])\b", re.IGNORECASE)
# An answer that starts with a lone digit: "5", "**5**", "5.", "5 for the centre" (not "10",
# not "1.5").
_LEADING_DIGIT = re.compile(r"[\W_]*([1-9])(?![\d.,]?\d)\b")
# A square named in words: "the centre", "top-left corner", "middle right", "left middle".
# A lone "top" or "left", or "the middle row", names no single square.
_ROW_WORDS = "top|upper|middle|center|centre|bottom|lower"
_FILE_WORDS = "left|middle|center|centre|right"
_NAMED = re.compile(
    rf"\b(?:(?P<row>{_ROW_WORDS})[\s-]+(?P<file>{_FILE_WORDS})"
    rf"|(?P<side>left|right)[\s-]+(?P<side_row>{_ROW_WORDS})"
    rf"|(?P<alone>{_FILE_WORDS}))\b"
    r"(?![\s-]+(?:rows?|columns?|cols?|files?|ranks?|lines?|diagonals?|sides?)\b)",
    re.IGNORECASE,
)
_ROW_OF = {"top": "3", "upper": "3", "middle": "2", "center": "2", "centre": "2", "bottom": "1", "lower": "1"}
_FILE_OF = {"left": "a", "middle": "b", "center": "b", "centre": "b", "right": "c"}
# Shaped like a coordinate but not on this board ("d4", "a0", a1 in Cyrillic): an attempt at
# a square, so the model hears what is wrong with it.
_OFF_BOARD = re.compile(r"\b[^\W\d_][0-9]+\b")
_HOW = "name one empty square from a1 to c3 (column a-c from the left, row 1 at the bottom)"


@dataclass(frozen=True)
class TicTacToeReader:
    """The move reader of ``llm.answers.read_reply`` for ``seat`` on ``board``."""

    board: Board
    seat: str

    def read(self, text: str) -> Reading:
        text = normalise(text)
        square = _first_square(text)
        if square is None:
            return _unreadable(text)
        return self._check(square)

    def find(self, text: str) -> list[Found]:
        # A taken square in prose describes the board ("X holds b2"); it is never the choice,
        # and the last square found is what a reply without a marked answer plays.
        matches = [
            m
            for m in [*_SQUARE.finditer(text), *_KEYPAD.finditer(text)]
            if not self.board.mark(_square_of(m))
        ]
        return [Found(m.start(), m.end(), m.group()) for m in sorted(matches, key=lambda m: m.start())]

    def _check(self, square: str) -> Reading:
        if self.board.is_over():
            return Reading.reject(RejectKind.GAME_OVER, "The game is over.", square)
        if self.board.turn != self.seat:
            turn = self.board.turn or ""
            return Reading.reject(
                RejectKind.WRONG_SIDE,
                f"It is {seat_label(turn)}'s turn, not {seat_label(self.seat)}'s.",
                square,
            )
        holder = self.board.mark(square)
        if holder:
            empty = ", ".join(self.board.empty_squares())
            return Reading.reject(
                RejectKind.ILLEGAL,
                f"{square} is taken by {seat_label(holder)}; the empty squares are {empty}.",
                square,
            )
        return Reading.accept(square)


def _first_square(text: str) -> str | None:
    """The square an answer names first, by the surest kind of mention: a coordinate (what the
    model was asked for), then a leading keypad digit or "square 5", then words. A
    coordinate outranks a number before it, so "1. b2" is b2, not keypad 1."""
    coordinate = _SQUARE.search(text)
    if coordinate:
        return coordinate.group().lower()
    keypad = _LEADING_DIGIT.match(text) or _KEYPAD.search(text)
    if keypad:
        return keypad_square(int(keypad.group(1)))
    for m in _NAMED.finditer(text):
        square = _named_square(m)
        if square:
            return square
    return None


def _square_of(match: re.Match[str]) -> str:
    """The square of a ``_SQUARE`` or ``_KEYPAD`` match."""
    if match.re is _KEYPAD:
        return keypad_square(int(match.group(1)))
    return match.group().lower()


def _named_square(match: re.Match[str]) -> str | None:
    if match["alone"]:
        # "centre" alone is b2; "left" alone is a whole column.
        return "b2" if _FILE_OF[match["alone"].lower()] == "b" else None
    if match["row"]:
        return _FILE_OF[match["file"].lower()] + _ROW_OF[match["row"].lower()]
    return _FILE_OF[match["side"].lower()] + _ROW_OF[match["side_row"].lower()]


def _unreadable(text: str) -> Reading:
    attempt = _OFF_BOARD.search(text)
    if attempt:
        return Reading.reject(
            RejectKind.UNPARSEABLE,
            f"{attempt.group()!r} is not a square of this board: {_HOW}, in Latin letters.",
            attempt.group(),
        )
    return Reading.reject(RejectKind.NO_MOVE, f"Your answer names no square: {_HOW}.")
