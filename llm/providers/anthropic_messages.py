"""Anthropic through the Messages API (``client.messages.create``), with the official SDK.

Imported lazily by ``llm.client`` only (importing ``anthropic`` is slow).

A reasoning effort turns on extended thinking with a token budget; the answer still gets
``max_output_tokens`` on top of it. Temperature is never sent with thinking (the API refuses
the pair). This SDK version has no ``temperature`` parameter at all, so it goes in
``extra_body``.
"""

from __future__ import annotations

from typing import Any

import anthropic
from anthropic.types import Message as AnthropicMessage
from anthropic.types import TextBlock, ThinkingBlock

from llm.providers import SdkErrors, call_sdk, malformed
from llm.types import CallOptions, Completion, ErrorKind, Message, ProviderError, Usage

ANTHROPIC_ERRORS = SdkErrors(
    status=anthropic.APIStatusError,
    timeout=anthropic.APITimeoutError,
    connection=anthropic.APIConnectionError,
    validation=anthropic.APIResponseValidationError,
)

# Thinking budget per reasoning effort (the API's minimum budget is 1024).
THINKING_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 4096, "high": 16000}


class AnthropicProvider:
    name = "Anthropic"

    def __init__(self, *, api_key: str, base_url: str | None = None) -> None:
        if not api_key:
            raise ProviderError(ErrorKind.NO_CREDENTIALS, "No Anthropic API key is configured")
        self._api_key = api_key
        # An explicit key: the SDK then ignores ANTHROPIC_* credential variables and profiles.
        self._client = anthropic.Anthropic(api_key=api_key, base_url=base_url)

    def complete(self, model: str, messages: list[Message], options: CallOptions) -> Completion:
        system = [m.content for m in messages if m.role == "system"]
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in messages if m.role != "system"],
            "max_tokens": options.max_output_tokens,
            # Always explicit: without it the SDK refuses large non-streaming max_tokens.
            "timeout": options.timeout,
        }
        if system:
            kwargs["system"] = "\n\n".join(system)
        if options.reasoning_effort not in (None, "none"):  # "none": OpenAI's "no reasoning"
            budget = THINKING_BUDGETS.get(options.reasoning_effort)
            if budget is None:
                raise ProviderError(
                    ErrorKind.BAD_REQUEST,
                    f"{self.name} has no thinking budget for reasoning effort {options.reasoning_effort}",
                )
            kwargs["thinking"] = {"type": "enabled", "budget_tokens": budget}
            kwargs["max_tokens"] = budget + options.max_output_tokens
        elif options.temperature is not None:
            kwargs["extra_body"] = {"temperature": options.temperature}
        client = self._client.with_options(max_retries=options.max_retries)
        response, latency_ms = call_sdk(
            lambda: client.messages.create(**kwargs),
            provider=self.name,
            errors=ANTHROPIC_ERRORS,
            options=options,
            secrets=[self._api_key],
        )
        return self._completion(response, latency_ms)

    def _completion(self, response: object, latency_ms: int) -> Completion:
        # The SDK does not validate bodies: a non-JSON content type comes back as a str, a JSON
        # body of the wrong shape as a Message whose fields are None.
        if not isinstance(response, AnthropicMessage) or not isinstance(response.content, list):
            raise malformed(self.name, "a response without content")
        texts: list[str] = []
        thinking: list[str] = []
        for block in response.content:
            if isinstance(block, TextBlock) and isinstance(block.text, str):
                texts.append(block.text)
            elif isinstance(block, ThinkingBlock) and isinstance(block.thinking, str):
                thinking.append(block.thinking)
            # redacted_thinking (encrypted) and tool blocks carry nothing to show.
        stop_reason = response.stop_reason
        return Completion(
            text="".join(texts),
            reasoning="\n\n".join(thinking) if thinking else None,
            usage=_usage(response),
            latency_ms=latency_ms,
            model=response.model if isinstance(response.model, str) else "",
            finish_reason=stop_reason if isinstance(stop_reason, str) else None,
        )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _usage(response: AnthropicMessage) -> Usage | None:
    usage = getattr(response, "usage", None)
    if usage is None:
        return None
    uncached = _int(getattr(usage, "input_tokens", None))
    output_tokens = _int(getattr(usage, "output_tokens", None))
    if uncached is None or output_tokens is None:
        return None
    cache_read = _int(getattr(usage, "cache_read_input_tokens", None)) or 0
    cache_write = _int(getattr(usage, "cache_creation_input_tokens", None)) or 0
    details = getattr(usage, "output_tokens_details", None)
    return Usage(
        # Anthropic's input_tokens counts only the uncached part; ours counts all input.
        input_tokens=uncached + cache_read + cache_write,
        output_tokens=output_tokens,
        cached_input_tokens=cache_read,
        cache_write_tokens=cache_write,
        reasoning_tokens=_int(getattr(details, "thinking_tokens", None)),
    )
