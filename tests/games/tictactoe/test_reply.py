from __future__ import annotations

import pytest

from games.core import RejectKind
from games.tictactoe import GAME
from games.tictactoe.reply import TicTacToeReader
from games.tictactoe.rules import Board
from llm.answers import Found

CYRILLIC_A1 = "\u04301"  # a1 spelt with a Cyrillic a


def _reader(*moves: str, seat: str | None = None) -> TicTacToeReader:
    board = Board.from_moves(moves)
    return TicTacToeReader(board, seat or board.turn or "x")


# --- one extracted answer ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "square"),
    [
        ("b2", "b2"),
        ("B2", "b2"),
        ("**c3**", "c3"),
        ("`a1`.", "a1"),
        ("I take b2.", "b2"),
        ("5", "b2"),
        ("**5**", "b2"),
        ("5 for the centre", "b2"),
        ("square 5", "b2"),
        ("Square #1", "a3"),
        ("cell 9", "c1"),
        ("the centre", "b2"),
        ("the center square", "b2"),
        ("top-left corner", "a3"),
        ("top right", "c3"),
        ("bottom left", "a1"),
        ("lower right corner", "c1"),
        ("middle left", "a2"),
        ("left middle", "a2"),
        ("top middle", "b3"),
        ("c3 (top right)", "c3"),
        ("1. b2", "b2"),
        ("\uff15", "b2"),  # a full-width 5, folded by llm.answers.normalise
    ],
)
def test_an_answer_naming_one_empty_square_is_read(text: str, square: str) -> None:
    reading = _reader().read(text)
    assert reading.ok, reading.reason
    assert reading.move == square


def test_an_answer_naming_two_squares_is_read_as_the_first() -> None:
    assert _reader().read("b2, blocking a1").move == "b2"
    assert _reader().read("the centre, or a1").move == "a1"  # a coordinate outranks words


def test_an_answer_on_a_taken_square_is_illegal_and_names_the_holder() -> None:
    reading = _reader("b2", "a1").read("b2")
    assert reading.kind == RejectKind.ILLEGAL
    assert reading.candidate == "b2"
    assert reading.reason == "b2 is taken by X; the empty squares are b1, c1, a2, c2, a3, b3, c3."
    assert _reader("b2", "a1").read("square 7").reason == (
        "a1 is taken by O; the empty squares are b1, c1, a2, c2, a3, b3, c3."
    )


@pytest.mark.parametrize(
    "text", ["", "I am not sure.", "left", "the top row", "the middle row", "I have 2 options", "10"]
)
def test_an_answer_without_a_square_names_no_move(text: str) -> None:
    reading = _reader().read(text)
    assert reading.kind == RejectKind.NO_MOVE
    assert reading.reason is not None
    assert "names no square" in reading.reason


@pytest.mark.parametrize("text", ["d4", "a0", "c4", CYRILLIC_A1])
def test_a_coordinate_off_the_board_is_unparseable(text: str) -> None:
    reading = _reader().read(text)
    assert reading.kind == RejectKind.UNPARSEABLE
    assert reading.candidate == text
    assert reading.reason is not None
    assert "is not a square of this board" in reading.reason


def test_cyrillic_letters_are_never_read_as_a_square() -> None:
    # a1, c3 and B2 spelt with Cyrillic letters that look like the Latin ones.
    for text in [CYRILLIC_A1, "\u04413", "\u04122", "Final \u04302"]:
        reading = _reader().read(text)
        assert not reading.ok
        assert reading.kind == RejectKind.UNPARSEABLE
    assert _reader().find(f"I play {CYRILLIC_A1} now") == []


def test_a_move_for_the_seat_not_to_act_is_the_wrong_side() -> None:
    reading = _reader(seat="o").read("b2")
    assert reading.kind == RejectKind.WRONG_SIDE
    assert reading.reason == "It is X's turn, not O's."


def test_a_move_after_the_end_is_game_over() -> None:
    reading = _reader("a1", "a2", "b1", "b2", "c1", seat="o").read("c3")
    assert reading.kind == RejectKind.GAME_OVER


# --- squares in prose ----------------------------------------------------------------------


def test_find_lists_the_squares_in_prose_in_order() -> None:
    text = "If I take b2, O answers A1; square 9 would block. Not d4, nor 5 apples."
    found = _reader().find(text)
    assert [f.text for f in found] == ["b2", "A1", "square 9"]
    assert all(text[f.start : f.end] == f.text for f in found)


def test_find_leaves_out_squares_already_taken() -> None:
    # They describe the board; the choice is among the empty squares.
    found = _reader("b2", "a1").find("X holds b2 and O has a1 (square 7), so c3.")
    assert [f.text for f in found] == ["c3"]


def test_found_squares_read_back_as_their_moves() -> None:
    reader = _reader()
    found = reader.find("Options: a3, square 5 and C1.")
    assert [reader.read(f.text).move for f in found] == ["a3", "b2", "c1"]


def test_find_skips_words_that_merely_contain_a_square() -> None:
    assert _reader().find("ab2 b2c a12 1b2 b2") == [Found(16, 18, "b2")]


# --- whole replies, through llm.answers.read_reply -----------------------------------------


def _reply(text: str, *moves: str) -> tuple[str | None, str, str | None]:
    state = GAME.replay("", list(moves))
    (seat,) = GAME.to_act(state)
    reading = GAME.read_reply(state, seat, text)
    return reading.move, reading.kind, reading.reason


@pytest.mark.parametrize(
    ("reply", "square"),
    [
        ("Final answer: b2", "b2"),
        ("Final answer: B2", "b2"),
        ("The centre is the strongest opening: it sits on four lines.\n\nFinal answer: 5", "b2"),
        ("<think>a1 is a corner, but the centre is better</think> b2", "b2"),
        ("<think>Maybe a1? Or c3.</think>\nFinal answer: a3", "a3"),
        ("So the answer is \\boxed{c3}.", "c3"),
        ('{"move": "a1"}', "a1"),
        ("```\nc1\n```", "c1"),
        ("<answer>b3</answer>", "b3"),
        ("I'll play a2.", "a2"),
        ("I considered a1. Actually, c2.", "c2"),
        ("**Final answer:** `c3`", "c3"),
    ],
)
def test_a_reply_is_read_to_the_square_it_settles_on(reply: str, square: str) -> None:
    assert _reply(reply) == (square, "ok", None)


def test_a_reply_settling_on_a_taken_square_is_illegal_and_says_who_holds_it() -> None:
    move, kind, reason = _reply("X took the centre, so I will mirror.\nFinal answer: b2", "b2")
    assert (move, kind) == (None, "illegal")
    assert reason is not None
    assert reason.startswith("b2 is taken by X")


def test_an_illegal_final_answer_is_not_replaced_by_a_square_from_the_prose() -> None:
    move, kind, _ = _reply("a3 looks fine too.\nFinal answer: a1", "b2", "a1")
    assert (move, kind) == (None, "illegal")


@pytest.mark.parametrize(
    "reply",
    [
        "Empty squares: a1, b1, c1, a2, c2, a3, b3, c3.",
        "a1 b1 c1 a2 c2 a3 b3 c3",
        "- a1\n- c3\n- square 3",
    ],
)
def test_a_reply_that_only_lists_the_empty_squares_names_no_move(reply: str) -> None:
    move, kind, reason = _reply(reply, "b2")
    assert (move, kind) == (None, "no_move")
    assert reason is not None
    assert "does not say which one" in reason


def test_a_reply_without_a_square_names_no_move() -> None:
    assert _reply("I think I will take the best square available.")[:2] == (None, "no_move")
    assert _reply("")[:2] == (None, "no_move")


def test_a_reply_in_cyrillic_letters_is_never_read_as_a_square() -> None:
    move, kind, _ = _reply(CYRILLIC_A1)
    assert (move, kind) == (None, "unparseable")
    assert _reply(f"Final answer: {CYRILLIC_A1}")[0] is None
    assert _reply(f"I like {CYRILLIC_A1} here.")[0] is None


def test_a_reply_in_prose_plays_the_last_empty_square_it_names() -> None:
    # X holds b2: the mention of it is a description, so the choice is c3.
    assert _reply("X has b2, so the corner c3 is the natural reply.", "b2")[:2] == ("c3", "ok")
