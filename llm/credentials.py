"""API keys: from the environment, or (on Lambda) from SSM Parameter Store / Secrets Manager.

Keys are read when a task needs them, once per process, and cached. Nothing here logs a key,
and availability checks (for the new-match form) never call AWS.
"""

from __future__ import annotations

import os
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from arena_site.env import read_secret
from llm.catalog import ANTHROPIC, OPENAI, endpoints
from llm.types import ErrorKind, ProviderError

_KEY_NAMES = {OPENAI: "OPENAI_API_KEY", ANTHROPIC: "ANTHROPIC_API_KEY"}
_cache: dict[str, str | None] = {}
_lock = threading.Lock()


def key_name(provider: str) -> str | None:
    """The name of the key a provider needs, or None when it needs none (a local server)."""
    if provider in _KEY_NAMES:
        return _KEY_NAMES[provider]
    endpoint = endpoints().get(provider)
    return endpoint.api_key_env if endpoint else None


def unavailable_reason(provider: str) -> str | None:
    """Why models of ``provider`` cannot play here, or None if they can (no network calls)."""
    name = key_name(provider)
    if name is None:
        return None
    if os.environ.get(name) or name in settings.ARENA_SECRETS:
        return None
    return f"no {name} configured"


def api_key(provider: str) -> str | None:
    name = key_name(provider)
    if name is None:
        return None
    value = get_secret(name)
    if not value:
        raise ProviderError(ErrorKind.NO_CREDENTIALS, f"No {name} is configured on this server.")
    return value


def get_secret(name: str) -> str | None:
    value = os.environ.get(name)
    if value:
        return value
    source = settings.ARENA_SECRETS.get(name)
    if source is None:
        return None
    with _lock:
        if name not in _cache:
            _cache[name] = fetch_secret(source)
        return _cache[name]


def fetch_secret(source: str) -> str | None:
    """Read ``ssm:/name`` or ``secretsmanager:id[#field]`` from AWS (not cached)."""
    try:
        return read_secret(source, region=settings.ARENA_AWS_REGION)
    except ImproperlyConfigured as exc:
        raise ProviderError(ErrorKind.NO_CREDENTIALS, f"ARENA_SECRETS: {exc}") from None


def forget_cached_secrets() -> None:
    """For tests, and for operators rotating a key without a cold start."""
    with _lock:
        _cache.clear()
