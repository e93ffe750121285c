"""Settings from the environment are read strictly: a malformed value is an error at start."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from arena_site.env import env_bool, env_choice, env_float, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("1", True), ("ON", True), ("false", False), ("0", False)]
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not value) is value


@pytest.mark.parametrize("raw", ["yes", "no", "2", "enabled"])
def test_a_bad_boolean_is_an_error_not_false(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("X_N", "12")
    assert env_int("X_N", 1) == 12
    monkeypatch.setenv("X_N", "1.5")
    assert env_float("X_N", 1.0) == 1.5
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_N", 1)
    monkeypatch.setenv("X_N", "3")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        env_int("X_N", 10, minimum=5)
    monkeypatch.delenv("X_N")
    assert env_int("X_N", 7) == 7


def test_lists_and_choices(monkeypatch):
    monkeypatch.setenv("X_L", " a, b ,,c ")
    assert env_list("X_L", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_C", "prod")
    assert env_choice("X_C", "local", {"local", "prod"}) == "prod"
    monkeypatch.setenv("X_C", "staging")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("X_C", "local", {"local", "prod"})
