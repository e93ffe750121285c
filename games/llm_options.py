"""What an LLM match is configured with, and its running totals: plain data, cheap to import.

Kept apart from games.llm_turn (which loads the reply parser, the prompts and the llm client)
so that web requests creating or showing matches never import the machinery of a turn.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from llm.types import CallOptions

REASONING_EFFORTS = ("minimal", "low", "medium", "high")
# strict: the state and the moves so far; assisted: also the legal moves.
PROTOCOLS = ("strict", "assisted")


@dataclass(frozen=True)
class LLMOptions:
    """Match options for its LLM sides, with the defaults a new match gets."""

    protocol: str = "strict"  # "strict": FEN + moves; "assisted": also the legal moves
    attempts: int = 3  # replies per move before on_exhausted applies
    on_exhausted: str = "forfeit"  # "forfeit" (lose) or "random" (a flagged random legal move)
    token_budget: int = 0  # per side, input + output tokens; 0: unlimited
    dollar_budget: float = 0.0  # per match, both sides together; 0: unlimited
    timeout: float = 60.0  # seconds per call
    temperature: float | None = None
    reasoning_effort: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LLMOptions:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in (data or {}).items() if key in known})

    def call_options(self) -> CallOptions:
        return CallOptions(
            timeout=self.timeout, temperature=self.temperature, reasoning_effort=self.reasoning_effort
        )

    @property
    def lease_seconds(self) -> float:
        """Long enough for one call with all of the SDK's retries and their backoff."""
        return self.timeout * (CallOptions.max_retries + 1) + 60


def empty_totals() -> dict[str, Any]:
    return {
        "calls": 0,
        "tokens_in": 0,
        "tokens_out": 0,
        "cached_tokens": 0,
        "reasoning_tokens": 0,
        "cost": 0.0,
        "unpriced_calls": 0,  # calls whose cost is unknown (no usage reported, or no price)
        "rejected": 0,
        "random_moves": 0,
        "latency_ms": 0,
    }


def initial_totals(seats: tuple[str, ...] = ("white", "black")) -> dict[str, Any]:
    return {seat: empty_totals() for seat in seats}
