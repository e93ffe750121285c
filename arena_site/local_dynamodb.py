"""Embedded DynamoDB for laptops: a moto server on loopback whose data survives restarts.

``make run`` starts this as its own process before Django, so it must not import Django::

    python -m arena_site.local_dynamodb [--host 127.0.0.1] [--port 8001] [--data .local/dynamodb.json]
                                        [--interval 5] [--parent-pid PID] [--max-seconds N] [--region R]

moto keeps everything in memory and has no persistence of its own, so we persist *through the
DynamoDB API*: every ``--interval`` seconds we ListTables / DescribeTable / DescribeTimeToLive /
Scan everything into one JSON file, and on start we recreate the tables and BatchWriteItem the
items back. Going through the public API (rather than pickling moto's internals) means the file
survives moto upgrades and is readable by humans and by any other DynamoDB implementation.

Items are kept in DynamoDB's own typed JSON (``{"S": ...}``, ``{"N": "1.5"}``, ``{"B": base64}``,
sets, lists, maps), so every type round-trips exactly: numbers stay strings (no float rounding),
binaries are base64 (JSON has no bytes), and a string set never comes back as a list.

Limits worth knowing:

* A snapshot is not a point-in-time copy: tables are scanned one after another while the app may
  be writing. Fine for a laptop; the final snapshot on shutdown happens after the app is gone.
* Only one region is snapshotted (``--region``, else ``AWS_DEFAULT_REGION``, else us-east-1):
  the app must talk to the same region.
* Every request is served from one fixed account, :data:`EMBEDDED_ACCOUNT_ID`, whatever the
  credentials, so in-process (tests) we never mix with ``mock_aws`` state. moto's state is still
  global to the process, so there can be one :class:`EmbeddedDynamoDB` at a time, and
  :meth:`EmbeddedDynamoDB.stop` forgets its data so that a stop + start behaves like a restart.

Importable API, for tests and scripts: :func:`snapshot`, :func:`restore`, :func:`wait_until_ready`,
:func:`make_client`, :func:`find_free_port` and :class:`EmbeddedDynamoDB`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import ipaddress
import json
import logging
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
DEFAULT_DATA_PATH = Path(".local/dynamodb.json")
DEFAULT_INTERVAL = 5.0

# Written into the file so that a future format change can be detected instead of misread.
SNAPSHOT_FORMAT = "arena-embedded-dynamodb"
SNAPSHOT_VERSION = 1

# BatchWriteItem accepts at most 25 requests per call.
BATCH_SIZE = 25
# How often to resend UnprocessedItems before giving up (real DynamoDB throttles; moto never does).
MAX_BATCH_ATTEMPTS = 8

# moto accepts any credentials; these never leave the machine.
DUMMY_ACCESS_KEY = "local"
DUMMY_SECRET_KEY = "local"
# The account every request is served from (see _EmbeddedApp); not moto's default 123456789012.
EMBEDDED_ACCOUNT_ID = "000000000000"

# The scalar and container type tags of DynamoDB's typed JSON.
_BINARY = "B"
_BINARY_SET = "BS"
_STRING_SET = "SS"
_NUMBER_SET = "NS"
_LIST = "L"
_MAP = "M"

Item = dict[str, Any]
JsonItem = dict[str, Any]


# --- Clients ---------------------------------------------------------------------------------


def default_region() -> str:
    """The region whose tables we serve and snapshot: ``AWS_DEFAULT_REGION``, else us-east-1."""
    return os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


# One boto3 session for every client we make: a new Session reloads botocore's service model
# (~0.1 s each), while clients from a shared one cost ~10 ms. Sessions are not thread-safe, so
# clients are created under a lock; the clients themselves are safe to share between threads.
_session_lock = threading.Lock()
_shared_session: boto3.session.Session | None = None


def _new_client(url: str, region: str, config: Config) -> Any:
    global _shared_session
    with _session_lock:
        if _shared_session is None:
            _shared_session = boto3.session.Session()
        return _shared_session.client(
            "dynamodb",
            endpoint_url=url,
            region_name=region,
            aws_access_key_id=DUMMY_ACCESS_KEY,
            aws_secret_access_key=DUMMY_SECRET_KEY,
            config=config,
        )


def make_client(
    url: str, region: str | None = None, *, timeout: float = 10.0, user_agent_extra: str | None = None
) -> Any:
    """A DynamoDB client for the embedded server at ``url``.

    Everything is set explicitly so the caller's environment cannot redirect us: credentials are
    dummies (no SSO or instance-metadata lookup, which could hang for seconds off AWS), the
    endpoint beats ``AWS_ENDPOINT_URL``, and ``proxies={}`` stops an ``HTTP_PROXY`` without a
    ``NO_PROXY`` for 127.0.0.1 from sending loopback traffic to a proxy.
    """
    config = Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": 3, "mode": "standard"},
        proxies={},
        user_agent_extra=user_agent_extra,
    )
    return _new_client(url, region or default_region(), config)


def wait_until_ready(url: str, timeout: float = 10.0) -> None:
    """Poll ListTables at ``url`` until it answers; raise TimeoutError after ``timeout`` seconds."""
    # One attempt per call and short timeouts, so that the loop, not botocore, does the waiting.
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1}, proxies={})
    client = _new_client(url, default_region(), config)
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            client.list_tables(Limit=1)
            return
        except (BotoCoreError, ClientError) as exc:
            last_error = exc
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no DynamoDB answered at {url} within {timeout:g}s: {last_error}")
        time.sleep(0.05)


def find_free_port(host: str = DEFAULT_HOST) -> int:
    """A port that was free on ``host`` a moment ago (for subprocesses, which need it up front).

    Racy by nature: something else may take it before it is used. In-process,
    :class:`EmbeddedDynamoDB` avoids the race by letting the server bind port 0 itself.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``). Names other than localhost are
    refused rather than resolved: the embedded server has no authentication at all."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- Typed JSON <-> file JSON -------------------------------------------------------------------


def _encode_value(value: Mapping[str, Any]) -> dict[str, Any]:
    """One attribute value as boto3 returns it -> JSON-safe typed JSON.

    Binaries become base64 text. Set members are sorted because DynamoDB sets are unordered and
    moto may return them in any order: without sorting, an unchanged table could produce a
    different file and defeat "write only if changed".
    """
    ((tag, payload),) = value.items()
    if tag == _BINARY:
        return {tag: base64.b64encode(bytes(payload)).decode("ascii")}
    if tag == _BINARY_SET:
        return {tag: sorted(base64.b64encode(bytes(member)).decode("ascii") for member in payload)}
    if tag in (_STRING_SET, _NUMBER_SET):
        return {tag: sorted(payload)}
    if tag == _LIST:
        return {tag: [_encode_value(member) for member in payload]}
    if tag == _MAP:
        return {tag: {name: _encode_value(member) for name, member in payload.items()}}
    # S, N, BOOL, NULL are JSON-safe as they are.
    return {tag: payload}


def _decode_value(value: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`_encode_value`: file JSON -> what boto3's client accepts."""
    ((tag, payload),) = value.items()
    if tag == _BINARY:
        return {tag: base64.b64decode(payload)}
    if tag == _BINARY_SET:
        return {tag: [base64.b64decode(member) for member in payload]}
    if tag in (_STRING_SET, _NUMBER_SET):
        return {tag: list(payload)}
    if tag == _LIST:
        return {tag: [_decode_value(member) for member in payload]}
    if tag == _MAP:
        return {tag: {name: _decode_value(member) for name, member in payload.items()}}
    return {tag: payload}


def encode_item(item: Mapping[str, Mapping[str, Any]]) -> JsonItem:
    """A whole item (boto3 client shape) -> JSON-safe typed JSON."""
    return {name: _encode_value(value) for name, value in item.items()}


def decode_item(item: Mapping[str, Mapping[str, Any]]) -> Item:
    """A whole item from the file -> boto3 client shape."""
    return {name: _decode_value(value) for name, value in item.items()}


# --- Schema ------------------------------------------------------------------------------------


def _key_schema(key_schema: list[dict[str, str]]) -> list[dict[str, str]]:
    # HASH before RANGE, which is also the order CreateTable expects.
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in key_schema]


def _projection(projection: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"ProjectionType": projection.get("ProjectionType", "ALL")}
    if projection.get("NonKeyAttributes"):
        result["NonKeyAttributes"] = sorted(projection["NonKeyAttributes"])
    return result


def _throughput(throughput: Mapping[str, Any]) -> dict[str, int]:
    return {
        "ReadCapacityUnits": int(throughput.get("ReadCapacityUnits") or 1),
        "WriteCapacityUnits": int(throughput.get("WriteCapacityUnits") or 1),
    }


def create_table_arguments(description: Mapping[str, Any]) -> dict[str, Any]:
    """CreateTable keyword arguments (without TableName) that rebuild a DescribeTable result.

    Only what CreateTable takes is kept: timestamps, item counts, sizes and statuses change on
    their own and would make every snapshot differ from the last.
    """
    billing_mode = description.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    provisioned = billing_mode == "PROVISIONED"
    arguments: dict[str, Any] = {
        "KeySchema": _key_schema(description["KeySchema"]),
        "AttributeDefinitions": sorted(
            (
                {"AttributeName": d["AttributeName"], "AttributeType": d["AttributeType"]}
                for d in description["AttributeDefinitions"]
            ),
            key=lambda d: d["AttributeName"],
        ),
        "BillingMode": billing_mode,
    }
    if provisioned:
        arguments["ProvisionedThroughput"] = _throughput(description.get("ProvisionedThroughput", {}))
    gsis = []
    for index in sorted(description.get("GlobalSecondaryIndexes", []), key=lambda i: i["IndexName"]):
        gsi: dict[str, Any] = {
            "IndexName": index["IndexName"],
            "KeySchema": _key_schema(index["KeySchema"]),
            "Projection": _projection(index.get("Projection", {})),
        }
        if provisioned:
            gsi["ProvisionedThroughput"] = _throughput(index.get("ProvisionedThroughput", {}))
        gsis.append(gsi)
    if gsis:
        arguments["GlobalSecondaryIndexes"] = gsis
    lsis = [
        {
            "IndexName": index["IndexName"],
            "KeySchema": _key_schema(index["KeySchema"]),
            "Projection": _projection(index.get("Projection", {})),
        }
        for index in sorted(description.get("LocalSecondaryIndexes", []), key=lambda i: i["IndexName"])
    ]
    if lsis:
        arguments["LocalSecondaryIndexes"] = lsis
    stream = description.get("StreamSpecification") or {}
    if stream.get("StreamEnabled"):
        arguments["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": stream.get("StreamViewType", "NEW_AND_OLD_IMAGES"),
        }
    return arguments


def _complete_attribute_definitions(
    table_name: str, arguments: dict[str, Any], items: list[JsonItem]
) -> None:
    """Give every key attribute (of the table and its indexes) an AttributeDefinition.

    moto 5.2's UpdateTable *replaces* AttributeDefinitions instead of merging them, so after an
    index is added to an existing table (our create_tables command does that), DescribeTable lists
    only the index's attributes and CreateTable would refuse the snapshot. The missing types are
    read off the items (key attributes are S, N or B); with no items to go by, S is assumed.
    """
    key_names = [k["AttributeName"] for k in arguments["KeySchema"]]
    for index in [*arguments.get("GlobalSecondaryIndexes", []), *arguments.get("LocalSecondaryIndexes", [])]:
        key_names.extend(k["AttributeName"] for k in index["KeySchema"])
    definitions: list[dict[str, str]] = arguments["AttributeDefinitions"]
    defined = {d["AttributeName"] for d in definitions}
    for name in dict.fromkeys(key_names):
        if name in defined:
            continue
        seen = {tag for item in items if name in item for tag in item[name]}
        attribute_type = seen.pop() if len(seen) == 1 and seen <= {"S", "N", "B"} else "S"
        logger.warning(
            "table %s: no AttributeDefinition for key attribute %s (moto UpdateTable bug); using %s",
            table_name,
            name,
            attribute_type,
        )
        definitions.append({"AttributeName": name, "AttributeType": attribute_type})
        defined.add(name)
    definitions.sort(key=lambda d: d["AttributeName"])


# --- Snapshot ----------------------------------------------------------------------------------


def _table_names(client: Any) -> list[str]:
    names: list[str] = []
    for page in client.get_paginator("list_tables").paginate():
        names.extend(page.get("TableNames", []))
    return sorted(names)


def _scan(client: Any, table_name: str) -> Iterator[Item]:
    # ConsistentRead so that a write acknowledged before the snapshot started is in it.
    for page in client.get_paginator("scan").paginate(TableName=table_name, ConsistentRead=True):
        yield from page.get("Items", [])


def _dump_table(client: Any, table_name: str) -> dict[str, Any] | None:
    """One table's schema, TTL and items, or None if it vanished while we looked."""
    try:
        description = client.describe_table(TableName=table_name)["Table"]
        ttl = client.describe_time_to_live(TableName=table_name).get("TimeToLiveDescription", {})
        key_names = [k["AttributeName"] for k in description["KeySchema"]]
        items = [encode_item(item) for item in _scan(client, table_name)]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None
        raise
    # Scan order is an implementation detail; sorting by primary key makes the file
    # deterministic so that an unchanged database produces a byte-identical file.
    items.sort(key=lambda item: json.dumps([item.get(name) for name in key_names], sort_keys=True))
    ttl_enabled = ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
    arguments = create_table_arguments(description)
    _complete_attribute_definitions(table_name, arguments, items)
    return {
        "TableName": table_name,
        "CreateTable": arguments,
        "TimeToLive": {"AttributeName": ttl["AttributeName"]} if ttl_enabled else None,
        "Items": items,
    }


def dump(client: Any) -> dict[str, Any]:
    """Every table of the client's region as one JSON-safe document."""
    tables = [table for name in _table_names(client) if (table := _dump_table(client, name)) is not None]
    return {"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "tables": tables}


def serialise(document: Mapping[str, Any]) -> bytes:
    """Deterministic bytes for a snapshot document: same data, same bytes.

    ``indent=1`` keeps the file diffable and greppable at a modest size cost.
    """
    return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` so that readers (and a crash) see the old file or the new
    one, never half of each: write a temp file in the same directory (os.replace is only atomic
    within one filesystem), fsync it, rename it over the target, then fsync the directory so the
    rename itself survives a power cut."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(content)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    # Not every platform lets you open a directory (Windows); durability there is best effort.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def snapshot(client: Any, path: str | os.PathLike[str]) -> bool:
    """Write every table and item the client sees to ``path``; return whether the file changed.

    The file is compared with what is on disk rather than with an in-memory copy, so this stays
    correct across restarts and when several callers share one path; for laptop-sized data the
    read costs far less than the Scan.
    """
    target = Path(path)
    content = serialise(dump(client))
    try:
        if target.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    write_atomically(target, content)
    return True


# --- Restore -----------------------------------------------------------------------------------


def _batches(items: list[Item], size: int = BATCH_SIZE) -> Iterator[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _put_all(client: Any, table_name: str, items: list[Item]) -> None:
    """BatchWriteItem every item, resending UnprocessedItems with a growing pause."""
    for batch in _batches(items):
        pending: dict[str, list[dict[str, Any]]] = {
            table_name: [{"PutRequest": {"Item": item}} for item in batch]
        }
        for attempt in range(MAX_BATCH_ATTEMPTS):
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
            time.sleep(min(0.05 * 2**attempt, 2.0))
        else:
            left = sum(len(requests) for requests in pending.values())
            raise RuntimeError(f"{left} items of {table_name} stayed unprocessed after retries")


def _create_table(client: Any, table: Mapping[str, Any]) -> None:
    name = table["TableName"]
    try:
        client.create_table(TableName=name, **table["CreateTable"])
    except ClientError as exc:
        # Already there (a server that was not empty): keep its schema and merge the items in,
        # since refusing to start would be worse for a laptop than overwriting items by key.
        if exc.response.get("Error", {}).get("Code") != "ResourceInUseException":
            raise
        logger.warning("table %s already exists; restoring its items into it", name)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    ttl = table.get("TimeToLive")
    if ttl:
        current = client.describe_time_to_live(TableName=name).get("TimeToLiveDescription", {})
        if current.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )


def load(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The snapshot document at ``path``, or None if there is no file yet."""
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    try:
        document = json.loads(content)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise ValueError(f"{path} is not valid JSON ({exc}); fix or move it away") from exc
    if not isinstance(document, dict) or (document.get("format"), document.get("version")) != (
        SNAPSHOT_FORMAT,
        SNAPSHOT_VERSION,
    ):
        raise ValueError(f"{path} is not a version-{SNAPSHOT_VERSION} {SNAPSHOT_FORMAT} snapshot")
    return document


def restore(client: Any, path: str | os.PathLike[str]) -> int:
    """Recreate every table of the snapshot at ``path`` with its items; return how many items.

    A missing file restores nothing (first run). A corrupt one raises: silently starting empty
    and then overwriting the file with the empty database would destroy the user's data.
    """
    document = load(path)
    if document is None:
        return 0
    restored = 0
    for table in document["tables"]:
        _create_table(client, table)
        items = [decode_item(item) for item in table["Items"]]
        _put_all(client, table["TableName"], items)
        restored += len(items)
    return restored


# --- The server --------------------------------------------------------------------------------


# DynamoDB operations that cannot change data. Anything else (including an unknown operation, a
# request to another service or to moto's own /moto-api/reset) counts as a write: a needless
# snapshot costs a Scan, a missed one loses data.
READ_ONLY_OPERATIONS = frozenset(
    {
        "BatchGetItem",
        "DescribeBackup",
        "DescribeContinuousBackups",
        "DescribeEndpoints",
        "DescribeLimits",
        "DescribeTable",
        "DescribeTimeToLive",
        "GetItem",
        "ListBackups",
        "ListTables",
        "ListTagsOfResource",
        "Query",
        "Scan",
        "TransactGetItems",
    }
)
_DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810."
# Marks restore()'s own requests, which put back exactly what the file holds and so must not make
# the next snapshot dump everything again (a full Scan for nothing, at start and at shutdown).
_RESTORE_USER_AGENT = "arena-local-dynamodb-restore"


class _EmbeddedApp:
    """WSGI middleware in front of moto: pins the account, and reports writes.

    Every request is served from :data:`EMBEDDED_ACCOUNT_ID` (moto's ``x-moto-account-id``
    header), whatever credentials the client signed with. moto's data is global to the process,
    and in-process (tests) a ``mock_aws`` or another moto server may be using moto's default
    account: a separate account keeps their tables out of our snapshots and ours out of theirs,
    and lets :meth:`EmbeddedDynamoDB.stop` forget our data without touching theirs.

    ``on_write`` is called after every request that may have changed data. It lets the periodic
    snapshot skip its Scan when nothing was written: moto serialises Scan results slowly (about
    1-3 ms per item), so scanning an idle database every few seconds would burn a core and hold
    the GIL against the app's own requests.

    ``on_write`` runs *after* the operation was applied. So a snapshot that clears the flag and
    then scans either sees a write, or that write's ``on_write`` comes after the clear and
    re-flags the next snapshot; a write can be late by one interval, never lost.

    Requests are also served one at a time. moto answers each on its own thread without
    locking: its conditional writes are not atomic, and a TransactWriteItems whose condition
    fails restores a copy of the whole table, erasing what other threads wrote meanwhile. Real
    DynamoDB applies each request atomically, and the app's exactly-once guarantee rests on
    that, so the embedded server must too.
    """

    def __init__(self, app: Any, on_write: Callable[[], None]) -> None:
        self.app = app
        self.on_write = on_write
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = EMBEDDED_ACCOUNT_ID
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        read_only = (
            target.startswith(_DYNAMODB_TARGET_PREFIX)
            and target[len(_DYNAMODB_TARGET_PREFIX) :] in READ_ONLY_OPERATIONS
        ) or _RESTORE_USER_AGENT in str(environ.get("HTTP_USER_AGENT", ""))
        try:
            with self.lock:
                return list(self.app(environ, start_response))
        finally:
            if not read_only:
                self.on_write()


class _MotoServer(ThreadedMotoServer):
    """ThreadedMotoServer with three fixes, through its private ``_server_entry`` (moto 5.x).

    * A failed bind (port taken) is reported: upstream binds inside its thread and only then sets
      the ready event, so ``start()`` would wait forever.
    * Requests go through :class:`_EmbeddedApp`.
    * ``serve_forever`` polls for shutdown every 50 ms instead of 500 ms, so ``stop()`` is quick.

    ``_server_entry`` mirrors upstream's own (moto 5.2): build the app, make_server, serve.
    """

    def __init__(self, ip_address: str, port: int, on_write: Callable[[], None]) -> None:
        super().__init__(ip_address=ip_address, port=port, verbose=False)
        self.on_write = on_write
        self.startup_error: BaseException | None = None

    def _server_entry(self) -> None:
        try:
            app = _EmbeddedApp(DomainDispatcherApplication(create_backend_app), self.on_write)
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
        except SystemExit:
            # werkzeug prints why (usually "Port N is in use") to stderr, then calls sys.exit(1).
            self.startup_error = OSError("the address is taken or unusable (details on stderr)")
            return
        except BaseException as exc:
            self.startup_error = exc
            return
        finally:
            self._server_ready_event.set()
        self._server.serve_forever(poll_interval=0.05)


def _forget_moto_dynamodb_state() -> None:
    """Drop moto's in-memory DynamoDB data, as a process exit would.

    moto's backends are process-wide: without this, an in-process stop + start would find the
    old tables still there and a test of "survives a restart" would prove nothing. Only our own
    account is reset, so a ``mock_aws`` running alongside keeps its tables.
    """
    from moto.dynamodb.models import dynamodb_backends

    if EMBEDDED_ACCOUNT_ID in dynamodb_backends:
        dynamodb_backends[EMBEDDED_ACCOUNT_ID].reset()


class EmbeddedDynamoDB:
    """A moto DynamoDB on loopback, restored from and periodically snapshotted to ``data_path``.

    ``port=0`` picks a free port (the server binds port 0 itself, so no other process can grab
    the port between choosing and binding it); ``url`` holds the real address after ``start()``.
    ``data_path=None`` gives a plain in-memory server with no persistence.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        data_path: str | os.PathLike[str] | None = DEFAULT_DATA_PATH,
        interval: float = DEFAULT_INTERVAL,
        region: str | None = None,
    ) -> None:
        if not is_loopback(host):
            # No authentication and every AWS service moto emulates: never expose it.
            raise ValueError(f"refusing to serve DynamoDB on non-loopback host {host!r}; use 127.0.0.1")
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.host = host
        self.port = port
        self.data_path = Path(data_path) if data_path is not None else None
        self.interval = interval
        self.region = region or default_region()
        self.url = f"http://{host}:{port}"
        self.restored = 0
        self.client: Any = None
        self._server: _MotoServer | None = None
        self._stop_snapshots = threading.Event()
        self._snapshot_thread: threading.Thread | None = None
        # Serialises snapshots: the periodic thread and an explicit snapshot() must not interleave
        # their writes (each is atomic, but an older dump could land after a newer one).
        self._snapshot_lock = threading.Lock()
        # Set by the server after any request that may have changed data (see _EmbeddedApp).
        # Starts set so that the first snapshot always runs, e.g. to create the file.
        self._written = threading.Event()
        self._written.set()
        # How many times the database was actually dumped (skipped idle intervals don't count).
        self.dumps = 0

    def start(self) -> EmbeddedDynamoDB:
        """Bind, restore the snapshot, start periodic snapshots. Returns self for chaining."""
        if self._server is not None:
            raise RuntimeError("already started")
        _quiet_werkzeug()
        server = _MotoServer(self.host, self.port, on_write=self._written.set)
        # _MotoServer reaches into ThreadedMotoServer's privates; fail loudly if they moved.
        if not all(hasattr(server, name) for name in ("_server_ready_event", "_ip_address", "_port")):
            raise RuntimeError("unsupported moto version: ThreadedMotoServer internals changed")
        server.start()
        if server.startup_error is not None:
            raise OSError(f"cannot serve DynamoDB on {self.host}:{self.port}: {server.startup_error}")
        self._server = server
        try:
            _bound_host, port = server.get_host_and_port()
            self.port = port
            # Keep the host as given (e.g. "localhost") so the URL reads like the command line.
            self.url = f"http://{self.host}:{port}"
            wait_until_ready(self.url)
            self.client = make_client(self.url, self.region)
            if self.data_path is not None:
                self._written.set()
                if self.data_path.exists():
                    # The database is about to equal the file: nothing to save until a write.
                    # Without a file the flag stays set, so the first snapshot creates one.
                    self._written.clear()
                restore_client = make_client(self.url, self.region, user_agent_extra=_RESTORE_USER_AGENT)
                self.restored = restore(restore_client, self.data_path)
                self._stop_snapshots.clear()
                self._snapshot_thread = threading.Thread(
                    target=self._snapshot_periodically, name="dynamodb-snapshots", daemon=True
                )
                self._snapshot_thread.start()
        except BaseException:
            self._shutdown_server()
            raise
        return self

    def snapshot(self, *, force: bool = True) -> bool:
        """Snapshot now; return whether the file changed (False with no data_path).

        ``force=False`` skips the dump when no request could have changed data since the last
        one; the periodic and final snapshots use that, explicit calls default to a full dump.
        """
        if self.data_path is None or self.client is None:
            return False
        with self._snapshot_lock:
            if not force and not self._written.is_set():
                return False
            # Cleared before dumping: a write that lands during the dump sets it again.
            self._written.clear()
            try:
                self.dumps += 1
                return snapshot(self.client, self.data_path)
            except BaseException:
                self._written.set()  # not saved: the next attempt must not be skipped
                raise

    def stop(self) -> None:
        """Stop periodic snapshots, take a final one, stop the server and forget its data.

        The server is stopped even if the final snapshot fails; the error is then re-raised,
        because the caller should know that recent writes were not saved.
        """
        if self._server is None:
            return
        self._stop_snapshots.set()
        if self._snapshot_thread is not None:
            self._snapshot_thread.join()
            self._snapshot_thread = None
        try:
            self.snapshot(force=False)
        finally:
            self._shutdown_server()

    def _shutdown_server(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()
        self.client = None
        _forget_moto_dynamodb_state()

    def _snapshot_periodically(self) -> None:
        # Errors are logged, not raised: a full disk must not take the database down with it,
        # and the next interval may well succeed.
        while not self._stop_snapshots.wait(self.interval):
            try:
                self.snapshot(force=False)
            except Exception:
                logger.exception("snapshot to %s failed", self.data_path)

    def __enter__(self) -> EmbeddedDynamoDB:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _quiet_werkzeug() -> None:
    """Keep werkzeug's per-request access log ("POST / HTTP/1.1" 200) off stderr.

    werkzeug sets its logger to INFO and adds a handler unless a level is already set; we only
    set one when nobody else has, so an app that configured werkzeug logging keeps its choice.
    """
    werkzeug_logger = logging.getLogger("werkzeug")
    if werkzeug_logger.level == logging.NOTSET:
        werkzeug_logger.setLevel(logging.WARNING)


# --- Command line ------------------------------------------------------------------------------


def process_is_gone(pid: int) -> bool:
    """Whether process ``pid`` has exited.

    ``kill(pid, 0)`` tests existence without sending anything. An exited process whose parent has
    not reaped it yet (a zombie) still passes that test, so on Linux we also read its state.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # exists, but belongs to another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no procfs (macOS): trust kill()
    # The command name in parentheses may itself contain spaces or parentheses.
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state in ("Z", "X")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m arena_site.local_dynamodb",
        description="Embedded DynamoDB (moto) on loopback whose data survives restarts.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="loopback address to bind (default %(default)s)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port, 0 for any (default %(default)s)"
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_PATH, help="snapshot file (default %(default)s)"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        help="seconds between snapshots (default %(default)s)",
    )
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process is gone")
    parser.add_argument("--max-seconds", type=float, default=None, help="exit after this long (tests)")
    parser.add_argument(
        "--region", default=None, help="region to serve (default AWS_DEFAULT_REGION or us-east-1)"
    )
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"refusing non-loopback --host {args.host!r}: the server has no authentication")
    if args.interval <= 0:
        parser.error("--interval must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run until SIGTERM/SIGINT/SIGHUP, the parent's exit or --max-seconds; 0 if the final snapshot saved."""
    args = _parse_args(argv)
    # This process needs no AWS profile, but an AWS_PROFILE naming one missing from ~/.aws/config
    # makes every boto3 Session (moto builds some internally) raise ProfileNotFound. And
    # MOTO_ACCOUNT_ID would override the account _EmbeddedApp pins.
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "MOTO_ACCOUNT_ID"):
        os.environ.pop(name, None)
    # Our own messages at INFO; botocore's and moto's only when something is wrong.
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="local_dynamodb: %(levelname)s %(message)s"
    )
    logger.setLevel(logging.INFO)

    # The handler only records the request; the main loop below notices within 0.1 s. Doing the
    # shutdown inside the handler would run it in the middle of whatever the main thread was doing.
    stop_reason: list[str] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_reason.append(signal.Signals(signum).name)

    # SIGHUP too: closing the terminal that runs `make run` should save, not drop, the data.
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), request_stop)

    db = EmbeddedDynamoDB(
        host=args.host, port=args.port, data_path=args.data, interval=args.interval, region=args.region
    )
    try:
        db.start()
    except (OSError, ValueError) as exc:
        print(f"local_dynamodb: {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"embedded DynamoDB ready at {db.url} ({db.restored} items restored from {args.data})", flush=True)

    started = time.monotonic()
    next_parent_check = started + args.interval
    while not stop_reason:
        now = time.monotonic()
        if args.max_seconds is not None and now - started >= args.max_seconds:
            stop_reason.append(f"--max-seconds {args.max_seconds:g} elapsed")
        elif args.parent_pid is not None and now >= next_parent_check:
            next_parent_check = now + args.interval
            if process_is_gone(args.parent_pid):
                stop_reason.append(f"parent process {args.parent_pid} is gone")
        if not stop_reason:
            time.sleep(0.1)

    logger.info("stopping: %s", stop_reason[0])
    try:
        db.stop()
    except Exception:
        logger.exception("final snapshot to %s failed; recent writes are lost", args.data)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
