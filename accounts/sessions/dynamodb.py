"""SessionStore for ``SESSION_ENGINE = "accounts.sessions.dynamodb"``."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError

from accounts.sessions.models import SessionItem

# The session key that holds the logged-in account (accounts.auth); mirrored to the item's
# user_id so that an account's sessions can be found (SessionItem.by_user).
SESSION_USER_KEY = "arena_user"


def _consistent() -> bool:
    return bool(getattr(settings, "DYNAMODB_SESSIONS_ALWAYS_CONSISTENT", True))


def _condition_failed(exc: PutError | DeleteError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


class SessionStore(SessionBase):
    """Sessions as PynamoDB items.

    Django's SessionMiddleware writes only when the session was modified, so a request that
    merely reads the session costs one GetItem and a request that never touches it costs none.
    """

    def _get_item(self, session_key: str) -> SessionItem | None:
        try:
            item = SessionItem.get(session_key, consistent_read=_consistent())
        except DoesNotExist:
            return None
        if item.expires_at <= time.time():
            return None
        return item

    def load(self) -> dict[str, Any]:
        item = self._get_item(self.session_key) if self.session_key else None
        if item is None:
            self._session_key = None
            return {}
        return self.decode(item.data)

    def exists(self, session_key: str) -> bool:
        return self._get_item(session_key) is not None

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue  # key collision: astronomically rare, try another
            self.modified = True
            return

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            self.create()
            return
        data = self._get_session(no_load=must_create)
        user = data.get(SESSION_USER_KEY)
        item = SessionItem(
            self.session_key,
            data=self.encode(data),
            expires_at=int(self.get_expiry_date().timestamp()),
            user_id=user.get("id") if isinstance(user, dict) else None,
        )
        # must_create: never overwrite someone else's session. Otherwise: never resurrect a
        # session that was deleted meanwhile (logout in another tab), as Django's db backend.
        condition = (
            SessionItem.session_key.does_not_exist() if must_create else SessionItem.session_key.exists()
        )
        try:
            item.save(condition=condition)
        except PutError as exc:
            if not _condition_failed(exc):
                raise
            raise (CreateError if must_create else UpdateError) from exc

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is None:
            return
        SessionItem(key).delete()

    @classmethod
    def delete_for_user(cls, user_id: str, *, keep: str | None = None) -> int:
        """End every session of an account but ``keep`` (after a password change)."""
        ended = 0
        for item in SessionItem.by_user.query(user_id):
            if item.session_key != keep:
                SessionItem(item.session_key).delete()
                ended += 1
        return ended

    @classmethod
    def clear_expired(cls) -> None:
        """Nothing to do: DynamoDB's TTL on ``expires_at`` deletes expired sessions."""
