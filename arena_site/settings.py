"""Settings for LLM Duel Arena: one module, driven by environment variables.

ARENA_ENV picks the defaults: ``local`` (laptop, the default), ``dev`` and ``prod`` (Lambda).
Local defaults run with no configuration at all; outside local mode, secrets that are missing
fail loudly at start-up. Every variable is listed in README.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from arena_site.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_json,
    env_list,
    env_mapping,
    env_str,
    read_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent

ARENA_ENV = env_choice("ARENA_ENV", "local", {"local", "test", "dev", "prod"})
LOCAL = ARENA_ENV in {"local", "test"}
ON_LAMBDA = bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))

DEBUG = env_bool("ARENA_DEBUG", ARENA_ENV == "local")

ARENA_AWS_REGION = env_str("ARENA_AWS_REGION", os.environ.get("AWS_REGION", "us-east-1"))
# Secrets read from AWS instead of the environment (on Lambda), once per process:
#   ARENA_SECRET_KEY=ssm:/arena/prod/secret-key,OPENAI_API_KEY=ssm:/arena/prod/openai-api-key,
#   ANTHROPIC_API_KEY=secretsmanager:arena/prod/anthropic
ARENA_SECRETS = env_mapping("ARENA_SECRETS")

SECRET_KEY = env_str("ARENA_SECRET_KEY")
if not SECRET_KEY and "ARENA_SECRET_KEY" in ARENA_SECRETS:
    # One SSM/Secrets Manager call at cold start, before the first request.
    SECRET_KEY = read_secret(ARENA_SECRETS["ARENA_SECRET_KEY"], region=ARENA_AWS_REGION) or ""
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("ARENA_SECRET_KEY must be set outside local mode")
    SECRET_KEY = "local-only-insecure-key-never-used-in-dev-or-prod"

ALLOWED_HOSTS = env_list("ARENA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if LOCAL else [])
if not LOCAL and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ARENA_ALLOWED_HOSTS must be set outside local mode")
CSRF_TRUSTED_ORIGINS = env_list("ARENA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "arena_site",
    "accounts",
    "games",
    "llm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "arena_site.security.ContentSecurityPolicyMiddleware",
    "arena_site.logs.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "arena_site.urls"
WSGI_APPLICATION = "arena_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each game package carries its own partials (games/<id>/templates).
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "games").glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.identity",
            ],
        },
    }
]

# No SQL anywhere: DynamoDB through PynamoDB is the only store.
DATABASES: dict[str, dict[str, str]] = {}

# --- DynamoDB --------------------------------------------------------------------------
ARENA_STAGE = env_str("ARENA_STAGE", ARENA_ENV) or ARENA_ENV
# Local mode talks to the embedded DynamoDB that `make run` starts; dev/prod talk to AWS
# unless an endpoint is given (moto in deploy rehearsals, DynamoDB Local, ...).
ARENA_DYNAMODB_URL = (
    env_str("ARENA_DYNAMODB_URL", "http://127.0.0.1:8001" if ARENA_ENV == "local" else "") or None
)
ARENA_TABLE_NAME = env_str("ARENA_TABLE_NAME", f"arena-{ARENA_STAGE}")
if ARENA_DYNAMODB_URL and LOCAL:
    # moto accepts any credentials; real AWS never sees these.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")

# --- Sessions: our PynamoDB engine, with django-dynamodb-sessions' setting names ---------
SESSION_ENGINE = "accounts.sessions.dynamodb"
DYNAMODB_SESSIONS_TABLE_NAME = env_str("DYNAMODB_SESSIONS_TABLE_NAME", f"{ARENA_TABLE_NAME}-sessions")
DYNAMODB_SESSIONS_TABLE_HASH_ATTRIB_NAME = "session_key"
DYNAMODB_SESSIONS_ALWAYS_CONSISTENT = env_bool("DYNAMODB_SESSIONS_ALWAYS_CONSISTENT", True)
DYNAMODB_SESSIONS_AWS_REGION_NAME = ARENA_AWS_REGION
SESSION_COOKIE_AGE = env_int("ARENA_SESSION_AGE_SECONDS", 60 * 60 * 24 * 30, minimum=60)
# Cookies go over HTTPS only outside local mode (`make run` serves plain http on 127.0.0.1).
# No script reads a cookie: forms carry the CSRF token in a hidden input and htmx posts those
# forms, so the CSRF cookie is HttpOnly too. The messages cookie follows the SESSION_* flags.
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Messages ride in a cookie so that showing them never costs a session read.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
CSRF_FAILURE_VIEW = "arena_site.views.csrf_failure"

# --- Accounts ---------------------------------------------------------------------------
# Users are PynamoDB items (accounts.models); passwords use Django's hashers and validators.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Failed logins allowed per username and per client address within the window (then 429).
ARENA_LOGIN_MAX_FAILURES = env_int("ARENA_LOGIN_MAX_FAILURES", 5, minimum=1)
ARENA_LOGIN_WINDOW_SECONDS = env_int("ARENA_LOGIN_WINDOW_SECONDS", 15 * 60, minimum=60)
# The request header (as a META key) that carries the client's address set by API Gateway,
# e.g. HTTP_X_ARENA_SOURCE_IP (see accounts.access.client_address); empty: REMOTE_ADDR.
ARENA_CLIENT_IP_HEADER = env_str("ARENA_CLIENT_IP_HEADER")
# Daily quotas that protect the operator's API budget (UTC days); 0 means unlimited.
# LLM matches started per day, and dollars their LLM calls may spend per day, per account
# and per guest browser.
ARENA_QUOTA_LLM_MATCHES_PER_DAY = env_int("ARENA_QUOTA_LLM_MATCHES_PER_DAY", 20, minimum=0)
ARENA_QUOTA_DOLLARS_PER_DAY = env_float("ARENA_QUOTA_DOLLARS_PER_DAY", 5.0, minimum=0)
ARENA_GUEST_QUOTA_LLM_MATCHES_PER_DAY = env_int("ARENA_GUEST_QUOTA_LLM_MATCHES_PER_DAY", 3, minimum=0)
ARENA_GUEST_QUOTA_DOLLARS_PER_DAY = env_float("ARENA_GUEST_QUOTA_DOLLARS_PER_DAY", 0.5, minimum=0)

# --- Matches ---------------------------------------------------------------------------
# inline: in the calling thread (tests); thread: a pool in this process (laptop);
# zappa: an asynchronous Lambda invocation (deployed stages).
ARENA_TASK_BACKEND = env_choice(
    "ARENA_TASK_BACKEND",
    "zappa" if ON_LAMBDA else ("inline" if ARENA_ENV == "test" else "thread"),
    {"inline", "thread", "zappa"},
)
ARENA_TASK_THREADS = env_int("ARENA_TASK_THREADS", 4, minimum=1)
# How long a runner may hold a match while it computes one ply before another may take over.
ARENA_LEASE_SECONDS = env_int("ARENA_LEASE_SECONDS", 60, minimum=5)
# A match waiting for a bot for longer than this with no lease is considered stalled.
ARENA_STALL_SECONDS = env_int("ARENA_STALL_SECONDS", 30, minimum=1)
ARENA_POLL_SECONDS = env_float("ARENA_POLL_SECONDS", 1.0, minimum=0.2)
STOCKFISH_PATH = env_str("STOCKFISH_PATH")

# --- LLM players -------------------------------------------------------------------------
# Keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY (and each endpoint's api_key_env), or from
# ARENA_SECRETS (above), read in the task that needs them.
# OpenAI-compatible servers, e.g.
#   [{"name": "ollama", "base_url": "http://127.0.0.1:11434/v1", "api_key_env": null,
#     "models": [{"id": "llama3.1:8b", "name": "Llama 3.1 8B", "input": 0, "output": 0}]}]
ARENA_LLM_ENDPOINTS = env_json("ARENA_LLM_ENDPOINTS", [])
if not isinstance(ARENA_LLM_ENDPOINTS, list):
    raise ImproperlyConfigured("ARENA_LLM_ENDPOINTS must be a JSON list of endpoints")
ARENA_OPENAI_BASE_URL = env_str("ARENA_OPENAI_BASE_URL") or None
ARENA_ANTHROPIC_BASE_URL = env_str("ARENA_ANTHROPIC_BASE_URL") or None
# When a provider keeps failing after the SDK's retries, the match pauses this long (doubling
# each time) and resumes by itself; after ARENA_LLM_MAX_PAUSES pauses it is aborted.
ARENA_LLM_PAUSE_SECONDS = env_int("ARENA_LLM_PAUSE_SECONDS", 60, minimum=1)
ARENA_LLM_MAX_PAUSES = env_int("ARENA_LLM_MAX_PAUSES", 3, minimum=0)

# --- Static files ----------------------------------------------------------------------
# Locally (and in tests) Django serves /static/ from the source folders. A deployed stage
# serves them from CloudFront: `make static STAGE=<stage>` uploads them with hashed names to
# the stage's bucket and writes the manifest to ARENA_STATIC_MANIFEST_DIR/<stage>.json, which
# is packaged with the app, so rendering {% static %} never reads S3 (arena_site/storage.py).
STATIC_URL = env_str("ARENA_STATIC_URL", "/static/")
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", *sorted((BASE_DIR / "games").glob("*/static"))]
ARENA_STATIC_BUCKET = env_str("ARENA_STATIC_BUCKET")
ARENA_STATIC_MANIFEST_DIR = BASE_DIR / "arena_site" / "static_manifest"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if ARENA_STATIC_BUCKET:
    # The storage builds URLs as https://<custom_domain>/static/<hashed name> (its location
    # is "static"), so STATIC_URL, which the Content-Security-Policy allows, must say the same.
    _scheme, _, _static_rest = STATIC_URL.partition("://")
    _static_host, _, _static_path = _static_rest.partition("/")
    if _scheme != "https" or not _static_host or _static_path != "static/":
        raise ImproperlyConfigured(
            "ARENA_STATIC_BUCKET needs ARENA_STATIC_URL=https://<CloudFront domain>/static/ "
            "(both are printed by `make static STAGE=<stage>`)"
        )
    # Serving only: URLs from the packaged manifest, no boto3 (arena_site.static_urls). The
    # upload side (arena_site.storage.StaticFilesS3Storage) is used by deploy_static alone.
    STORAGES["staticfiles"] = {
        "BACKEND": "arena_site.static_urls.PackagedManifestStorage",
        "OPTIONS": {"manifest_path": ARENA_STATIC_MANIFEST_DIR / f"{ARENA_STAGE}.json"},
    }

# --- Security --------------------------------------------------------------------------
# Deployed stages are HTTPS only. Locally there is no TLS: no redirect, and no HSTS (a browser
# would remember it for 127.0.0.1 and refuse plain http there for a year).
SECURE_SSL_REDIRECT = env_bool("ARENA_SSL_REDIRECT", not LOCAL)
# API Gateway terminates TLS, so the Lambda itself only ever sees plain requests; API Gateway
# puts the client's scheme in X-Forwarded-Proto, which tells Django the request was secure.
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None if LOCAL else ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("ARENA_HSTS_SECONDS", 0 if LOCAL else 365 * 24 * 60 * 60, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The Content-Security-Policy (no inline scripts or styles) comes from arena_site.security.

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# JSON lines with request and match ids on deployed stages (CloudWatch), plain text locally.
ARENA_LOG_FORMAT = env_choice("ARENA_LOG_FORMAT", "plain" if LOCAL else "json", {"plain", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "arena_site.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": ARENA_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("ARENA_LOG_LEVEL", "INFO")},
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("botocore", "pynamodb", "httpx", "httpx2", "openai", "anthropic")
    },
}
