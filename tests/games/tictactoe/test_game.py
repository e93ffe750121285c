from __future__ import annotations

import json

import pytest

from games.core import (
    CorruptRecordError,
    GameOverError,
    GameRecord,
    IllegalMoveError,
    Outcome,
    UnparseableMoveError,
)
from games.core.registry import _GAMES
from games.tictactoe import GAME
from games.tictactoe.game import TicTacToe
from games.tictactoe.rules import Board

X_WINS = ["a1", "a2", "b1", "b2", "c1"]
DRAW = ["b2", "a1", "c1", "a3", "a2", "c2", "b3", "b1", "c3"]


def test_the_package_registers_its_game_under_its_id() -> None:
    assert isinstance(GAME, TicTacToe)
    assert _GAMES["tictactoe"] is GAME
    assert GAME.name == "Tic-tac-toe"
    assert GAME.seats == ("x", "o")
    assert [GAME.seat_label(seat) for seat in GAME.seats] == ["X", "O"]
    assert not GAME.simultaneous
    assert GAME.move_hint == "b2 or 5"
    assert GAME.summary.endswith(".")


def test_the_start_is_empty_whatever_the_options() -> None:
    assert GAME.start({}) == ""
    assert GAME.start({"best_of": 5}) == ""
    assert GAME.clean_options({"anything": 1}) == {}


def test_replay_of_the_stored_record_rebuilds_the_state() -> None:
    state = GAME.replay("", X_WINS)
    assert state == Board.from_moves(X_WINS)
    assert GAME.position(state) == "...oo.xxx"


@pytest.mark.parametrize(
    ("start", "moves", "reason"),
    [
        ("best_of=3", [], "starts empty"),
        ("", ["b2", "b2"], r"Move 2 \('b2'\): b2 is taken by X"),
        ("", ["B2"], r"Move 1 \('B2'\): 'B2' is not a square"),
        ("", ["5"], "is not a square"),
        ("", [*X_WINS, "c3"], r"Move 6 \('c3'\): The game is over"),
    ],
)
def test_replay_refuses_a_record_the_rules_refuse(start: str, moves: list[str], reason: str) -> None:
    with pytest.raises(CorruptRecordError, match=reason):
        GAME.replay(start, moves)


def test_the_one_seat_to_act_alternates_and_none_acts_once_it_is_over() -> None:
    assert GAME.to_act(GAME.replay("", [])) == frozenset({"x"})
    assert GAME.to_act(GAME.replay("", ["b2"])) == frozenset({"o"})
    assert GAME.to_act(GAME.replay("", X_WINS)) == frozenset()
    assert GAME.to_act(GAME.replay("", DRAW)) == frozenset()


def test_legal_moves_belong_to_the_seat_to_act_only() -> None:
    state = GAME.replay("", ["b2"])
    assert GAME.legal(state, "o") == ["a1", "b1", "c1", "a2", "c2", "a3", "b3", "c3"]
    assert GAME.legal(state, "x") == []
    assert GAME.legal(GAME.replay("", X_WINS), "o") == []


def test_a_typed_move_may_be_a_square_in_any_case_or_a_keypad_digit() -> None:
    state = GAME.replay("", [])
    assert GAME.read_move(state, "x", "b2") == "b2"
    assert GAME.read_move(state, "x", " B2 ") == "b2"
    assert GAME.read_move(state, "x", "5") == "b2"
    assert GAME.read_move(state, "x", "1") == "a3"
    assert GAME.read_move(state, "x", "9") == "c1"


def test_a_typed_move_on_a_taken_square_says_who_holds_it() -> None:
    state = GAME.replay("", ["b2", "a1"])
    with pytest.raises(IllegalMoveError, match=r"^b2 is taken by X\.$"):
        GAME.read_move(state, "x", "5")
    with pytest.raises(IllegalMoveError, match=r"^a1 is taken by O\.$"):
        GAME.read_move(state, "x", "A1")


def test_a_typed_move_that_is_no_square_says_so() -> None:
    with pytest.raises(UnparseableMoveError, match="'d4' is not a square"):
        GAME.read_move(GAME.replay("", []), "x", "d4")


def test_a_typed_move_out_of_turn_is_refused() -> None:
    with pytest.raises(IllegalMoveError, match="It is X's turn, not O's"):
        GAME.read_move(GAME.replay("", []), "o", "b2")


def test_a_typed_move_after_the_end_says_the_game_is_over() -> None:
    with pytest.raises(GameOverError, match="The game is over"):
        GAME.read_move(GAME.replay("", X_WINS), "o", "c3")


def test_apply_returns_the_step_with_its_square_as_record_and_label() -> None:
    step = GAME.apply(GAME.replay("", ["a1"]), {"o": "b2"})
    assert step.state == GAME.replay("", ["a1", "b2"])
    assert (step.record, step.label, step.seats) == ("b2", "b2", ("o",))


def test_apply_refuses_the_wrong_seat_an_occupied_square_and_a_finished_game() -> None:
    with pytest.raises(IllegalMoveError, match="X's turn"):
        GAME.apply(GAME.replay("", []), {"o": "b2"})
    with pytest.raises(IllegalMoveError, match="X's turn"):
        GAME.apply(GAME.replay("", []), {"x": "b2", "o": "a1"})
    with pytest.raises(IllegalMoveError, match="b2 is taken by X"):
        GAME.apply(GAME.replay("", ["b2"]), {"o": "b2"})
    with pytest.raises(GameOverError):
        GAME.apply(GAME.replay("", X_WINS), {"o": "c3"})


def test_three_in_a_row_is_a_win_for_its_seat() -> None:
    outcome = GAME.outcome(GAME.replay("", X_WINS))
    assert outcome == Outcome.win(("x", "o"), "x", "three_in_a_row")
    assert outcome.result == "1-0"
    assert GAME.describe(outcome) == "X wins by three in a row"
    o_wins = GAME.outcome(GAME.replay("", ["a1", "a3", "b1", "b3", "c2", "c3"]))
    assert o_wins is not None
    assert (o_wins.winner, o_wins.result) == ("o", "0-1")


def test_a_full_board_is_a_draw() -> None:
    outcome = GAME.outcome(GAME.replay("", DRAW))
    assert outcome == Outcome.draw(("x", "o"), "full_board")
    assert outcome.result == "1/2-1/2"
    assert GAME.describe(outcome) == "Draw by a full board"


def test_a_game_in_progress_has_no_outcome() -> None:
    assert GAME.outcome(GAME.replay("", ["b2"])) is None


def test_the_view_is_json_with_rows_top_to_bottom() -> None:
    view = GAME.view(GAME.replay("", ["a3", "b2"]))
    assert json.loads(json.dumps(view)) == view
    assert view == {
        "board": [["x", "", ""], ["", "o", ""], ["", "", ""]],
        "to_act": ["x"],
        "moves": ["a3", "b2"],
        "line": [],
    }
    assert GAME.view(GAME.replay("", X_WINS))["line"] == ["a1", "b1", "c1"]


def test_the_board_marks_the_last_move_and_is_playable_only_on_the_viewers_turn() -> None:
    state = GAME.replay("", ["b2"])
    board = GAME.board(state, viewer=["o"], playable=["o"], last="b2")
    assert board["playable"] is True
    assert [[cell["square"] for cell in row] for row in board["rows"]] == [
        ["a3", "b3", "c3"],
        ["a2", "b2", "c2"],
        ["a1", "b1", "c1"],
    ]
    centre = board["rows"][1][1]
    assert centre == {"square": "b2", "mark": "x", "label": "b2, X", "last": True, "line": False}
    assert board["rows"][0][0] == {
        "square": "a3",
        "mark": "",
        "label": "a3, empty",
        "last": False,
        "line": False,
    }
    assert GAME.board(state, viewer=["x"], playable=[], last="b2")["playable"] is False
    assert GAME.board(state, viewer=["x"], playable=["x"], last="b2")["playable"] is False
    finished = GAME.replay("", X_WINS)
    assert GAME.board(finished, viewer=["o"], playable=["o"], last="c1")["playable"] is False


def test_the_board_highlights_the_winning_line() -> None:
    board = GAME.board(GAME.replay("", X_WINS), viewer=[], playable=[], last="c1")
    assert [cell["square"] for row in board["rows"] for cell in row if cell["line"]] == ["a1", "b1", "c1"]


def test_the_move_list_has_one_row_per_move() -> None:
    rows = GAME.move_rows("", ["b2", "a1"])
    assert [(row.number, [cell.label for cell in row.cells if cell]) for row in rows] == [
        (1, ["b2"]),
        (2, ["a1"]),
    ]


def test_the_export_is_a_json_record_with_the_outcome() -> None:
    state = GAME.replay("", X_WINS)
    export = GAME.export(
        GameRecord("", X_WINS, X_WINS, {"x": "Alice", "o": "Perfect player"}, GAME.outcome(state))
    )
    data = json.loads(export.text)
    assert data["game"] == "tictactoe"
    assert [move["move"] for move in data["moves"]] == X_WINS
    assert data["outcome"]["description"] == "X wins by three in a row"
