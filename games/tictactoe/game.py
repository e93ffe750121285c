"""Tic-tac-toe as a game of the arena: the rules, bots, prompts and reader behind the protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from games.core.outcome import Outcome
from games.core.prompts import prompt_template
from games.core.protocol import (
    Bot,
    CorruptRecordError,
    Game,
    GameOverError,
    IllegalMoveError,
    MoveError,
    Reading,
    Step,
)
from games.tictactoe import rules
from games.tictactoe.bots import BOTS
from games.tictactoe.reply import TicTacToeReader
from games.tictactoe.rules import Board
from llm.answers import read_reply
from llm.types import Message

# The prompt templates of an LLM turn: the grid alone, or the grid and the empty squares.
PROTOCOLS = ("strict", "assisted")


class TicTacToe(Game[Board]):
    id = "tictactoe"
    order = 10
    name = "Tic-tac-toe"
    seats = rules.SEATS
    summary = "Three in a row on a 3x3 board: X moves first, and perfect play always draws."
    move_hint = "b2 or 5"
    terminations = rules.TERMINATIONS

    def seat_label(self, seat: str) -> str:
        return rules.seat_label(seat)

    # --- the record ----------------------------------------------------------------------
    def start(self, options: Mapping[str, Any]) -> str:
        # No options: every game starts from the empty board.
        return ""

    def replay(self, start: str, moves: Sequence[str]) -> Board:
        if start:
            raise CorruptRecordError(f"A tic-tac-toe record starts empty, not with {start[:40]!r}.")
        board = Board()
        for number, square in enumerate(moves, start=1):
            try:
                board = board.play(square)
            except MoveError as error:
                raise CorruptRecordError(f"Move {number} ({square[:20]!r}): {error}") from None
        return board

    def to_act(self, state: Board) -> frozenset[str]:
        turn = state.turn
        return frozenset() if turn is None else frozenset({turn})

    def legal(self, state: Board, seat: str) -> list[str]:
        return state.legal_moves() if state.turn == seat else []

    def read_move(self, state: Board, seat: str, text: str) -> str:
        if state.is_over():
            raise GameOverError("The game is over: no more moves can be played.")
        square = rules.parse_square(text)
        self._check_turn(state, seat)
        state.check(square)
        return square

    def apply(self, state: Board, moves: Mapping[str, str]) -> Step[Board]:
        if state.is_over():
            raise GameOverError("The game is over: no more moves can be played.")
        turn = state.turn or ""
        if set(moves) != {turn}:
            raise IllegalMoveError(f"It is {rules.seat_label(turn)}'s turn, and only theirs.")
        square = moves[turn]
        return Step(state.play(square), square, square, (turn,))

    def outcome(self, state: Board) -> Outcome | None:
        winner = state.winner()
        if winner is not None:
            return Outcome.win(self.seats, winner, rules.Termination.THREE_IN_A_ROW)
        if state.is_full():
            return Outcome.draw(self.seats, rules.Termination.FULL_BOARD)
        return None

    def position(self, state: Board) -> str:
        return state.position()

    def view(self, state: Board) -> dict[str, Any]:
        return {
            "board": state.rows(),
            "to_act": sorted(self.to_act(state)),
            "moves": list(state.moves),
            "line": list(state.line()),
        }

    # --- built-in players ----------------------------------------------------------------
    def bots(self) -> list[Bot[Board]]:
        return list(BOTS)

    # --- LLM players ---------------------------------------------------------------------
    def prompt(self, state: Board, seat: str, *, protocol: str, opponent: str) -> list[Message]:
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown prompt protocol {protocol!r}: use one of {PROTOCOLS}")
        values = _prompt_values(state, seat) | {"opponent": opponent}
        return [
            Message("system", prompt_template(__file__, "system").substitute(values)),
            Message("user", prompt_template(__file__, protocol).substitute(values)),
        ]

    def retry(self, state: Board, seat: str, reason: str) -> Message:
        values = _prompt_values(state, seat) | {"reason": reason}
        return Message("user", prompt_template(__file__, "retry").substitute(values))

    def read_reply(self, state: Board, seat: str, text: str) -> Reading:
        return read_reply(text, TicTacToeReader(state, seat))

    # --- pages ---------------------------------------------------------------------------
    def board(
        self, state: Board, *, viewer: Sequence[str], playable: Sequence[str], last: str | None
    ) -> dict[str, Any]:
        line = state.line()
        rows = [
            [_cell(state, square, last=last, line=line) for square in rules.READING_ORDER[i : i + 3]]
            for i in range(0, 9, 3)
        ]
        return {"rows": rows, "playable": state.turn is not None and state.turn in playable}

    @staticmethod
    def _check_turn(state: Board, seat: str) -> None:
        if state.turn != seat:
            raise IllegalMoveError(
                f"It is {rules.seat_label(state.turn or '')}'s turn, not {rules.seat_label(seat)}'s."
            )


def _cell(state: Board, square: str, *, last: str | None, line: tuple[str, ...]) -> dict[str, Any]:
    mark = state.mark(square)
    return {
        "square": square,
        "mark": mark,
        "label": f"{square}, {rules.seat_label(mark) if mark else 'empty'}",
        "last": square == last,
        "line": square in line,
    }


def _grid(state: Board) -> str:
    """The board with its coordinates, top row first, as the model reads it."""
    lines = ["  a b c"]
    for rank, row in zip(rules.RANKS, state.rows(), strict=True):
        lines.append(f"{rank} " + " ".join(rules.seat_label(mark) if mark else "." for mark in row))
    return "\n".join(lines)


def _moves_text(state: Board) -> str:
    if not state.moves:
        return "(none yet)"
    return ", ".join(
        f"{n}. {rules.seat_label(rules.SEATS[(n - 1) % 2])} {square}"
        for n, square in enumerate(state.moves, start=1)
    )


def _prompt_values(state: Board, seat: str) -> dict[str, str]:
    return {
        "mark": rules.seat_label(seat),
        "grid": _grid(state),
        "moves": _moves_text(state),
        "legal": " ".join(state.legal_moves()),
    }
