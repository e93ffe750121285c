"""The session table: one item per session, expired by DynamoDB's TTL on ``expires_at``."""

from __future__ import annotations

from django.conf import settings
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from arena_site.dynamodb import ConnectionMeta


def _setting(name: str, default: object) -> object:
    return getattr(settings, f"DYNAMODB_SESSIONS_{name}", default)


class SessionsByUser(GlobalSecondaryIndex["SessionItem"]):
    """The sessions of one account (sparse: guests' sessions carry no user id), so that a
    password change can end every other session at once, at no cost to ordinary requests."""

    class Meta:
        index_name = "by_user"
        projection = KeysOnlyProjection()

    user_id = UnicodeAttribute(hash_key=True)


class SessionItem(Model):
    class Meta(ConnectionMeta):
        table_name = str(_setting("TABLE_NAME", "sessions"))
        region = str(_setting("AWS_REGION_NAME", ConnectionMeta.region))
        aws_access_key_id = _setting("AWS_ACCESS_KEY_ID", None)
        aws_secret_access_key = _setting("AWS_SECRET_ACCESS_KEY", None)

    session_key = UnicodeAttribute(
        hash_key=True, attr_name=str(_setting("TABLE_HASH_ATTRIB_NAME", "session_key"))
    )
    data = UnicodeAttribute()
    # Epoch seconds, the TTL attribute (see arena_site.dynamodb_admin). DynamoDB deletes
    # expired items late and moto never does, so readers must check it too.
    expires_at = NumberAttribute()
    user_id = UnicodeAttribute(null=True)  # the logged-in account, if any
    by_user = SessionsByUser()
