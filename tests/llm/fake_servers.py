"""A scripted fake of three LLM wire formats, served on 127.0.0.1 for the real SDK clients.

Endpoints: OpenAI Responses (``/v1/responses``), OpenAI-compatible Chat Completions
(``/v1/chat/completions``) and Anthropic Messages (``/v1/messages``). A test queues replies per
path with ``server.script(path, *replies)``; every request that arrives is recorded (path,
headers, JSON body) in ``server.requests``, in order. A request with nothing queued for its path
gets a 500 with ``x-should-retry: false`` so it fails loudly instead of hanging.

Point the SDKs at it: ``OpenAI(base_url=f"{server.url}/v1")``, ``Anthropic(base_url=server.url)``.

The builders below produce bodies in each provider's real shape (as their APIs document and
return them), so the SDKs' own parsing is exercised, not a simplification of it.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

RESPONSES = "/v1/responses"
CHAT = "/v1/chat/completions"
MESSAGES = "/v1/messages"

# Makes the SDKs' retries (429, 5xx) near-instant instead of their 0.5 s+ exponential backoff.
FAST_RETRY = {"retry-after-ms": "1"}


@dataclass(frozen=True)
class Reply:
    """One scripted response. ``body``: a dict/list is sent as JSON, bytes as they are."""

    status: int = 200
    body: dict[str, Any] | list[Any] | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering (longer than the client's timeout to provoke one).
    delay: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: Any  # the decoded JSON body, or None when it was not JSON
    raw: bytes


class FakeLLMServer:
    """A ThreadingHTTPServer on 127.0.0.1 (free port) in a daemon thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Reply]] = defaultdict(deque)
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            # A short poll: shutdown() waits for it (the default 0.5 s per test adds up).
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-llm-server",
            daemon=True,
        )

    # -- scripting -------------------------------------------------------------------------

    def script(self, path: str, *replies: Reply) -> None:
        """Queue replies for ``path`` (e.g. ``/v1/responses``), served first in, first out."""
        with self._lock:
            self._queues[path].extend(replies)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    @property
    def last(self) -> RecordedRequest:
        with self._lock:
            return self.requests[-1]

    def pending(self, path: str) -> int:
        """Replies still queued for ``path`` (0 once the test consumed its script)."""
        with self._lock:
            return len(self._queues[path])

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping on a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- used by the handler ---------------------------------------------------------------

    def _take(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            queue = self._queues[request.path]
            if queue:
                return queue.popleft()
        return Reply(
            500,
            {"error": {"message": f"fake server: nothing scripted for {request.path}", "type": "unscripted"}},
            {"x-should-retry": "false"},
        )


def _make_handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self._serve()

        def do_GET(self) -> None:
            self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            recorded = RecordedRequest(
                method=self.command,
                path=urlsplit(self.path).path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                raw=raw,
            )
            reply = server._take(recorded)
            if reply.delay and server._stopping.wait(reply.delay):
                return
            if isinstance(reply.body, bytes):
                payload = reply.body
            elif reply.body is None:
                payload = b""
            else:
                payload = json.dumps(reply.body).encode()
            headers = {"content-type": "application/json", **{k.lower(): v for k, v in reply.headers.items()}}
            try:
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.send_header("connection", "close")
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout) before we answered

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def fake_llm_server() -> Iterator[FakeLLMServer]:
    server = FakeLLMServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- bodies in each provider's real format -----------------------------------------------------


def _id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex}"


def responses_body(
    text: str = "e2e4",
    *,
    reasoning: list[str] | None = None,
    model: str = "gpt-5-mini-2025-08-07",
    status: str = "completed",
    incomplete_reason: str | None = None,
    usage: bool = True,
    input_tokens: int = 120,
    cached_tokens: int = 0,
    output_tokens: int = 40,
    reasoning_tokens: int = 0,
) -> dict[str, Any]:
    """A Responses API ``response`` object: optional reasoning item (with a summary), then the
    assistant message with one ``output_text`` part."""
    output: list[dict[str, Any]] = []
    if reasoning is not None:
        output.append(
            {
                "id": _id("rs_"),
                "type": "reasoning",
                "summary": [{"type": "summary_text", "text": part} for part in reasoning],
            }
        )
    output.append(
        {
            "id": _id("msg_"),
            "type": "message",
            "status": "completed" if status == "completed" else "incomplete",
            "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
        }
    )
    return {
        "id": _id("resp_"),
        "object": "response",
        "created_at": 1760000000,
        "status": status,
        "background": False,
        "error": None,
        "incomplete_details": {"reason": incomplete_reason} if incomplete_reason else None,
        "instructions": None,
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": model,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "reasoning": {"effort": "medium" if reasoning is not None else None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": False,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cached_tokens": cached_tokens},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
            "total_tokens": input_tokens + output_tokens,
        }
        if usage
        else None,
        "user": None,
        "metadata": {},
    }


def chat_body(
    text: str | None = "e2e4",
    *,
    reasoning: str | None = None,
    reasoning_field: str = "reasoning_content",
    model: str = "qwen3:8b",
    finish_reason: str = "stop",
    usage: bool = True,
    prompt_tokens: int = 100,
    cached_tokens: int | None = None,
    completion_tokens: int = 30,
    reasoning_tokens: int | None = None,
) -> dict[str, Any]:
    """A ``chat.completion`` object. ``reasoning`` goes into the message's extra field
    ``reasoning_field`` (vLLM/DeepSeek: ``reasoning_content``; Ollama, OpenRouter: ``reasoning``).
    The ``*_details`` objects are included only when given (local servers usually omit them)."""
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    if reasoning is not None:
        message[reasoning_field] = reasoning
    usage_body: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    if cached_tokens is not None:
        usage_body["prompt_tokens_details"] = {"cached_tokens": cached_tokens, "audio_tokens": 0}
    if reasoning_tokens is not None:
        usage_body["completion_tokens_details"] = {
            "reasoning_tokens": reasoning_tokens,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        }
    body: dict[str, Any] = {
        "id": _id("chatcmpl-"),
        "object": "chat.completion",
        "created": 1760000000,
        "model": model,
        "system_fingerprint": "fp_ollama",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
    }
    if usage:
        body["usage"] = usage_body
    return body


def anthropic_body(
    text: str = "e2e4",
    *,
    thinking: list[str] | None = None,
    redacted_thinking: bool = False,
    model: str = "claude-sonnet-4-6",
    stop_reason: str = "end_turn",
    usage: bool = True,
    input_tokens: int = 50,
    cache_read_input_tokens: int = 0,
    cache_creation_input_tokens: int = 0,
    output_tokens: int = 30,
) -> dict[str, Any]:
    """A Messages API ``message``: thinking blocks (with signatures), an optional
    redacted_thinking block, then one text block; usage with the prompt-cache fields."""
    content: list[dict[str, Any]] = [
        {"type": "thinking", "thinking": part, "signature": "EqQBCgIYAhIM" + uuid.uuid4().hex}
        for part in thinking or []
    ]
    if redacted_thinking:
        content.append(
            {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a" + uuid.uuid4().hex}
        )
    content.append({"type": "text", "text": text, "citations": None})
    body: dict[str, Any] = {
        "id": _id("msg_01"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
    }
    if usage:
        body["usage"] = {
            "input_tokens": input_tokens,
            "cache_creation_input_tokens": cache_creation_input_tokens,
            "cache_read_input_tokens": cache_read_input_tokens,
            "cache_creation": {
                "ephemeral_5m_input_tokens": cache_creation_input_tokens,
                "ephemeral_1h_input_tokens": 0,
            },
            "output_tokens": output_tokens,
            "service_tier": "standard",
        }
    return body


def openai_error(
    message: str, *, type: str = "invalid_request_error", code: str | None = None
) -> dict[str, Any]:
    """OpenAI's error envelope (also used by most OpenAI-compatible servers)."""
    return {"error": {"message": message, "type": type, "param": None, "code": code}}


def anthropic_error(message: str, *, type: str = "invalid_request_error") -> dict[str, Any]:
    """Anthropic's error envelope."""
    return {"type": "error", "error": {"type": type, "message": message}, "request_id": _id("req_011")}
