"""The three providers, with the real SDK clients, against the scripted fake server.

What goes over the wire (request bodies, headers) and what comes back (text, reasoning, usage,
errors mapped to ProviderError) for the OpenAI Responses API, OpenAI-compatible Chat
Completions and the Anthropic Messages API.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from llm.providers import Provider
from llm.providers.anthropic_messages import AnthropicProvider
from llm.providers.openai_chat import OpenAIChatProvider
from llm.providers.openai_responses import OpenAIResponsesProvider
from llm.types import CallOptions, ErrorKind, Message, ProviderError, Usage
from tests.llm.fake_servers import (
    CHAT,
    FAST_RETRY,
    MESSAGES,
    RESPONSES,
    FakeLLMServer,
    Reply,
    anthropic_body,
    anthropic_error,
    chat_body,
    fake_llm_server,  # noqa: F401 (a fixture)
    openai_error,
    responses_body,
)

OPENAI_KEY = "sk-proj-TESTKEY0openai0abcdef123456"
ANTHROPIC_KEY = "sk-ant-api03-TESTKEY0anthropic0xyz987654"
CHAT_KEY = "sk-or-v1-TESTKEY0chat0424242"
ALL_KEYS = (OPENAI_KEY, ANTHROPIC_KEY, CHAT_KEY)

CHAT_MESSAGES = [
    Message("system", "You play chess. Answer with one move in UCI."),
    Message("user", "Position: start. Your move?"),
    Message("assistant", "e2e4"),
    Message("user", "Illegal? No, fine. Black played e7e5. Your move?"),
]
OPTIONS = CallOptions(timeout=5.0, max_retries=2, max_output_tokens=1000)


@pytest.fixture
def server(fake_llm_server: FakeLLMServer) -> FakeLLMServer:  # noqa: F811
    return fake_llm_server


def responses_provider(server: FakeLLMServer | str) -> OpenAIResponsesProvider:
    return OpenAIResponsesProvider(api_key=OPENAI_KEY, base_url=f"{_url(server)}/v1")


def chat_provider(server: FakeLLMServer | str) -> OpenAIChatProvider:
    return OpenAIChatProvider(api_key=CHAT_KEY, base_url=f"{_url(server)}/v1")


def anthropic_provider(server: FakeLLMServer | str) -> AnthropicProvider:
    return AnthropicProvider(api_key=ANTHROPIC_KEY, base_url=_url(server))


def _url(server: FakeLLMServer | str) -> str:
    return server if isinstance(server, str) else server.url


@dataclass(frozen=True)
class Case:
    """One provider, for the tests every provider must pass."""

    id: str
    path: str
    make: Callable[[FakeLLMServer | str], Provider]  # (the server or its URL) -> a provider
    ok: Callable[[], dict[str, Any]]
    error: Callable[[str, str], dict[str, Any]]  # (message, type) -> the provider's error body
    no_usage: Callable[[], dict[str, Any]]
    # Valid JSON, but not this API's response.
    wrong_shape: dict[str, Any]
    label: str  # how error messages name the provider


def _openai_err(message: str, type: str) -> dict[str, Any]:
    return openai_error(message, type=type)


CASES = [
    Case(
        "responses",
        RESPONSES,
        responses_provider,
        lambda: responses_body("e7e5"),
        _openai_err,
        lambda: responses_body("e7e5", usage=False),
        {"id": "resp_1", "object": "response", "status": "completed"},
        "OpenAI",
    ),
    Case(
        "chat",
        CHAT,
        chat_provider,
        lambda: chat_body("e7e5"),
        _openai_err,
        lambda: chat_body("e7e5", usage=False),
        {"id": "chatcmpl-1", "object": "chat.completion", "model": "qwen3:8b"},
        "127.0.0.1",
    ),
    Case(
        "anthropic",
        MESSAGES,
        anthropic_provider,
        lambda: anthropic_body("e7e5"),
        lambda message, type: anthropic_error(message, type=type),
        lambda: anthropic_body("e7e5", usage=False),
        {"id": "msg_1", "type": "message", "role": "assistant"},
        "Anthropic",
    ),
]
by_case = pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])


def call(case: Case, server: FakeLLMServer, options: CallOptions = OPTIONS) -> Any:
    return case.make(server).complete("some-model", CHAT_MESSAGES, options)


def failure(case: Case, server: FakeLLMServer, options: CallOptions = OPTIONS) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        call(case, server, options)
    error = info.value
    for key in ALL_KEYS:
        assert key not in error.message
        assert key not in str(error)
    return error


# -- OpenAI Responses API ----------------------------------------------------------------------


def test_responses_plain_reply_and_request(server: FakeLLMServer) -> None:
    server.script(RESPONSES, Reply(body=responses_body("e7e5", model="gpt-5-mini-2025-08-07")))

    completion = responses_provider(server).complete("gpt-5-mini", CHAT_MESSAGES, OPTIONS)

    assert completion.text == "e7e5"
    assert completion.reasoning is None
    assert completion.model == "gpt-5-mini-2025-08-07"
    assert completion.finish_reason == "completed"
    assert isinstance(completion.latency_ms, int)
    assert completion.latency_ms >= 0
    (request,) = server.requests
    assert request.path == RESPONSES
    assert request.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert request.body == {
        "model": "gpt-5-mini",
        "instructions": "You play chess. Answer with one move in UCI.",
        "input": [
            {"role": "user", "content": "Position: start. Your move?"},
            {"role": "assistant", "content": "e2e4"},
            {"role": "user", "content": "Illegal? No, fine. Black played e7e5. Your move?"},
        ],
        "store": False,
        "max_output_tokens": 1000,
    }  # no temperature, no reasoning: the model's defaults


def test_responses_reasoning_summary_temperature_and_usage(server: FakeLLMServer) -> None:
    body = responses_body(
        "g1f3",
        reasoning=["**Developing**\n\nThe knight comes out.", "**Checking** nothing hangs."],
        input_tokens=2000,
        cached_tokens=1536,
        output_tokens=700,
        reasoning_tokens=640,
    )
    server.script(RESPONSES, Reply(body=body))
    options = CallOptions(timeout=5.0, temperature=0.3, reasoning_effort="low", max_output_tokens=800)

    completion = responses_provider(server).complete("o4-mini", CHAT_MESSAGES, options)

    assert completion.text == "g1f3"
    assert completion.reasoning == "**Developing**\n\nThe knight comes out.\n\n**Checking** nothing hangs."
    assert completion.usage == Usage(
        input_tokens=2000,
        output_tokens=700,
        cached_input_tokens=1536,
        cache_write_tokens=0,
        reasoning_tokens=640,
    )
    sent = server.last.body
    assert sent["temperature"] == 0.3
    assert sent["reasoning"] == {"effort": "low", "summary": "auto"}
    assert sent["max_output_tokens"] == 800


def test_responses_incomplete_reports_why(server: FakeLLMServer) -> None:
    body = responses_body(
        "", reasoning=["Thinking..."], status="incomplete", incomplete_reason="max_output_tokens"
    )
    server.script(RESPONSES, Reply(body=body))

    completion = responses_provider(server).complete("o4-mini", CHAT_MESSAGES, OPTIONS)

    assert completion.text == ""
    assert completion.reasoning == "Thinking..."
    assert completion.finish_reason == "max_output_tokens"


def test_responses_without_system_message_sends_no_instructions(server: FakeLLMServer) -> None:
    server.script(RESPONSES, Reply(body=responses_body()))

    responses_provider(server).complete("gpt-5-mini", [Message("user", "Your move?")], OPTIONS)

    assert "instructions" not in server.last.body
    assert server.last.body["input"] == [{"role": "user", "content": "Your move?"}]


# -- OpenAI-compatible Chat Completions --------------------------------------------------------


def test_chat_plain_reply_and_request(server: FakeLLMServer) -> None:
    server.script(CHAT, Reply(body=chat_body("e7e5", model="qwen3:8b")))

    completion = chat_provider(server).complete("qwen3:8b", CHAT_MESSAGES, OPTIONS)

    assert completion.text == "e7e5"
    assert completion.reasoning is None
    assert completion.model == "qwen3:8b"
    assert completion.finish_reason == "stop"
    assert completion.usage == Usage(input_tokens=100, output_tokens=30, cached_input_tokens=0)
    (request,) = server.requests
    assert request.path == CHAT
    assert request.headers["authorization"] == f"Bearer {CHAT_KEY}"
    assert request.body == {
        "model": "qwen3:8b",
        "messages": [{"role": m.role, "content": m.content} for m in CHAT_MESSAGES],
        "max_tokens": 1000,
    }


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_chat_reasoning_from_extra_field(server: FakeLLMServer, field: str) -> None:
    body = chat_body("d2d4", reasoning="Queen's pawn is solid.", reasoning_field=field)
    server.script(CHAT, Reply(body=body))

    completion = chat_provider(server).complete("deepseek-r1", CHAT_MESSAGES, OPTIONS)

    assert completion.text == "d2d4"
    assert completion.reasoning == "Queen's pawn is solid."


def test_chat_reasoning_inline_think_tags(server: FakeLLMServer) -> None:
    server.script(
        CHAT,
        Reply(body=chat_body("<think>\nThe centre matters.\n</think>\n\nd2d4")),
        Reply(body=chat_body("<think>\nStill thinking when the tokens ran out", finish_reason="length")),
    )
    provider = chat_provider(server)

    first = provider.complete("qwen3", CHAT_MESSAGES, OPTIONS)
    cut = provider.complete("qwen3", CHAT_MESSAGES, OPTIONS)

    assert (first.text, first.reasoning) == ("d2d4", "The centre matters.")
    assert (cut.text, cut.reasoning, cut.finish_reason) == (
        "",
        "Still thinking when the tokens ran out",
        "length",
    )


def test_chat_usage_details_temperature_and_effort(server: FakeLLMServer) -> None:
    body = chat_body(
        "c2c4", prompt_tokens=900, cached_tokens=512, completion_tokens=300, reasoning_tokens=256
    )
    server.script(CHAT, Reply(body=body))
    options = CallOptions(timeout=5.0, temperature=0.0, reasoning_effort="high")

    completion = chat_provider(server).complete("gpt-oss:20b", CHAT_MESSAGES, options)

    assert completion.usage == Usage(
        input_tokens=900, output_tokens=300, cached_input_tokens=512, reasoning_tokens=256
    )
    assert server.last.body["temperature"] == 0.0  # set, even though falsy
    assert server.last.body["reasoning_effort"] == "high"
    assert server.last.body["max_tokens"] == 4096


def test_chat_without_key_sends_a_placeholder_not_the_environment_key(
    server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-SECRET-do-not-leak")
    server.script(CHAT, Reply(body=chat_body()))

    OpenAIChatProvider(api_key=None, base_url=f"{server.url}/v1").complete("llama3", CHAT_MESSAGES, OPTIONS)

    assert server.last.headers["authorization"] == "Bearer not-needed"


def test_chat_empty_choices_and_missing_content_are_malformed(server: FakeLLMServer) -> None:
    no_choices = {**chat_body(), "choices": []}
    no_content = chat_body(None)
    server.script(CHAT, Reply(body=no_choices), Reply(body=no_content))
    provider = chat_provider(server)

    for _ in range(2):
        with pytest.raises(ProviderError) as info:
            provider.complete("llama3", CHAT_MESSAGES, OPTIONS)
        assert info.value.kind is ErrorKind.MALFORMED
        assert info.value.retryable


# -- Anthropic Messages API --------------------------------------------------------------------


def test_anthropic_plain_reply_and_request(server: FakeLLMServer) -> None:
    server.script(MESSAGES, Reply(body=anthropic_body("e7e5", model="claude-sonnet-4-6")))

    completion = anthropic_provider(server).complete("claude-sonnet-4-6", CHAT_MESSAGES, OPTIONS)

    assert completion.text == "e7e5"
    assert completion.reasoning is None
    assert completion.model == "claude-sonnet-4-6"
    assert completion.finish_reason == "end_turn"
    (request,) = server.requests
    assert request.path == MESSAGES
    # This SDK version sends the key as a bearer token (older ones used x-api-key).
    assert (
        request.headers.get("x-api-key") == ANTHROPIC_KEY
        or request.headers.get("authorization") == f"Bearer {ANTHROPIC_KEY}"
    )
    assert "anthropic-version" in request.headers
    assert request.body == {
        "model": "claude-sonnet-4-6",
        "system": "You play chess. Answer with one move in UCI.",
        "messages": [{"role": m.role, "content": m.content} for m in CHAT_MESSAGES[1:]],
        "max_tokens": 1000,
    }


def test_anthropic_system_messages_are_joined(server: FakeLLMServer) -> None:
    server.script(MESSAGES, Reply(body=anthropic_body()))
    messages = [Message("system", "Rules."), Message("system", "Format."), Message("user", "Move?")]

    anthropic_provider(server).complete("claude-sonnet-4-6", messages, OPTIONS)

    assert server.last.body["system"] == "Rules.\n\nFormat."
    assert server.last.body["messages"] == [{"role": "user", "content": "Move?"}]


def test_anthropic_temperature_without_thinking(server: FakeLLMServer) -> None:
    server.script(MESSAGES, Reply(body=anthropic_body()))

    anthropic_provider(server).complete("claude-sonnet-4-6", CHAT_MESSAGES, CallOptions(temperature=0.7))

    assert server.last.body["temperature"] == 0.7
    assert "thinking" not in server.last.body


@pytest.mark.parametrize(
    ("effort", "budget"), [("minimal", 1024), ("low", 1024), ("medium", 4096), ("high", 16000)]
)
def test_anthropic_thinking_budget_and_never_temperature(
    server: FakeLLMServer, effort: str, budget: int
) -> None:
    server.script(MESSAGES, Reply(body=anthropic_body()))
    options = CallOptions(timeout=5.0, temperature=0.7, reasoning_effort=effort, max_output_tokens=1000)

    anthropic_provider(server).complete("claude-sonnet-4-6", CHAT_MESSAGES, options)

    sent = server.last.body
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": budget}
    assert sent["max_tokens"] == budget + 1000
    assert "temperature" not in sent


def test_anthropic_thinking_text_and_total_input_usage(server: FakeLLMServer) -> None:
    body = anthropic_body(
        "b1c3",
        thinking=["The knight defends e4.", "And eyes d5."],
        redacted_thinking=True,
        stop_reason="end_turn",
        input_tokens=12,
        cache_read_input_tokens=3000,
        cache_creation_input_tokens=400,
        output_tokens=900,
    )
    server.script(MESSAGES, Reply(body=body))
    options = CallOptions(timeout=5.0, reasoning_effort="medium")

    completion = anthropic_provider(server).complete("claude-sonnet-4-6", CHAT_MESSAGES, options)

    assert completion.text == "b1c3"
    assert completion.reasoning == "The knight defends e4.\n\nAnd eyes d5."
    assert completion.usage == Usage(
        input_tokens=12 + 3000 + 400,
        output_tokens=900,
        cached_input_tokens=3000,
        cache_write_tokens=400,
        reasoning_tokens=None,
    )


def test_anthropic_thinking_tokens_when_reported(server: FakeLLMServer) -> None:
    body = anthropic_body("a2a3", thinking=["Waiting move."], output_tokens=500)
    body["usage"]["output_tokens_details"] = {"thinking_tokens": 420}
    server.script(MESSAGES, Reply(body=body))

    completion = anthropic_provider(server).complete("claude-sonnet-4-6", CHAT_MESSAGES, OPTIONS)

    assert completion.usage is not None
    assert completion.usage.reasoning_tokens == 420
    assert completion.usage.output_tokens == 500


def test_anthropic_unknown_effort_is_refused_before_any_request(server: FakeLLMServer) -> None:
    with pytest.raises(ProviderError) as info:
        anthropic_provider(server).complete(
            "claude-sonnet-4-6", CHAT_MESSAGES, CallOptions(reasoning_effort="max!")
        )

    assert info.value.kind is ErrorKind.BAD_REQUEST
    assert server.requests == []


# -- every provider ----------------------------------------------------------------------------


@by_case
def test_no_usage_means_usage_none(server: FakeLLMServer, case: Case) -> None:
    server.script(case.path, Reply(body=case.no_usage()))

    completion = call(case, server)

    assert completion.text == "e7e5"
    assert completion.usage is None


@by_case
def test_latency_is_measured_around_the_call(server: FakeLLMServer, case: Case) -> None:
    server.script(case.path, Reply(body=case.ok(), delay=0.15))

    completion = call(case, server)

    assert 150 <= completion.latency_ms < 5000


@by_case
def test_rate_limit_then_success(server: FakeLLMServer, case: Case) -> None:
    server.script(
        case.path,
        Reply(429, case.error("Rate limit reached for requests", "rate_limit_error"), FAST_RETRY),
        Reply(body=case.ok()),
    )

    completion = call(case, server)

    assert completion.text == "e7e5"
    assert len(server.requests) == 2


@by_case
def test_rate_limit_until_retries_run_out(server: FakeLLMServer, case: Case) -> None:
    too_many = Reply(429, case.error("Rate limit reached for requests", "rate_limit_error"), FAST_RETRY)
    server.script(case.path, too_many, too_many, too_many)

    error = failure(case, server)

    assert error.kind is ErrorKind.RATE_LIMIT
    assert error.retryable
    assert error.status == 429
    assert error.message.startswith(f"{case.label}")
    assert "rate limit (429) after 2 retries" in error.message
    assert len(server.requests) == 3


@by_case
def test_server_errors_until_retries_run_out(server: FakeLLMServer, case: Case) -> None:
    overloaded = Reply(503, case.error("The server is overloaded", "overloaded_error"), FAST_RETRY)
    server.script(case.path, *[overloaded] * (OPTIONS.max_retries + 1))

    error = failure(case, server)

    assert error.kind is ErrorKind.SERVER
    assert error.retryable
    assert error.status == 503
    assert "(503)" in error.message
    assert case.label in error.message
    assert "after 2 retries" in error.message
    assert len(server.requests) == OPTIONS.max_retries + 1


@by_case
def test_timeout(server: FakeLLMServer, case: Case) -> None:
    server.script(case.path, Reply(body=case.ok(), delay=3))

    # 1 s, not less: a cold connection on a loaded CI machine must still reach the server
    # before the client gives up, so that it is the reply that times out.
    error = failure(case, server, CallOptions(timeout=1.0, max_retries=0))

    assert error.kind is ErrorKind.TIMEOUT
    assert error.retryable
    assert "within 1 s" in error.message
    assert len(server.requests) == 1


def test_timeout_is_retried(server: FakeLLMServer) -> None:
    case = CASES[0]
    server.script(case.path, Reply(body=case.ok(), delay=3), Reply(body=case.ok(), delay=3))

    error = failure(case, server, CallOptions(timeout=0.2, max_retries=1))

    assert error.kind is ErrorKind.TIMEOUT
    assert "after 1 retry" in error.message
    assert len(server.requests) == 2


@by_case
def test_connection_refused(case: Case) -> None:
    with socket.socket() as bound_not_listening:  # connecting to it is refused, without a race
        bound_not_listening.bind(("127.0.0.1", 0))
        port = bound_not_listening.getsockname()[1]
        provider = case.make(f"http://127.0.0.1:{port}")
        with pytest.raises(ProviderError) as info:
            provider.complete("some-model", CHAT_MESSAGES, CallOptions(timeout=2.0, max_retries=0))

    assert info.value.kind is ErrorKind.CONNECTION
    assert info.value.retryable
    assert f"127.0.0.1:{port}" in info.value.message or case.label in info.value.message


@by_case
@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b'{"id": "resp_1", "output": [', {}),
        Reply(200, b"<html>Bad gateway</html>", {"content-type": "text/html"}),
        Reply(200, [1, 2, 3]),
    ],
    ids=["truncated-json", "html", "json-list"],
)
def test_unreadable_body_is_malformed(server: FakeLLMServer, case: Case, reply: Reply) -> None:
    server.script(case.path, reply)

    error = failure(case, server)

    assert error.kind is ErrorKind.MALFORMED
    assert error.retryable
    assert case.label in error.message
    assert len(server.requests) == 1


@by_case
def test_json_of_the_wrong_shape_is_malformed(server: FakeLLMServer, case: Case) -> None:
    server.script(case.path, Reply(body=case.wrong_shape))

    error = failure(case, server)

    assert error.kind is ErrorKind.MALFORMED


@by_case
def test_wrong_key_is_auth_and_not_retried(server: FakeLLMServer, case: Case) -> None:
    # OpenAI quotes (part of) the key in its 401 message; this server quotes all of it.
    body = case.error(f"Incorrect API key provided: {' '.join(ALL_KEYS)}.", "authentication_error")
    server.script(case.path, Reply(401, body, FAST_RETRY))

    error = failure(case, server)

    assert error.kind is ErrorKind.AUTH
    assert not error.retryable
    assert error.status == 401
    assert "(401)" in error.message
    assert case.label in error.message
    assert len(server.requests) == 1


@by_case
def test_unknown_model_is_bad_request_with_the_servers_words(server: FakeLLMServer, case: Case) -> None:
    body = case.error(f"model: no-such-model not found (key {' '.join(ALL_KEYS)})", "not_found_error")
    server.script(case.path, Reply(404, body, FAST_RETRY))

    error = failure(case, server)

    assert error.kind is ErrorKind.BAD_REQUEST
    assert not error.retryable
    assert error.status == 404
    assert "(404)" in error.message
    assert "no-such-model not found" in error.message
    assert "[redacted]" in error.message
    assert len(server.requests) == 1


@by_case
def test_error_messages_never_carry_the_request(server: FakeLLMServer, case: Case) -> None:
    server.script(case.path, Reply(400, case.error("Bad parameter.", "invalid_request_error")))

    error = failure(case, server)

    assert error.kind is ErrorKind.BAD_REQUEST
    for message in CHAT_MESSAGES:
        assert message.content not in error.message
    assert "authorization" not in error.message.lower()
    assert "Bearer" not in error.message


def test_importing_the_package_loads_no_sdk() -> None:
    code = (
        "import sys, llm.providers; assert not {'openai', 'anthropic'} & set(sys.modules), sys.modules.keys()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
