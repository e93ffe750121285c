from __future__ import annotations

import random
import shutil
import stat
from pathlib import Path

import chess
import pytest

from games.chess import bots
from games.chess.bots import (
    ENGINE_LEVELS,
    STOCKFISH_SKILLS,
    BotUnavailableError,
    engine_move,
    random_move,
    stockfish_move,
    stockfish_path,
)

SEARCHING_LEVELS = [level for level in ENGINE_LEVELS if level >= 2]

MIDDLEGAME_FENS = [
    # Italian game, both sides castled.
    "r1bq1rk1/pppp1ppp/2n2n2/2b1p3/2B1P3/2NP1N2/PPP2PPP/R1BQ1RK1 w - - 0 7",
    # Sicilian Paulsen, Black to move.
    "r1b1kb1r/1pqp1ppp/p1n1pn2/8/3NP3/2N1B3/PPP1BPPP/R2QK2R b KQkq - 3 8",
    # Queen's Gambit Declined with pieces out.
    "r1bq1rk1/pp1nbppp/2p1pn2/3p2B1/2PP4/2N1PN2/PP3PPP/R2QKB1R w KQ - 0 8",
]

MATE_IN_ONE_FENS = [
    # Back-rank mate: Ra8#.
    "6k1/5ppp/8/8/8/8/8/R5K1 w - - 0 1",
    # Scholar's mate: Qxf7#.
    "r1bqkb1r/pppp1ppp/2n2n2/4p2Q/2B1P3/8/PPPP1PPP/RNB1K1NR w KQkq - 4 4",
    # Fool's mate, Black to move: Qh4#.
    "rnbqkbnr/pppp1ppp/8/4p3/6P1/5P2/PPPPP2P/RNBQKBNR b KQkq g3 0 2",
]


def _queen_is_en_prise(board: chess.Board, color: chess.Color) -> bool:
    """Whether the opponent (to move) can take ``color``'s queen for less than a queen."""
    for square in board.pieces(chess.QUEEN, color):
        attackers = board.attackers(not color, square)
        if not attackers:
            continue
        defended = bool(board.attackers(color, square))
        # A king can only take an undefended queen, which the check below already covers.
        cheaper = any(
            board.piece_type_at(attacker) not in (chess.QUEEN, chess.KING) for attacker in attackers
        )
        if cheaper or not defended:
            return True
    return False


def _executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_random_move_is_legal() -> None:
    board = chess.Board(MIDDLEGAME_FENS[0])

    for seed in range(20):
        assert random_move(board, random.Random(seed)) in board.legal_moves


def test_random_move_with_the_same_seed_picks_the_same_move() -> None:
    board = chess.Board()

    first = [random_move(board, random.Random(seed)) for seed in range(10)]
    second = [random_move(board, random.Random(seed)) for seed in range(10)]

    assert first == second
    assert len(set(first)) > 1


def test_random_move_raises_when_there_is_no_legal_move() -> None:
    board = chess.Board(MATE_IN_ONE_FENS[0])
    board.push_san("Ra8#")

    with pytest.raises(ValueError, match="no legal move"):
        random_move(board)


# Level 4 from the middlegames is covered by the queen safety test below, which keeps the file fast.
@pytest.mark.parametrize(
    ("fen", "level"),
    [(chess.STARTING_FEN, level) for level in ENGINE_LEVELS]
    + [(fen, level) for fen in MIDDLEGAME_FENS for level in ENGINE_LEVELS if level < 4],
)
def test_engine_returns_a_legal_move_at_every_level(fen: str, level: int) -> None:
    board = chess.Board(fen)

    assert engine_move(board, level, rng=random.Random(0)) in board.legal_moves


@pytest.mark.parametrize("level", SEARCHING_LEVELS)
@pytest.mark.parametrize("fen", MATE_IN_ONE_FENS)
def test_engine_finds_mate_in_one_at_every_level_from_two(fen: str, level: int) -> None:
    board = chess.Board(fen)

    board.push(engine_move(board, level))

    assert board.is_checkmate()


@pytest.mark.parametrize("level", SEARCHING_LEVELS)
def test_engine_captures_a_hanging_queen(level: int) -> None:
    board = chess.Board("4k3/8/8/3q4/8/8/3R4/4K3 w - - 0 1")

    assert engine_move(board, level) == chess.Move.from_uci("d2d5")


@pytest.mark.parametrize("level", SEARCHING_LEVELS)
def test_engine_wins_a_queen_for_a_knight(level: int) -> None:
    board = chess.Board("r1b1kbnr/pppp1ppp/2n5/4q3/4P3/5N2/PPPP1PPP/RNBQKB1R w KQkq - 0 4")

    assert engine_move(board, level) == chess.Move.from_uci("f3e5")


@pytest.mark.parametrize("level", SEARCHING_LEVELS)
def test_engine_rescues_its_attacked_queen(level: int) -> None:
    # 1.e4 c5 2.d4 cxd4 3.Qxd4 Nc6: the knight attacks the queen.
    board = chess.Board("r1bqkbnr/pp1ppppp/2n5/8/3QP3/8/PPP2PPP/RNB1KBNR w KQkq - 1 4")

    board.push(engine_move(board, level))

    assert not _queen_is_en_prise(board, chess.WHITE)


@pytest.mark.parametrize("level", SEARCHING_LEVELS)
@pytest.mark.parametrize("fen", MIDDLEGAME_FENS)
def test_engine_does_not_put_its_own_queen_en_prise(fen: str, level: int) -> None:
    board = chess.Board(fen)
    mover = board.turn
    assert not _queen_is_en_prise(board, mover)

    move = engine_move(board, level, rng=random.Random(1))
    assert move in board.legal_moves
    board.push(move)

    assert not _queen_is_en_prise(board, mover)


@pytest.mark.parametrize("level", list(ENGINE_LEVELS))
def test_engine_does_not_mutate_the_given_board(level: int) -> None:
    board = chess.Board()
    for san in ["e4", "e5", "Nf3", "Nc6", "Bc4", "Nf6"]:
        board.push_san(san)
    fen = board.fen()
    move_stack = list(board.move_stack)

    engine_move(board, level, rng=random.Random(0))

    assert board.fen() == fen
    assert board.move_stack == move_stack


@pytest.mark.parametrize("level", list(ENGINE_LEVELS))
def test_engine_plays_the_only_legal_move(level: int) -> None:
    board = chess.Board("k7/8/8/8/8/8/1r6/K7 w - - 0 1")
    assert list(board.legal_moves) == [chess.Move.from_uci("a1b2")]

    assert engine_move(board, level) == chess.Move.from_uci("a1b2")


@pytest.mark.parametrize("level", list(ENGINE_LEVELS))
@pytest.mark.parametrize(
    ("fen", "expected"),
    [
        ("8/P6k/8/8/8/8/8/K7 w - - 0 1", "a7a8q"),
        ("7K/8/8/8/8/8/p7/7k b - - 0 1", "a2a1q"),
        # Capturing the rook while promoting beats promoting into its attack.
        ("1r5k/P7/8/8/8/8/8/K7 w - - 0 1", "a7b8q"),
    ],
)
def test_engine_promotes_to_a_queen(fen: str, expected: str, level: int) -> None:
    board = chess.Board(fen)

    assert engine_move(board, level, rng=random.Random(0)) == chess.Move.from_uci(expected)


def test_engine_level_one_with_the_same_seed_picks_the_same_move() -> None:
    board = chess.Board(MIDDLEGAME_FENS[0])

    first = [engine_move(board, 1, rng=random.Random(seed)) for seed in range(8)]
    second = [engine_move(board, 1, rng=random.Random(seed)) for seed in range(8)]

    assert first == second


def test_engine_rejects_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="Unknown engine level"):
        engine_move(chess.Board(), 99)


def test_engine_raises_when_there_is_no_legal_move() -> None:
    board = chess.Board(MATE_IN_ONE_FENS[0])
    board.push_san("Ra8#")

    with pytest.raises(ValueError, match="no legal move"):
        engine_move(board, 2)


def test_stockfish_path_prefers_an_executable_configured_path(settings, tmp_path) -> None:
    binary = _executable(tmp_path / "stockfish", "#!/bin/sh\n")
    settings.STOCKFISH_PATH = str(binary)

    assert stockfish_path() == str(binary)


def _hide_every_stockfish(settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings.STOCKFISH_PATH = str(tmp_path / "missing" / "stockfish")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(bots, "_DEBIAN_STOCKFISH_PATH", str(tmp_path / "also-missing"))


def test_stockfish_path_is_none_when_no_binary_is_found(settings, monkeypatch, tmp_path) -> None:
    _hide_every_stockfish(settings, monkeypatch, tmp_path)

    assert stockfish_path() is None


def test_stockfish_move_is_unavailable_when_no_binary_is_found(settings, monkeypatch, tmp_path) -> None:
    _hide_every_stockfish(settings, monkeypatch, tmp_path)

    with pytest.raises(BotUnavailableError, match="not installed"):
        stockfish_move(chess.Board(), 0)


def test_stockfish_move_is_unavailable_when_the_given_path_points_nowhere(tmp_path) -> None:
    with pytest.raises(BotUnavailableError, match="not found"):
        stockfish_move(chess.Board(), 0, path=str(tmp_path / "nowhere"))


def test_stockfish_move_is_unavailable_when_the_binary_is_not_an_engine(tmp_path) -> None:
    binary = _executable(tmp_path / "stockfish", "#!/bin/sh\nexit 0\n")

    with pytest.raises(BotUnavailableError, match="could not be started"):
        stockfish_move(chess.Board(), 0, path=str(binary))


def test_bot_unavailable_error_is_a_runtime_error() -> None:
    assert issubclass(BotUnavailableError, RuntimeError)


def test_stockfish_skills_are_valid_skill_levels() -> None:
    assert all(0 <= skill <= 20 for skill in STOCKFISH_SKILLS)


needs_stockfish = pytest.mark.skipif(stockfish_path() is None, reason="no Stockfish binary installed")


@needs_stockfish
@pytest.mark.parametrize("skill", [0, 20])
def test_stockfish_returns_a_legal_move(skill: int) -> None:
    board = chess.Board(MIDDLEGAME_FENS[1])

    assert stockfish_move(board, skill, time_limit=0.05) in board.legal_moves


@needs_stockfish
def test_stockfish_finds_mate_in_one_at_full_strength() -> None:
    board = chess.Board(MATE_IN_ONE_FENS[1])

    board.push(stockfish_move(board, 20, time_limit=0.05))

    assert board.is_checkmate()
