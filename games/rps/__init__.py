"""Rock-paper-scissors, best of N: a simultaneous game (both seats choose, then the round is
revealed)."""

from games.core.registry import register
from games.rps.game import RockPaperScissors

GAME = register(RockPaperScissors())
