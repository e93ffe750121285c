"""Bots move on the server through the runner and the task seam, and stalled matches resume."""

from __future__ import annotations

import time

import pytest

from arena_site.tasks import capture_tasks
from games import runner, services
from games.chess.rules import ChessGame
from games.models import MatchItem, get_meta, load_match, match_pk
from games.players import PlayerSpec


def test_an_engine_game_is_played_to_its_end_by_tasks_alone(dynamodb):
    meta = services.match_create(
        owner="o", players=[PlayerSpec.from_ref("engine:2"), PlayerSpec.from_ref("random")]
    )
    loaded = load_match(meta.match_id)
    assert loaded.meta.status == "finished"
    assert loaded.meta.termination is not None
    game = ChessGame(loaded.meta.start, loaded.meta.moves)  # replays as a legal game
    assert game.fen() == loaded.meta.position
    assert [p.record for p in sorted(loaded.plies, key=lambda p: p.number)] == loaded.meta.moves
    assert {p.player for p in loaded.plies} == {"engine:2", "random"}
    assert loaded.meta.version == len(loaded.meta.moves) + 1 + (0 if game.is_over() else 1)


def test_the_engine_answers_a_human_move(dynamodb):
    with capture_tasks() as queued:
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("human"), PlayerSpec.from_ref("engine:1")]
        )
        assert queued == []  # a human opens: nothing to do in the background
        services.match_play_move(match_id=meta.match_id, player_id="o", move_text="e4")
    assert queued == [(runner.ADVANCE, (meta.match_id,), 0.0)]
    assert runner.advance(meta.match_id) is True
    after = get_meta(meta.match_id)
    assert len(after.moves) == 2
    assert after.awaiting == "human"
    assert runner.advance(meta.match_id) is False  # not a bot's turn: nothing happens


def test_a_paced_match_queues_its_next_step_with_a_delay(dynamodb):
    with capture_tasks() as queued:
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("random")], pace_seconds=3
        )
        runner.advance(meta.match_id)
    assert queued[-1] == (runner.ADVANCE, (meta.match_id,), 3.0)


def test_bots_claim_a_threefold_repetition(dynamodb):
    # Knights shuffled twice already: the position after Ng8 has occurred three times.
    moves = ["g1f3", "g8f6", "f3g1", "f6g8"] * 2
    with capture_tasks():
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("random")]
        )
        MatchItem(match_pk(meta.match_id), "META").update(
            actions=[MatchItem.moves.set(moves), MatchItem.position.set(ChessGame(moves=moves).fen())]
        )
        assert runner.advance(meta.match_id) is True
    after = get_meta(meta.match_id)
    assert after.termination == "threefold_repetition"
    assert after.result == "1/2-1/2"


def test_stalled_matches_are_resumed_and_fresh_ones_left_alone(dynamodb):
    with capture_tasks() as queued:
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("random")]
        )
        queued.clear()
        assert meta.match_id not in runner.resume_stalled()  # its first step is still queued
        later = time.time() + 120
        assert meta.match_id in runner.resume_stalled(now=later)
        # A live lease held by a runner is respected; an expired one is not.
        MatchItem(match_pk(meta.match_id), "META").update(
            actions=[MatchItem.lease_owner.set("other"), MatchItem.lease_until.set(later + 60)]
        )
        assert meta.match_id not in runner.resume_stalled(now=later)
        assert meta.match_id in runner.resume_stalled(now=later + 61)
    assert (runner.ADVANCE, (meta.match_id,), 0.0) in queued


def test_a_runner_failure_gives_the_lease_back(dynamodb, monkeypatch):
    with capture_tasks():
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("random")]
        )

    def explode(rules, seat, state, side):
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(runner, "choose_bot_move", explode)
    with pytest.raises(RuntimeError):
        runner.advance(meta.match_id)
    after = get_meta(meta.match_id)
    assert after.lease_owner is None
    assert after.moves == []


def test_the_scheduled_entry_point_resumes_matches(dynamodb, monkeypatch):
    from arena_site.scheduled import resume_stalled_matches

    with capture_tasks():
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("random")]
        )
    monkeypatch.setattr(runner.settings, "ARENA_STALL_SECONDS", 0)
    # Captured: other tests' stalled matches share the table and must not be played out here.
    with capture_tasks() as queued:
        result = resume_stalled_matches({"detail-type": "Scheduled Event"}, None)
    assert meta.match_id in result["resumed"]
    assert (runner.ADVANCE, (meta.match_id,), 0.0) in queued


def test_a_startup_pass_resumes_waiting_matches_at_once_even_paced_ones(dynamodb):
    with capture_tasks() as queued:
        meta = services.match_create(
            owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("random")], pace_seconds=3
        )
        queued.clear()
        assert meta.match_id not in runner.resume_stalled()
        assert meta.match_id in runner.resume_stalled(stall_seconds=0)
