"""Sign up, log in and out, change a password: what a visitor sees and what lands in DynamoDB."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.hashers import check_password, get_hasher
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from accounts import users
from accounts.models import UserItem
from accounts.projections import player_matches
from accounts.sessions.models import SessionItem
from arena_site.dynamodb import ArenaItem
from games.models import get_meta

PASSWORD = "quartz-lantern-91"
NEW_PASSWORD = "copper-meadow-47"
SIMILARITY_BUG = (
    "BUG: accounts/forms.py:50 _Candidate has no _meta, which Django's "
    "UserAttributeSimilarityValidator reads to name the field once a password IS similar: "
    "AttributeError, a 500 instead of a field error"
)


# --- helpers -----------------------------------------------------------------------------
def sign_up(client: Client, username: str, password: str = PASSWORD, **extra: str):
    data = {"username": username, "password1": password, "password2": password, **extra}
    return client.post("/accounts/signup", data)


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/accounts/login", {"username": username, "password": password, **extra})


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get("sessionid")
    return cookie.value if cookie is not None and cookie.value else None


def session_exists(key: str) -> bool:
    try:
        SessionItem.get(key, consistent_read=True)
    except SessionItem.DoesNotExist:
        return False
    return True


def users_named(name: str) -> list[UserItem]:
    # A scan is fine in a test: it checks that nothing else was written anywhere.
    return [
        item
        for item in ArenaItem.scan(consistent_read=True)
        if isinstance(item, UserItem) and item.username.casefold() == name.casefold()
    ]


def header_user(client: Client) -> str:
    """The username the header shows, from the page the visitor lands on."""
    response = client.get("/me/games")
    assert response.status_code == 200
    html = response.content.decode()
    marker = "data-user>"
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</a>", 1)[0]


def match_id_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def create_match(client: Client, white: str = "human", black: str = "human") -> str:
    return match_id_of(client.post("/matches/new", {"white": white, "black": black, "fen": "", "pace": "0"}))


# --- sign up -------------------------------------------------------------------------------
def test_signing_up_creates_the_account_and_logs_in(player):
    response = sign_up(player.client, "alice", email="alice@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/me/games"
    assert header_user(player.client) == "alice"
    user = users.find_user("alice")
    assert user is not None
    assert (user.username, user.email, user.is_staff, user.is_active) == (
        "alice",
        "alice@example.com",
        False,
        True,
    )
    page = player.client.get("/me")
    assertContains(page, "<h1>alice</h1>", html=True)


def test_a_visitor_who_did_not_sign_up_sees_log_in_and_sign_up_links(player):
    response = player.client.get("/me/games")
    assertNotContains(response, "data-user")
    assertContains(response, '<a href="/accounts/signup">Sign up</a>', html=True)


def test_usernames_are_unique_regardless_of_case(player, outsider):
    assert sign_up(player.client, "alice").status_code == 302
    response = sign_up(outsider.client, "Alice", password=NEW_PASSWORD)
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["That username is taken; choose another."]
    assertContains(response, "That username is taken; choose another.", status_code=400)
    assert header_user(outsider.client) == ""
    [only] = users_named("alice")
    assert only.username == "alice"


def test_two_sign_ups_racing_for_one_name_let_exactly_one_win(moto_server):
    browsers = [Client(), Client()]
    barrier = threading.Barrier(len(browsers))
    answers: list[int] = [0, 0]

    def sign_up_as(index: int, username: str) -> None:
        barrier.wait(timeout=10)
        answers[index] = sign_up(browsers[index], username, password=f"{PASSWORD}-{index}").status_code

    threads = [
        threading.Thread(target=sign_up_as, args=(index, name))
        for index, name in enumerate(["racer", "RACER"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [302, 400]
    [winner] = users_named("racer")
    won = answers.index(302)
    assert check_password(f"{PASSWORD}-{won}", winner.password)
    assert header_user(browsers[won]) == winner.username
    assert header_user(browsers[1 - won]) == ""


def test_a_look_alike_name_in_fullwidth_letters_counts_as_taken(player, outsider):
    sign_up(player.client, "alice")
    response = sign_up(outsider.client, "\uff41\uff4c\uff49\uff43\uff45")  # "alice", fullwidth
    assert response.status_code == 400
    assert len(users_named("alice")) == 1


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("bob", "k3y!x", "This password is too short. It must contain at least 8 characters."),
        ("bob", "password123", "This password is too common."),
        ("bob", "80417392655", "This password is entirely numeric."),
        pytest.param(
            "gwendolyn",
            "gwendolyn1",
            "The password is too similar to the username.",
        ),
    ],
    ids=["too-short", "too-common", "all-digits", "like-the-username"],
)
def test_weak_passwords_are_refused_beside_the_password_field(player, username, password, message):
    response = sign_up(player.client, username, password=password)
    assert response.status_code == 400
    assert message in response.context["form"].errors["password1"]
    assertContains(response, f'<p class="error" role="alert">{message}</p>', html=True, status_code=400)
    assert users.find_user(username) is None


def test_a_password_like_the_email_is_refused_too(player):
    response = sign_up(player.client, "bob", password="zanzibar.quill", email="zanzibar.quill@example.com")
    assert response.status_code == 400
    [error] = response.context["form"].errors["password1"]
    assert error.startswith("The password is too similar to the email")


def test_two_different_passwords_are_refused(player):
    response = player.client.post(
        "/accounts/signup", {"username": "bob", "password1": PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    assert users.find_user("bob") is None


def test_passwords_are_stored_hashed_never_in_clear(player):
    sign_up(player.client, "alice")
    stored = users.find_user("alice").password
    assert stored.startswith(f"{get_hasher().algorithm}$")
    assert PASSWORD not in stored
    assert check_password(PASSWORD, stored)


# --- log in and out ---------------------------------------------------------------------------
def test_logging_in_shows_the_account_in_the_header_whatever_the_case_typed(dynamodb):
    users.user_create(username="Alice", password=PASSWORD)
    browser = Client()
    response = log_in(browser, "aLiCe")
    assert response.status_code == 302
    assert header_user(browser) == "Alice"
    assert users.find_user("alice").last_login is not None


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong-password-1"), ("nobody", PASSWORD)])
def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(dynamodb, username, password):
    users.user_create(username="alice", password=PASSWORD)
    browser = Client()
    response = log_in(browser, username, password)
    assertContains(response, "Wrong username or password.", status_code=400)
    assert header_user(browser) == ""


def test_logging_in_gives_the_browser_a_new_session_key_and_drops_the_old_one(player):
    users.user_create(username="alice", password=PASSWORD)
    create_match(player.client)  # a guest session, stored in DynamoDB
    before = session_key(player.client)
    assert before is not None
    assert session_exists(before)
    log_in(player.client, "alice")
    after = session_key(player.client)
    assert after is not None
    assert after != before
    assert not session_exists(before)
    assert SessionItem.get(after).user_id == users.find_user("alice").user_id


def test_logging_out_ends_the_session_and_hides_the_account_games(player):
    sign_up(player.client, "alice")
    match_id = create_match(player.client)
    assertContains(player.client.get("/me/games"), f'data-match="{match_id}"')
    key = session_key(player.client)
    response = player.client.post("/accounts/logout")
    assert response.status_code == 302
    assert not session_exists(key)
    games = player.client.get("/me/games")
    assert header_user(player.client) == ""
    assertNotContains(games, f'data-match="{match_id}"')
    assertContains(games, "No match yet.")
    # The account still has it.
    log_in(player.client, "alice")
    assertContains(player.client.get("/me/games"), f'data-match="{match_id}"')


def test_logging_out_by_get_is_refused(player):
    sign_up(player.client, "alice")
    key = session_key(player.client)
    assert player.client.get("/accounts/logout").status_code == 405
    assert session_exists(key)
    assert header_user(player.client) == "alice"


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/me", "/me"),
        ("/matches/new", "/matches/new"),
        ("http://evil.example/", "/me/games"),
        ("//evil.example/steal", "/me/games"),
        ("https://evil.example/me", "/me/games"),
    ],
)
def test_next_is_followed_only_to_this_site(dynamodb, next_url, landing):
    users.user_create(username="alice", password=PASSWORD)
    response = log_in(Client(), "alice", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == landing


def test_next_is_followed_after_signing_up_too(player):
    assert sign_up(player.client, "alice", next="/me")["Location"] == "/me"
    assert sign_up(Client(), "bob", next="http://evil.example/")["Location"] == "/me/games"


def test_the_login_page_carries_a_local_next_and_drops_a_foreign_one(dynamodb):
    browser = Client()
    assertContains(
        browser.get("/accounts/login?next=/me"), '<input type="hidden" name="next" value="/me">', html=True
    )
    foreign = browser.get("/accounts/login?next=http://evil.example/")
    assertNotContains(foreign, "evil.example")


# --- guest matches become the account's ------------------------------------------------------
def test_signing_up_makes_this_browsers_guest_matches_the_accounts(player):
    running = create_match(player.client)
    finished = create_match(player.client, black="engine:1")
    player.client.post(f"/matches/{finished}/resign")
    guest = get_meta(running).owner
    assert guest.startswith("guest-")

    response = sign_up(player.client, "alice")
    user = users.find_user("alice")
    for match_id in (running, finished):
        meta = get_meta(match_id)
        assert (meta.owner, meta.owner_name) == (user.user_id, "alice")
    assert player_matches(guest, limit=10) == ([], None)
    entries, _ = player_matches(user.user_id, limit=10)
    assert sorted(entry.match_id for entry in entries) == sorted([running, finished])
    assert {entry.match_id: entry.outcome for entry in entries}[finished] == "lost"

    landing = player.client.get(response["Location"])
    assertContains(landing, "Welcome, alice!")
    assertContains(landing, "2 matches from this browser")
    page = player.client.get(f"/matches/{running}/")
    assertContains(page, '<span class="player white">alice (you)</span>', html=True)
    assertContains(page, '<span class="player black">alice (you)</span>', html=True)
    # And the browser may still play them.
    assert player.client.post(f"/matches/{running}/move", {"move": "e4"}).status_code == 302
    assert get_meta(running).moves == ["e2e4"]


def test_logging_in_makes_this_browsers_guest_matches_the_accounts(player):
    user = users.user_create(username="alice", password=PASSWORD)
    match_id = create_match(player.client, black="engine:1")
    guest = get_meta(match_id).owner

    response = log_in(player.client, "alice")
    meta = get_meta(match_id)
    assert (meta.owner, meta.owner_name) == (user.user_id, "alice")
    assert player_matches(guest, limit=10) == ([], None)
    assert [entry.match_id for entry in player_matches(user.user_id, limit=10)[0]] == [match_id]
    assertContains(player.client.get(response["Location"]), "1 match from this browser joined your games.")
    page = player.client.get(f"/matches/{match_id}/")
    assertContains(page, '<span class="player white">alice (you)</span>', html=True)


def test_another_browser_does_not_get_the_guest_matches(player, outsider):
    users.user_create(username="alice", password=PASSWORD)
    match_id = create_match(player.client)
    guest = get_meta(match_id).owner
    log_in(outsider.client, "alice")
    assert get_meta(match_id).owner == guest
    assertNotContains(outsider.client.get("/me/games"), match_id)


# --- change password ------------------------------------------------------------------------------
def change_password(client: Client, old: str, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        "/accounts/password", {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_changing_the_password_needs_a_login(player):
    response = player.client.get("/accounts/password")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login?next=/accounts/password"


def test_a_wrong_current_password_is_refused(player):
    sign_up(player.client, "alice")
    response = change_password(player.client, old="not-my-password")
    assert response.status_code == 400
    assert response.context["form"].errors["old_password"] == ["This is not your current password."]
    assert check_password(PASSWORD, users.find_user("alice").password)


def test_a_short_new_password_is_refused(player):
    sign_up(player.client, "alice")
    response = change_password(player.client, old=PASSWORD, new="x7!q")
    assert response.status_code == 400
    assert response.context["form"].errors["new_password1"] == [
        "This password is too short. It must contain at least 8 characters."
    ]
    assert check_password(PASSWORD, users.find_user("alice").password)


def test_a_new_password_like_the_username_is_refused(player):
    sign_up(player.client, "alice")
    response = change_password(player.client, old=PASSWORD, new="alice123")
    assert response.status_code == 400
    assert "The password is too similar to the username." in response.context["form"].errors["new_password1"]
    assert check_password(PASSWORD, users.find_user("alice").password)


def test_changing_the_password_keeps_this_browser_in_and_logs_every_other_one_out(player, outsider):
    sign_up(player.client, "alice")
    log_in(outsider.client, "alice")
    mine, theirs = session_key(player.client), session_key(outsider.client)
    assert session_exists(theirs)

    response = change_password(player.client, old=PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/me"
    landing = player.client.get("/me")
    assert landing.status_code == 200
    assertContains(landing, "Your password was changed. 1 other session was logged out.")
    renewed = session_key(player.client)
    assert renewed != mine
    assert not session_exists(mine)
    assert session_exists(renewed)

    assert not session_exists(theirs)
    kicked_out = outsider.client.get("/me")
    assert kicked_out.status_code == 302
    assert kicked_out["Location"] == "/accounts/login?next=/me"
    assert header_user(outsider.client) == ""


def test_after_a_change_the_new_password_works_and_the_old_one_does_not(player):
    sign_up(player.client, "alice")
    change_password(player.client, old=PASSWORD)
    assertContains(log_in(Client(), "alice", PASSWORD), "Wrong username or password.", status_code=400)
    fresh = Client()
    assert log_in(fresh, "alice", NEW_PASSWORD).status_code == 302
    assert header_user(fresh) == "alice"
    stored = users.find_user("alice").password
    assert stored.startswith(f"{get_hasher().algorithm}$")
    assert NEW_PASSWORD not in stored
