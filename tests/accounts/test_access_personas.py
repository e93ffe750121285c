"""Who may do what, view by view: the same five personas against every page and action.

player: the account that created the match and plays White; opponent: the account that took
the open Black seat; outsider: another account; guest: a browser without an account; staff: a
staff account (no more rights over other people's matches than anyone).
"""

from __future__ import annotations

import json

import pytest

from accounts.users import find_user, user_make_staff
from arena_site.tasks import capture_tasks
from games.models import get_meta
from tests.conftest import Persona

PERSONAS = ("player", "opponent", "outsider", "guest", "staff")


@pytest.fixture
def cast(dynamodb) -> dict[str, Persona]:
    people = {name: Persona(name) for name in PERSONAS}
    for name in ("player", "opponent", "outsider", "staff"):
        people[name].sign_up(f"{name}-account")
    user_make_staff(user=find_user("staff-account"))
    people["staff"] = Persona("staff").log_in("staff-account")  # the flag is read at login
    return people


@pytest.fixture
def match_id(cast: dict[str, Persona]) -> str:
    """player (White) vs opponent (Black), White to move."""
    match_id = cast["player"].create_match(white="human", black="open")
    assert cast["opponent"].client.post(f"/matches/{match_id}/join").status_code == 302
    return match_id


def _pages(match_id: str) -> list[str]:
    return [
        "/",
        "/matches/new",
        f"/matches/{match_id}/",
        f"/matches/{match_id}/?ply=0",
        f"/matches/{match_id}/live?v=0",
        f"/matches/{match_id}/pgn",
        f"/api/matches/{match_id}",
        "/me/games",
        "/accounts/login",
        "/accounts/signup",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_public_page_answers_everyone(cast, match_id, persona):
    for page in _pages(match_id):
        assert cast[persona].client.get(page).status_code == 200, page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("player", 200), ("opponent", 200), ("outsider", 200), ("guest", 302), ("staff", 200)],
)
@pytest.mark.parametrize("page", ["/me", "/accounts/password"])
def test_the_account_pages_need_an_account(cast, persona, expected, page):
    response = cast[persona].client.get(page)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == f"/accounts/login?next={page}"


def test_the_profile_shows_only_ones_own_account(cast, match_id):
    for name in ("player", "opponent", "outsider", "staff"):
        html = cast[name].client.get("/me").content.decode()
        assert f"<h1>{name}-account</h1>" in html
        others = [other for other in ("player", "opponent", "outsider", "staff") if other != name]
        assert not any(f"<h1>{other}-account</h1>" in html for other in others)


@pytest.mark.parametrize(
    ("persona", "expected"), [("player", 1), ("opponent", 1), ("outsider", 0), ("guest", 0), ("staff", 0)]
)
def test_my_games_lists_the_match_only_for_those_who_play_it(cast, match_id, persona, expected):
    assert (
        cast[persona].client.get("/me/games").content.decode().count(f'data-match="{match_id}"') == expected
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("player", 302), ("opponent", 409), ("outsider", 403), ("guest", 403), ("staff", 403)],
)
def test_only_the_side_to_move_may_move_in_the_form(cast, match_id, persona, expected):
    response = cast[persona].client.post(f"/matches/{match_id}/move", {"move": "e4"})
    assert response.status_code == expected
    assert get_meta(match_id).moves == (["e2e4"] if expected == 302 else [])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("player", 201), ("opponent", 409), ("outsider", 403), ("guest", 403), ("staff", 403)],
)
def test_only_the_side_to_move_may_move_through_the_api(cast, match_id, persona, expected):
    response = cast[persona].client.post(
        f"/api/matches/{match_id}/moves", json.dumps({"move": "e4"}), content_type="application/json"
    )
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["moves"] == [
            {"ply": 1, "move": "e2e4", "label": "e4", "uci": "e2e4", "san": "e4"}
        ]
    else:
        assert response.json()["status"] == expected
        assert get_meta(match_id).moves == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("player", 302), ("opponent", 302), ("outsider", 403), ("guest", 403), ("staff", 403)],
)
def test_only_the_two_players_may_resign(cast, match_id, persona, expected):
    response = cast[persona].client.post(f"/matches/{match_id}/resign")
    assert response.status_code == expected
    meta = get_meta(match_id)
    if expected == 302:
        assert meta.termination == "resignation"
        assert meta.winner == ("black" if persona == "player" else "white")
    else:
        assert meta.status == "running"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("player", 409), ("opponent", 409), ("outsider", 403), ("guest", 403), ("staff", 403)],
)
def test_a_draw_claim_needs_the_side_to_move_and_a_claimable_position(cast, match_id, persona, expected):
    # Players get 409 (not their turn, or nothing claimable at the start); others 403.
    assert cast[persona].client.post(f"/matches/{match_id}/claim-draw").status_code == expected
    assert get_meta(match_id).status == "running"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_taken_seat_is_taken_for_everyone(cast, match_id, persona):
    assert cast[persona].client.post(f"/matches/{match_id}/join").status_code == 409
    assert get_meta(match_id).players[1].endswith(":opponent-account")


@pytest.mark.parametrize("persona", ["outsider", "guest", "staff"])
def test_an_open_seat_goes_to_whoever_takes_it_first(cast, persona):
    with capture_tasks():
        match_id = cast["player"].create_match(white="human", black="open")
    assert cast[persona].client.post(f"/matches/{match_id}/join").status_code == 302
    assert get_meta(match_id).participants().get(get_meta(match_id).players[1].split(":")[1]) == ["black"]
    assert cast["opponent"].client.post(f"/matches/{match_id}/join").status_code == 409


@pytest.mark.parametrize("persona", PERSONAS)
def test_logging_out_is_a_post_and_ends_the_session(cast, persona):
    assert cast[persona].client.get("/accounts/logout").status_code == 405
    assert cast[persona].client.post("/accounts/logout").status_code == 302
    assert cast[persona].client.get("/me").status_code == 302
