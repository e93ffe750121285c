"""Advancing matches: one bot ply per task, claimed with a lease, committed conditionally.

``advance(match_id)`` is safe to call any number of times, from anywhere, concurrently: the
lease claim lets one runner in, and the commit is conditional on the version it read and on
its lease, so a ply lands exactly once. When the next side is a bot too, it enqueues itself.
``resume_stalled()`` (every minute on Lambda, see arena_site.scheduled) re-enqueues matches
whose step was lost: a crashed Lambda, a restarted laptop server, an expired lease.
"""

from __future__ import annotations

import logging
import random
import secrets
import time

import chess
from django.conf import settings

from arena_site.logs import match_context
from arena_site.tasks import enqueue
from games import bots
from games.models import (
    AWAITING_BOT,
    LIST_RUNNING,
    ConflictError,
    MatchItem,
    claim_lease,
    commit_outcome,
    commit_ply,
    commit_resume,
    list_matches,
    release_lease,
)
from games.players import ENGINE, RANDOM, STOCKFISH, PlayerSpec
from games.rules.chess import Outcome

log = logging.getLogger(__name__)

ADVANCE = "games.runner.advance"


def choose_bot_move(seat: PlayerSpec, board: chess.Board) -> chess.Move:
    if seat.kind == RANDOM:
        return bots.random_move(board, random.Random())
    if seat.kind == ENGINE and seat.level is not None:
        return bots.engine_move(board, seat.level)
    if seat.kind == STOCKFISH and seat.level is not None:
        return bots.stockfish_move(board, seat.level)
    raise ValueError(f"{seat.to_ref()} is not a bot")


def advance(match_id: str) -> bool:
    """Play one bot ply of ``match_id``; return whether anything was stored."""
    with match_context(match_id):
        return _advance(match_id)


def _advance(match_id: str) -> bool:
    token = secrets.token_hex(8)
    meta = claim_lease(match_id, token=token, now=time.time(), seconds=settings.ARENA_LEASE_SECONDS)
    if meta is None:
        return False  # not a bot's turn, finished, or another runner holds it
    try:
        stored = _play_bot_ply(meta, token)
    except Exception:
        # Give the match back at once rather than when the lease expires; the resumer retries.
        release_lease(meta, token)
        raise
    if stored and meta.awaiting == AWAITING_BOT:
        enqueue(ADVANCE, match_id, delay=float(meta.pace_seconds))
    return stored


def _play_bot_ply(meta: MatchItem, token: str) -> bool:
    game = meta.game_state()
    seat = meta.seat_to_move(game)
    try:
        claim = game.claimable_draw()
        if claim is not None:
            # Bots claim a draw as soon as the rules let them (threefold, fifty moves).
            commit_outcome(meta, Outcome(claim, None), lease_token=token)
            return True
        if seat.is_llm:
            # Imported here, in the task: web requests (which import this module for
            # ADVANCE) must not load the reply parser, prompts and llm client.
            from games.llm_turn import play_llm_turn

            return play_llm_turn(meta, game, seat, token)
        started = time.perf_counter()
        move = choose_bot_move(seat, game.board)
        think_ms = round((time.perf_counter() - started) * 1000)
        record = game.play(move)
        commit_ply(meta, game, record, think_ms=think_ms, lease_token=token)
    except ConflictError:
        log.info("match %s moved on while a bot was thinking; dropping its ply", meta.match_id)
        return False
    return True


def resume_stalled(*, now: float | None = None, stall_seconds: float | None = None) -> list[str]:
    """Re-enqueue every running match that waits for a bot but that nobody is advancing.

    ``stall_seconds=0`` treats every such match without a live lease as stalled: right for a
    laptop server that just started, when no step of an earlier process can still be queued.
    """
    now = time.time() if now is None else now
    # A paced match legitimately idles for its pace between plies; an explicit threshold
    # (startup) means no step can be pending at all.
    if stall_seconds is None:
        stall_seconds = settings.ARENA_STALL_SECONDS
        allow_pace = True
    else:
        allow_pace = False
    resumed = []
    for meta in list_matches(LIST_RUNNING, limit=None):
        if meta.is_paused:
            if meta.resume_at is not None and meta.resume_at > now:
                continue  # its provider gets more time
            try:
                commit_resume(meta)
            except ConflictError:
                continue  # someone else resumed (or resigned) it
            enqueue(ADVANCE, meta.match_id)
            resumed.append(meta.match_id)
            continue
        if meta.awaiting != AWAITING_BOT:
            continue
        if meta.lease_until is not None and meta.lease_until > now:
            continue  # a runner is on it
        idle = now - meta.updated_at.timestamp()
        threshold = stall_seconds + (float(meta.pace_seconds) if allow_pace else 0.0)
        if meta.lease_until is None and idle < threshold:
            continue  # its next step is most likely still queued
        enqueue(ADVANCE, meta.match_id)
        resumed.append(meta.match_id)
    if resumed:
        log.info("resumed %d stalled matches: %s", len(resumed), ", ".join(resumed))
    return resumed
