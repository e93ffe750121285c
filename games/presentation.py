"""What a match page shows, computed once from the loaded items (no extra reads, no replay).

Shared by the full page, the live partial and the JSON endpoint, so they always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import chess
from django.utils.safestring import SafeString

from games.board import board_svg
from games.models import AWAITING_BOT, STATUS_RUNNING, LoadedMatch, MatchItem, PlyItem, TurnItem
from games.players import PlayerSpec
from games.rules.chess import Termination
from games.services import human_sides


@dataclass(frozen=True)
class MoveCell:
    ply: int
    san: str
    current: bool  # the ply shown on the board
    note: str  # who played it and how long it took, shown on hover


@dataclass(frozen=True)
class MoveRow:
    number: int
    white: MoveCell | None
    black: MoveCell | None


@dataclass
class MatchPage:
    meta: MatchItem
    sides: list[str]  # sides the viewer may play
    ply: int  # the ply on the board (== total in live mode)
    total: int
    fen: str
    board: SafeString
    rows: list[MoveRow]
    status: str
    legal_moves: list[str]
    claimable: str | None
    # LLM matches: what happened on the shown ply (and unfinished turns around it), totals.
    llm_turns: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)
    notice: str | None = None
    # Invitations: the seat still waiting for a person, and whether the viewer has a part.
    open_side: str | None = None
    participant: bool = False
    is_owner: bool = False

    @property
    def match_id(self) -> str:
        return self.meta.match_id

    @property
    def is_live(self) -> bool:
        return self.ply == self.total

    @property
    def polls(self) -> bool:
        return self.is_live and self.meta.is_running

    @property
    def can_move(self) -> bool:
        return bool(self.legal_moves)

    @property
    def players(self) -> list[dict[str, Any]]:
        return [
            {"side": side, "label": seat.label, "ref": seat.to_ref(), "you": side in self.sides}
            for side, seat in zip(("white", "black"), self.meta.seats, strict=True)
        ]

    @property
    def thinking(self) -> bool:
        return self.meta.status == STATUS_RUNNING and self.meta.awaiting == AWAITING_BOT


def build_page(loaded: LoadedMatch, *, player_id: str | None, ply: int | None = None) -> MatchPage:
    meta = loaded.meta
    plies = sorted(loaded.plies, key=lambda p: p.number)
    total = len(meta.moves)
    shown = total if ply is None else max(0, min(ply, total))
    if shown == 0:
        fen, lastmove = meta.start_fen, None
    elif shown == total:
        fen, lastmove = meta.fen, chess.Move.from_uci(meta.uci_moves[-1])
    else:
        fen, lastmove = plies[shown - 1].fen, chess.Move.from_uci(plies[shown - 1].uci)
    board = chess.Board(fen)
    live_board = board if shown == total else chess.Board(meta.fen)
    sides = human_sides(meta, player_id)
    orientation = chess.BLACK if sides == ["black"] else chess.WHITE
    to_move = "white" if live_board.turn else "black"
    my_turn = meta.is_running and shown == total and to_move in sides
    claimable = None
    if my_turn:
        claim = meta.game_state().claimable_draw()
        claimable = claim.label if claim else None
    return MatchPage(
        meta=meta,
        sides=sides,
        ply=shown,
        total=total,
        fen=fen,
        board=board_svg(board, orientation=orientation, lastmove=lastmove),
        rows=_rows(meta, plies, shown),
        status=_status(meta, live_board, to_move, sides),
        legal_moves=[m.uci() for m in board.legal_moves] if my_turn else [],
        claimable=claimable,
        llm_turns=_llm_turns(plies, loaded.turns, shown, live=shown == total),
        totals=_totals(meta),
        notice=_notice(meta),
        open_side=next(iter(meta.open_sides), None),
        participant=player_id is not None and player_id in meta.participants(),
        is_owner=player_id is not None and player_id == meta.owner,
    )


def _rows(meta: MatchItem, plies: list[PlyItem], shown: int) -> list[MoveRow]:
    start = chess.Board(meta.start_fen)
    first_number, black_first = start.fullmove_number, start.turn == chess.BLACK
    rows: list[MoveRow] = []
    entries = [MoveCell(int(p.number), p.san, p.number == shown, _note(p)) for p in plies]
    if black_first and entries:
        rows.append(MoveRow(first_number, None, entries[0]))
        entries = entries[1:]
        first_number += 1
    for index in range(0, len(entries), 2):
        pair = entries[index : index + 2]
        rows.append(MoveRow(first_number + index // 2, pair[0], pair[1] if len(pair) > 1 else None))
    return rows


def _note(ply: PlyItem) -> str:
    seat = PlayerSpec.from_ref(ply.player)
    if seat.is_human:
        return f"{ply.side.capitalize()}: {seat.label}"
    return f"{ply.side.capitalize()}: {seat.label}, {ply.think_ms} ms"


def _llm_turns(
    plies: list[PlyItem], turns: list[TurnItem], shown: int, *, live: bool
) -> list[dict[str, Any]]:
    """The LLM turns to explain next to the board: unfinished turns before the shown ply, the
    shown ply itself, and (live) whatever happened after the last ply (a pause, a forfeit)."""
    found: list[dict[str, Any]] = []
    wanted = {shown, shown + 1} if live else {shown}
    for turn in sorted(turns, key=lambda t: t.created_at):
        if int(turn.number) in wanted:
            found.append({"number": int(turn.number), "side": turn.side, "ended": turn.ended, **turn.detail})
    if shown > 0 and plies[shown - 1].detail:
        ply = plies[shown - 1]
        found.append({"number": shown, "side": ply.side, "ended": "move", "san": ply.san, **ply.detail})
    for entry in found:
        entry["label"] = PlayerSpec.from_ref(entry["model"]).label
    return found


def _totals(meta: MatchItem) -> list[dict[str, Any]]:
    if not meta.totals:
        return []
    rows = []
    for side, seat in zip(("white", "black"), meta.seats, strict=True):
        if seat.is_llm:
            rows.append({"side": side, "label": seat.label, **meta.totals[side]})
    return rows


def _notice(meta: MatchItem) -> str | None:
    """Why the match is paused, or why it ended the way it did (forfeit, budget, abort)."""
    if meta.is_paused and meta.resume_at:
        when = dt.datetime.fromtimestamp(float(meta.resume_at), dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"Paused: {meta.pause_reason} Next try at {when}."
    if meta.termination in (Termination.FORFEIT, Termination.BUDGET, Termination.ABORTED):
        return meta.pause_reason
    return None


def _status(meta: MatchItem, board: chess.Board, to_move: str, sides: list[str]) -> str:
    outcome = meta.outcome()
    if outcome is not None:
        return f"{outcome.describe()} ({outcome.result})."
    if meta.is_paused:
        return f"Paused before {to_move.capitalize()}'s move (see why below)."
    seat = meta.seats[0 if to_move == "white" else 1]
    who = "You" if to_move in sides and len(sides) == 1 else to_move.capitalize()
    check = " Check!" if board.is_check() else ""
    if seat.is_bot:
        return f"{to_move.capitalize()} to move: {seat.label} is thinking…{check}"
    if seat.is_open:
        return f"Waiting for an invited player to take the {to_move.capitalize()} seat."
    if to_move in sides:
        verb = "are" if who == "You" else "is"
        return f"{who} {verb} to move ({to_move}).{check}"
    return f"Waiting for {to_move.capitalize()} to move.{check}"
