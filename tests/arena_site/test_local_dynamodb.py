"""The embedded DynamoDB of `make run`: a real moto server on loopback, persisted to a JSON file.

No mock_aws here: these tests talk HTTP to a server, in-process or as a subprocess, exactly as
the app does on a laptop.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from arena_site.local_dynamodb import (
    EmbeddedDynamoDB,
    find_free_port,
    make_client,
    process_is_gone,
    snapshot,
    wait_until_ready,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE = "arena-embedded-test"

ITEMS: list[dict[str, Any]] = [
    {
        "pk": {"S": "MATCH#1"},
        "sk": {"S": "META"},
        "gsi1pk": {"S": "LIVE"},
        "gsi1sk": {"S": "2024-01-01T00:00:00"},
        "expires_at": {"N": "1999999999"},
        "score": {"N": "-12.50"},
        "big": {"N": "123456789012345678901234567890"},
        "blob": {"B": b"\x00\xff\x10binary\n"},
        "tags": {"SS": ["chess", "go"]},
        "ratings": {"NS": ["1", "2.5", "1500"]},
        "blobs": {"BS": [b"\x01", b"\x02\x03"]},
        "moves": {"L": [{"S": "e4"}, {"N": "2"}, {"NULL": True}, {"L": [{"BOOL": False}]}]},
        "players": {
            "M": {"white": {"S": "gpt"}, "black": {"M": {"name": {"S": "claude"}, "b": {"B": b"z"}}}}
        },
        "finished": {"BOOL": True},
        "winner": {"NULL": True},
        "unicode": {"S": "échec ♔ 将棋"},
    },
    {"pk": {"S": "MATCH#1"}, "sk": {"S": "PLY#0001"}, "move": {"S": "e4"}},
    {"pk": {"S": "MATCH#2"}, "sk": {"S": "META"}, "gsi1pk": {"S": "LIVE"}, "gsi1sk": {"S": "2024-01-02"}},
]


def create_arena_table(client: Any) -> None:
    """A table shaped like the app's: pk/sk, gsi1 over gsi1pk/gsi1sk, TTL on expires_at."""
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gsi1pk", "gsi1sk")
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    client.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )


def all_items(client: Any) -> list[dict[str, Any]]:
    items = client.scan(TableName=TABLE, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: (item["pk"]["S"], item["sk"]["S"]))


def normalised(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items with set members sorted: DynamoDB sets have no order, so neither may the comparison."""

    def value(v: dict[str, Any]) -> dict[str, Any]:
        ((tag, payload),) = v.items()
        if tag in ("SS", "NS", "BS"):
            return {tag: sorted(payload)}
        if tag == "L":
            return {tag: [value(m) for m in payload]}
        if tag == "M":
            return {tag: {k: value(m) for k, m in payload.items()}}
        return v

    return [{k: value(v) for k, v in item.items()} for item in items]


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    # A directory that does not exist yet: the first snapshot must create it.
    return tmp_path / "nested" / "dynamodb.json"


@pytest.fixture
def db(data_path: Path) -> Iterator[EmbeddedDynamoDB]:
    # A long interval: these tests snapshot explicitly, never by timer.
    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as running:
        yield running


def test_a_table_with_an_index_ttl_and_every_attribute_type_survives_a_restart(data_path: Path) -> None:
    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as first:
        assert first.restored == 0
        create_arena_table(first.client)
        for item in ITEMS:
            first.client.put_item(TableName=TABLE, Item=item)
        before = all_items(first.client)
        schema_before = first.client.describe_table(TableName=TABLE)["Table"]
    assert data_path.exists()

    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as second:
        assert second.restored == len(ITEMS)
        client = second.client
        after = all_items(client)
        assert (
            normalised(after)
            == normalised(before)
            == normalised(sorted(ITEMS, key=lambda i: (i["pk"]["S"], i["sk"]["S"])))
        )
        assert after[0]["blob"] == {"B": b"\x00\xff\x10binary\n"}
        assert after[0]["big"] == {"N": "123456789012345678901234567890"}

        table = client.describe_table(TableName=TABLE)["Table"]
        assert table["KeySchema"] == schema_before["KeySchema"]
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        (gsi,) = table["GlobalSecondaryIndexes"]
        assert gsi["IndexName"] == "gsi1"
        assert gsi["KeySchema"] == schema_before["GlobalSecondaryIndexes"][0]["KeySchema"]
        assert gsi["Projection"] == {"ProjectionType": "ALL"}
        ttl = client.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
        # The index answers queries, i.e. it was rebuilt from the restored items.
        live = client.query(
            TableName=TABLE,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :live",
            ExpressionAttributeValues={":live": {"S": "LIVE"}},
        )["Items"]
        assert sorted(item["pk"]["S"] for item in live) == ["MATCH#1", "MATCH#2"]


def test_an_index_added_to_an_existing_table_survives_a_restart(data_path: Path) -> None:
    # moto's UpdateTable replaces AttributeDefinitions instead of merging them: DescribeTable
    # then forgets pk/sk, and a naive snapshot could not be restored.
    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as first:
        first.client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        first.client.update_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": "gsi1pk", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": "gsi1",
                        "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                    }
                }
            ],
        )
        first.client.put_item(
            TableName=TABLE, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "gsi1pk": {"S": "g"}}
        )

    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as second:
        assert second.restored == 1
        table = second.client.describe_table(TableName=TABLE)["Table"]
        assert {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]} == {
            "pk": "S",
            "sk": "N",
            "gsi1pk": "S",
        }
        assert table["GlobalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "KEYS_ONLY"}


def test_it_neither_sees_nor_wipes_another_moto_server_in_the_same_process(data_path: Path) -> None:
    # conftest's moto_server fixture and mock_aws share moto's process-wide state with us.
    neighbour = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    neighbour.start()
    try:
        host, port = neighbour.get_host_and_port()
        neighbour_client = make_client(f"http://{host}:{port}")
        create_arena_table(neighbour_client)
        try:
            with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as db:
                assert db.client.list_tables()["TableNames"] == []
            assert json.loads(data_path.read_text("utf-8"))["tables"] == []
            # (The neighbour may hold more tables: a session-wide mock_aws shares its account.)
            assert TABLE in neighbour_client.list_tables()["TableNames"]
        finally:
            neighbour_client.delete_table(TableName=TABLE)
    finally:
        neighbour.stop()


def test_the_snapshot_file_is_plain_json_with_base64_binaries(db: EmbeddedDynamoDB, data_path: Path) -> None:
    create_arena_table(db.client)
    db.client.put_item(TableName=TABLE, Item=ITEMS[0])
    assert db.snapshot() is True

    document = json.loads(data_path.read_text("utf-8"))
    (table,) = document["tables"]
    assert table["TimeToLive"] == {"AttributeName": "expires_at"}
    assert table["CreateTable"]["GlobalSecondaryIndexes"][0]["IndexName"] == "gsi1"
    (item,) = table["Items"]
    assert item["blob"] == {"B": "AP8QYmluYXJ5Cg=="}
    assert item["tags"] == {"SS": ["chess", "go"]}


def test_the_snapshot_is_not_rewritten_when_nothing_changed(db: EmbeddedDynamoDB, data_path: Path) -> None:
    create_arena_table(db.client)
    db.client.put_item(TableName=TABLE, Item=ITEMS[0])
    assert snapshot(db.client, data_path) is True
    mtime = data_path.stat().st_mtime_ns
    inode = data_path.stat().st_ino

    assert snapshot(db.client, data_path) is False
    assert db.snapshot() is False
    assert data_path.stat().st_mtime_ns == mtime
    assert data_path.stat().st_ino == inode

    db.client.put_item(TableName=TABLE, Item=ITEMS[1])
    assert snapshot(db.client, data_path) is True


def test_a_restored_database_does_not_rewrite_its_own_snapshot(data_path: Path) -> None:
    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as first:
        create_arena_table(first.client)
        for item in ITEMS:
            first.client.put_item(TableName=TABLE, Item=item)
    content = data_path.read_bytes()
    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=60) as second:
        # Scanning the restored tables gives back the very same bytes.
        assert second.snapshot() is False
        assert second.dumps == 1
    # And restoring is not a change: stopping did not even scan.
    assert second.dumps == 1
    assert data_path.read_bytes() == content


def test_snapshots_replace_the_file_atomically_and_leave_no_temp_files(
    db: EmbeddedDynamoDB, data_path: Path
) -> None:
    create_arena_table(db.client)
    for n in range(3):
        db.client.put_item(TableName=TABLE, Item={"pk": {"S": f"P{n}"}, "sk": {"S": "S"}})
        inode_before = data_path.stat().st_ino if data_path.exists() else None
        assert db.snapshot() is True
        # A new inode means the file was renamed into place, not rewritten in place.
        assert data_path.stat().st_ino != inode_before
        json.loads(data_path.read_bytes())
    assert sorted(p.name for p in data_path.parent.iterdir()) == [data_path.name]


def wait_for(condition: Any, what: str, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {timeout}s"
        time.sleep(0.02)


def test_periodic_snapshots_save_writes_and_skip_the_scan_while_idle(data_path: Path) -> None:
    with EmbeddedDynamoDB(port=0, data_path=data_path, interval=0.1) as running:
        create_arena_table(running.client)
        running.client.put_item(TableName=TABLE, Item=ITEMS[1])
        wait_for(lambda: data_path.exists() and "PLY#0001" in data_path.read_text("utf-8"), "first snapshot")

        # The put may have landed during that dump and earned one more; wait until they settle.
        dumps = -1
        while dumps != running.dumps:
            dumps = running.dumps
            time.sleep(0.3)
        running.client.get_item(TableName=TABLE, Key={"pk": ITEMS[1]["pk"], "sk": ITEMS[1]["sk"]})
        running.client.query(
            TableName=TABLE,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "MATCH#1"}},
        )
        time.sleep(0.5)  # five intervals of reads only
        assert running.dumps == dumps

        running.client.delete_item(TableName=TABLE, Key={"pk": ITEMS[1]["pk"], "sk": ITEMS[1]["sk"]})
        wait_for(lambda: "PLY#0001" not in data_path.read_text("utf-8"), "snapshot after a delete")


def test_a_corrupt_snapshot_refuses_to_start_instead_of_starting_empty(data_path: Path) -> None:
    data_path.parent.mkdir(parents=True)
    data_path.write_text("{not json")
    with pytest.raises(ValueError, match="is not valid JSON"):
        EmbeddedDynamoDB(port=0, data_path=data_path).start()
    assert data_path.read_text() == "{not json"


def test_non_loopback_hosts_are_refused() -> None:
    with pytest.raises(ValueError, match="non-loopback"):
        EmbeddedDynamoDB(host="0.0.0.0", port=0)


def test_a_taken_port_is_reported_instead_of_hanging(db: EmbeddedDynamoDB, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot serve DynamoDB"):
        EmbeddedDynamoDB(port=db.port, data_path=tmp_path / "other.json").start()


def test_a_zombie_counts_as_a_gone_process() -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs procfs")
    child = subprocess.Popen(["true"])
    try:
        deadline = time.monotonic() + 5
        # Not reaped on purpose: the exited child stays a zombie that kill(pid, 0) still finds.
        while not process_is_gone(child.pid):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        child.kill()
        child.wait()
    assert process_is_gone(os.getpid()) is False


# --- As a process, the way `make run` starts it ---------------------------------------------------


def start_process(args: list[str], stderr_path: Path) -> subprocess.Popen[str]:
    with stderr_path.open("w") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "arena_site.local_dynamodb", *args],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )


def read_ready_line(process: subprocess.Popen[str], stderr_path: Path, timeout: float = 15) -> str:
    """The first stdout line, read in a thread so that a silent process cannot hang the test."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"no ready line within {timeout}s; stderr:\n{stderr_path.read_text()}")


def kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def test_the_process_saves_its_data_and_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = find_free_port()
    data = tmp_path / "dynamodb.json"
    stderr_path = tmp_path / "stderr.txt"
    process = start_process(
        ["--port", str(port), "--data", str(data), "--interval", "1", "--max-seconds", "30"], stderr_path
    )
    try:
        line = read_ready_line(process, stderr_path)
        url = f"http://127.0.0.1:{port}"
        assert line == f"embedded DynamoDB ready at {url} (0 items restored from {data})\n"
        wait_until_ready(url)
        client = make_client(url)
        create_arena_table(client)
        client.put_item(TableName=TABLE, Item=ITEMS[0])

        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=10) == 0, stderr_path.read_text()
    finally:
        kill(process)

    (table,) = json.loads(data.read_text("utf-8"))["tables"]
    assert [item["sk"] for item in table["Items"]] == [{"S": "META"}]
    assert "Traceback" not in stderr_path.read_text()


def test_the_process_exits_by_itself_when_its_parent_is_gone(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"])
    process = None
    try:
        data = tmp_path / "dynamodb.json"
        stderr_path = tmp_path / "stderr.txt"
        args = f"--port {find_free_port()} --interval 0.5 --parent-pid {parent.pid} --max-seconds 30"
        process = start_process(
            [*args.split(), "--data", str(data)],
            stderr_path,
        )
        read_ready_line(process, stderr_path)
        parent.wait(timeout=10)  # reaped, as a real parent's own parent (the shell) would
        assert process.wait(timeout=10) == 0, stderr_path.read_text()
        assert "parent process" in stderr_path.read_text()
        # An empty database still leaves a snapshot behind, so the next start has a file to read.
        assert json.loads(data.read_text("utf-8"))["tables"] == []
    finally:
        kill(parent)
        if process is not None:
            kill(process)
