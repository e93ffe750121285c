"""What Lambda calls for every event (``lambda_handler`` in zappa_settings.json).

Web requests, i.e. API Gateway REST proxy events (the only HTTP front this project deploys), go
straight to Django's WSGI handler. Every other event goes to Zappa's own handler, loaded only
then: Zappa's async tasks, the scheduled resume, keep-warm, ``zappa manage`` and ``invoke``,
and the HTTP API v2 and ALB shapes.

Why: Zappa's handler serves every kind of event, so it imports boto3 (with s3transfer and
multiprocessing), werkzeug and asyncio up front. Without .pyc files, as on Lambda, that is about
a third of a page's cold start, and a page needs none of it. The mapping below follows Zappa
0.63's for REST events: the stage as script name, context header mappings, multi-value headers
and query strings, the client address, binary bodies. tests/arena_site/test_lambda_entry.py
holds it to Zappa's own, environ for environ.

Nothing here imports Django until the first web request, so importing this module is cheap.
"""

from __future__ import annotations

import base64
import gc
import importlib
import io
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlencode

log = logging.getLogger("arena_site.access")

# Zappa's BINARY_METHODS and DEFAULT_TEXT_MIMETYPES (zappa.utilities), which importing would
# bring boto3 along.
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS")
_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/ecmascript",
    "application/xml",
    "application/xml-external-parsed-entity",
    "application/xml-dtd",
    "image/svg+xml",
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


# Before the first page, some 750 modules load. Meanwhile Python's cyclic garbage collector would
# walk the growing heap again and again, for garbage that is hardly there (-X importtime, .pyc
# present: 540 ms of imports instead of 806 with it on). So on Lambda it waits until Django is
# set up; then what start-up made, which lives as long as the process, is frozen out of its
# sight, and it runs as usual.
if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    gc.disable()


def _collect_as_usual() -> None:
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class _Loaded:
    settings: ModuleType | None = None
    app: WSGIApp | None = None


def lambda_handler(event: Any, context: Any) -> Any:
    if is_rest_request(event):
        return handle_rest(event, context)
    _collect_as_usual()  # a task may run for minutes
    from handler import lambda_handler as zappa_handler  # the copy Zappa packages at the root

    return zappa_handler(event, context)


def is_rest_request(event: Any) -> bool:
    """An API Gateway REST API proxy event (payload 1.0); not an ALB or HTTP API v2 one."""
    if not isinstance(event, dict) or not event.get("httpMethod") or event.get("version") == "2.0":
        return False
    return not (event.get("requestContext") or {}).get("elb")


def zappa_settings() -> ModuleType:
    """The stage's settings Zappa packs as zappa_settings.py, applied to the process once, as
    Zappa's handler applies them: its environment variables, the Django settings module and the
    log level."""
    if _Loaded.settings is None:
        settings = importlib.import_module("zappa_settings")
        os.environ["SERVERTYPE"] = "AWS Lambda"
        os.environ["FRAMEWORK"] = "Zappa"
        os.environ["PROJECT"] = settings.PROJECT_NAME
        os.environ["STAGE"] = settings.API_STAGE
        os.environ.update(settings.ENVIRONMENT_VARIABLES)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.DJANGO_SETTINGS)
        if settings.LOG_LEVEL:
            logging.getLogger().setLevel(settings.LOG_LEVEL)
        _Loaded.settings = settings
    return _Loaded.settings


def application() -> WSGIApp:
    if _Loaded.app is None:
        zappa_settings()
        # Zappa's handler adds the task root too; the package is there on Lambda.
        if "/var/task" not in sys.path:
            sys.path.append("/var/task")
        from django.core.wsgi import get_wsgi_application

        _Loaded.app = get_wsgi_application()
        _collect_as_usual()
    return _Loaded.app


def handle_rest(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    settings = zappa_settings()
    for key, value in (event.get("stageVariables") or {}).items():
        os.environ[key] = value
    try:
        environ = wsgi_environ(event, context, settings)
        status, headers, body = _run(application(), environ)
    except Exception:
        log.exception("uncaught exception serving %s %s", event.get("httpMethod"), event.get("path"))
        return {
            "statusCode": 500,
            "headers": {"Content-Type": "text/plain; charset=utf-8"},
            "body": "Internal Server Error",
        }
    response: dict[str, Any] = {"statusCode": status}
    if body:
        response["body"], encoded = _encode_body(body, headers, settings.BINARY_SUPPORT)
        if encoded:
            response["isBase64Encoded"] = True
    if "headers" in event:
        response["headers"] = {name: value for name, value in headers}
    if "multiValueHeaders" in event:
        multi: dict[str, list[str]] = {}
        for name, value in headers:
            multi.setdefault(name, []).append(value)
        response["multiValueHeaders"] = multi
    log.info(
        "%s %s %s %d bytes in %.0f ms",
        environ["REQUEST_METHOD"],
        environ["PATH_INFO"],
        status,
        len(body),
        (time.perf_counter() - started) * 1000,
        extra={"status_code": status},
    )
    return response


def wsgi_environ(event: dict[str, Any], context: Any, settings: ModuleType) -> dict[str, Any]:
    """The WSGI environ Zappa's handler builds for a REST proxy event."""
    method = event["httpMethod"]
    raw_headers = event.get("headers") or {}
    headers = {name.title(): value for name, value in _merged_headers(event).items()}
    path = unquote(event["path"])
    if "multiValueQueryStringParameters" in event:
        query = event["multiValueQueryStringParameters"]
        query_string = urlencode(query, doseq=True) if query else ""
    else:
        query = event.get("queryStringParameters") or {}
        query_string = urlencode(query) if query else ""

    request_context = event.get("requestContext") or {}
    authorizer = request_context.get("authorizer")
    remote_user = None
    if authorizer:
        remote_user = authorizer.get("principalId")
    elif request_context.get("identity"):
        remote_user = request_context["identity"].get("userArn")
    for header, context_path in (settings.CONTEXT_HEADER_MAPPINGS or {}).items():
        value: Any = request_context
        for part in context_path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            headers[header] = value

    # The REST API strips the stage from the path; links must put it back, unless the site is
    # served from its own domain.
    host = raw_headers.get("Host")
    script_name = ""
    if (host and "amazonaws.com" in host) or (not host and not settings.DOMAIN):
        script_name = f"/{settings.API_STAGE}"
    base_path = getattr(settings, "BASE_PATH", None)
    if base_path:
        script_name = f"/{base_path}"
        if path.startswith(script_name):
            path = path[len(script_name) :]

    body = event.get("body")
    if settings.BINARY_SUPPORT and method in _BODY_METHODS and event.get("isBase64Encoded"):
        body = base64.b64decode(body) if body else b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    body = body or b""

    # API Gateway appends the address it saw to X-Forwarded-For; what the client wrote comes
    # before. Zappa takes the last but one (CloudFront's view of the client, behind the edge).
    forwarded = headers.get("X-Forwarded-For", "")
    if "," in forwarded:
        remote_addr = [address.strip() for address in forwarded.split(",")][-2]
    else:
        remote_addr = forwarded or "127.0.0.1"

    environ: dict[str, Any] = {
        "PATH_INFO": _wsgi_string(path),
        "QUERY_STRING": _wsgi_string(query_string),
        "REMOTE_ADDR": remote_addr,
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": script_name,
        "SERVER_NAME": "zappa",
        "SERVER_PORT": headers.get("X-Forwarded-Port", "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTPS": "on",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multiprocess": False,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
        "lambda.context": context,
        "lambda.event": event,
    }
    if authorizer:
        environ["API_GATEWAY_AUTHORIZER"] = authorizer
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if "Content-Type" in headers:
            environ["CONTENT_TYPE"] = headers["Content-Type"]
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = str(value)
    if remote_user:
        environ["REMOTE_USER"] = remote_user
    return environ


def _merged_headers(event: dict[str, Any]) -> dict[str, str]:
    """headers and multiValueHeaders as one dict; repeated values joined (cookies with "; ")."""
    merged = dict(event.get("multiValueHeaders") or {})
    for name, value in (event.get("headers") or {}).items():
        merged.setdefault(name, [value])
    return {
        name: ("; " if name.lower() == "cookie" else ", ").join(values) for name, values in merged.items()
    }


def _wsgi_string(text: str) -> str:
    return text.encode("utf-8").decode("iso-8859-1")


def _run(app: WSGIApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    started: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
        if exc_info and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started["status"], started["headers"] = status, headers
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()  # Django's request_finished signal
    return int(started["status"].split(" ", 1)[0]), list(started["headers"]), b"".join(chunks)


def _encode_body(body: bytes, headers: list[tuple[str, str]], binary_support: bool) -> tuple[str, bool]:
    """API Gateway wants text; with binary support on, compressed or non-text bodies go base64."""
    if binary_support:
        values = {name.lower(): value for name, value in headers}
        mimetype = values.get("content-type", "").split(";")[0].strip().lower()
        if values.get("content-encoding") or not mimetype.startswith(_TEXT_TYPES):
            return base64.b64encode(body).decode("ascii"), True
    return body.decode("utf-8", "replace"), False
