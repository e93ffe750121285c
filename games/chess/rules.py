"""Chess rules for the arena: plain Python on python-chess, no Django, no I/O.

A :class:`ChessGame` is a start position plus the UCI moves played from it, which is exactly
what a match stores. Everything else (FEN, SAN, outcome, PGN) is derived from that pair, so
the stored game can always be replayed and checked move by move.

Draws follow FIDE: checkmate, stalemate, insufficient material, fivefold repetition and the
75-move rule end the game by themselves; threefold repetition and the 50-move rule end it only
when the side to move claims the draw (bots claim as soon as they may, see games.runner).
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import chess

from games.core import protocol as core
from games.core.outcome import ABORTED, BUDGET, FORFEIT, Outcome

STARTING_FEN = chess.STARTING_FEN

_UCI_RE = re.compile(r"^[a-h][1-8][a-h][1-8][qrbnQRBN]?$")


class MoveError(core.MoveError):
    """A move that cannot be played; the message is meant for the player."""


class UnparseableMoveError(MoveError, core.UnparseableMoveError):
    """The text is neither SAN nor UCI."""


class IllegalMoveError(MoveError, core.IllegalMoveError):
    """The text names a move that the rules forbid in this position."""


class AmbiguousMoveError(MoveError):
    """The SAN fits several legal moves."""


class GameOverError(MoveError, core.GameOverError):
    """The game has already ended."""


class InvalidPositionError(ValueError):
    """A FEN that is malformed, or describes a position a game cannot start from."""


class Termination(enum.StrEnum):
    """How a chess game ends by its rules (the arena's own endings are in games.core)."""

    CHECKMATE = "checkmate"
    STALEMATE = "stalemate"
    INSUFFICIENT_MATERIAL = "insufficient_material"
    THREEFOLD_REPETITION = "threefold_repetition"
    FIVEFOLD_REPETITION = "fivefold_repetition"
    FIFTY_MOVES = "fifty_moves"
    SEVENTYFIVE_MOVES = "seventyfive_moves"

    @property
    def label(self) -> str:
        return TERMINATION_LABELS[self]


TERMINATION_LABELS: dict[str, str] = {
    Termination.CHECKMATE: "checkmate",
    Termination.STALEMATE: "stalemate",
    Termination.INSUFFICIENT_MATERIAL: "insufficient material",
    Termination.THREEFOLD_REPETITION: "threefold repetition",
    Termination.FIVEFOLD_REPETITION: "fivefold repetition",
    Termination.FIFTY_MOVES: "the 50-move rule",
    Termination.SEVENTYFIVE_MOVES: "the 75-move rule",
}
# The PGN standard's Termination tag (section 9.8.1) for the arena's own endings; the rules'
# endings and a resignation are "normal".
_PGN_TERMINATIONS = {FORFEIT: "rules infraction", BUDGET: "adjudication", ABORTED: "abandoned"}


def pgn_termination(termination: str) -> str:
    return _PGN_TERMINATIONS.get(termination, "normal")


_PYCHESS_TERMINATIONS = {
    chess.Termination.CHECKMATE: Termination.CHECKMATE,
    chess.Termination.STALEMATE: Termination.STALEMATE,
    chess.Termination.INSUFFICIENT_MATERIAL: Termination.INSUFFICIENT_MATERIAL,
    chess.Termination.SEVENTYFIVE_MOVES: Termination.SEVENTYFIVE_MOVES,
    chess.Termination.FIVEFOLD_REPETITION: Termination.FIVEFOLD_REPETITION,
    chess.Termination.FIFTY_MOVES: Termination.FIFTY_MOVES,
    chess.Termination.THREEFOLD_REPETITION: Termination.THREEFOLD_REPETITION,
}
SEATS = ("white", "black")


def color_name(color: chess.Color) -> str:
    return "white" if color == chess.WHITE else "black"


def parse_color(name: str) -> chess.Color:
    if name == "white":
        return chess.WHITE
    if name == "black":
        return chess.BLACK
    raise ValueError(f"unknown side {name!r}: use 'white' or 'black'")


def outcome_of(termination: str, winner: chess.Color | None) -> Outcome:
    """The arena's outcome for a chess ending: ``winner`` takes 1, or a draw."""
    if winner is None:
        return Outcome.draw(SEATS, termination)
    return Outcome.win(SEATS, color_name(winner), termination)


@dataclass(frozen=True)
class PlyRecord:
    """What one applied move leaves behind: the move in both notations and the new FEN."""

    number: int
    uci: str
    san: str
    fen: str
    color: chess.Color


def validate_fen(fen: str) -> str:
    """Return the normalised FEN of a position a game can start from, or raise."""
    text = " ".join(fen.split())
    if not text:
        raise InvalidPositionError("Paste a FEN, or leave the field empty for the standard position.")
    try:
        board = chess.Board(text)
    except ValueError as exc:
        raise InvalidPositionError(f"This is not a valid FEN: {exc}.") from None
    status = board.status()
    if status != chess.STATUS_VALID:
        raise InvalidPositionError(_describe_status(status))
    outcome = board.outcome(claim_draw=False)
    if outcome is not None:
        term = _PYCHESS_TERMINATIONS[outcome.termination]
        raise InvalidPositionError(f"This position is already over ({term.label}); there is nothing to play.")
    return board.fen()


def _describe_status(status: chess.Status) -> str:
    checks = [
        (chess.STATUS_NO_WHITE_KING, "White has no king."),
        (chess.STATUS_NO_BLACK_KING, "Black has no king."),
        (chess.STATUS_TOO_MANY_KINGS, "A side has more than one king."),
        (chess.STATUS_TOO_MANY_WHITE_PAWNS, "White has more than 8 pawns."),
        (chess.STATUS_TOO_MANY_BLACK_PAWNS, "Black has more than 8 pawns."),
        (chess.STATUS_PAWNS_ON_BACKRANK, "Pawns cannot stand on the first or last rank."),
        (chess.STATUS_TOO_MANY_WHITE_PIECES, "White has more than 16 pieces."),
        (chess.STATUS_TOO_MANY_BLACK_PIECES, "Black has more than 16 pieces."),
        (chess.STATUS_BAD_CASTLING_RIGHTS, "The castling rights do not match the kings and rooks."),
        (chess.STATUS_INVALID_EP_SQUARE, "The en passant square is not possible in this position."),
        (chess.STATUS_OPPOSITE_CHECK, "The side that is not to move is in check."),
        (chess.STATUS_TOO_MANY_CHECKERS, "The king is attacked by more pieces than is possible."),
        (chess.STATUS_IMPOSSIBLE_CHECK, "The check in this position cannot arise in a real game."),
        (chess.STATUS_EMPTY, "The board is empty."),
        (chess.STATUS_RACE_CHECK, "Both kings are in check."),
    ]
    reasons = [text for flag, text in checks if status & flag]
    return "This position is not legal: " + " ".join(reasons or ["python-chess rejects it."])


class ChessGame:
    """A chess game as a start FEN plus the UCI moves played since.

    >>> game = ChessGame()
    >>> game.play("e4").san
    'e4'
    >>> game
    ChessGame(start_fen='rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1', moves=['e2e4'])
    """

    def __init__(self, start_fen: str = STARTING_FEN, moves: Iterable[str] = ()) -> None:
        self.start_fen = start_fen
        self._board = chess.Board(start_fen)
        for uci in moves:
            try:
                move = chess.Move.from_uci(uci)
            except chess.InvalidMoveError:
                move = chess.Move.null()  # never legal, so reported just below
            if not self._board.is_legal(move):
                raise IllegalMoveError(f"stored move {uci} is illegal after {self._board.fen()}")
            self._board.push(move)

    def __repr__(self) -> str:
        return f"ChessGame(start_fen={self.start_fen!r}, moves={self.moves!r})"

    def copy(self) -> ChessGame:
        """An independent game with the same history (no replay: the board is copied)."""
        twin = ChessGame.__new__(ChessGame)
        twin.start_fen = self.start_fen
        twin._board = self._board.copy()
        return twin

    @property
    def seat(self) -> str:
        """The seat to move: "white" or "black"."""
        return color_name(self._board.turn)

    # --- reading ---------------------------------------------------------------------
    @property
    def board(self) -> chess.Board:
        """A copy of the current board; mutate it freely."""
        return self._board.copy()

    @property
    def moves(self) -> list[str]:
        return [move.uci() for move in self._board.move_stack]

    @property
    def sans(self) -> list[str]:
        # Computed on demand: SAN needs move generation, and most callers never ask for it.
        board = chess.Board(self.start_fen)
        sans = []
        for move in self._board.move_stack:
            sans.append(board.san(move))
            board.push(move)
        return sans

    @property
    def ply_count(self) -> int:
        return len(self._board.move_stack)

    @property
    def turn(self) -> chess.Color:
        return self._board.turn

    @property
    def last_move(self) -> chess.Move | None:
        return self._board.peek() if self._board.move_stack else None

    def fen(self) -> str:
        return self._board.fen()

    def is_check(self) -> bool:
        return self._board.is_check()

    def legal_moves(self) -> list[str]:
        return [move.uci() for move in self._board.legal_moves]

    def outcome(self) -> Outcome | None:
        """The outcome that ends the game by itself (no draw claims)."""
        result = self._board.outcome(claim_draw=False)
        if result is None:
            return None
        return outcome_of(_PYCHESS_TERMINATIONS[result.termination], result.winner)

    def is_over(self) -> bool:
        return self.outcome() is not None

    def claimable_draw(self) -> Termination | None:
        """The draw the side to move may claim now, if any."""
        if self.is_over():
            return None
        if self._board.can_claim_fifty_moves():
            return Termination.FIFTY_MOVES
        if self._board.is_repetition(3):
            return Termination.THREEFOLD_REPETITION
        return None

    # --- moving ----------------------------------------------------------------------
    def parse_move(self, text: str) -> chess.Move:
        """Read SAN or UCI for the side to move, or raise a MoveError that says why not."""
        if self.is_over():
            raise GameOverError("The game is over; no more moves can be played.")
        cleaned = text.strip()
        if not cleaned:
            raise UnparseableMoveError("Enter a move, in SAN (Nf3) or UCI (g1f3).")
        if len(cleaned) > 12:
            raise UnparseableMoveError(
                f"{cleaned[:12]}… is too long to be a move; use SAN (Nf3) or UCI (g1f3)."
            )
        if _UCI_RE.match(cleaned):
            return self._parse_uci(cleaned.lower())
        return self._parse_san(cleaned)

    def play(self, move: str | chess.Move) -> PlyRecord:
        """Apply a move given as text (SAN or UCI) or as a python-chess Move."""
        if isinstance(move, str):
            parsed = self.parse_move(move)
        else:
            if self.is_over():
                raise GameOverError("The game is over; no more moves can be played.")
            if not self._board.is_legal(move):
                raise IllegalMoveError(f"{move.uci()} is not legal in this position.")
            parsed = move
        color = self._board.turn
        san = self._board.san(parsed)
        self._board.push(parsed)
        return PlyRecord(number=self.ply_count, uci=parsed.uci(), san=san, fen=self._board.fen(), color=color)

    def _parse_uci(self, text: str) -> chess.Move:
        board = self._board
        try:
            move = chess.Move.from_uci(text)
        except chess.InvalidMoveError:  # e.g. e2e2: python-chess refuses a move to its own square
            raise IllegalMoveError(f"{text}: a move must go to a different square.") from None
        if board.is_legal(move):
            return move
        piece = board.piece_at(move.from_square)
        side = color_name(board.turn).capitalize()
        from_name = chess.square_name(move.from_square)
        if piece is None:
            raise IllegalMoveError(f"{text}: there is no piece on {from_name}.")
        if piece.color != board.turn:
            raise IllegalMoveError(f"{text}: the piece on {from_name} is not {side}'s; it is {side}'s turn.")
        if piece.piece_type == chess.PAWN and move.promotion is None:
            promoted = chess.Move(move.from_square, move.to_square, promotion=chess.QUEEN)
            if board.is_legal(promoted):
                raise IllegalMoveError(
                    f"{text}: a pawn reaching the last rank must promote, e.g. {promoted.uci()}."
                )
        if move.promotion is not None and piece.piece_type != chess.PAWN:
            raise IllegalMoveError(f"{text}: only a pawn can promote.")
        return self._explain_illegal(move, text)

    def _parse_san(self, text: str) -> chess.Move:
        board = self._board
        try:
            move = board.parse_san(text)
        except chess.AmbiguousMoveError:
            raise AmbiguousMoveError(self._describe_ambiguity(text)) from None
        except chess.InvalidMoveError:
            raise UnparseableMoveError(
                f"{text!r} is not a move in SAN (Nf3, exd5, O-O, e8=Q) or UCI (g1f3, e7e8q)."
            ) from None
        except chess.IllegalMoveError:
            raise IllegalMoveError(self._describe_illegal_san(text)) from None
        if not move:  # python-chess reads "--", "0000", "Z0" and "@@@@" as a null move (a pass)
            raise IllegalMoveError(f"{text}: passing is not a move; you must play a move.")
        return move

    def _explain_illegal(self, move: chess.Move, text: str) -> chess.Move:
        board = self._board
        if board.is_pseudo_legal(move):
            raise IllegalMoveError(f"{text}: that move would leave your king in check.")
        piece = board.piece_at(move.from_square)
        name = chess.piece_name(piece.piece_type) if piece else "piece"
        raise IllegalMoveError(
            f"{text}: the {name} on {chess.square_name(move.from_square)} cannot move to "
            f"{chess.square_name(move.to_square)}."
        )

    def _describe_illegal_san(self, text: str) -> str:
        board = self._board
        # Find the pseudo-legal twin, if any, to tell "leaves king in check" from "cannot reach".
        for move in board.pseudo_legal_moves:
            if not board.is_legal(move) and _san_matches(board, move, text):
                return f"{text}: that move would leave your king in check."
        side = color_name(board.turn).capitalize()
        if text.rstrip("+#!?").replace("0", "O") in ("O-O", "O-O-O"):
            # Castling SAN names no side, so "it would be Black's move" would mislead here.
            return f"{text}: {side} cannot castle that way now."
        other = board.copy(stack=False)
        other.turn = not board.turn
        try:
            other.parse_san(text)
        except ValueError:
            pass
        else:
            return f"{text} would be a move for {color_name(other.turn).capitalize()}; it is {side}'s turn."
        return f"{text} is not a legal move for {side} in this position."

    def _describe_ambiguity(self, text: str) -> str:
        board = self._board
        candidates = [m for m in board.legal_moves if _san_matches(board, m, text)]
        if not candidates:
            return f"{text} is ambiguous; add the file or rank of the piece that moves."
        options = []
        for move in candidates:
            options.append(f"{chess.square_name(move.from_square)} ({board.san(move)})")
        return f"{text} is ambiguous: it could be the piece on " + " or ".join(options) + "."

    # --- history ---------------------------------------------------------------------
    def board_at(self, ply: int) -> chess.Board:
        """The board after ``ply`` plies (0 is the start position)."""
        ply = max(0, min(ply, self.ply_count))
        board = chess.Board(self.start_fen)
        for move in self._board.move_stack[:ply]:
            board.push(move)
        return board

    def to_pgn(self, headers: Mapping[str, str], outcome: Outcome | None, description: str = "") -> str:
        """The game as PGN; ``description`` ("White wins by checkmate") ends the movetext."""
        # Lazy, for cold start: only the PGN download needs the PGN machinery.
        import chess.pgn

        game = chess.pgn.Game()
        for key, value in headers.items():
            game.headers[key] = value
        if self.start_fen != STARTING_FEN:
            game.setup(chess.Board(self.start_fen))
        node: chess.pgn.GameNode = game
        for move in self._board.move_stack:
            node = node.add_variation(move)
        game.headers["Result"] = outcome.result if outcome else "*"
        game.headers["Termination"] = pgn_termination(outcome.termination) if outcome else "unterminated"
        if outcome is not None and description:
            node.comment = description + "."
        out = io.StringIO()
        exporter = chess.pgn.FileExporter(out)
        game.accept(exporter)
        return out.getvalue()


def _san_matches(board: chess.Board, move: chess.Move, text: str) -> bool:
    """Does ``move`` land where ``text`` says, with the piece it names (ignoring disambiguation)?"""
    stripped = text.rstrip("+#!?")
    target = re.search(r"([a-h][1-8])(=?[QRBNqrbn])?$", stripped)
    if target is None:
        return False
    if chess.square_name(move.to_square) != target.group(1):
        return False
    piece = board.piece_at(move.from_square)
    letter = stripped[0]
    if letter in "KQRBN":
        return piece is not None and piece.symbol().upper() == letter
    return piece is not None and piece.piece_type == chess.PAWN


def pgn_date(when: dt.datetime) -> str:
    return when.strftime("%Y.%m.%d")
