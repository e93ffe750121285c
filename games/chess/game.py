"""Chess on the game protocol: python-chess rules, the Arena engine and Stockfish, PGN."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import chess

from games.chess import bots
from games.chess.board import board_svg
from games.chess.rules import (
    SEATS,
    STARTING_FEN,
    TERMINATION_LABELS,
    ChessGame,
    IllegalMoveError,
    InvalidPositionError,
    color_name,
    validate_fen,
)
from games.core.prompts import prompt_template
from games.core.protocol import (
    Bot,
    CorruptRecordError,
    Export,
    Game,
    GameRecord,
    InvalidOptionsError,
    MoveCell,
    MoveRow,
    Option,
    Reading,
    Step,
)
from llm.types import Message


def _random(state: ChessGame, seat: str, rng: random.Random) -> str:
    return bots.random_move(state.board, rng).uci()


def _engine(level: int) -> Any:
    def choose(state: ChessGame, seat: str, rng: random.Random) -> str:
        return bots.engine_move(state.board, level, rng=rng).uci()

    return choose


def _stockfish(skill: int) -> Any:
    def choose(state: ChessGame, seat: str, rng: random.Random) -> str:
        return bots.stockfish_move(state.board, skill).uci()

    return choose


class Chess(Game[ChessGame]):
    id = "chess"
    order = 0
    name = "Chess"
    seats = SEATS
    summary = "FIDE chess from the standard position or any FEN, with PGN export."
    move_hint = "e4, Nf3, O-O or e2e4"
    options = (
        Option(
            "fen",
            "Start position (FEN)",
            help="Leave empty for the standard position, or paste a FEN.",
            placeholder=STARTING_FEN,
        ),
    )
    terminations = TERMINATION_LABELS
    move_columns = 2
    position_label = "FEN"
    export_label = "PGN"
    scripts = ("games/chess/board.js",)

    # --- the record ----------------------------------------------------------------------
    def clean_options(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        text = str(raw.get("fen") or "").strip()
        if not text:
            return {"fen": STARTING_FEN}
        if len(text) > 120:
            raise InvalidOptionsError("fen", "A FEN is at most 120 characters.")
        try:
            return {"fen": validate_fen(text)}
        except InvalidPositionError as exc:
            raise InvalidOptionsError("fen", str(exc)) from None

    def options_from(self, start: str) -> dict[str, Any]:
        return {"fen": start or STARTING_FEN}

    def start(self, options: Mapping[str, Any]) -> str:
        return str(options.get("fen") or STARTING_FEN)

    def replay(self, start: str, moves: Sequence[str]) -> ChessGame:
        try:
            return ChessGame(start or STARTING_FEN, moves)
        except ValueError as exc:
            raise CorruptRecordError(str(exc)) from None

    def to_act(self, state: ChessGame) -> frozenset[str]:
        return frozenset() if state.is_over() else frozenset({state.seat})

    def legal(self, state: ChessGame, seat: str) -> list[str]:
        return state.legal_moves() if seat in self.to_act(state) else []

    def read_move(self, state: ChessGame, seat: str, text: str) -> str:
        if not state.is_over() and seat != state.seat:
            raise IllegalMoveError(
                f"It is {self.seat_label(state.seat)}'s turn, not {self.seat_label(seat)}'s."
            )
        return state.parse_move(text).uci()

    def apply(self, state: ChessGame, moves: Mapping[str, str]) -> Step[ChessGame]:
        if set(moves) != {state.seat}:
            raise IllegalMoveError(f"It is {self.seat_label(state.seat)}'s turn.")
        after = state.copy()
        record = after.play(moves[state.seat])
        return Step(after, record.uci, record.san, (color_name(record.color),))

    def outcome(self, state: ChessGame) -> Any:
        return state.outcome()

    def position(self, state: ChessGame) -> str:
        return state.fen()

    def view(self, state: ChessGame) -> dict[str, Any]:
        return {"fen": state.fen(), "turn": state.seat, "check": state.is_check()}

    def note(self, state: ChessGame) -> str:
        return " Check!" if state.is_check() else ""

    def api_fields(self, start: str, state: ChessGame) -> dict[str, Any]:
        return {"start_fen": start or STARTING_FEN, "fen": state.fen()}

    def move_fields(self, record: str, label: str) -> dict[str, Any]:
        return {"uci": record, "san": label}

    def claimable(self, state: ChessGame, seat: str) -> str | None:
        if seat != state.seat:
            return None
        claim = state.claimable_draw()
        return None if claim is None else str(claim)

    # --- built-in players ----------------------------------------------------------------
    def bots(self) -> list[Bot[ChessGame]]:
        found: list[Bot[ChessGame]] = [Bot("random", "Random mover", _random)]
        found += [
            Bot(f"engine:{level}", f"Arena engine {level} ({name})", _engine(level))
            for level, name in bots.ENGINE_LEVELS.items()
        ]
        installed = bots.stockfish_path() is not None
        found += [
            Bot(f"stockfish:{skill}", f"Stockfish skill {skill} ({name})", _stockfish(skill), installed)
            for skill, name in bots.STOCKFISH_SKILLS.items()
        ]
        return found

    # --- LLM players ---------------------------------------------------------------------
    def prompt(self, state: ChessGame, seat: str, *, protocol: str, opponent: str) -> list[Message]:
        board = state.board
        history = chess.Board(state.start_fen).variation_san(board.move_stack) if state.ply_count else None
        values = {
            "side": self.seat_label(seat),
            "opponent": opponent,
            "fen": board.fen(),
            "moves": history or "(none yet)",
            "check": " You are in check." if board.is_check() else "",
            "legal": " ".join(sorted(board.san(m) for m in board.legal_moves)),
        }
        return [
            Message("system", prompt_template(__file__, "system").substitute(values)),
            Message("user", prompt_template(__file__, protocol).substitute(values)),
        ]

    def retry(self, state: ChessGame, seat: str, reason: str) -> Message:
        values = {"reason": reason, "fen": state.fen(), "side": self.seat_label(seat)}
        return Message("user", prompt_template(__file__, "retry").substitute(values))

    def read_reply(self, state: ChessGame, seat: str, text: str) -> Reading:
        # Lazy: the reply reader is a large module that only runner tasks need.
        from games.chess.reply import read_reply

        return read_reply(text, state.board)

    # --- pages and files -----------------------------------------------------------------
    def board(
        self, state: ChessGame, *, viewer: Sequence[str], playable: Sequence[str], last: str | None
    ) -> dict[str, Any]:
        board = state.board
        orientation = chess.BLACK if list(viewer) == ["black"] else chess.WHITE
        lastmove = chess.Move.from_uci(last) if last else None
        legal = state.legal_moves() if state.seat in playable else []
        return {"svg": board_svg(board, orientation=orientation, lastmove=lastmove), "legal": legal}

    def move_rows(self, start: str, labels: Sequence[str]) -> list[MoveRow]:
        board = chess.Board(start or STARTING_FEN)
        number = board.fullmove_number
        cells = [MoveCell(ply, label) for ply, label in enumerate(labels, start=1)]
        rows: list[MoveRow] = []
        if board.turn == chess.BLACK and cells:
            rows.append(MoveRow(number, (None, cells[0])))
            cells = cells[1:]
            number += 1
        for index in range(0, len(cells), 2):
            pair = cells[index : index + 2]
            rows.append(MoveRow(number + index // 2, (pair[0], pair[1] if len(pair) > 1 else None)))
        return rows

    def export(self, record: GameRecord) -> Export:
        state = self.replay(record.start, record.moves)
        headers = {
            "Event": record.headers.get("event", "LLM Duel Arena match"),
            "Site": record.headers.get("site", "?"),
            "Date": record.headers.get("date", "????.??.??").replace("-", "."),
            "Round": "-",
            "White": record.players["white"],
            "Black": record.players["black"],
        }
        outcome = record.outcome
        pgn = state.to_pgn(headers, outcome, self.describe(outcome) if outcome else "")
        return Export(pgn, "application/x-chess-pgn", "pgn")
