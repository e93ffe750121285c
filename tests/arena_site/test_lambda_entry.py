"""The Lambda entry: web requests straight to Django, the same WSGI environ Zappa would build,
responses API Gateway accepts, and every other event handed to Zappa's handler."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import types
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import set_script_prefix
from zappa.wsgi import create_wsgi_request

from arena_site import lambda_entry

ROOT = Path(__file__).resolve().parents[2]
HOST = "abc123defg.execute-api.us-east-1.amazonaws.com"


def zappa_settings(**overrides: Any) -> types.ModuleType:
    """What `zappa package` writes as zappa_settings.py for the dev stage (the parts read here)."""
    module = types.ModuleType("zappa_settings")
    values = {
        "API_STAGE": "dev",
        "PROJECT_NAME": "llm-duel-arena",
        "DJANGO_SETTINGS": "tests.settings",
        "ENVIRONMENT_VARIABLES": {},
        "LOG_LEVEL": "INFO",
        "BINARY_SUPPORT": False,
        "CONTEXT_HEADER_MAPPINGS": {"X-Arena-Source-Ip": "identity.sourceIp"},
        "DOMAIN": None,
        "BASE_PATH": None,
        **overrides,
    }
    for name, value in values.items():
        setattr(module, name, value)
    return module


def rest_event(
    method: str = "GET",
    path: str = "/",
    *,
    headers: dict[str, str] | None = None,
    multi_headers: dict[str, list[str]] | None = None,
    query: dict[str, list[str]] | None = None,
    body: str | None = None,
    base64_body: bool = False,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST API proxy event (payload 1.0)."""
    headers = {
        "Host": HOST,
        "X-Forwarded-For": "198.51.100.7, 203.0.113.9, 130.176.0.1",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
        "User-Agent": "test",
        **(headers or {}),
    }
    multi = {name: [value] for name, value in headers.items()}
    multi.update(multi_headers or {})
    context: dict[str, Any] = {
        "stage": "dev",
        "requestId": "req-123",
        "identity": {"sourceIp": "203.0.113.9", "userArn": None},
        "path": f"/dev{path}",
        "httpMethod": method,
    }
    if authorizer:
        context["authorizer"] = authorizer
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": multi,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} if query else None,
        "multiValueQueryStringParameters": query,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": base64_body,
    }


def zappas_environ(event: dict[str, Any], settings: types.ModuleType, script_name: str) -> dict[str, Any]:
    """What zappa.handler.LambdaHandler._create_lambda_wsgi_environ makes of the event."""
    environ = create_wsgi_request(
        event,
        script_name=script_name,
        base_path=settings.BASE_PATH,
        trailing_slash=True,
        binary_support=settings.BINARY_SUPPORT,
        context_header_mappings=settings.CONTEXT_HEADER_MAPPINGS,
    )
    environ.update({"HTTPS": "on", "wsgi.url_scheme": "https", "lambda.context": None, "lambda.event": event})
    return environ


def comparable(environ: dict[str, Any]) -> dict[str, Any]:
    environ = dict(environ)
    environ["wsgi.input"] = environ["wsgi.input"].read()
    environ.pop("wsgi.errors")
    return environ


CASES = {
    "a page on the API's own domain": (rest_event(path="/matches/abc/"), {}, "/dev"),
    "a query string with repeated keys": (
        rest_event(path="/me/games", query={"game": ["chess"], "result": ["won", "drawn"]}),
        {},
        "/dev",
    ),
    "a form post with two cookie lines": (
        rest_event(
            "POST",
            "/matches/new",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            multi_headers={"Cookie": ["csrftoken=abc", "sessionid=xyz"]},
            body="white=human&black=engine%3A1",
        ),
        {},
        "/dev",
    ),
    "an empty post": (rest_event("POST", "/accounts/logout"), {}, "/dev"),
    "a custom domain": (rest_event(path="/", headers={"Host": "arena.example.com"}), {}, ""),
    "the console's test button (no host)": (
        {**rest_event(path="/healthz"), "headers": None, "multiValueHeaders": None},
        {},
        "/dev",
    ),
    "no host, but a domain": (
        {**rest_event(path="/healthz"), "headers": None, "multiValueHeaders": None},
        {"DOMAIN": "arena.example.com"},
        "",
    ),
    "a base path": (
        rest_event(path="/arena/matches/abc/", headers={"Host": "arena.example.com"}),
        {"BASE_PATH": "arena"},
        "/arena",
    ),
    "an authorizer": (rest_event(path="/", authorizer={"principalId": "user-7"}), {}, "/dev"),
    "a base64 body with binary support": (
        rest_event("POST", "/upload", body=base64.b64encode(b"\x00\x01binary").decode(), base64_body=True),
        {"BINARY_SUPPORT": True},
        "/dev",
    ),
    "a path with escapes and unicode": (rest_event(path="/matches/%C3%A9t%C3%A9/"), {}, "/dev"),
}


@pytest.mark.parametrize(("event", "overrides", "script_name"), CASES.values(), ids=list(CASES))
def test_the_environ_is_the_one_zappa_builds(event, overrides, script_name):
    settings = zappa_settings(**overrides)
    ours = lambda_entry.wsgi_environ(event, None, settings)
    assert comparable(ours) == comparable(zappas_environ(event, settings, script_name))


def test_the_client_address_and_the_mapped_source_ip():
    environ = lambda_entry.wsgi_environ(rest_event(), None, zappa_settings())
    # The last but one of X-Forwarded-For (what the edge saw), and API Gateway's own view of
    # the caller in the header the login throttle trusts.
    assert environ["REMOTE_ADDR"] == "203.0.113.9"
    assert environ["HTTP_X_ARENA_SOURCE_IP"] == "203.0.113.9"
    assert environ["SCRIPT_NAME"] == "/dev"


@pytest.fixture
def entry(monkeypatch: pytest.MonkeyPatch, settings, dynamodb: None):
    """The entry with the test settings standing in for the packaged zappa_settings.py."""
    settings.ALLOWED_HOSTS = [".execute-api.us-east-1.amazonaws.com"]
    monkeypatch.setattr(lambda_entry._Loaded, "settings", zappa_settings())
    monkeypatch.setattr(lambda_entry._Loaded, "app", None)
    # Set up now: django.setup() configures logging afresh, which would unhook caplog.
    lambda_entry.application()
    yield lambda_entry
    # Django's handler leaves the stage's script prefix (/dev/) on this thread for the next
    # request, as Lambda wants; the next test's reverse() must not see it.
    set_script_prefix("/")


def _cookies(response: dict[str, Any]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for line in response["multiValueHeaders"].get("Set-Cookie", []):
        for morsel in SimpleCookie(line).values():
            jar[morsel.key] = morsel.value
    return jar


def test_a_page_served_through_the_entry(entry, caplog):
    with caplog.at_level(logging.INFO, logger="arena_site.access"):
        response = entry.lambda_handler(rest_event(path="/"), None)
    assert response["statusCode"] == 200
    assert "isBase64Encoded" not in response
    assert response["headers"]["Content-Type"].startswith("text/html")
    assert "LLM Duel Arena" in response["body"]
    # API Gateway's request id reached the app (it is echoed for bug reports).
    assert response["headers"]["X-Request-Id"] == "req-123"
    assert response["multiValueHeaders"]["X-Request-Id"] == ["req-123"]
    [line] = [r for r in caplog.records if r.name == "arena_site.access"]
    assert line.getMessage().startswith("GET / 200 ")
    assert line.status_code == 200


def test_a_sign_up_sets_both_cookies_and_redirects_under_the_stage(entry):
    form = entry.lambda_handler(rest_event(path="/accounts/signup"), None)
    assert form["statusCode"] == 200
    token = _cookies(form)["csrftoken"]
    body = urlencode(
        {"username": "entrant", "password1": "knight-fork-on-e7", "password2": "knight-fork-on-e7"}
        | {"csrfmiddlewaretoken": token}
    )
    signed_up = entry.lambda_handler(
        rest_event(
            "POST",
            "/accounts/signup",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token}",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}/dev/accounts/signup",
            },
            body=body,
        ),
        None,
    )
    assert signed_up["statusCode"] == 302, signed_up.get("body", "")[:2000]
    assert signed_up["headers"]["Location"].startswith("/dev/")
    # Two Set-Cookie lines survive side by side (a dict of single headers would keep one).
    assert {"sessionid", "csrftoken"} <= set(_cookies(signed_up))
    assert len(signed_up["multiValueHeaders"]["Set-Cookie"]) >= 2


def test_a_missing_page_is_django_404_not_an_error(entry):
    response = entry.lambda_handler(rest_event(path="/no/such/page"), None)
    assert response["statusCode"] == 404


def test_a_crash_outside_django_is_a_plain_500_and_logged(entry, monkeypatch, caplog):
    def broken(environ, start_response):
        raise RuntimeError("boom")

    monkeypatch.setattr(lambda_entry._Loaded, "app", broken)
    with caplog.at_level(logging.ERROR, logger="arena_site.access"):
        response = entry.lambda_handler(rest_event(path="/"), None)
    assert response == {
        "statusCode": 500,
        "headers": {"Content-Type": "text/plain; charset=utf-8"},
        "body": "Internal Server Error",
    }
    assert "boom" in caplog.text


@pytest.mark.parametrize(
    "event",
    [
        {"command": "zappa.asynchronous.route_lambda_task", "task_path": "arena_site.tasks.run_task"},
        {"detail-type": "Scheduled Event", "resources": ["arn:aws:events:::rule/x-resume"]},
        {"manage": "create_tables"},
        {"version": "2.0", "rawPath": "/", "requestContext": {"http": {"method": "GET"}}},
        {**rest_event(), "requestContext": {"elb": {"targetGroupArn": "arn"}}},
        {},
    ],
    ids=["async task", "scheduled", "manage", "HTTP API v2", "ALB", "keep-warm"],
)
def test_every_other_event_goes_to_zappas_handler(event, monkeypatch):
    received = []
    zappa_handler = types.ModuleType("handler")
    zappa_handler.lambda_handler = lambda event, context: received.append(event) or "handled"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "handler", zappa_handler)
    assert lambda_entry.lambda_handler(event, "context") == "handled"
    assert received == [event]


def test_binary_bodies_are_base64_only_with_binary_support():
    png = b"\x89PNG\r\n\x1a\n\x00"
    assert lambda_entry._encode_body(png, [("Content-Type", "image/png")], True) == (
        base64.b64encode(png).decode(),
        True,
    )
    assert lambda_entry._encode_body(b"{}", [("Content-Type", "application/json")], True) == ("{}", False)
    assert lambda_entry._encode_body(
        b"x", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], True
    )[1]
    assert lambda_entry._encode_body("é".encode(), [("Content-Type", "text/html")], False) == ("é", False)


GC_SCRIPT = """
import gc, json, sys
from arena_site import lambda_entry
off_at_import = not gc.isenabled()
lambda_entry._collect_as_usual()
print(json.dumps({"off_at_import": off_at_import, "on_after": gc.isenabled(),
                  "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.parametrize("on_lambda", [True, False])
def test_garbage_collection_waits_for_start_up_only_on_lambda(on_lambda):
    env = {k: v for k, v in os.environ.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
    if on_lambda:
        env["AWS_LAMBDA_FUNCTION_NAME"] = "llm-duel-arena-dev"
    out = subprocess.run(
        [sys.executable, "-c", GC_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out)
    assert result["off_at_import"] is on_lambda
    assert result["on_after"] is True
    assert (result["frozen"] > 0) is on_lambda
