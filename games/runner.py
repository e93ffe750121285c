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
from typing import Any

from django.conf import settings

from arena_site.logs import match_context
from arena_site.tasks import enqueue
from games.core import Game, Outcome
from games.models import AWAITING_BOT, LIST_RUNNING, MatchItem, list_matches
from games.players import PlayerSpec
from games.store import ConflictError, claim_lease, commit_move, commit_outcome, commit_resume, release_lease

log = logging.getLogger(__name__)

ADVANCE = "games.runner.advance"


def choose_bot_move(rules: Game[Any], seat: PlayerSpec, state: Any, side: str) -> str:
    """The move of the bot playing ``side`` (the seam tests hold a bot at)."""
    bot = rules.bot(seat.to_ref())
    if bot is None:
        raise ValueError(f"{seat.to_ref()} is not a bot of {rules.name}")
    return bot.choose(state, side, random.Random())


def advance(match_id: str) -> bool:
    """Play one bot ply (or one bot's sealed choice) of ``match_id``; return whether anything
    was stored."""
    with match_context(match_id):
        return _advance(match_id)


def _advance(match_id: str) -> bool:
    token = secrets.token_hex(8)
    meta = claim_lease(match_id, token=token, now=time.time(), seconds=settings.ARENA_LEASE_SECONDS)
    if meta is None:
        return False  # not a bot's turn, finished, or another runner holds it
    round_number = len(meta.record)
    try:
        stored = _play_bot_ply(meta, token)
    except Exception:
        # Give the match back at once rather than when the lease expires; the resumer retries.
        release_lease(meta, token)
        raise
    if stored and meta.awaiting == AWAITING_BOT:
        # The pace is between plies: a second bot choosing in the same round goes at once.
        same_round = len(meta.record) == round_number
        enqueue(ADVANCE, match_id, delay=0.0 if same_round else float(meta.pace_seconds))
    return stored


def _play_bot_ply(meta: MatchItem, token: str) -> bool:
    rules = meta.rules
    state = meta.state()
    bots = [seat for seat in meta.pending(state) if meta.seat(seat).is_bot]
    if not bots:
        release_lease(meta, token)
        return False
    seat_name = bots[0]
    seat = meta.seat(seat_name)
    try:
        claim = rules.claimable(state, seat_name)
        if claim is not None:
            # Bots claim a draw as soon as the rules let them (threefold, fifty moves).
            commit_outcome(meta, Outcome.draw(rules.seats, claim), lease_token=token)
            return True
        if seat.is_llm:
            # Imported here, in the task: web requests (which import this module for
            # ADVANCE) must not load the reply readers, prompts and llm client.
            from games.llm_turn import play_llm_turn

            return play_llm_turn(meta, state, seat_name, token)
        started = time.perf_counter()
        move = choose_bot_move(rules, seat, state, seat_name)
        think_ms = round((time.perf_counter() - started) * 1000)
        commit_move(meta, state, seat_name, move, think_ms=think_ms, lease_token=token)
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
