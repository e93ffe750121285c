"""The one seam to language models: ``complete(model_ref, messages, options)``.

Provider SDKs are imported here lazily, on the first call of a task: importing openai costs
about 0.7 s and anthropic 1.8 s of Lambda cold start, and web requests never need them
(a test asserts that). Tests replace providers at the network: base URLs in settings point
the real SDKs at a local fake server.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.conf import settings

from llm import credentials
from llm.catalog import ANTHROPIC, OPENAI, endpoints, get_model
from llm.types import CallOptions, Completion, ErrorKind, Message, ProviderError

if TYPE_CHECKING:
    from llm.providers import Provider

_providers: dict[tuple[str, str | None, str | None], Provider] = {}
_lock = threading.Lock()


def complete(model_ref: str, messages: list[Message], options: CallOptions) -> Completion:
    """Ask ``model_ref`` (``openai:gpt-4o`` ...) for a reply; raises ProviderError on failure."""
    model = get_model(model_ref)
    provider = _provider(model.provider)
    return provider.complete(model.id, messages, model.adapt(options))


def _provider(name: str) -> Provider:
    key = credentials.api_key(name)
    base_url = _base_url(name)
    cache_key = (name, key, base_url)
    with _lock:
        if cache_key not in _providers:
            _providers[cache_key] = _build(name, key, base_url)
        return _providers[cache_key]


def _base_url(name: str) -> str | None:
    if name == OPENAI:
        return settings.ARENA_OPENAI_BASE_URL
    if name == ANTHROPIC:
        return settings.ARENA_ANTHROPIC_BASE_URL
    endpoint = endpoints().get(name)
    if endpoint is None:
        raise ProviderError(
            ErrorKind.BAD_REQUEST, f"The endpoint {name!r} is no longer configured on this server."
        )
    return endpoint.base_url


def _build(name: str, key: str | None, base_url: str | None) -> Provider:
    # Lazy imports on purpose (cold start, see the module docstring).
    if name == OPENAI:
        from llm.providers.openai_responses import OpenAIResponsesProvider

        assert key is not None
        return OpenAIResponsesProvider(api_key=key, base_url=base_url)
    if name == ANTHROPIC:
        from llm.providers.anthropic_messages import AnthropicProvider

        assert key is not None
        return AnthropicProvider(api_key=key, base_url=base_url)
    from llm.providers.openai_chat import OpenAIChatProvider

    assert base_url is not None
    return OpenAIChatProvider(api_key=key, base_url=base_url, name=name)


def forget_providers() -> None:
    """Drop cached SDK clients (tests change base URLs and keys)."""
    with _lock:
        _providers.clear()
