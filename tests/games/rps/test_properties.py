from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from games.core import Outcome
from games.rps import GAME
from games.rps.rules import CAP_FACTOR

best_ofs = st.sampled_from(range(1, 16, 2))
choices = st.sampled_from(["rock", "paper", "scissors"])


@settings(max_examples=150, deadline=None)
@given(best_of=best_ofs, data=st.data())
def test_random_legal_play_ends_with_a_valid_outcome_within_the_cap_and_replays_identically(
    best_of: int, data: st.DataObject
) -> None:
    start = GAME.start({"best_of": best_of})
    state = GAME.replay(start, [])
    records: list[str] = []

    while GAME.to_act(state):
        assert GAME.outcome(state) is None
        moves = {
            seat: data.draw(st.sampled_from(GAME.legal(state, seat))) for seat in sorted(GAME.to_act(state))
        }
        step = GAME.apply(state, moves)
        assert GAME.decode_step(state, step.record) == moves
        records.append(step.record)
        state = step.state
        assert len(records) <= CAP_FACTOR * best_of

    outcome = GAME.outcome(state)
    assert isinstance(outcome, Outcome)
    assert outcome.has_result
    score = GAME.view(state)["score"]
    if outcome.termination == "rounds_won":
        assert outcome.winner is not None
        assert score[outcome.winner] == best_of // 2 + 1
    else:
        assert outcome.termination == "round_cap"
        assert len(records) == CAP_FACTOR * best_of
        assert max(score.values()) < best_of // 2 + 1
        assert outcome.is_draw == (score["p1"] == score["p2"])
    assert GAME.replay(start, records) == state
    assert GAME.position(GAME.replay(start, records)) == GAME.position(state)


@settings(max_examples=100, deadline=None)
@given(best_of=best_ofs, rounds=st.lists(st.tuples(choices, choices), max_size=50))
def test_a_score_never_exceeds_the_majority_and_wins_plus_draws_count_every_round(
    best_of: int, rounds: list[tuple[str, str]]
) -> None:
    state = GAME.replay(GAME.start({"best_of": best_of}), [])
    for p1, p2 in rounds:
        if not GAME.to_act(state):
            break
        state = GAME.apply(state, {"p1": p1, "p2": p2}).state

    view = GAME.view(state)
    draws = sum(1 for row in view["rounds"] if row["winner"] is None)
    assert view["score"]["p1"] + view["score"]["p2"] + draws == len(view["rounds"])
    assert max(view["score"].values()) <= best_of // 2 + 1
