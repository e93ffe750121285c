from __future__ import annotations

import json

import pytest

from games.connect4 import GAME
from games.connect4.rules import State, bit, parse_column
from games.core import (
    CorruptRecordError,
    GameOverError,
    GameRecord,
    IllegalMoveError,
    MoveError,
    Outcome,
    UnparseableMoveError,
    get_game,
)
from tests.games.connect4.helpers import DRAWN_GAME, naive_winner


def play(moves: str) -> State:
    return GAME.replay("", list(moves))


def cells_of(state: State) -> set[tuple[int, int]]:
    """The (column, row) cells of the winning four, 1-based."""
    winning = state.winning_cells()
    return {(c + 1, r + 1) for c in range(7) for r in range(6) if winning & bit(c, r)}


# --- identity ---------------------------------------------------------------------------


def test_it_describes_itself_as_connect_four_with_red_first() -> None:
    assert (GAME.id, GAME.name, GAME.seats) == ("connect4", "Connect Four", ("red", "yellow"))
    assert [GAME.seat_label(seat) for seat in GAME.seats] == ["Red", "Yellow"]
    assert GAME.to_act(play("")) == frozenset({"red"})
    assert GAME.to_act(play("4")) == frozenset({"yellow"})
    assert GAME.move_hint == "4 (a column, 1-7)"
    assert GAME.summary.endswith(".")
    assert "four" in GAME.summary


def test_the_registry_knows_it_once_registered() -> None:
    assert get_game("connect4") is GAME


def test_it_starts_from_an_empty_record_whatever_the_options() -> None:
    assert GAME.start({}) == ""
    assert GAME.start({"anything": 1}) == ""


# --- winning and drawing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moves", "four"),
    [
        pytest.param("1122334", {(1, 1), (2, 1), (3, 1), (4, 1)}, id="across"),
        pytest.param("1212121", {(1, 1), (1, 2), (1, 3), (1, 4)}, id="up"),
        pytest.param("12233434474", {(1, 1), (2, 2), (3, 3), (4, 4)}, id="rising diagonal"),
        pytest.param("76655454414", {(7, 1), (6, 2), (5, 3), (4, 4)}, id="falling diagonal"),
    ],
)
def test_four_in_a_row_in_any_direction_wins_for_the_side_that_made_it(
    moves: str, four: set[tuple[int, int]]
) -> None:
    state = play(moves)
    outcome = GAME.outcome(state)
    assert outcome == Outcome.win(GAME.seats, "red", "four_in_a_row")
    assert outcome is not None
    assert outcome.result == "1-0"
    assert GAME.describe(outcome) == "Red wins by four in a row"
    assert cells_of(state) == four
    assert naive_winner(state) == "red"
    assert GAME.to_act(state) == frozenset()
    assert GAME.legal(state, "yellow") == []


def test_yellow_wins_with_four_of_its_own() -> None:
    # Red 1, 1, 7, 6; Yellow 2, 3, 4, 5 across the bottom.
    state = play("12137465")
    outcome = GAME.outcome(state)
    assert outcome == Outcome.win(GAME.seats, "yellow", "four_in_a_row")
    assert outcome is not None
    assert outcome.result == "0-1"
    assert cells_of(state) == {(2, 1), (3, 1), (4, 1), (5, 1)}


def test_three_in_a_row_is_not_a_win() -> None:
    state = play("112233")
    assert GAME.outcome(state) is None
    assert state.winning_cells() == 0


def test_a_full_board_without_four_is_a_draw() -> None:
    state = play(DRAWN_GAME)
    outcome = GAME.outcome(state)
    assert outcome == Outcome.draw(GAME.seats, "full_board")
    assert outcome is not None
    assert GAME.describe(outcome) == "Draw by a full board"
    assert naive_winner(state) is None
    assert GAME.to_act(state) == frozenset()


def test_a_line_broken_by_the_other_colour_is_no_four() -> None:
    state = play("1427375")
    assert state.rows()[-1] == "RRRYR.Y"
    assert GAME.outcome(state) is None


# --- notation and typed moves -----------------------------------------------------------


@pytest.mark.parametrize("text", ["4", " 4 ", "column 4", "Column 4", "col 4", "col. 4", "column4", "d", "D"])
def test_a_typed_column_is_read_in_any_usual_form(text: str) -> None:
    assert GAME.read_move(play(""), "red", text) == "4"


@pytest.mark.parametrize(("text", "move"), [("a", "1"), ("g", "7"), ("1", "1"), ("7", "7")])
def test_letters_a_to_g_name_columns_1_to_7(text: str, move: str) -> None:
    assert GAME.read_move(play(""), "red", text) == move


@pytest.mark.parametrize("text", ["0", "8", "column 8", "h", "42"])
def test_a_column_off_the_grid_is_refused_with_the_range(text: str) -> None:
    with pytest.raises(UnparseableMoveError, match="There are 7 columns: 1 to 7"):
        GAME.read_move(play(""), "red", text)


@pytest.mark.parametrize("text", ["", "   ", "left", "e2e4", "4 5"])
def test_text_that_is_no_column_is_refused_saying_what_to_type(text: str) -> None:
    with pytest.raises(UnparseableMoveError, match="1 to 7"):
        GAME.read_move(play(""), "red", text)


def test_a_full_column_is_refused_naming_the_columns_with_room() -> None:
    state = play("444444")
    with pytest.raises(
        IllegalMoveError, match="Column 4 is full; the columns with room are 1, 2, 3, 5, 6, 7"
    ):
        GAME.read_move(state, "red", "4")
    assert "4" not in GAME.legal(state, "red")
    assert GAME.legal(state, "red") == ["1", "2", "3", "5", "6", "7"]


def test_a_move_out_of_turn_is_refused() -> None:
    with pytest.raises(IllegalMoveError, match="It is Red's turn, not Yellow's"):
        GAME.read_move(play(""), "yellow", "4")
    assert GAME.legal(play(""), "yellow") == []


def test_no_move_is_read_or_applied_once_the_game_is_over() -> None:
    state = play("1122334")
    with pytest.raises(GameOverError, match="The game is over: Red has four in a row"):
        GAME.read_move(state, "yellow", "5")
    with pytest.raises(GameOverError):
        GAME.apply(state, {"yellow": "5"})


def test_every_column_is_legal_on_the_empty_grid() -> None:
    assert GAME.legal(play(""), "red") == ["1", "2", "3", "4", "5", "6", "7"]


def test_parse_column_returns_the_zero_based_column() -> None:
    assert [parse_column(text) for text in ("1", "col 7", "c")] == [0, 6, 2]


# --- applying steps and replaying the record --------------------------------------------


def test_applying_a_step_records_the_column_digit() -> None:
    step = GAME.apply(play("4"), {"yellow": "column 5"})
    assert (step.record, step.label, step.seats) == ("5", "5", ("yellow",))
    assert step.state == play("45")


def test_a_step_by_the_wrong_seat_is_refused() -> None:
    with pytest.raises(IllegalMoveError, match="Red's turn"):
        GAME.apply(play(""), {"yellow": "4"})
    with pytest.raises(MoveError):
        GAME.apply(play(""), {"red": "4", "yellow": "5"})


def test_replaying_the_record_of_applied_steps_gives_the_same_state() -> None:
    state = play("")
    records = []
    for move in ["4", "column 4", "c", " 5 ", "col 3"]:
        step = GAME.apply(state, {next(iter(GAME.to_act(state))): move})
        records.append(step.record)
        state = step.state
    assert records == ["4", "4", "3", "5", "3"]
    assert GAME.replay("", records) == state
    assert GAME.position(GAME.replay("", records)) == GAME.position(state)


@pytest.mark.parametrize(
    ("start", "moves", "message"),
    [
        pytest.param("x", [], "starts empty", id="a start"),
        pytest.param("", ["4", "8"], "Move 2", id="a column off the grid"),
        pytest.param("", ["column 4"], "not a column digit", id="a move not in record notation"),
        pytest.param("", list("4444444"), "Column 4 is full", id="a full column"),
        pytest.param("", list("11223345"), "game is over", id="a move after the end"),
    ],
)
def test_a_record_the_rules_refuse_is_corrupt(start: str, moves: list[str], message: str) -> None:
    with pytest.raises(CorruptRecordError, match=message):
        GAME.replay(start, moves)


# --- texts for the record, the API and the page -----------------------------------------


def test_the_position_shows_six_rows_top_first() -> None:
    assert GAME.position(play("")) == "/".join(["......."] * 6)
    assert GAME.position(play("45")) == "/".join(["......."] * 5 + ["...RY.."])
    assert GAME.position(play("44")).split("/")[-2:] == ["...Y...", "...R..."]


def test_the_view_is_json_with_rows_heights_and_whose_turn() -> None:
    view = GAME.view(play("445"))
    assert json.loads(json.dumps(view)) == view
    assert view["rows"][-2:] == ["...Y...", "...RR.."]
    assert view["heights"] == [0, 0, 0, 2, 1, 0, 0]
    assert view["to_act"] == ["yellow"]
    assert view["last"] == "5"
    assert GAME.view(play("1122334"))["to_act"] == []


def test_the_state_repr_can_be_pasted_back() -> None:
    state = play("4453")
    assert repr(state) == "State.from_notation('4453')"
    assert State.from_notation("4453") == state


def test_the_board_context_marks_the_last_disc_and_the_winning_four() -> None:
    state = play("1122334")
    board = GAME.board(state, viewer=["red"], playable=["red"], last="4")
    bottom = board["rows"][-1]
    assert [cell["disc"] for cell in bottom] == ["red", "red", "red", "red", "", "", ""]
    assert [cell["winning"] for cell in bottom] == [True] * 4 + [False] * 3
    assert [cell["last"] for row in board["rows"] for cell in row].count(True) == 1
    assert bottom[3]["last"]
    assert board["playable"] is False  # the game is over


def test_the_board_is_playable_only_for_the_seat_to_move_and_lists_open_columns() -> None:
    state = play("444444")
    assert GAME.board(state, viewer=["red"], playable=["red"], last="4")["playable"] is True
    assert GAME.board(state, viewer=["yellow"], playable=[], last="4")["playable"] is False
    columns = GAME.board(state, viewer=["red"], playable=["red"], last=None)["columns"]
    assert columns[3] == {"n": "4", "open": False}
    assert [column["open"] for column in columns].count(True) == 6


def test_the_default_export_is_a_json_record() -> None:
    moves = list("1122334")
    record = GameRecord("", moves, moves, {"red": "A", "yellow": "B"}, GAME.outcome(play("1122334")))
    export = GAME.export(record)
    data = json.loads(export.text)
    assert data["game"] == "connect4"
    assert data["outcome"]["description"] == "Red wins by four in a row"
    assert [move["move"] for move in data["moves"]] == list("1122334")
