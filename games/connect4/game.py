"""Connect Four as a game of the arena: the rules, bots, prompts and reader behind the protocol."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from games.connect4 import bots, rules
from games.connect4.reply import ConnectFourReader
from games.connect4.rules import HEIGHT, WIDTH, Disc, State, column_number
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
from llm.answers import read_reply
from llm.types import Message

SEATS = (Disc.RED.value, Disc.YELLOW.value)
# strict: the grid and the moves so far; assisted: also the columns with room.
PROTOCOLS = ("strict", "assisted")
_RECORD_MOVES = frozenset(column_number(column) for column in range(WIDTH))


class ConnectFour(Game[State]):
    id = "connect4"
    order = 20
    name = "Connect Four"
    seats = SEATS
    summary = (
        "Drop discs into a 7-column, 6-row grid: the first to line up four across, up or diagonally "
        "wins, and Red moves first."
    )
    move_hint = "4 (a column, 1-7)"
    terminations = {rules.FOUR_IN_A_ROW: "four in a row", rules.FULL_BOARD: "a full board"}

    def seat_label(self, seat: str) -> str:
        return Disc(seat).label if seat in SEATS else seat.capitalize()

    # --- the record ----------------------------------------------------------------------
    def start(self, options: Mapping[str, Any]) -> str:
        # No options: every game starts from the empty grid.
        return ""

    def replay(self, start: str, moves: Sequence[str]) -> State:
        if start:
            raise CorruptRecordError(f"A Connect Four record starts empty, not with {start[:40]!r}.")
        state = State()
        for number, move in enumerate(moves, start=1):
            # The record holds canonical digits only: "column 4" was read into "4" when played.
            if move not in _RECORD_MOVES:
                raise CorruptRecordError(f"Move {number} ({move[:20]!r}) is not a column digit 1 to 7.")
            try:
                state = state.play(int(move) - 1)
            except MoveError as error:
                raise CorruptRecordError(f"Move {number} ({move!r}): {error}") from None
        return state

    def to_act(self, state: State) -> frozenset[str]:
        return frozenset() if state.is_over() else frozenset({state.turn.value})

    def legal(self, state: State, seat: str) -> list[str]:
        if seat != state.turn.value:
            return []
        return [column_number(column) for column in state.legal_columns()]

    def read_move(self, state: State, seat: str, text: str) -> str:
        if state.is_over():
            raise GameOverError(f"The game is over: {state.describe_end()}.")
        column = rules.parse_column(text)
        if seat != state.turn.value:
            raise IllegalMoveError(f"It is {state.turn.label}'s turn, not {self.seat_label(seat)}'s.")
        if not state.can_play(column):
            raise IllegalMoveError(rules.full_column_reason(state, column))
        return column_number(column)

    def apply(self, state: State, moves: Mapping[str, str]) -> Step[State]:
        if state.is_over():
            raise GameOverError(f"The game is over: {state.describe_end()}.")
        turn = state.turn.value
        if set(moves) != {turn}:
            raise IllegalMoveError(f"It is {state.turn.label}'s turn, and only theirs.")
        move = self.read_move(state, turn, moves[turn])
        return Step(state.play(int(move) - 1), move, move, (turn,))

    def outcome(self, state: State) -> Outcome | None:
        winner = state.winner()
        if winner is not None:
            return Outcome.win(self.seats, winner.value, rules.FOUR_IN_A_ROW)
        if state.is_full():
            return Outcome.draw(self.seats, rules.FULL_BOARD)
        return None

    def position(self, state: State) -> str:
        return state.to_text()

    def view(self, state: State) -> dict[str, Any]:
        return {
            "rows": state.rows(),
            "heights": list(state.heights),
            "to_act": sorted(self.to_act(state)),
            "last": None if state.last is None else column_number(state.last),
        }

    # --- built-in players ----------------------------------------------------------------
    def bots(self) -> list[Bot[State]]:
        return [
            Bot("random", "Random mover", _choose_random),
            *(Bot(level.ref, level.label, _searcher(level)) for level in bots.LEVELS.values()),
        ]

    # --- LLM players ---------------------------------------------------------------------
    def prompt(self, state: State, seat: str, *, protocol: str, opponent: str) -> list[Message]:
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown prompt protocol {protocol!r}: use one of {PROTOCOLS}")
        values = _prompt_values(state, seat) | {"opponent": opponent}
        return [
            Message("system", prompt_template(__file__, "system").substitute(values)),
            Message("user", prompt_template(__file__, protocol).substitute(values)),
        ]

    def retry(self, state: State, seat: str, reason: str) -> Message:
        values = _prompt_values(state, seat) | {"reason": reason}
        return Message("user", prompt_template(__file__, "retry").substitute(values))

    def read_reply(self, state: State, seat: str, text: str) -> Reading:
        return read_reply(text, ConnectFourReader(state, seat))

    # --- pages ---------------------------------------------------------------------------
    def board(
        self, state: State, *, viewer: Sequence[str], playable: Sequence[str], last: str | None
    ) -> dict[str, Any]:
        # The last disc sits on top of its column; ``last`` is the last step's record.
        last_cell = 0
        if last in _RECORD_MOVES and state.heights[int(last) - 1]:
            column = int(last) - 1
            last_cell = rules.bit(column, state.heights[column] - 1)
        winning = state.winning_cells()
        rows = [
            [_cell(state, column, row, last=last_cell, winning=winning) for column in range(WIDTH)]
            for row in reversed(range(HEIGHT))
        ]
        can_play = not state.is_over() and state.turn.value in playable
        columns = [{"n": column_number(c), "open": state.can_play(c)} for c in range(WIDTH)]
        return {"rows": rows, "columns": columns, "playable": can_play}


def _cell(state: State, column: int, row: int, *, last: int, winning: int) -> dict[str, Any]:
    disc = state.at(column, row)
    cell = rules.bit(column, row)
    name = disc.label if disc is not None else "empty"
    return {
        "disc": disc.value if disc is not None else "",
        "last": bool(last & cell),
        "winning": bool(winning & cell),
        "label": f"column {column_number(column)}, row {row + 1}: {name}",
    }


def _choose_random(state: State, seat: str, rng: random.Random) -> str:
    return column_number(bots.random_column(state, rng))


def _searcher(level: bots.Level) -> Callable[[State, str, random.Random], str]:
    def choose(state: State, seat: str, rng: random.Random) -> str:
        return column_number(bots.decide(state, level, rng).column)

    return choose


def grid(state: State) -> str:
    """The board as the model reads it: rows top first, column numbers underneath."""
    lines = [" ".join(row) for row in state.rows()]
    lines.append(" ".join(column_number(column) for column in range(WIDTH)))
    return "\n".join(lines)


def _moves_text(state: State) -> str:
    if not state.history:
        return "(none yet)"
    return ", ".join(
        f"{n}. {Disc(SEATS[(n - 1) % 2]).label} {column_number(column)}"
        for n, column in enumerate(state.history, start=1)
    )


def _prompt_values(state: State, seat: str) -> dict[str, str]:
    disc = Disc(seat)
    return {
        "side": disc.label,
        "letter": disc.letter,
        "other": disc.other.label,
        "other_letter": disc.other.letter,
        "grid": grid(state),
        "moves": _moves_text(state),
        "legal": ", ".join(column_number(column) for column in state.legal_columns()),
    }
