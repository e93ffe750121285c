from __future__ import annotations

import random
from collections import Counter

import pytest

from games.tictactoe import GAME
from games.tictactoe.bots import perfect_move, perfect_moves, random_move
from games.tictactoe.rules import Board


def _board(*moves: str) -> Board:
    return Board.from_moves(moves)


def _walk(board: Board, bot_seat: str, results: Counter[str]) -> None:
    """Every game the perfect bot can reach: all opponent replies, and every move the bot
    may pick (its ties are broken at random, so each of them must hold)."""
    if board.is_over():
        winner = board.winner()
        results["draw" if winner is None else "win" if winner == bot_seat else "loss"] += 1
        return
    moves = perfect_moves(board) if board.turn == bot_seat else board.legal_moves()
    for square in moves:
        _walk(board.play(square), bot_seat, results)


@pytest.mark.parametrize("bot_seat", ["x", "o"])
def test_the_perfect_bot_never_loses_against_any_line_of_play(bot_seat: str) -> None:
    results: Counter[str] = Counter()
    _walk(Board(), bot_seat, results)
    assert results["loss"] == 0
    # The walk really covered many games, and the bot wins those the opponent throws away.
    assert results["win"] > 100
    assert results["draw"] > 0


def test_the_perfect_bot_only_ever_plays_one_of_its_best_moves() -> None:
    board = _board("a1", "b2")
    picks = {perfect_move(board, "x", random.Random(seed)) for seed in range(50)}
    assert picks <= set(perfect_moves(board))


def test_the_perfect_bot_varies_its_games_among_equal_moves() -> None:
    # Every first move draws with perfect play, so X has nine equal choices.
    assert sorted(perfect_moves(Board())) == sorted(Board().legal_moves())
    picks = {perfect_move(Board(), "x", random.Random(seed)) for seed in range(50)}
    assert len(picks) > 3


def test_the_perfect_bot_takes_a_win_rather_than_blocking() -> None:
    # X: a1 b1, O: a2 b2, X to move: c1 wins now, c2 would only block.
    board = _board("a1", "a2", "b1", "b2")
    assert perfect_moves(board) == ["c1"]


def test_the_perfect_bot_blocks_a_line_it_cannot_beat() -> None:
    # X threatens a1-b1-c1; O has nothing to win with, so it must take c1.
    board = _board("a1", "b2", "b1")
    assert perfect_moves(board) == ["c1"]


def test_the_perfect_bot_prefers_the_fastest_win() -> None:
    # X: a1 a2, O: b1 c1. a3 wins at once; b2, c2 and c3 also win, but only later.
    assert perfect_moves(_board("a1", "b1", "a2", "c1")) == ["a3"]


def test_a_lost_perfect_bot_loses_as_slowly_as_it_can() -> None:
    # X: a1 a2 (and a fork coming), O: b1. O loses whatever it does; blocking a3 delays it.
    assert perfect_moves(_board("a1", "b1", "a2")) == ["a3"]


def test_two_perfect_bots_always_draw() -> None:
    for seed in range(20):
        rng = random.Random(seed)
        board = Board()
        while not board.is_over():
            board = board.play(perfect_move(board, board.turn or "", rng))
        assert board.winner() is None


def test_the_random_bot_plays_legal_moves_to_the_end_of_the_game() -> None:
    rng = random.Random(7)
    for _ in range(200):
        board = Board()
        while not board.is_over():
            seat = board.turn or ""
            square = random_move(board, seat, rng)
            assert square in board.legal_moves()
            board = board.play(square)


def test_a_bot_refuses_to_move_for_the_seat_not_to_act() -> None:
    with pytest.raises(ValueError, match="not to move"):
        random_move(Board(), "o", random.Random(1))
    with pytest.raises(ValueError, match="not to move"):
        perfect_move(Board(), "o", random.Random(1))


def test_the_game_lists_both_bots_by_ref() -> None:
    assert [(bot.ref, bot.label) for bot in GAME.bots()] == [
        ("random", "Random mover"),
        ("perfect", "Perfect player (never loses)"),
    ]
    perfect = GAME.bot("perfect")
    assert perfect is not None
    assert perfect.choose(_board("a1", "a2", "b1", "b2"), "x", random.Random(0)) == "c1"
