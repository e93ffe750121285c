"""Rock-paper-scissors, best of N: plain Python, no Django, no I/O.

A :class:`State` is the number of counted rounds (``best_of``) plus the rounds revealed so far,
which is exactly what a match stores: the start ``best_of=5`` and one step per round, ``rock
paper`` (Player 1's choice, then Player 2's). A round that is not complete yet has no place
here: the arena keeps a sealed choice apart from the state, so nothing derived from a state
(a view, a board, a prompt, an export) can reveal one.

A drawn round is replayed and does not count toward the N. The match ends when a seat has a
majority of the N (``best_of // 2 + 1`` round wins), or after ``3 * best_of`` rounds in all,
draws included, so that two players who keep matching each other still finish.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from games.core.outcome import Outcome
from games.core.protocol import (
    CorruptRecordError,
    GameOverError,
    InvalidOptionsError,
    MoveError,
    UnparseableMoveError,
)

SEATS = ("p1", "p2")
SEAT_LABELS: Mapping[str, str] = {"p1": "Player 1", "p2": "Player 2"}

MIN_BEST_OF = 1
MAX_BEST_OF = 15
DEFAULT_BEST_OF = 5
# Rounds in all (draws included) per counted round: the cap that keeps a match finite.
CAP_FACTOR = 3

ROUNDS_WON = "rounds_won"
ROUND_CAP = "round_cap"
TERMINATIONS: Mapping[str, str] = {ROUNDS_WON: "a majority of rounds", ROUND_CAP: "the round limit"}


class Choice(enum.StrEnum):
    ROCK = "rock"
    PAPER = "paper"
    SCISSORS = "scissors"

    @property
    def beats(self) -> Choice:
        return _BEATS[self]

    @property
    def beaten_by(self) -> Choice:
        return _BEATEN_BY[self]


_BEATS = {Choice.ROCK: Choice.SCISSORS, Choice.PAPER: Choice.ROCK, Choice.SCISSORS: Choice.PAPER}
_BEATEN_BY = {loser: winner for winner, loser in _BEATS.items()}
CHOICES: tuple[str, ...] = tuple(choice.value for choice in Choice)
CHOICES_TEXT = "rock, paper or scissors"

# The hand signs shown on the buttons: ✊ raised fist, ✋ raised hand, ✌️ victory hand (with
# the variation selector U+FE0F that asks for the emoji rather than the text glyph).
SIGNS: Mapping[Choice, str] = {Choice.ROCK: "\u270a", Choice.PAPER: "\u270b", Choice.SCISSORS: "\u270c\ufe0f"}


def _bare(text: str) -> str:
    """Without variation selectors: "✌️" and "✌" are the same sign."""
    return text.replace("\ufe0f", "")


# What a person may type or click: the word, its initial, or a hand sign.
_ALIASES: Mapping[str, Choice] = {
    **{choice.value: choice for choice in Choice},
    **{_bare(sign): choice for choice, sign in SIGNS.items()},
    "r": Choice.ROCK,
    "p": Choice.PAPER,
    "s": Choice.SCISSORS,
    "scissor": Choice.SCISSORS,
}


def parse_choice(text: str) -> Choice:
    """A typed or clicked choice: "rock", "R", "Paper!", "✌️"; raises UnparseableMoveError."""
    key = _bare(text).strip().strip(".!").strip().lower()
    choice = _ALIASES.get(key)
    if choice is None:
        shown = text.strip()[:40]
        raise UnparseableMoveError(f"{shown!r} is not a choice; choose {CHOICES_TEXT} (or r, p, s).")
    return choice


def other_seat(seat: str) -> str:
    return SEATS[1] if seat == SEATS[0] else SEATS[0]


@dataclass(frozen=True)
class Round:
    """One revealed round: both choices, by seat."""

    p1: Choice
    p2: Choice

    def choice(self, seat: str) -> Choice:
        return self.p1 if seat == "p1" else self.p2

    @property
    def winner(self) -> str | None:
        """The seat that won the round, or None for a draw (the round is replayed)."""
        if self.p1 == self.p2:
            return None
        return "p1" if self.p1.beats == self.p2 else "p2"

    def to_record(self) -> str:
        return f"{self.p1} {self.p2}"

    @property
    def label(self) -> str:
        return f"{self.p1} vs {self.p2}"

    @classmethod
    def from_record(cls, record: str) -> Round:
        """The stored step, exactly as :meth:`to_record` writes it; raises CorruptRecordError."""
        parts = record.split(" ")
        if len(parts) != 2 or any(part not in CHOICES for part in parts):
            raise CorruptRecordError(f"{record[:60]!r} is not a round: expected two of {', '.join(CHOICES)}")
        return cls(Choice(parts[0]), Choice(parts[1]))


def clean_best_of(value: Any) -> int:
    """``best_of`` from a form or JSON value (an int or its digits); raises InvalidOptionsError."""
    # bool is an int in Python: True must not pass for best of 1.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidOptionsError("best_of", f"Best of must be a whole number, not {value!r}.")
    if isinstance(value, str):
        if not re.fullmatch(r"[+-]?\d{1,6}", value.strip()):
            raise InvalidOptionsError(
                "best_of", f"Best of must be a whole number, not {value.strip()[:20]!r}."
            )
        value = int(value)
    if not MIN_BEST_OF <= value <= MAX_BEST_OF:
        raise InvalidOptionsError(
            "best_of", f"Best of must be between {MIN_BEST_OF} and {MAX_BEST_OF}, not {value}."
        )
    if value % 2 == 0:
        # An even N could end level with every counted round played.
        raise InvalidOptionsError("best_of", f"Best of must be odd (1, 3, 5 ... {MAX_BEST_OF}), not {value}.")
    return value


def start_record(best_of: int) -> str:
    return f"best_of={best_of}"


def parse_start(start: str) -> int:
    """``best_of`` of a stored start ("best_of=5"); raises CorruptRecordError."""
    match = re.fullmatch(r"best_of=(\d{1,2})", start)
    if match is None:
        raise CorruptRecordError(f"{start[:60]!r} is not a rock-paper-scissors start: expected best_of=<N>")
    try:
        return clean_best_of(int(match.group(1)))
    except InvalidOptionsError as error:
        raise CorruptRecordError(f"{start!r}: {error.message}") from None


@dataclass(frozen=True)
class State:
    """The match so far: the counted rounds it is played over and every revealed round."""

    best_of: int = DEFAULT_BEST_OF
    rounds: tuple[Round, ...] = ()

    @property
    def wins_needed(self) -> int:
        return self.best_of // 2 + 1

    @property
    def round_cap(self) -> int:
        return CAP_FACTOR * self.best_of

    @property
    def rounds_left(self) -> int:
        """Rounds that may still be played before the cap (the match may end sooner)."""
        return max(self.round_cap - len(self.rounds), 0)

    def wins(self, seat: str) -> int:
        return sum(1 for played in self.rounds if played.winner == seat)

    @property
    def score(self) -> dict[str, int]:
        return {seat: self.wins(seat) for seat in SEATS}

    @property
    def draws(self) -> int:
        return sum(1 for played in self.rounds if played.winner is None)

    def outcome(self) -> Outcome | None:
        score = self.score
        for seat in SEATS:
            if score[seat] >= self.wins_needed:
                return Outcome.win(SEATS, seat, ROUNDS_WON)
        if len(self.rounds) < self.round_cap:
            return None
        if score["p1"] == score["p2"]:
            return Outcome.draw(SEATS, ROUND_CAP)
        return Outcome.win(SEATS, max(SEATS, key=score.__getitem__), ROUND_CAP)

    @property
    def is_over(self) -> bool:
        return self.outcome() is not None

    def play(self, choices: Mapping[str, str]) -> tuple[State, Round]:
        """The state after one revealed round: a choice for every seat, in notation."""
        if self.is_over:
            raise GameOverError("The match is over.")
        missing = [SEAT_LABELS[seat] for seat in SEATS if seat not in choices]
        if missing:
            raise MoveError(f"A round needs both choices; missing: {', '.join(missing)}.")
        unknown = sorted(set(choices) - set(SEATS))
        if unknown:
            raise MoveError(f"No such seat: {', '.join(unknown)}.")
        played = Round(parse_choice(choices["p1"]), parse_choice(choices["p2"]))
        return State(self.best_of, (*self.rounds, played)), played


def replay(start: str, moves: Sequence[str]) -> State:
    state = State(parse_start(start))
    for n, record in enumerate(moves, start=1):
        try:
            played = Round.from_record(record)
            state, _ = state.play({"p1": played.p1, "p2": played.p2})
        except (CorruptRecordError, MoveError) as error:
            raise CorruptRecordError(f"round {n}: {error}") from None
    return state
