"""Every DynamoDB table of the app, and tools that act on all of them.

Kept apart from arena_site.dynamodb so that models can import the base without a cycle.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pynamodb.models import Model

from accounts.sessions.models import SessionItem
from arena_site.dynamodb import ArenaItem

# One model per table: create_tables creates exactly these.
TABLE_MODELS: list[type[Model]] = [ArenaItem, SessionItem]


def _every_model() -> list[type[Model]]:
    found: list[type[Model]] = []
    pending = list(TABLE_MODELS)
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found


def point_models_at(url: str | None) -> None:
    """Re-point every model at another endpoint (a moto server in tests and benchmarks)."""
    for model in TABLE_MODELS:
        model.Meta.host = url
    for model in _every_model():
        model._connection = None


class RequestCounter:
    """Counts DynamoDB API calls by operation name, e.g. ``{"Query": 1, "GetItem": 1}``,
    and the wall time spent in them (``seconds``)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.seconds = 0.0
        self._started = threading.local()

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def before(self, model: Any = None, **kwargs: Any) -> None:
        self.calls[model.name] += 1
        self._started.at = time.perf_counter()

    def after(self, **kwargs: Any) -> None:
        started = getattr(self._started, "at", None)
        if started is not None:
            self.seconds += time.perf_counter() - started
            self._started.at = None

    def __repr__(self) -> str:
        return f"RequestCounter({dict(self.calls)})"


@contextlib.contextmanager
def count_requests() -> Iterator[RequestCounter]:
    """Count every DynamoDB request PynamoDB sends (botocore's before-call event)."""
    counter = RequestCounter()
    clients: list[Any] = []
    for model in _every_model():
        client = model._get_connection().connection.client
        if all(client is not seen for seen in clients):
            clients.append(client)
    for client in clients:
        client.meta.events.register("before-call.dynamodb", counter.before)
        client.meta.events.register("after-call.dynamodb", counter.after)
    try:
        yield counter
    finally:
        for client in clients:
            client.meta.events.unregister("before-call.dynamodb", counter.before)
            client.meta.events.unregister("after-call.dynamodb", counter.after)
