"""The task seam: what runs where, and the Lambda path through Zappa's own send and route code."""

from __future__ import annotations

import json
import time

import pytest

from arena_site import tasks
from games import runner, services
from games.models import get_meta
from games.players import PlayerSpec

CALLS: list[tuple[str, ...]] = []


def record(*args: str) -> None:
    CALLS.append(args)


def enqueue_twice(label: str) -> None:
    CALLS.append(("outer", label))
    tasks.enqueue("tests.arena_site.test_tasks.record", f"{label}-a")
    tasks.enqueue("tests.arena_site.test_tasks.record", f"{label}-b")
    CALLS.append(("outer done", label))


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_inline_tasks_queue_nested_work_instead_of_recursing(settings):
    settings.ARENA_TASK_BACKEND = "inline"
    tasks.enqueue("tests.arena_site.test_tasks.enqueue_twice", "x")
    assert CALLS == [("outer", "x"), ("outer done", "x"), ("x-a",), ("x-b",)]


def test_thread_tasks_run_in_the_background_after_their_delay(settings):
    settings.ARENA_TASK_BACKEND = "thread"
    started = time.monotonic()
    tasks.enqueue("tests.arena_site.test_tasks.record", "later", delay=0.3)
    tasks.enqueue("tests.arena_site.test_tasks.record", "now")
    deadline = time.monotonic() + 5
    while len(CALLS) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert CALLS == [("now",), ("later",)]
    assert time.monotonic() - started >= 0.3


def test_a_failing_background_task_is_logged_not_raised(caplog):
    tasks.run_task("tests.arena_site.test_tasks.record_wrongly", [], 0)
    assert "failed" in caplog.text


def test_the_zappa_backend_invokes_this_lambda_and_zappa_routes_it_back(settings, dynamodb, monkeypatch):
    from zappa import asynchronous

    sent: list[str] = []

    def fake_invoke(self, message):  # the seam: AWS Lambda's asynchronous Invoke
        message["command"] = "zappa.asynchronous.route_lambda_task"
        sent.append(json.dumps(message))

    monkeypatch.setattr(asynchronous.LambdaAsyncResponse, "_send", fake_invoke)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "llm-duel-arena-dev")
    settings.ARENA_TASK_BACKEND = "zappa"
    meta = services.match_create(
        owner="o", players=[PlayerSpec.from_ref("random"), PlayerSpec.from_ref("human")]
    )
    assert len(sent) == 1
    event = json.loads(sent[0])
    assert event["task_path"] == "arena_site.tasks.run_task"
    assert event["args"] == [runner.ADVANCE, [meta.match_id], 0.0]
    assert get_meta(meta.match_id).moves == []  # nothing ran in the web request

    asynchronous.route_lambda_task(event, None)  # what the Lambda does when invoked
    assert len(get_meta(meta.match_id).moves) == 1
    assert len(sent) == 1  # the human is to move: no further task


def test_capture_records_without_running(settings):
    settings.ARENA_TASK_BACKEND = "inline"
    with tasks.capture_tasks() as queued:
        tasks.enqueue("tests.arena_site.test_tasks.record", "kept", delay=2)
    assert queued == [("tests.arena_site.test_tasks.record", ("kept",), 2)]
    assert CALLS == []
