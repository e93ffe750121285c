"""The JSON API of games and match creation: GET /api/games, POST /api/matches."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from games.models import get_meta

JSON = "application/json"


def post_json(client: Client, path: str, body: object, **extra):
    return client.post(path, json.dumps(body), content_type=JSON, **extra)


def test_the_games_are_listed_with_their_seats_bots_and_options(player):
    games = {game["id"]: game for game in player.client.get("/api/games").json()}

    assert set(games) == {"chess", "tictactoe", "connect4", "rps"}
    assert games["chess"]["seats"] == ["white", "black"]
    assert games["tictactoe"]["seats"] == ["x", "o"]
    assert games["connect4"]["seats"] == ["red", "yellow"]
    assert games["rps"]["seats"] == ["p1", "p2"]
    assert games["rps"]["simultaneous"] is True
    assert "perfect" in games["tictactoe"]["bots"]
    assert "solver" in games["connect4"]["bots"]
    assert "frequency" in games["rps"]["bots"]
    assert games["rps"]["options"]["best_of"]["default"] == 5
    assert "fen" in games["chess"]["options"]


def test_a_match_is_created_for_the_session_and_played_through_the_api(player):
    response = post_json(player.client, "/api/matches", {"game": "tictactoe", "players": ["human", "human"]})

    assert response.status_code == 201
    match = response.json()
    assert (match["game"], match["status"], match["to_act"]) == ("tictactoe", "running", ["x"])
    moved = post_json(player.client, f"/api/matches/{match['id']}/moves", {"move": "5"})
    assert moved.status_code == 201
    assert [m["move"] for m in moved.json()["moves"]] == ["b2"]
    assert get_meta(match["id"]).record == ["b2"]
    # The match is this browser's: another one cannot move in it.
    other = post_json(Client(), f"/api/matches/{match['id']}/moves", {"move": "a1"})
    assert other.status_code == 403


def test_creating_a_match_with_options_checks_them_as_the_form_does(player):
    ok = post_json(
        player.client,
        "/api/matches",
        {"game": "rps", "players": ["human", "random"], "options": {"best_of": 3}},
    )
    assert ok.status_code == 201
    assert ok.json()["state"]["best_of"] == 3

    bad = post_json(
        player.client,
        "/api/matches",
        {"game": "rps", "players": ["human", "random"], "options": {"best_of": 4}},
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "best_of"
    assert "odd" in bad.json()["error"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"game": "go", "players": ["human", "human"]}, "game", "no game"),
        ({"game": "chess", "players": ["human"]}, "players", "2 player references"),
        (
            {"game": "chess", "players": ["human", "grandmaster"]},
            "black",
            "grandmaster is not one of the available choices",
        ),
        (
            {"game": "tictactoe", "players": ["human", "engine:2"]},
            "o",
            "engine:2 is not one of the available choices",
        ),
        ({"game": "chess", "players": ["human", "human"], "options": {"fen": "8/8/8/8 w"}}, "fen", "FEN"),
    ],
)
def test_bad_creation_requests_name_the_field_at_fault(player, body, field, words):
    response = post_json(player.client, "/api/matches", body)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert words in response.json()["error"]


@pytest.mark.parametrize("raw", [b"[1, 2]", b"not json", b"[" * 5000 + b"]" * 5000, b'"text"'])
def test_a_malformed_body_is_a_400_not_a_500(player, raw):
    response = player.client.post("/api/matches", raw, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["error"]


def test_creating_through_the_api_needs_the_csrf_token(dynamodb):
    browser = Client(enforce_csrf_checks=True)
    refused = post_json(browser, "/api/matches", {"game": "chess", "players": ["human", "human"]})
    assert refused.status_code == 403
    browser.get("/matches/new")  # a form page sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    accepted = post_json(
        browser, "/api/matches", {"game": "chess", "players": ["human", "human"]}, HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201
    assert accepted.json()["fen"].startswith("rnbqkbnr/pppppppp")
