"""DynamoDB wiring shared by every app: the application table, its index, and request counting.

Everything the app stores lives in one table, ``arena-<stage>`` (see docs/architecture.md):
items are told apart by ``pk``/``sk`` prefixes and a ``kind`` discriminator, so a whole match
(META plus every ply) comes back from ONE Query on its partition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from pynamodb.attributes import DiscriminatorAttribute, UnicodeAttribute
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite


class ConnectionMeta:
    """Connection settings every PynamoDB model of the app shares."""

    host = settings.ARENA_DYNAMODB_URL
    region = settings.ARENA_AWS_REGION
    billing_mode = PAY_PER_REQUEST_BILLING_MODE
    # Fail fast on a dead endpoint instead of botocore's 60 s default.
    connect_timeout_seconds = 5
    read_timeout_seconds = 10


class ListingIndex(GlobalSecondaryIndex["ArenaItem"]):
    """gsi1: lists of items under a shared key (live matches, finished matches ...)."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class ArenaItem(Model):
    """Base of every item in the application table."""

    class Meta(ConnectionMeta):
        table_name = settings.ARENA_TABLE_NAME

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    listing = ListingIndex()

    # PynamoDB keeps the declared attributes of an item only. An item type whose attribute
    # names are not known in advance (per-game counters) reads the others in keep_undeclared:
    # _instantiate builds items from Query/Get answers, _container_deserialize from updates.
    @classmethod
    def _instantiate(cls, attribute_values: dict[str, dict[str, Any]]) -> Any:
        instance = super()._instantiate(attribute_values)
        instance.keep_undeclared(attribute_values)
        return instance

    def _container_deserialize(self, attribute_values: dict[str, dict[str, Any]]) -> None:
        super()._container_deserialize(attribute_values)
        self.keep_undeclared(attribute_values)

    def keep_undeclared(self, attribute_values: dict[str, dict[str, Any]]) -> None:
        """Read attributes the item type does not declare; most keep none."""


# --- conditional writes, shared by every app ------------------------------------------------
# What a transaction is made of: (item, its condition), and (item, update actions, condition).
Put = tuple[ArenaItem, Condition | None]
Update = tuple[ArenaItem, list[Action], Condition | None]


def transact(*, puts: list[Put], updates: list[Update], deletes: Iterable[ArenaItem] = ()) -> None:
    """All of it or nothing: one TransactWriteItems on the application table.

    PynamoDB sends (and DynamoDB reports cancellation reasons in) this order: deletes, puts,
    updates, whatever the order of the calls.
    """
    with TransactWrite(connection=ArenaItem._get_connection().connection) as tx:
        for item in deletes:
            tx.delete(item)
        for item, condition in puts:
            tx.save(item, condition=condition)
        for item, actions, condition in updates:
            tx.update(item, actions=actions, condition=condition)


def transaction_lost(exc: TransactWriteError) -> bool:
    """Whether a transaction was cancelled because a condition did not hold (a lost race, a
    taken name), rather than for throttling or a bad request, which must not read as one."""
    return any(
        reason is not None and reason.code == "ConditionalCheckFailed" for reason in exc.cancellation_reasons
    )


def condition_held(write: Callable[[], object]) -> bool:
    """Run one conditional write (a put, update or delete); False when its condition did not
    hold, any other failure raised."""
    try:
        write()
    except (PutError, UpdateError, DeleteError) as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False
    return True
