"""Login throttling that holds across Lambda instances: failures are counted in DynamoDB.

Per username and per client address: after ``ARENA_LOGIN_MAX_FAILURES`` failures within
``ARENA_LOGIN_WINDOW_SECONDS`` further attempts are refused (429) until the window that began
with the first failure ends, before the password is even checked. Each attempt is counted
before its password is checked (and given back if it was right), so concurrent guesses cannot
slip past the limit. A success clears the username's count only: an attacker must not be able
to reset an address's count by logging in to an account of their own. Windows expire through
DynamoDB's TTL (and are ignored on read once expired, since DynamoDB deletes late).
"""

from __future__ import annotations

import time

from django.conf import settings

from accounts.models import ThrottleItem, username_key
from arena_site.dynamodb import condition_held

WINDOW_SK = "WINDOW"


def _keys(username: str, address: str) -> list[str]:
    return [f"THROTTLE#user#{username_key(username)[:150]}", f"THROTTLE#ip#{address[:64]}"]


def retry_after(*, username: str, address: str, now: float | None = None) -> int | None:
    """Seconds until a login may be tried again, or None when it may be tried now (a read only:
    :func:`attempt` is what logins go through)."""
    now = time.time() if now is None else now
    limit, window = settings.ARENA_LOGIN_MAX_FAILURES, settings.ARENA_LOGIN_WINDOW_SECONDS
    wait = 0.0
    for item in ThrottleItem.batch_get([(pk, WINDOW_SK) for pk in _keys(username, address)]):
        ends = float(item.first_at) + window
        if item.failures >= limit and ends > now:
            wait = max(wait, ends - now)
    return int(wait) + 1 if wait else None


def attempt(*, username: str, address: str, now: float | None = None) -> int | None:
    """Count one login attempt against the username and the address BEFORE its password is
    checked; None when it may go on, else the seconds to wait (and nothing is counted).

    Counting first, on the condition that the window is not full, is what makes the limit
    hold for attempts sent at the same moment to many Lambda instances: of N concurrent
    attempts at most the remaining allowance get through. :func:`succeeded` gives the attempt
    back when the password was right.
    """
    now = time.time() if now is None else now
    taken: list[str] = []
    for pk in _keys(username, address):
        wait = _take(pk, now)
        if wait is not None:
            for done in taken:
                _give_back(done)  # a refused attempt counts against neither key
            return wait
        taken.append(pk)
    return None


def succeeded(*, username: str, address: str) -> None:
    """The password was right: clear the username's window, and give the address its attempt
    back (but not its earlier failures: logging in to an account of one's own must not buy
    more guesses at others from the same address)."""
    user_pk, address_pk = _keys(username, address)
    ThrottleItem(user_pk, WINDOW_SK).delete()
    _give_back(address_pk)


def _take(pk: str, now: float) -> int | None:
    limit, window = settings.ARENA_LOGIN_MAX_FAILURES, settings.ARENA_LOGIN_WINDOW_SECONDS
    cutoff = now - window
    for _ in range(3):
        # The usual case: one more attempt in a window that is open and not full.
        if condition_held(
            lambda: ThrottleItem(pk, WINDOW_SK).update(
                actions=[ThrottleItem.failures.add(1)],
                condition=(ThrottleItem.first_at > cutoff) & (ThrottleItem.failures < limit),
            )
        ):
            return None
        # No window, or an old one: start a new one, unless a racing request just did.
        if condition_held(
            lambda: ThrottleItem(
                pk, WINDOW_SK, failures=1, first_at=now, expires_at=int(now + window) + 1
            ).save(condition=ThrottleItem.pk.does_not_exist() | (ThrottleItem.first_at <= cutoff))
        ):
            return None
        # Then the window is open and full (or changed under us: look and try again).
        try:
            item = ThrottleItem.get(pk, WINDOW_SK, consistent_read=True)
        except ThrottleItem.DoesNotExist:
            continue
        if float(item.first_at) > cutoff and item.failures >= limit:
            return int(float(item.first_at) + window - now) + 1
    return int(window)


def _give_back(pk: str) -> None:
    condition_held(
        lambda: ThrottleItem(pk, WINDOW_SK).update(
            actions=[ThrottleItem.failures.add(-1)], condition=ThrottleItem.failures > 0
        )
    )
