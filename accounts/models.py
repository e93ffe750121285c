"""Accounts and players in DynamoDB: users, the username guard, per-player counters and daily
usage, and login-throttle windows. Persistence only.

Everything about one player (an account, or a guest browser) lives in ONE partition,
``PLAYER#<player id>``, so a profile page is one Query:

    PLAYER#<id>   PROFILE               an account: username, email, password hash, staff flag
    PLAYER#<id>   MATCH#<created>#<id>  a match as this player's list shows it (accounts.projections)
    PLAYER#<id>   STATS                 counters: results per game and side, LLM spending
    PLAYER#<id>   USAGE#<yyyy-mm-dd>    what this player's LLM matches started and spent that day
    USERNAME#<lowercased name>  GUARD   one per username: makes names unique (a transaction)
    THROTTLE#<scope>#<value>    WINDOW  failed logins in the current window (TTL)

Guests have player ids too (``guest-...``, in their session), so their matches, counters and
quotas use the same items; they move to the account when the guest signs up or logs in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.expressions.operand import Path
from pynamodb.expressions.update import Action

from arena_site.dynamodb import ArenaItem

PROFILE_SK = "PROFILE"
STATS_SK = "STATS"
USAGE_PREFIX = "USAGE#"
# Daily usage items outlive their day this long (for the profile's recent spending), then TTL.
USAGE_KEEP_DAYS = 35


def player_pk(player_id: str) -> str:
    return f"PLAYER#{player_id}"


def normalize_username(username: str) -> str:
    """NFKC, as Django's own users: a name typed in fullwidth letters is stored as ASCII."""
    return unicodedata.normalize("NFKC", username)


def username_key(username: str) -> str:
    """Usernames are unique regardless of case and Unicode width: "Alice", "alice" and "alice"
    in fullwidth letters are one name."""
    return normalize_username(username).casefold()


def usage_sk(day: dt.date) -> str:
    return f"{USAGE_PREFIX}{day.isoformat()}"


class UserItem(ArenaItem, discriminator="user"):
    """``PLAYER#<user id> / PROFILE``: an account."""

    user_id = UnicodeAttribute()
    username = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    password = UnicodeAttribute()  # a Django password hash (django.contrib.auth.hashers)
    is_staff = BooleanAttribute(default=False)
    is_active = BooleanAttribute(default=True)
    created_at = UTCDateTimeAttribute()
    last_login = UTCDateTimeAttribute(null=True)


class UsernameItem(ArenaItem, discriminator="username"):
    """``USERNAME#<casefolded name> / GUARD``: written with the user in one transaction, on
    the condition that it does not exist, so two sign-ups racing for a name cannot both win."""

    user_id = UnicodeAttribute()


OUTCOMES = ("won", "drawn", "lost", "aborted")
# The fixed counters of the STATS item.
COUNTERS = (
    "created",  # matches this player created
    "played",  # finished matches in which they played a seat
    "finished",  # finished matches they created or played in
    "llm_matches",
    "llm_calls",
    "llm_tokens_in",
    "llm_tokens_out",
    "dollars",
    "unpriced_calls",
)
# Results per game and seat, e.g. "chess_white_won", "rps_p2_drawn", and "<game>_both_sides"
# (a person who played every seat). Their names come from the games, which this app does not
# know, so they are not declared attributes: PlayerStatsItem reads them off the raw item.
RESULT_COUNTER_RE = re.compile(rf"^[a-z0-9]+_(?:[a-z0-9]+_(?:{'|'.join(OUTCOMES)})|both_sides)$")


def result_counter(game: str, seat: str, outcome: str) -> str:
    name = f"{game}_{seat}_{outcome}"
    if not RESULT_COUNTER_RE.match(name):
        raise ValueError(f"{name!r} is not a result counter name")
    return name


class PlayerStatsItem(ArenaItem, discriminator="stats"):
    """``PLAYER#<id> / STATS``: counters, only ever changed by ADD in the same transaction as
    the match change they count, so they can neither miss nor double-count a result."""

    # One number attribute per fixed counter (declared in a loop).
    for _counter in COUNTERS:
        vars()[_counter] = NumberAttribute(null=True)
    del _counter

    results: dict[str, float]

    def keep_undeclared(self, attribute_values: dict[str, dict[str, Any]]) -> None:
        self.results = {
            name: float(value["N"])
            for name, value in attribute_values.items()
            if "N" in value and RESULT_COUNTER_RE.match(name)
        }

    def counter(self, name: str) -> float:
        if name in COUNTERS:
            return float(getattr(self, name) or 0)
        return float(getattr(self, "results", {}).get(name, 0))

    def counts(self) -> dict[str, float]:
        return {**{name: self.counter(name) for name in COUNTERS}, **getattr(self, "results", {})}


class UsageItem(ArenaItem, discriminator="usage"):
    """``PLAYER#<id> / USAGE#<day>``: LLM matches started and dollars spent that (UTC) day."""

    llm_matches = NumberAttribute(default=0)
    dollars = NumberAttribute(default=0)
    tokens = NumberAttribute(default=0)
    calls = NumberAttribute(default=0)
    expires_at = NumberAttribute(null=True)

    def counts(self) -> dict[str, float]:
        return {name: float(getattr(self, name) or 0) for name in USAGE_COUNTERS}


USAGE_COUNTERS = ("llm_matches", "dollars", "tokens", "calls")


class ThrottleItem(ArenaItem, discriminator="throttle"):
    """``THROTTLE#<scope>#<value> / WINDOW``: failed logins since ``first_at``; DynamoDB's TTL
    removes it after the window (and readers ignore it once expired, as DynamoDB is late)."""

    failures = NumberAttribute(default=0)
    first_at = NumberAttribute()
    expires_at = NumberAttribute()


def counter_adds(counts: dict[str, float]) -> list[Action]:
    """ADD actions for ``{counter name: amount}`` (zero amounts are left out)."""
    actions: list[Action] = []
    for name, amount in counts.items():
        if name not in COUNTERS and name not in USAGE_COUNTERS and not RESULT_COUNTER_RE.match(name):
            raise ValueError(f"{name!r} is not a counter name")
        if amount:
            actions.append(Path(name).add(round(amount, 8) if isinstance(amount, float) else amount))
    return actions
