"""What a match looks like from its players' side: list entries, counters and daily usage.

These items live in the player's partition (``PLAYER#<id>``, see accounts.models) and are
written by the games app in the same transaction as the match change they mirror, so "My
games", the profile and the quotas never disagree with the matches. This module knows no game:
it gets plain values (the seats a player plays, the winner seat, the result) and builds items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.expressions.condition import Condition

from accounts.models import (
    PROFILE_SK,
    STATS_SK,
    USAGE_KEEP_DAYS,
    PlayerStatsItem,
    UsageItem,
    counter_adds,
    player_pk,
    result_counter,
    usage_sk,
)
from arena_site.dynamodb import ArenaItem, Update, transact

STATUS_RUNNING = "running"
STATUS_FINISHED = "finished"


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
    sides = ListAttribute(of=UnicodeAttribute, default=list)  # the seats this player plays
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
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS.get(self.outcome or "")


OUTCOME_LABELS = {"won": "you won", "lost": "you lost", "drawn": "a draw", "aborted": "aborted"}


@dataclass(frozen=True)
class MatchFacts:
    """What a list entry mirrors of a match, as it will be once the change being written lands."""

    match_id: str
    game: str
    players: list[str]
    owner: str
    owner_name: str | None
    has_llm: bool
    finished: bool
    result: str | None
    termination: str | None
    winner: str | None
    plies: int
    created_at: dt.datetime
    finished_at: dt.datetime | None


def player_match_sk(created_at: dt.datetime, match_id: str) -> str:
    return f"MATCH#{created_at.isoformat()}#{match_id}"


def outcome_for(sides: list[str], winner: str | None, result: str | None) -> str | None:
    """won / lost / drawn / aborted for someone who played exactly one seat, else None."""
    if len(sides) != 1 or result is None:
        return None
    if result == "*":
        return "aborted"
    if winner is None:
        return "drawn"
    return "won" if winner == sides[0] else "lost"


def entry(facts: MatchFacts, player_id: str, sides: list[str]) -> PlayerMatchItem:
    """The list entry of ``player_id``, who plays ``sides`` of the match."""
    return PlayerMatchItem(
        player_pk(player_id),
        player_match_sk(facts.created_at, facts.match_id),
        match_id=facts.match_id,
        game=facts.game,
        players=facts.players,
        owner=facts.owner,
        owner_name=facts.owner_name,
        sides=sides,
        has_llm=facts.has_llm,
        status=STATUS_FINISHED if facts.finished else STATUS_RUNNING,
        result=facts.result,
        termination=facts.termination,
        winner=facts.winner,
        outcome=outcome_for(sides, facts.winner, facts.result),
        plies=facts.plies,
        created_at=facts.created_at,
        finished_at=facts.finished_at,
    )


def finish_counts(game: str, sides: list[str], outcome: str | None) -> dict[str, float]:
    """The counters a finished match adds for one of its players."""
    counts: dict[str, float] = {"finished": 1}
    if len(sides) == 1 and outcome is not None:
        counts.update({"played": 1, result_counter(game, sides[0], outcome): 1})
    elif len(sides) > 1:
        counts.update({"played": 1, f"{game}_both_sides": 1})
    return counts


_SPEND_FIELDS = {
    "tokens_in": "llm_tokens_in",
    "tokens_out": "llm_tokens_out",
    "cost": "dollars",
    "calls": "llm_calls",
    "unpriced_calls": "unpriced_calls",
}


def spend_delta(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, float]:
    """What the LLM seats spent between two versions of a match's totals ({seat: {...}}), as
    counter amounts."""
    delta: dict[str, float] = {}
    for seat in {*(old or {}), *(new or {})}:
        before = (old or {}).get(seat, {})
        after = (new or {}).get(seat, {})
        for field_name, counter in _SPEND_FIELDS.items():
            amount = after.get(field_name, 0) - before.get(field_name, 0)
            if amount:
                delta[counter] = delta.get(counter, 0) + amount
    return delta


def day_usage(spent: dict[str, float]) -> dict[str, float]:
    """The daily usage counters for a spend delta."""
    return {
        "dollars": spent.get("dollars", 0),
        "tokens": spent.get("llm_tokens_in", 0) + spent.get("llm_tokens_out", 0),
        "calls": spent.get("llm_calls", 0),
    }


def stats_update(player_id: str, counts: dict[str, float]) -> Update:
    item = PlayerStatsItem(player_pk(player_id), STATS_SK)
    return item, [ArenaItem.kind.set(PlayerStatsItem), *counter_adds(counts)], None


def usage_update(
    player_id: str, day: dt.date, counts: dict[str, float], condition: Condition | None = None
) -> Update:
    expires = dt.datetime.combine(day, dt.time.min, dt.UTC) + dt.timedelta(days=USAGE_KEEP_DAYS)
    actions = [
        ArenaItem.kind.set(UsageItem),
        UsageItem.expires_at.set(int(expires.timestamp())),
        *counter_adds(counts),
    ]
    return UsageItem(player_pk(player_id), usage_sk(day)), actions, condition


@dataclass(frozen=True)
class DailyLimits:
    """An owner's daily LLM quota, checked atomically when an LLM match is created. 0: none."""

    llm_matches: int = 0
    dollars: float = 0.0

    def condition(self) -> Condition | None:
        """The condition on today's usage item that lets one more LLM match start."""
        condition: Condition | None = None
        if self.llm_matches:
            condition = UsageItem.llm_matches.does_not_exist() | (UsageItem.llm_matches < self.llm_matches)
        if self.dollars:
            spent_ok = UsageItem.dollars.does_not_exist() | (UsageItem.dollars < self.dollars)
            condition = spent_ok if condition is None else condition & spent_ok
        return condition


# --- reads -------------------------------------------------------------------------------
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


def merge_player_counters(from_player: str, to_player: str, *, today: dt.date) -> None:
    """Add one player's counters and today's usage to another's, and delete them: one
    transaction, so nothing is counted twice or lost."""
    day_sk = usage_sk(today)
    keys = [(player_pk(from_player), sk) for sk in (STATS_SK, day_sk)]
    items = {item.sk: item for item in ArenaItem.batch_get(keys, consistent_read=True)}
    if not items:
        return
    updates: list[Update] = []
    stats = items.get(STATS_SK)
    if isinstance(stats, PlayerStatsItem):
        updates.append(stats_update(to_player, stats.counts()))
    usage = items.get(day_sk)
    if isinstance(usage, UsageItem):
        updates.append(usage_update(to_player, today, usage.counts()))
    transact(puts=[], updates=updates, deletes=list(items.values()))
