from __future__ import annotations

import pytest

from games.core import RejectKind
from games.rps import GAME
from games.rps.reply import RpsReader
from games.rps.rules import State

READER = RpsReader()


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("rock", "rock"),
        ("Rock!", "rock"),
        ("**paper**", "paper"),
        ("I throw scissors", "scissors"),
        ("SCISSORS.", "scissors"),
        ("scissor", "scissors"),
        ("`p`", "paper"),
        ("R", "rock"),
        ("\u270c\ufe0f", "scissors"),
        ("\u270a", "rock"),
        ("paper, definitely paper", "paper"),
        ("paper because it beats rock", "paper"),
        ("scissors to beat their paper", "scissors"),
        ("rock rather than paper", "rock"),
    ],
)
def test_an_answer_naming_one_choice_is_accepted(text: str, move: str) -> None:
    reading = READER.read(text)

    assert reading.ok
    assert reading.move == move


def test_an_answer_naming_two_different_choices_is_ambiguous() -> None:
    reading = READER.read("rock or paper")

    assert not reading.ok
    assert reading.kind == RejectKind.AMBIGUOUS
    assert (
        reading.reason
        == "Your answer names rock and paper; give exactly one choice: rock, paper or scissors."
    )


@pytest.mark.parametrize(
    "text",
    [
        "rock/paper",
        "rock and paper",
        "rock, no, paper",
        "not rock but paper",
        "paper as it is not rock",
        "rock|paper|scissors",
        "either scissors or rock",
    ],
)
def test_an_alternative_or_a_change_of_mind_inside_one_answer_chooses_nothing(text: str) -> None:
    assert READER.read(text).kind == RejectKind.AMBIGUOUS


def test_a_word_that_is_not_a_choice_is_unparseable_and_the_reason_lists_the_choices() -> None:
    reading = READER.read("lizard")

    assert reading.kind == RejectKind.UNPARSEABLE
    assert reading.candidate == "lizard"
    assert reading.reason == "'lizard' is not a choice; choose rock, paper or scissors."


@pytest.mark.parametrize("text", ["", "  ", "I am not sure yet", "**?**", "let's play rock-paper-scissors"])
def test_an_answer_that_names_no_choice_is_no_move(text: str) -> None:
    reading = READER.read(text)

    assert reading.kind == RejectKind.NO_MOVE
    assert reading.reason is not None
    assert "Final answer: rock" in reading.reason


def test_find_lists_every_choice_word_in_prose_in_order_with_its_span() -> None:
    text = "Paper beats rock, so they may switch to ✌️ scissors."

    found = READER.find(text)

    assert [item.text for item in found] == ["Paper", "rock", "\u270c\ufe0f", "scissors"]
    assert all(text[item.start : item.end] == item.text for item in found)


def test_find_skips_the_games_name_and_words_that_merely_contain_a_choice() -> None:
    found = READER.find("Rock-paper-scissors is fun; rocky paperwork; s and p; then rock.")

    assert [item.text for item in found] == ["rock"]
    assert found[0].start == len("Rock-paper-scissors is fun; rocky paperwork; s and p; then ")


def test_find_reports_a_bare_list_so_the_extractor_can_tell_it_names_no_choice() -> None:
    assert [item.text for item in READER.find("rock, paper, scissors")] == ["rock", "paper", "scissors"]


@pytest.mark.parametrize(
    ("reply", "move"),
    [
        ("Final answer: rock", "rock"),
        ("Paper beats rock and scissors beats paper; they threw rock twice.\n\nFinal answer: paper", "paper"),
        ("<think>rock</think>Final answer: scissors", "scissors"),
        ("\\boxed{paper}", "paper"),
        ('{"move": "rock"}', "rock"),
        ("**Final answer:** Scissors", "scissors"),
        ("They keep throwing rock, so I'll go with paper.", "paper"),
        ("Final answer: paper because it beats their rock", "paper"),
        ("Final answer: rock\nWait, actually, scissors.", "scissors"),
        ("Final Answer: \u270b", "paper"),
    ],
)
def test_a_whole_reply_is_read_to_the_choice_it_settles_on(reply: str, move: str) -> None:
    reading = GAME.read_reply(State(), "p1", reply)

    assert (reading.kind, reading.move) == ("ok", move)


def test_a_reply_that_only_lists_the_choices_names_none() -> None:
    reading = GAME.read_reply(State(), "p2", "rock, paper, scissors")

    assert reading.kind == RejectKind.NO_MOVE
    assert reading.move is None


def test_a_final_answer_that_is_not_a_choice_is_rejected_with_the_choices_listed() -> None:
    reading = GAME.read_reply(State(), "p1", "Paper is tempting. Final answer: lizard")

    assert reading.kind == RejectKind.UNPARSEABLE
    assert reading.reason == "'lizard' is not a choice; choose rock, paper or scissors."


def test_a_final_answer_copied_from_the_prompt_is_rejected_not_read_as_its_first_word() -> None:
    reading = GAME.read_reply(State(), "p1", "Final answer: rock|paper|scissors")

    assert reading.kind == RejectKind.AMBIGUOUS


def test_no_reply_is_read_once_the_match_is_over() -> None:
    over = GAME.replay("best_of=1", ["rock paper"])

    assert GAME.read_reply(over, "p1", "Final answer: rock").kind == RejectKind.GAME_OVER
