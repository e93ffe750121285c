"""The profile page (counters, results per side, LLM spending) and the daily LLM quotas."""

from __future__ import annotations

import re
import threading

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from accounts import quotas, users
from accounts.models import STATS_SK, PlayerStatsItem, UsageItem, player_pk, usage_sk
from accounts.projections import player_matches
from arena_site.dynamodb import ArenaItem
from arena_site.tables import count_requests
from arena_site.tasks import capture_tasks
from games import services
from games.models import MatchItem, get_meta
from games.players import PlayerSpec
from llm import client
from llm.catalog import get_model
from llm.types import Usage
from tests.llm.fake_servers import RESPONSES, Reply, responses_body

GPT = "openai:gpt-4o-mini"
PASSWORD = "quartz-lantern-91"
BACK_RANK_MATE_IN_ONE_FOR_BLACK = "3r2k1/5ppp/8/8/8/8/5PPP/6K1 b - - 0 1"  # Rd1#
STALEMATE_IN_ONE = "7k/4Q3/6K1/8/8/8/8/8 w - - 0 1"  # Qf7


# --- helpers -----------------------------------------------------------------------------
@pytest.fixture
def providers(fake_llm_server, settings, monkeypatch):
    """OpenAI pointed at the fake server, with a key, so the form offers its models."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-openai-secret")
    settings.ARENA_OPENAI_BASE_URL = f"{fake_llm_server.url}/v1"
    client.forget_providers()
    yield fake_llm_server
    client.forget_providers()


@pytest.fixture
def alice(player):
    """The player's browser, signed up as alice."""
    response = player.client.post(
        "/accounts/signup", {"username": "alice", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    return users.find_user("alice")


def new_match(persona, white: str = "human", black: str = "engine:1", fen: str = ""):
    return persona.client.post("/matches/new", {"white": white, "black": black, "fen": fen, "pace": "0"})


def created_id(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def new_llm_match(persona):
    """An LLM match whose first LLM turn stays queued: no model is called."""
    with capture_tasks():
        return new_match(persona, white=GPT, black="human")


def usage_today(player_id: str) -> UsageItem | None:
    return quotas.usage_on(player_id, quotas.today())


def stats(player_id: str) -> PlayerStatsItem:
    return PlayerStatsItem.get(player_pk(player_id), STATS_SK, consistent_read=True)


def matches_stored() -> int:
    return sum(1 for item in ArenaItem.scan(consistent_read=True) if isinstance(item, MatchItem))


def figure(page, name: str) -> str:
    found = re.search(rf"<dd {name}>(.*?)</dd>", page.content.decode(), re.S)
    assert found, f"no {name} on the page"
    return found.group(1).strip()


def record(page, game_side: str) -> dict[str, int]:
    row = re.search(rf'<tr data-record="{game_side}">(.*?)</tr>', page.content.decode(), re.S)
    assert row, f"no {game_side} row"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    return dict(zip(["played", "won", "drawn", "lost", "aborted"], map(int, cells[2:]), strict=True))


def quota_line(page) -> str:
    found = re.search(r"<p data-quota>(.*?)</p>", page.content.decode(), re.S)
    assert found
    return re.sub(r"\s+", " ", found.group(1)).strip()


# --- the profile page ----------------------------------------------------------------------------
def test_the_profile_needs_a_login(player):
    response = player.client.get("/me")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login?next=/me"


def test_a_new_account_has_an_empty_profile(alice, player):
    page = player.client.get("/me")
    assert page.status_code == 200
    assertContains(page, "<h1>alice</h1>", html=True)
    assert (figure(page, "data-created"), figure(page, "data-played")) == ("0", "0")
    assertContains(page, "No finished game in which you played one side yet.")


def test_the_profile_counts_games_and_results_per_side(alice, player):
    lost_as_white = created_id(new_match(player))
    player.client.post(f"/matches/{lost_as_white}/resign")
    won_as_black = created_id(
        new_match(player, white="engine:1", black="human", fen=BACK_RANK_MATE_IN_ONE_FOR_BLACK)
    )
    player.client.post(f"/matches/{won_as_black}/move", {"move": "Rd1#"})
    drawn_as_white = created_id(new_match(player, fen=STALEMATE_IN_ONE))
    player.client.post(f"/matches/{drawn_as_white}/move", {"move": "Qf7"})
    both_sides = created_id(new_match(player, black="human"))
    player.client.post(f"/matches/{both_sides}/resign")
    created_id(new_match(player))  # still running: created, not played
    assert [get_meta(m).result for m in (lost_as_white, won_as_black, drawn_as_white, both_sides)] == [
        "0-1",
        "0-1",
        "1/2-1/2",
        "0-1",
    ]

    page = player.client.get("/me")
    assert figure(page, "data-created") == "5"
    assert figure(page, "data-played") == "4"
    assertContains(page, "<div><dt>Played both sides</dt><dd>1</dd></div>", html=True)
    assert record(page, "chess-white") == {"played": 2, "won": 0, "drawn": 1, "lost": 1, "aborted": 0}
    assert record(page, "chess-black") == {"played": 1, "won": 1, "drawn": 0, "lost": 0, "aborted": 0}
    counts = stats(alice.user_id)
    assert (counts.counter("chess_white_lost"), counts.counter("chess_black_won")) == (1, 1)
    assert counts.counter("chess_both_sides") == 1
    assert counts.counter("finished") == 4


def test_a_guests_games_count_on_the_profile_after_signing_up(player):
    guest_match = created_id(new_match(player))
    player.client.post(f"/matches/{guest_match}/resign")
    guest = get_meta(guest_match).owner
    assert stats(guest).counter("chess_white_lost") == 1
    player.client.post(
        "/accounts/signup", {"username": "alice", "password1": PASSWORD, "password2": PASSWORD}
    )
    page = player.client.get("/me")
    assert figure(page, "data-created") == "1"
    assert record(page, "chess-white")["lost"] == 1
    with pytest.raises(PlayerStatsItem.DoesNotExist):
        stats(guest)  # moved, not copied: nothing can be counted twice


def test_the_profile_page_costs_the_session_read_and_one_query(alice, player):
    match_id = created_id(new_match(player))
    player.client.post(f"/matches/{match_id}/resign")
    with count_requests() as cost:
        page = player.client.get("/me")
    assert page.status_code == 200
    assert cost.calls == {"GetItem": 1, "Query": 1}


def test_an_llm_matchs_spending_shows_on_the_profile_and_in_todays_usage(alice, player, providers, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 20
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 5
    providers.script(
        RESPONSES, Reply(body=responses_body("Final answer: e4", input_tokens=100_000, output_tokens=10_000))
    )
    match_id = created_id(new_match(player, white=GPT, black="human"))  # the model plays at once
    assert get_meta(match_id).moves == ["e2e4"]
    dollars = get_model(GPT).cost(Usage(100_000, 10_000))
    assert dollars == pytest.approx(0.021)

    usage = usage_today(alice.user_id)
    assert (usage.llm_matches, usage.calls, usage.tokens) == (1, 1, 110_000)
    assert float(usage.dollars) == pytest.approx(dollars)
    assert usage.expires_at > 0
    counts = stats(alice.user_id)
    assert (counts.counter("llm_tokens_in"), counts.counter("llm_tokens_out")) == (100_000, 10_000)
    assert counts.counter("dollars") == pytest.approx(dollars)

    page = player.client.get("/me")
    assert figure(page, "data-tokens") == "100000 / 10000"
    assert figure(page, "data-dollars") == "$0.0210"
    assert quota_line(page).startswith("LLM matches started: 1 of 20 · spent: $0.0210 of $5.00")


def test_todays_quota_shows_no_limit_when_there_is_none(alice, player, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 0
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 0
    assert (
        quota_line(player.client.get("/me"))
        == "LLM matches started: 0 (no limit) · spent: $0.0000 (no limit)"
    )


# --- quotas: number of LLM matches a day ----------------------------------------------------------
def test_the_match_after_the_days_quota_is_refused_and_nothing_is_written(alice, player, providers, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 2
    created_id(new_llm_match(player))
    created_id(new_llm_match(player))
    response = new_llm_match(player)
    assertContains(
        response,
        "Daily LLM quota reached: Each account may start 2 LLM matches a day, and you have started 2.",
        status_code=429,
    )
    assertContains(response, "It resets at 00:00 UTC.", status_code=429)
    assertContains(response, "<h1>New Chess match</h1>", html=True, status_code=429)  # on the form
    assertNotContains(response, "Sign up for a larger quota.", status_code=429)
    assert matches_stored() == 2
    assert len(player_matches(alice.user_id, limit=10)[0]) == 2
    assert usage_today(alice.user_id).llm_matches == 2
    assert stats(alice.user_id).counter("created") == 2
    assert stats(alice.user_id).counter("llm_matches") == 2


def test_llm_matches_racing_for_the_last_slot_of_the_day_create_exactly_one(moto_server, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 1
    racers = 4
    gate = threading.Barrier(racers)
    outcomes: list[str] = []

    def create() -> None:
        gate.wait(timeout=10)
        try:
            services.match_create(
                owner="u-racer", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("human")]
            )
        except services.QuotaExceeded:
            outcomes.append("refused")
        else:
            outcomes.append("created")

    with capture_tasks():  # entered once, in this thread: the LLM turns stay queued
        threads = [threading.Thread(target=create) for _ in range(racers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "refused", "refused", "refused"]
    assert matches_stored() == 1
    assert usage_today("u-racer").llm_matches == 1


def test_guests_have_the_guest_quota_and_are_told_to_sign_up(player, providers, settings):
    settings.ARENA_GUEST_QUOTA_LLM_MATCHES_PER_DAY = 1
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 5
    guest = get_meta(created_id(new_llm_match(player))).owner
    response = new_llm_match(player)
    assertContains(response, "Guests may start 1 LLM matches a day, and you have started 1.", status_code=429)
    assertContains(response, "Sign up for a larger quota.", status_code=429)
    assert usage_today(guest).llm_matches == 1
    assert matches_stored() == 1


def test_signing_up_gives_the_account_quota_but_keeps_todays_count(player, providers, settings):
    settings.ARENA_GUEST_QUOTA_LLM_MATCHES_PER_DAY = 1
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 2
    created_id(new_llm_match(player))
    assert new_llm_match(player).status_code == 429
    player.client.post(
        "/accounts/signup", {"username": "alice", "password1": PASSWORD, "password2": PASSWORD}
    )
    alice = users.find_user("alice")
    assert usage_today(alice.user_id).llm_matches == 1  # the guest's match came along
    created_id(new_llm_match(player))
    assertContains(new_llm_match(player), "you have started 2.", status_code=429)
    assert usage_today(alice.user_id).llm_matches == 2


def test_logging_in_does_not_reset_the_days_count_either(player, providers, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 1
    account = users.user_create(username="alice", password=PASSWORD)
    browser = Client()
    browser.post("/accounts/login", {"username": "alice", "password": PASSWORD})
    with capture_tasks():
        assert browser.post("/matches/new", {"white": GPT, "black": "human"}).status_code == 302
    browser.post("/accounts/logout")
    browser.post("/accounts/login", {"username": "alice", "password": PASSWORD})
    with capture_tasks():
        assert browser.post("/matches/new", {"white": GPT, "black": "human"}).status_code == 429
    assert usage_today(account.user_id).llm_matches == 1


def test_a_zero_quota_means_unlimited(alice, player, providers, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 0
    for _ in range(4):
        created_id(new_llm_match(player))
    assert usage_today(alice.user_id).llm_matches == 4


def test_a_zero_guest_quota_means_unlimited_for_guests(player, providers, settings):
    settings.ARENA_GUEST_QUOTA_LLM_MATCHES_PER_DAY = 0
    settings.ARENA_GUEST_QUOTA_DOLLARS_PER_DAY = 0
    for _ in range(4):
        guest = get_meta(created_id(new_llm_match(player))).owner
    assert usage_today(guest).llm_matches == 4


def test_matches_without_an_llm_are_never_counted(alice, player, providers, settings):
    settings.ARENA_QUOTA_LLM_MATCHES_PER_DAY = 1
    created_id(new_match(player))
    created_id(new_match(player, black="human"))
    assert usage_today(alice.user_id) is None
    created_id(new_llm_match(player))
    assert new_llm_match(player).status_code == 429
    with capture_tasks():  # the bots' game is not played out: only its creation matters here
        created_id(new_match(player, white="engine:1", black="random"))  # the quota is for LLMs only
    assert usage_today(alice.user_id).llm_matches == 1
    assert stats(alice.user_id).counter("created") == 4


# --- quotas: dollars a day -------------------------------------------------------------------------
def spend_today(player_id: str, dollars: float) -> None:
    UsageItem(player_pk(player_id), usage_sk(quotas.today()), dollars=dollars, llm_matches=0).save()


def test_an_llm_match_is_refused_once_the_days_dollars_are_spent(alice, player, providers, settings):
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 0.5
    spend_today(alice.user_id, 0.5)
    response = new_llm_match(player)
    assertContains(
        response,
        "Daily LLM quota reached: Each account may spend $0.50 a day on LLM calls, "
        "and yours have spent $0.50.",
        status_code=429,
    )
    assert matches_stored() == 0
    assert usage_today(alice.user_id).llm_matches == 0
    created_id(new_match(player))  # a match without an LLM costs nothing: still allowed


def test_an_llm_match_is_allowed_just_under_the_days_dollars(alice, player, providers, settings):
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 0.5
    spend_today(alice.user_id, 0.49)
    created_id(new_llm_match(player))
    assert usage_today(alice.user_id).llm_matches == 1


def test_real_spending_past_the_dollar_quota_refuses_the_next_llm_match(alice, player, providers, settings):
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 0.02
    providers.script(
        RESPONSES, Reply(body=responses_body("Final answer: e4", input_tokens=100_000, output_tokens=10_000))
    )
    created_id(new_match(player, white=GPT, black="human"))  # costs $0.021
    assertContains(new_llm_match(player), "yours have spent $0.02.", status_code=429)
    assert usage_today(alice.user_id).llm_matches == 1


def test_a_zero_dollar_quota_means_unlimited(alice, player, providers, settings):
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 0
    spend_today(alice.user_id, 1_000)
    created_id(new_llm_match(player))


def test_guests_have_the_guest_dollar_quota(player, providers, settings):
    settings.ARENA_GUEST_QUOTA_DOLLARS_PER_DAY = 0.25
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 10
    guest = get_meta(created_id(new_match(player))).owner
    spend_today(guest, 0.25)
    assertContains(new_llm_match(player), "Guests may spend $0.25 a day on LLM calls", status_code=429)
