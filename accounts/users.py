"""Account use cases: sign up, authenticate, change a password, make staff.

Raise :class:`AccountError` (with the field it concerns) for anything a person can fix; all
writes are conditional, so two sign-ups racing for one name cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from django.contrib.auth.hashers import check_password, make_password
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from accounts import throttle
from accounts.models import PROFILE_SK, UserItem, UsernameItem, player_pk, username_key
from accounts.sessions.dynamodb import SessionStore
from arena_site.dynamodb import ArenaItem, transact, transaction_lost

GUARD_SK = "GUARD"


class AccountError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LoginThrottled(AccountError):
    def __init__(self, retry_after: int) -> None:
        minutes = (retry_after + 59) // 60
        super().__init__(
            f"Too many failed logins; try again in {minutes} minute{'s' if minutes > 1 else ''}."
        )
        self.retry_after = retry_after


def new_user_id() -> str:
    return "u-" + secrets.token_urlsafe(9)


def get_user(user_id: str) -> UserItem | None:
    try:
        item = ArenaItem.get(player_pk(user_id), PROFILE_SK, consistent_read=True)
    except DoesNotExist:
        return None
    return item if isinstance(item, UserItem) else None


def find_user(username: str) -> UserItem | None:
    """The account named ``username`` (any case): the guard, then the user (2 GetItems)."""
    try:
        guard = ArenaItem.get(f"USERNAME#{username_key(username)}", GUARD_SK, consistent_read=True)
    except DoesNotExist:
        return None
    return get_user(guard.user_id) if isinstance(guard, UsernameItem) else None


def user_create(
    *, username: str, password: str, email: str | None = None, is_staff: bool = False
) -> UserItem:
    """Create an account. The name guard and the user are one transaction, each on the
    condition that it does not exist yet: of two sign-ups for one name, exactly one wins."""
    user_id = new_user_id()
    user = UserItem(
        player_pk(user_id),
        PROFILE_SK,
        user_id=user_id,
        username=username,
        email=email or None,
        password=make_password(password),
        is_staff=is_staff,
        created_at=dt.datetime.now(dt.UTC),
    )
    guard = UsernameItem(f"USERNAME#{username_key(username)}", GUARD_SK, user_id=user_id)
    try:
        transact(
            puts=[(guard, ArenaItem.pk.does_not_exist()), (user, ArenaItem.pk.does_not_exist())],
            updates=[],
        )
    except TransactWriteError as exc:
        if transaction_lost(exc):
            raise AccountError("That username is taken; choose another.", field="username") from None
        raise
    return user


def user_authenticate(*, username: str, password: str) -> UserItem | None:
    """The active account with this name and password, or None (same work either way)."""
    user = find_user(username)
    if user is None or not user.is_active:
        make_password(password)  # as long as a real check, so timing does not tell names apart
        return None
    if not password_matches(user, password):
        return None
    user.update(actions=[UserItem.last_login.set(dt.datetime.now(dt.UTC))])
    return user


def user_log_in(*, username: str, password: str, address: str) -> UserItem:
    """A login attempt from ``address``: the user, or :class:`LoginThrottled` (before any
    password check) or :class:`AccountError`."""
    return _throttled(
        username=username,
        address=address,
        check=lambda: user_authenticate(username=username, password=password),
        wrong=AccountError("Wrong username or password."),
    )


def user_change_password(
    *, user: UserItem, old_password: str, new_password: str, address: str, keep_session: str | None
) -> int:
    """Change a password, given the current one, under the same throttle as logins (a
    borrowed session must not become a password oracle). Returns how many other sessions
    were ended (see :func:`user_set_password`)."""
    _throttled(
        username=user.username,
        address=address,
        check=lambda: user if password_matches(user, old_password) else None,
        wrong=AccountError("This is not your current password.", field="old_password"),
    )
    return user_set_password(user=user, password=new_password, keep_session=keep_session)


def _throttled(
    *, username: str, address: str, check: Callable[[], UserItem | None], wrong: AccountError
) -> UserItem:
    """Run a password ``check`` under the login throttle: :class:`LoginThrottled` while the
    username or the address is blocked, ``wrong`` (the attempt stays counted) when the check
    fails, and the attempt given back when it succeeds."""
    wait = throttle.attempt(username=username, address=address)
    if wait is not None:
        raise LoginThrottled(wait)
    user = check()
    if user is None:
        raise wrong
    throttle.succeeded(username=username, address=address)
    return user


def password_matches(user: UserItem, password: str) -> bool:
    def upgrade(raw: str) -> None:
        # Django asks to rehash when the hasher's work factor went up since the hash was made.
        user.update(actions=[UserItem.password.set(make_password(raw))])

    return bool(check_password(password, user.password, setter=upgrade))


def user_set_password(*, user: UserItem, password: str, keep_session: str | None) -> int:
    """Set a new password and end every other session of the account; returns how many ended."""
    try:
        user.update(actions=[UserItem.password.set(make_password(password))], condition=UserItem.pk.exists())
    except UpdateError as exc:
        raise AccountError("This account no longer exists.") from exc
    return SessionStore.delete_for_user(user.user_id, keep=keep_session)


def user_make_staff(*, user: UserItem, password: str | None = None) -> None:
    actions: list[Action] = [UserItem.is_staff.set(True), UserItem.is_active.set(True)]
    if password is not None:
        actions.append(UserItem.password.set(make_password(password)))
    user.update(actions=actions)
