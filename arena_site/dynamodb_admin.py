"""Create or update the app's tables so that they match the models (idempotent)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pynamodb.models import Model

from arena_site.tables import TABLE_MODELS

TTL_ATTRIBUTE = "expires_at"


def ensure_tables(report: Callable[[str], None] = print, *, wait: bool = True) -> None:
    for model in TABLE_MODELS:
        ensure_table(model, report, wait=wait)


def ensure_table(model: type[Model], report: Callable[[str], None], *, wait: bool) -> None:
    name = model.Meta.table_name
    client = model._get_connection().connection.client
    if not model.exists():
        model.create_table(wait=wait)
        report(f"created table {name}")
    else:
        _add_missing_indexes(model, client, report, wait=wait)
    _ensure_ttl(name, client, report)


def _add_missing_indexes(
    model: type[Model], client: Any, report: Callable[[str], None], *, wait: bool
) -> None:
    name = model.Meta.table_name
    existing = {
        index["IndexName"]
        for index in client.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])
    }
    for index in model._get_schema()["global_secondary_indexes"]:
        if index["index_name"] in existing:
            continue
        client.update_table(
            TableName=name,
            AttributeDefinitions=index["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": index["index_name"],
                        "KeySchema": index["key_schema"],
                        "Projection": index["projection"],
                    }
                }
            ],
        )
        report(f"added index {index['index_name']} to {name}")
        # DynamoDB accepts one index creation at a time per table.
        while wait and _index_status(client, name, index["index_name"]) != "ACTIVE":
            time.sleep(1)


def _index_status(client: Any, table: str, index_name: str) -> str:
    for index in client.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", []):
        if index["IndexName"] == index_name:
            return str(index.get("IndexStatus", "ACTIVE"))
    return "MISSING"


def _ensure_ttl(table: str, client: Any, report: Callable[[str], None]) -> None:
    described = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    if described.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return
    client.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )
    report(f"enabled TTL on {table}.{TTL_ATTRIBUTE}")
