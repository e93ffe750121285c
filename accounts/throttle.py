"""Login throttling that holds across Lambda instances: failures are counted in DynamoDB.

Per username and per client address: after ``ARENA_LOGIN_MAX_FAILURES`` failures within
``ARENA_LOGIN_WINDOW_SECONDS`` further attempts are refused (429) until the window that began
with the first failure ends, before the password is even checked. A success clears the
username's count only: an attacker must not be able to reset an address's count by logging in
to an account of their own. Windows expire through DynamoDB's TTL (and are ignored on read
once expired, since DynamoDB deletes late).
"""

from __future__ import annotations

import time

from django.conf import settings
from pynamodb.exceptions import PutError, UpdateError

from accounts.models import ThrottleItem, username_key

WINDOW_SK = "WINDOW"


def _keys(username: str, address: str) -> list[str]:
    return [f"THROTTLE#user#{username_key(username)[:150]}", f"THROTTLE#ip#{address[:64]}"]


def retry_after(*, username: str, address: str, now: float | None = None) -> int | None:
    """Seconds until a login may be tried again, or None when it may be tried now."""
    now = time.time() if now is None else now
    limit, window = settings.ARENA_LOGIN_MAX_FAILURES, settings.ARENA_LOGIN_WINDOW_SECONDS
    wait = 0.0
    for item in ThrottleItem.batch_get([(pk, WINDOW_SK) for pk in _keys(username, address)]):
        ends = float(item.first_at) + window
        if item.failures >= limit and ends > now:
            wait = max(wait, ends - now)
    return int(wait) + 1 if wait else None


def record_failure(*, username: str, address: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    for pk in _keys(username, address):
        _count(pk, now)


def _count(pk: str, now: float) -> None:
    window = settings.ARENA_LOGIN_WINDOW_SECONDS
    cutoff = now - window
    for _ in range(3):
        # The usual case: one more failure in a window that is still open.
        try:
            ThrottleItem(pk, WINDOW_SK).update(
                actions=[ThrottleItem.failures.add(1)], condition=ThrottleItem.first_at > cutoff
            )
            return
        except UpdateError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise
        # No window, or an old one: start a new one, unless a racing request just did.
        try:
            ThrottleItem(pk, WINDOW_SK, failures=1, first_at=now, expires_at=int(now + window) + 1).save(
                condition=ThrottleItem.pk.does_not_exist() | (ThrottleItem.first_at <= cutoff)
            )
            return
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise


def clear_username(username: str) -> None:
    ThrottleItem(_keys(username, "-")[0], WINDOW_SK).delete()
