"""What players and watchers see on the home, new-match and match pages."""

from __future__ import annotations

import io
import re

import chess
import chess.pgn
import pytest

from arena_site.tables import count_requests
from arena_site.tasks import capture_tasks
from games.models import get_meta

BACK_RANK_MATE_IN_ONE = "6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1"
PROMOTION = "8/4P1k1/8/8/8/8/8/4K3 w - - 0 1"


def _status(response) -> str:
    match = re.search(r"data-status>(.*?)</p>", response.content.decode(), re.S)
    assert match, "no status line on the page"
    return match.group(1).strip()


def test_the_home_page_lists_live_and_finished_matches_and_offers_a_new_one(player):
    live = player.create_match(white="human", black="human")
    done = player.create_match(white="human", black="human")
    player.client.post(f"/matches/{done}/resign")
    response = player.client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Live now" in html
    assert "Recently finished" in html
    assert f"/matches/{live}/" in html
    assert f"/matches/{done}/" in html
    assert 'href="/matches/new"' in html
    live_part, finished_part = html.split("Recently finished", 1)
    assert f"/matches/{live}/" in live_part
    assert f"/matches/{done}/" in finished_part
    assert "resignation" in finished_part


def test_the_new_match_form_offers_every_kind_of_player(player):
    html = player.client.get("/matches/new").content.decode()
    for value in ["human", "random", "engine:1", "engine:2", "engine:3", "engine:4"]:
        assert f'value="{value}"' in html
    assert "Start position (FEN)" in html


def test_stockfish_is_offered_only_when_a_binary_is_found(player, settings, monkeypatch):
    from games.chess import bots

    monkeypatch.setattr(bots, "stockfish_path", lambda: None)
    assert 'value="stockfish:' not in player.client.get("/matches/new").content.decode()
    monkeypatch.setattr(bots, "stockfish_path", lambda: "/usr/games/stockfish")
    assert 'value="stockfish:20"' in player.client.get("/matches/new").content.decode()


def test_a_new_match_from_a_pasted_fen_starts_there(player):
    fen = "4k3/8/8/8/8/8/4P3/4K3 w - - 0 1"
    match_id = player.create_match(white="human", black="human", fen=f"  {fen}  ")
    meta = get_meta(match_id)
    assert meta.start == fen
    assert fen in player.client.get(f"/matches/{match_id}/").content.decode()


def test_the_match_page_shows_an_svg_board_the_moves_and_the_fen(player):
    match_id = player.create_match(white="human", black="human")
    for move in ["e4", "e5", "Nf3"]:
        player.client.post(f"/matches/{match_id}/move", {"move": move})
    response = player.client.get(f"/matches/{match_id}/")
    html = response.content.decode()
    assert "<svg" in html
    assert 'class="lastmove"' in html or "lastmove" in html
    assert re.search(r'<span class="num">1\.</span>\s*<a[^>]*>e4</a>\s*<a[^>]*>e5</a>', html)
    assert re.search(r'<span class="num">2\.</span>\s*<a[^>]*>Nf3</a>', html)
    board = chess.Board()
    for san in ["e4", "e5", "Nf3"]:
        board.push_san(san)
    assert board.fen() in html
    assert _status(response) == "Black is to move."
    # No inline style attributes: the page must work under a strict Content-Security-Policy.
    assert "style=" not in html


def test_the_board_is_oriented_for_the_human_side(player):
    with capture_tasks():
        as_black = player.create_match(white="engine:1", black="human")
    as_white = player.create_match(white="human", black="engine:1")

    def a1_is_at_the_bottom(match_id: str) -> bool:
        html = player.client.get(f"/matches/{match_id}/").content.decode()
        a1 = re.search(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="square dark a1"', html)
        a8 = re.search(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="square light a8"', html)
        return float(a1.group(1)) > float(a8.group(1))

    assert a1_is_at_the_bottom(as_white)
    assert not a1_is_at_the_bottom(as_black)


def test_check_is_highlighted_and_said(player):
    match_id = player.create_match(white="human", black="human")
    for move in ["e4", "f5", "Qh5+"]:
        player.client.post(f"/matches/{match_id}/move", {"move": move})
    response = player.client.get(f"/matches/{match_id}/")
    assert 'class="check"' in response.content.decode()
    assert "Check!" in _status(response)


def test_a_checkmate_ends_the_match_with_result_and_reason(player):
    match_id = player.create_match(white="human", black="human", fen=BACK_RANK_MATE_IN_ONE)
    response = player.client.post(f"/matches/{match_id}/move", {"move": "Rd8#"}, follow=True)
    assert _status(response) == "White wins by checkmate (1-0)."
    meta = get_meta(match_id)
    assert (meta.status, meta.result, meta.termination, meta.winner) == (
        "finished",
        "1-0",
        "checkmate",
        "white",
    )
    assert "data-move-form" not in response.content.decode()


@pytest.mark.parametrize(
    ("fen", "moves", "status"),
    [
        ("7k/8/6Q1/8/8/8/8/K7 w - - 0 1", ["Qf7"], "Draw by stalemate (1/2-1/2)."),
        ("k7/8/8/8/8/8/1r6/K1N5 w - - 0 1", ["Kxb2"], "Draw by insufficient material (1/2-1/2)."),
        ("k7/8/8/8/8/8/8/K6R w - - 149 100", ["Rh2"], "Draw by the 75-move rule (1/2-1/2)."),
    ],
)
def test_automatic_draws_end_the_match(player, fen, moves, status):
    match_id = player.create_match(white="human", black="human", fen=fen)
    for move in moves:
        response = player.client.post(f"/matches/{match_id}/move", {"move": move}, follow=True)
    assert _status(response) == status


def test_fivefold_repetition_ends_the_match_by_itself(player):
    match_id = player.create_match(white="human", black="human")
    shuffle = ["Nf3", "Nf6", "Ng1", "Ng8"] * 4
    for move in shuffle:
        response = player.client.post(f"/matches/{match_id}/move", {"move": move}, follow=True)
    assert _status(response) == "Draw by fivefold repetition (1/2-1/2)."


def test_a_human_may_claim_a_threefold_repetition(player):
    match_id = player.create_match(white="human", black="human")
    for move in ["Nf3", "Nf6", "Ng1", "Ng8"] * 2:
        response = player.client.post(f"/matches/{match_id}/move", {"move": move}, follow=True)
    assert "Claim a draw (threefold repetition)" in response.content.decode()
    response = player.client.post(f"/matches/{match_id}/claim-draw", follow=True)
    assert _status(response) == "Draw by threefold repetition (1/2-1/2)."


def test_a_draw_cannot_be_claimed_without_reason(player):
    match_id = player.create_match(white="human", black="human")
    response = player.client.post(f"/matches/{match_id}/claim-draw")
    assert response.status_code == 409
    assert "No draw can be claimed" in response.content.decode()


def test_the_fifty_move_rule_can_be_claimed(player):
    match_id = player.create_match(white="human", black="human", fen="k7/8/8/8/8/8/8/K6R w - - 99 80")
    player.client.post(f"/matches/{match_id}/move", {"move": "Rh2"})
    player.client.post(f"/matches/{match_id}/move", {"move": "Kb8"})
    response = player.client.post(f"/matches/{match_id}/claim-draw", follow=True)
    assert _status(response) == "Draw by the 50-move rule (1/2-1/2)."


def test_promotion_castling_and_en_passant_can_be_played_from_the_form(player):
    match_id = player.create_match(white="human", black="human", fen=PROMOTION)
    player.client.post(f"/matches/{match_id}/move", {"move": "e8=N+"})
    assert get_meta(match_id).moves == ["e7e8n"]
    castle = player.create_match(white="human", black="human", fen="r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1")
    player.client.post(f"/matches/{castle}/move", {"move": "O-O"})
    player.client.post(f"/matches/{castle}/move", {"move": "e8c8"})
    assert get_meta(castle).moves == ["e1g1", "e8c8"]
    ep = player.create_match(white="human", black="human", fen="4k3/3p4/8/4P3/8/8/8/4K3 b - - 0 1")
    player.client.post(f"/matches/{ep}/move", {"move": "d5"})
    player.client.post(f"/matches/{ep}/move", {"move": "exd6"})
    assert get_meta(ep).position.startswith("4k3/8/3P4/8/8/8/8/4K3 b")


def test_the_player_resigns_and_the_engine_wins(player):
    match_id = player.create_match(white="human", black="engine:1")
    response = player.client.post(f"/matches/{match_id}/resign", {"side": "white"}, follow=True)
    assert _status(response) == "Black wins by resignation (0-1)."
    assert "You resigned." in response.content.decode()


def test_a_bot_to_move_is_shown_thinking(player):
    with capture_tasks():
        match_id = player.create_match(white="engine:1", black="human")
    response = player.client.get(f"/matches/{match_id}/")
    assert _status(response) == "White to move: Arena engine 1 (Beginner) is thinking…"
    assert "data-thinking" in response.content.decode()


def test_a_watcher_sees_the_board_but_no_controls(player, outsider):
    match_id = player.create_match(white="human", black="human")
    html = outsider.client.get(f"/matches/{match_id}/").content.decode()
    assert "<svg" in html
    assert "data-move-form" not in html
    assert "data-legal" not in html
    assert "Resign" not in html
    owner_html = player.client.get(f"/matches/{match_id}/").content.decode()
    assert "data-move-form" in owner_html
    assert "Resign" in owner_html


def test_the_pgn_download_has_the_standard_headers_and_replays(player):
    match_id = player.create_match(white="human", black="engine:1", fen=BACK_RANK_MATE_IN_ONE)
    player.client.post(f"/matches/{match_id}/move", {"move": "Rd8#"})
    response = player.client.get(f"/matches/{match_id}/pgn")
    assert response["Content-Type"].startswith("application/x-chess-pgn")
    assert f'filename="arena-{match_id}.pgn"' in response["Content-Disposition"]
    game = chess.pgn.read_game(io.StringIO(response.content.decode()))
    headers = game.headers
    assert headers["Event"] == "LLM Duel Arena match"
    assert headers["Site"].endswith(f"/matches/{match_id}/")
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", headers["Date"])
    assert headers["White"] == "Guest"
    assert headers["Black"].startswith("Arena engine 1")
    assert headers["Result"] == "1-0"
    assert headers["Termination"] == "normal"
    assert headers["FEN"] == BACK_RANK_MATE_IN_ONE
    assert [m.uci() for m in game.mainline_moves()] == ["d1d8"]
    assert "checkmate" in response.content.decode()


def test_replay_shows_any_earlier_position_with_navigation(player):
    match_id = player.create_match(white="human", black="human")
    for move in ["e4", "e5", "Nf3", "Nc6"]:
        player.client.post(f"/matches/{match_id}/move", {"move": move})
    response = player.client.get(f"/matches/{match_id}/?ply=2")
    html = response.content.decode()
    board = chess.Board()
    board.push_san("e4")
    board.push_san("e5")
    assert board.fen() in html
    assert "position after ply 2 of 4" in html
    assert 'data-replay="first" href="?ply=0"' in html
    assert 'data-replay="prev" href="?ply=1"' in html
    assert 'data-replay="next" href="?ply=3"' in html
    assert 'data-replay="last" href="?ply=4"' in html
    assert "data-move-form" not in html  # no moving from the past
    assert "hx-trigger" not in html  # and no polling
    start = player.client.get(f"/matches/{match_id}/?ply=0").content.decode()
    assert chess.STARTING_FEN in start
    beyond = player.client.get(f"/matches/{match_id}/?ply=999").content.decode()
    assert "data-move-form" in beyond  # clamps to the live position


def test_the_live_partial_is_empty_while_nothing_changes(player):
    match_id = player.create_match(white="human", black="human")
    version = get_meta(match_id).version
    unchanged = player.client.get(f"/matches/{match_id}/live?v={version}")
    assert unchanged.status_code == 204
    assert unchanged.content == b""
    player.client.post(f"/matches/{match_id}/move", {"move": "d4"})
    changed = player.client.get(f"/matches/{match_id}/live?v={version}")
    assert changed.status_code == 200
    html = changed.content.decode()
    assert html.lstrip().startswith('<section id="live"')
    assert "<svg" in html
    assert f"?v={version + 1}" in html


def test_a_finished_match_stops_polling(player):
    match_id = player.create_match(white="human", black="human")
    assert "hx-trigger" in player.client.get(f"/matches/{match_id}/").content.decode()
    player.client.post(f"/matches/{match_id}/resign")
    assert "hx-trigger" not in player.client.get(f"/matches/{match_id}/").content.decode()


def test_an_htmx_move_answers_with_the_live_partial(player):
    match_id = player.create_match(white="human", black="engine:1")
    response = player.client.post(f"/matches/{match_id}/move", {"move": "e4"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="live"')
    assert "<html" not in html
    assert 'title="White: Human"' in html  # the partial shows the move as it was stored
    assert len(get_meta(match_id).moves) == 2  # the engine answered
    # ... and the next poll shows who played it and how fast.
    polled = player.client.get(f"/matches/{match_id}/live?v=2").content.decode()
    assert re.search(r'title="Black: Arena engine 1 \(Beginner\), \d+ ms"', polled)


def test_request_budgets_of_the_hot_paths(player, outsider):
    match_id = player.create_match(white="human", black="human")
    player.client.get(f"/matches/{match_id}/")
    with count_requests() as page_view:
        player.client.get(f"/matches/{match_id}/")
    assert page_view.calls == {"GetItem": 1, "Query": 1}  # the session, the match
    with count_requests() as watcher_view:
        outsider.client.get(f"/matches/{match_id}/")
    assert watcher_view.calls == {"Query": 1}  # no session cookie, no session read
    with count_requests() as move:
        player.client.post(f"/matches/{match_id}/move", {"move": "e4"})
    assert move.total <= 3, move
    with count_requests() as htmx_move:
        response = player.client.post(f"/matches/{match_id}/move", {"move": "e5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="live"' in response.content.decode()
    assert "e5" in response.content.decode()
    # The session, the match (one Query: META and plies), the commit: no re-read to draw.
    assert htmx_move.calls == {"GetItem": 1, "Query": 1, "TransactWriteItems": 1}, htmx_move
    version = get_meta(match_id).version
    with count_requests() as poll:
        player.client.get(f"/matches/{match_id}/live?v={version}")
    assert poll.calls == {"GetItem": 1}
