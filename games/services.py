"""Match use cases: create, move, resign, claim a draw.

Each raises a :class:`MatchError` subclass carrying the HTTP status and a message for the
player, and never leaves a half-applied change: all writes are conditional (games.models).
"""

from __future__ import annotations

from typing import Any

from accounts import quotas
from accounts.access import GUEST_NAME
from arena_site.tasks import enqueue
from games.llm_options import LLMOptions, initial_totals
from games.models import (
    AWAITING_BOT,
    SIDES,
    ConflictError,
    MatchItem,
    PlyItem,
    QuotaError,
    commit_join,
    commit_outcome,
    commit_ply,
    commit_reassign,
    get_meta,
    insert_match,
    is_match_id,
    merge_player_counters,
    player_matches,
)
from games.players import PlayerSpec
from games.rules.chess import STARTING_FEN, MoveError, Outcome, Termination, parse_color
from games.runner import ADVANCE

MAX_PACE_SECONDS = 10


class MatchError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MatchNotFound(MatchError):
    status = 404


class NotYourMatch(MatchError):
    status = 403


class MatchConflict(MatchError):
    """Out of turn, already finished, or changed meanwhile."""

    status = 409


class BadMove(MatchError):
    status = 400


class QuotaExceeded(MatchError):
    """The owner's daily LLM quota is used up."""

    status = 429


def find_meta(match_id: str) -> MatchItem:
    if not is_match_id(match_id):
        raise MatchNotFound(f"There is no match {match_id[:40]!r}: match ids are 10 letters and digits.")
    meta = get_meta(match_id)
    if meta is None:
        raise MatchNotFound(f"There is no match {match_id}.")
    return meta


def human_sides(meta: MatchItem, player_id: str | None) -> list[str]:
    """The sides this player may move in this match: the owner's ``human`` seats, and a seat
    an invited person took."""
    return [
        side
        for side, seat in zip(SIDES, meta.seats, strict=True)
        if seat.played_by(player_id, owner=meta.owner)
    ]


def match_create(
    *,
    owner: str,
    owner_name: str | None = None,
    white: PlayerSpec,
    black: PlayerSpec,
    start_fen: str = STARTING_FEN,
    pace_seconds: float = 0,
    llm_options: LLMOptions | None = None,
) -> MatchItem:
    pace = max(0.0, min(float(pace_seconds), MAX_PACE_SECONDS))
    with_llm = white.is_llm or black.is_llm
    try:
        meta = insert_match(
            owner=owner,
            owner_name=owner_name,
            players=[white, black],
            start_fen=start_fen,
            pace_seconds=pace,
            llm_options=(llm_options or LLMOptions()).to_dict() if with_llm else None,
            totals=initial_totals() if with_llm else None,
            limits=quotas.limits_for(owner) if with_llm else None,
        )
    except QuotaError:
        raise QuotaExceeded(quotas.refusal(owner)) from None
    if meta.awaiting == AWAITING_BOT:
        enqueue(ADVANCE, meta.match_id)
    return meta


def match_join(*, match_id: str, player_id: str, name: str | None) -> MatchItem:
    """Take the open seat of a match one was invited to (first come, first seated)."""
    meta = find_meta(match_id)
    if not meta.is_running:
        raise MatchConflict("This match is over; its seats can no longer be taken.")
    open_sides = meta.open_sides
    if not open_sides:
        raise MatchConflict("Both seats of this match are taken; you can watch it.")
    if player_id in meta.participants():
        raise MatchConflict("You already play in this match: send the link to the person you invite.")
    try:
        commit_join(meta, open_sides[0], player_id=player_id, name=name or GUEST_NAME)
    except ConflictError:
        raise MatchConflict("Someone took the seat just before you, or the match moved on; reload.") from None
    return meta


def _check_can_act(meta: MatchItem, player_id: str | None) -> list[str]:
    sides = human_sides(meta, player_id)
    if not sides:
        if player_id not in meta.participants():
            raise NotYourMatch("This match belongs to another player; you can watch it but not play in it.")
        raise NotYourMatch("No side of this match is played by a human.")
    if not meta.is_running:
        raise MatchConflict("This match is over; no more moves can be played.")
    return sides


def match_play_move(*, match_id: str, player_id: str | None, move_text: str) -> tuple[MatchItem, PlyItem]:
    meta = find_meta(match_id)
    sides = _check_can_act(meta, player_id)
    game = meta.game_state()
    to_move = "white" if game.turn else "black"
    if to_move not in sides:
        raise MatchConflict(f"It is {to_move.capitalize()}'s turn, not yours; wait for the reply.")
    try:
        record = game.play(move_text)
    except MoveError as exc:
        raise BadMove(str(exc)) from None
    try:
        ply = commit_ply(meta, game, record)
    except ConflictError:
        raise MatchConflict(
            "The match changed while your move was on its way; reload and try again."
        ) from None
    if meta.awaiting == AWAITING_BOT:
        enqueue(ADVANCE, meta.match_id, delay=float(meta.pace_seconds))
    return meta, ply


def match_resign(*, match_id: str, player_id: str | None, side: str | None = None) -> MatchItem:
    meta = find_meta(match_id)
    sides = _check_can_act(meta, player_id)
    if side is None:
        # With both sides human (two players at one screen) the side to move resigns.
        side = sides[0] if len(sides) == 1 else ("white" if meta.game_state().turn else "black")
    if side not in sides:
        raise NotYourMatch(f"You do not play {side} in this match.")
    loser = parse_color(side)
    _finish(meta, Outcome(Termination.RESIGNATION, winner=not loser))
    return meta


def match_claim_draw(*, match_id: str, player_id: str | None) -> MatchItem:
    meta = find_meta(match_id)
    sides = _check_can_act(meta, player_id)
    game = meta.game_state()
    if ("white" if game.turn else "black") not in sides:
        raise MatchConflict("Only the side to move can claim a draw.")
    claim = game.claimable_draw()
    if claim is None:
        raise MatchConflict("No draw can be claimed in this position (threefold repetition or 50-move rule).")
    _finish(meta, Outcome(claim, None))
    return meta


def _finish(meta: MatchItem, outcome: Outcome) -> None:
    try:
        commit_outcome(meta, outcome)
    except ConflictError:
        raise MatchConflict("The match changed meanwhile; reload and try again.") from None


def matches_adopt(*, guest: str, user_id: str, username: str) -> int:
    """Make a guest browser's matches (and its counters and today's usage) the account's, when
    that browser signs up or logs in. Returns how many matches moved. Safe to repeat."""
    moved = 0
    start: dict[str, Any] | None = None
    while True:
        entries, start = player_matches(guest, limit=50, start=start)
        for entry in entries:
            for _ in range(5):  # a running match may move on under us: re-read and retry
                meta = get_meta(entry.match_id)
                if meta is None:
                    entry.delete()
                    break
                try:
                    commit_reassign(meta, entry, to_player=user_id, to_name=username)
                except ConflictError:
                    continue
                moved += 1
                break
        if start is None:
            break
    merge_player_counters(guest, user_id)
    return moved
