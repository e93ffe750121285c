"""Every kind of bad input gets a clear message and a 4xx, never a 500, and changes nothing."""

from __future__ import annotations

import json

import pytest

from arena_site.tasks import capture_tasks
from games.models import get_meta, load_match

FOOLS_MATE_DONE = "rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3"


def _state(match_id: str) -> tuple[int, list[str], str]:
    loaded = load_match(match_id)
    assert loaded is not None
    return loaded.meta.version, list(loaded.meta.moves), loaded.meta.status


def _api_move(persona, match_id: str, move: object, *, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps({"move": move}).encode()
    return persona.client.post(f"/api/matches/{match_id}/moves", body, content_type="application/json")


@pytest.mark.parametrize(
    ("move", "words"),
    [
        ("Ke2", "not a legal move"),  # the king is boxed in
        ("e2e5", "cannot move to e5"),
        ("zz9", "not a move"),  # malformed
        ("e1e1", "different square"),
        ("", "Enter a move"),
        ("x" * 30, "too long"),
        ("x" * 50, "Enter a move"),  # longer than the form allows
    ],
)
def test_a_bad_move_in_the_form_is_refused_with_a_message_and_nothing_changes(player, move, words):
    match_id = player.create_match(white="human", black="human")
    before = _state(match_id)
    response = player.client.post(f"/matches/{match_id}/move", {"move": move})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert _state(match_id) == before


def test_an_ambiguous_move_names_both_pieces(player):
    fen = "4k3/8/8/8/8/8/4K3/R6R w - - 0 1"
    match_id = player.create_match(white="human", black="human", fen=fen)
    response = _api_move(player, match_id, "Rd1")
    assert response.status_code == 400
    message = response.json()["error"]
    assert "ambiguous" in message
    assert "a1" in message
    assert "h1" in message
    assert _state(match_id)[1] == []


def test_a_move_for_the_wrong_side_says_whose_turn_it_is(player):
    match_id = player.create_match(white="human", black="human")
    player.client.post(f"/matches/{match_id}/move", {"move": "e4"})
    version, moves, _ = _state(match_id)
    response = _api_move(player, match_id, "Nf3")  # a White move while Black is to move
    assert response.status_code == 400
    assert "move for White" in response.json()["error"]
    assert _state(match_id) == (version, moves, "running")


def test_moving_while_the_bot_is_to_move_is_a_conflict(player):
    with capture_tasks() as queued:  # the bot's step stays queued: it is still White's turn
        match_id = player.create_match(white="engine:1", black="human")
        before = _state(match_id)
        response = _api_move(player, match_id, "e5")
        form = player.client.post(f"/matches/{match_id}/move", {"move": "e5"})
    assert queued
    assert response.status_code == 409
    assert "White's turn" in response.json()["error"]
    assert form.status_code == 409
    assert _state(match_id) == before


def test_a_move_on_a_finished_match_is_a_conflict(player):
    match_id = player.create_match(white="human", black="human")
    player.client.post(f"/matches/{match_id}/resign")
    before = _state(match_id)
    assert before[2] == "finished"
    response = _api_move(player, match_id, "e4")
    assert response.status_code == 409
    assert "over" in response.json()["error"]
    form_response = player.client.post(f"/matches/{match_id}/move", {"move": "e4"})
    assert form_response.status_code == 409
    assert _state(match_id) == before


def test_a_move_by_someone_else_is_forbidden(player, outsider):
    match_id = player.create_match(white="human", black="human")
    before = _state(match_id)
    api = _api_move(outsider, match_id, "e4")
    assert api.status_code == 403
    assert "another player" in api.json()["error"]
    page = outsider.client.post(f"/matches/{match_id}/move", {"move": "e4"})
    assert page.status_code == 403
    resign = outsider.client.post(f"/matches/{match_id}/resign")
    assert resign.status_code == 403
    assert _state(match_id) == before


@pytest.mark.parametrize("match_id", ["abcdefghjk", "zzzzzzzzzz"])
def test_an_unknown_match_is_not_found_everywhere(player, match_id):
    assert player.client.get(f"/matches/{match_id}/").status_code == 404
    assert player.client.get(f"/matches/{match_id}/pgn").status_code == 404
    assert player.client.get(f"/matches/{match_id}/live?v=1").status_code == 404
    assert player.client.post(f"/matches/{match_id}/move", {"move": "e4"}).status_code == 404
    assert player.client.post(f"/matches/{match_id}/resign").status_code == 404
    api = player.client.get(f"/api/matches/{match_id}")
    assert api.status_code == 404
    assert "no match" in api.json()["error"]
    assert _api_move(player, match_id, "e4").status_code == 404


@pytest.mark.parametrize("match_id", ["short", "UPPERCASE1", "x" * 80, "abc%20def", "ab'c<d>ef"])
def test_a_malformed_match_id_is_refused_clearly(player, match_id):
    page = player.client.get(f"/matches/{match_id}/")
    assert page.status_code == 404
    assert "<d>" not in page.content.decode()
    api = player.client.get(f"/api/matches/{match_id}")
    assert api.status_code == 400
    assert "Malformed match id" in api.json()["error"]
    assert _api_move(player, match_id, "e4").status_code == 400


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"not json", "must be JSON"),
        (b'["e4"]', "as a string"),
        (b'{"move": 42}', "as a string"),
        (b'{"mvoe": "e4"}', "as a string"),
        (b"\xff\xfe", "must be JSON"),
    ],
)
def test_a_malformed_api_body_is_a_400_with_a_message(player, raw, words):
    match_id = player.create_match(white="human", black="human")
    before = _state(match_id)
    response = _api_move(player, match_id, None, raw=raw)
    assert response.status_code == 400
    assert words in response.json()["error"]
    assert _state(match_id) == before


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        ("not a fen", "not a valid FEN"),
        ("8/8/8/8/8/8/8/8 w - - 0 1", "no king"),
        ("4k3/8/8/8/8/8/8/4K2P w - - 0 1", "first or last rank"),
        (FOOLS_MATE_DONE, "already over"),
        ("<script>alert(1)</script>", "not a valid FEN"),
    ],
)
def test_an_invalid_fen_is_refused_beside_the_field(player, fen, words):
    response = player.client.post(
        "/matches/new", {"white": "human", "black": "random", "fen": fen, "pace": "0"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert "<script>alert(1)</script>" not in html


def test_an_unknown_player_choice_is_refused(player):
    response = player.client.post(
        "/matches/new", {"white": "gpt-9", "black": "random", "fen": "", "pace": "0"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_post_without_csrf_token_is_refused_for_pages_and_api(player, dynamodb):
    match_id = player.create_match(white="human", black="human")
    strict = player.csrf_client
    strict.cookies = player.client.cookies  # same browser session, but no token sent
    before = _state(match_id)
    page = strict.post(f"/matches/{match_id}/move", {"move": "e4"})
    assert page.status_code == 403
    assert "CSRF" in page.content.decode()
    api = strict.post(f"/api/matches/{match_id}/moves", {"move": "e4"}, content_type="application/json")
    assert api.status_code == 403
    assert "CSRF" in api.json()["error"]
    new = strict.post("/matches/new", {"white": "human", "black": "random"})
    assert new.status_code == 403
    assert _state(match_id) == before


def test_the_api_accepts_a_move_with_the_csrf_header(player):
    match_id = player.create_match(white="human", black="human")
    strict = player.csrf_client
    strict.cookies = player.client.cookies
    strict.get(f"/matches/{match_id}/")  # sets the csrftoken cookie
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        f"/api/matches/{match_id}/moves",
        {"move": "e4"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201
    assert response.json()["moves"] == [{"ply": 1, "move": "e2e4", "label": "e4", "uci": "e2e4", "san": "e4"}]
    assert get_meta(match_id).moves == ["e2e4"]


def test_wrong_http_methods_are_405(player):
    match_id = player.create_match(white="human", black="human")
    assert player.client.get(f"/matches/{match_id}/move").status_code == 405
    assert player.client.get(f"/api/matches/{match_id}/moves").status_code == 405
    assert player.client.post(f"/api/matches/{match_id}").status_code == 405
