from __future__ import annotations

import pytest

from games.tictactoe import GAME

GRID = "  a b c\n3 X . .\n2 . O .\n1 . . X"


def test_the_system_message_names_the_mark_the_opponent_and_the_answer_line() -> None:
    system, _ = GAME.prompt(GAME.replay("", []), "o", protocol="strict", opponent="Perfect player")
    assert system.role == "system"
    assert "tic-tac-toe as O against Perfect player" in system.content
    assert "rows 1, 2, 3 from the bottom up" in system.content
    assert system.content.endswith("Final answer: <square, for example b2>")


def test_the_strict_prompt_shows_the_grid_the_turn_and_the_moves_so_far() -> None:
    state = GAME.replay("", ["a3", "b2", "c1"])
    messages = GAME.prompt(state, "o", protocol="strict", opponent="GPT")
    assert [message.role for message in messages] == ["system", "user"]
    user = messages[1].content
    assert GRID in user
    assert "Moves so far: 1. X a3, 2. O b2, 3. X c1" in user
    assert "You play O. It is your move." in user
    assert "empty squares you may choose" not in user


def test_the_assisted_prompt_also_lists_the_legal_squares() -> None:
    state = GAME.replay("", ["a3", "b2", "c1"])
    user = GAME.prompt(state, "o", protocol="assisted", opponent="GPT")[1].content
    assert GRID in user
    assert "The empty squares you may choose: a1 b1 a2 c2 b3 c3" in user


def test_the_first_prompt_says_no_moves_were_played_yet() -> None:
    user = GAME.prompt(GAME.replay("", []), "x", protocol="strict", opponent="GPT")[1].content
    assert "Moves so far: (none yet)" in user
    assert "  a b c\n3 . . .\n2 . . .\n1 . . ." in user


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown prompt protocol"):
        GAME.prompt(GAME.replay("", []), "x", protocol="chatty", opponent="GPT")


def test_the_retry_carries_the_reason_the_board_and_how_to_answer() -> None:
    state = GAME.replay("", ["a3", "b2", "c1"])
    message = GAME.retry(state, "o", "a3 is taken by X.")
    assert message.role == "user"
    assert message.content.startswith("Your move was not accepted: a3 is taken by X.")
    assert GRID in message.content
    assert "You play O." in message.content
    assert message.content.endswith("Final answer: <square, for example b2>")
    assert "$" not in message.content
