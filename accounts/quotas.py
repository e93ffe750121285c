"""Daily quotas on LLM matches and dollars, per account and per guest browser (UTC days).

The number of LLM matches is enforced atomically when a match is created (a condition in the
creation transaction, games.store.insert_match). Dollars are enforced before every LLM call:
an owner over the day's limit has their running LLM matches paused until the next UTC day.
Calls to models without a price cost nothing here: their cost is unknown (see llm.catalog).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from pynamodb.exceptions import DoesNotExist

from accounts.access import is_guest
from accounts.models import UsageItem, player_pk, usage_sk
from accounts.projections import DailyLimits


def limits_for(player_id: str) -> DailyLimits:
    if is_guest(player_id):
        return DailyLimits(
            llm_matches=settings.ARENA_GUEST_QUOTA_LLM_MATCHES_PER_DAY,
            dollars=settings.ARENA_GUEST_QUOTA_DOLLARS_PER_DAY,
        )
    return DailyLimits(
        llm_matches=settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY, dollars=settings.ARENA_QUOTA_DOLLARS_PER_DAY
    )


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def next_day_starts(now: dt.datetime | None = None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min, dt.UTC)


def usage_on(player_id: str, day: dt.date) -> UsageItem | None:
    try:
        return UsageItem.get(player_pk(player_id), usage_sk(day), consistent_read=True)
    except DoesNotExist:
        return None


def over_dollars(player_id: str) -> str | None:
    """Why this owner's LLM calls must wait for tomorrow, or None while the day's quota holds."""
    limit = limits_for(player_id).dollars
    if not limit:
        return None
    usage = usage_on(player_id, today())
    spent = float(usage.dollars) if usage else 0.0
    if spent < limit:
        return None
    return f"The owner's LLM matches spent ${spent:.2f} today, their daily limit of ${limit:.2f}."


def refusal(player_id: str) -> str:
    """Why a new LLM match was refused (after the creation's quota condition failed)."""
    limits = limits_for(player_id)
    usage = usage_on(player_id, today())
    started = int(usage.llm_matches) if usage else 0
    spent = float(usage.dollars) if usage else 0.0
    who = "Guests" if is_guest(player_id) else "Each account"
    if limits.llm_matches and started >= limits.llm_matches:
        what = f"{who} may start {limits.llm_matches} LLM matches a day, and you have started {started}."
    else:
        what = f"{who} may spend ${limits.dollars:.2f} a day on LLM calls, and yours have spent ${spent:.2f}."
    hint = " Sign up for a larger quota." if is_guest(player_id) else ""
    return f"Daily LLM quota reached: {what} It resets at 00:00 UTC.{hint}"
