from __future__ import annotations

import pytest

from games.connect4 import GAME
from games.connect4.reply import ConnectFourReader
from games.connect4.rules import State
from llm.answers import Found, RejectKind

# Column 4 is full; every other column has room.
FULL_CENTRE = "444444"


def reader(moves: str = "", seat: str = "red") -> ConnectFourReader:
    return ConnectFourReader(GAME.replay("", list(moves)), seat)


def reply(text: str, moves: str = "") -> tuple[str | None, str]:
    state: State = GAME.replay("", list(moves))
    reading = GAME.read_reply(state, state.turn.value, text)
    return reading.move, reading.kind


# --- one extracted answer ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["4", " 4 ", "**4**", "4.", "column 4", "Column 4", "col. 4", "col 4", "Column 4 (the centre)", "d",
     "D.", "four", "column four", "4th", "play column 4", "the centre column", "4\ufe0f\u20e3"],
)  # fmt: skip
def test_the_reader_reads_one_answer_in_any_usual_form(text: str) -> None:
    reading = reader().read(text)
    assert (reading.move, reading.kind) == ("4", "ok")


def test_an_answer_is_read_by_the_column_it_starts_with() -> None:
    assert reader().read("3, because it blocks column 5").move == "3"
    assert reader().read("column 3 rather than column 5").move == "3"


def test_a_full_column_is_rejected_as_illegal_naming_the_columns_with_room() -> None:
    reading = reader(FULL_CENTRE).read("column 4")
    assert reading.kind == RejectKind.ILLEGAL
    assert reading.reason == "Column 4 is full; the columns with room are 1, 2, 3, 5, 6, 7."
    assert reading.candidate == "4"


@pytest.mark.parametrize("text", ["8", "column 8", "0", "column h", "12"])
def test_a_column_off_the_grid_is_rejected_as_unparseable_with_the_range(text: str) -> None:
    reading = reader().read(text)
    assert reading.kind == RejectKind.UNPARSEABLE
    assert reading.reason is not None
    assert "numbered 1 to 7" in reading.reason


@pytest.mark.parametrize("text", ["1, 2, 3, 4, 5, 6, 7", "3 or 5", "columns 3 and 5", "3/5"])
def test_a_list_of_columns_names_no_move(text: str) -> None:
    reading = reader().read(text)
    assert reading.kind == RejectKind.NO_MOVE
    assert reading.reason is not None
    assert "chooses none" in reading.reason


@pytest.mark.parametrize("text", ["", "a good move", "e.g. 5", "the left side", "block them"])
def test_text_without_a_column_names_no_move(text: str) -> None:
    assert reader().read(text).kind == RejectKind.NO_MOVE


def test_several_named_columns_are_ambiguous() -> None:
    reading = reader().read("maybe column 3, maybe column 5")
    assert reading.kind == RejectKind.AMBIGUOUS
    assert reading.reason is not None
    assert "3, 5" in reading.reason


def test_a_reader_for_the_seat_not_to_move_rejects_as_wrong_side() -> None:
    assert reader("", seat="yellow").read("4").kind == RejectKind.WRONG_SIDE


def test_a_reader_after_the_end_rejects_as_game_over() -> None:
    assert reader("1122334", seat="yellow").read("5").kind == RejectKind.GAME_OVER


# --- finding columns in prose -----------------------------------------------------------


def test_find_reports_only_clear_column_mentions_and_a_bare_last_line_digit() -> None:
    text = "I have 2 options. Row 3 is key: 3 in a row. Column 5 looks good, col 2 too.\n\n**6**\n"
    found = reader().find(text)
    assert found == [
        Found(text.index("Column 5"), text.index("Column 5") + 8, "Column 5"),
        Found(text.index("col 2"), text.index("col 2") + 5, "col 2"),
        Found(text.index("6"), text.index("6") + 1, "6"),
    ]
    assert all(text[f.start : f.end] == f.text for f in found)


def test_find_ignores_digits_in_ordinary_prose() -> None:
    assert reader().find("I have 2 options and row 3 matters; 4 discs are down.") == []
    assert reader().find("Columns 3 and 4 are both fine") == []


# --- whole replies through llm.answers --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "move"),
    [
        pytest.param("Final answer: 4", "4", id="a final answer"),
        pytest.param(
            "Red threatens column 2, so I must block it.\n\nFinal answer: column 2", "2", id="reasoning first"
        ),
        pytest.param("<think>column 1 looks best</think> Final answer: 5", "5", id="after a think block"),
        pytest.param("The best drop is \\boxed{3}", "3", id="boxed"),
        pytest.param('{"column": 2}', "2", id="JSON"),
        pytest.param("My move: Column 7 (the edge)", "7", id="a move marker with a remark"),
        pytest.param("Final answer: d", "4", id="a letter"),
        pytest.param("Yellow has nothing yet.\n\n5", "5", id="a digit alone on the last line"),
        pytest.param("Column 3 is strong; column 5 is weak.\nI play column 3.", "3", id="the stated play"),
        pytest.param("Final answer: 3 ... actually I'd change to 5", "5", id="a later revision"),
    ],
)
def test_a_whole_reply_is_read_to_its_column(text: str, move: str) -> None:
    assert reply(text) == (move, "ok")


def test_a_whole_reply_naming_a_full_column_is_rejected_with_the_reason() -> None:
    state = GAME.replay("", list(FULL_CENTRE))
    reading = GAME.read_reply(state, "red", "Centre is best.\n\nFinal answer: 4")
    assert reading.kind == RejectKind.ILLEGAL
    assert reading.reason is not None
    assert "Column 4 is full" in reading.reason


def test_a_whole_reply_naming_column_8_is_rejected() -> None:
    move, kind = reply("Final answer: 8")
    assert move is None
    assert kind == RejectKind.UNPARSEABLE


@pytest.mark.parametrize("text", ["1, 2, 3, 4, 5, 6, 7", "Playable columns: 1, 2, 3, 4, 5, 6, 7", ""])
def test_a_reply_only_listing_the_playable_columns_names_no_move(text: str) -> None:
    assert reply(text) == (None, RejectKind.NO_MOVE)


def test_a_reply_with_digits_only_in_prose_names_no_move() -> None:
    assert reply("I have 2 options and row 3 matters") == (None, RejectKind.NO_MOVE)
