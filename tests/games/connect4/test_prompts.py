from __future__ import annotations

import pytest

from games.connect4 import GAME
from llm.types import Message


def test_the_strict_prompt_shows_the_grid_with_column_numbers_the_turn_and_the_moves() -> None:
    state = GAME.replay("", list("445"))
    system, user = GAME.prompt(state, "yellow", protocol="strict", opponent="Search 3")
    assert (system.role, user.role) == ("system", "user")
    assert "Connect Four as Yellow (Y) against Search 3" in system.content
    assert "Final answer: <column number, 1 to 7>" in system.content
    assert ". . . Y . . .\n. . . R R . .\n1 2 3 4 5 6 7" in user.content
    assert "Moves so far: 1. Red 4, 2. Yellow 4, 3. Red 5" in user.content
    assert "You play Yellow (Y). It is your move" in user.content
    assert "Columns with room" not in user.content


def test_the_assisted_prompt_also_lists_the_columns_with_room() -> None:
    state = GAME.replay("", list("444444"))
    _, user = GAME.prompt(state, "red", protocol="assisted", opponent="a person")
    assert "Columns with room: 1, 2, 3, 5, 6, 7" in user.content
    assert "Moves so far: 1. Red 4" in user.content


def test_the_first_prompt_says_no_moves_yet() -> None:
    _, user = GAME.prompt(GAME.replay("", []), "red", protocol="strict", opponent="x")
    assert "Moves so far: (none yet)" in user.content
    assert "$" not in user.content


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown prompt protocol"):
        GAME.prompt(GAME.replay("", []), "red", protocol="chatty", opponent="x")


def test_the_retry_carries_the_reason_the_grid_and_the_answer_format() -> None:
    state = GAME.replay("", list("444444"))
    message = GAME.retry(state, "red", "Column 4 is full; the columns with room are 1, 2, 3, 5, 6, 7.")
    assert isinstance(message, Message)
    assert message.role == "user"
    assert message.content.startswith("Your move was not accepted: Column 4 is full")
    assert "1 2 3 4 5 6 7" in message.content
    assert 'ending with "Final answer: <column number>"' in message.content
