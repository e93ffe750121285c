"""OpenAI-compatible servers (Ollama, vLLM, LM Studio, OpenRouter...) through Chat Completions
(``client.chat.completions.create``), with the official ``openai`` SDK.

Imported lazily by ``llm.client`` only. Reasoning models on these servers return their thinking
in a non-standard message field (``reasoning_content``: vLLM, DeepSeek; ``reasoning``: Ollama,
OpenRouter), or inline as ``<think>...</think>`` at the start of the content (some local
servers without a reasoning parser); all three end up in ``Completion.reasoning``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from openai.types.chat import ChatCompletion

from llm.providers import call_sdk, malformed
from llm.providers.openai_responses import OPENAI_ERRORS, openai_client, per_call, usage_from
from llm.types import CallOptions, Completion, Message, Usage

# Sent when the server needs no key (local servers ignore it). Never the OPENAI_API_KEY of the
# environment, which the SDK would otherwise pick up and send to a third-party server.
NO_KEY = "not-needed"

_REASONING_FIELDS = ("reasoning_content", "reasoning")


class OpenAIChatProvider:
    def __init__(self, *, api_key: str | None, base_url: str, name: str | None = None) -> None:
        """``name`` is how errors call the server; by default its host[:port] (never the whole
        URL, which might carry credentials)."""
        self._api_key = api_key
        self._client = openai_client(api_key or NO_KEY, base_url)
        self.name = name or _host(base_url)

    def complete(self, model: str, messages: list[Message], options: CallOptions) -> Completion:
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": options.max_output_tokens,
        }
        if options.temperature is not None:
            kwargs["temperature"] = options.temperature
        if options.reasoning_effort is not None:
            kwargs["reasoning_effort"] = options.reasoning_effort
        client = per_call(self._client, options)
        response, latency_ms = call_sdk(
            lambda: client.chat.completions.create(**kwargs),
            provider=self.name,
            errors=OPENAI_ERRORS,
            options=options,
            secrets=[self._api_key],
        )
        return self._completion(response, latency_ms)

    def _completion(self, response: object, latency_ms: int) -> Completion:
        # The SDK does not validate bodies (see openai_responses): check the shape ourselves.
        if not isinstance(response, ChatCompletion) or not isinstance(response.choices, list):
            raise malformed(self.name, "a response without choices")
        if not response.choices:
            raise malformed(self.name, "a response with no choices")
        choice = response.choices[0]
        message = getattr(choice, "message", None)
        content = getattr(message, "content", None)
        if message is None or not (content is None or isinstance(content, str)):
            raise malformed(self.name, "a response without a message")
        reasoning = _reasoning_field(message)
        text = content or ""
        if reasoning is None:
            text, reasoning = _split_think(text)
        extra: dict[str, Any] = {}
        refusal = getattr(message, "refusal", None)
        if isinstance(refusal, str) and refusal:
            extra["refusal"] = refusal
        if content is None and reasoning is None and not extra:
            raise malformed(self.name, "a message with no content")
        finish_reason = getattr(choice, "finish_reason", None)
        return Completion(
            text=text,
            reasoning=reasoning,
            usage=_usage(response),
            latency_ms=latency_ms,
            model=response.model if isinstance(response.model, str) else "",
            finish_reason=finish_reason if isinstance(finish_reason, str) else None,
            extra=extra,
        )


def _host(base_url: str) -> str:
    parts = urlsplit(base_url)
    if not parts.hostname:
        return "the model server"
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


def _reasoning_field(message: object) -> str | None:
    extras = getattr(message, "model_extra", None) or {}
    for field in _REASONING_FIELDS:
        value = extras.get(field, getattr(message, field, None))
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _split_think(content: str) -> tuple[str, str | None]:
    """``<think>thoughts</think>answer`` -> (answer, thoughts). Unclosed (cut off by the token
    limit): all thinking, no answer."""
    stripped = content.lstrip()
    if not stripped.startswith("<think>"):
        return content, None
    thoughts, closed, answer = stripped[len("<think>") :].partition("</think>")
    if not closed:
        return "", thoughts.strip() or None
    return answer.strip(), thoughts.strip() or None


def _usage(response: ChatCompletion) -> Usage | None:
    return usage_from(
        response.usage,
        ("prompt_tokens", "prompt_tokens_details"),
        ("completion_tokens", "completion_tokens_details"),
    )
