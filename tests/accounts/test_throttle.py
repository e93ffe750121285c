"""Failed logins are counted per username and per address in DynamoDB, so every Lambda instance
refuses the same browser once the limit is reached, until the window ends."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from accounts import throttle, users
from accounts.models import ThrottleItem

PASSWORD = "quartz-lantern-91"
WRONG = "not-the-password"
ADDRESS = "10.0.0.7"
WINDOW = 15 * 60
REFUSAL = "Too many failed logins; try again in 15 minutes."


@pytest.fixture
def alice(dynamodb, settings):
    settings.ARENA_LOGIN_MAX_FAILURES = 5
    settings.ARENA_LOGIN_WINDOW_SECONDS = WINDOW
    return users.user_create(username="alice", password=PASSWORD)


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand (the views pass no ``now``)."""
    now = SimpleNamespace(value=time.time())
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: now.value))
    return now


def log_in(client: Client, username: str = "alice", password: str = PASSWORD):
    return client.post("/accounts/login", {"username": username, "password": password})


def fail(client: Client, times: int, username: str = "alice") -> None:
    for _ in range(times):
        assertContains(log_in(client, username, WRONG), "Wrong username or password.", status_code=400)


def window(scope: str, value: str) -> ThrottleItem | None:
    try:
        return ThrottleItem.get(f"THROTTLE#{scope}#{value}", throttle.WINDOW_SK, consistent_read=True)
    except ThrottleItem.DoesNotExist:
        return None


def is_refused(response) -> bool:
    return response.status_code == 429


def test_five_wrong_passwords_then_even_the_right_one_is_refused_with_retry_after(alice):
    browser = Client(REMOTE_ADDR=ADDRESS)
    fail(browser, 5)
    response = log_in(browser)
    assertContains(response, REFUSAL, status_code=429)
    assert 0 < int(response["Retry-After"]) <= WINDOW
    assert "data-user" not in response.content.decode()
    assert browser.get("/me")["Location"] == "/accounts/login?next=/me"


def test_four_wrong_passwords_still_let_the_right_one_in(alice):
    browser = Client(REMOTE_ADDR=ADDRESS)
    fail(browser, 4)
    assert log_in(browser).status_code == 302


def test_one_address_trying_many_usernames_is_refused_too(alice):
    browser = Client(REMOTE_ADDR=ADDRESS)
    for name in ["bob", "carol", "dave", "erin", "frank"]:
        fail(browser, 1, username=name)
    response = log_in(browser)
    assertContains(response, REFUSAL, status_code=429)
    assert window("ip", ADDRESS).failures == 5
    own = window("user", "alice")
    assert own is None or own.failures == 0  # the refused attempt never counted against alice
    assert log_in(Client(REMOTE_ADDR="10.0.0.8")).status_code == 302  # elsewhere, alice gets in


def test_one_username_tried_from_many_addresses_is_refused_everywhere(alice):
    for last_octet in range(5):
        fail(Client(REMOTE_ADDR=f"10.0.1.{last_octet}"), 1)
    assertContains(log_in(Client(REMOTE_ADDR="10.0.2.1")), REFUSAL, status_code=429)


def test_the_username_count_ignores_the_case_typed(alice):
    for number, name in enumerate(["alice", "Alice", "ALICE", "aLice", "alicE"]):
        fail(Client(REMOTE_ADDR=f"10.9.9.{number}"), 1, username=name)
    assert window("user", "alice").failures == 5
    assert is_refused(log_in(Client(REMOTE_ADDR=ADDRESS), "Alice"))


def test_the_counts_live_in_dynamodb_with_a_ttl_one_window_ahead(alice):
    started = time.time()
    fail(Client(REMOTE_ADDR=ADDRESS), 3)
    by_name, by_address = window("user", "alice"), window("ip", ADDRESS)
    for item in (by_name, by_address):
        assert item.failures == 3
        assert started - 1 <= item.first_at <= time.time()
        assert item.expires_at == pytest.approx(item.first_at + WINDOW, abs=2)


def test_a_fresh_instance_with_the_same_address_is_throttled_too(alice):
    fail(Client(REMOTE_ADDR=ADDRESS), 5, username="mallory")
    # Another Lambda instance knows nothing of the first: only DynamoDB does.
    response = log_in(Client(REMOTE_ADDR=ADDRESS))
    assertContains(response, REFUSAL, status_code=429)
    assert "Retry-After" in response


def test_failures_racing_from_many_instances_are_all_counted(moto_server, settings):
    settings.ARENA_LOGIN_WINDOW_SECONDS = WINDOW
    barrier = threading.Barrier(5)

    def guess() -> None:
        barrier.wait(timeout=10)
        assert throttle.attempt(username="alice", address=ADDRESS) is None

    threads = [threading.Thread(target=guess) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert window("user", "alice").failures == 5
    assert window("ip", ADDRESS).failures == 5


def test_guesses_sent_at_once_get_no_more_password_checks_than_the_limit(moto_server, settings, monkeypatch):
    settings.ARENA_LOGIN_MAX_FAILURES = 2
    settings.ARENA_LOGIN_WINDOW_SECONDS = WINDOW
    users.user_create(username="alice", password=PASSWORD)
    burst = 4
    gate = threading.Barrier(burst)
    counted = throttle.attempt

    def count_then_wait_for_the_others(**kwargs):
        # Four Lambda instances each pass the throttle before any of them checks a password.
        wait = counted(**kwargs)
        gate.wait(timeout=10)
        return wait

    monkeypatch.setattr(throttle, "attempt", count_then_wait_for_the_others)
    answers: list[int] = []

    def guess(number: int) -> None:
        answers.append(log_in(Client(REMOTE_ADDR=f"10.5.5.{number}"), "alice", f"guess-{number}").status_code)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == burst
    password_checks = answers.count(400)  # "Wrong username or password.": the password was tried
    assert password_checks <= 2


def test_the_window_ending_lets_the_user_in_again(alice, clock):
    browser = Client(REMOTE_ADDR=ADDRESS)
    fail(browser, 5)
    clock.value += WINDOW - 5
    response = log_in(browser)
    assert is_refused(response)
    assert int(response["Retry-After"]) <= 6
    assertContains(response, "try again in 1 minute.", status_code=429)
    clock.value += 10
    assert log_in(browser).status_code == 302


def test_a_failure_after_the_window_starts_a_new_count(alice, clock):
    fail(Client(REMOTE_ADDR=ADDRESS), 4)
    clock.value += WINDOW + 1
    fail(Client(REMOTE_ADDR=ADDRESS), 1)
    fresh = window("user", "alice")
    assert fresh.failures == 1
    assert fresh.first_at == pytest.approx(clock.value)
    assert fresh.expires_at == pytest.approx(clock.value + WINDOW, abs=2)
    assert log_in(Client(REMOTE_ADDR=ADDRESS)).status_code == 302


def test_a_success_clears_the_username_count_but_not_the_address_count(alice):
    browser = Client(REMOTE_ADDR=ADDRESS)
    fail(browser, 4)
    assert log_in(browser).status_code == 302
    assert window("user", "alice") is None
    assert window("ip", ADDRESS).failures == 4
    # Logging in to one's own account does not buy more guesses from that address.
    fail(Client(REMOTE_ADDR=ADDRESS), 1, username="bob")
    assert is_refused(log_in(Client(REMOTE_ADDR=ADDRESS)))


def test_expired_windows_still_stored_are_ignored(alice):
    now = time.time()
    for pk in ("THROTTLE#user#alice", f"THROTTLE#ip#{ADDRESS}"):
        # DynamoDB deletes expired items up to days late: one still there must not count.
        ThrottleItem(
            pk, throttle.WINDOW_SK, failures=50, first_at=now - 2 * WINDOW, expires_at=int(now - WINDOW)
        ).save()
    assert throttle.retry_after(username="alice", address=ADDRESS) is None
    assert log_in(Client(REMOTE_ADDR=ADDRESS)).status_code == 302
    fail(Client(REMOTE_ADDR=ADDRESS), 1, username="bob")
    assert window("ip", ADDRESS).failures == 1  # a new window, not the 51st failure


def test_the_throttle_functions_take_the_time_they_are_given(alice):
    start = 1_000_000.0
    for second in range(5):
        assert throttle.attempt(username="zoe", address="10.3.3.3", now=start + second) is None
    assert throttle.attempt(username="zoe", address="10.3.3.3", now=start + 6) == WINDOW - 6 + 1
    assert throttle.retry_after(username="zoe", address="10.4.4.4", now=start + 10) == WINDOW - 10 + 1
    assert throttle.retry_after(username="zoe", address="10.4.4.4", now=start + WINDOW + 1) is None
    assert throttle.retry_after(username="someone", address="10.3.3.3", now=start + 10) is not None


def test_the_limit_and_window_come_from_settings(alice, settings):
    settings.ARENA_LOGIN_MAX_FAILURES = 2
    browser = Client(REMOTE_ADDR=ADDRESS)
    fail(browser, 2)
    assert is_refused(log_in(browser))


def test_wrong_current_passwords_on_the_change_form_count_as_failed_logins(alice):
    browser = Client(REMOTE_ADDR=ADDRESS)
    assert log_in(browser).status_code == 302
    form = {"old_password": WRONG, "new_password1": "copper-meadow-47", "new_password2": "copper-meadow-47"}
    for _ in range(5):
        assert browser.post("/accounts/password", form).status_code == 400
    response = browser.post("/accounts/password", {**form, "old_password": PASSWORD})
    assertContains(response, "Too many wrong passwords; try again later.", status_code=429)
    assert users.password_matches(users.find_user("alice"), PASSWORD)
