"""Tic-tac-toe: three in a row on a 3x3 board, X first (see docs/games.md for the layout)."""

from games.core.registry import register
from games.tictactoe.game import TicTacToe

GAME = register(TicTacToe())
