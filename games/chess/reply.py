"""The chess move reader for LLM replies: chess notation on top of llm.answers.

llm.answers finds the answer a reply gives, whatever the game (final-answer markers,
``\\boxed{}``, JSON, tags, think blocks, revisions, bare lists of moves). This module is what
only chess knows: SAN, UCI, long algebraic, figurines and words ("knight to f3"), castling
spellings, move numbers that say whose move it is, squares named as squares, lines of play,
and a precise sentence for every move that cannot be played (pinned, in check, blocked, no
such piece, the other side's move), meant to be sent back to the model when it is asked again.

:class:`ChessReader` is the ``llm.answers.MoveReader`` of a position; :func:`read_reply` reads a
reply with it; :func:`parse_reply` is the same with a :class:`chess.Move` in a
:class:`ParsedReply`.

Without an explicit answer the prose decides, strongest evidence first:

1. A marker read with what only chess knows (a lead naming a colour, "White's best move is",
   skipped when it is the opponent's; moves numbered as the opponent's passed over), a postfix
   verdict ("Nf3 is the best move"), a JSON from/to pair. The LAST one wins. llm.answers has
   read its own markers first; these catch what it leaves to the game.
2. A line that holds nothing but a move (the reply "ends with its answer"); a list of moves
   (bulleted, numbered, or a line of moves of ours) is an enumeration, not a choice.
3. Otherwise the last move-like token in the prose, skipping what is plainly not a decision:
   squares named as squares ("controls e5"), examples ("e.g. ...d5"), hypotheticals ("if
   ...Nf6 then"), and moves numbered as the opponent's.

Nothing is ever guessed: a reply that names no move is rejected as naming none, even when the
position has a single legal move; a letter that is not a piece letter of SAN (a Cyrillic Ka,
the German "S" for knight) is never dropped to make what is left a pawn move.

Pure Python on python-chess; no Django, no I/O. The board passed in is never mutated.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import chess

from llm import answers
from llm.answers import Found, Reading, RejectKind

__all__ = ["ChessReader", "ParsedReply", "parse_reply", "read_reply"]


@dataclass(frozen=True)
class ParsedReply:
    """What a reply amounts to: a legal move, or the reason it cannot be played."""

    move: chess.Move | None  # the legal move to play, or None if rejected
    candidate: str | None  # the move text the reply meant (e.g. "Nf3", "e7e8q"), when one was found
    reason: str | None  # why it was rejected: a sentence for the model; None if accepted
    kind: str  # "ok" | "no_move" | "unparseable" | "illegal" | "ambiguous" | "wrong_side" | "game_over"

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


HOW_TO_ANSWER = "end your reply with 'Final answer: <move in SAN>' (e.g. 'Final answer: Nf3')"
NO_MOVE_REASON = f"I could not find a move in your reply; {HOW_TO_ANSWER}."
_FORMAT_HINT = "Use SAN (Nf3, exd5, O-O, e8=Q) or UCI (g1f3, e7e8q)."

_PIECE_BY_WORD = {chess.piece_name(piece_type): piece_type for piece_type in chess.PIECE_TYPES}

_TERMINATION_LABELS = {
    chess.Termination.CHECKMATE: "checkmate",
    chess.Termination.STALEMATE: "stalemate",
    chess.Termination.INSUFFICIENT_MATERIAL: "insufficient material",
    chess.Termination.SEVENTYFIVE_MOVES: "the 75-move rule",
    chess.Termination.FIVEFOLD_REPETITION: "fivefold repetition",
}


# --- text normalisation --------------------------------------------------------------------

# Figurine notation: ♘f3 is Nf3 and ♙e4 is e4. Only a figurine glued to a file letter is
# replaced, so an ASCII-art board ("♜ ♞ ♝ ...") never turns into moves. A pawn figurine becomes
# a space: every chess folding keeps the text's length, so offsets into it stay true.
_FIGURINES = {
    "♔": "K", "♕": "Q", "♖": "R", "♗": "B", "♘": "N", "♙": " ",
    "♚": "K", "♛": "Q", "♜": "R", "♝": "B", "♞": "N", "♟": " ",
}  # fmt: skip
_FIGURINE_RE = re.compile("([" + "".join(_FIGURINES) + "])(?=[a-hx])")
# A FEN quoted in the reply is a position, not a move; its e.p. field ("e3") would read as one.
_FEN_RE = re.compile(
    r"(?:[rnbqkpRNBQKP1-8]{1,8}/){7}[rnbqkpRNBQKP1-8]{1,8}"
    r"(?:\s+[wb](?:\s+(?:-|[KQkq]{1,4}))?(?:\s+(?:-|[a-h][36]))?(?:\s+\d+\s+\d+)?)?"
)


def _normalise(text: str) -> str:
    text = answers.normalise(text)  # a no-op on what llm.answers passes in
    text = text.replace("\u00d7", "x")  # the multiplication sign some write for captures
    text = _FIGURINE_RE.sub(lambda m: _FIGURINES[m.group(1)], text)
    return _FEN_RE.sub(lambda m: " " * len(m.group(0)), text)


# --- move-like tokens ----------------------------------------------------------------------

_PROMO = r"(?:=\s?[QRBNKqrbnk]|\([QRBNqrbn]\)|/[QRBNqrbn]|[QRBNqrbn])"
_TOKEN_RE = re.compile(
    r"""
    (?<![\w/=@-])                                              # not glued to a word, in any script
    (?:(?P<num>\d{1,3})\s?(?P<numdots>\.\s?\.\s?\.|\.\.|\.)\s?)?   # "12." / "12..." / "12. ..."
    (?P<dots>\.\.\.\s?)?                                         # "...e5": Black's move
    (?P<body>
        [O0o]-[O0o]-[O0o] | [O0o]-[O0o]                          # castling
      | [KQRBNkqrbn]?[a-h][1-8](?:\s?[-x:]\s?)?[a-h][1-8] """
    + _PROMO
    + r"""?    # UCI / long algebraic
      | [KQRBN][a-h]?[1-8]?[x:]?[a-h][1-8]                        # piece SAN
      | [kqrn][a-h]?[1-8]?[x:]?[a-h][1-8]                         # lowercase piece SAN ("nf3")
      | [a-h](?:[x:]?[a-h])?[1-8] """
    + _PROMO
    + r"""?    # pawn SAN, "bxc5", "e8=Q"
      | [A-H][1-8]-?[A-H][1-8](?:=?[QRBN])?                       # shouted UCI ("E2E4")
      | [KQRBN]X?[A-H][1-8]                                       # shouted SAN ("NF3")
      | [ACDEFGH][1-8](?:=?[QRBN])?                               # capitalised pawn move ("E4")
    )
    (?P<suffix>(?:\s?e\.\s?p\.?|\s?ep(?![A-Za-z]))?[+#\u2020\u2021]*[!?]{0,2}[+#]?)
    (?!\w|-\w)
    """,
    re.VERBOSE,
)
# Moves in words ("knight to f3", "castle kingside"); read after a marker or alone on a line.
_NATURAL_RE = re.compile(
    r"""
    \b(?P<piece>king|queen|rook|bishop|knight|pawn)\b
    (?:\s+(?:on|from)\s+(?P<from>[a-h][1-8]))?
    \s+(?:(?:moves?|goes|jumps|travels|advances?)\s+)?(?:to|-|takes|captures|x)\s+(?:on\s+)?
    (?P<to>[a-h][1-8])\b
    |
    \bcastl(?:e|es|ing)(?:\s+(?:on\s+the\s+)?(?P<side>king|queen|short|long)(?:[- ]?side)?)?\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
_CASTLE_RE = re.compile(r"[O0o]-[O0o](-[O0o])?")
_LONG_RE = re.compile(
    r"(?P<piece>[KQRBNkqrbn])?(?P<from>[a-h][1-8])\s?(?P<sep>[-x:])?\s?(?P<to>[a-h][1-8])"
    r"(?:=\s?(?P<p1>[QRBNKqrbnk])|\((?P<p2>[QRBNqrbn])\)|/(?P<p3>[QRBNqrbn])|(?P<p4>[QRBNqrbn]))?"
)
_SAN_RE = re.compile(
    r"(?P<piece>[KQRBN])?(?P<file>[a-h])?(?P<rank>[1-8])?(?P<x>x)?(?P<to>[a-h][1-8])(?:=(?P<promo>[QRBNK]))?"
)
# Used with .match(text, pos), which anchors at pos by itself ("^" would not match there).
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,3}[.)](?=\s))\s*")
_LEAD_DECORATION_RE = re.compile(r"[ \t*_`'\"#>\[(]*")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    raw: str  # as written, move number and suffix included
    body: str  # the move itself, without number or annotation
    side: chess.Color | None = None  # the side its move number says it belongs to, if any
    number: int | None = None  # that move number
    natural: bool = False  # spelt out in words ("knight to f3")
    emphasised: bool = False  # set off by **bold**, `code` or quotes
    leading: bool = False  # the first thing on its line (after bullets and markdown)
    item: bool = False  # ... and that line is a bulleted or numbered list item
    follows: bool = False  # comes right after another move ("Bxf7+ Kxf7 Ng5+"): part of a line of play

    @property
    def weak(self) -> bool:
        """A bare square ("e4") may be a pawn move or just a square named in prose."""
        return re.fullmatch(r"[a-hA-H][1-8]", self.body) is not None


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    previous: _Token | None = None
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    for m in _TOKEN_RE.finditer(text):
        side, number = _numbering(m)
        # In a line of play ("5. Nf3 Nc6") an unnumbered move right after White's is Black's reply.
        if (
            side is None
            and previous is not None
            and previous.side == chess.WHITE
            and not text[previous.end : m.start()].strip()
        ):
            side, number = chess.BLACK, previous.number
        before = text[max(0, m.start() - 2) : m.start()]
        after = text[m.end() : m.end() + 2]
        emphasised = bool(re.search(r"[*`'\"]$", before)) and bool(re.match(r"[*`'\"]", after))
        line_start = line_starts[bisect.bisect_right(line_starts, m.start()) - 1]
        bullet = _LIST_ITEM_RE.match(text, line_start)
        head = bullet.end() if bullet else line_start
        decoration = _LEAD_DECORATION_RE.match(text, head)
        head = decoration.end() if decoration else head
        leading = head == m.start()
        follows = previous is not None and not text[previous.end : m.start()].strip(" \t,")
        tok = _Token(
            m.start(), m.end(), m.group(0).strip(), m.group("body"), side, number,
            emphasised=emphasised, leading=leading, item=leading and bullet is not None, follows=follows,
        )  # fmt: skip
        found.append(tok)
        previous = tok
    for m in _NATURAL_RE.finditer(text):
        found.append(_Token(m.start(), m.end(), m.group(0), _natural_body(m), natural=True))
    found.sort(key=lambda t: (t.start, not t.natural))
    return found


def _numbering(m: re.Match[str]) -> tuple[chess.Color | None, int | None]:
    number = int(m.group("num")) if m.group("num") else None
    if m.group("dots") or (m.group("numdots") and m.group("numdots") != "."):
        return chess.BLACK, number
    if number is not None:
        return chess.WHITE, number
    return None, None


def _natural_body(m: re.Match[str]) -> str:
    if m.group("side"):
        return "O-O" if m.group("side").lower() in ("king", "short") else "O-O-O"
    if m.group("piece") is None:
        return "castle"  # "I'll castle": fine if only one castling move is legal
    piece = _PIECE_BY_WORD[m.group("piece").lower()]
    if m.group("from"):
        return m.group("from") + m.group("to")
    letter = "" if piece == chess.PAWN else chess.piece_symbol(piece).upper()
    return letter + m.group("to")


# --- markers: where the reply states its answer --------------------------------------------

# Phrases after which the answer follows. They are all equal: the last one in the reply wins.
_MARKER_RE = re.compile(
    r"""
    (?:\b(?:final|best|my|our|chosen|selected|recommended|suggested|next|preferred|correct|right|strongest
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
           |take|capture|recapture|move|decide\s+on|settle\s+on|lean\s+(?:towards?|to)
           |(?:respond|reply|answer|counter|continue|follow\s+up|open|start|begin)\s+with|respond|reply
           |(?=castle))\b
    |\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:playing|going\s+with|going\s+for|choosing|picking|moving)\b
    |\b(?:let'?s|let\s+me)\s+(?:play|go\s+with|go\s+for|make|try|push|(?:start|begin|open)\s+with)\b
    |(?m:^)[ \t*_#>-]*(?:playing|opening\s+with|starting\s+with|going\s+with|move)\b
        (?=[ \t*_`'":]+\S+[ \t*_`'".!]*$)                        # "Playing d4." alone on its line
    |\bshould\s+(?:play|go\s+for|choose)\b
    |\b(?:playing|play)\s*:
    |\baction\s*:
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "Nf3 is the best move", "16 bxc3 is best", "e4 it is": the verdict follows the move.
_POSTFIX_RE = re.compile(
    r"""
    \s*(?:is|seems|looks|would\s+be|remains|appears)\s+(?:to\s+be\s+)?
    (?:clearly\s+|probably\s+|objectively\s+|definitely\s+|simply\s+|indeed\s+|therefore\s+|still\s+)?
    (?:(?:the|my|our)\s+)?
    (?:(?:best|strongest|correct|right|only|top|ideal|winning|safest|most\s+(?:precise|accurate|solid|logical
        |principled|forcing|natural|testing|promising|reasonable|sensible|active|ambitious|flexible))\b
        (?:\s+(?:legal|practical|reasonable|candidate|available))?
        (?:\s+(?:move|choice|option|continuation|answer|decision|pick|try|way))?
      |(?:move|choice|answer|decision|pick)\b)
    |\s+it\s+is\s*(?:[.!]|$)                                      # "e4 it is."
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NEGATION_RE = re.compile(r"\b(?:not|never|avoid\w*|instead|rather|than|without)\b|n't\b", re.IGNORECASE)
_SOFT_MARKER_RE = re.compile(r"^(?:i|we|let|should)\b", re.IGNORECASE)
# Before a marker, words that make it someone else's move or a mere candidate (the opponent's
# colour is added per call): "opponent's move:", "last move: e4", "candidate move: Ng5".
_FOREIGN_LEAD = (
    r"(?:\b(?:{opponent})(?:'s)?|opponent(?:'s)?|their|his|her|last|previous|prior|candidate|alternative"
    r"|other|another|second|worst|bad)\s*$"
)
# A bare square right after these is where something goes, not the move: "I'll take on d5: exd5".
_PLACE_WORD_RE = re.compile(r"\b(?:on|at|from|in|of|into|onto|to|towards?|via)\s*$", re.IGNORECASE)
# Words that make a mention hypothetical, an aside, or about the future: not the move played now.
_HYPOTHETICAL_RE = re.compile(
    r"\b(?:if|after|when|once|then|unless|should|could|might|may|threat\w*|prepar\w*|allow\w*|intend\w*"
    r"|plan\w*|followed|follow|next|later|repl(?:y|ies|ied)|respond\w*|recaptur\w*|consider\w*|instead"
    r"|alternativ\w*|avoid\w*|rather|than|not|opponent\w*|vs|versus|like|e\.g|such\s+as|example|instance"
    r"|etc|meets?|answer(?:s|ed)\s+with|can|cannot|can't|would|possible|possibly|options?|candidates?)\b",
    re.IGNORECASE,
)
# Mentions that are squares, not moves: "the d5 square", "e4, d4 and f5", "the a1-h8 diagonal".
_SQUARE_AFTER_RE = re.compile(
    r"^[\s*`'\"-]*(?:square|squares|pawn|pawns|file|rank|diagonal|knight|bishop|rook|queen|king|point"
    r"|-\s*[a-h][1-8]\s+diagonal)\b|^\s*(?:,|and|or|/)\s*[a-h][1-8]\b",
    re.IGNORECASE,
)
_EXAMPLE_RE = re.compile(
    r"e\.g\b|\bfor\s+example\b|\bfor\s+instance\b|\bsuch\s+as\b|\blike\s+this\b|\bsomething\s+like\b"
    r"|\bformat\b|\bnotation\b|\blooks\s+like\b|\bi\.e\b",
    re.IGNORECASE,
)
_FILLER_WORD_RE = re.compile(r"[A-Za-z']+")


@dataclass(frozen=True)
class _Pick:
    token: _Token | None  # the move the marker points at
    attempt: str | None  # or, failing that, the unreadable text it points at
    pos: int


def _marker_picks(text: str, tokens: list[_Token], board: chess.Board) -> list[_Pick]:
    picks: list[_Pick] = []
    opponent = _color_name(not board.turn)
    foreign_lead = re.compile(_FOREIGN_LEAD.format(opponent=opponent), re.IGNORECASE)
    for m in _MARKER_RE.finditer(text):
        phrase = m.group(0)
        if foreign_lead.search(text[max(0, m.start() - 24) : m.start()]):
            continue
        soft = _SOFT_MARKER_RE.match(phrase) is not None
        if soft and _is_hypothetical(_clause_before(text, m.start())):
            continue  # "if he takes, I recapture Nxd4": a line of analysis, not the answer
        # A first-person marker is about our own move: pass over the opponent's in between
        # ("I'll meet 3. Bb5 with 3... a6"). An explicit "Final answer: 3. Bb5" is taken as said.
        token = _first_token_after(text, tokens, m.end(), skip_side=(not board.turn) if soft else None)
        if token is not None:
            picks.append(_Pick(token, None, m.start()))
            continue
        attempt = _attempted_move(text[m.end() : m.end() + 40])
        if attempt is not None and not soft:
            picks.append(_Pick(None, attempt, m.start()))
    for tok in tokens:
        if tok.natural:
            continue
        verdict = _POSTFIX_RE.match(text, tok.end)
        if verdict is None:
            continue
        clause = _clause_before(text, tok.start)
        if _NEGATION_RE.search(clause[-12:]):
            continue
        # "...d5 is best for Black" is a verdict on the opponent's move, not an answer.
        if tok.side is not None and tok.side != board.turn:
            continue
        after = text[verdict.end() : verdict.end() + 12]
        if re.search(rf"\b{opponent}\b|\bopponent", clause + after, re.IGNORECASE):
            continue
        picks.append(_Pick(tok, None, verdict.end()))
    picks.extend(_structured_picks(text))
    picks.sort(key=lambda p: p.pos)
    return picks


def _first_token_after(
    text: str, tokens: list[_Token], pos: int, *, skip_side: chess.Color | None
) -> _Token | None:
    """The move a marker ending at ``pos`` points at, if only filler separates them."""
    for i in range(bisect.bisect_left(tokens, pos, key=lambda t: t.start), len(tokens)):
        tok = tokens[i]
        if tok.start - pos > 80:
            return None
        gap = text[pos : tok.start]
        if not _gap_is_filler(gap, allow_words=6):
            return None
        if tok.weak and not tok.emphasised and tok.side is None and _PLACE_WORD_RE.search(gap):
            continue  # "I'll take on d5 with the pawn: exd5" - d5 is a place, exd5 the move
        if skip_side is not None and tok.side == skip_side:
            continue
        return tok
    return None


def _gap_is_filler(gap: str, *, allow_words: int) -> bool:
    """Does nothing but formatting (and a few words, on the same line) separate marker and move?"""
    if len(gap) > 80:
        return False
    if _NEGATION_RE.search(gap):
        return False
    words = _FILLER_WORD_RE.findall(gap)
    if not words:
        return gap.count("\n") <= 4
    if "\n" in gap.strip() or len(words) > allow_words:
        return False
    # A sentence break means the move belongs to the next sentence, not to the marker.
    return re.search(r"[.!?;](?:\s|$)", gap) is None


def _clause_before(text: str, pos: int) -> str:
    """The text from the start of the clause (line, sentence, colon) up to ``pos``."""
    i = pos - 1
    limit = max(0, pos - 100)
    while i >= limit:
        c = text[i]
        if c == "\n" or c in ";!?:":
            break
        if c == "." and not _is_move_number_dot(text, i):
            break
        i -= 1
    return text[i + 1 : pos]


def _is_move_number_dot(text: str, i: int) -> bool:
    """Is the dot at ``i`` part of "12." / "12..." / "...e5" rather than a full stop ("d4.")?"""
    if text[i - 1 : i] == "." or text[i + 1 : i + 2] == ".":
        return True
    j = i - 1
    while j >= 0 and text[j].isdigit():
        j -= 1
    digits = i - 1 - j
    return 0 < digits <= 3 and (j < 0 or not text[j].isalpha())


def _attempted_move(rest: str) -> str | None:
    """The garbled move an answer starts with ("Nf9", "g5g?", a Cyrillic Ka before f3), if any."""
    m = re.match(r"[\s*_`'\"#>:=-]*([^\W_][\w=+#?!()/-]{1,9})(?=[\s*_`'\".,;]|$)", rest)
    if m is None:
        return None
    word = m.group(1)
    # Something with a rank digit and a file or piece letter, and little else: a try at a move.
    if re.fullmatch(r"[KQRBNkqrbnO0a-hA-H][A-Za-z0-9=+#?!()/-]*", word) and re.search(r"\d", word):
        return word
    # Another notation's piece letter (German "Sf3", a Cyrillic or Greek letter) glued to a
    # square: a piece move in a notation we do not read, never the pawn move of the square.
    if re.fullmatch(r"[^\W\d_][a-h]?[1-8]?[x:]?[a-h][1-8][+#!?]*", word):
        return word
    return None


# A from/to pair is chess's own structure; llm.answers reads \boxed{}, JSON fields and tags.
_JSON_FROM_TO_RE = re.compile(
    r"""["']from["']\s*:\s*["']([a-h][1-8])["']\s*,\s*["']to["']\s*:\s*["']([a-h][1-8])["']"""
    r"""(?:\s*,\s*["']promotion["']\s*:\s*["']([qrbnQRBN])["'])?""",
)


def _structured_picks(text: str) -> list[_Pick]:
    """A move given as a JSON from/to pair ({"from": "g1", "to": "f3"})."""
    picks = []
    for m in _JSON_FROM_TO_RE.finditer(text):
        uci = m.group(1) + m.group(2) + (m.group(3) or "").lower()
        picks.append(_Pick(_Token(m.start(), m.end(), uci, uci), None, m.start()))
    return picks


# --- fallbacks: no marker ------------------------------------------------------------------


def _line_moves(text: str) -> tuple[list[_Token], list[_Token]]:
    """Lines holding nothing but one move: (plain lines, list items)."""
    plain: list[_Token] = []
    items: list[_Token] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        bullet = _LIST_ITEM_RE.match(line)
        core = (line[bullet.end() :] if bullet else line).rstrip()
        if core.endswith(")") and core.rfind("(") > 0 and len(core) - core.rfind("(") > 3:
            core = core[: core.rfind("(")]  # "e4 (King's pawn)", but not "e8(Q)"
        core = core.lstrip(" \t*_`'\"#>[(").rstrip(" \t*_`'\".,;:)]")
        if stripped and not stripped.startswith("```") and core:
            tok = _whole_line_token(core, offset + line.index(core))
            if tok is not None:
                # "16. bxc3" alone is a numbered move; "1. g8h6" above "2. g8f6" is an enumeration.
                if bullet and (not re.match(r"\s*\d", line) or _numbered_list_context(text, offset)):
                    items.append(tok)
                else:
                    plain.append(tok)
        offset += len(line)
    return plain, items


def _whole_line_token(core: str, start: int) -> _Token | None:
    m = _TOKEN_RE.fullmatch(core)
    if m is not None:
        side, number = _numbering(m)
        return _Token(start, start + len(core), core, m.group("body"), side, number, leading=True)
    # "Knight to f3", "The knight goes to c6", "Moving my knight to c6" on its own.
    core = re.sub(r"^(?:(?:moving|i\s+move|i'll\s+move|let's\s+move)\s+)?(?:the|my)\s+", "", core, flags=re.I)
    n = _NATURAL_RE.fullmatch(core)
    if n is not None:  # "Knight to f3" on its own
        return _Token(start, start + len(core), core, _natural_body(n), natural=True, leading=True)
    return None


def _numbered_list_context(text: str, offset: int) -> bool:
    lines = text[max(0, offset - 120) : offset + 120].splitlines()
    numbered = 0
    for line in lines:
        m = re.match(r"\s*\d{1,3}[.)]\s+[*`]*(.*?)[*`.,;]*\s*$", line)
        numbered += m is not None and _TOKEN_RE.fullmatch(m.group(1)) is not None
    return numbered >= 2


def _prose_candidates(text: str, tokens: list[_Token], board: chess.Board) -> list[_Token]:
    """Move-like tokens in running text that could be the answer, in order."""
    keep = []
    opponent = _color_name(not board.turn)
    content_end = len(text.rstrip(" \t\n.!*_`'\")"))
    opponent_clause = re.compile(rf"\b{opponent}(?:'s|\s+(?:plays?|played|moves?|could|can|will))\b", re.I)
    # Where examples are announced ("e.g.", "such as") and trail off ("etc."), found once: a
    # search per token would be quadratic on a long one-line reply.
    examples = [m.end() for m in _EXAMPLE_RE.finditer(text)]
    etceteras = [m.start() for m in re.finditer(r"\betc\b", text, re.IGNORECASE)]
    for tok in tokens:
        if tok.natural:
            continue
        if tok.side is not None and tok.side != board.turn:
            continue  # "12... Nf6" when we play White: the opponent's move in a line of play
        if tok.follows:
            continue  # "Nxe5 Nxe5 d4": only the first move of a line of play can be ours now
        line_start = text.rfind("\n", max(0, tok.start - 200), tok.start) + 1
        line_end = text.find("\n", tok.end, tok.end + 200)
        line_end = min(len(text), tok.end + 200) if line_end < 0 else line_end
        if _any_between(examples, max(line_start, tok.start - 200), tok.start) or _any_between(
            etceteras, tok.end, line_end
        ):
            continue
        clause = _clause_before(text, tok.start)
        if _is_hypothetical(clause):
            continue
        if opponent_clause.search(clause):
            continue  # "Black's Nc6 defends e5", "Black will play ...d5"
        if _SQUARE_AFTER_RE.match(text[tok.end : tok.end + 30]) and (tok.weak or "-" in tok.body):
            continue  # "the d5 square", "e4, d4 and f5", "the a1-h8 diagonal"
        # "... So: d3." - a bare square closing the reply, after at most a word, is the answer.
        at_end = tok.end >= content_end and len(_FILLER_WORD_RE.findall(clause)) <= 1
        if tok.weak and not (tok.emphasised or tok.leading or at_end or tok.side is not None):
            # A bare square in running prose ("d5 is the Scandinavian", "pawns on a7, b7") names
            # a square far more often than it plays a pawn there.
            continue
        keep.append(tok)
    return keep


def _any_between(positions: list[int], low: int, high: int) -> bool:
    i = bisect.bisect_left(positions, low)
    return i < len(positions) and positions[i] <= high


_CONDITIONAL_RE = re.compile(r"^(?:if|after|when|once|unless)$", re.IGNORECASE)
_ACTOR_RE = re.compile(
    r"\b(?:white|black|opponent|he|she|they|his|her|their|the\s+\w+\s+(?:takes|plays))\b", re.I
)
_DELIBERATION_RE = re.compile(
    r"\s*(?:\w+ing\b|careful|much|some|long|further|more|consideration|analysis|review|reflection)",
    re.IGNORECASE,
)


def _is_hypothetical(clause: str) -> bool:
    """Is a mention preceded, in its sentence, by if/after/could/... (and still in its scope)?"""
    hits = list(_HYPOTHETICAL_RE.finditer(clause))
    if not hits:
        return False
    last = hits[-1]
    rest = clause[last.end() :]
    if _CONDITIONAL_RE.match(last.group(0)):
        # "after Nxe5", "if Black takes": a line of play. "After careful thought", "if I had to
        # choose": only the author deliberating, which does not make the next move hypothetical.
        if _TOKEN_RE.search(rest) is not None or _ACTOR_RE.search(rest) is not None:
            return True
        if "," in rest:
            return False  # "If I had to pick, I'd play d4": the condition closed before the move
        # "If I go for e5, ..." is a supposition; "After analysing the position I play Nf3" is not.
        return _DELIBERATION_RE.match(rest) is None
    # "After weighing it, the quiet 4. d3": a comma closes the aside unless a move sits inside it
    # ("could go 5. d4 exd4, cxd4" is still the hypothetical line).
    return "," not in rest or _TOKEN_RE.search(rest) is not None


def _bare_list(text: str, tokens: list[_Token], board: chess.Board) -> list[_Token]:
    """The moves of a reply that only lists moves of ours: on list items, or on lines holding
    nothing but moves and separators ("a3, a4, b3, Nf3", the prompt's legal moves echoed).
    A line of play ("e4 e5 Nf3") is not a list: it holds the other side's moves too."""
    moves = [t for t in tokens if not t.natural]
    if len({t.body for t in moves}) < 2:
        return []
    by_line: dict[int, list[_Token]] = {}
    for tok in moves:
        by_line.setdefault(text.rfind("\n", 0, tok.start) + 1, []).append(tok)
    for start, line_tokens in by_line.items():
        if line_tokens[0].item:
            continue
        end = text.find("\n", start)
        line = text[start : len(text) if end < 0 else end]
        rest = _TOKEN_RE.sub(" ", line)
        label = re.match(r"\s*[^:\n]{0,40}:", rest)  # "Legal moves: a3, a4, b3"
        rest = rest[label.end() :] if label else rest
        if len(line_tokens) < 2 or not _LIST_FILLER_RE.fullmatch(rest):
            return []
    if any(t.side not in (None, board.turn) or not _interpret(t, board).ok for t in moves):
        return []
    return moves


_LIST_FILLER_RE = re.compile(r"(?:[\s,;/|*_`'\"()\[\].:-]|\band\b|\bor\b)*", re.IGNORECASE)


# --- what the prose settles on -------------------------------------------------------------


def _settle(text: str, tokens: list[_Token], board: chess.Board) -> _Token | list[_Token] | None:
    """The move a reply's prose settles on, or the moves of a list it only enumerates, or None."""
    # 1. An explicit answer; the last one wins. (llm.answers reads the game-neutral ones first;
    # these add what only chess knows: "Black's move:", "Nf3 is best", {"from": .., "to": ..}.)
    picks = _marker_picks(text, tokens, board)
    if picks:
        return picks[-1].token

    # 2. A line that is just a move, preferring one that ends the reply.
    plain, items = _line_moves(text)
    last_line = next((ln for ln in reversed(text.splitlines()) if ln.strip(" \t*`_>#\"'")), "")
    if plain and last_line and text.rfind(last_line) <= plain[-1].start:
        return plain[-1]
    if len(items) >= 2 and not plain:
        return items
    if plain:
        return plain[-1]
    if len(items) == 1:
        return items[0]
    listed = _bare_list(text, tokens, board)
    if listed:
        return listed

    # 3. Running prose: the last plausible move, unless it only closes a list of candidates.
    prose = _prose_candidates(text, tokens, board)
    if not prose:
        return None
    # A move numbered as the one being played now ("1. e4 e5 2. Nf3" from the start) is the
    # answer, and whatever follows it is the line the model expects.
    now = [t for t in prose if t.number == board.fullmove_number and t.side == board.turn]
    now = [t for t in now if _interpret(t, board).ok]
    if now:
        return now[-1]
    last = prose[-1]
    items = [t for t in tokens if t.item and not t.natural]
    if last.item and len({t.body for t in items}) >= 2:
        return items
    return last


def _answer_token(text: str, tokens: list[_Token], board: chess.Board) -> _Token | None:
    """The move an extracted answer starts with ("Nf3, developing", "on d5: exd5", "e4 e5")."""
    for i, tok in enumerate(tokens):
        gap = text[: tok.start]
        if not _gap_is_filler(gap, allow_words=6):
            return None
        if tok.weak and not tok.emphasised and tok.side is None and _PLACE_WORD_RE.search(gap):
            continue  # "on d5: exd5" - d5 is a place, exd5 the move
        if (
            tok.side is not None
            and tok.side != board.turn
            and any(t.side != tok.side for t in tokens[i + 1 :])
        ):
            continue  # "3. Bb5 with 3... a6": our move is the one numbered as ours
        return tok
    return None


# --- the reader ----------------------------------------------------------------------------


class ChessReader:
    """The chess notation for :func:`llm.answers.read_reply`, for the side to move on a board.

    Moves are read as SAN, UCI, long algebraic, figurines or words ("knight to f3") and
    returned as UCI; what cannot be played is explained (pinned, in check, blocked, no such
    piece, the other side's move). The board is copied, never mutated.
    """

    def __init__(self, board: chess.Board) -> None:
        self.board = board.copy()

    def read(self, text: str) -> Reading:
        over = _game_over(self.board)
        if over is not None:
            return over
        clean = _normalise(text)
        tokens = _tokens(clean)
        tok = _answer_token(clean, tokens, self.board)
        if tok is not None:
            return _interpret(tok, self.board)
        attempt = _attempted_move(clean)
        if attempt is not None:
            return Reading.reject(
                RejectKind.UNPARSEABLE, f"'{attempt}' is not a move. {_FORMAT_HINT}", attempt
            )
        return Reading.reject(RejectKind.NO_MOVE, NO_MOVE_REASON)

    def find(self, text: str) -> list[Found]:
        """The one move the prose settles on, or every move of a list it only enumerates.

        Chess prose needs more than the order of mentions (markers only chess knows, verdicts
        such as "Nf3 is best", lines of play, squares named as squares), so the reader picks
        the mention itself and llm.answers reads the last one found. Offsets are into
        ``text`` as llm.answers.normalise leaves it; the chess folding keeps lengths.
        """
        clean = _normalise(text)
        settled = _settle(clean, _tokens(clean), self.board)
        if settled is None:
            return []
        chosen = settled if isinstance(settled, list) else [settled]
        return [Found(t.start, t.end, t.raw) for t in chosen]


def _game_over(board: chess.Board) -> Reading | None:
    outcome = board.outcome(claim_draw=False)
    if outcome is None:
        return None
    label = _TERMINATION_LABELS.get(outcome.termination, outcome.termination.name.lower())
    return Reading.reject(RejectKind.GAME_OVER, f"The game is already over ({label}); no move can be played.")


# --- the entry points ----------------------------------------------------------------------


def read_reply(text: str, board: chess.Board) -> Reading:
    """The move a model's ``text`` settles on, as UCI, for the side to move in ``board``.

    ``board`` is the position the model was asked about; it is copied, never mutated.
    """
    reader = ChessReader(board)
    over = _game_over(reader.board)
    return over if over is not None else answers.read_reply(text, reader, how_to_answer=HOW_TO_ANSWER)


def parse_reply(text: str, board: chess.Board) -> ParsedReply:
    """:func:`read_reply` with the move as a :class:`chess.Move`."""
    reading = read_reply(text, board)
    move = chess.Move.from_uci(reading.move) if reading.move is not None else None
    return ParsedReply(move, reading.candidate, reading.reason, reading.kind)


# --- turning a token into a move, or into a precise refusal --------------------------------


def _interpret(tok: _Token, board: chess.Board) -> Reading:
    body = tok.body.replace(" ", "")
    if body == "castle":
        castles = [mv for mv in board.legal_moves if board.is_castling(mv)]
        if len(castles) == 1:
            san = board.san(castles[0]).rstrip("+#")
            return Reading.accept(castles[0].uci(), san)
        if castles:
            reason = "Castling is ambiguous here: both sides are possible; write O-O or O-O-O."
            return Reading.reject(RejectKind.AMBIGUOUS, reason, "castle")
        reason = (
            f"You cannot castle now. {_castling_reason(board, True, 'O-O')} "
            f"{_castling_reason(board, False, 'O-O-O')}"
        )
        return Reading.reject(RejectKind.ILLEGAL, reason, "castle")
    if _CASTLE_RE.fullmatch(body):
        san = "O-O-O" if body.count("-") == 2 else "O-O"
        return _play_castling(board, san)
    if re.fullmatch(r"[KQRBN]?X?[A-H][1-8](?:-?[A-H][1-8])?(?:=?[QRBN])?", body) and len(body) > 2:
        # Shouted moves: "NF3" is Nf3, "E2E4" is e2e4. Keep a leading piece letter, lower the rest.
        lead = body[0] if body[0] in "KQRBN" and body[1] in "ABCDEFGHX" else ""
        body = lead + body[len(lead) :].lower()
    long = _LONG_RE.fullmatch(body)
    if long is not None:
        return _play_long(board, long)
    return _play_san(board, body)


def _play_castling(board: chess.Board, san: str) -> Reading:
    try:
        return Reading.accept(board.parse_san(san).uci(), san)
    except ValueError:
        return Reading.reject(RejectKind.ILLEGAL, _castling_reason(board, san == "O-O", san), san)


def _castling_reason(board: chess.Board, kingside: bool, shown: str) -> str:
    color = board.turn
    wing = "kingside" if kingside else "queenside"
    rights = (
        board.has_kingside_castling_rights(color) if kingside else board.has_queenside_castling_rights(color)
    )
    if not rights:
        return f"{shown} is illegal: you can no longer castle {wing} (the king or that rook has moved)."
    if board.is_check():
        return f"{shown} is illegal: you cannot castle while your king is in check."
    king = board.king(color)
    rook_file = 7 if kingside else 0
    rank = chess.square_rank(king) if king is not None else (0 if color == chess.WHITE else 7)
    rook = chess.square(rook_file, rank)
    if king is not None and chess.SquareSet.between(king, rook) & board.occupied:
        return f"{shown} is illegal: there are pieces between your king and the {wing} rook."
    return f"{shown} is illegal: your king would pass through or land on an attacked square."


def _promotion_letter(m: re.Match[str]) -> str | None:
    for group in ("p1", "p2", "p3", "p4"):
        if m.group(group):
            return m.group(group).lower()
    return None


def _play_long(board: chess.Board, m: re.Match[str]) -> Reading:
    """UCI or long algebraic: "e2e4", "e2-e4", "Ng1-f3", "e7e8=Q", "e1h1" (king takes rook)."""
    promo = _promotion_letter(m)
    uci = m.group("from") + m.group("to") + (promo or "")
    from_sq = chess.parse_square(m.group("from"))
    to_sq = chess.parse_square(m.group("to"))
    if from_sq == to_sq:
        return Reading.reject(
            RejectKind.ILLEGAL, f"{uci} is not a move: a piece must go to a different square.", uci
        )
    named = m.group("piece")
    piece = board.piece_at(from_sq)
    # "bc4"-like text cannot reach here (it is not four characters); a lowercase 'b' in front of a
    # full from-square is a bishop prefix only if a bishop stands there.
    if named and named.lower() == "b" and named.islower() and piece and piece.piece_type != chess.BISHOP:
        named = None
    if promo is None or promo != "k":
        try:
            move = board.parse_uci(uci)
        except ValueError:
            move = None
        if move is not None and board.is_legal(move):
            if named and piece and piece.symbol().upper() != named.upper():
                pass  # the prefix names the wrong piece; explain below rather than play a surprise
            else:
                return Reading.accept(move.uci(), uci)
    return _explain_long(board, uci, from_sq, to_sq, promo, named)


def _explain_long(
    board: chess.Board, uci: str, from_sq: int, to_sq: int, promo: str | None, named: str | None
) -> Reading:
    side = _color_name(board.turn)
    piece = board.piece_at(from_sq)
    from_name, to_name = chess.square_name(from_sq), chess.square_name(to_sq)
    if piece is None:
        hint = _who_can_reach(board, to_sq)
        return Reading.reject(
            RejectKind.ILLEGAL, f"{uci} is illegal: there is no piece on {from_name}.{hint}", uci
        )
    name = chess.piece_name(piece.piece_type)
    if piece.color != board.turn:
        reason = f"{uci} moves a {_color_name(piece.color)} {name}, but you play {side}."
        return Reading.reject(RejectKind.WRONG_SIDE, reason, uci)
    if named and named.upper() != piece.symbol().upper():
        named_name = chess.piece_name(chess.PIECE_SYMBOLS.index(named.lower()))
        reason = f"{named}{uci}: the piece on {from_name} is your {name}, not a {named_name}."
        return Reading.reject(RejectKind.ILLEGAL, reason, uci)
    last_rank = chess.square_rank(to_sq) in (0, 7)
    if promo is not None:
        if piece.piece_type != chess.PAWN:
            return Reading.reject(RejectKind.ILLEGAL, f"{uci} is illegal: only a pawn can promote.", uci)
        if promo == "k":
            return Reading.reject(
                RejectKind.ILLEGAL, f"{uci} is illegal: a pawn cannot promote to a king.", uci
            )
        if not last_rank:
            reason = f"{uci} is illegal: a pawn promotes only on the last rank."
            return Reading.reject(RejectKind.ILLEGAL, reason, uci)
    elif piece.piece_type == chess.PAWN and last_rank:
        queen = chess.Move(from_sq, to_sq, promotion=chess.QUEEN)
        if board.is_legal(queen):
            reason = f"{uci} needs a promotion piece, e.g. {queen.uci()} (or {uci}=Q)."
            return Reading.reject(RejectKind.ILLEGAL, reason, uci)
    if piece.piece_type == chess.KING and chess.square_rank(from_sq) == chess.square_rank(to_sq):
        distance = chess.square_file(to_sq) - chess.square_file(from_sq)
        target = board.piece_at(to_sq)
        takes_own_rook = target is not None and target.color == board.turn and target.piece_type == chess.ROOK
        if abs(distance) == 2 or takes_own_rook:
            kingside = distance > 0
            return Reading.reject(RejectKind.ILLEGAL, _castling_reason(board, kingside, uci), uci)
    move = chess.Move(from_sq, to_sq, promotion=chess.PIECE_SYMBOLS.index(promo) if promo else None)
    if board.is_pseudo_legal(move):
        return Reading.reject(RejectKind.ILLEGAL, _check_reason(board, move, uci), uci)
    occupant = board.piece_at(to_sq)
    if occupant is not None and occupant.color == board.turn:
        reason = f"{uci} is illegal: your own {chess.piece_name(occupant.piece_type)} stands on {to_name}."
        return Reading.reject(RejectKind.ILLEGAL, reason, uci)
    return Reading.reject(
        RejectKind.ILLEGAL, f"{uci} is illegal: {_cannot_reach(board, from_sq, to_sq)}.", uci
    )


def _check_reason(board: chess.Board, move: chess.Move, shown: str) -> str:
    """Why a pseudo-legal move is illegal: it exposes or ignores a check. Name the culprit."""
    them = not board.turn
    piece = board.piece_at(move.from_square)
    if piece is not None and piece.piece_type == chess.KING:
        after = board.copy(stack=False)
        after.remove_piece_at(move.from_square)  # the king no longer shields the squares behind it
        attackers = after.attackers(them, move.to_square)
        if attackers:
            return (
                f"{shown} would put your king in check: {chess.square_name(move.to_square)} is attacked "
                f"by {_describe_pieces(board, attackers)}."
            )
    if board.is_check():
        checkers = board.checkers()
        return (
            f"{shown} would leave your king in check: you are in check from "
            f"{_describe_pieces(board, checkers)}, and this move does not stop it."
        )
    if piece is not None and board.is_pinned(board.turn, move.from_square):
        ray = board.pin(board.turn, move.from_square)
        pinners = chess.SquareSet(ray & board.occupied_co[them])
        name = chess.piece_name(piece.piece_type)
        return (
            f"{shown} would leave your king in check: your {name} on {chess.square_name(move.from_square)} "
            f"is pinned to your king by {_describe_pieces(board, pinners)}."
        )
    return f"{shown} would leave your king in check."


def _describe_pieces(board: chess.Board, squares: chess.SquareSet | int) -> str:
    parts = []
    for sq in chess.SquareSet(squares):
        piece = board.piece_at(sq)
        if piece is not None:
            color = _color_name(piece.color)
            parts.append(f"the {color} {chess.piece_name(piece.piece_type)} on {chess.square_name(sq)}")
    return _join(parts, "and") or "an enemy piece"


def _cannot_reach(board: chess.Board, from_sq: int, to_sq: int) -> str:
    """Say why the piece on ``from_sq`` cannot go to ``to_sq`` (blocked, nothing to take, ...)."""
    piece = board.piece_at(from_sq)
    assert piece is not None
    name = chess.piece_name(piece.piece_type)
    from_name, to_name = chess.square_name(from_sq), chess.square_name(to_sq)
    base = f"your {name} on {from_name} cannot reach {to_name}"
    between = chess.SquareSet.between(from_sq, to_sq) & board.occupied
    file_step = chess.square_file(to_sq) - chess.square_file(from_sq)
    rank_step = chess.square_rank(to_sq) - chess.square_rank(from_sq)
    forward = 1 if piece.color == chess.WHITE else -1
    if piece.piece_type == chess.PAWN:
        if file_step == 0 and rank_step in (forward, 2 * forward):
            blockers = between | (chess.BB_SQUARES[to_sq] & board.occupied)
            if blockers:
                return f"{base}: it is blocked by {_describe_pieces(board, blockers)}"
            return f"{base}: a pawn moves two squares only from its starting square"
        if abs(file_step) == 1 and rank_step == forward and board.piece_at(to_sq) is None:
            return f"{base}: a pawn moves diagonally only to capture, and {to_name} is empty"
        return f"{base}: a pawn moves straight forward, and captures one square diagonally forward"
    line = chess.BB_RAYS[from_sq][to_sq]
    on_rank_or_file = file_step == 0 or rank_step == 0
    slides = (piece.piece_type in (chess.ROOK, chess.QUEEN) and on_rank_or_file) or (
        piece.piece_type in (chess.BISHOP, chess.QUEEN) and line and not on_rank_or_file
    )
    if slides and between:
        return f"{base}: the way is blocked by {_describe_pieces(board, between)}"
    return base


def _san_variants(body: str) -> tuple[str, str | None]:
    """Normalise written SAN; return it and, for a lowercase 'b', the bishop reading."""
    text = body.replace(":", "x")
    text = re.sub(r"\(([QRBNqrbn])\)$|/([QRBNqrbn])$", lambda m: "=" + (m.group(1) or m.group(2)), text)
    text = re.sub(r"(?<=[1-8])=?\s?([QRBNKqrbnk])$", lambda m: "=" + m.group(1).upper(), text)
    if text[0] in "kqrn":
        text = text[0].upper() + text[1:]
    elif text[0] in "ACDEFGH":
        text = text[0].lower() + text[1:]
    bishop = "B" + text[1:] if text[0] == "b" and "=" not in text and len(text) >= 3 else None
    return text, bishop


def _play_san(board: chess.Board, body: str) -> Reading:
    san, bishop = _san_variants(body)
    try:
        move = board.parse_san(san)
    except chess.AmbiguousMoveError:
        return Reading.reject(RejectKind.AMBIGUOUS, _ambiguity_reason(board, san), san)
    except ValueError:
        move = None
    if move:
        return Reading.accept(move.uci(), san)
    if bishop is not None:
        # "bxc5" is the b-pawn's capture; read it as Bxc5 only when the pawn reading is illegal
        # and exactly one bishop move fits (parse_san refuses the ambiguous ones).
        try:
            move = board.parse_san(bishop)
        except ValueError:
            move = None
        if move:
            return Reading.accept(move.uci(), bishop)
    kind, reason = _explain_san(board, san)
    if bishop is not None and kind == RejectKind.ILLEGAL:
        reason += f" (For a bishop move, write {bishop} with a capital B.)"
    return Reading.reject(kind, reason, san)


def _ambiguity_reason(board: chess.Board, san: str) -> str:
    # a1, b1, ... h8 order, so the message reads the same every time ("b1 and f3").
    moves = sorted(
        _matching_moves(board, san, legal=True), key=lambda mv: (mv.from_square % 8, mv.from_square)
    )
    if len(moves) < 2:
        return f"{san} is ambiguous; add the file or rank of the piece that moves."
    piece = board.piece_at(moves[0].from_square)
    name = chess.piece_name(piece.piece_type) if piece else "piece"
    squares = _join([chess.square_name(mv.from_square) for mv in moves], "and")
    options = _join([board.san(mv).rstrip("+#") for mv in moves], "or")
    both = "both" if len(moves) == 2 else "all"
    return f"{san} is ambiguous: {name}s on {squares} can {both} go there; write {options}."


def _matching_moves(board: chess.Board, san: str, *, legal: bool) -> list[chess.Move]:
    """Our moves that fit the SAN's piece, target, disambiguation and promotion."""
    m = _SAN_RE.fullmatch(san.rstrip("+#"))
    if m is None:
        return []
    from_mask = _from_mask(board, m, board.turn)
    to_mask = chess.BB_SQUARES[chess.parse_square(m.group("to"))]
    promo = chess.PIECE_SYMBOLS.index(m.group("promo").lower()) if m.group("promo") else None
    gen = board.generate_legal_moves if legal else board.generate_pseudo_legal_moves
    return [mv for mv in gen(from_mask, to_mask) if mv.promotion == promo and not board.is_castling(mv)]


def _from_mask(board: chess.Board, m: re.Match[str], color: chess.Color) -> int:
    piece_type = chess.PIECE_SYMBOLS.index(m.group("piece").lower()) if m.group("piece") else chess.PAWN
    mask = board.pieces_mask(piece_type, color)
    if m.group("file"):
        mask &= chess.BB_FILES[chess.FILE_NAMES.index(m.group("file"))]
    elif piece_type == chess.PAWN:
        mask &= chess.BB_FILES[chess.square_file(chess.parse_square(m.group("to")))]
    if m.group("rank"):
        mask &= chess.BB_RANKS[int(m.group("rank")) - 1]
    return mask


def _explain_san(board: chess.Board, san: str) -> tuple[RejectKind, str]:
    m = _SAN_RE.fullmatch(san)
    if m is None:
        return RejectKind.UNPARSEABLE, f"'{san}' is not a move. {_FORMAT_HINT}"
    side = _color_name(board.turn)
    piece_type = chess.PIECE_SYMBOLS.index(m.group("piece").lower()) if m.group("piece") else chess.PAWN
    name = chess.piece_name(piece_type)
    to_sq = chess.parse_square(m.group("to"))
    to_name = m.group("to")
    promo = m.group("promo")
    last_rank = chess.square_rank(to_sq) in (0, 7)

    if promo is not None:
        if piece_type != chess.PAWN:
            return RejectKind.ILLEGAL, f"{san} is illegal: only a pawn can promote."
        if promo == "K":
            return RejectKind.ILLEGAL, f"{san} is illegal: a pawn cannot promote to a king."
        if not last_rank:
            return RejectKind.ILLEGAL, f"{san} is illegal: a pawn promotes only on the last rank."
    elif piece_type == chess.PAWN and last_rank and _matching_moves(board, san + "=Q", legal=True):
        return RejectKind.ILLEGAL, f"{san} needs a promotion piece, e.g. {san}=Q."

    pseudo = _matching_moves(board, san, legal=False)
    if pseudo:  # it would be legal but for the king: pinned piece, or check not answered
        return RejectKind.ILLEGAL, _check_reason(board, pseudo[0], san)

    if not (piece_type == chess.KING and not m.group("x") and _is_castle_square(board, to_sq)):
        flipped = board.copy(stack=False)
        flipped.turn = not board.turn
        flipped.ep_square = None
        try:
            theirs = flipped.parse_san(san)
        except ValueError:
            theirs = None
        if theirs:
            return RejectKind.WRONG_SIDE, f"{san} is a move for {_color_name(flipped.turn)}; you play {side}."

    occupant = board.piece_at(to_sq)
    if occupant is not None and occupant.color == board.turn:
        return (
            RejectKind.ILLEGAL,
            f"{san} is illegal: your own {chess.piece_name(occupant.piece_type)} stands on {to_name}.",
        )

    ours = list(chess.SquareSet(_from_mask(board, m, board.turn)))
    if piece_type == chess.PAWN:
        if m.group("x") or m.group("file"):
            file_name = m.group("file") or to_name[0]
            # Only a pawn diagonally behind the target could capture there.
            ours = [sq for sq in ours if chess.BB_PAWN_ATTACKS[board.turn][sq] & chess.BB_SQUARES[to_sq]]
            if not ours:
                return (
                    RejectKind.ILLEGAL,
                    f"{san} is illegal: no {side} pawn on the {file_name}-file can capture on {to_name}.",
                )
            if occupant is None and board.ep_square != to_sq:
                return RejectKind.ILLEGAL, f"{san} is illegal: there is nothing to capture on {to_name}."
            where = _join([chess.square_name(sq) for sq in ours], "and")
            return (
                RejectKind.ILLEGAL,
                f"{san} is illegal: no {side} pawn (on {where}) can capture on {to_name}.",
            )
        forward = 1 if board.turn == chess.WHITE else -1
        behind = [sq for sq in ours if (chess.square_rank(to_sq) - chess.square_rank(sq)) * forward > 0]
        if behind:  # the pawn that would make the move: the nearest one behind the target square
            nearest = min(behind, key=lambda sq: abs(chess.square_rank(to_sq) - chess.square_rank(sq)))
            return RejectKind.ILLEGAL, f"{san} is illegal: {_cannot_reach(board, nearest, to_sq)}."
        return RejectKind.ILLEGAL, f"{san} is illegal: no {side} pawn can move to {to_name}."
    if not ours:
        if not board.pieces_mask(piece_type, board.turn):
            return (
                RejectKind.ILLEGAL,
                f"{san} is illegal: you have no {name} left.{_who_can_reach(board, to_sq)}",
            )
        return RejectKind.ILLEGAL, f"{san} is illegal: no {side} {name} stands where {san} says."
    if len(ours) == 1:
        return RejectKind.ILLEGAL, f"{san} is illegal: {_cannot_reach(board, ours[0], to_sq)}."
    where = _join([chess.square_name(sq) for sq in ours], "and")
    return RejectKind.ILLEGAL, f"{san} is illegal: none of your {name}s (on {where}) can reach {to_name}."


def _is_castle_square(board: chess.Board, to_sq: int) -> bool:
    king = board.king(board.turn)
    return king is not None and abs(chess.square_file(king) - chess.square_file(to_sq)) == 2


def _who_can_reach(board: chess.Board, to_sq: int) -> str:
    """A hint for "no such piece": which of our pieces can legally go to the square."""
    movers = sorted({mv.from_square for mv in board.legal_moves if mv.to_square == to_sq})
    to_name = chess.square_name(to_sq)
    if not movers:
        return f" No {_color_name(board.turn)} piece can move to {to_name}."
    names = []
    for sq in movers:
        piece = board.piece_at(sq)
        names.append(f"{chess.piece_name(piece.piece_type) if piece else 'piece'} on {chess.square_name(sq)}")
    return f" Pieces of yours that can go to {to_name}: {_join(names, 'and')}."


def _color_name(color: chess.Color) -> str:
    return "White" if color == chess.WHITE else "Black"


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
