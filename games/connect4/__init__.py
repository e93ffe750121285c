"""Connect Four: four in a row on a 7x6 grid, Red first (see docs/games.md for the layout)."""

from games.connect4.game import ConnectFour
from games.core.registry import register

GAME = register(ConnectFour())
