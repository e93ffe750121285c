"""Structured logs: one JSON object per line with the request id and the match id.

CloudWatch (and any log tool) can then filter a single request or a single match across the
web request and the tasks it started: ``{ $.match_id = "k3x9..." }``. The ids live in context
variables set by :class:`RequestContextMiddleware` (web requests) and by
:func:`match_context` (runner tasks). Nothing secret is logged: requests are logged by path
only, never headers, cookies or bodies, and anything shaped like an API key is blanked out.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponseBase

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
match_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("match_id", default=None)

# OpenAI (sk-..., sk-proj-...), Anthropic (sk-ant-...) and bearer tokens.
_SECRET_RE = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,})")


def redact(text: str) -> str:
    return _SECRET_RE.sub("[redacted]", text)


_make_record = logging.getLogRecordFactory()


def _record_with_ids(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Stamp the ids on a record when it is made (in the request's or task's context), since
    a handler may format it later, elsewhere."""
    record = _make_record(*args, **kwargs)
    record.request_id = request_id.get()
    record.match_id = match_id.get()
    return record


logging.setLogRecordFactory(_record_with_ids)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in ("request_id", "match_id"):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class RequestContextMiddleware:
    """Sets the request id (API Gateway's, else Lambda's, else a new one) and, for match URLs,
    the match id, for every log line written while the request is served. The request id is
    also returned in ``X-Request-Id`` so a user's report can be found in the logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = _request_id(request)
        # Set, not reset afterwards: Django logs a 4xx/5xx ("Bad Request: ...") after the
        # middleware chain returns, and that line belongs to this request too. The next
        # request in this thread (or Lambda) sets both again.
        request_id.set(rid)
        match_id.set(None)
        response = self.get_response(request)
        response["X-Request-Id"] = rid
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]) -> None:
        if "match_id" in kwargs:
            match_id.set(str(kwargs["match_id"])[:40])


def _request_id(request: HttpRequest) -> str:
    event = request.META.get("lambda.event")
    if isinstance(event, dict):
        rid = (event.get("requestContext") or {}).get("requestId")
        if rid:
            return str(rid)
    context = request.META.get("lambda.context")
    if context is not None and getattr(context, "aws_request_id", None):
        return str(context.aws_request_id)
    return uuid.uuid4().hex


@contextlib.contextmanager
def match_context(match: str) -> Iterator[None]:
    """Tag the log lines of a task with the match it works on."""
    token = match_id.set(match)
    try:
        yield
    finally:
        match_id.reset(token)
