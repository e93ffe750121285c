from __future__ import annotations

import pytest

from games.core import GameOverError, IllegalMoveError, UnparseableMoveError
from games.tictactoe.rules import (
    READING_ORDER,
    SQUARES,
    Board,
    Termination,
    keypad_square,
    parse_square,
    square_keypad,
)


def _board(*moves: str) -> Board:
    return Board.from_moves(moves)


@pytest.mark.parametrize(
    ("moves", "line"),
    [
        (("a1", "a2", "b1", "b2", "c1"), ("a1", "b1", "c1")),  # bottom row
        (("a3", "a2", "b3", "b2", "c3"), ("a3", "b3", "c3")),  # top row
        (("b1", "a1", "b2", "a2", "b3"), ("b3", "b2", "b1")),  # middle column
        (("c1", "a1", "c2", "a2", "c3"), ("c3", "c2", "c1")),  # right column
        (("a1", "a2", "b2", "a3", "c3"), ("c3", "b2", "a1")),  # rising diagonal
        (("a3", "a2", "b2", "a1", "c1"), ("a3", "b2", "c1")),  # falling diagonal
    ],
)
def test_three_in_a_row_wins_on_rows_columns_and_diagonals(
    moves: tuple[str, ...], line: tuple[str, ...]
) -> None:
    board = _board(*moves)
    assert board.winner() == "x"
    assert set(board.line()) == set(line)
    assert board.termination() is Termination.THREE_IN_A_ROW
    assert board.is_over()
    assert board.turn is None
    assert board.legal_moves() == []


def test_o_wins_with_its_own_line() -> None:
    board = _board("a1", "a3", "b1", "b3", "c2", "c3")
    assert board.winner() == "o"


def test_a_full_board_without_a_line_is_a_draw() -> None:
    # X O X / X O O / O X X, read top to bottom.
    board = _board("b2", "a1", "c1", "a3", "a2", "c2", "b3", "b1", "c3")
    assert board.winner() is None
    assert board.is_full()
    assert board.termination() is Termination.FULL_BOARD
    assert board.position() == "oxxxxooox"


def test_a_win_on_the_last_square_is_a_win_not_a_draw() -> None:
    board = _board("a1", "b1", "c1", "a2", "b2", "c2", "b3", "a3", "c3")
    assert board.is_full()
    assert board.winner() == "x"
    assert board.termination() is Termination.THREE_IN_A_ROW


def test_x_moves_first_and_the_turn_alternates() -> None:
    assert Board().turn == "x"
    assert _board("b2").turn == "o"
    assert _board("b2", "a1").turn == "x"


def test_the_position_reads_rows_top_to_bottom() -> None:
    assert _board("a3", "b2", "c1").position() == "x...o...x"
    assert _board("a1").position() == "......x.."
    assert _board("a1").rows() == [["", "", ""], ["", "", ""], ["x", "", ""]]


def test_legal_moves_are_the_empty_squares_in_a_fixed_order() -> None:
    assert Board().legal_moves() == ["a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3", "c3"]
    assert _board("b2", "a1").legal_moves() == ["b1", "c1", "a2", "c2", "a3", "b3", "c3"]


@pytest.mark.parametrize("square", SQUARES)
def test_a_square_survives_the_notation_round_trip(square: str) -> None:
    assert parse_square(square) == square
    assert parse_square(square.upper()) == square
    assert parse_square(str(square_keypad(square))) == square
    assert _board(square).mark(square) == "x"


@pytest.mark.parametrize(
    ("digit", "square"),
    [("1", "a3"), ("2", "b3"), ("3", "c3"), ("4", "a2"), ("5", "b2"), ("6", "c2"), ("7", "a1"), ("9", "c1")],
)
def test_keypad_digits_count_left_to_right_top_to_bottom(digit: str, square: str) -> None:
    assert parse_square(digit) == square
    assert keypad_square(int(digit)) == square


def test_reading_order_matches_the_keypad() -> None:
    assert [keypad_square(n) for n in range(1, 10)] == list(READING_ORDER)


def test_typed_squares_ignore_surrounding_spaces_and_case() -> None:
    assert parse_square("  B2 ") == "b2"
    assert parse_square(" 5\n") == "b2"


@pytest.mark.parametrize(
    "text", ["d1", "a4", "a0", "0", "10", "b 2", "bb2", "", "   ", "centre", "\u04301", "\uff15"]
)
def test_text_that_is_no_square_says_so(text: str) -> None:
    with pytest.raises(UnparseableMoveError, match="is not a square: name one from a1 to c3"):
        parse_square(text)


def test_an_occupied_square_is_taken_by_its_holder() -> None:
    board = _board("b2")
    with pytest.raises(IllegalMoveError, match=r"^b2 is taken by X\.$"):
        board.play("b2")
    with pytest.raises(IllegalMoveError, match=r"^a1 is taken by O\.$"):
        _board("b2", "a1").play("a1")


def test_no_move_is_played_after_the_game_is_over() -> None:
    with pytest.raises(GameOverError, match="The game is over"):
        _board("a1", "a2", "b1", "b2", "c1").play("c3")


def test_play_takes_notation_only() -> None:
    with pytest.raises(UnparseableMoveError, match="'B2' is not a square"):
        Board().play("B2")


def test_playing_leaves_the_board_it_came_from_unchanged() -> None:
    before = Board()
    after = before.play("b2")
    assert before == Board()
    assert after.moves == ("b2",)
    assert after != before


def test_the_repr_pastes_back_into_an_equal_board() -> None:
    board = _board("b2", "a1")
    assert eval(repr(board), {"Board": Board}) == board
