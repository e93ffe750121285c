from __future__ import annotations

import re

import pytest

from games.rps import GAME
from games.rps.rules import State

# p1 won round 1, round 2 was drawn, p2 won round 3.
STEPS = ["rock scissors", "paper paper", "scissors rock"]


def state_after(*steps: str, best_of: int = 5) -> State:
    return GAME.replay(f"best_of={best_of}", list(steps))


def test_the_system_message_states_the_rules_and_the_answer_form() -> None:
    system, _ = GAME.prompt(state_after(), "p1", protocol="strict", opponent="gpt-x")

    assert system.role == "system"
    assert "rock-paper-scissors as Player 1 against gpt-x, best of 5" in system.content
    assert "draw and is replayed" in system.content
    assert "first player to win 3 rounds" in system.content
    assert "after 15 rounds in all" in system.content
    assert system.content.endswith("naming one of the three:\nFinal answer: rock|paper|scissors")


def test_the_history_is_a_table_from_the_seats_point_of_view() -> None:
    _, user = GAME.prompt(state_after(*STEPS), "p2", protocol="strict", opponent="gpt-x")

    assert user.role == "user"
    assert user.content.startswith("You are Player 2.")
    assert "| 1 | scissors | rock | opponent |" in user.content
    assert "| 2 | paper | paper | draw (replayed) |" in user.content
    assert "| 3 | rock | scissors | you |" in user.content
    assert "Score: you 1, your opponent 1 (first to 3 round wins)." in user.content
    assert "You need 2 more round wins, your opponent 2; at most 12 rounds left" in user.content
    assert "Round 4: choose" in user.content


def test_the_first_round_says_there_is_no_history_yet() -> None:
    _, user = GAME.prompt(state_after(best_of=1), "p1", protocol="strict", opponent="bot")

    assert "(none yet: this is the first round)" in user.content
    assert "You need 1 more round win, your opponent 1; at most 3 rounds left" in user.content


def test_only_the_assisted_prompt_lists_the_legal_choices() -> None:
    state = state_after(*STEPS)
    _, strict = GAME.prompt(state, "p1", protocol="strict", opponent="bot")
    _, assisted = GAME.prompt(state, "p1", protocol="assisted", opponent="bot")

    assert "legal choices" not in strict.content
    assert assisted.content.endswith("Your legal choices: rock, paper, scissors")


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="protocol"):
        GAME.prompt(state_after(), "p1", protocol="chatty", opponent="bot")


@pytest.mark.parametrize("protocol", ["strict", "assisted"])
def test_the_prompt_for_p2_holds_nothing_but_the_revealed_record(protocol: str) -> None:
    # Whatever p1 has sealed for round 4 is in no State, so it cannot reach the prompt. Here:
    # the system message does not depend on the rounds at all, and the only choices the user
    # message names are the table's, which are exactly the revealed rounds (the answer form
    # and the legal list name all three, whatever was played).
    state = state_after(*STEPS)
    system, user = GAME.prompt(state, "p2", protocol=protocol, opponent="bot")

    assert system == GAME.prompt(state_after(), "p2", protocol=protocol, opponent="bot")[0]
    lines = user.content.splitlines()
    rows = [line for line in lines if re.match(r"\| \d+ \|", line)]
    assert [row.split(" | ")[1:3] for row in rows] == [
        [p2, p1] for p1, p2 in (step.split() for step in STEPS)
    ]
    rest = "\n".join(line for line in lines if line not in rows)
    for fixed in ("choose rock, paper or scissors", "Your legal choices: rock, paper, scissors"):
        rest = rest.replace(fixed, "")
    assert re.search(r"rock|paper|scissors|\u270a|\u270b|\u270c", rest, re.IGNORECASE) is None, rest


def test_the_retry_carries_the_reason_and_the_answer_form() -> None:
    message = GAME.retry(
        state_after(*STEPS), "p1", "'lizard' is not a choice; choose rock, paper or scissors."
    )

    assert message.role == "user"
    assert message.content.startswith("Your choice was not accepted: 'lizard' is not a choice")
    assert "Round 4 has not been played yet" in message.content
    assert message.content.endswith('"Final answer: rock|paper|scissors" that names one of the three.')
