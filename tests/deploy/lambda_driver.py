"""Plays a Lambda container: run in a fresh interpreter (``python -I -S``) whose only code is the
unzipped package (and the libraries the Lambda runtime provides), this imports the handler the
deployed function is configured with (``arena_site.lambda_entry.lambda_handler``, which hands
anything but a web request to Zappa's) and feeds it real API Gateway REST proxy events, then the
Zappa async-task event the web request sent, then the scheduled event. Prints one JSON report.

Usage: python -I -S lambda_driver.py <package dir> <runtime dir> <scenario.json>
Nothing here imports the project's source tree: sys.path is the package and the runtime dir.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import time
import uuid
from http.cookies import SimpleCookie
from typing import Any

PACKAGE, RUNTIME, SCENARIO = sys.argv[1:4]
sys.path[:0] = [PACKAGE, RUNTIME]
with open(SCENARIO) as handle:
    scenario = json.load(handle)
HOST = scenario["host"]
STAGE = scenario["stage"]

report: dict[str, Any] = {"steps": [], "sys_path_outside": []}


class Context:
    """What Lambda passes as the context argument (the parts Zappa and the app read)."""

    function_name = scenario["function_name"]
    memory_limit_in_mb = 1024
    invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{scenario['function_name']}"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


# The function's configured handler, as Lambda imports it (module.function).
started = time.perf_counter()
_module, _, _function = scenario["handler"].rpartition(".")
lambda_handler = getattr(importlib.import_module(_module), _function)
report["handler_import_ms"] = round((time.perf_counter() - started) * 1000)

# Keep every async task the app sends (they still go to the Lambda API, i.e. to moto), so that
# the same message can be delivered to this "container" as Lambda would deliver it. Patched
# after the first page, which must load none of Zappa's task machinery.
sent: list[dict[str, Any]] = []


def _record_sent_tasks() -> None:
    from zappa import asynchronous

    real_send = asynchronous.LambdaAsyncResponse._send

    def recording_send(self: Any, message: dict[str, Any]) -> None:
        real_send(self, message)
        sent.append(json.loads(json.dumps(message)))

    asynchronous.LambdaAsyncResponse._send = recording_send  # type: ignore[method-assign]


cookies: dict[str, str] = {}


def rest_event(method: str, path: str, form: dict[str, str] | None = None) -> dict[str, Any]:
    """An API Gateway REST API proxy event (payload format 1.0), as a real request makes."""
    headers = {
        "Host": HOST,
        "User-Agent": "rehearsal",
        "X-Forwarded-For": "203.0.113.9, 130.176.0.1",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
        "Accept": "text/html",
    }
    body = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if form is not None:
        from urllib.parse import urlencode

        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{HOST}"
        headers["Referer"] = f"https://{HOST}/{STAGE}/"
        body = urlencode({**form, "csrfmiddlewaretoken": cookies.get("csrftoken", "")})
    path_only, _, query = path.partition("?")
    params = dict(pair.split("=", 1) for pair in query.split("&")) if query else None
    return {
        "resource": "/{proxy+}",
        "path": path_only,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": params,
        "multiValueQueryStringParameters": {k: [v] for k, v in params.items()} if params else None,
        "pathParameters": {"proxy": path_only.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{STAGE}{path_only}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "rehearsal"},
            "domainName": HOST,
            "apiId": HOST.split(".")[0],
        },
        "body": body,
        "isBase64Encoded": False,
    }


def call(name: str, event: dict[str, Any]) -> dict[str, Any]:
    began = time.perf_counter()
    response = lambda_handler(event, Context()) or {}
    ms = round((time.perf_counter() - began) * 1000)
    step: dict[str, Any] = {"name": name, "ms": ms}
    if "statusCode" in response:
        headers = response.get("multiValueHeaders") or {}
        for raw in headers.get("Set-Cookie", []) + headers.get("set-cookie", []):
            for morsel in SimpleCookie(raw).values():
                cookies[morsel.key] = morsel.value
        single = response.get("headers") or {}
        step.update(
            status=response["statusCode"],
            location=single.get("Location") or (headers.get("Location") or [None])[0],
            csp=single.get("Content-Security-Policy")
            or (headers.get("Content-Security-Policy") or [None])[0],
            body=response.get("body", "")[:200_000],
        )
    else:
        step["result"] = response
    report["steps"].append(step)
    return step


first = call("home", rest_event("GET", "/"))
report["cold_ms"] = report["handler_import_ms"] + first["ms"]
report["loaded_by_first_page"] = sorted(
    name
    for name in ("boto3", "s3transfer", "werkzeug", "handler", "zappa.handler", "openai", "anthropic")
    if name in sys.modules
)
_record_sent_tasks()
call("new match form", rest_event("GET", "/matches/new"))
created = call("create match", rest_event("POST", "/matches/new", {"white": "human", "black": "engine:1"}))
match_path = re.sub(rf"^/{STAGE}", "", created["location"] or "")
match_id = match_path.strip("/").split("/")[-1]
report["match_id"] = match_id
call("move", rest_event("POST", f"{match_path}move", {"move": "e4"}))
call("match page", rest_event("GET", match_path))
call("json", rest_event("GET", f"/api/matches/{match_id}"))
call("healthz", rest_event("GET", "/healthz"))

# The engine's reply was sent as an async task: deliver it as Lambda would.
report["async_messages"] = list(sent)
for message in list(sent):
    call("async task", message)
call("match page after the task", rest_event("GET", match_path))

# A bot-vs-bot match whose first step is lost (sent, never delivered): the scheduled event
# must find it and send it again.
lost = call("create bot match", rest_event("POST", "/matches/new", {"white": "random", "black": "engine:1"}))
report["stalled_match_id"] = re.sub(rf"^/{STAGE}", "", lost["location"] or "").strip("/").split("/")[-1]
sent.clear()
time.sleep(scenario["stall_seconds"] + 0.5)
call(
    "scheduled",
    {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-12-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [scenario["schedule_rule_arn"]],
        "detail": {},
    },
)
report["resumed_messages"] = list(sent)
for message in list(sent)[:1]:
    call("resumed task", message)
report["modules_from_outside"] = sorted(
    {
        name
        for name, module in list(sys.modules.items())
        if name not in ("__main__", "__mp_main__")
        and getattr(module, "__file__", None)
        and not str(module.__file__).startswith((PACKAGE, RUNTIME, sys.base_prefix))
    }
)
report["llm_sdks_loaded"] = [name for name in ("openai", "anthropic") if name in sys.modules]
# A task does need them: they must import from the trimmed package (httpx2 reads its own
# dist-info metadata, so trimming those would break every LLM turn but no page).
report["llm_sdks_importable"] = []
for sdk in ("openai", "anthropic"):
    try:
        __import__(sdk)
        report["llm_sdks_importable"].append(sdk)
    except Exception as exc:  # report, do not crash the driver
        report.setdefault("llm_sdk_errors", []).append(f"{sdk}: {exc!r}")
print("REPORT " + json.dumps(report))
