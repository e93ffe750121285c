from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from games.tictactoe import GAME
from games.tictactoe.rules import SQUARES, Board, square_keypad


@st.composite
def _games(draw: st.DrawFn) -> tuple[Board, list[str]]:
    """A game of random legal moves, played through the protocol until it ends."""
    state = GAME.replay("", [])
    records: list[str] = []
    while GAME.to_act(state):
        (seat,) = GAME.to_act(state)
        move = draw(st.sampled_from(GAME.legal(state, seat)))
        step = GAME.apply(state, {seat: move})
        assert step.seats == (seat,)
        records.append(step.record)
        state = step.state
    return state, records


@settings(max_examples=300, deadline=None)
@given(_games())
def test_random_legal_play_ends_with_a_valid_outcome_within_nine_moves(game: tuple[Board, list[str]]) -> None:
    state, records = game
    assert 5 <= len(records) <= 9
    outcome = GAME.outcome(state)
    assert outcome is not None
    assert outcome.termination in GAME.terminations
    assert sorted(outcome.scores.values()) in ([0.0, 1.0], [0.5, 0.5])
    assert sum(outcome.scores.values()) == 1
    assert (outcome.winner is None) == (outcome.termination == "full_board")
    assert GAME.legal(state, "x") == GAME.legal(state, "o") == []


@settings(max_examples=300, deadline=None)
@given(_games())
def test_replaying_the_record_gives_the_same_state_position_and_outcome(
    game: tuple[Board, list[str]],
) -> None:
    state, records = game
    replayed = GAME.replay(GAME.start({}), records)
    assert replayed == state
    assert GAME.position(replayed) == GAME.position(state)
    assert GAME.outcome(replayed) == GAME.outcome(state)
    assert GAME.view(replayed) == GAME.view(state)


@settings(max_examples=200, deadline=None)
@given(_games(), st.data())
def test_every_prefix_of_a_record_replays_and_its_typed_moves_read_back(
    game: tuple[Board, list[str]], data: st.DataObject
) -> None:
    _, records = game
    cut = data.draw(st.integers(0, len(records) - 1))
    state = GAME.replay("", records[:cut])
    (seat,) = GAME.to_act(state)
    square = records[cut]
    assert GAME.read_move(state, seat, square.upper()) == square
    assert square in GAME.legal(state, seat)


@settings(max_examples=200, deadline=None)
@given(_games(), st.data())
def test_a_final_answer_reads_as_its_square_when_empty_and_illegal_when_taken(
    game: tuple[Board, list[str]], data: st.DataObject
) -> None:
    _, records = game
    state = GAME.replay("", records[: data.draw(st.integers(0, len(records) - 1))])
    (seat,) = GAME.to_act(state)
    square = data.draw(st.sampled_from(SQUARES))
    spelling = data.draw(st.sampled_from([square, square.upper(), str(square_keypad(square))]))
    reading = GAME.read_reply(state, seat, f"Let me think about it.\n\nFinal answer: {spelling}")
    if square in GAME.legal(state, seat):
        assert (reading.move, reading.kind) == (square, "ok")
    else:
        assert (reading.move, reading.kind) == (None, "illegal")
        assert reading.reason is not None
        assert reading.reason.startswith(f"{square} is taken by {GAME.seat_label(state.mark(square))}")
