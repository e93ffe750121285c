"""Game-neutral reading of LLM replies: what a reply amounts to, whatever the game.

A game's reader knows its notation; this module knows how models answer (final-answer
markers, ``\\boxed{}``, JSON, XML tags, code fences, think blocks, revisions) and which of
several answers counts. Nothing here names a game.

:func:`read_reply` applies the same rules to every game:

1. Text inside ``<think>`` / ``<thinking>`` / ``<reasoning>`` blocks is only read when nothing
   at all follows them: the answer after the block always outranks the deliberation in it.
2. Explicit answers (markers such as "Final answer:" or "I'll play", ``\\boxed{}``, JSON fields,
   ``<answer>`` tags, code fences, later revisions such as "actually, X") are read with the
   game's reader; the last one that names a move decides. If the reader rejects it (an illegal
   move, say) the reply is rejected with that reason: a move merely mentioned in the prose is
   never played instead.
3. Without an explicit answer, the prose decides: a reply that only echoes a list of moves names
   no choice; otherwise the last move-like token the reader finds is read.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

__all__ = ["HOW_TO_ANSWER", "Found", "MoveReader", "Reading", "RejectKind", "normalise", "read_reply"]


class RejectKind(enum.StrEnum):
    """Why a reply was not played; the model is re-asked with the reason."""

    NO_MOVE = "no_move"  # names no move (a bare list of moves included)
    UNPARSEABLE = "unparseable"  # something move-like the notation cannot read
    ILLEGAL = "illegal"  # a move the rules forbid now
    AMBIGUOUS = "ambiguous"  # fits several moves
    WRONG_SIDE = "wrong_side"  # a move of the other seat
    GAME_OVER = "game_over"


@dataclass(frozen=True)
class Reading:
    """What an LLM reply amounts to: a playable move, or the typed reason it is not one."""

    move: str | None  # the move in the game's notation, or None if rejected
    kind: str  # "ok" or a RejectKind
    reason: str | None = None  # a sentence for the model; None if accepted
    candidate: str | None = None  # the move text the reply meant, when one was found

    @property
    def ok(self) -> bool:
        return self.move is not None

    @classmethod
    def accept(cls, move: str, candidate: str | None = None) -> Reading:
        return cls(move, "ok", None, candidate or move)

    @classmethod
    def reject(cls, kind: RejectKind, reason: str, candidate: str | None = None) -> Reading:
        return cls(None, str(kind), reason, candidate)


@dataclass(frozen=True)
class Found:
    """A move-like token in free text: ``text`` is ``reply[start:end]``."""

    start: int
    end: int
    text: str


class MoveReader(Protocol):
    """What a game supplies to read its notation out of a reply."""

    def read(self, text: str) -> Reading:
        """Read ONE extracted answer ("b2", "Nf3, developing", "column 4"): the move it starts
        with, or a typed rejection; ``RejectKind.NO_MOVE`` when the text names no move at all."""
        ...

    def find(self, text: str) -> list[Found]:
        """The move-like tokens of prose that may be the reply's choice, in order. The last one
        is read when a reply has no explicit answer, so a reader leaves out mentions it knows
        are not choices (a square named as a square, the opponent's move, a hypothetical)."""
        ...


# How a rejected reply is told to answer; a game may say it in its notation (read_reply's
# ``how_to_answer``).
HOW_TO_ANSWER = "end your reply with 'Final answer: <move>'"


# --- normalisation: how models write, whatever the game ------------------------------------

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f]")  # variation selectors too
_DASHES_RE = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_ESCAPE_RE = re.compile(r"\\([-=+#*_.()])")  # markdown/LaTeX escapes: "O\-O", "Qh7\#", "4\."
_LATEX_WRAPPER_RE = re.compile(r"\\(?:text|mathrm|mathbf|textbf|texttt|mathtt|textit)\s*\{([^{}]*)\}")


def normalise(text: str) -> str:
    """Fullwidth letters, ellipses, odd dashes, invisible characters, markdown escapes and
    LaTeX text wrappers folded to plain text. Idempotent, so readers may apply it again."""
    text = unicodedata.normalize("NFKC", text)  # fullwidth letters, "…" -> "...", NBSP -> space
    text = _INVISIBLE_RE.sub("", text)
    text = _DASHES_RE.sub("-", text)
    text = _ESCAPE_RE.sub(r"\1", text)
    while True:  # "\text{\textbf{d4}}": unwrap from the inside out
        unwrapped = _LATEX_WRAPPER_RE.sub(r"\1", text)
        if unwrapped == text:
            return text
        text = unwrapped


# --- think blocks --------------------------------------------------------------------------

_THINK_RE = re.compile(r"<(think|thinking|reasoning)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_THINK_OPEN_RE = re.compile(r"<(?:think|thinking|reasoning)\b[^>]*>", re.IGNORECASE)
_THINK_CLOSE_RE = re.compile(r"</(?:think|thinking|reasoning)\s*>", re.IGNORECASE)


def _split_thinking(text: str) -> tuple[str, str]:
    """(visible text, thinking text). Some models drop the opening tag ("...</think> e4"), and
    a reply cut off mid-thought leaves it unclosed: both are thinking too."""
    thinking = [m.group(2) for m in _THINK_RE.finditer(text)]
    visible = _THINK_RE.sub("\n\n", text)
    closes = list(_THINK_CLOSE_RE.finditer(visible))
    if closes:  # an orphan closing tag: everything before it was thought
        close = closes[-1]
        thinking.append(visible[: close.start()])
        visible = visible[close.end() :]
    opening = _THINK_OPEN_RE.search(visible)
    if opening is not None:  # unclosed: everything after it is thought
        thinking.append(visible[opening.end() :])
        visible = visible[: opening.start()]
    return visible, "\n\n".join(thinking)


# --- explicit answers ----------------------------------------------------------------------

# Phrases after which the answer follows. All equal: the last answer in the reply wins.
_MARKER_RE = re.compile(
    r"""
    (?:\b(?:final|best|my|our|chosen|selected|recommended|suggested|preferred|correct|right|strongest
        |top)\s+
        (?:answer|move|choice|decision|selection|pick|play|reply|response)
        (?:\s+(?:is|will\s+be|would\s+be|here\s+is|for\s+\w+\s+is))?
    |\b(?:answer|move|decision|choice|selection)\s*(?=[:=])
    |\bmake[_ ]move\b
    |\bthe\s+move\s+(?:is|will\s+be|i\s+(?:play|choose|pick|make))\b
    |\b(?:i|we)
        (?:'ll|'d|'m\s+going\s+to|'re\s+going\s+to|\s+(?:will|would|shall|must|now|then|therefore|simply|just
           |rather|instead|also|probably|definitely|actually|really|still|first|finally
           |am\s+going\s+to|are\s+going\s+to|want\s+to|need\s+to|have\s+to|(?:would|'d)\s+(?:like|love)\s+to
           |decided?\s+to|chose\s+to|choose\s+to))*
        \s+(?:play|choose|chose|pick|select|opt\s+for|go\s+with|go\s+for|prefer|push|make|recommend|suggest
           |take|capture|recapture|move|drop|place|put|mark|throw|decide\s+on|settle\s+on
           |lean\s+(?:towards?|to)
           |(?:respond|reply|answer|counter|continue|follow\s+up|open|start|begin)\s+with|respond|reply)\b
    |\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:playing|going\s+with|going\s+for|choosing|picking|moving)\b
    |\b(?:let'?s|let\s+me)\s+(?:play|go\s+with|go\s+for|make|try|push|(?:start|begin|open)\s+with)\b
    |(?m:^)[ \t*_#>-]*(?:playing|opening\s+with|starting\s+with|going\s+with|move)\b
        (?=[ \t*_`'":]+\S+[ \t*_`'".!]*$)                        # "Playing d4." alone on its line
    |\b(?:playing|play)\s*:
    |\baction\s*:
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A first-person marker is an intention that a condition may put in the future ("if they
# take, I recapture ..."); a labelled answer ("Final answer:") is taken as said.
_SOFT_MARKER_RE = re.compile(r"^(?:i|we|let)\b", re.IGNORECASE)
# Before a marker, words that make it someone else's move or a mere candidate.
_FOREIGN_LEAD_RE = re.compile(
    r"(?:\b(?:opponent|their|his|her|last|previous|prior|candidate|alternative|other|another|second"
    r"|worst|bad)|\b(?P<owner>\w+)'s)\s*$",
    re.IGNORECASE,
)
_CONTRACTIONS = {"here", "that", "it", "what", "there", "let", "who", "he", "she"}
# A later change of mind; what follows must be nothing but the move.
_REVISION_RE = re.compile(
    r"""\b(?:actually|on\s+second\s+thoughts?|on\s+(?:further\s+)?reflection|wait|scratch\s+that
        |correction|instead)\s*[,:;!-]\s*
    |\b(?:i'd|i\s+would|i'll|i\s+will|let\s+me|i)\s+(?:rather\s+)?(?:change|switch|revise)
        (?:\s+(?:it|that|my\s+(?:move|answer|choice)))?\s+to\b""",
    re.VERBOSE | re.IGNORECASE,
)
_REVISION_TAIL_RE = re.compile(r"(?:instead|then|please|is\s+better|is\s+best|it\s+is)?", re.IGNORECASE)
_BOXED_RE = re.compile(r"\\boxed\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_JSON_FIELD_RE = re.compile(
    r"""["'](?:move|answer|column|square|choice|cell|uci|san|best_?move|final_?move|final_?answer
        |chosen_?move|action)["']
        \s*:\s*(?:["']([^"'\n]{0,40})["']|(-?\d{1,3})\b)""",
    re.VERBOSE | re.IGNORECASE,
)
_XML_RE = re.compile(r"<(answer|move|final_answer|final|choice)>\s*([^<]{0,60}?)\s*</\1>", re.IGNORECASE)
_FENCE_RE = re.compile(r"```[\w+-]*[ \t]*\n?([^`]{0,200}?)\n?```")


@dataclass(frozen=True)
class _Answer:
    pos: int  # where the answer's text starts, to tell which one comes last
    text: str
    soft: bool  # an intention or revision in prose, not a labelled answer


def _explicit_answers(text: str, reader: MoveReader) -> list[_Answer]:
    answers = _marker_answers(text, reader) + _revision_answers(text, reader) + _structured_answers(text)
    return sorted(answers, key=lambda a: a.pos)


def _marker_answers(text: str, reader: MoveReader) -> list[_Answer]:
    answers = []
    for m in _MARKER_RE.finditer(text):
        if _is_foreign(text[max(0, m.start() - 24) : m.start()]):
            continue
        soft = _SOFT_MARKER_RE.match(m.group(0)) is not None
        if soft and _is_hypothetical(_clause_before(text, m.start()), reader):
            continue  # "if they take, I recapture ...": a line of analysis, not the answer
        pos, answer = _answer_text(text, m.end())
        if answer:
            answers.append(_Answer(pos, answer, soft))
    return answers


def _is_foreign(lead: str) -> bool:
    m = _FOREIGN_LEAD_RE.search(lead)
    if m is None:
        return False
    owner = m.group("owner")
    return owner is None or owner.lower() not in _CONTRACTIONS  # "Here's my move" is ours


def _revision_answers(text: str, reader: MoveReader) -> list[_Answer]:
    answers = []
    for m in _REVISION_RE.finditer(text):
        pos, answer = _answer_text(text, m.end())
        found = reader.find(answer) if answer else []
        if len(found) != 1:
            continue
        rest = (answer[: found[0].start] + " " + answer[found[0].end :]).strip(" \t.,;:!?")
        # "Wait, Nf3 hangs" mentions a move; only "actually, d4" or "actually, d4 instead" picks it.
        if _REVISION_TAIL_RE.fullmatch(rest):
            answers.append(_Answer(pos, answer, soft=True))
    return answers


def _structured_answers(text: str) -> list[_Answer]:
    """Answers in a machine-readable wrapper: \\boxed{}, JSON fields, XML tags, code fences."""
    answers = []
    for m in _BOXED_RE.finditer(text):
        answers.append(_Answer(m.start(1), _clean(m.group(1).replace("$", " ")), soft=False))
    for m in _JSON_FIELD_RE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        answers.append(_Answer(m.start(group), _clean(m.group(group)), soft=False))
    for m in _XML_RE.finditer(text):
        answers.append(_Answer(m.start(2), _clean(m.group(2)), soft=False))
    for m in _FENCE_RE.finditer(text):
        inner = m.group(1).strip()
        # A fence holding one short line is an answer; JSON in it is read field by field above.
        if inner and "\n" not in inner and len(inner) <= 60 and not inner.startswith(("{", "[")):
            answers.append(_Answer(m.start(1), _clean(inner), soft=False))
    return [answer for answer in answers if answer.text]


_LEAD_DECORATION_RE = re.compile(r"[\s*_`'\"#>:=~-]*")
# Where the answer ends: a clause or sentence break. A dot right after a number that starts
# the answer is a move number ("12. Nf3"), not a full stop, when a move-like word follows.
_ANSWER_END_RE = re.compile(r",\s|;|\s-\s|\s\(|\s\[|[.!?](?=\s|$)|\n")
_MOVE_NUMBER_RE = re.compile(r"\d{1,3}\s?\.(?:\.\.)?\s?(?=\S*[\d-])")


def _answer_text(text: str, pos: int) -> tuple[int, str]:
    """The answer after a marker ending at ``pos``: the rest of its clause, or the next
    non-blank line when the marker ends its line ("**Final answer:**\\n\\nNf3")."""
    m = _LEAD_DECORATION_RE.match(text, pos)
    start = m.end() if m else pos
    if text.count("\n", pos, start) > 4:
        return start, ""
    head = _MOVE_NUMBER_RE.match(text, start)
    cut = _ANSWER_END_RE.search(text, head.end() if head else start, start + 120)
    end = cut.start() if cut else min(len(text), start + 120)
    return start, _clean(text[start:end])


def _clean(answer: str) -> str:
    """An answer without markdown emphasis, quotes or closing punctuation."""
    answer = answer.replace("**", "").replace("`", "").replace("$", " ")
    return answer.strip(" \t\n*_'\"").rstrip(" \t.,;:!?*_'\")]").strip()


def _clause_before(text: str, pos: int) -> str:
    """The text from the start of the clause (line, sentence, colon) up to ``pos``."""
    i = pos - 1
    limit = max(0, pos - 100)
    while i >= limit:
        c = text[i]
        if c == "\n" or c in ";!?:":
            break
        if c == "." and not _is_number_dot(text, i):
            break
        i -= 1
    return text[i + 1 : pos]


def _is_number_dot(text: str, i: int) -> bool:
    """Is the dot at ``i`` part of a numbering ("12." / "12..." / "...") rather than a full stop?"""
    if text[i - 1 : i] == "." or text[i + 1 : i + 2] == ".":
        return True
    j = i - 1
    while j >= 0 and text[j].isdigit():
        j -= 1
    digits = i - 1 - j
    return 0 < digits <= 3 and (j < 0 or not text[j].isalpha())


# Words that put a mention in the future, the conditional or someone else's mouth.
_HYPOTHETICAL_RE = re.compile(
    r"\b(?:if|after|when|once|then|unless|should|could|might|may|threat\w*|prepar\w*|allow\w*|intend\w*"
    r"|plan\w*|followed|follow|next|later|consider\w*|instead|alternativ\w*|avoid\w*|than|not"
    r"|opponent\w*|vs|versus|like|e\.g|such\s+as|example|instance|etc|can|cannot|can't|would"
    r"|possible|possibly|options?|candidates?)\b",
    re.IGNORECASE,
)
_CONDITIONAL_RE = re.compile(r"^(?:if|after|when|once|unless)$", re.IGNORECASE)
_ACTOR_RE = re.compile(
    r"\b(?:opponent|he|she|they|his|her|their)\b"
    r"|\b[A-Za-z]+\s+(?:plays?|played|takes|moves?|replies|responds|answers|captures|drops|goes)\b",
    re.IGNORECASE,
)
_DELIBERATION_RE = re.compile(
    r"\s*(?:\w+ing\b|careful|much|some|long|further|more|consideration|analysis|review|reflection)",
    re.IGNORECASE,
)


def _is_hypothetical(clause: str, reader: MoveReader) -> bool:
    """Does if/after/could/... earlier in the clause still govern what follows it?"""
    hits = list(_HYPOTHETICAL_RE.finditer(clause))
    if not hits:
        return False
    last = hits[-1]
    rest = clause[last.end() :]
    if last.group(0).lower() == "instead" and not rest.strip(" ,"):
        return False  # "Instead, I'll play ...": a change of mind, the opposite of an aside
    if _CONDITIONAL_RE.match(last.group(0)):
        # "if they take, I ...": a line of play. "After careful thought", "if I had to choose":
        # only the author deliberating, which does not make the next move hypothetical.
        if reader.find(rest) or _ACTOR_RE.search(rest):
            return True
        if "," in rest:
            return False  # "If I had to pick, I'd play d4": the condition closed before the move
        return _DELIBERATION_RE.match(rest) is None
    # A comma closes the aside unless a move sits inside it ("could go d4, then I play ...").
    return "," not in rest or bool(reader.find(rest))


# --- prose ---------------------------------------------------------------------------------

_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])\s")
_LIST_LABEL_RE = re.compile(r"[^:\n]{0,40}:")
_LIST_FILLER_RE = re.compile(r"(?:[\s,;/|*_`'\"()\[\].:-]|\band\b|\bor\b)*", re.IGNORECASE)


def _echoes_list(text: str, found: list[Found]) -> bool:
    """Does every move the prose mentions sit in a list (bulleted, numbered, or one line of
    moves and separators)? Then the reply repeats options and chooses none."""
    if len({f.text for f in found}) < 2:
        return False
    by_line: dict[int, list[Found]] = {}
    for f in found:
        by_line.setdefault(text.rfind("\n", 0, f.start) + 1, []).append(f)
    return all(_is_list_line(text, start, line_found) for start, line_found in by_line.items())


def _is_list_line(text: str, start: int, found: list[Found]) -> bool:
    if _LIST_ITEM_RE.match(text, start):
        return True
    if len(found) < 2:
        return False
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    rest, last = [], start
    for f in found:
        rest.append(text[last : f.start])
        last = f.end
    rest.append(text[last:end])
    remainder = " ".join(rest)
    label = _LIST_LABEL_RE.match(remainder.lstrip())  # "Legal moves: a3, a4, b3"
    if label is not None:
        remainder = remainder.lstrip()[label.end() :]
    return _LIST_FILLER_RE.fullmatch(remainder) is not None


def _list_rejection(found: list[Found], how_to_answer: str) -> Reading:
    names = list(dict.fromkeys(f.text for f in found))
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    return Reading.reject(
        RejectKind.NO_MOVE,
        f"Your reply lists several moves ({shown}) but does not say which one you play; {how_to_answer}.",
    )


def _read_prose(text: str, reader: MoveReader, how_to_answer: str) -> Reading:
    found = reader.find(text)
    if not found:
        word = text.strip().strip("*_`'\"")
        if word and len(word) <= 16 and not re.search(r"\s", word):
            # One word and no move in it: a garbled try ("Nf9") gets the reader's own reason.
            reading = reader.read(word)
            if reading.kind != RejectKind.NO_MOVE:
                return reading
        return _no_move(how_to_answer)
    if _echoes_list(text, found):
        return _list_rejection(found, how_to_answer)
    reading = reader.read(found[-1].text)
    return _no_move(how_to_answer) if reading.kind == RejectKind.NO_MOVE else reading


def _no_move(how_to_answer: str) -> Reading:
    return Reading.reject(RejectKind.NO_MOVE, f"I could not find a move in your reply; {how_to_answer}.")


# --- the entry point -----------------------------------------------------------------------


def read_reply(reply: str, reader: MoveReader, *, how_to_answer: str = HOW_TO_ANSWER) -> Reading:
    """The move a model's ``reply`` settles on, read by the game's ``reader``.

    ``how_to_answer`` ends the reason of a reply naming no move ("end your reply with 'Final
    answer: <move>'"); a game may name its notation and an example there.
    """
    text = normalise(reply or "")
    if not text.strip():
        return Reading.reject(RejectKind.NO_MOVE, f"Your reply was empty; {how_to_answer}.")
    visible, thinking = _split_thinking(text)
    # The answer after a think block outranks anything in it; the thought is read only when
    # the reply is nothing but thought.
    scope = visible if visible.strip() else thinking
    garbled: Reading | None = None
    for answer in reversed(_explicit_answers(scope, reader)):
        reading = reader.read(answer.text)
        if reading.kind == RejectKind.NO_MOVE:
            continue  # "Final answer: see above" names nothing: look further back
        if answer.soft and reading.kind == RejectKind.UNPARSEABLE:
            # "I'll play it safe" is an intention in prose, not a garbled move; it is only
            # reported when the prose names no move either.
            garbled = garbled or reading
            continue
        return reading
    reading = _read_prose(scope, reader, how_to_answer)
    return garbled if garbled is not None and reading.kind == RejectKind.NO_MOVE else reading
