from __future__ import annotations

import json

import pytest

from games.core import (
    CorruptRecordError,
    GameOverError,
    GameRecord,
    InvalidOptionsError,
    MoveError,
    Outcome,
    UnparseableMoveError,
)
from games.rps import GAME
from games.rps.rules import State

SEATS = ("p1", "p2")


def played(best_of: int, *steps: str) -> State:
    return GAME.replay(f"best_of={best_of}", list(steps))


def test_the_game_is_rps_with_two_seats_choosing_at_once() -> None:
    assert (GAME.id, GAME.name, GAME.seats, GAME.simultaneous) == ("rps", "Rock-paper-scissors", SEATS, True)
    assert [GAME.seat_label(seat) for seat in SEATS] == ["Player 1", "Player 2"]


def test_the_best_of_option_is_an_odd_int_defaulting_to_five() -> None:
    (option,) = GAME.options

    assert option.to_dict() == {
        "label": "Best of",
        "type": "int",
        "default": 5,
        "help": option.help,
        "min": 1,
        "max": 15,
    }
    assert GAME.clean_options({}) == {"best_of": 5}
    assert GAME.clean_options({"best_of": ""}) == {"best_of": 5}
    assert GAME.clean_options({"best_of": "3"}) == {"best_of": 3}


def test_clean_options_names_the_field_and_says_what_is_wrong() -> None:
    with pytest.raises(InvalidOptionsError) as caught:
        GAME.clean_options({"best_of": 8})

    assert caught.value.field == "best_of"
    assert caught.value.message == "Best of must be odd (1, 3, 5 ... 15), not 8."


def test_the_start_record_is_best_of_n_and_replays_to_an_empty_match() -> None:
    start = GAME.start({"best_of": 7})

    assert start == "best_of=7"
    assert GAME.replay(start, []) == State(best_of=7)
    with pytest.raises(InvalidOptionsError):
        GAME.start({"best_of": 2})


def test_both_seats_act_until_the_match_is_over_then_none() -> None:
    state = played(1, "rock rock")
    assert GAME.to_act(state) == frozenset(SEATS)
    assert GAME.legal(state, "p2") == ["rock", "paper", "scissors"]

    over = GAME.apply(state, {"p1": "rock", "p2": "paper"}).state

    assert GAME.to_act(over) == frozenset()
    assert GAME.legal(over, "p1") == []
    assert GAME.outcome(over) == Outcome.win(SEATS, "p2", "rounds_won")


def test_apply_returns_the_round_as_record_label_and_both_seats() -> None:
    step = GAME.apply(played(3), {"p1": "scissors", "p2": "paper"})

    assert (step.record, step.label, step.seats) == ("scissors paper", "scissors vs paper", SEATS)
    assert GAME.view(step.state)["score"] == {"p1": 1, "p2": 0}


def test_decode_step_gives_back_what_apply_was_given() -> None:
    state = played(5, "rock rock")
    moves = {"p1": "paper", "p2": "scissors"}
    step = GAME.apply(state, moves)

    assert GAME.decode_step(state, step.record) == moves
    assert GAME.replay("best_of=5", ["rock rock", step.record]) == step.state


def test_decode_step_refuses_a_record_that_is_not_a_round() -> None:
    with pytest.raises(CorruptRecordError):
        GAME.decode_step(played(5), "rock")


@pytest.mark.parametrize("moves", [{"p1": "rock"}, {"p2": "rock"}])
def test_apply_refuses_a_round_with_a_seat_missing(moves: dict[str, str]) -> None:
    with pytest.raises(MoveError, match="needs both choices"):
        GAME.apply(played(5), moves)


def test_read_move_reads_one_seats_typed_choice_to_notation() -> None:
    state = played(5, "rock paper")

    assert GAME.read_move(state, "p1", " Scissors ") == "scissors"
    assert GAME.read_move(state, "p2", "\u270b") == "paper"
    with pytest.raises(UnparseableMoveError, match="'lizard' is not a choice"):
        GAME.read_move(state, "p1", "lizard")
    with pytest.raises(GameOverError):
        GAME.read_move(played(1, "rock paper"), "p1", "rock")


def test_position_is_the_score_after_the_rounds_played() -> None:
    assert GAME.position(played(5)) == "0-0 after 0 rounds"
    assert GAME.position(played(5, "rock paper")) == "0-1 after 1 round"
    assert (
        GAME.position(played(5, "rock paper", "rock rock", "rock scissors", "paper rock"))
        == "2-1 after 4 rounds"
    )


def test_view_lists_the_revealed_rounds_with_their_winners() -> None:
    view = GAME.view(played(3, "rock paper", "paper paper"))

    assert view == {
        "best_of": 3,
        "wins_needed": 2,
        "round_cap": 9,
        "rounds": [
            {"n": 1, "p1": "rock", "p2": "paper", "winner": "p2"},
            {"n": 2, "p1": "paper", "p2": "paper", "winner": None},
        ],
        "score": {"p1": 0, "p2": 1},
        "to_act": ["p1", "p2"],
    }
    json.dumps(view)


def test_the_terminations_read_as_sentences() -> None:
    assert GAME.describe(Outcome.win(SEATS, "p1", "rounds_won")) == "Player 1 wins by a majority of rounds"
    assert GAME.describe(Outcome.win(SEATS, "p2", "round_cap")) == "Player 2 wins by the round limit"
    assert GAME.describe(Outcome.draw(SEATS, "round_cap")) == "Draw by the round limit"


def test_the_bots_are_listed_by_ref() -> None:
    assert [(bot.ref, bot.label) for bot in GAME.bots()] == [
        ("random", "Random thrower"),
        ("frequency", "Frequency counter"),
    ]
    assert GAME.bot("frequency") is not None
    assert GAME.bot("engine:2") is None


def test_the_board_offers_only_playable_seats_and_leaves_chosen_to_the_arena() -> None:
    state = played(5, "rock paper")

    board = GAME.board(state, viewer=["p1", "p2"], playable=["p2"], last="rock paper")

    assert board["playable"] == [{"seat": "p2", "label": "Player 2"}]
    assert board["chosen"] == []
    assert board["best_of"] == 5
    assert [(side["label"], side["wins"]) for side in board["score"]] == [("Player 1", 0), ("Player 2", 1)]
    assert board["rounds"] == [
        {"n": 1, "p1": "rock", "p2": "paper", "winner": "p2", "winner_label": "Player 2", "last": True}
    ]


def test_the_board_offers_nothing_to_play_once_the_match_is_over() -> None:
    board = GAME.board(played(1, "rock paper"), viewer=["p1"], playable=["p1"], last=None)

    assert board["playable"] == []
    assert board["over"] is True


def test_the_export_is_a_json_record_of_every_round_the_score_and_the_outcome() -> None:
    moves = ["rock paper", "paper paper", "scissors paper", "rock scissors"]
    outcome = GAME.outcome(played(3, *moves))
    record = GameRecord(
        start="best_of=3",
        moves=moves,
        labels=[move.replace(" ", " vs ") for move in moves],
        players={"p1": "Ada", "p2": "random bot"},
        outcome=outcome,
        headers={"match_id": "m1"},
    )

    export = GAME.export(record)
    data = json.loads(export.text)

    assert (export.content_type, export.extension) == ("application/json", "json")
    assert data["game"] == "rps"
    assert data["match_id"] == "m1"
    assert data["players"] == {"p1": "Ada", "p2": "random bot"}
    assert data["best_of"] == 3
    assert data["rounds"][1] == {"n": 2, "p1": "paper", "p2": "paper", "winner": None, "move": "paper paper"}
    assert [row["winner"] for row in data["rounds"]] == ["p2", None, "p1", "p1"]
    assert data["score"] == {"p1": 2, "p2": 1}
    assert data["outcome"]["result"] == "1-0"
    assert data["outcome"]["description"] == "Player 1 wins by a majority of rounds"


def test_the_export_of_a_running_match_has_no_outcome_yet() -> None:
    record = GameRecord("best_of=5", ["rock rock"], ["rock vs rock"], {"p1": "A", "p2": "B"}, None)

    data = json.loads(GAME.export(record).text)

    assert data["outcome"] is None
    assert data["score"] == {"p1": 0, "p2": 0}
