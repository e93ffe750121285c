"""Random legal play, checked against an independent reading of the grid."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from games.connect4 import GAME, bots
from games.connect4.rules import State
from tests.games.connect4.helpers import naive_winner, threat_columns, winning_columns


def random_game(data: st.DataObject) -> tuple[list[str], list[State]]:
    """A game of random legal steps to its end: the record and every state on the way."""
    state = GAME.replay("", [])
    records: list[str] = []
    states = [state]
    while GAME.to_act(state):
        (seat,) = GAME.to_act(state)
        step = GAME.apply(state, {seat: data.draw(st.sampled_from(GAME.legal(state, seat)))})
        records.append(step.record)
        state = step.state
        states.append(state)
    return records, states


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_play_ends_with_a_valid_outcome_within_42_steps_and_replays_identically(
    data: st.DataObject,
) -> None:
    records, states = random_game(data)
    final = states[-1]
    outcome = GAME.outcome(final)
    assert outcome is not None
    assert outcome.has_result
    assert len(records) <= 42
    # Only the last state is over, and the rules agree with a cell-by-cell scan of the grid.
    assert all(GAME.outcome(state) is None and naive_winner(state) is None for state in states[:-1])
    if outcome.winner is None:
        assert (len(records), outcome.termination, naive_winner(final)) == (42, "full_board", None)
    else:
        assert outcome.termination == "four_in_a_row"
        assert naive_winner(final) == outcome.winner == GAME.seats[(len(records) - 1) % 2]
        assert final.winning_cells().bit_count() >= 4
    replayed = GAME.replay(GAME.start({}), records)
    assert replayed == final
    assert GAME.position(replayed) == GAME.position(final)
    assert GAME.outcome(replayed) == outcome
    assert [GAME.position(GAME.replay("", records[:n])) for n in range(len(records) + 1)] == [
        GAME.position(state) for state in states
    ]


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(0, 2**32 - 1))
def test_every_search_level_takes_each_win_and_blocks_each_lone_threat_it_meets(
    data: st.DataObject, seed: int
) -> None:
    _, states = random_game(data)
    rng = random.Random(seed)
    for state in states[:-1]:
        wins = winning_columns(state)
        threats = threat_columns(state)
        if not wins and len(threats) != 1:
            continue  # an open choice: the search would think for its whole budget
        for level in bots.LEVELS.values():
            column = bots.decide(state, level, rng).column
            assert column in (wins or threats), (level.ref, state)
