"""What a match page shows, computed once from the loaded items (no extra reads).

Shared by the full page, the live partial and the JSON endpoint, so they always agree. Nothing
here knows a game: the match's game provides the board, the move list and the labels. Sealed
choices (META.sealed) are never read here except to say which seats have chosen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from games.core import ABORTED, BUDGET, FORFEIT, Game
from games.models import AWAITING_BOT, STATUS_RUNNING, LoadedMatch, MatchItem, PlyItem, TurnItem
from games.players import PlayerSpec
from games.services import human_sides


@dataclass(frozen=True)
class MoveCell:
    ply: int
    label: str
    current: bool  # the ply shown on the board
    note: str  # who played it and how long it took, shown on hover


@dataclass(frozen=True)
class MoveRow:
    number: int
    cells: list[MoveCell | None]


@dataclass
class MatchPage:
    meta: MatchItem
    rules: Game[Any]
    sides: list[str]  # seats the viewer plays
    playable: list[str]  # seats the viewer may move now
    ply: int  # the ply on the board (== total in live mode)
    total: int
    position: str
    board: dict[str, Any]
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
    def open_side_label(self) -> str:
        return self.rules.seat_label(self.open_side) if self.open_side else ""

    @property
    def players(self) -> list[dict[str, Any]]:
        return [
            {
                "side": side,
                "seat_label": self.rules.seat_label(side),
                "label": seat.label,
                "ref": seat.to_ref(),
                "you": side in self.sides,
            }
            for side, seat in zip(self.meta.seat_names, self.meta.seats, strict=True)
        ]

    @property
    def thinking(self) -> bool:
        return self.meta.status == STATUS_RUNNING and self.meta.awaiting == AWAITING_BOT

    @property
    def can_rematch(self) -> bool:
        return not self.meta.is_running and self.participant


def build_page(loaded: LoadedMatch, *, player_id: str | None, ply: int | None = None) -> MatchPage:
    meta = loaded.meta
    rules = meta.rules
    plies = loaded.plies
    total = len(meta.record)
    shown = total if ply is None else max(0, min(ply, total))
    live = meta.state()
    state = live if shown == total else rules.replay(meta.start or "", meta.record[:shown])
    sides = human_sides(meta, player_id)
    pending = meta.pending(live) if meta.is_running else []
    playable = [seat for seat in pending if seat in sides] if shown == total else []
    board = rules.board(
        state, viewer=sides, playable=playable, last=meta.record[shown - 1] if shown else None
    )
    if rules.simultaneous and shown == total:
        # Which seats have chosen this round: never what.
        board["chosen"] = [rules.seat_label(seat) for seat in rules.seats if seat in meta.sealed_seats]
    legal = sorted({move for seat in playable for move in rules.legal(live, seat)})
    claim = rules.claimable(live, playable[0]) if playable else None
    return MatchPage(
        meta=meta,
        rules=rules,
        sides=sides,
        playable=playable,
        ply=shown,
        total=total,
        position=rules.position(state),
        board=board,
        rows=_rows(meta, rules, plies, shown),
        status=_status(meta, rules, live, pending, sides),
        legal_moves=legal,
        claimable=rules.termination_label(claim) if claim else None,
        llm_turns=_llm_turns(meta, plies, loaded.turns, shown, live=shown == total),
        totals=_totals(meta, rules),
        notice=_notice(meta),
        open_side=next(iter(meta.open_sides), None),
        participant=player_id is not None and player_id in meta.participants(),
        is_owner=player_id is not None and player_id == meta.owner,
    )


def _rows(meta: MatchItem, rules: Game[Any], plies: list[PlyItem], shown: int) -> list[MoveRow]:
    notes = {int(p.number): _note(rules, p, meta.game) for p in plies}
    rows = []
    for row in rules.move_rows(meta.start or "", [p.label for p in plies]):
        cells = [
            None
            if cell is None
            else MoveCell(cell.ply, cell.label, cell.ply == shown, notes.get(cell.ply, ""))
            for cell in row.cells
        ]
        rows.append(MoveRow(row.number, cells))
    return rows


def _note(rules: Game[Any], ply: PlyItem, game: str) -> str:
    if ply.by_seat:
        parts = []
        for seat, part in ply.by_seat.items():
            player = PlayerSpec.from_ref(part["player"], game=game)
            parts.append(f"{rules.seat_label(seat)}: {player.label}")
        return "; ".join(parts)
    seat = PlayerSpec.from_ref(ply.player, game=game)
    who = f"{rules.seat_label(ply.side)}: {seat.label}"
    return who if seat.is_human else f"{who}, {ply.think_ms} ms"


def _llm_turns(
    meta: MatchItem, plies: list[PlyItem], turns: list[TurnItem], shown: int, *, live: bool
) -> list[dict[str, Any]]:
    """The LLM turns to explain next to the board: unfinished turns before the shown ply, the
    shown ply itself, and (live) whatever happened after the last ply (a pause, a forfeit)."""
    rules = meta.rules
    found: list[dict[str, Any]] = []
    wanted = {shown, shown + 1} if live else {shown}
    for turn in sorted(turns, key=lambda t: t.created_at):
        if int(turn.number) in wanted:
            found.append({"number": int(turn.number), "side": turn.side, "ended": turn.ended, **turn.detail})
    if shown > 0:
        ply = plies[shown - 1]
        if ply.detail:
            found.append({"number": shown, "side": ply.side, "ended": "move", "san": ply.label, **ply.detail})
        for seat, part in (ply.by_seat or {}).items():
            if part.get("detail"):
                found.append(
                    {"number": shown, "side": seat, "ended": "move", "san": ply.label, **part["detail"]}
                )
    for entry in found:
        entry["label"] = PlayerSpec.from_ref(entry["model"], game=meta.game).label
        entry["side"] = rules.seat_label(entry["side"])
    return found


def _totals(meta: MatchItem, rules: Game[Any]) -> list[dict[str, Any]]:
    if not meta.totals:
        return []
    rows = []
    for side, seat in zip(meta.seat_names, meta.seats, strict=True):
        if seat.is_llm and side in meta.totals:
            rows.append(
                {"side": side, "seat_label": rules.seat_label(side), "label": seat.label, **meta.totals[side]}
            )
    return rows


def _notice(meta: MatchItem) -> str | None:
    """Why the match is paused, or why it ended the way it did (forfeit, budget, abort)."""
    if meta.is_paused and meta.resume_at:
        when = dt.datetime.fromtimestamp(float(meta.resume_at), dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"Paused: {meta.pause_reason} Next try at {when}."
    if meta.termination in (FORFEIT, BUDGET, ABORTED):
        return meta.pause_reason
    return None


def _status(meta: MatchItem, rules: Game[Any], state: Any, pending: list[str], sides: list[str]) -> str:
    outcome = meta.outcome()
    if outcome is not None:
        return f"{rules.describe(outcome)} ({outcome.result})."
    note = rules.note(state)
    if meta.is_paused:
        who = " and ".join(rules.seat_label(seat) for seat in pending) or "the next"
        return f"Paused before {who}'s move (see why below)."
    parts = []
    for seat_name in pending:
        seat = meta.seat(seat_name)
        label = rules.seat_label(seat_name)
        if seat.is_bot:
            parts.append(f"{label} to move: {seat.label} is thinking…")
        elif seat.is_open:
            parts.append(f"Waiting for an invited player to take the {label} seat.")
        elif seat_name in sides:
            parts.append(f"You are to move ({label})." if len(sides) == 1 else f"{label} is to move.")
        else:
            parts.append(f"Waiting for {label} to move.")
    for seat_name in rules.seats:
        if seat_name in meta.sealed_seats:
            parts.append(f"{rules.seat_label(seat_name)} has chosen.")
    return " ".join(parts) + note
