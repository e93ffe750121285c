"""Many writers at one match at once: every ply lands exactly once and the game stays legal.

These tests use threads against a real moto server (the ``moto_server`` fixture), not the
in-process ``mock_aws``, so each call really goes over HTTP and the server really sees the
requests interleave. A ``threading.Barrier`` makes the threads start their calls together.

Enqueued follow-up steps are captured (``capture_tasks``), never run inline: the point is to
count what each burst of calls stores, not to play the match out. ``capture_tasks`` uses a
module global, so it is entered once in the main thread around the whole burst.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from arena_site.tasks import capture_tasks
from games import runner, services
from games.chess.rules import ChessGame, color_name
from games.core import RESIGNATION, Outcome
from games.models import (
    AWAITING_BOT,
    AWAITING_HUMAN,
    AWAITING_NOBODY,
    LIST_FINISHED,
    LIST_RUNNING,
    STATUS_FINISHED,
    STATUS_RUNNING,
    LoadedMatch,
    MatchItem,
    load_match,
    match_pk,
    ply_sk,
)
from games.players import PlayerSpec
from games.runner import ADVANCE

OWNER = "owner-concurrency"

# The twenty legal first moves of White, one per thread.
WHITE_FIRST_MOVES = [
    "a3", "a4", "b3", "b4", "c3", "c4", "d3", "d4", "e3", "e4",
    "f3", "f4", "g3", "g4", "h3", "h4", "Na3", "Nc3", "Nf3", "Nh3",
]  # fmt: skip

GATE_TIMEOUT = 10.0


# --- helpers -----------------------------------------------------------------------------
@dataclass
class Outcomes:
    """What each thread's call returned or raised, in thread order."""

    values: list[Any]
    errors: list[BaseException | None]

    @property
    def returned(self) -> list[Any]:
        return [value for value, error in zip(self.values, self.errors, strict=True) if error is None]

    @property
    def raised(self) -> list[BaseException]:
        return [error for error in self.errors if error is not None]


def fire(calls: list[Callable[[], Any]], *, on_return: Callable[[], None] | None = None) -> Outcomes:
    """Run every call on its own thread, all released at once by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> tuple[Any, BaseException | None]:
        barrier.wait(timeout=GATE_TIMEOUT)
        try:
            return call(), None
        except Exception as exc:
            return None, exc
        finally:
            if on_return is not None:
                on_return()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(run, calls))
    return Outcomes([value for value, _ in results], [error for _, error in results])


class SlowBot:
    """Wraps the runner's bot so that whoever holds the lease thinks until all rivals are done.

    Between a bot-vs-bot match's plies the next side is a bot again, so an ``advance`` that
    merely started late could legitimately claim the next ply. Holding the winner of the lease
    until every other caller of the burst has returned makes "one burst, one ply" exact: all
    the rivals really did run while the lease was held, and none of them got in.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = runner.choose_bot_move
        self._cond = threading.Condition()
        self._returned = 0
        self._rivals = 0
        self.thinkers = 0
        self.timed_out = False
        monkeypatch.setattr(runner, "choose_bot_move", self._choose)

    def start_burst(self, size: int) -> None:
        with self._cond:
            self._returned = 0
            self._rivals = size - 1
            self.thinkers = 0
            self.timed_out = False

    def returned(self) -> None:
        with self._cond:
            self._returned += 1
            self._cond.notify_all()

    def _choose(self, rules, seat: PlayerSpec, state, side: str) -> str:
        with self._cond:
            self.thinkers += 1
            if not self._cond.wait_for(lambda: self._returned >= self._rivals, timeout=GATE_TIMEOUT):
                self.timed_out = True
        return self._real(rules, seat, state, side)


def create(white: str, black: str) -> str:
    """A new match; its first step (if a bot opens) is captured, not run."""
    with capture_tasks():
        meta = services.match_create(
            owner=OWNER, players=[PlayerSpec.from_ref(white), PlayerSpec.from_ref(black)]
        )
    return meta.match_id


def advance_burst(match_id: str, size: int, *, bot: SlowBot | None = None) -> tuple[Outcomes, list[Any]]:
    """``size`` concurrent ``advance(match_id)`` calls; returns outcomes and enqueued tasks."""
    with capture_tasks() as tasks:
        if bot is None:
            outcomes = fire([lambda: runner.advance(match_id)] * size)
        else:
            bot.start_burst(size)
            outcomes = fire([lambda: runner.advance(match_id)] * size, on_return=bot.returned)
            assert not bot.timed_out, "a runner waited for rivals that never returned"
            assert bot.thinkers <= 1, f"{bot.thinkers} runners held the lease at once"
    assert outcomes.raised == []
    return outcomes, list(tasks)


def stored(match_id: str, *, lease_free: bool = True) -> LoadedMatch:
    """Read the match back from DynamoDB and check that META and the PLY items agree.

    META.moves is the truth; the PLY items must be exactly plies 1..n with the same moves,
    the moves must replay legally from start_fen to META.fen, and status, result,
    termination, winner, awaiting, listing and version must all follow from them.
    """
    loaded = load_match(match_id)
    assert loaded is not None
    meta, plies = loaded.meta, loaded.plies
    moves = list(meta.record)

    assert [ply.number for ply in plies] == list(range(1, len(moves) + 1))
    assert [ply.sk for ply in plies] == [ply_sk(n) for n in range(1, len(moves) + 1)]
    assert [ply.record for ply in plies] == moves

    game = ChessGame(meta.start, moves)  # raises if any stored move is illegal
    assert game.fen() == meta.position
    replay = ChessGame(meta.start)
    for ply in plies:
        side = color_name(replay.turn)
        seat = meta.seat(replay.seat)
        record = replay.play(ply.record)
        assert (ply.label, ply.position, ply.side, ply.player) == (
            record.san,
            record.fen,
            side,
            seat.to_ref(),
        )

    board_outcome = game.outcome()
    if meta.status == STATUS_RUNNING:
        assert board_outcome is None
        assert (meta.result, meta.termination, meta.winner, meta.finished_at) == (None, None, None, None)
        assert meta.awaiting == (AWAITING_HUMAN if meta.seat(game.seat).is_human else AWAITING_BOT)
        assert meta.gsi1pk == LIST_RUNNING
        ended_without_move = False
    else:
        assert meta.status == STATUS_FINISHED
        outcome = meta.outcome()
        assert outcome is not None
        assert meta.result == outcome.result
        assert meta.awaiting == AWAITING_NOBODY
        assert meta.finished_at is not None
        assert meta.gsi1pk == LIST_FINISHED
        if board_outcome is not None:
            assert outcome == board_outcome
        ended_without_move = board_outcome is None  # resigned, or a draw was claimed
    assert meta.version == 1 + len(moves) + int(ended_without_move)
    if lease_free:
        assert (meta.lease_owner, meta.lease_until) == (None, None)
    return loaded


# --- tests -------------------------------------------------------------------------------
def test_twenty_four_simultaneous_advances_store_exactly_one_ply(
    moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    match_id = create("random", "random")
    bot = SlowBot(monkeypatch)

    outcomes, tasks = advance_burst(match_id, 24, bot=bot)

    assert sorted(outcomes.values) == [False] * 23 + [True]
    assert bot.thinkers == 1
    loaded = stored(match_id)
    assert len(loaded.meta.record) == 1
    assert len(loaded.plies) == 1
    assert loaded.meta.version == 2
    assert loaded.meta.status == STATUS_RUNNING
    assert loaded.meta.awaiting == AWAITING_BOT
    # Only the runner that played enqueued the next step, once.
    assert tasks == [(ADVANCE, (match_id,), 0.0)]


def test_rounds_of_twenty_simultaneous_advances_add_one_ply_each_and_replay_legally(
    moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    match_id = create("random", "random")
    bot = SlowBot(monkeypatch)

    for round_number in range(1, 16):
        before = stored(match_id).meta
        if not before.is_running:
            break  # a random game ended early (a quick mate); what was stored is still checked
        outcomes, tasks = advance_burst(match_id, 20, bot=bot)
        after = stored(match_id)
        assert outcomes.values.count(True) == 1, f"round {round_number}"
        if after.meta.termination in ("threefold_repetition", "fifty_moves"):
            assert bot.thinkers == 0  # the runner claimed a draw instead of moving
            assert after.meta.record == before.record
        else:
            assert bot.thinkers == 1
            assert after.meta.record[:-1] == before.record, f"round {round_number}"
            assert len(after.plies) == round_number
        assert after.meta.version == before.version + 1
        assert tasks == ([(ADVANCE, (match_id,), 0.0)] if after.meta.is_running else [])

    final = stored(match_id)
    assert len(final.meta.record) == len(final.plies) >= 1
    game = ChessGame(final.meta.start, final.meta.record)
    assert game.fen() == final.meta.position
    if final.meta.is_running:
        assert len(final.plies) == 15


def test_twenty_simultaneous_first_moves_in_a_two_human_match_apply_exactly_one(moto_server: str) -> None:
    match_id = create("human", "human")

    def play(move: str) -> Callable[[], Any]:
        return lambda: services.match_play_move(match_id=match_id, player_id=OWNER, move_text=move)

    with capture_tasks() as tasks:
        outcomes = fire([play(move) for move in WHITE_FIRST_MOVES])

    assert len(outcomes.returned) == 1
    winner_meta, winner_ply = outcomes.returned[0]
    # Losers either lost the conditional write (409), or read the match only after the winner's
    # move: then, both sides being theirs, they tried White's move for Black, which is illegal.
    for error in outcomes.raised:
        assert isinstance(error, services.MatchConflict | services.BadMove), repr(error)
    loaded = stored(match_id)
    assert loaded.meta.record == [winner_ply.ply.record]
    assert [ply.label for ply in loaded.plies] == [winner_ply.ply.label]
    assert loaded.meta.version == winner_meta.version == 2
    assert loaded.meta.awaiting == AWAITING_HUMAN
    assert tasks == []


def test_twenty_simultaneous_first_moves_against_a_bot_apply_one_and_answer_409_to_the_rest(
    moto_server: str,
) -> None:
    match_id = create("human", "random")

    def play(move: str) -> Callable[[], Any]:
        return lambda: services.match_play_move(match_id=match_id, player_id=OWNER, move_text=move)

    with capture_tasks() as tasks:
        outcomes = fire([play(move) for move in WHITE_FIRST_MOVES])

    assert len(outcomes.returned) == 1
    _, winner_ply = outcomes.returned[0]
    assert len(outcomes.raised) == 19
    for error in outcomes.raised:
        # Changed meanwhile, or (read after the winner's move) out of turn: both are 409.
        assert isinstance(error, services.MatchConflict), repr(error)
        assert error.status == 409
    loaded = stored(match_id)
    assert loaded.meta.record == [winner_ply.ply.record]
    assert loaded.meta.awaiting == AWAITING_BOT
    assert tasks == [(ADVANCE, (match_id,), 0.0)]


def test_simultaneous_advances_and_resignations_never_store_two_plies(moto_server: str) -> None:
    # White is the bot, so it is the bot's turn; the owner plays (and resigns) Black.
    match_id = create("random", "human")

    calls: list[Callable[[], Any]] = []
    for _ in range(10):
        calls.append(lambda: ("advance", runner.advance(match_id)))
        calls.append(lambda: ("resign", services.match_resign(match_id=match_id, player_id=OWNER)))
    with capture_tasks() as tasks:
        outcomes = fire(calls)

    for error in outcomes.raised:
        assert isinstance(error, services.MatchConflict), repr(error)
    advanced = [value for kind, value in outcomes.returned if kind == "advance"]
    resigned = [value for kind, value in outcomes.returned if kind == "resign"]
    assert len(advanced) == 10  # advance() never raises: a lost race is just False
    assert advanced.count(True) <= 1
    assert len(resigned) <= 1
    assert tasks == []  # after White's ply a human is to move: nothing to chain

    loaded = stored(match_id)
    meta = loaded.meta
    assert len(meta.record) == len(loaded.plies) == advanced.count(True)
    if resigned:
        # Resigned before the bot's ply landed (no ply), or after it (one ply): never two.
        assert meta.status == STATUS_FINISHED
        assert meta.termination == RESIGNATION
        assert (meta.winner, meta.result) == ("white", "1-0")
        assert meta.outcome() == Outcome.loss(("white", "black"), "black", RESIGNATION)
        assert resigned[0].version == meta.version
    else:
        # Every resignation read the match before the ply and lost the write to it.
        assert meta.status == STATUS_RUNNING
        assert len(meta.record) == 1
        assert meta.awaiting == AWAITING_HUMAN


def test_an_expired_lease_is_resumed_and_twenty_advances_then_store_exactly_one_ply(moto_server: str) -> None:
    # Bot (White) to move, a human replies: one ply and the match waits for the human.
    match_id = create("random", "human")
    key = MatchItem(match_pk(match_id), "META")

    # A runner that is still within its lease keeps everyone out, resumer included.
    key.update(
        actions=[MatchItem.lease_owner.set("live-runner"), MatchItem.lease_until.set(time.time() + 60)]
    )
    outcomes, tasks = advance_burst(match_id, 20)
    assert outcomes.values == [False] * 20
    assert tasks == []
    with capture_tasks() as tasks:
        assert match_id not in runner.resume_stalled(now=time.time())
    assert (ADVANCE, (match_id,), 0.0) not in tasks
    assert stored(match_id, lease_free=False).meta.record == []

    # That runner died: its lease ran out a minute ago.
    key.update(
        actions=[MatchItem.lease_owner.set("stale-runner"), MatchItem.lease_until.set(time.time() - 60)]
    )
    with capture_tasks() as tasks:
        resumed = runner.resume_stalled(now=time.time())
    assert match_id in resumed
    assert (ADVANCE, (match_id,), 0.0) in tasks

    outcomes, tasks = advance_burst(match_id, 20)
    assert sorted(outcomes.values) == [False] * 19 + [True]
    assert tasks == []
    loaded = stored(match_id)
    assert len(loaded.meta.record) == len(loaded.plies) == 1
    assert loaded.meta.version == 2
    assert loaded.meta.awaiting == AWAITING_HUMAN
    assert match_id not in runner.resume_stalled(now=time.time())


def test_a_runner_whose_lease_expired_while_thinking_loses_its_ply_to_the_runner_that_took_over(
    moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    match_id = create("random", "human")
    results: dict[str, bool] = {}
    moves = iter(["a2a3", "h2h4"])  # the slow runner's move, then the one that takes over

    def choose(rules, seat: PlayerSpec, state, side: str) -> str:
        move = next(moves)
        if move == "a2a3":
            # The slow runner is still thinking when its lease runs out, and another takes over.
            MatchItem(match_pk(match_id), "META").update(actions=[MatchItem.lease_until.set(time.time() - 1)])
            thread = threading.Thread(target=lambda: results.setdefault("fast", runner.advance(match_id)))
            thread.start()
            thread.join(timeout=GATE_TIMEOUT)
        return move

    monkeypatch.setattr(runner, "choose_bot_move", choose)
    with capture_tasks():
        results["slow"] = runner.advance(match_id)

    assert results == {"fast": True, "slow": False}
    loaded = stored(match_id)
    assert loaded.meta.record == ["h2h4"]
    assert [ply.record for ply in loaded.plies] == ["h2h4"]
