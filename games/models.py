"""Matches in DynamoDB: one META item plus one item per ply, all under ``pk = MATCH#<id>``.

Persistence only. Every state change below is a conditional write on ``version`` (and, for a
runner, on its lease), so two tabs, a retried Lambda or twenty threads at once can never apply
a ply twice or lose one: exactly one writer sees its condition hold, the others get
:class:`ConflictError` and must re-read.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Any, cast

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from arena_site.dynamodb import ArenaItem
from games.players import PlayerSpec
from games.rules.chess import ChessGame, Outcome, PlyRecord, color_name

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


class ConflictError(Exception):
    """A conditional write lost: the match changed since it was read."""


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
    # Player references per seat, in seat order (white, black).
    players = ListAttribute(of=UnicodeAttribute)
    # Opaque id of the browser (later: account) that created the match and owns its human seats.
    owner = UnicodeAttribute()
    status = UnicodeAttribute(default=STATUS_RUNNING)
    awaiting = UnicodeAttribute(default=AWAITING_HUMAN)
    start_fen = UnicodeAttribute()
    fen = UnicodeAttribute()
    # The source of truth for the game: UCI moves from start_fen. Ply items add detail.
    moves = ListAttribute(of=UnicodeAttribute, default=list)
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
    # LLM matches: the options (games.llm_turn.LLMOptions.to_dict), running totals per side
    # ({"white": {...}, "black": {...}}), and the pause state when a provider keeps failing.
    llm_options = JSONAttribute(null=True)
    totals = JSONAttribute(null=True)
    pause_reason = UnicodeAttribute(null=True)
    pauses = NumberAttribute(default=0)
    resume_at = NumberAttribute(null=True)

    # --- domain views --------------------------------------------------------------
    # PynamoDB types list elements as attributes; they hold plain strings.
    @property
    def uci_moves(self) -> list[str]:
        return cast(list[str], self.moves)

    @property
    def seats(self) -> list[PlayerSpec]:
        return [PlayerSpec.from_ref(ref) for ref in cast(list[str], self.players)]

    def game_state(self) -> ChessGame:
        return ChessGame(self.start_fen, self.uci_moves)

    def outcome(self) -> Outcome | None:
        if self.termination is None:
            return None
        return Outcome.from_dict({"termination": self.termination, "winner": self.winner})

    @property
    def is_running(self) -> bool:
        """Not over: playing, or paused until a provider recovers."""
        return self.status in (STATUS_RUNNING, STATUS_PAUSED)

    @property
    def is_paused(self) -> bool:
        return self.status == STATUS_PAUSED

    def seat_to_move(self, game: ChessGame) -> PlayerSpec:
        return self.seats[0 if game.turn else 1]


class PlyItem(ArenaItem, discriminator="ply"):
    """``MATCH#<id> / PLY#00001``: one applied move with who played it and how long it took."""

    number = NumberAttribute()
    uci = UnicodeAttribute()
    san = UnicodeAttribute()
    fen = UnicodeAttribute()
    side = UnicodeAttribute()
    player = UnicodeAttribute()
    think_ms = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    # LLM plies: attempts (reply and reasoning excerpts, verdicts, tokens, cost, latency).
    detail = JSONAttribute(null=True)


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
    return LoadedMatch(meta, plies, turns)


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


# --- writes ------------------------------------------------------------------------------
def _awaiting(meta: MatchItem, game: ChessGame, outcome: Outcome | None) -> str:
    if outcome is not None:
        return AWAITING_NOBODY
    return AWAITING_HUMAN if meta.seat_to_move(game).is_human else AWAITING_BOT


def insert_match(
    *,
    owner: str,
    players: list[PlayerSpec],
    start_fen: str,
    pace_seconds: float,
    llm_options: dict[str, Any] | None = None,
    totals: dict[str, Any] | None = None,
) -> MatchItem:
    match_id = new_match_id()
    game = ChessGame(start_fen)
    now = now_utc()
    meta = MatchItem(
        match_pk(match_id),
        "META",
        match_id=match_id,
        players=[p.to_ref() for p in players],
        owner=owner,
        start_fen=start_fen,
        fen=game.fen(),
        moves=[],
        version=1,
        pace_seconds=pace_seconds,
        created_at=now,
        updated_at=now,
        gsi1pk=LIST_RUNNING,
        gsi1sk=f"{now.isoformat()}#{match_id}",
        llm_options=llm_options,
        totals=totals,
    )
    meta.awaiting = _awaiting(meta, game, None)
    meta.save(condition=ArenaItem.pk.does_not_exist())
    return meta


def _guard(meta: MatchItem, lease_token: str | None) -> Condition:
    condition = (MatchItem.version == meta.version) & MatchItem.status.is_in(STATUS_RUNNING, STATUS_PAUSED)
    if lease_token is not None:
        condition &= MatchItem.lease_owner == lease_token
    return condition


def _finish_changes(meta: MatchItem, outcome: Outcome, now: dt.datetime) -> dict[str, Any]:
    return {
        "status": STATUS_FINISHED,
        "awaiting": AWAITING_NOBODY,
        "result": outcome.result,
        "termination": str(outcome.termination),
        "winner": None if outcome.winner is None else color_name(outcome.winner),
        "finished_at": now,
        "resume_at": None,
        "gsi1pk": LIST_FINISHED,
        "gsi1sk": f"{now.isoformat()}#{meta.match_id}",
    }


def _actions(changes: dict[str, Any]) -> list[Any]:
    """UpdateItem actions for {attribute: new value}; None removes the attribute."""
    actions = []
    for name, value in changes.items():
        attribute = getattr(MatchItem, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return actions


def _mirror(meta: MatchItem, changes: dict[str, Any]) -> None:
    """Apply committed changes to the in-memory item, so callers can render without a read."""
    for name, value in changes.items():
        setattr(meta, name, value)


def _commit(
    meta: MatchItem, changes: dict[str, Any], *, puts: list[ArenaItem], lease_token: str | None
) -> None:
    """THE write of every state change: update META on its version (and the runner's lease),
    and put the new items that go with it (each must not exist yet), all or nothing.

    One item: a conditional UpdateItem. More: one TransactWriteItems, rather than a put then
    an update, because a put that lands before a losing update would leave an orphan ply that
    blocks the next writer, and because a human move's budget is 3 requests (session, META
    read, this). The price is twice the write capacity of a few small items.
    """
    changes = {"version": meta.version + 1, "updated_at": now_utc(), **changes}
    condition = _guard(meta, lease_token)
    conflict = ConflictError(f"match {meta.match_id} changed before the write")
    if not puts:
        if not _update_if(MatchItem(meta.pk, meta.sk), _actions(changes), condition):
            raise conflict
    else:
        try:
            with TransactWrite(connection=ArenaItem._get_connection().connection) as tx:
                for item in puts:
                    tx.save(item, condition=ArenaItem.sk.does_not_exist())
                tx.update(meta, actions=_actions(changes), condition=condition)
        except TransactWriteError as exc:
            reasons = [reason.code for reason in exc.cancellation_reasons if reason is not None]
            if "ConditionalCheckFailed" not in reasons:
                raise  # throttling, validation ...: not a lost race, must not read as one
            raise conflict from exc
    _mirror(meta, changes)


def _release_changes() -> dict[str, Any]:
    return {"lease_owner": None, "lease_until": None}


def commit_ply(
    meta: MatchItem,
    game: ChessGame,
    record: PlyRecord,
    *,
    think_ms: int = 0,
    lease_token: str | None = None,
    detail: dict[str, Any] | None = None,
    log: LogItem | None = None,
    extra: dict[str, Any] | None = None,
) -> PlyItem:
    """Store a ply that ``game`` has just played, with META, atomically."""
    outcome = game.outcome()
    seat = meta.seats[0 if record.color else 1]
    ply = PlyItem(
        meta.pk,
        ply_sk(record.number),
        number=record.number,
        uci=record.uci,
        san=record.san,
        fen=record.fen,
        side=color_name(record.color),
        player=seat.to_ref(),
        think_ms=think_ms,
        created_at=now_utc(),
        detail=detail,
    )
    changes: dict[str, Any] = {
        "moves": game.moves,
        "fen": game.fen(),
        "awaiting": _awaiting(meta, game, outcome),
        **_release_changes(),
        **(extra or {}),
    }
    if outcome is not None:
        changes.update(_finish_changes(meta, outcome, now_utc()))
    _commit(meta, changes, puts=[ply, *([log] if log else [])], lease_token=lease_token)
    return ply


def commit_outcome(
    meta: MatchItem,
    outcome: Outcome,
    *,
    lease_token: str | None = None,
    extra: dict[str, Any] | None = None,
    puts: list[ArenaItem] | None = None,
) -> None:
    """End a running match without a move (resignation, a claimed draw, a forfeit ...)."""
    changes = {**_release_changes(), **(extra or {}), **_finish_changes(meta, outcome, now_utc())}
    _commit(meta, changes, puts=puts or [], lease_token=lease_token)


def commit_pause(
    meta: MatchItem,
    *,
    reason: str,
    resume_at: float,
    lease_token: str,
    extra: dict[str, Any] | None = None,
    puts: list[ArenaItem] | None = None,
) -> None:
    """Pause a match whose provider keeps failing; resume_stalled wakes it at ``resume_at``."""
    changes = {
        "status": STATUS_PAUSED,
        "pause_reason": reason,
        "resume_at": resume_at,
        "pauses": int(meta.pauses or 0) + 1,
        **_release_changes(),
        **(extra or {}),
    }
    _commit(meta, changes, puts=puts or [], lease_token=lease_token)


def commit_resume(meta: MatchItem) -> None:
    _commit(meta, {"status": STATUS_RUNNING, "resume_at": None}, puts=[], lease_token=None)


def _update_if(item: MatchItem, actions: list[Any], condition: Condition) -> bool:
    """One conditional UpdateItem on ``item`` (refreshed from the answer); False when the
    condition did not hold, any other failure raised."""
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def claim_lease(match_id: str, *, token: str, now: float, seconds: float) -> MatchItem | None:
    """Take the match for one bot ply, or return None if it is not a bot's turn or is taken.

    One UpdateItem that returns the whole META: the claim is also the read.
    """
    meta = MatchItem(match_pk(match_id), "META")
    condition = (
        (MatchItem.status == STATUS_RUNNING)
        & (MatchItem.awaiting == AWAITING_BOT)
        & (MatchItem.lease_until.does_not_exist() | (MatchItem.lease_until < now))
    )
    claimed = _update_if(
        meta, [MatchItem.lease_owner.set(token), MatchItem.lease_until.set(now + seconds)], condition
    )
    return meta if claimed else None


def renew_lease(meta: MatchItem, token: str, *, until: float) -> bool:
    """Extend our lease (before each LLM call); False if it is no longer ours."""
    renewed = _update_if(
        MatchItem(meta.pk, meta.sk), [MatchItem.lease_until.set(until)], MatchItem.lease_owner == token
    )
    if renewed:
        meta.lease_until = until
    return renewed


def release_lease(meta: MatchItem, token: str) -> None:
    """Give back a lease early (the runner failed); a no-op if it is no longer ours."""
    _update_if(
        MatchItem(meta.pk, meta.sk),
        [MatchItem.lease_owner.remove(), MatchItem.lease_until.remove()],
        MatchItem.lease_owner == token,
    )
