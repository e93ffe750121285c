"""The vocabulary of the llm seam: messages in, a completion (text, reasoning, usage) out.

Nothing here imports a provider SDK: web requests import this module freely.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class CallOptions:
    """Per-call knobs. None means "the model's default" (and is not sent)."""

    timeout: float = 60.0
    temperature: float | None = None
    # "minimal" | "low" | "medium" | "high" (OpenAI reasoning effort; mapped to a thinking
    # budget for Anthropic).
    reasoning_effort: str | None = None
    max_output_tokens: int = 4096
    # Retries of rate limits (429) and server errors (5xx, timeouts) inside one call, with the
    # SDK's exponential backoff (it honours Retry-After).
    max_retries: int = 3


@dataclass(frozen=True)
class Usage:
    """Tokens as the provider reported them. ``input_tokens`` counts every input token,
    cached or not; ``output_tokens`` includes reasoning/thinking tokens (they are billed as
    output)."""

    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        return cls(**data)


@dataclass(frozen=True)
class Completion:
    text: str
    # The reasoning summary (OpenAI) or thinking text (Anthropic, some compatible servers),
    # when the provider returned one.
    reasoning: str | None
    # None when the provider reported no usage: costs are then "unknown", never estimated.
    usage: Usage | None
    latency_ms: int
    model: str = ""  # the model id the provider says answered
    finish_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ErrorKind(enum.StrEnum):
    RATE_LIMIT = "rate_limit"  # 429 after the SDK's retries
    SERVER = "server"  # 5xx after retries
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    MALFORMED = "malformed"  # a body we could not understand
    AUTH = "auth"  # 401/403: a wrong or missing key
    BAD_REQUEST = "bad_request"  # 400/404/422: unknown model, bad parameter
    NO_CREDENTIALS = "no_credentials"


RETRYABLE_KINDS = frozenset(
    {ErrorKind.RATE_LIMIT, ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.CONNECTION, ErrorKind.MALFORMED}
)


class ProviderError(Exception):
    """A call that failed after the SDK's own retries. The message is shown to players, so it
    never contains a key or a request body."""

    def __init__(self, kind: ErrorKind, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status

    @property
    def retryable(self) -> bool:
        """Worth trying again later (pause and resume), as opposed to failing the match now."""
        return self.kind in RETRYABLE_KINDS
