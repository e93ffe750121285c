"""`manage.py createadmin` (also run as `zappa manage <stage> "createadmin ..."`)."""

from __future__ import annotations

import io
import re

import boto3
import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from accounts.users import find_user, user_create

STRONG = "bishop-pair-endgame-77"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_staff_account_with_the_password_from_an_environment_variable(dynamodb, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", STRONG)
    output = run(
        "--username", "root-admin", "--email", "ops@example.com", "--password-from", "env:ADMIN_PASSWORD"
    )
    user = find_user("root-admin")
    assert "created staff account root-admin" in output
    assert user.is_staff
    assert user.email == "ops@example.com"
    assert check_password(STRONG, user.password)
    assert STRONG not in output  # never echoed


def test_it_reads_the_password_from_ssm_as_on_lambda(dynamodb):
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name="/arena/test/admin-password", Value=STRONG, Type="SecureString", Overwrite=True
    )
    run("--username", "ssm-admin", "--password-from", "ssm:/arena/test/admin-password")
    assert check_password(STRONG, find_user("ssm-admin").password)


def test_a_generated_password_is_printed_once_and_works(dynamodb):
    output = run("--username", "gen-admin", "--generate")
    password = re.search(r"password \(shown once\): (\S+)", output).group(1)
    assert len(password) >= 20
    assert check_password(password, find_user("gen-admin").password)


def test_an_existing_account_is_made_staff_keeping_its_password(dynamodb):
    user_create(username="carol", password=STRONG)
    output = run("--username", "Carol")
    user = find_user("carol")
    assert "carol is now staff" in output
    assert user.is_staff
    assert check_password(STRONG, user.password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--username", "bad name!", "--generate"], "--username"),
        (["--username", "weak", "--password-from", "env:WEAK_PASSWORD"], "password refused"),
        (["--username", "nopass"], "needs a password"),
        (["--username", "x", "--password-from", "file:/etc/passwd"], "must start with"),
        (["--username", "x", "--password-from", "env:NOT_SET_ANYWHERE"], "no value there"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_error_and_nothing_is_created(
    dynamodb, monkeypatch, args, message
):
    monkeypatch.setenv("WEAK_PASSWORD", "12345678")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert find_user(args[1]) is None
