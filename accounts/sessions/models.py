"""The session table: one item per session, expired by DynamoDB's TTL on ``expires_at``."""

from __future__ import annotations

from django.conf import settings
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from arena_site.dynamodb import ConnectionMeta


def _setting(name: str, default: object) -> object:
    return getattr(settings, f"DYNAMODB_SESSIONS_{name}", default)


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
