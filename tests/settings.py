"""Settings for the test suite: the app's settings with in-process moto and inline tasks."""

from __future__ import annotations

import os

os.environ["ARENA_ENV"] = "test"
os.environ.setdefault("ARENA_TABLE_NAME", "arena-test")
# In-process moto (mock_aws) intercepts calls to the real AWS endpoint only.
os.environ["ARENA_DYNAMODB_URL"] = ""
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SECURITY_TOKEN"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

from arena_site.settings import *  # noqa: F403

ARENA_TASK_BACKEND = "inline"

# Fast hashing: the suite creates many accounts (production keeps Django's PBKDF2 default).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
