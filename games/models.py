"""Matches in DynamoDB: one META item plus one item per ply, all under ``pk = MATCH#<id>``.

Persistence only. Every state change below is a conditional write on ``version`` (and, for a
runner, on its lease), so two tabs, a retried Lambda or twenty threads at once can never apply
a ply twice or lose one: exactly one writer sees its condition hold, the others get
:class:`ConflictError` and must re-read.
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
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition

from accounts.access import GUEST_NAME, is_guest
from accounts.models import (
    PROFILE_SK,
    SIDES,
    STATS_SK,
    USAGE_KEEP_DAYS,
    PlayerStatsItem,
    UsageItem,
    counter_adds,
    player_pk,
    usage_sk,
)
from arena_site.dynamodb import ArenaItem, Put, Update, condition_held, transact, transaction_lost
from games.players import HUMAN, PlayerSpec
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


class QuotaError(Exception):
    """Creating the match would pass the owner's daily LLM quota (nothing was written)."""


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
    # Player id (an account's user id, or a guest browser's id) that created the match and
    # plays its ``human`` seats; owner_name is the account's username (None for a guest).
    owner = UnicodeAttribute()
    owner_name = UnicodeAttribute(null=True)
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
        return seats_of(cast(list[str], self.players), self.owner, self.owner_name)

    @property
    def has_llm(self) -> bool:
        return self.llm_options is not None

    @property
    def open_sides(self) -> list[str]:
        """The seats still waiting for an invited person, while the match is not over."""
        if not self.is_running:
            return []
        return [side for side, seat in zip(SIDES, self.seats, strict=True) if seat.is_open]

    def participants(self) -> dict[str, list[str]]:
        """Every person with a stake in the match: {player id: the sides they play}. The owner
        is always one (with no side when bots or models play both)."""
        return participants_of(self.owner, self.seats)

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


class PlayerMatchItem(ArenaItem, discriminator="player_match"):
    """``PLAYER#<player id> / MATCH#<created>#<match id>``: a match in one player's list ("My
    games"): its owner's, and each invited person's. Written in the same transaction as the
    META change it mirrors (start, a seat taken, the end), so the list never disagrees with it.
    """

    match_id = UnicodeAttribute()
    game = UnicodeAttribute(default="chess")
    players = ListAttribute(of=UnicodeAttribute)
    owner = UnicodeAttribute()
    owner_name = UnicodeAttribute(null=True)
    sides = ListAttribute(of=UnicodeAttribute, default=list)  # the sides this player plays
    has_llm = BooleanAttribute(default=False)
    status = UnicodeAttribute(default=STATUS_RUNNING)  # running (or paused) | finished
    result = UnicodeAttribute(null=True)
    termination = UnicodeAttribute(null=True)
    winner = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(null=True)  # for this player: won | lost | drawn | aborted
    plies = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)

    @property
    def seats(self) -> list[PlayerSpec]:
        return seats_of(cast(list[str], self.players), self.owner, self.owner_name)

    @property
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS.get(self.outcome or "")


OUTCOME_LABELS = {"won": "you won", "lost": "you lost", "drawn": "a draw", "aborted": "aborted"}


def seats_of(players: list[str], owner: str, owner_name: str | None) -> list[PlayerSpec]:
    """Who plays each seat; the owner's seats carry the owner's name for labels."""
    seats = [PlayerSpec.from_ref(ref) for ref in players]
    name = owner_name or (GUEST_NAME if is_guest(owner) else None)
    return [dataclasses.replace(s, name=name) if s.kind == HUMAN else s for s in seats]


def participants_of(owner: str, seats: list[PlayerSpec]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {owner: []}
    for side, seat in zip(SIDES, seats, strict=True):
        if seat.kind == HUMAN:
            found[owner].append(side)
        elif seat.player is not None:
            found.setdefault(seat.player, []).append(side)
    return found


def player_match_sk(created_at: dt.datetime, match_id: str) -> str:
    return f"MATCH#{created_at.isoformat()}#{match_id}"


def outcome_for(sides: list[str], winner: str | None, result: str | None) -> str | None:
    """won / lost / drawn / aborted for someone who played exactly one side, else None."""
    if len(sides) != 1 or result is None:
        return None
    if result == "*":
        return "aborted"
    if winner is None:
        return "drawn"
    return "won" if winner == sides[0] else "lost"


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


def player_matches(
    player_id: str,
    *,
    limit: int,
    start: dict[str, Any] | None = None,
    condition: Condition | None = None,
    max_read: int = 400,
) -> tuple[list[PlayerMatchItem], dict[str, Any] | None]:
    """A page of a player's matches, newest first, and where the next page starts (None at the
    end): a Query on the player's own partition, never a scan.

    Unfiltered, a page is one request. A filter is applied by DynamoDB after reading, so a
    rare one may read several request pages; ``max_read`` bounds that, and a page may then come
    back short, with a cursor to read on from.
    """
    results = ArenaItem.query(
        player_pk(player_id),
        ArenaItem.sk.startswith("MATCH#"),
        filter_condition=condition,
        scan_index_forward=False,
        consistent_read=True,
        # One more than a page, so that a full last page is known to be the last.
        page_size=limit + 1 if condition is None else 100,
        last_evaluated_key=start,
    )
    entries: list[PlayerMatchItem] = []
    read = 0
    pages = results.page_iter
    for page in pages:
        for raw in page.get("Items", []):
            if len(entries) == limit:
                last = entries[-1]
                return entries, {"pk": {"S": last.pk}, "sk": {"S": last.sk}}
            item = ArenaItem.from_raw_data(raw)
            if isinstance(item, PlayerMatchItem):
                entries.append(item)
        read += int(page.get("ScannedCount", 0))
        if pages.last_evaluated_key is None or read >= max_read:
            break
    return entries, pages.last_evaluated_key


def player_items(player_id: str) -> list[ArenaItem]:
    """A player's profile, counters and daily usage: one Query (``sk >= PROFILE`` skips the
    match entries, which sort before it)."""
    return list(ArenaItem.query(player_pk(player_id), ArenaItem.sk >= PROFILE_SK, consistent_read=True))


def list_matches(listing: str, *, limit: int | None) -> list[MatchItem]:
    items = ArenaItem.listing.query(listing, scan_index_forward=False, limit=limit)
    return [item for item in items if isinstance(item, MatchItem)]


# --- writes ------------------------------------------------------------------------------
def _awaiting(meta: MatchItem, game: ChessGame, outcome: Outcome | None) -> str:
    if outcome is not None:
        return AWAITING_NOBODY
    return AWAITING_HUMAN if meta.seat_to_move(game).is_human else AWAITING_BOT


@dataclass(frozen=True)
class DailyLimits:
    """An owner's daily LLM quota, checked atomically when an LLM match is created. 0: none."""

    llm_matches: int = 0
    dollars: float = 0.0


def insert_match(
    *,
    owner: str,
    owner_name: str | None = None,
    players: list[PlayerSpec],
    start_fen: str,
    pace_seconds: float,
    llm_options: dict[str, Any] | None = None,
    totals: dict[str, Any] | None = None,
    limits: DailyLimits | None = None,
) -> MatchItem:
    """Store a new match, its owner's list entry and counters in one transaction. With an LLM
    seat, it also counts against the owner's day, on the condition that the day's quota holds
    (:class:`QuotaError` otherwise, and nothing is written)."""
    match_id = new_match_id()
    game = ChessGame(start_fen)
    now = now_utc()
    meta = MatchItem(
        match_pk(match_id),
        "META",
        match_id=match_id,
        players=[p.to_ref() for p in players],
        owner=owner,
        owner_name=owner_name,
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
    with_llm = llm_options is not None
    updates = [_stats_update(owner, {"created": 1, "llm_matches": int(with_llm)})]
    if with_llm:
        condition = None
        if limits is not None and limits.llm_matches:
            condition = UsageItem.llm_matches.does_not_exist() | (UsageItem.llm_matches < limits.llm_matches)
        if limits is not None and limits.dollars:
            spent_ok = UsageItem.dollars.does_not_exist() | (UsageItem.dollars < limits.dollars)
            condition = spent_ok if condition is None else condition & spent_ok
        updates.append(_usage_update(owner, now.date(), {"llm_matches": 1}, condition))
    try:
        transact(
            puts=[
                (meta, ArenaItem.pk.does_not_exist()),
                (_membership(meta, {}, owner, meta.participants()[owner]), None),
            ],
            updates=updates,
        )
    except TransactWriteError as exc:
        codes = [reason.code if reason else None for reason in exc.cancellation_reasons]
        # PynamoDB sends (and DynamoDB answers) puts first, then updates: the usage is last.
        if with_llm and codes and codes[-1] == "ConditionalCheckFailed":
            raise QuotaError(owner) from exc
        raise
    return meta


# --- what a match change does to its players' items -----------------------------------------
def _stats_update(player_id: str, counts: dict[str, float]) -> Update:
    item = PlayerStatsItem(player_pk(player_id), STATS_SK)
    return item, [ArenaItem.kind.set(PlayerStatsItem), *counter_adds(counts)], None


def _usage_update(
    player_id: str, day: dt.date, counts: dict[str, float], condition: Condition | None = None
) -> Update:
    expires = dt.datetime.combine(day, dt.time.min, dt.UTC) + dt.timedelta(days=USAGE_KEEP_DAYS)
    actions = [
        ArenaItem.kind.set(UsageItem),
        UsageItem.expires_at.set(int(expires.timestamp())),
        *counter_adds(counts),
    ]
    return UsageItem(player_pk(player_id), usage_sk(day)), actions, condition


def _membership(
    meta: MatchItem, changes: dict[str, Any], player_id: str, sides: list[str]
) -> PlayerMatchItem:
    """The list entry of ``player_id`` for ``meta`` as it will be once ``changes`` land."""

    def value(name: str) -> Any:
        return changes[name] if name in changes else getattr(meta, name)

    return PlayerMatchItem(
        player_pk(player_id),
        player_match_sk(meta.created_at, meta.match_id),
        match_id=meta.match_id,
        game=meta.game,
        players=value("players"),
        owner=value("owner"),
        owner_name=value("owner_name"),
        sides=sides,
        has_llm=meta.has_llm,
        status=STATUS_FINISHED if value("status") == STATUS_FINISHED else STATUS_RUNNING,
        result=value("result"),
        termination=value("termination"),
        winner=value("winner"),
        outcome=outcome_for(sides, value("winner"), value("result")),
        plies=len(value("moves")),
        created_at=meta.created_at,
        finished_at=value("finished_at"),
    )


_SPEND_FIELDS = {
    "tokens_in": "llm_tokens_in",
    "tokens_out": "llm_tokens_out",
    "cost": "dollars",
    "calls": "llm_calls",
    "unpriced_calls": "unpriced_calls",
}


def _spend_delta(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, float]:
    """What the LLM sides spent between two versions of META.totals, as counter amounts."""
    delta: dict[str, float] = {}
    for side in SIDES:
        before = (old or {}).get(side, {})
        after = (new or {}).get(side, {})
        for field_name, counter in _SPEND_FIELDS.items():
            amount = after.get(field_name, 0) - before.get(field_name, 0)
            if amount:
                delta[counter] = delta.get(counter, 0) + amount
    return delta


def _finish_counts(game: str, sides: list[str], outcome: str | None) -> dict[str, float]:
    counts: dict[str, float] = {"finished": 1}
    if len(sides) == 1 and outcome is not None:
        counts.update({"played": 1, f"{game}_{sides[0]}_{outcome}": 1})
    elif len(sides) == 2:
        counts.update({"played": 1, f"{game}_both_sides": 1})
    return counts


def _player_items(meta: MatchItem, changes: dict[str, Any]) -> tuple[list[Put], list[Update]]:
    """The other items a META change moves with it: list entries and counters when the match
    ends, the owner's spending when LLM totals grow."""
    puts: list[Put] = []
    counts: dict[str, dict[str, float]] = {}
    finishing = changes.get("status") == STATUS_FINISHED
    if finishing or "players" in changes:
        players = changes.get("players", meta.players)
        for player_id, sides in participants_of(meta.owner, seats_of(players, meta.owner, None)).items():
            entry = _membership(meta, changes, player_id, sides)
            puts.append((entry, None))
            if finishing:
                counts[player_id] = _finish_counts(meta.game, sides, entry.outcome)
    updates: list[Update] = []
    spent = _spend_delta(meta.totals, changes["totals"]) if "totals" in changes else {}
    if spent:
        owner = counts.setdefault(meta.owner, {})
        for name, amount in spent.items():
            owner[name] = owner.get(name, 0) + amount
        day_counts = {
            "dollars": spent.get("dollars", 0),
            "tokens": spent.get("llm_tokens_in", 0) + spent.get("llm_tokens_out", 0),
            "calls": spent.get("llm_calls", 0),
        }
        updates.append(_usage_update(meta.owner, now_utc().date(), day_counts))
    updates += [_stats_update(player_id, player_counts) for player_id, player_counts in counts.items()]
    return puts, updates


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
    put the new items that go with it (each must not exist yet), and move the players' list
    entries and counters with it, all or nothing.

    META alone: a conditional UpdateItem. More: one TransactWriteItems, rather than a put then
    an update, because a put that lands before a losing update would leave an orphan ply that
    blocks the next writer, and because a human move's budget is 3 requests (session, META
    read, this). The price is twice the write capacity of a few small items.
    """
    changes = {"version": meta.version + 1, "updated_at": now_utc(), **changes}
    condition = _guard(meta, lease_token)
    conflict = ConflictError(f"match {meta.match_id} changed before the write")
    player_puts, player_updates = _player_items(meta, changes)
    if not puts and not player_puts and not player_updates:
        if not _update_if(MatchItem(meta.pk, meta.sk), _actions(changes), condition):
            raise conflict
    else:
        try:
            transact(
                puts=[(item, ArenaItem.sk.does_not_exist()) for item in puts] + player_puts,
                updates=[(meta, _actions(changes), condition), *player_updates],
            )
        except TransactWriteError as exc:
            if not transaction_lost(exc):
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
    counted: bool = True,
) -> None:
    """Pause a match until ``resume_at``, when resume_stalled wakes it: a provider that keeps
    failing (``counted``: so many pauses abort the match), or an owner's spent daily quota."""
    changes = {
        "status": STATUS_PAUSED,
        "pause_reason": reason,
        "resume_at": resume_at,
        "pauses": int(meta.pauses or 0) + int(counted),
        **_release_changes(),
        **(extra or {}),
    }
    _commit(meta, changes, puts=puts or [], lease_token=lease_token)


def commit_join(meta: MatchItem, side: str, *, player_id: str, name: str) -> None:
    """An invited person takes the open ``side``; their list entry comes with it."""
    refs = [
        PlayerSpec.person(player_id, name).to_ref() if seat_side == side else ref
        for seat_side, ref in zip(SIDES, cast(list[str], meta.players), strict=True)
    ]
    _commit(meta, {"players": refs}, puts=[], lease_token=None)


def commit_resume(meta: MatchItem) -> None:
    _commit(meta, {"status": STATUS_RUNNING, "resume_at": None}, puts=[], lease_token=None)


def _update_if(item: MatchItem, actions: list[Any], condition: Condition) -> bool:
    """One conditional UpdateItem on ``item`` (refreshed from the answer); False when the
    condition did not hold, any other failure raised."""
    return condition_held(lambda: item.update(actions=actions, condition=condition))


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


def commit_reassign(meta: MatchItem, entry: PlayerMatchItem, *, to_player: str, to_name: str | None) -> None:
    """Hand ``entry``'s player's part in a match (its ownership, or a seat they took) to
    another player id: a guest's matches to the account they sign up for. META, the old list
    entry and the new one change together, on META's version (finished matches included)."""
    old = entry.pk.removeprefix("PLAYER#")
    changes: dict[str, Any] = {"version": meta.version + 1}
    if meta.owner == old:
        changes.update(owner=to_player, owner_name=to_name)
    refs = [
        PlayerSpec.person(to_player, to_name or GUEST_NAME).to_ref() if seat.player == old else seat.to_ref()
        for seat in (PlayerSpec.from_ref(ref) for ref in cast(list[str], meta.players))
    ]
    if refs != meta.players:
        changes["players"] = refs
    sides = meta.participants().get(old, [])
    new_entry = _membership(meta, changes, to_player, sides)
    try:
        transact(
            deletes=[entry],
            puts=[(new_entry, None)],
            updates=[(meta, _actions(changes), MatchItem.version == meta.version)],
        )
    except TransactWriteError as exc:
        if not transaction_lost(exc):
            raise
        raise ConflictError(f"match {meta.match_id} changed before the write") from exc
    _mirror(meta, changes)


def merge_player_counters(from_player: str, to_player: str) -> None:
    """Add one player's counters and today's usage to another's, and delete them: one
    transaction, so nothing is counted twice or lost."""
    day_sk = usage_sk(now_utc().date())
    keys = [(player_pk(from_player), sk) for sk in (STATS_SK, day_sk)]
    items = {item.sk: item for item in ArenaItem.batch_get(keys, consistent_read=True)}
    if not items:
        return
    updates: list[Update] = []
    stats = items.get(STATS_SK)
    if isinstance(stats, PlayerStatsItem):
        updates.append(_stats_update(to_player, stats.counts()))
    usage = items.get(day_sk)
    if isinstance(usage, UsageItem):
        updates.append(_usage_update(to_player, now_utc().date(), usage.counts()))
    transact(puts=[], updates=updates, deletes=list(items.values()))
