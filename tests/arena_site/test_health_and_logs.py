"""/healthz, and logs as JSON lines that carry the request and match ids but no secrets."""

from __future__ import annotations

import json
import logging

from django.test import Client

from arena_site import logs
from arena_site.tables import count_requests, point_models_at


def test_healthz_reports_the_app_and_dynamodb_with_one_cheap_request(dynamodb):
    with count_requests() as counter:
        response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["app"], body["dynamodb"]) == ("ok", "ok", "ok")
    assert body["table"] == "arena-test"
    assert counter.calls == {"GetItem": 1}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_healthz_answers_503_when_dynamodb_is_unreachable(dynamodb):
    point_models_at("http://127.0.0.1:9")  # nothing listens there
    try:
        response = Client().get("/healthz")
    finally:
        point_models_at(None)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["dynamodb"].startswith("unreachable")


def _json_lines(caplog_records: list[logging.LogRecord]) -> list[dict]:
    formatter = logs.JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog_records]


def test_log_lines_are_json_with_the_request_id_and_the_match_id(player, caplog):
    match_id = player.create_match(white="human", black="human")
    caplog.set_level(logging.INFO)
    response = player.client.post(f"/matches/{match_id}/move", {"move": "Ke2"})  # illegal: a 400, logged
    assert response.status_code == 400
    rid = response["X-Request-Id"]
    lines = [line for line in _json_lines(caplog.records) if line.get("request_id") == rid]
    assert lines, "the request's own log lines carry its id"
    assert all(line["match_id"] == match_id for line in lines)
    assert {"time", "level", "logger", "message"} <= set(lines[0])


def test_a_lambda_request_is_logged_under_api_gateways_request_id(dynamodb):
    event = {"requestContext": {"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"}}
    response = Client().get("/healthz", **{"lambda.event": event})
    assert response["X-Request-Id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def test_runner_tasks_log_under_their_match_id(dynamodb, caplog, make_match):
    from games import runner

    meta = make_match(white="human", black="engine:1")
    caplog.set_level(logging.INFO)
    with logs.match_context(meta.match_id):
        logging.getLogger("games.runner").info("thinking")
    assert _json_lines(caplog.records)[-1]["match_id"] == meta.match_id
    assert runner.advance(meta.match_id) is False  # a human's turn: nothing to do, nothing breaks


def test_api_keys_never_reach_the_logs():
    record = logging.LogRecord(
        "llm",
        logging.ERROR,
        __file__,
        1,
        "provider said: bad key sk-proj-abc123DEF456ghi789 / %s",
        ("sk-ant-api03-XYZxyz0123456789",),
        None,
    )
    line = logs.JsonFormatter().format(record)
    assert "sk-proj-abc123" not in line
    assert "sk-ant-api03" not in line
    assert line.count("[redacted]") == 2


def test_the_secret_key_can_come_from_ssm_on_lambda(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import boto3\n"
        "from moto import mock_aws\n"
        "with mock_aws():\n"
        "    boto3.client('ssm', region_name='us-east-1').put_parameter(Name='/arena/dev/secret-key',"
        " Value='k' * 20 + 'from-ssm-' + 'x' * 30, Type='SecureString')\n"
        "    import django\n"
        "    django.setup()\n"
        "    from django.conf import settings\n"
        "    print(settings.SECRET_KEY)\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ARENA_")},
        "ARENA_ENV": "dev",
        "ARENA_ALLOWED_HOSTS": "example.com",
        "ARENA_SECRETS": "ARENA_SECRET_KEY=ssm:/arena/dev/secret-key",
        "ARENA_DYNAMODB_URL": "http://127.0.0.1:9",
        "DJANGO_SETTINGS_MODULE": "arena_site.settings",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "PYTHONPATH": str(root),
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip().endswith("from-ssm-" + "x" * 30)
