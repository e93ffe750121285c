"""Who plays a side: a small value object stored as a compact reference string.

References: ``human``, ``random``, ``engine:<level>`` (our pure-Python engine) and
``stockfish:<skill>``. LLM references (``openai:<model>`` ...) arrive with the llm app.
"""

from __future__ import annotations

from dataclasses import dataclass

from games import bots

HUMAN = "human"
RANDOM = "random"
ENGINE = "engine"
STOCKFISH = "stockfish"


class UnknownPlayerError(ValueError):
    pass


@dataclass(frozen=True)
class PlayerSpec:
    kind: str
    level: int | None = None

    @classmethod
    def from_ref(cls, ref: str) -> PlayerSpec:
        kind, _, level_text = ref.partition(":")
        if kind in (HUMAN, RANDOM) and not level_text:
            return cls(kind)
        if kind in (ENGINE, STOCKFISH) and level_text.isdigit():
            level = int(level_text)
            levels = bots.ENGINE_LEVELS if kind == ENGINE else bots.STOCKFISH_SKILLS
            if level in levels:
                return cls(kind, level)
        raise UnknownPlayerError(f"Unknown player {ref!r}.")

    def to_ref(self) -> str:
        return self.kind if self.level is None else f"{self.kind}:{self.level}"

    @property
    def is_human(self) -> bool:
        return self.kind == HUMAN

    @property
    def is_bot(self) -> bool:
        return not self.is_human

    @property
    def label(self) -> str:
        if self.kind == HUMAN:
            return "Human"
        if self.kind == RANDOM:
            return "Random mover"
        if self.kind == ENGINE:
            assert self.level is not None
            return f"Arena engine {self.level} ({bots.ENGINE_LEVELS[self.level]})"
        assert self.level is not None
        return f"Stockfish skill {self.level}"


def player_choices(*, stockfish_available: bool) -> list[tuple[str, str]]:
    """The choices of the new-match form, value first."""
    choices = [(HUMAN, "Me (play in this browser)"), (RANDOM, "Random mover")]
    choices += [
        (f"{ENGINE}:{level}", f"Arena engine {level}: {name}") for level, name in bots.ENGINE_LEVELS.items()
    ]
    if stockfish_available:
        choices += [
            (f"{STOCKFISH}:{skill}", f"Stockfish skill {skill}: {name}")
            for skill, name in bots.STOCKFISH_SKILLS.items()
        ]
    return choices
