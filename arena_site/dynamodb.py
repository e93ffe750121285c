"""DynamoDB wiring shared by every app: the application table, its index, and request counting.

Everything the app stores lives in one table, ``arena-<stage>`` (see docs/architecture.md):
items are told apart by ``pk``/``sk`` prefixes and a ``kind`` discriminator, so a whole match
(META plus every ply) comes back from ONE Query on its partition.
"""

from __future__ import annotations

from django.conf import settings
from pynamodb.attributes import DiscriminatorAttribute, UnicodeAttribute
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


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
