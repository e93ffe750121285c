"""Every registered game, through the protocol only: random legal play always ends with a
valid outcome, and the stored record (start + steps) replays to the same state."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games.core import CorruptRecordError, MoveError, Outcome, all_games, get_game

GAMES = [game.id for game in all_games()]
# Chess games can run long; a cap keeps the test fast (a capped game must still be running).
MAX_STEPS = 120


def _play(game_id: str, seed: int) -> tuple[list[str], object, str]:
    rules = get_game(game_id)
    rng = random.Random(seed)
    start = rules.start(rules.clean_options({}))
    state = rules.replay(start, [])
    record: list[str] = []
    for _ in range(MAX_STEPS):
        acting = rules.to_act(state)
        if not acting:
            break
        moves = {seat: rng.choice(rules.legal(state, seat)) for seat in sorted(acting)}
        step = rules.apply(state, moves)
        assert set(step.seats) == acting
        record.append(step.record)
        state = step.state
    return record, state, start


@pytest.mark.parametrize("game_id", GAMES)
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_random_legal_play_ends_with_a_valid_outcome_and_replays_identically(game_id, seed):
    rules = get_game(game_id)
    record, state, start = _play(game_id, seed)
    outcome = rules.outcome(state)
    if outcome is None:
        # Only a capped chess game may still be running.
        assert game_id == "chess"
        assert len(record) == MAX_STEPS
        assert rules.to_act(state)
    else:
        assert isinstance(outcome, Outcome)
        assert outcome.has_result
        assert sum(outcome.scores.values()) == 1
        assert set(outcome.scores) == set(rules.seats)
        assert rules.to_act(state) == frozenset()
        assert rules.describe(outcome)
    replayed = rules.replay(start, record)
    assert rules.position(replayed) == rules.position(state)
    assert rules.outcome(replayed) == outcome
    assert rules.view(replayed) == rules.view(state)


@pytest.mark.parametrize("game_id", GAMES)
def test_a_record_with_a_foreign_step_does_not_replay(game_id):
    rules = get_game(game_id)
    with pytest.raises(CorruptRecordError):
        rules.replay(rules.start(rules.clean_options({})), ["not-a-move-of-any-game"])


@pytest.mark.parametrize("game_id", GAMES)
def test_a_typed_nonsense_move_is_refused_with_a_reason(game_id):
    rules = get_game(game_id)
    state = rules.replay(rules.start(rules.clean_options({})), [])
    seat = sorted(rules.to_act(state))[0]
    with pytest.raises(MoveError) as raised:
        rules.read_move(state, seat, "zz9")
    assert str(raised.value)


@pytest.mark.parametrize("game_id", GAMES)
def test_every_game_has_bots_prompts_and_a_board(game_id):
    rules = get_game(game_id)
    state = rules.replay(rules.start(rules.clean_options({})), [])
    seat = sorted(rules.to_act(state))[0]
    assert rules.bots()[0].ref == "random"
    for bot in rules.bots():
        if bot.available and bot.ref in ("random",):
            assert bot.choose(state, seat, random.Random(1)) in rules.legal(state, seat)
    for protocol in ("strict", "assisted"):
        messages = rules.prompt(state, seat, protocol=protocol, opponent="Someone")
        assert [m.role for m in messages] == ["system", "user"]
        assert "Final answer" in messages[0].content + messages[1].content
    assert rules.retry(state, seat, "that was not legal").role == "user"
    assert rules.read_reply(state, seat, "I have no idea.").ok is False
    board = rules.board(state, viewer=[seat], playable=[seat], last=None)
    assert isinstance(board, dict)
