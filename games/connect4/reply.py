"""The Connect Four move reader for LLM replies (see llm.answers for the game-neutral part).

``read`` takes one extracted answer ("4", "**4**", "column 4", "Column 4 (the centre)", "d")
and says whether it is a move of this seat now; ``find`` lists the columns a stretch of prose
clearly names, for the replies that give no marked answer.

Digits are everywhere in prose ("I have 2 options", "row 3", "3 in a row"), so ``find``
reports only a number behind the word column ("column 4", "col. 4") and a digit standing
alone on the last line, where replies put their answer. A list of columns ("1, 2, 3") names
no choice, and nothing is guessed from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from games.connect4.rules import WIDTH, State, column_number, full_column_reason
from llm.answers import Found, Reading, RejectKind

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_WORD = "|".join(_WORDS)
_COLUMN_WORD = r"col(?:umn)?\.?\s*(?:#|no\.|number)?\s*"
# A column named behind the word column, anywhere: "column 4", "col. #4", "column four".
# "columns 3 and 4" does not match: the plural lists, it does not choose.
_MENTION = re.compile(rf"\b{_COLUMN_WORD}(?P<n>\d+|{_WORD}|[a-z])\b", re.IGNORECASE)
# The same in prose, digits and words only: "column a" there is more likely English.
_PROSE_MENTION = re.compile(rf"\b{_COLUMN_WORD}(?P<n>\d+|{_WORD})\b", re.IGNORECASE)
# An answer that starts with its column: "4", "4th", "4 (the centre)", "play column 4", "d.".
# A letter counts only alone or before punctuation: "a good move" and "e.g. 5" name no column.
_LEADING = re.compile(
    r"(?:(?:i\s+(?:will\s+|'ll\s+)?)?(?:play|drop|choose|pick|take|go\s+with)\s+(?:(?:in|into|on)\s+)?)?"
    rf"(?:the\s+)?(?:{_COLUMN_WORD})?"
    rf"(?:(?P<n>\d+|{_WORD})(?:st|nd|rd|th)?\b|(?P<letter>[a-g])(?=\s*$|\.\s*$|\s*[(\[:;,!\u2013\u2014-]))",
    re.IGNORECASE,
)
# Several numbers in a row: "1, 2, 3, 4", "3 or 4", "columns 3/5".
_LIST = re.compile(r"(?:columns?\s*:?\s*)?\d+(?:\s*(?:,|;|/|&|\bor\b|\band\b)\s*\d+)+\b", re.IGNORECASE)
_CENTRE = re.compile(r"\b(?:the\s+)?(?:centre|center|middle)(?:\s+column)?\b", re.IGNORECASE)
# A line that is one digit, markdown and punctuation aside: "4", "**4**", "4.".
_BARE_DIGIT = re.compile(r"[\W_]*(\d)[\W_]*")
# Markdown and quotes around or inside an answer; the variation selector and keycap of "4️⃣".
_NOISE = re.compile("[*_`~\"'\u2018\u2019\u201c\u201d\ufe0f\u20e3]")
_HOW = "name one column by its number, 1 to 7 from the left"


@dataclass(frozen=True)
class ConnectFourReader:
    """The move reader of ``llm.answers.read_reply`` for ``seat`` in ``state``."""

    state: State
    seat: str

    def read(self, text: str) -> Reading:
        cleaned = " ".join(_NOISE.sub("", unicodedata.normalize("NFKC", text)).split())
        if _LIST.match(cleaned):
            return Reading.reject(
                RejectKind.NO_MOVE,
                f"Your answer lists several columns ({cleaned[:40]}) and chooses none; {_HOW}.",
            )
        candidate = _candidate(cleaned)
        if isinstance(candidate, Reading):
            return candidate
        if candidate is None:
            return Reading.reject(RejectKind.NO_MOVE, f"Your answer names no column: {_HOW}.")
        return self._check(candidate)

    def find(self, text: str) -> list[Found]:
        found = [Found(m.start(), m.end(), m.group()) for m in _PROSE_MENTION.finditer(text)]
        last = _last_line(text)
        if last is not None:
            start, line = last
            bare = _BARE_DIGIT.fullmatch(line)
            if bare:
                found.append(Found(start + bare.start(1), start + bare.end(1), bare.group(1)))
        return sorted(found, key=lambda item: item.start)

    def _check(self, candidate: str) -> Reading:
        number = _number(candidate)
        if not 1 <= number <= WIDTH:
            return Reading.reject(
                RejectKind.UNPARSEABLE,
                f"There is no column {candidate}: there are 7 columns, numbered 1 to 7 from the left.",
                candidate,
            )
        move = column_number(number - 1)
        if self.state.is_over():
            return Reading.reject(RejectKind.GAME_OVER, "The game is over.", move)
        turn = self.state.turn
        if self.seat != turn.value:
            return Reading.reject(RejectKind.WRONG_SIDE, f"It is {turn.label}'s turn, not yours.", move)
        if not self.state.can_play(number - 1):
            return Reading.reject(RejectKind.ILLEGAL, full_column_reason(self.state, number - 1), move)
        return Reading.accept(move, candidate)


def _candidate(cleaned: str) -> str | Reading | None:
    """The column text an answer names ("4", "d", "four", "9"), a rejection when it names
    several, or None when it names none."""
    leading = _LEADING.match(cleaned)
    if leading:
        return leading.group("n") or leading.group("letter")
    mentioned = list(dict.fromkeys(m.group("n").lower() for m in _MENTION.finditer(cleaned)))
    if len(mentioned) == 1:
        return mentioned[0]
    if len(mentioned) > 1:
        return Reading.reject(
            RejectKind.AMBIGUOUS,
            f"Your answer names several columns ({', '.join(mentioned)}); give exactly one.",
            cleaned[:40],
        )
    if _CENTRE.search(cleaned):
        return "4"
    return None


def _number(candidate: str) -> int:
    """1-based: "4" is 4, "four" is 4, "d" is 4; letters past g give numbers past 7."""
    lowered = candidate.lower()
    if lowered.isdigit():
        return int(lowered)
    if lowered in _WORDS:
        return _WORDS[lowered]
    return ord(lowered) - ord("a") + 1


def _last_line(text: str) -> tuple[int, str] | None:
    """The offset and text of the last line that is not blank."""
    end = len(text.rstrip())
    if not end:
        return None
    start = text.rfind("\n", 0, end) + 1
    return start, text[start:end]
