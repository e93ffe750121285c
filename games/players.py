"""Who plays a seat: a small value object stored as a compact reference string.

References: ``human`` (the match's owner, in their browser), ``open`` (a seat waiting for
an invited person), ``person:<player id>:<name>`` (the person who took it), a bot of the
match's game (``random``, ``engine:2``, ``stockfish:5``, ``perfect``, ``search:3`` ...: see each
game's ``bots()``), and LLMs as ``<provider>:<model id>`` (``openai:gpt-4o``,
``anthropic:claude-sonnet-4-5``, ``ollama:llama3.1:8b`` for a configured endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass

from games.core import get_game
from llm import catalog, credentials

HUMAN = "human"
OPEN = "open"
PERSON = "person"
BOT = "bot"
LLM = "llm"


class UnknownPlayerError(ValueError):
    pass


@dataclass(frozen=True)
class PlayerSpec:
    kind: str
    bot: str | None = None  # the bot reference of a BOT seat, e.g. "engine:2"
    model: str | None = None  # the model reference of an LLM player
    player: str | None = None  # the player id of a person (PERSON seats)
    # Shown for people: a PERSON's name, and for HUMAN seats the owner's (MatchItem.seats).
    name: str | None = None
    game: str = "chess"

    @classmethod
    def person(cls, player_id: str, name: str) -> PlayerSpec:
        if ":" in player_id or ":" in name:
            raise UnknownPlayerError("Player ids and names of people cannot contain ':'.")
        return cls(PERSON, player=player_id, name=name)

    @classmethod
    def from_ref(cls, ref: str, *, game: str = "chess") -> PlayerSpec:
        kind, _, rest = ref.partition(":")
        if kind in (HUMAN, OPEN) and not rest:
            return cls(kind, game=game)
        if kind == PERSON:
            player_id, _, name = rest.partition(":")
            if player_id and name:
                return cls(PERSON, player=player_id, name=name, game=game)
            raise UnknownPlayerError(f"Unknown player {ref[:80]!r}.")
        if get_game(game).bot(ref) is not None:
            return cls(BOT, bot=ref, game=game)
        if rest:
            try:
                catalog.get_model(ref)
            except catalog.UnknownModelError:
                pass
            else:
                # Stored references always resolve (an endpoint removed from settings keeps
                # its old matches readable); the form offers only configured models.
                return cls(LLM, model=ref, game=game)
        raise UnknownPlayerError(f"Unknown player {ref[:80]!r}.")

    def to_ref(self) -> str:
        if self.model is not None:
            return self.model
        if self.bot is not None:
            return self.bot
        if self.kind == PERSON:
            return f"{PERSON}:{self.player}:{self.name}"
        return self.kind

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
        if self.kind == BOT:
            assert self.bot is not None
            bot = get_game(self.game).bot(self.bot)
            return bot.label if bot is not None else self.bot
        assert self.model is not None
        model = catalog.get_model(self.model)
        return f"{model.name} ({model.provider_label})"


Choices = list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]


def player_choices(game: str) -> tuple[Choices, dict[str, str]]:
    """The new-match form's choices for a seat of ``game`` (grouped), and the unavailable
    ones with the reason."""
    people = [(HUMAN, "Me (play in this browser)"), (OPEN, "A person I invite (share the link)")]
    bots = [(bot.ref, bot.label) for bot in get_game(game).bots() if bot.available]
    choices: Choices = [("People", people), ("Bots", bots)]
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
