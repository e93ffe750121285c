"""Prompts as text templates, one set per game (llm/prompts/<game>_*.txt).

``strict``: the model sees the FEN and the moves so far. ``assisted``: also its legal moves.
"""

from __future__ import annotations

import functools
from pathlib import Path
from string import Template

import chess

from llm.types import Message

PROTOCOLS = ("strict", "assisted")
_DIR = Path(__file__).with_name("prompts")


@functools.cache
def template(name: str) -> Template:
    return Template(_DIR.joinpath(f"{name}.txt").read_text().strip())


def _side(board: chess.Board) -> str:
    return "White" if board.turn == chess.WHITE else "Black"


def chess_messages(*, start_fen: str, moves: list[str], protocol: str, opponent: str) -> list[Message]:
    """The opening messages of a turn: the rules of the reply, then the position."""
    start = chess.Board(start_fen)
    board = start.copy()
    for uci in moves:
        board.push_uci(uci)
    history = start.variation_san(board.move_stack) if moves else "(none yet)"
    values = {
        "side": _side(board),
        "opponent": opponent,
        "fen": board.fen(),
        "moves": history,
        "check": " You are in check." if board.is_check() else "",
        "legal": " ".join(sorted(board.san(m) for m in board.legal_moves)),
    }
    user = template(f"chess_{protocol}").substitute(values)
    return [Message("system", template("chess_system").substitute(values)), Message("user", user)]


def chess_retry(*, board: chess.Board, reason: str) -> Message:
    return Message(
        "user", template("chess_retry").substitute(reason=reason, fen=board.fen(), side=_side(board))
    )
