"""Match use cases: create, move, resign, claim a draw, join, adopt a guest's matches.

Each raises a :class:`MatchError` subclass carrying the HTTP status and a message for the
player, and never leaves a half-applied change: all writes are conditional (games.store).
Nothing here knows a game: the match's game (games.core registry) decides what is legal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from accounts import quotas
from accounts.access import GUEST_NAME
from accounts.projections import merge_player_counters, player_matches
from arena_site.tasks import enqueue
from games.core import RESIGNATION, Game, InvalidOptionsError, MoveError, Outcome, UnknownGameError, get_game
from games.llm_options import LLMOptions, initial_totals
from games.models import AWAITING_BOT, LoadedMatch, MatchItem, get_meta, is_match_id, load_match, now_utc
from games.players import HUMAN, OPEN, PlayerSpec
from games.runner import ADVANCE
from games.store import (
    ConflictError,
    Played,
    QuotaError,
    commit_join,
    commit_move,
    commit_outcome,
    commit_reassign,
    insert_match,
)

MAX_PACE_SECONDS = 10


class MatchError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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


def find_game(game_id: str) -> Game[Any]:
    try:
        return get_game(game_id)
    except UnknownGameError as exc:
        raise MatchError(str(exc), field="game") from None


def find_meta(match_id: str) -> MatchItem:
    if not is_match_id(match_id):
        raise MatchNotFound(f"There is no match {match_id[:40]!r}: match ids are 10 letters and digits.")
    meta = get_meta(match_id)
    if meta is None:
        raise MatchNotFound(f"There is no match {match_id}.")
    return meta


def find_loaded(match_id: str) -> LoadedMatch:
    """The whole match (META, plies, unfinished turns) in one Query."""
    if not is_match_id(match_id):
        raise MatchNotFound(f"There is no match {match_id[:40]!r}: match ids are 10 letters and digits.")
    loaded = load_match(match_id)
    if loaded is None:
        raise MatchNotFound(f"There is no match {match_id}.")
    return loaded


def human_sides(meta: MatchItem, player_id: str | None) -> list[str]:
    """The seats this player may move in this match: the owner's ``human`` seats, and a seat
    an invited person took."""
    return [
        side
        for side, seat in zip(meta.seat_names, meta.seats, strict=True)
        if seat.played_by(player_id, owner=meta.owner)
    ]


def match_create(
    *,
    owner: str,
    owner_name: str | None = None,
    game: str = "chess",
    players: list[PlayerSpec],
    options: Mapping[str, Any] | None = None,
    pace_seconds: float = 0,
    llm_options: LLMOptions | None = None,
) -> MatchItem:
    """Start a match of ``game`` with one player per seat (in the game's seat order) from raw
    start ``options`` (checked by the game: a MatchError names the bad field)."""
    rules = find_game(game)
    if len(players) != len(rules.seats):
        raise MatchError(f"{rules.name} needs {len(rules.seats)} players, one per seat.", field="players")
    try:
        start = rules.start(rules.clean_options(options or {}))
    except InvalidOptionsError as exc:
        raise MatchError(exc.message, field=exc.field) from None
    pace = max(0.0, min(float(pace_seconds), MAX_PACE_SECONDS))
    with_llm = any(player.is_llm for player in players)
    try:
        meta = insert_match(
            game=rules.id,
            owner=owner,
            owner_name=owner_name,
            players=players,
            start=start,
            pace_seconds=pace,
            llm_options=(llm_options or LLMOptions()).to_dict() if with_llm else None,
            totals=initial_totals(rules.seats) if with_llm else None,
            limits=quotas.limits_for(owner) if with_llm else None,
        )
    except QuotaError:
        raise QuotaExceeded(quotas.refusal(owner)) from None
    if meta.awaiting == AWAITING_BOT:
        enqueue(ADVANCE, meta.match_id)
    return meta


def match_rematch(*, match_id: str, owner: str, owner_name: str | None) -> MatchItem:
    """The same game, options and players with the seats swapped (two seats; more rotate)."""
    meta = find_meta(match_id)
    if meta.is_running:
        raise MatchConflict("This match is still being played; a rematch starts when it is over.")
    if owner not in meta.participants():
        raise NotYourMatch("Only the players of this match can ask for a rematch.")
    rotated = [*meta.seats[1:], meta.seats[0]]
    players = [_rematch_seat(seat, meta.owner, owner) for seat in rotated]
    rules = meta.rules
    return match_create(
        owner=owner,
        owner_name=owner_name,
        game=rules.id,
        players=players,
        options=rules.options_from(meta.start or ""),
        pace_seconds=float(meta.pace_seconds),
        llm_options=LLMOptions.from_dict(meta.llm_options) if meta.llm_options else None,
    )


def _rematch_seat(seat: PlayerSpec, old_owner: str, owner: str) -> PlayerSpec:
    """A seat of the rematch: the asker's own seat is theirs again, any other person's seat
    becomes an open invitation, bots and models stay."""
    if seat.played_by(owner, owner=old_owner):
        return PlayerSpec(HUMAN)
    if seat.is_human:
        return PlayerSpec(OPEN)
    return seat


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
        raise NotYourMatch("No seat of this match is played by a human.")
    if not meta.is_running:
        raise MatchConflict("This match is over; no more moves can be played.")
    return sides


def _acting_seat(meta: MatchItem, state: Any, sides: list[str], seat: str | None) -> str:
    """The seat a person's move is for: the one given, else the first of theirs to act."""
    rules = meta.rules
    if seat is not None:
        if seat not in rules.seats:
            raise BadMove(f"{rules.name} has no seat {seat[:20]!r}; its seats are {', '.join(rules.seats)}.")
        if seat not in sides:
            raise NotYourMatch(f"You do not play {rules.seat_label(seat)} in this match.")
    pending = meta.pending(state)
    mine = [name for name in pending if name in sides and (seat is None or name == seat)]
    if mine:
        return mine[0]
    if seat is not None and seat in meta.sealed_seats:
        raise MatchConflict(f"{rules.seat_label(seat)} has already chosen this round; wait for the reveal.")
    if meta.is_paused:
        raise MatchConflict("This match is paused; it resumes by itself (see why on its page).")
    who = " and ".join(rules.seat_label(name) for name in pending) or "nobody"
    raise MatchConflict(f"It is {who}'s turn, not yours; wait for the reply.")


def match_play_move(
    *, match_id: str, player_id: str | None, move_text: str, seat: str | None = None, load: bool = False
) -> tuple[MatchItem, Played]:
    """Play a person's move. ``load``: read the whole match (one Query instead of a GetItem of
    META) and return it with the new ply in ``Played.loaded``, so that a page can be drawn
    after the move without reading again."""
    loaded = find_loaded(match_id) if load else None
    meta = loaded.meta if loaded else find_meta(match_id)
    sides = _check_can_act(meta, player_id)
    state = meta.state()
    acting = _acting_seat(meta, state, sides, seat)
    try:
        move = meta.rules.read_move(state, acting, move_text)
    except MoveError as exc:
        raise BadMove(str(exc)) from None
    try:
        played = commit_move(meta, state, acting, move)
    except ConflictError:
        raise MatchConflict(
            "The match changed while your move was on its way; reload and try again."
        ) from None
    if loaded is not None and played.ply is not None:
        loaded.plies.append(played.ply)
    if meta.awaiting == AWAITING_BOT:
        enqueue(ADVANCE, meta.match_id, delay=float(meta.pace_seconds))
    return meta, dataclasses.replace(played, loaded=loaded)


def match_resign(*, match_id: str, player_id: str | None, side: str | None = None) -> MatchItem:
    meta = find_meta(match_id)
    sides = _check_can_act(meta, player_id)
    rules = meta.rules
    if side is None:
        # With every seat human (people at one screen) the seat to move resigns.
        pending = [name for name in meta.pending(meta.state()) if name in sides]
        side = sides[0] if len(sides) == 1 or not pending else pending[0]
    if side not in sides:
        raise NotYourMatch(f"You do not play {side[:20]} in this match.")
    _finish(meta, Outcome.loss(rules.seats, side, RESIGNATION))
    return meta


def match_claim_draw(*, match_id: str, player_id: str | None) -> MatchItem:
    meta = find_meta(match_id)
    sides = _check_can_act(meta, player_id)
    state = meta.state()
    rules = meta.rules
    acting = [name for name in meta.pending(state) if name in sides]
    if not acting:
        raise MatchConflict("Only the side to move can claim a draw.")
    claim = rules.claimable(state, acting[0])
    if claim is None:
        raise MatchConflict("No draw can be claimed in this position (threefold repetition or 50-move rule).")
    _finish(meta, Outcome.draw(rules.seats, claim))
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
    merge_player_counters(guest, user_id, today=now_utc().date())
    return moved
