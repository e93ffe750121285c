"""What "My games" filters on and what a profile page shows, from the player's items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pynamodb.expressions.condition import Condition

from accounts.models import OUTCOMES, USAGE_PREFIX, PlayerStatsItem, UsageItem, UserItem
from accounts.projections import DailyLimits, PlayerMatchItem, player_items

PERSONAL_RESULTS = {"won", "lost", "drawn"}


def games_filter(data: dict[str, Any]) -> Condition | None:
    """The DynamoDB filter for "My games" (game, status, result), or None for everything."""
    parts: list[Condition] = []
    if data.get("game"):
        parts.append(PlayerMatchItem.game == data["game"])
    if data.get("status"):
        parts.append(PlayerMatchItem.status == data["status"])
    result = data.get("result")
    if result in PERSONAL_RESULTS:
        parts.append(PlayerMatchItem.outcome == result)
    elif result:
        parts.append(PlayerMatchItem.result == result)
    condition: Condition | None = None
    for part in parts:
        condition = part if condition is None else condition & part
    return condition


@dataclass
class RecordRow:
    game: str
    side: str
    won: int
    drawn: int
    lost: int
    aborted: int

    @property
    def played(self) -> int:
        return self.won + self.drawn + self.lost + self.aborted


@dataclass
class Profile:
    user: UserItem
    created: int = 0
    played: int = 0
    finished: int = 0
    both_sides: int = 0
    records: list[RecordRow] = field(default_factory=list)
    llm_matches: int = 0
    llm_calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    dollars: float = 0.0
    unpriced_calls: int = 0
    today: UsageItem | None = None
    limits: DailyLimits = field(default_factory=DailyLimits)
    recent: list[UsageItem] = field(default_factory=list)

    @property
    def today_matches(self) -> int:
        return int(self.today.llm_matches) if self.today else 0

    @property
    def today_dollars(self) -> float:
        return float(self.today.dollars) if self.today else 0.0


def build_profile(user_id: str, *, limits: DailyLimits) -> Profile | None:
    """The profile of ``user_id`` from ONE Query on their partition, or None if no account."""
    items = player_items(user_id)
    user = next((item for item in items if isinstance(item, UserItem)), None)
    if user is None:
        return None
    profile = Profile(user=user, limits=limits)
    stats = next((item for item in items if isinstance(item, PlayerStatsItem)), None)
    if stats is not None:
        count = stats.counter
        profile.created, profile.played = int(count("created")), int(count("played"))
        profile.finished = int(count("finished"))
        profile.llm_matches, profile.llm_calls = int(count("llm_matches")), int(count("llm_calls"))
        profile.tokens_in, profile.tokens_out = int(count("llm_tokens_in")), int(count("llm_tokens_out"))
        profile.dollars, profile.unpriced_calls = count("dollars"), int(count("unpriced_calls"))
        profile.both_sides = int(sum(v for k, v in stats.results.items() if k.endswith("_both_sides")))
        profile.records = _records(stats)
    today = f"{USAGE_PREFIX}{dt.datetime.now(dt.UTC).date().isoformat()}"
    usage = sorted((item for item in items if isinstance(item, UsageItem)), key=lambda u: u.sk, reverse=True)
    profile.today = next((u for u in usage if u.sk == today), None)
    profile.recent = usage[:7]
    return profile


def _records(stats: PlayerStatsItem) -> list[RecordRow]:
    """Results per game and seat, from the counters named ``<game>_<seat>_<outcome>``, in the
    order games and seats were first counted (chess white before black)."""
    seen: dict[tuple[str, str], None] = {}
    for name in sorted(stats.results):
        game, _, rest = name.partition("_")
        seat, _, outcome = rest.rpartition("_")
        if outcome in OUTCOMES and seat:
            seen.setdefault((game, seat), None)
    rows = []
    for game, seat in seen:
        row = RecordRow(game, seat, *(int(stats.counter(f"{game}_{seat}_{o}")) for o in OUTCOMES))
        if row.played:
            rows.append(row)
    return rows
