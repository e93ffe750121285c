"""create_tables creates or updates every table, and can run any number of times."""

from __future__ import annotations

import boto3
from django.core.management import call_command

from accounts.sessions.models import SessionItem
from arena_site.dynamodb import ArenaItem


def _client():
    return boto3.client("dynamodb", region_name="us-east-1")


def test_it_is_idempotent_and_sets_up_indexes_and_ttl(dynamodb, capsys):
    call_command("create_tables")
    call_command("create_tables")
    assert "tables are up to date" in capsys.readouterr().out
    client = _client()
    for table in (ArenaItem.Meta.table_name, SessionItem.Meta.table_name):
        ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED"
        assert ttl["AttributeName"] == "expires_at"
    indexes = client.describe_table(TableName=ArenaItem.Meta.table_name)["Table"]["GlobalSecondaryIndexes"]
    assert [index["IndexName"] for index in indexes] == ["gsi1"]


def test_it_adds_an_index_missing_from_an_older_table(dynamodb, settings, capsys):
    client = _client()
    old_name = "arena-old-stage"
    client.create_table(
        TableName=old_name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    original = ArenaItem.Meta.table_name
    ArenaItem.Meta.table_name = old_name
    try:
        call_command("create_tables")
    finally:
        ArenaItem.Meta.table_name = original
    out = capsys.readouterr().out
    assert f"added index gsi1 to {old_name}" in out
    assert f"enabled TTL on {old_name}.expires_at" in out
    indexes = client.describe_table(TableName=old_name)["Table"]["GlobalSecondaryIndexes"]
    assert indexes[0]["IndexName"] == "gsi1"
