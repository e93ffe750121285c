"""Every write of a match: conditional commits on META's version, and runners' leases.

Every state change below is a conditional write on ``version`` (and, for a runner, on its
lease), so two tabs, a retried Lambda or twenty threads at once can never apply a step twice or
lose one: exactly one writer sees its condition hold, the others get :class:`ConflictError` and
must re-read. The players' list entries and counters (accounts.projections) move in the same
transaction as the META change they mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition

from accounts import projections
from accounts.access import GUEST_NAME
from accounts.projections import DailyLimits, MatchFacts, PlayerMatchItem
from arena_site.dynamodb import ArenaItem, Put, Update, condition_held, transact, transaction_lost
from games.core import Outcome, get_game
from games.models import (
    AWAITING_BOT,
    AWAITING_HUMAN,
    AWAITING_NOBODY,
    LIST_FINISHED,
    LIST_RUNNING,
    STATUS_FINISHED,
    STATUS_PAUSED,
    STATUS_RUNNING,
    LoadedMatch,
    LogItem,
    MatchItem,
    PlyItem,
    match_pk,
    new_match_id,
    now_utc,
    participants_of,
    ply_sk,
    seats_of,
)
from games.players import PlayerSpec


class ConflictError(Exception):
    """A conditional write lost: the match changed since it was read."""


class QuotaError(Exception):
    """Creating the match would pass the owner's daily LLM quota (nothing was written)."""


def awaiting(meta: MatchItem, state: Any, sealed: dict[str, Any] | None) -> str:
    """Who the match waits for: a bot (the runner acts) if any seat still to act is one."""
    rules = meta.rules
    pending = [seat for seat in rules.to_act(state) if seat not in (sealed or {})]
    if rules.outcome(state) is not None or not pending:
        return AWAITING_NOBODY
    return AWAITING_BOT if any(meta.seat(seat).is_bot for seat in pending) else AWAITING_HUMAN


# --- creation ----------------------------------------------------------------------------
def insert_match(
    *,
    game: str,
    owner: str,
    owner_name: str | None = None,
    players: list[PlayerSpec],
    start: str,
    pace_seconds: float,
    llm_options: dict[str, Any] | None = None,
    totals: dict[str, Any] | None = None,
    limits: DailyLimits | None = None,
) -> MatchItem:
    """Store a new match, its owner's list entry and counters in one transaction. With an LLM
    seat, it also counts against the owner's day, on the condition that the day's quota holds
    (:class:`QuotaError` otherwise, and nothing is written)."""
    rules = get_game(game)
    match_id = new_match_id()
    state = rules.replay(start, [])
    now = now_utc()
    meta = MatchItem(
        match_pk(match_id),
        "META",
        match_id=match_id,
        game=game,
        players=[p.to_ref() for p in players],
        owner=owner,
        owner_name=owner_name,
        start=start,
        position=rules.position(state),
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
    meta.awaiting = awaiting(meta, state, None)
    with_llm = llm_options is not None
    updates = [projections.stats_update(owner, {"created": 1, "llm_matches": int(with_llm)})]
    if with_llm:
        condition = limits.condition() if limits is not None else None
        updates.append(projections.usage_update(owner, now.date(), {"llm_matches": 1}, condition))
    owner_entry = projections.entry(_facts(meta, {}), owner, meta.participants()[owner])
    try:
        transact(puts=[(meta, ArenaItem.pk.does_not_exist()), (owner_entry, None)], updates=updates)
    except TransactWriteError as exc:
        codes = [reason.code if reason else None for reason in exc.cancellation_reasons]
        # PynamoDB sends (and DynamoDB answers) puts first, then updates: the usage is last.
        if with_llm and codes and codes[-1] == "ConditionalCheckFailed":
            raise QuotaError(owner) from exc
        raise
    return meta


# --- what a match change does to its players' items -----------------------------------------
def _facts(meta: MatchItem, changes: dict[str, Any]) -> MatchFacts:
    """The match as its list entries will show it once ``changes`` land."""

    def value(name: str) -> Any:
        return changes[name] if name in changes else getattr(meta, name)

    return MatchFacts(
        match_id=meta.match_id,
        game=meta.game,
        players=value("players"),
        owner=value("owner"),
        owner_name=value("owner_name"),
        has_llm=meta.has_llm,
        finished=value("status") == STATUS_FINISHED,
        result=value("result"),
        termination=value("termination"),
        winner=value("winner"),
        plies=len(value("moves")),
        created_at=meta.created_at,
        finished_at=value("finished_at"),
    )


def _player_items(meta: MatchItem, changes: dict[str, Any]) -> tuple[list[Put], list[Update]]:
    """The other items a META change moves with it: list entries and counters when the match
    ends, the owner's spending when LLM totals grow."""
    puts: list[Put] = []
    counts: dict[str, dict[str, float]] = {}
    finishing = changes.get("status") == STATUS_FINISHED
    if finishing or "players" in changes:
        facts = _facts(meta, changes)
        seats = seats_of(facts.players, meta.owner, None, meta.game)
        for player_id, sides in participants_of(meta.owner, meta.seat_names, seats).items():
            entry = projections.entry(facts, player_id, sides)
            puts.append((entry, None))
            if finishing:
                counts[player_id] = projections.finish_counts(meta.game, sides, entry.outcome)
    updates: list[Update] = []
    spent = projections.spend_delta(meta.totals, changes["totals"]) if "totals" in changes else {}
    if spent:
        owner = counts.setdefault(meta.owner, {})
        for name, amount in spent.items():
            owner[name] = owner.get(name, 0) + amount
        updates.append(projections.usage_update(meta.owner, now_utc().date(), projections.day_usage(spent)))
    updates += [projections.stats_update(player, player_counts) for player, player_counts in counts.items()]
    return puts, updates


def _guard(meta: MatchItem, lease_token: str | None) -> Condition:
    condition = (MatchItem.version == meta.version) & MatchItem.status.is_in(STATUS_RUNNING, STATUS_PAUSED)
    if lease_token is not None:
        condition &= MatchItem.lease_owner == lease_token
    return condition


def _finish_changes(meta: MatchItem, outcome: Outcome) -> dict[str, Any]:
    now = now_utc()
    return {
        "status": STATUS_FINISHED,
        "awaiting": AWAITING_NOBODY,
        "result": outcome.result,
        "termination": outcome.termination,
        "winner": outcome.winner,
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


# --- moves ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Played:
    """What a committed move did: the ply stored (None while a round stays sealed)."""

    ply: PlyItem | None
    state: Any
    # The whole match after the move, when the caller asked for it (games.services).
    loaded: LoadedMatch | None = None


# A sealed choice that loses its commit to another seat's choice of the same round is still
# valid: it is retried on the new version this many times.
SEALED_RETRIES = 3


def commit_move(
    meta: MatchItem,
    state: Any,
    seat: str,
    move: str,
    **more: Any,
) -> Played:
    """Store ``seat``'s legal ``move`` (already read by the game) with META, atomically.

    Turn-based: the step is applied and stored as a ply. Simultaneous: the choice is sealed in
    META until every seat has chosen; the choice that completes the round applies it, stores
    the ply with every seat's part and clears the seal. Keywords: see :func:`_commit_move`.
    """
    for attempt in range(SEALED_RETRIES + 1):
        try:
            return _commit_move(meta, state, seat, move, **more)
        except ConflictError:
            if not meta.rules.simultaneous or attempt == SEALED_RETRIES:
                raise
            round_number = len(meta.record)
            meta.refresh(consistent_read=True)
            if len(meta.record) != round_number or seat in meta.sealed_seats or not meta.is_running:
                raise
    raise AssertionError("unreachable")


def _commit_move(
    meta: MatchItem,
    state: Any,
    seat: str,
    move: str,
    *,
    think_ms: int = 0,
    lease_token: str | None = None,
    detail: dict[str, Any] | None = None,
    log: LogItem | None = None,
    extra: dict[str, Any] | None = None,
) -> Played:
    rules = meta.rules
    player = meta.seat(seat).to_ref()
    log_puts: list[ArenaItem] = [log] if log else []
    if rules.simultaneous:
        sealed = {**(meta.sealed or {}), seat: {"move": move, "player": player, "think_ms": think_ms}}
        if detail is not None:
            sealed[seat]["detail"] = detail
        if log is not None:
            log.sealed = True
        if set(sealed) < rules.to_act(state):
            sealing = {
                "sealed": sealed,
                "awaiting": awaiting(meta, state, sealed),
                **_release_changes(),
                **(extra or {}),
            }
            _commit(meta, sealing, puts=log_puts, lease_token=lease_token)
            return Played(None, state)
        step = rules.apply(state, {name: entry["move"] for name, entry in sealed.items()})
        by_seat: dict[str, Any] | None = {
            name: {key: value for key, value in entry.items() if key != "move"}
            for name, entry in sealed.items()
        }
        player, detail, think_ms = " ".join(entry["player"] for entry in sealed.values()), None, 0
    else:
        step = rules.apply(state, {seat: move})
        by_seat = None
    number = len(meta.record) + 1
    ply = PlyItem(
        meta.pk,
        ply_sk(number),
        number=number,
        record=step.record,
        label=step.label,
        position=rules.position(step.state),
        side=" ".join(step.seats),
        player=player,
        think_ms=think_ms,
        created_at=now_utc(),
        detail=detail,
        by_seat=by_seat,
    )
    outcome = rules.outcome(step.state)
    changes: dict[str, Any] = {
        "moves": [*meta.record, step.record],
        "position": ply.position,
        "sealed": None,
        "awaiting": awaiting(meta, step.state, None),
        **_release_changes(),
        **(extra or {}),
    }
    if outcome is not None:
        changes.update(_finish_changes(meta, outcome))
    _commit(meta, changes, puts=[ply, *log_puts], lease_token=lease_token)
    return Played(ply, step.state)


def commit_outcome(
    meta: MatchItem,
    outcome: Outcome,
    *,
    lease_token: str | None = None,
    extra: dict[str, Any] | None = None,
    puts: list[ArenaItem] | None = None,
) -> None:
    """End a running match without a move (resignation, a claimed draw, a forfeit ...). A
    round's sealed choices are dropped unrevealed."""
    changes = {**_release_changes(), "sealed": None, **(extra or {}), **_finish_changes(meta, outcome)}
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
        for seat_side, ref in zip(meta.seat_names, cast(list[str], meta.players), strict=True)
    ]
    _commit(meta, {"players": refs}, puts=[], lease_token=None)


def commit_resume(meta: MatchItem) -> None:
    _commit(meta, {"status": STATUS_RUNNING, "resume_at": None}, puts=[], lease_token=None)


# --- leases ---------------------------------------------------------------------------------
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


# --- a guest becomes an account ---------------------------------------------------------------
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
        for seat in (PlayerSpec.from_ref(ref, game=meta.game) for ref in cast(list[str], meta.players))
    ]
    if refs != meta.players:
        changes["players"] = refs
    sides = meta.participants().get(old, [])
    new_entry = projections.entry(_facts(meta, changes), to_player, sides)
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
