"""The game protocol: what every game of the arena implements, and how the arena finds it.

Pure Python (no Django, no PynamoDB, no network): rules, outcomes and the registry can be
imported and tested in milliseconds, and a web request pays nothing for them.
"""

from games.core.outcome import (
    ABANDONED,
    ABORTED,
    BUDGET,
    CORE_TERMINATIONS,
    FORFEIT,
    RESIGNATION,
    Outcome,
)
from games.core.protocol import (
    Bot,
    CorruptRecordError,
    Export,
    Game,
    GameOverError,
    GameRecord,
    IllegalMoveError,
    InvalidOptionsError,
    MoveCell,
    MoveError,
    MoveRow,
    Option,
    Reading,
    RejectKind,
    Step,
    UnparseableMoveError,
)
from games.core.registry import UnknownGameError, all_games, game_ids, get_game, register

__all__ = [
    "ABANDONED",
    "ABORTED",
    "BUDGET",
    "CORE_TERMINATIONS",
    "FORFEIT",
    "RESIGNATION",
    "Bot",
    "CorruptRecordError",
    "Export",
    "Game",
    "GameOverError",
    "GameRecord",
    "IllegalMoveError",
    "InvalidOptionsError",
    "MoveCell",
    "MoveError",
    "MoveRow",
    "Option",
    "Outcome",
    "Reading",
    "RejectKind",
    "Step",
    "UnknownGameError",
    "UnparseableMoveError",
    "all_games",
    "game_ids",
    "get_game",
    "register",
]
