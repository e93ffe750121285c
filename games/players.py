"""Who plays a side: a small value object stored as a compact reference string.

References: ``human`` (the match's owner, in their browser), ``open`` (a seat waiting for
an invited person), ``person:<player id>:<name>`` (the person who took it), ``random``,
``engine:<level>`` (our pure-Python engine), ``stockfish:<skill>``, and LLMs as
``<provider>:<model id>`` (``openai:gpt-4o``, ``anthropic:claude-sonnet-4-5``,
``ollama:llama3.1:8b`` for a configured endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass

from games import bots
from llm import catalog, credentials

HUMAN = "human"
OPEN = "open"
PERSON = "person"
RANDOM = "random"
ENGINE = "engine"
STOCKFISH = "stockfish"
LLM = "llm"


class UnknownPlayerError(ValueError):
    pass


@dataclass(frozen=True)
class PlayerSpec:
    kind: str
    level: int | None = None
    model: str | None = None  # the model reference of an LLM player
    player: str | None = None  # the player id of a person (PERSON seats)
    # Shown for people: a PERSON's name, and for HUMAN seats the owner's (MatchItem.seats).
    name: str | None = None

    @classmethod
    def person(cls, player_id: str, name: str) -> PlayerSpec:
        if ":" in player_id or ":" in name:
            raise UnknownPlayerError("Player ids and names of people cannot contain ':'.")
        return cls(PERSON, player=player_id, name=name)

    @classmethod
    def from_ref(cls, ref: str) -> PlayerSpec:
        kind, _, level_text = ref.partition(":")
        if kind in (HUMAN, OPEN, RANDOM) and not level_text:
            return cls(kind)
        if kind == PERSON:
            player_id, _, name = level_text.partition(":")
            if player_id and name:
                return cls(PERSON, player=player_id, name=name)
        if kind in (ENGINE, STOCKFISH) and level_text.isdigit():
            level = int(level_text)
            levels = bots.ENGINE_LEVELS if kind == ENGINE else bots.STOCKFISH_SKILLS
            if level in levels:
                return cls(kind, level)
        if level_text and kind not in (HUMAN, OPEN, PERSON, RANDOM, ENGINE, STOCKFISH):
            try:
                catalog.get_model(ref)
            except catalog.UnknownModelError:
                pass
            else:
                # Stored references always resolve (an endpoint removed from settings keeps
                # its old matches readable); the form offers only configured models.
                return cls(LLM, model=ref)
        raise UnknownPlayerError(f"Unknown player {ref!r}.")

    def to_ref(self) -> str:
        if self.model is not None:
            return self.model
        if self.kind == PERSON:
            return f"{PERSON}:{self.player}:{self.name}"
        return self.kind if self.level is None else f"{self.kind}:{self.level}"

    @property
    def is_llm(self) -> bool:
        return self.kind == LLM

    @property
    def is_human(self) -> bool:
        """Played by a person in a browser (the owner, an invited person, or a seat waiting
        for one): the match waits for them rather than enqueueing a bot."""
        return self.kind in (HUMAN, OPEN, PERSON)

    @property
    def is_open(self) -> bool:
        return self.kind == OPEN

    def played_by(self, player_id: str | None, *, owner: str) -> bool:
        """Whether ``player_id`` moves for this seat of a match owned by ``owner``."""
        if player_id is None:
            return False
        if self.kind == HUMAN:
            return player_id == owner
        return self.kind == PERSON and player_id == self.player

    @property
    def is_bot(self) -> bool:
        return not self.is_human

    @property
    def label(self) -> str:
        if self.kind in (HUMAN, PERSON):
            return self.name or "Human"
        if self.kind == OPEN:
            return "Open seat (invited player)"
        if self.kind == RANDOM:
            return "Random mover"
        if self.kind == ENGINE:
            assert self.level is not None
            return f"Arena engine {self.level} ({bots.ENGINE_LEVELS[self.level]})"
        if self.kind == LLM:
            assert self.model is not None
            model = catalog.get_model(self.model)
            return f"{model.name} ({model.provider_label})"
        assert self.level is not None
        return f"Stockfish skill {self.level}"


Choices = list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]


def player_choices(*, stockfish_available: bool) -> tuple[Choices, dict[str, str]]:
    """The new-match form's choices (grouped), and the unavailable ones with the reason."""
    bots_group = [
        (HUMAN, "Me (play in this browser)"),
        (OPEN, "A person I invite (share the link)"),
        (RANDOM, "Random mover"),
    ]
    bots_group += [
        (f"{ENGINE}:{level}", f"Arena engine {level}: {name}") for level, name in bots.ENGINE_LEVELS.items()
    ]
    if stockfish_available:
        bots_group += [
            (f"{STOCKFISH}:{skill}", f"Stockfish skill {skill}: {name}")
            for skill, name in bots.STOCKFISH_SKILLS.items()
        ]
    choices: Choices = [("People and engines", bots_group)]
    unavailable: dict[str, str] = {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for model in catalog.models().values():
        reason = credentials.unavailable_reason(model.provider)
        label = model.name if model.input is not None else f"{model.name} (price unknown: cost not computed)"
        if reason is not None:
            label = f"{model.name} (unavailable: {reason})"
        groups.setdefault(model.provider_label, []).append((model.ref, label))
        if reason is not None:
            unavailable[model.ref] = reason
    choices += [(f"LLM: {provider}", options) for provider, options in groups.items()]
    return choices, unavailable
