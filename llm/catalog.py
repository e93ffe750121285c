"""The model catalog: which models can play, what they cost, what they support.

Built-in models come from ``llm/catalog.json``; OpenAI-compatible endpoints (Ollama, vLLM,
LM Studio, OpenRouter ...) declare theirs in ``settings.ARENA_LLM_ENDPOINTS``. A model is
referred to as ``<provider>:<model id>`` (``openai:gpt-4o``, ``ollama:llama3.1:8b``).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from llm.types import CallOptions, Usage

OPENAI = "openai"
ANTHROPIC = "anthropic"
BUILTIN_PROVIDERS = (OPENAI, ANTHROPIC)
PROVIDER_LABELS = {OPENAI: "OpenAI", ANTHROPIC: "Anthropic"}
_CATALOG_PATH = Path(__file__).with_name("catalog.json")
_ENDPOINT_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


class UnknownModelError(ValueError):
    pass


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible server: a name, a base URL, and the env var holding its key (if any)."""

    name: str
    base_url: str
    api_key_env: str | None


@dataclass(frozen=True)
class Model:
    provider: str
    id: str
    name: str
    # USD per 1M tokens; None means unknown (cost is then unknown, never guessed).
    input: float | None
    output: float | None
    cached_input: float | None = None
    cache_write: float | None = None
    context_window: int | None = None
    reasoning: bool = False
    temperature: bool = True

    @property
    def ref(self) -> str:
        return f"{self.provider}:{self.id}"

    @property
    def provider_label(self) -> str:
        return PROVIDER_LABELS.get(self.provider, self.provider)

    def adapt(self, options: CallOptions) -> CallOptions:
        """Drop knobs the model does not take, so a match option never breaks a call."""
        return replace(
            options,
            temperature=options.temperature if self.temperature else None,
            reasoning_effort=options.reasoning_effort if self.reasoning else None,
        )

    def cost(self, usage: Usage | None) -> float | None:
        """USD for one call, from the usage the provider reported; None when unknowable."""
        if usage is None or self.input is None or self.output is None:
            return None
        cached_price = self.cached_input if self.cached_input is not None else self.input
        write_price = self.cache_write if self.cache_write is not None else self.input
        uncached = max(0, usage.input_tokens - usage.cached_input_tokens - usage.cache_write_tokens)
        total = (
            uncached * self.input
            + usage.cached_input_tokens * cached_price
            + usage.cache_write_tokens * write_price
            + usage.output_tokens * self.output
        )
        return round(total / 1_000_000, 8)


def _model_from(data: dict[str, Any], provider: str | None = None) -> Model:
    fields = {key: value for key, value in data.items() if not key.startswith("_")}
    if provider is not None:
        fields["provider"] = provider
    try:
        return Model(**fields)
    except TypeError as exc:
        raise ImproperlyConfigured(f"bad model entry {data!r}: {exc}") from None


@functools.cache
def endpoints() -> dict[str, Endpoint]:
    found: dict[str, Endpoint] = {}
    for raw in settings.ARENA_LLM_ENDPOINTS:
        name = str(raw.get("name", ""))
        if not _ENDPOINT_NAME.match(name) or name in BUILTIN_PROVIDERS:
            raise ImproperlyConfigured(
                f"ARENA_LLM_ENDPOINTS: endpoint name {name!r} must be lowercase letters, digits and dashes, "
                "and not 'openai' or 'anthropic'"
            )
        if not str(raw.get("base_url", "")).startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"ARENA_LLM_ENDPOINTS: endpoint {name!r} needs an http(s) base_url")
        found[name] = Endpoint(name, str(raw["base_url"]), raw.get("api_key_env") or None)
    return found


@functools.cache
def models() -> dict[str, Model]:
    """Every playable model by reference, built-in first, then each endpoint's."""
    found: dict[str, Model] = {}
    for entry in json.loads(_CATALOG_PATH.read_text())["models"]:
        model = _model_from(entry)
        found[model.ref] = model
    for raw in settings.ARENA_LLM_ENDPOINTS:
        for entry in raw.get("models", []):
            entry = {"name": entry.get("id"), "input": None, "output": None, **entry}
            model = _model_from(entry, provider=raw["name"])
            found[model.ref] = model
    return found


def is_provider(name: str) -> bool:
    return name in BUILTIN_PROVIDERS or name in endpoints()


def get_model(ref: str) -> Model:
    """The catalog entry for ``ref``; a model dropped from the catalog still resolves (for old
    matches) as an unknown-price model of its provider."""
    model = models().get(ref)
    if model is not None:
        return model
    provider, _, model_id = ref.partition(":")
    if not model_id or not _ENDPOINT_NAME.match(provider):
        raise UnknownModelError(f"Unknown model {ref!r}.")
    # Also for an endpoint no longer configured: its old matches must still display.
    return Model(provider=provider, id=model_id, name=model_id, input=None, output=None)
