"""The "My games" page: this browser's (or account's) matches, newest first, filtered and paged."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import signing
from django.test import Client
from pytest_django.asserts import assertContains

from accounts import users
from accounts.forms import CURSOR_SALT
from accounts.models import player_pk
from accounts.projections import PlayerMatchItem, player_match_sk
from arena_site.tables import count_requests
from games.models import get_meta, new_match_id, now_utc

BACK_RANK_MATE_IN_ONE = "6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1"  # Rd8#
STALEMATE_IN_ONE = "7k/4Q3/6K1/8/8/8/8/8 w - - 0 1"  # Qf7 leaves Black no move
DAMAGED = "This page link is damaged; start again from the first page."


# --- helpers -----------------------------------------------------------------------------
def create(persona, white: str = "human", black: str = "human", fen: str = "") -> str:
    return persona.create_match(white=white, black=black, fen=fen)


def player_id(persona) -> str:
    """The browser's player id, as the owner of a match it creates."""
    return get_meta(create(persona)).owner


def listed(response) -> list[str]:
    """The match ids of a "My games" page, in the order shown."""
    return re.findall(r'<li data-match="([a-z0-9]{10})">', response.content.decode())


def entry_text(response, match_id: str) -> str:
    found = re.search(rf'<li data-match="{match_id}">(.*?)</li>', response.content.decode(), re.S)
    assert found, f"{match_id} is not listed"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


def next_link(response) -> str | None:
    found = re.search(r'<a href="([^"]+)" data-next>Older', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def list_entries(owner: str, count: int) -> list[str]:
    """``count`` more list entries of ``owner``, newest last, as insert_match writes them.

    Written in one batch: 44 real creations cost seconds, as moto copies the whole table for
    every item of a transaction, and paging reads nothing but these entries anyway.
    """
    ids: list[str] = []
    start = now_utc()
    with PlayerMatchItem.batch_write() as batch:
        for number in range(count):
            match_id, created = new_match_id(), start + dt.timedelta(milliseconds=number + 1)
            ids.append(match_id)
            batch.save(
                PlayerMatchItem(
                    player_pk(owner),
                    player_match_sk(created, match_id),
                    match_id=match_id,
                    players=["human", "human"],
                    owner=owner,
                    sides=["white", "black"],
                    created_at=created,
                )
            )
    return ids


def my_games(persona, query: str = ""):
    response = persona.client.get(f"/me/games{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


@pytest.fixture
def results(player):
    """Five matches of one browser, one of each kind of ending (and one still running)."""
    lost = create(player, black="engine:1")
    player.client.post(f"/matches/{lost}/resign")
    won = create(player, black="engine:1", fen=BACK_RANK_MATE_IN_ONE)
    player.client.post(f"/matches/{won}/move", {"move": "Rd8#"})
    drawn = create(player, black="engine:1", fen=STALEMATE_IN_ONE)
    player.client.post(f"/matches/{drawn}/move", {"move": "Qf7"})
    # One browser playing both sides has neither won nor lost: White (to move) resigns, 0-1.
    both = create(player)
    player.client.post(f"/matches/{both}/resign")
    running = create(player, black="engine:1")
    ids = {"lost": lost, "won": won, "drawn": drawn, "both": both, "running": running}
    finished = {key: get_meta(match_id) for key, match_id in ids.items() if key != "running"}
    assert {key: meta.result for key, meta in finished.items()} == {
        "lost": "0-1",
        "won": "1-0",
        "drawn": "1/2-1/2",
        "both": "0-1",
    }
    return ids


# --- listing -----------------------------------------------------------------------------------
def test_a_browser_without_matches_is_invited_to_start_one(player):
    response = my_games(player)
    assert listed(response) == []
    assertContains(response, "No match yet.")
    assert next_link(response) is None


def test_matches_are_listed_newest_first(player):
    first, second, third = create(player), create(player), create(player, black="engine:1")
    assert listed(my_games(player)) == [third, second, first]


def test_forty_five_matches_come_in_pages_of_twenty_twenty_and_five_at_one_query_each(player):
    first = create(player)
    me = get_meta(first).owner
    created = [first, *list_entries(me, 44)]
    pages: list[list[str]] = []
    url: str | None = "/me/games"
    while url is not None:
        with count_requests() as cost:
            response = player.client.get(url)
        assert response.status_code == 200
        assert cost.calls == {"GetItem": 1, "Query": 1}, url  # the session, the player's partition
        pages.append(listed(response))
        url = next_link(response)
        assert len(pages) <= 3, "more pages than matches"
    assert [len(page) for page in pages] == [20, 20, 5]
    shown = [match_id for page in pages for match_id in page]
    assert shown == list(reversed(created))  # newest first, no gap, no repeat


def test_a_full_last_page_offers_no_older_link(player, make_match, monkeypatch):
    monkeypatch.setattr("accounts.views.MY_GAMES_PAGE", 3)
    me = player_id(player)
    for _ in range(5):
        make_match(owner=me)
    second = player.client.get(next_link(my_games(player)))
    assert len(listed(second)) == 3
    assert next_link(second) is None


def test_an_older_page_links_back_to_the_newest(player, make_match, monkeypatch):
    monkeypatch.setattr("accounts.views.MY_GAMES_PAGE", 2)
    me = player_id(player)
    make_match(owner=me)
    make_match(owner=me)
    older = player.client.get(next_link(my_games(player)))
    assertContains(older, "data-first")
    assert len(listed(older)) == 1


def test_an_outsider_does_not_see_the_players_matches(player, outsider, results):
    create(outsider)
    theirs = listed(my_games(outsider))
    assert len(theirs) == 1
    assert not set(theirs) & set(results.values())


def test_a_page_link_from_another_players_list_shows_only_your_own_matches(
    player, outsider, make_match, monkeypatch
):
    monkeypatch.setattr("accounts.views.MY_GAMES_PAGE", 1)
    mine = create(outsider)  # older than the player's page link: it would show if anything did
    me = player_id(player)
    make_match(owner=me)
    link = next_link(my_games(player))
    assert listed(outsider.client.get(link)) == [mine]


# --- filters ----------------------------------------------------------------------------------
FILTERS = [
    ("?status=running", ["running"]),
    ("?status=finished", ["both", "drawn", "won", "lost"]),
    ("?result=won", ["won"]),
    ("?result=lost", ["lost"]),
    ("?result=drawn", ["drawn"]),
    ("?result=1-0", ["won"]),
    ("?result=0-1", ["both", "lost"]),
    ("?result=1/2-1/2", ["drawn"]),
    ("?result=*", []),
    ("?game=chess", ["running", "both", "drawn", "won", "lost"]),
    ("?game=chess&status=finished&result=lost", ["lost"]),
    ("?status=running&result=won", []),
]


def test_the_filters_pick_matches_by_status_game_and_result_as_this_player_sees_it(player, results):
    # One setup for every filter (a loop, not parametrize): the five matches take most of the time.
    for query, expected in FILTERS:
        response = my_games(player, query)
        assert listed(response) == [results[key] for key in expected], query
        if not expected:
            assertContains(response, "No match of yours fits these filters.")


def test_filtered_pages_keep_the_filter_and_neither_skip_nor_repeat(player, make_match, monkeypatch):
    monkeypatch.setattr("accounts.views.MY_GAMES_PAGE", 3)
    me = player_id(player)
    finished = []
    for number in range(8):
        match = make_match(owner=me)
        if number % 2 == 0:
            player.client.post(f"/matches/{match.match_id}/resign")
            finished.append(match.match_id)
    shown: list[str] = []
    url: str | None = "/me/games?status=finished"
    while url is not None:
        response = player.client.get(url)
        assert response.status_code == 200
        shown += listed(response)
        url = next_link(response)
        if url is not None:
            assert "status=finished" in url
    assert shown == list(reversed(finished))


@pytest.mark.parametrize("query", ["?status=paused", "?result=victory", "?game=go"])
def test_an_unknown_filter_value_is_a_400_with_a_message(player, query):
    create(player)
    response = player.client.get(f"/me/games{query}")
    assertContains(response, "Select a valid choice.", status_code=400)


# --- cursors ----------------------------------------------------------------------------------
def test_a_tampered_page_link_is_a_400_with_a_message_not_a_500(player, make_match, monkeypatch):
    monkeypatch.setattr("accounts.views.MY_GAMES_PAGE", 1)
    me = player_id(player)
    make_match(owner=me)
    link = next_link(my_games(player))
    cursor = link.split("after=", 1)[1]
    tampered = cursor[:-3] + ("aaa" if not cursor.endswith("aaa") else "bbb")
    for after in [tampered, "garbage", signing.dumps("PLAYER#someone-else", salt=CURSOR_SALT), "x" * 1001]:
        response = player.client.get("/me/games", {"after": after})
        assert response.status_code == 400, after
        assert listed(response) == []
    assertContains(player.client.get("/me/games", {"after": tampered}), DAMAGED, status_code=400)
    assertContains(
        player.client.get("/me/games", {"after": signing.dumps("MATCH#x", salt="another.salt")}),
        DAMAGED,
        status_code=400,
    )


# --- costs ---------------------------------------------------------------------------------
def test_a_filtered_page_reads_only_the_players_partition_and_never_scans(player, results):
    with count_requests() as filtered:
        response = my_games(player, "?result=won")
    assert listed(response) == [results["won"]]
    assert filtered.calls == {"GetItem": 1, "Query": 1}


def test_a_visitor_without_a_session_costs_nothing(dynamodb):
    with count_requests() as counter:
        response = Client().get("/me/games")
    assert response.status_code == 200
    assert counter.total == 0


# --- what an entry shows -----------------------------------------------------------------------
def test_finished_entries_show_the_result_and_what_it_means_for_me(player, results):
    response = my_games(player)
    won, lost = entry_text(response, results["won"]), entry_text(response, results["lost"])
    assert "1-0" in won
    assert "you won" in won
    assert "0-1" in lost
    assert "you lost" in lost
    assert "1/2-1/2" in entry_text(response, results["drawn"])
    both = entry_text(response, results["both"])
    assert "0-1" in both
    assert "you played White and Black" in both
    assert "you won" not in both
    assert "you lost" not in both
    assert "in progress" in entry_text(response, results["running"])


def test_a_drawn_entry_reads_as_english(player, results):
    text = entry_text(my_games(player), results["drawn"])
    assert "you drawn" not in text
    assert "a draw" in text


def test_an_accounts_entries_carry_its_name(player):
    users.user_create(username="alice", password="quartz-lantern-91")
    player.client.post("/accounts/login", {"username": "alice", "password": "quartz-lantern-91"})
    match_id = create(player, black="engine:1")
    assert entry_text(my_games(player), match_id).startswith("alice vs Arena engine 1")
