"""Chess: FIDE rules on python-chess, the Arena engine, Stockfish, PGN."""

from games.chess.game import Chess
from games.core.registry import register

GAME = register(Chess())
