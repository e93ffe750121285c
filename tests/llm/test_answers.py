"""The game-neutral reading of LLM replies (llm.answers.read_reply), with a toy game.

The toy game's moves are the capital letters A to E; F, G and H are letters of its notation
that are never legal, and a letter with a digit ("Q7") is a garbled try at a move. Anything
true here holds for every game's reader.
"""

from __future__ import annotations

import re
import time

import pytest

from llm.answers import Found, MoveReader, Reading, RejectKind, read_reply

_LETTER_RE = re.compile(r"\b[A-H]\b")


class LetterReader:
    """A reader for the toy game: the first letter of the text is the move."""

    def read(self, text: str) -> Reading:
        m = re.match(r"\s*(?:the\s+letter\s+)?([A-Z])(\d?)\b", text)
        if m is None:
            return Reading.reject(RejectKind.NO_MOVE, "No letter here.")
        letter = m.group(1)
        if m.group(2) or letter not in "ABCDEFGH":
            return Reading.reject(RejectKind.UNPARSEABLE, f"'{m.group(0).strip()}' is not a letter.")
        if letter not in "ABCDE":
            return Reading.reject(RejectKind.ILLEGAL, f"{letter} is illegal: play A to E.", letter)
        return Reading.accept(letter)

    def find(self, text: str) -> list[Found]:
        return [Found(m.start(), m.end(), m.group(0)) for m in _LETTER_RE.finditer(text)]


READER = LetterReader()


def read(reply: str) -> Reading:
    return read_reply(reply, READER)


def test_the_toy_reader_is_a_move_reader() -> None:
    reader: MoveReader = READER
    assert reader.read("B").move == "B"


# --- explicit answers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "Final answer: C",
        "FINAL ANSWER: C",
        "Answer: C",
        "My move: C",
        "**Move:** C",
        "**Final answer:** `C`",
        "Final answer:\n\n**C**",
        "My move is C.",
        "I'll play C, because it is safe.",
        "Let me go with C",
        "$\\boxed{C}$",
        "The answer is \\boxed{\\text{C}}.",
        '{"move": "C"}',
        '{"answer": "C", "why": "it is best"}',
        '{"column": "C"}',
        '{"square": "C"}',
        '```json\n{"choice": "C"}\n```',
        "<answer>C</answer>",
        "<move> C </move>",
        "```\nC\n```",
    ],
)
def test_it_reads_every_explicit_answer_form(reply: str) -> None:
    assert read(reply) == Reading.accept("C")


def test_a_numeric_json_value_is_an_answer() -> None:
    class ColumnReader(LetterReader):
        def read(self, text: str) -> Reading:
            return Reading.accept(text) if text.isdigit() else super().read(text)

    assert read_reply('{"column": 4}', ColumnReader()).move == "4"


def test_the_answer_beats_letters_mentioned_around_it() -> None:
    assert read("A and B both looked fine.\n\nFinal answer: D\n\nD keeps A and E in reserve.").move == "D"


def test_the_last_of_several_explicit_answers_wins() -> None:
    assert read("Final answer: A\n\nHmm, let me redo this.\n\nFinal answer: B").move == "B"
    assert read("My move is A. ... On reflection I play D.").move == "D"
    assert read("<answer>A</answer> ... \\boxed{E}").move == "E"


@pytest.mark.parametrize(
    "revision",
    [
        "Actually, C",
        "actually: C instead",
        "On second thought, C.",
        "I'd change to C",
        "Let me change my answer to C",
        "Instead I'll play C.",
        "Wait - C is better",
    ],
)
def test_a_later_revision_wins_over_an_earlier_answer(revision: str) -> None:
    assert read(f"Final answer: A\n\n{revision}").move == "C"


def test_a_later_remark_about_a_move_is_not_a_revision() -> None:
    assert read("Final answer: A\n\nWait, E would lose.").move == "A"
    assert read("Final answer: A\n\nActually, let me double-check. Yes.").move == "A"


def test_an_answer_that_names_nothing_does_not_count() -> None:
    assert read("I'll play C.\n\nFinal answer: see above").move == "C"
    assert read("I'll play it safe: B").move == "B"


def test_an_illegal_structured_answer_rejects_the_reply() -> None:
    reading = read("B is tempting, but D too.\n\nFinal answer: F")
    assert reading == Reading.reject(RejectKind.ILLEGAL, "F is illegal: play A to E.", "F")


def test_an_illegal_json_answer_is_not_replaced_by_a_prose_mention() -> None:
    assert read('I like B.\n{"move": "G"}').kind == RejectKind.ILLEGAL


def test_a_garbled_answer_is_unparseable_not_missing() -> None:
    reading = read("Final answer: Q7")
    assert reading.kind == RejectKind.UNPARSEABLE
    assert "Q7" in (reading.reason or "")


def test_someone_elses_move_is_not_an_answer() -> None:
    assert read("Opponent's last move: A\nMy move: B").move == "B"
    assert read("Candidate move: A. Alternative move: E. My choice: B").move == "B"


def test_a_first_person_move_under_a_condition_is_analysis() -> None:
    assert read("If they play A, I play B.\nFor now, D").move == "D"
    assert read("If I had to pick, I'd play B.").move == "B"


# --- think blocks ---------------------------------------------------------------------------


def test_the_answer_after_a_think_block_outranks_the_one_inside() -> None:
    assert read("<think>Final answer: A</think>\n\nFinal answer: B").move == "B"
    assert read("<think>Final answer: A</think>\nI like B.").move == "B"
    assert read("<reasoning>\\boxed{A}</reasoning>\n\nB").move == "B"
    assert read("<thinking>A, surely. My move: A</thinking> Hmm. E").move == "E"


def test_a_reply_that_is_only_a_think_block_is_read_from_it() -> None:
    assert read("<think>A or B? Final answer: B</think>").move == "B"
    assert read("  <think>A or B? B.</think>  \n").move == "B"


def test_an_unclosed_leading_think_block_is_thought() -> None:
    assert read("<think>Let me see. Final answer: D").move == "D"
    assert read("Final answer: B\n<think>hmm, maybe E").move == "B"


def test_text_before_an_orphan_closing_tag_is_thought() -> None:
    assert read("Final answer: A, no wait.\n</think>\n\nFinal answer: C").move == "C"


def test_an_illegal_answer_after_the_think_block_is_not_rescued_by_the_thought() -> None:
    assert read("<think>Final answer: B</think>\nFinal answer: H").kind == RejectKind.ILLEGAL


# --- prose ----------------------------------------------------------------------------------


def test_a_reply_that_is_one_move_is_read() -> None:
    assert read("B") == Reading.accept("B")
    assert read("  **B**.  ") == Reading.accept("B")


def test_a_last_line_holding_one_move_is_read() -> None:
    assert read("Let me think about the position.\nThere is a lot to weigh.\n\nD").move == "D"


def test_a_move_in_prose_is_read_when_nothing_is_explicit() -> None:
    assert read("It seems to me that E suits the position.").move == "E"


def test_an_illegal_move_in_prose_is_rejected_with_the_readers_reason() -> None:
    assert read("Playing it safe is G.").kind == RejectKind.ILLEGAL


@pytest.mark.parametrize(
    "reply",
    [
        "- A\n- B\n- C",
        "Here are the legal moves:\n* A\n* B\n* D\nWhat would you like me to play?",
        "Options:\n1. A\n2. C",
        "Candidates:\n- A: safe\n- D: sharp",
        "A, B, C, D, E",
        "A B C D E",
        "Legal moves: A, B, C or D.",
    ],
)
def test_a_reply_that_only_echoes_a_list_names_no_move(reply: str) -> None:
    reading = read(reply)
    assert reading.move is None
    assert reading.kind == RejectKind.NO_MOVE
    assert "lists several moves" in (reading.reason or "")
    assert "Final answer" in (reading.reason or "")


def test_a_list_followed_by_a_choice_is_a_choice() -> None:
    assert read("- A\n- B\n- C\n\nB").move == "B"
    assert read("- A\n- B\n- C\n\nFinal answer: C").move == "C"


def test_one_move_repeated_in_a_list_is_not_several() -> None:
    assert read("- B\n- B").move == "B"


def test_a_reply_naming_no_move_says_how_to_answer() -> None:
    reading = read("I would rather not play today.")
    assert reading.kind == RejectKind.NO_MOVE
    assert reading.candidate is None
    assert "Final answer: <move>" in (reading.reason or "")


# --- edge cases -----------------------------------------------------------------------------


@pytest.mark.parametrize("reply", ["", "   ", "\n\t\n"])
def test_an_empty_reply_names_no_move(reply: str) -> None:
    reading = read(reply)
    assert reading.kind == RejectKind.NO_MOVE
    assert "empty" in (reading.reason or "")


def test_an_empty_think_block_names_no_move() -> None:
    assert read("<think></think>").kind == RejectKind.NO_MOVE


def test_invisible_characters_and_fullwidth_letters_are_folded() -> None:
    assert read("Final\u200b answer: \uff23").move == "C"


def test_a_huge_reply_is_read_quickly() -> None:
    prose = "We weigh the options, the plans and the threats on both sides, at length. " * 1400
    reply = "<think>" + prose + "</think>\n" + prose + "\nFinal answer: **D**"
    assert len(reply) > 200_000
    started = time.perf_counter()
    assert read(reply).move == "D"
    assert read(prose).kind == RejectKind.NO_MOVE
    assert read("A, B, " * 20_000).kind == RejectKind.NO_MOVE
    assert time.perf_counter() - started < 2.0


def test_a_game_may_say_how_to_answer_in_its_notation() -> None:
    hint = "end your reply with 'Final answer: <letter>' (e.g. 'Final answer: B')"
    for reply in ("", "Nothing to say.", "- A\n- B"):
        reason = read_reply(reply, READER, how_to_answer=hint).reason or ""
        assert reason.endswith(hint + "."), reason


def test_a_garbled_intention_is_reported_only_when_nothing_else_names_a_move() -> None:
    assert read("I'll play Q7.").kind == RejectKind.UNPARSEABLE
    assert read("I'll play Q7. No: the safe B.").move == "B"


def test_a_quoted_answer_after_someone_elses_label_is_not_ours() -> None:
    assert read("Opponent's last move: 'A'\nMy move: 'B'").move == "B"
