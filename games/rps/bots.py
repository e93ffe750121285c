"""The built-in players. They see what every player sees: the revealed rounds, never a choice
sealed in the current round (the state has none to show)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from games.core.protocol import Bot
from games.rps.rules import Choice, State, other_seat


def throw_random(state: State, seat: str, rng: random.Random) -> str:
    return rng.choice(list(Choice)).value


def counter_most_frequent(history: Sequence[Choice], rng: random.Random) -> Choice:
    """What beats the opponent's most frequent choice; random when none stands out."""
    counts = Counter(history).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return rng.choice(list(Choice))
    return counts[0][0].beaten_by


def throw_frequency(state: State, seat: str, rng: random.Random) -> str:
    opponent = other_seat(seat)
    return counter_most_frequent([played.choice(opponent) for played in state.rounds], rng).value


BOTS: tuple[Bot[State], ...] = (
    Bot("random", "Random thrower", throw_random),
    Bot("frequency", "Frequency counter", throw_frequency),
)
