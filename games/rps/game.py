"""Rock-paper-scissors as an arena game: the protocol over games.rps.rules.

A simultaneous game: both seats act in every round, and a step is one revealed round. The
arena seals the first choice of a round until the second arrives, then calls ``apply`` with
both; nothing here ever receives or renders a single, sealed choice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from games.core.outcome import Outcome
from games.core.protocol import (
    Bot,
    Export,
    Game,
    GameOverError,
    GameRecord,
    IllegalMoveError,
    Option,
    Reading,
    RejectKind,
    Step,
)
from games.rps import bots, messages, rules
from games.rps.reply import RpsReader
from games.rps.rules import CHOICES, SEAT_LABELS, SEATS, State
from llm.answers import read_reply
from llm.types import Message


def _rounds(state: State) -> list[dict[str, Any]]:
    return [
        {"n": n, "p1": played.p1.value, "p2": played.p2.value, "winner": played.winner}
        for n, played in enumerate(state.rounds, start=1)
    ]


class RockPaperScissors(Game[State]):
    id = "rps"
    order = 30
    name = "Rock-paper-scissors"
    seats = SEATS
    simultaneous = True
    summary = (
        "Best of N rounds, both players choosing at once. A drawn round is replayed; "
        "the first to win a majority of the N wins."
    )
    move_hint = "rock, paper or scissors (r, p, s)"
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            name="best_of",
            label="Best of",
            kind="int",
            default=rules.DEFAULT_BEST_OF,
            help=(
                f"An odd number of rounds, {rules.MIN_BEST_OF} to {rules.MAX_BEST_OF}: "
                "the first to win a majority of them wins. Drawn rounds are replayed."
            ),
            min_value=rules.MIN_BEST_OF,
            max_value=rules.MAX_BEST_OF,
        ),
    )
    terminations = rules.TERMINATIONS

    # --- identity ------------------------------------------------------------------------
    def seat_label(self, seat: str) -> str:
        return SEAT_LABELS.get(seat, seat)

    # --- the record ----------------------------------------------------------------------
    def clean_options(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        value = raw.get("best_of")
        # An empty form field means "the default", like a missing key.
        if value is None or (isinstance(value, str) and not value.strip()):
            value = rules.DEFAULT_BEST_OF
        return {"best_of": rules.clean_best_of(value)}

    def start(self, options: Mapping[str, Any]) -> str:
        return rules.start_record(self.clean_options(options)["best_of"])

    def replay(self, start: str, moves: Sequence[str]) -> State:
        return rules.replay(start, moves)

    def to_act(self, state: State) -> frozenset[str]:
        return frozenset() if state.is_over else frozenset(SEATS)

    def legal(self, state: State, seat: str) -> list[str]:
        return list(CHOICES) if seat in self.to_act(state) else []

    def read_move(self, state: State, seat: str, text: str) -> str:
        if state.is_over:
            raise GameOverError("The match is over.")
        if seat not in SEATS:
            raise IllegalMoveError(f"No such seat: {seat!r}.")
        return rules.parse_choice(text).value

    def apply(self, state: State, moves: Mapping[str, str]) -> Step[State]:
        after, played = state.play(moves)
        return Step(after, played.to_record(), played.label, SEATS)

    def decode_step(self, state: State, record: str) -> dict[str, str]:
        played = rules.Round.from_record(record)
        return {"p1": played.p1.value, "p2": played.p2.value}

    def outcome(self, state: State) -> Outcome | None:
        return state.outcome()

    def position(self, state: State) -> str:
        n = len(state.rounds)
        return f"{state.wins('p1')}-{state.wins('p2')} after {n} round{'' if n == 1 else 's'}"

    def view(self, state: State) -> dict[str, Any]:
        return {
            "best_of": state.best_of,
            "wins_needed": state.wins_needed,
            "round_cap": state.round_cap,
            "rounds": _rounds(state),
            "score": state.score,
            "to_act": sorted(self.to_act(state)),
        }

    # --- built-in players ----------------------------------------------------------------
    def bots(self) -> list[Bot[State]]:
        return list(bots.BOTS)

    # --- LLM players ---------------------------------------------------------------------
    def prompt(self, state: State, seat: str, *, protocol: str, opponent: str) -> list[Message]:
        return messages.prompt_messages(state, seat, protocol=protocol, opponent=opponent)

    def retry(self, state: State, seat: str, reason: str) -> Message:
        return messages.retry_message(state, seat, reason)

    def read_reply(self, state: State, seat: str, text: str) -> Reading:
        if state.is_over:
            return Reading.reject(RejectKind.GAME_OVER, "The match is over.")
        return read_reply(text, RpsReader())

    # --- pages and files -----------------------------------------------------------------
    def board(
        self, state: State, *, viewer: Sequence[str], playable: Sequence[str], last: str | None
    ) -> dict[str, Any]:
        rounds = [
            {**row, "winner_label": SEAT_LABELS[row["winner"]] if row["winner"] else "Draw", "last": False}
            for row in _rounds(state)
        ]
        if rounds and last is not None:
            rounds[-1]["last"] = True
        return {
            "best_of": state.best_of,
            "wins_needed": state.wins_needed,
            "round": len(state.rounds) + 1,
            "rounds_left": state.rounds_left,
            # "(you)" only helps when the viewer plays one seat, not both at one screen.
            "score": [
                {
                    "seat": seat,
                    "label": SEAT_LABELS[seat],
                    "wins": state.wins(seat),
                    "you": [seat] == list(viewer),
                }
                for seat in SEATS
            ],
            "rounds": rounds,
            "labels": [SEAT_LABELS[seat] for seat in SEATS],
            "choices": [
                {"value": choice.value, "label": choice.value.capitalize(), "sign": rules.SIGNS[choice]}
                for choice in rules.Choice
            ],
            "playable": [
                {"seat": seat, "label": SEAT_LABELS[seat]}
                for seat in SEATS
                if seat in playable and seat in self.to_act(state)
            ],
            # Filled by the arena with the labels of seats whose choice is sealed this round.
            "chosen": [],
            "over": state.is_over,
        }

    def export(self, record: GameRecord) -> Export:
        state = self.replay(record.start, record.moves)
        data: dict[str, Any] = {
            "game": self.id,
            **dict(record.headers),
            "players": dict(record.players),
            "start": record.start,
            "best_of": state.best_of,
            "rounds": [{**row, "move": move} for row, move in zip(_rounds(state), record.moves, strict=True)],
            "score": state.score,
            "outcome": None,
        }
        if record.outcome is not None:
            data["outcome"] = {**record.outcome.to_dict(), "description": self.describe(record.outcome)}
        return Export(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "application/json", "json")
