"""``manage.py createadmin``: make a staff account, also on Lambda through ``zappa manage``.

On Lambda there is no terminal to type a password into, and command lines land in the logs,
so the password comes from somewhere else: an environment variable, an SSM parameter or a
Secrets Manager secret (the same sources as ARENA_SECRETS), or it is generated and printed once.
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import users
from arena_site.env import read_secret


class Command(BaseCommand):
    help = (
        "Create a staff account, or make an existing account staff. The password comes from "
        "--password-from (env:NAME, ssm:/param, secretsmanager:id[#field]), --generate, or a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from",
            metavar="SOURCE",
            help="env:NAME, ssm:/parameter/name or secretsmanager:secret-id[#json-field]",
        )
        parser.add_argument(
            "--generate", action="store_true", help="generate a strong password and print it once"
        )

    def handle(
        self, *args: Any, username: str, email: str, password_from: str | None, generate: bool, **options: Any
    ) -> None:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            raise CommandError(f"--username: {' '.join(exc.messages)}") from None
        if len(username) > 30:
            raise CommandError("--username: at most 30 characters")
        password = self._password(password_from, generate)
        existing = users.find_user(username)
        if password is not None:
            try:
                password_validation.validate_password(password)
            except ValidationError as exc:
                raise CommandError(f"password refused: {' '.join(exc.messages)}") from None
        if existing is not None:
            users.user_make_staff(user=existing, password=password)
            changed = " and set a new password" if password is not None else ""
            self.stdout.write(self.style.SUCCESS(f"{existing.username} is now staff{changed}"))
            return
        if password is None:
            raise CommandError(
                "A new account needs a password: --password-from env:NAME|ssm:/name|secretsmanager:id, "
                "--generate, or run in a terminal to be asked"
            )
        try:
            user = users.user_create(username=username, email=email or None, password=password, is_staff=True)
        except users.AccountError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"created staff account {user.username} ({user.user_id})"))
        if generate:
            self.stdout.write(f"password (shown once): {password}")

    def _password(self, source: str | None, generate: bool) -> str | None:
        if source and generate:
            raise CommandError("use either --password-from or --generate, not both")
        if generate:
            return secrets.token_urlsafe(18)
        if source:
            kind, _, ref = source.partition(":")
            if kind == "env":
                value = os.environ.get(ref)
            elif kind in ("ssm", "secretsmanager"):
                value = read_secret(source, region=settings.ARENA_AWS_REGION)
            else:
                raise CommandError("--password-from must start with env:, ssm: or secretsmanager:")
            if not value:
                raise CommandError(f"--password-from {source}: no value there")
            return value
        if sys.stdin.isatty():
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ")
            return first
        return None
