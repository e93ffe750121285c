"""The move reader of rock-paper-scissors for LLM replies (see llm.answers.read_reply).

In this game prose names every choice all the time ("paper beats rock, so they may switch to
scissors"), so the reader itself never picks one out of prose: ``find`` reports every choice
word in order and the game-neutral extractor decides which one the reply settles on (a
final-answer marker, the last answer, a bare list naming none). ``read`` reads the one answer
text the extractor found.
"""

from __future__ import annotations

import re

from games.rps.rules import CHOICES_TEXT, SIGNS, Choice
from llm.answers import Found, Reading, RejectKind

# Words, hand signs and pictures of each choice. Single letters are only read as a whole
# answer ("Final answer: p"): in prose "s" and "p" are noise.
_WORDS = {
    "rock": Choice.ROCK,
    "rocks": Choice.ROCK,
    "paper": Choice.PAPER,
    "papers": Choice.PAPER,
    "scissor": Choice.SCISSORS,
    "scissors": Choice.SCISSORS,
    **{sign.replace("\ufe0f", ""): choice for choice, sign in SIGNS.items()},
    "\U0001f44a": Choice.ROCK,  # 👊 oncoming fist
    "\U0001faa8": Choice.ROCK,  # 🪨 rock
    "\U0001f590": Choice.PAPER,  # 🖐 hand with fingers splayed
    "\U0001f4c4": Choice.PAPER,  # 📄 page facing up
    "\u2702": Choice.SCISSORS,  # ✂ scissors
}
_LETTERS = {"r": Choice.ROCK, "p": Choice.PAPER, "s": Choice.SCISSORS}
_SIGNS = "".join(key for key in _WORDS if not key.isalpha())
_CHOICE_RE = re.compile(
    rf"\b(?:rocks?|papers?|scissors?)\b|[{_SIGNS}]\ufe0f?",
    re.IGNORECASE,
)
# The game's own name is never a choice: "let's play rock-paper-scissors".
_GAME_NAME_RE = re.compile(r"\brock-paper-scissors\b", re.IGNORECASE)
# Markup and punctuation around a bare answer: "**P**", "`r`", "(s).", "'rock'".
_TRIM = " \t\r\n*_`'\"()[]{}<>.,;:!?~"

# After the answer's first choice, words that explain it ("paper because it beats rock",
# "paper to beat their rock", "paper rather than rock"): the first choice is the answer.
_EXPLAINS_RE = re.compile(
    r"\s*(?:because|since|as|to|which|that|it|this|beats?|covers?|crushes|cuts|wins?|over|against"
    r"|rather\s+than|instead\s+of)\b",
    re.IGNORECASE,
)
# Words that make a second choice an alternative or a change of mind: "rock or paper",
# "rock, no, paper", "not rock but paper". Then nothing is chosen.
_HEDGES_RE = re.compile(r"\b(?:or|nor|not?|never|actually|wait|maybe|perhaps|either)\b|n't", re.IGNORECASE)

NO_CHOICE_REASON = (
    "I could not find a choice in your answer; end your reply with one line "
    "'Final answer: rock', 'Final answer: paper' or 'Final answer: scissors'."
)


def _choice_of(word: str) -> Choice:
    return _WORDS[word.replace("\ufe0f", "").lower()]


def _explained(text: str, found: list[Found]) -> bool:
    """Is the first choice the answer and the next different one only its justification?"""
    first = _choice_of(found[0].text)
    second = next(item for item in found if _choice_of(item.text) != first)
    before, between = text[: found[0].start], text[found[0].end : second.start]
    return (
        _EXPLAINS_RE.match(between) is not None
        and _HEDGES_RE.search(before) is None
        and _HEDGES_RE.search(between) is None
    )


class RpsReader:
    """Reads choices for ``llm.answers.read_reply``; every choice is legal while the match
    goes on, so the reader has no state to check against."""

    def find(self, text: str) -> list[Found]:
        """Every choice named in ``text``, in order (the game's name excepted)."""
        names = [match.span() for match in _GAME_NAME_RE.finditer(text)]
        return [
            Found(match.start(), match.end(), match.group())
            for match in _CHOICE_RE.finditer(text)
            if not any(start <= match.start() < end for start, end in names)
        ]

    def read(self, text: str) -> Reading:
        """One answer text: "rock", "Rock!", "**paper**", "I throw scissors", "✌️", "p", and
        "paper because it beats rock"; "rock or paper" is ambiguous."""
        found = self.find(text)
        choices = list(dict.fromkeys(_choice_of(item.text) for item in found))
        if len(choices) == 1 or (choices and _explained(text, found)):
            return Reading.accept(choices[0].value)
        bare = text.strip(_TRIM)
        if len(choices) > 1:
            names = [choice.value for choice in choices]
            named = f"{', '.join(names[:-1])} and {names[-1]}"
            return Reading.reject(
                RejectKind.AMBIGUOUS,
                f"Your answer names {named}; give exactly one choice: {CHOICES_TEXT}.",
                bare[:60] or None,
            )
        letter = _LETTERS.get(bare.lower())
        if letter is not None:
            return Reading.accept(letter.value, bare)
        if bare and len(bare.split()) == 1:
            # One word that is not a choice ("lizard") is an answer, just not a playable one.
            return Reading.reject(
                RejectKind.UNPARSEABLE, f"{bare[:40]!r} is not a choice; choose {CHOICES_TEXT}.", bare[:40]
            )
        return Reading.reject(RejectKind.NO_MOVE, NO_CHOICE_REASON)
