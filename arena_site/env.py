"""Strict readers for settings that come from the environment.

A value that is present but malformed is an error at start-up, never a silent default:
``ARENA_DEBUG=yes`` must not quietly mean False on a production Lambda.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "on"}
_FALSE = {"false", "0", "off", ""}
T = TypeVar("T", int, float)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true/false, 1/0 or on/off")


def _env_number(name: str, default: T, kind: Callable[[str], T], what: str, minimum: T | None) -> T:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not {what}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    return _env_number(name, default, int, "a whole number", minimum)


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    return _env_number(name, default, float, "a number", minimum)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(sorted(choices))}")
    return value


def env_json(name: str, default: Any) -> Any:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None


def env_mapping(name: str) -> dict[str, str]:
    """``A=x,B=y`` → {"A": "x", "B": "y"}."""
    result: dict[str, str] = {}
    for item in env_list(name, []):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name}: {item!r} is not NAME=value")
        result[key.strip()] = value.strip()
    return result


def read_secret(source: str, *, region: str) -> str | None:
    """Read ``ssm:/name`` or ``secretsmanager:id[#json-field]`` from AWS, uncached.

    Used for ARENA_SECRETS: settings (ARENA_SECRET_KEY, at start-up) and llm.credentials (API
    keys, in the task that needs them). An unknown kind is a configuration error.
    """
    kind, _, ref = source.partition(":")
    if kind not in ("ssm", "secretsmanager") or not ref:
        raise ImproperlyConfigured(f"{source!r}: a secret source is ssm:/name or secretsmanager:id[#field]")
    # botocore (which PynamoDB loads anyway), imported only where a secret is read from AWS;
    # boto3 would add its own modules and s3transfer's to every cold start.
    import botocore.session

    session = botocore.session.get_session()
    if kind == "ssm":
        ssm = session.create_client("ssm", region_name=region)
        response = ssm.get_parameter(Name=ref, WithDecryption=True)
        return str(response["Parameter"]["Value"])
    secret_id, _, field = ref.partition("#")
    secrets = session.create_client("secretsmanager", region_name=region)
    text = secrets.get_secret_value(SecretId=secret_id)["SecretString"]
    return str(json.loads(text)[field]) if field else str(text)
