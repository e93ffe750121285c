"""Matches in DynamoDB: one META item plus one item per step, all under ``pk = MATCH#<id>``.

Persistence only: the items, their keys and the reads. Every write goes through games.store,
which makes it conditional on META's version (and a runner's lease). Attribute names stored
before games became plugins (``start_fen``, ``fen``, ``uci``, ``san``) are kept on disk, so
stored chess matches read as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Any, cast

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DoesNotExist

from accounts.access import GUEST_NAME, is_guest
from arena_site.dynamodb import ArenaItem
from games.core import Game, Outcome, get_game
from games.players import HUMAN, PlayerSpec

STATUS_RUNNING = "running"
STATUS_PAUSED = "paused"  # a provider kept failing; resumes by itself at resume_at
STATUS_FINISHED = "finished"
AWAITING_HUMAN = "human"
AWAITING_BOT = "bot"
AWAITING_NOBODY = "nobody"

LIST_RUNNING = "MATCHES#running"
LIST_FINISHED = "MATCHES#finished"

_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_ID_RE = re.compile(rf"^[{_ID_ALPHABET}]{{10}}$")


def new_match_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


def is_match_id(text: str) -> bool:
    return bool(_ID_RE.match(text))


def match_pk(match_id: str) -> str:
    return f"MATCH#{match_id}"


def ply_sk(number: int) -> str:
    return f"PLY#{number:05d}"


def turn_sk(number: int, token: str) -> str:
    return f"TURN#{number:05d}#{token}"


def log_sk(number: int, token: str) -> str:
    # Sorts before META, so the match page's Query (sk >= META) never reads transcripts.
    return f"LOG#{number:05d}#{token}"


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class MatchItem(ArenaItem, discriminator="match"):
    """``MATCH#<id> / META``: everything needed to validate the next move in one GetItem."""

    match_id = UnicodeAttribute()
    game = UnicodeAttribute(default="chess")
    # Player references per seat, in the game's seat order.
    players = ListAttribute(of=UnicodeAttribute)
    # Player id (an account's user id, or a guest browser's id) that created the match and
    # plays its ``human`` seats; owner_name is the account's username (None for a guest).
    owner = UnicodeAttribute()
    owner_name = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default=STATUS_RUNNING)
    awaiting = UnicodeAttribute(default=AWAITING_HUMAN)
    # The record: the game's start (chess: a FEN) and its steps in the game's notation.
    start = UnicodeAttribute(attr_name="start_fen", null=True)
    moves = ListAttribute(of=UnicodeAttribute, default=list)
    # A short text of the current state (chess: the FEN), for lists and pages.
    position = UnicodeAttribute(attr_name="fen", null=True)
    # Simultaneous games: the choices of the round being played, {seat: {"move", "player",
    # "think_ms", "detail"}}. Never rendered, exported or returned: a round is revealed (moved
    # into the record) only when every seat has chosen.
    sealed = JSONAttribute(null=True)
    result = UnicodeAttribute(null=True)
    termination = UnicodeAttribute(null=True)
    winner = UnicodeAttribute(null=True)
    version = NumberAttribute(default=0)
    lease_owner = UnicodeAttribute(null=True)
    lease_until = NumberAttribute(null=True)
    pace_seconds = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    # LLM matches: the options (games.llm_options.LLMOptions.to_dict), running totals per seat
    # ({"white": {...}, "black": {...}}), and the pause state when a provider keeps failing.
    llm_options = JSONAttribute(null=True)
    totals = JSONAttribute(null=True)
    pause_reason = UnicodeAttribute(null=True)
    pauses = NumberAttribute(default=0)
    resume_at = NumberAttribute(null=True)

    # --- domain views --------------------------------------------------------------
    @property
    def rules(self) -> Game[Any]:
        """The game this match plays (games.core registry)."""
        return get_game(self.game)

    @property
    def record(self) -> list[str]:
        # PynamoDB types list elements as attributes; they hold plain strings.
        return cast(list[str], self.moves)

    @property
    def seat_names(self) -> tuple[str, ...]:
        return self.rules.seats

    @property
    def seats(self) -> list[PlayerSpec]:
        return seats_of(cast(list[str], self.players), self.owner, self.owner_name, self.game)

    def seat(self, name: str) -> PlayerSpec:
        return self.seats[self.seat_names.index(name)]

    @property
    def sealed_seats(self) -> frozenset[str]:
        return frozenset(self.sealed or {})

    @property
    def has_llm(self) -> bool:
        return self.llm_options is not None

    @property
    def open_sides(self) -> list[str]:
        """The seats still waiting for an invited person, while the match is not over."""
        if not self.is_running:
            return []
        return [side for side, seat in zip(self.seat_names, self.seats, strict=True) if seat.is_open]

    def participants(self) -> dict[str, list[str]]:
        """Every person with a stake in the match: {player id: the seats they play}. The owner
        is always one (with no seat when bots or models play them all)."""
        return participants_of(self.owner, self.seat_names, self.seats)

    def state(self) -> Any:
        """The game's state, replayed from the record."""
        return self.rules.replay(self.start or "", self.record)

    def pending(self, state: Any) -> list[str]:
        """The seats that must still act now, in seat order (sealed choices already made are
        not pending)."""
        acting = self.rules.to_act(state) - self.sealed_seats
        return [seat for seat in self.seat_names if seat in acting]

    def outcome(self) -> Outcome | None:
        if self.termination is None:
            return None
        return Outcome.from_stored(
            self.seat_names, termination=self.termination, winner=self.winner, result=self.result
        )

    @property
    def is_running(self) -> bool:
        """Not over: playing, or paused until a provider recovers."""
        return self.status in (STATUS_RUNNING, STATUS_PAUSED)

    @property
    def is_paused(self) -> bool:
        return self.status == STATUS_PAUSED


class PlyItem(ArenaItem, discriminator="ply"):
    """``MATCH#<id> / PLY#00001``: one applied step with who played it and how long it took."""

    number = NumberAttribute()
    record = UnicodeAttribute(attr_name="uci")  # the step in the game's notation
    label = UnicodeAttribute(attr_name="san")  # as the move list shows it
    position = UnicodeAttribute(attr_name="fen")  # the state after it
    side = UnicodeAttribute()  # the seat that moved ("p1 p2" for a simultaneous round)
    player = UnicodeAttribute()
    think_ms = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    # LLM plies: attempts (reply and reasoning excerpts, verdicts, tokens, cost, latency).
    detail = JSONAttribute(null=True)
    # Simultaneous rounds: per seat, who chose, how long it took and the LLM detail.
    by_seat = JSONAttribute(null=True)


class TurnItem(ArenaItem, discriminator="turn"):
    """``MATCH#<id> / TURN#00005#<token>``: an LLM turn that ended without a move (forfeit,
    budget, provider pause), kept so that every attempt and its cost stays visible."""

    number = NumberAttribute()
    side = UnicodeAttribute()
    player = UnicodeAttribute()
    ended = UnicodeAttribute()  # "forfeit" | "budget" | "paused" | "aborted"
    detail = JSONAttribute()
    created_at = UTCDateTimeAttribute()


class LogItem(ArenaItem, discriminator="log"):
    """``MATCH#<id> / LOG#00005#<token>``: the full transcript of one LLM turn (every message
    sent and every reply in full). Read on demand only."""

    number = NumberAttribute()
    transcript = JSONAttribute()
    created_at = UTCDateTimeAttribute()
    # A sealed choice's transcript (it names the choice): shown once round ``number`` is revealed.
    sealed = BooleanAttribute(null=True)


def seats_of(players: list[str], owner: str, owner_name: str | None, game: str) -> list[PlayerSpec]:
    """Who plays each seat; the owner's seats carry the owner's name for labels."""
    seats = [PlayerSpec.from_ref(ref, game=game) for ref in players]
    name = owner_name or (GUEST_NAME if is_guest(owner) else None)
    return [dataclasses.replace(s, name=name) if s.kind == HUMAN else s for s in seats]


def participants_of(owner: str, seat_names: tuple[str, ...], seats: list[PlayerSpec]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {owner: []}
    for side, seat in zip(seat_names, seats, strict=True):
        if seat.kind == HUMAN:
            found[owner].append(side)
        elif seat.player is not None:
            found.setdefault(seat.player, []).append(side)
    return found


@dataclass
class LoadedMatch:
    meta: MatchItem
    plies: list[PlyItem] = field(default_factory=list)
    turns: list[TurnItem] = field(default_factory=list)


# --- reads -------------------------------------------------------------------------------
def load_match(match_id: str) -> LoadedMatch | None:
    """The whole match in ONE Query: META, PLY#..., TURN#... (sk >= META skips the LOG# items)."""
    meta: MatchItem | None = None
    plies: list[PlyItem] = []
    turns: list[TurnItem] = []
    for item in ArenaItem.query(match_pk(match_id), ArenaItem.sk >= "META", consistent_read=True):
        if isinstance(item, MatchItem):
            meta = item
        elif isinstance(item, PlyItem):
            plies.append(item)
        elif isinstance(item, TurnItem):
            turns.append(item)
    if meta is None:
        return None
    return LoadedMatch(meta, sorted(plies, key=lambda p: p.number), turns)


def get_log(match_id: str, sk: str) -> LogItem | None:
    if not sk.startswith("LOG#"):
        return None
    try:
        item = ArenaItem.get(match_pk(match_id), sk, consistent_read=True)
    except DoesNotExist:
        return None
    return item if isinstance(item, LogItem) else None


def get_meta(match_id: str) -> MatchItem | None:
    try:
        return MatchItem.get(match_pk(match_id), "META", consistent_read=True)
    except DoesNotExist:
        return None


def get_version(match_id: str) -> int | None:
    """The cheapest read there is: one GetItem projected to the version number."""
    try:
        item = MatchItem.get(
            match_pk(match_id), "META", consistent_read=True, attributes_to_get=["kind", "version"]
        )
    except DoesNotExist:
        return None
    return int(item.version)


def list_matches(listing: str, *, limit: int | None) -> list[MatchItem]:
    items = ArenaItem.listing.query(listing, scan_index_forward=False, limit=limit)
    return [item for item in items if isinstance(item, MatchItem)]
