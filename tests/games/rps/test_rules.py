from __future__ import annotations

import pytest

from games.core import CorruptRecordError, GameOverError, InvalidOptionsError, MoveError, UnparseableMoveError
from games.rps.rules import Choice, Round, State, clean_best_of, parse_choice, parse_start, replay

R, P, S = Choice.ROCK, Choice.PAPER, Choice.SCISSORS


def rounds(*pairs: str) -> tuple[Round, ...]:
    return tuple(Round.from_record(pair) for pair in pairs)


@pytest.mark.parametrize(
    ("p1", "p2", "winner"),
    [
        (R, S, "p1"),
        (S, P, "p1"),
        (P, R, "p1"),
        (S, R, "p2"),
        (P, S, "p2"),
        (R, P, "p2"),
        (R, R, None),
        (P, P, None),
        (S, S, None),
    ],
)
def test_each_round_is_won_by_the_choice_that_beats_the_other(
    p1: Choice, p2: Choice, winner: str | None
) -> None:
    assert Round(p1, p2).winner == winner


def test_a_drawn_round_is_replayed_and_does_not_count_toward_the_best_of() -> None:
    state = State(best_of=1, rounds=rounds("rock rock", "paper paper"))

    assert state.score == {"p1": 0, "p2": 0}
    assert state.draws == 2
    assert state.outcome() is None


def test_best_of_one_ends_at_the_first_won_round_after_draws() -> None:
    state = State(best_of=1, rounds=rounds("rock rock", "scissors paper"))

    outcome = state.outcome()
    assert outcome is not None
    assert (outcome.winner, outcome.termination, outcome.result) == ("p1", "rounds_won", "1-0")


def test_the_match_ends_early_once_a_seat_has_a_majority() -> None:
    state = State(best_of=5, rounds=rounds("rock paper", "rock paper"))
    assert state.outcome() is None

    state, _ = state.play({"p1": "scissors", "p2": "scissors"})
    assert state.outcome() is None
    state, _ = state.play({"p1": "scissors", "p2": "rock"})

    outcome = state.outcome()
    assert outcome is not None
    assert (outcome.winner, outcome.termination) == ("p2", "rounds_won")
    assert len(state.rounds) == 4  # three counted rounds of five were enough


def test_the_round_cap_counts_draws_and_ends_in_a_win_for_the_seat_ahead() -> None:
    # best of 3: the cap is 9 rounds; p1 wins one, then eight draws.
    state = State(best_of=3, rounds=rounds("paper rock", *["rock rock"] * 7))
    assert state.rounds_left == 1
    assert state.outcome() is None

    state, _ = state.play({"p1": "paper", "p2": "paper"})

    outcome = state.outcome()
    assert outcome is not None
    assert (outcome.winner, outcome.termination, outcome.result) == ("p1", "round_cap", "1-0")


def test_the_round_cap_ends_in_a_draw_when_the_score_is_level() -> None:
    state = State(best_of=3, rounds=rounds("paper rock", "rock paper", *["scissors scissors"] * 7))

    outcome = state.outcome()
    assert outcome is not None
    assert outcome.is_draw
    assert (outcome.termination, outcome.result) == ("round_cap", "1/2-1/2")


def test_no_round_may_be_played_once_the_match_is_over() -> None:
    state = State(best_of=1, rounds=rounds("rock scissors"))

    with pytest.raises(GameOverError):
        state.play({"p1": "rock", "p2": "rock"})


@pytest.mark.parametrize("choices", [{"p1": "rock"}, {"p2": "paper"}, {}])
def test_a_round_refuses_to_be_played_without_both_choices(choices: dict[str, str]) -> None:
    with pytest.raises(MoveError, match="needs both choices"):
        State().play(choices)


def test_a_round_refuses_a_seat_that_is_not_in_the_game() -> None:
    with pytest.raises(MoveError, match="No such seat"):
        State().play({"p1": "rock", "p2": "rock", "p3": "paper"})


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("rock", R),
        ("Paper", P),
        ("SCISSORS", S),
        ("r", R),
        ("P", P),
        (" s ", S),
        ("rock!", R),
        ("\u270a", R),
        ("\u270b", P),
        ("\u270c\ufe0f", S),
        ("\u270c", S),
    ],
)
def test_a_typed_choice_may_be_a_word_an_initial_or_a_hand_sign(text: str, choice: Choice) -> None:
    assert parse_choice(text) == choice


@pytest.mark.parametrize("text", ["", "lizard", "rocks and stones", "rp", "spock"])
def test_anything_else_is_not_a_choice_and_the_message_lists_the_choices(text: str) -> None:
    with pytest.raises(UnparseableMoveError, match="rock, paper or scissors"):
        parse_choice(text)


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (5, 5), (15, 15), ("7", 7), (" 9 ", 9)])
def test_best_of_accepts_odd_whole_numbers_from_1_to_15(value: object, expected: int) -> None:
    assert clean_best_of(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (4, "must be odd"),
        ("6", "must be odd"),
        (0, "between 1 and 15"),
        (-3, "between 1 and 15"),
        (17, "between 1 and 15"),
        ("three", "whole number"),
        (2.5, "whole number"),
        (5.0, "whole number"),
        (True, "whole number"),
        (None, "whole number"),
    ],
)
def test_best_of_refuses_even_out_of_range_and_non_integer_values(value: object, message: str) -> None:
    with pytest.raises(InvalidOptionsError, match=message) as caught:
        clean_best_of(value)
    assert caught.value.field == "best_of"


@pytest.mark.parametrize("start", ["", "best_of=", "best_of=4", "best_of=17", "best_of=5 ", "bestof=5", "5"])
def test_a_malformed_start_is_a_corrupt_record(start: str) -> None:
    with pytest.raises(CorruptRecordError):
        parse_start(start)


def test_a_record_replays_round_by_round() -> None:
    state = replay("best_of=3", ["rock paper", "paper paper", "scissors paper"])

    assert state == State(3, rounds("rock paper", "paper paper", "scissors paper"))
    assert state.score == {"p1": 1, "p2": 1}


@pytest.mark.parametrize(
    "moves",
    [
        ["rock"],
        ["rock  paper"],
        ["Rock paper"],  # records are canonical; tolerance is for typed moves
        ["r p"],
        ["rock paper scissors"],
        ["rock scissors", "rock rock"],  # best of 1 was already won
    ],
)
def test_a_record_the_rules_refuse_is_corrupt(moves: list[str]) -> None:
    with pytest.raises(CorruptRecordError, match="round"):
        replay("best_of=1", moves)


def test_the_step_record_round_trips() -> None:
    played = Round(Choice.SCISSORS, Choice.ROCK)

    assert played.to_record() == "scissors rock"
    assert Round.from_record(played.to_record()) == played
    assert played.label == "scissors vs rock"
