"""The interface every game implements, and the small value types it speaks.

A match stores a game as its *record*: a start string (chess: a FEN; other games: their
options) plus the list of steps played, each in the game's own notation (chess: UCI). Moves
cross this interface as those notation strings, so what is typed, clicked, stored, replayed,
exported and sent to an LLM is one and the same text.

A *step* applies one move per acting seat: one seat in a turn-based game, every seat at once
in a simultaneous round (rock-paper-scissors). Choices of a round that is not complete yet
are *sealed*: the arena keeps them apart from the record and passes them to ``apply`` only
when every seat has chosen, so no state, view or export of a game can ever contain them.
"""

from __future__ import annotations

import json
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from games.core.outcome import CORE_TERMINATIONS, Outcome
from llm.answers import Reading, RejectKind
from llm.types import Message

__all__ = [  # Reading and RejectKind are re-exported: games speak of readings through the core
    "Bot",
    "CorruptRecordError",
    "Export",
    "Game",
    "GameOverError",
    "GameRecord",
    "IllegalMoveError",
    "InvalidOptionsError",
    "MoveCell",
    "MoveError",
    "MoveRow",
    "Option",
    "Reading",
    "RejectKind",
    "Step",
    "UnparseableMoveError",
]

S = TypeVar("S")


class MoveError(ValueError):
    """A move that cannot be played; the message is meant for the player (or the model)."""


class UnparseableMoveError(MoveError):
    """The text is not a move in the game's notation."""


class IllegalMoveError(MoveError):
    """The text names a move that the rules forbid now."""


class GameOverError(MoveError):
    """The game has already ended."""


class InvalidOptionsError(ValueError):
    """Options a game cannot start from; ``field`` names the offending option."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class CorruptRecordError(ValueError):
    """A stored record that does not replay (a move the rules refuse, a bad start)."""


@dataclass(frozen=True)
class Option:
    """A start option of a game, shown in the new-match form and listed by the API."""

    name: str
    label: str
    kind: str = "text"  # "text" | "int" | "choice"
    default: str | int = ""
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    placeholder: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "type": self.kind, "default": self.default}
        if self.help:
            data["help"] = self.help
        if self.choices:
            data["choices"] = [value for value, _ in self.choices]
        if self.min_value is not None:
            data["min"] = self.min_value
        if self.max_value is not None:
            data["max"] = self.max_value
        return data


@dataclass(frozen=True)
class Step(Generic[S]):
    """What one applied step leaves behind: the new state, the step in stored notation, its
    label for the move list (chess: SAN) and the seats that acted."""

    state: S
    record: str
    label: str
    seats: tuple[str, ...]


@dataclass(frozen=True)
class Bot(Generic[S]):
    """A built-in player: ``choose(state, seat, rng)`` returns a legal move in notation."""

    ref: str  # how a match stores it: "random", "engine:2", "perfect" ...
    label: str
    choose: Callable[[S, str, random.Random], str]
    available: bool = True  # listed for new matches (Stockfish only when installed)


@dataclass(frozen=True)
class Export:
    """A finished or running game as a file people download."""

    text: str
    content_type: str
    extension: str


@dataclass(frozen=True)
class GameRecord:
    """What an export is made of: the record plus who played and how it ended."""

    start: str
    moves: Sequence[str]
    labels: Sequence[str]
    players: Mapping[str, str]  # seat -> label
    outcome: Outcome | None
    headers: Mapping[str, str] = field(default_factory=dict)  # event, site, date, match id


@dataclass(frozen=True)
class MoveCell:
    ply: int
    label: str


@dataclass(frozen=True)
class MoveRow:
    """One line of the move list: a number and one cell per column (None: nothing there)."""

    number: int
    cells: tuple[MoveCell | None, ...]


class Game(ABC, Generic[S]):
    """One game of the arena. Subclasses are stateless singletons (see games.core.registry)."""

    id: ClassVar[str]
    name: ClassVar[str]
    seats: ClassVar[tuple[str, ...]]
    simultaneous: ClassVar[bool] = False
    # Where the game is listed (home page, forms, API): lower first.
    order: ClassVar[int] = 100
    # Shown under the new-match form and on the home page.
    summary: ClassVar[str] = ""
    # The placeholder of the typed-move field, e.g. "b2 or 5".
    move_hint: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = ()
    # Labels of the game's own terminations ({"checkmate": "checkmate", ...}).
    terminations: ClassVar[Mapping[str, str]] = {}
    # Columns of the move list: chess shows White and Black side by side.
    move_columns: ClassVar[int] = 1
    # A copyable text of the position on the match page ("FEN"), or "" for none.
    position_label: ClassVar[str] = ""
    # What the download link says ("PGN"); the default export is a JSON record.
    export_label: ClassVar[str] = "JSON record"
    # Static scripts the board needs (click-to-move), loaded by every page.
    scripts: ClassVar[tuple[str, ...]] = ()

    # --- identity ------------------------------------------------------------------------
    def seat_label(self, seat: str) -> str:
        return seat.capitalize()

    def termination_label(self, termination: str) -> str:
        return self.terminations.get(termination) or CORE_TERMINATIONS.get(termination) or termination

    def describe(self, outcome: Outcome) -> str:
        """ "White wins by checkmate", "Draw by a full board", "Aborted: provider error"."""
        label = self.termination_label(outcome.termination)
        if not outcome.has_result:
            return f"Aborted: {label}"
        if outcome.winner is None:
            return f"Draw by {label}"
        return f"{self.seat_label(outcome.winner)} wins by {label}"

    # --- the record ----------------------------------------------------------------------
    def clean_options(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Validated options from form or JSON values (missing ones take their default)."""
        return {option.name: raw.get(option.name, option.default) for option in self.options}

    def options_from(self, start: str) -> dict[str, Any]:
        """The options a start record was made from (a rematch starts from them)."""
        return {}

    @abstractmethod
    def start(self, options: Mapping[str, Any]) -> str:
        """The start of the record for these (cleaned) options; raises InvalidOptionsError."""

    @abstractmethod
    def replay(self, start: str, moves: Sequence[str]) -> S:
        """The state after ``moves`` from ``start``; raises CorruptRecordError."""

    @abstractmethod
    def to_act(self, state: S) -> frozenset[str]:
        """The seats that must act now (empty once the game is over)."""

    @abstractmethod
    def legal(self, state: S, seat: str) -> list[str]:
        """The moves ``seat`` may play now, in notation (empty when it need not act)."""

    @abstractmethod
    def read_move(self, state: S, seat: str, text: str) -> str:
        """A typed or clicked move of ``seat`` in notation; raises MoveError saying why not."""

    @abstractmethod
    def apply(self, state: S, moves: Mapping[str, str]) -> Step[S]:
        """Play one step: one legal move for each seat of ``to_act(state)``."""

    @abstractmethod
    def outcome(self, state: S) -> Outcome | None:
        """How the game ended by its rules, or None while it goes on."""

    @abstractmethod
    def position(self, state: S) -> str:
        """A short text of the state (chess: the FEN), stored with each step."""

    @abstractmethod
    def view(self, state: S) -> dict[str, Any]:
        """The state as JSON for the API. States never hold sealed choices."""

    def note(self, state: S) -> str:
        """A remark for the status line (chess: " Check!")."""
        return ""

    def api_fields(self, start: str, state: S) -> dict[str, Any]:
        """Extra top-level fields of the match JSON (chess keeps ``start_fen`` and ``fen``)."""
        return {}

    def move_fields(self, record: str, label: str) -> dict[str, Any]:
        """Extra fields of a move in the match JSON (chess keeps ``uci`` and ``san``)."""
        return {}

    def claimable(self, state: S, seat: str) -> str | None:
        """A draw ``seat`` may claim now (its termination), if the rules have one."""
        return None

    def decode_step(self, state: S, record: str) -> dict[str, str]:
        """The moves of a stored step, by seat (turn-based: the one seat to act)."""
        (seat,) = self.to_act(state)
        return {seat: record}

    # --- built-in players ----------------------------------------------------------------
    @abstractmethod
    def bots(self) -> list[Bot[S]]:
        """Every bot of the game, unavailable ones included (flagged)."""

    def bot(self, ref: str) -> Bot[S] | None:
        return next((bot for bot in self.bots() if bot.ref == ref), None)

    # --- LLM players ---------------------------------------------------------------------
    @abstractmethod
    def prompt(self, state: S, seat: str, *, protocol: str, opponent: str) -> list[Message]:
        """The opening messages of an LLM turn: the rules of the reply, then the state."""

    @abstractmethod
    def retry(self, state: S, seat: str, reason: str) -> Message:
        """The re-ask after a rejected reply, carrying the reason."""

    @abstractmethod
    def read_reply(self, state: S, seat: str, text: str) -> Reading:
        """A tolerant reading of a model's reply, checked against the legal moves."""

    # --- pages and files -----------------------------------------------------------------
    @property
    def board_template(self) -> str:
        return f"games/{self.id}/_board.html"

    @abstractmethod
    def board(
        self, state: S, *, viewer: Sequence[str], playable: Sequence[str], last: str | None
    ) -> dict[str, Any]:
        """The context of the board partial: ``viewer`` the seats the viewer plays,
        ``playable`` the seats they may move now, ``last`` the last step's record."""

    def move_rows(self, start: str, labels: Sequence[str]) -> list[MoveRow]:
        """The move list: one numbered row per step (chess pairs them by move number)."""
        return [MoveRow(n, (MoveCell(n, label),)) for n, label in enumerate(labels, start=1)]

    def export(self, record: GameRecord) -> Export:
        """A plain JSON record; chess overrides this with PGN."""
        data: dict[str, Any] = {
            "game": self.id,
            **dict(record.headers),
            "players": dict(record.players),
            "start": record.start,
            "moves": [
                {"n": n, "move": move, "label": label}
                for n, (move, label) in enumerate(zip(record.moves, record.labels, strict=True), start=1)
            ],
            "outcome": None,
        }
        if record.outcome is not None:
            data["outcome"] = {**record.outcome.to_dict(), "description": self.describe(record.outcome)}
        return Export(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "application/json", "json")
