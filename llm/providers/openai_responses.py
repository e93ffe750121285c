"""OpenAI through the Responses API (``client.responses.create``), with the official SDK.

Imported lazily by ``llm.client`` only (importing ``openai`` is slow). Also home of what the
two ``openai``-SDK providers share: the SDK's exception classes and the client factory.
"""

from __future__ import annotations

from typing import Any

import openai
from openai.types.responses import Response

from llm.providers import SdkErrors, call_sdk, malformed, server_detail
from llm.types import CallOptions, Completion, ErrorKind, Message, ProviderError, Usage

OPENAI_ERRORS = SdkErrors(
    status=openai.APIStatusError,
    timeout=openai.APITimeoutError,
    connection=openai.APIConnectionError,
    validation=openai.APIResponseValidationError,
)


def openai_client(api_key: str, base_url: str | None) -> openai.OpenAI:
    # Timeout and retries are set per call (CallOptions), via with_options.
    return openai.OpenAI(api_key=api_key, base_url=base_url)


def per_call(client: openai.OpenAI, options: CallOptions) -> openai.OpenAI:
    """The client with this call's timeout and retry budget (shares the connection pool)."""
    return client.with_options(timeout=options.timeout, max_retries=options.max_retries)


def as_int(value: object) -> int | None:
    """A token count as the SDK parsed it (it does not validate: a count may be missing)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class OpenAIResponsesProvider:
    name = "OpenAI"

    def __init__(self, *, api_key: str, base_url: str | None = None) -> None:
        if not api_key:
            raise ProviderError(ErrorKind.NO_CREDENTIALS, "No OpenAI API key is configured")
        self._api_key = api_key
        self._client = openai_client(api_key, base_url)

    def complete(self, model: str, messages: list[Message], options: CallOptions) -> Completion:
        system = [m.content for m in messages if m.role == "system"]
        kwargs: dict[str, Any] = {
            "model": model,
            "input": [{"role": m.role, "content": m.content} for m in messages if m.role != "system"],
            "store": False,
            "max_output_tokens": options.max_output_tokens,
        }
        if system:
            kwargs["instructions"] = "\n\n".join(system)
        if options.temperature is not None:
            kwargs["temperature"] = options.temperature
        if options.reasoning_effort is not None:
            kwargs["reasoning"] = {"effort": options.reasoning_effort, "summary": "auto"}
        client = per_call(self._client, options)
        response, latency_ms = call_sdk(
            lambda: client.responses.create(**kwargs),
            provider=self.name,
            errors=OPENAI_ERRORS,
            options=options,
            secrets=[self._api_key],
        )
        return self._completion(response, latency_ms)

    def _completion(self, response: object, latency_ms: int) -> Completion:
        # The SDK does not validate bodies: a non-JSON content type comes back as a str, a JSON
        # body of the wrong shape as a Response whose fields are None.
        if not isinstance(response, Response) or not isinstance(response.output, list):
            raise malformed(self.name, "a response without output")
        if response.status == "failed":
            error = response.error
            detail = server_detail(getattr(error, "message", None), [self._api_key])
            raise ProviderError(
                ErrorKind.SERVER, f"{self.name} failed to answer" + (f": {detail}" if detail else "")
            )
        reasoning: list[str] = []
        extra: dict[str, Any] = {}
        try:
            text = response.output_text
            for item in response.output:
                if getattr(item, "type", None) == "reasoning":
                    # The summary (OpenAI); open-weight models served over this API (vLLM,
                    # gpt-oss) return the raw reasoning as ``content`` instead.
                    parts = getattr(item, "summary", None) or getattr(item, "content", None) or []
                    reasoning.extend(p.text for p in parts if isinstance(getattr(p, "text", None), str))
                elif getattr(item, "type", None) == "message":
                    for part in getattr(item, "content", None) or []:
                        if getattr(part, "type", None) == "refusal":
                            extra["refusal"] = part.refusal
        except (AttributeError, TypeError) as exc:
            raise malformed(self.name, "a response with unreadable output") from exc
        finish_reason: str | None = response.status
        if response.status == "incomplete" and response.incomplete_details is not None:
            finish_reason = response.incomplete_details.reason or finish_reason
        return Completion(
            text=text,
            reasoning="\n\n".join(reasoning) if reasoning else None,
            usage=_usage(response),
            latency_ms=latency_ms,
            model=response.model if isinstance(response.model, str) else "",
            finish_reason=finish_reason,
            extra=extra,
        )


def _usage(response: Response) -> Usage | None:
    return usage_from(
        response.usage, ("input_tokens", "input_tokens_details"), ("output_tokens", "output_tokens_details")
    )


def usage_from(usage: Any, input_names: tuple[str, str], output_names: tuple[str, str]) -> Usage | None:
    """Usage from either OpenAI API: the Responses API says input/output_tokens, Chat
    Completions prompt/completion_tokens; both nest cached and reasoning tokens in details."""
    if usage is None:
        return None
    input_tokens = as_int(getattr(usage, input_names[0], None))
    output_tokens = as_int(getattr(usage, output_names[0], None))
    if input_tokens is None or output_tokens is None:
        return None
    input_details = getattr(usage, input_names[1], None)
    output_details = getattr(usage, output_names[1], None)
    return Usage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=as_int(getattr(input_details, "cached_tokens", None)) or 0,
        reasoning_tokens=as_int(getattr(output_details, "reasoning_tokens", None)),
    )
