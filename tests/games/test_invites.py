"""Playing a person: the owner leaves a seat open, shares the link, and the first visitor takes it."""

from __future__ import annotations

import re

from accounts.models import PlayerStatsItem, player_pk
from games.models import get_meta


def _labels(response) -> list[str]:
    return re.findall(r'class="player \w+">([^<]*)<', response.content.decode())


def _sign_up(persona, name: str) -> None:
    response = persona.client.post(
        "/accounts/signup",
        {"username": name, "password1": "queen-side-castle-1", "password2": "queen-side-castle-1"},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_the_owner_shares_a_link_and_the_first_visitor_takes_the_open_seat(player, outsider):
    _sign_up(player, "hostess")
    _sign_up(outsider, "visitor")
    match_id = player.create_match(white="human", black="open")

    owner_page = player.client.get(f"/matches/{match_id}/").content.decode()
    assert "data-invite" in owner_page
    assert f"/matches/{match_id}/" in re.search(r'id="invite-[^"]+"[^>]*value="([^"]+)"', owner_page).group(1)
    assert "data-join" not in owner_page  # no seat for the one who invites

    visitor_page = outsider.client.get(f"/matches/{match_id}/").content.decode()
    assert "Take the Black seat and play" in visitor_page
    joined = outsider.client.post(f"/matches/{match_id}/join")
    assert joined.status_code == 302
    meta = get_meta(match_id)
    assert meta.players[1].startswith("person:")
    assert meta.players[1].endswith(":visitor")
    assert _labels(outsider.client.get(f"/matches/{match_id}/")) == ["hostess", "visitor (you)"]
    assert _labels(player.client.get(f"/matches/{match_id}/")) == ["hostess (you)", "visitor"]

    # Each moves their own side, and only their own.
    assert player.client.post(f"/matches/{match_id}/move", {"move": "e4"}).status_code == 302
    refused = player.client.post(f"/matches/{match_id}/move", {"move": "e5"})
    assert refused.status_code == 409
    assert outsider.client.post(f"/matches/{match_id}/move", {"move": "e5"}).status_code == 302
    assert get_meta(match_id).moves == ["e2e4", "e7e5"]

    # The visitor resigns: a win for the host and a loss for the visitor, in both lists and stats.
    assert outsider.client.post(f"/matches/{match_id}/resign").status_code == 302
    host_list = player.client.get("/me/games?result=won").content.decode()
    visitor_list = outsider.client.get("/me/games?result=lost").content.decode()
    assert f'data-match="{match_id}"' in host_list
    assert f'data-match="{match_id}"' in visitor_list
    host, visitor = (get_meta(match_id).owner, get_meta(match_id).players[1].split(":")[1])
    assert PlayerStatsItem.get(player_pk(host), "STATS").counter("chess_white_won") == 1
    assert PlayerStatsItem.get(player_pk(visitor), "STATS").counter("chess_black_lost") == 1


def test_a_taken_seat_cannot_be_taken_again_and_the_owner_cannot_take_their_own(player, outsider, make_match):
    match_id = player.create_match(white="open", black="human")
    own = player.client.post(f"/matches/{match_id}/join")
    assert own.status_code == 409
    assert "You already play in this match" in own.content.decode()
    assert outsider.client.post(f"/matches/{match_id}/join").status_code == 302
    from tests.conftest import Persona

    latecomer = Persona("latecomer")
    late = latecomer.client.post(f"/matches/{match_id}/join")
    assert late.status_code == 409
    assert "Both seats of this match are taken" in late.content.decode()
    assert get_meta(match_id).players[0].endswith(":Guest")


def test_an_open_seat_against_the_engine_waits_for_the_person_then_the_engine_replies(player, outsider):
    match_id = player.create_match(white="open", black="engine:1")
    status = re.search(
        r"data-status>(.*?)</p>", player.client.get(f"/matches/{match_id}/").content.decode()
    ).group(1)
    assert "Waiting for an invited player to take the White seat" in status
    assert get_meta(match_id).moves == []
    outsider.client.post(f"/matches/{match_id}/join")
    outsider.client.post(f"/matches/{match_id}/move", {"move": "d4"})
    assert len(get_meta(match_id).moves) == 2  # the engine answered at once (inline tasks)


def test_a_guest_who_took_a_seat_keeps_it_when_signing_up(player, outsider):
    match_id = player.create_match(white="human", black="open")
    outsider.client.post(f"/matches/{match_id}/join")
    _sign_up(outsider, "latejoiner")
    meta = get_meta(match_id)
    assert meta.players[1].endswith(":latejoiner")
    assert (
        outsider.client.post(f"/matches/{match_id}/move", {"move": "e5"}).status_code == 409
    )  # not their turn
    player.client.post(f"/matches/{match_id}/move", {"move": "e4"})
    assert outsider.client.post(f"/matches/{match_id}/move", {"move": "e5"}).status_code == 302
    assert f'data-match="{match_id}"' in outsider.client.get("/me/games").content.decode()
