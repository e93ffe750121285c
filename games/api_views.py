"""JSON API: read a match, play a move. Errors are JSON ``{"error": "..."}`` with a 4xx."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import current_player_id
from games import services
from games.models import LoadedMatch, MatchItem, is_match_id, load_match


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def match_json(meta: MatchItem, loaded: LoadedMatch | None = None) -> dict[str, Any]:
    """The match as JSON. With ``loaded`` (GET), each LLM move carries its attempts, and the
    turns that ended without a move are listed, as on the match page."""
    game = meta.game_state()
    sides = ("white", "black")
    details = {int(p.number): p.detail for p in loaded.plies if p.detail} if loaded else {}
    data = {
        "id": meta.match_id,
        "game": meta.game,
        "players": {
            side: {"ref": seat.to_ref(), "label": seat.label}
            for side, seat in zip(sides, meta.seats, strict=True)
        },
        "status": meta.status,
        "result": meta.result,
        "termination": meta.termination,
        "winner": meta.winner,
        "turn": "white" if game.turn else "black",
        "start_fen": meta.start_fen,
        "fen": meta.fen,
        "moves": [
            {"ply": number, "uci": uci, "san": san, **({"llm": details[number]} if number in details else {})}
            for number, (uci, san) in enumerate(zip(game.moves, game.sans, strict=True), start=1)
        ],
        "version": meta.version,
        "created_at": meta.created_at.isoformat(),
        "updated_at": meta.updated_at.isoformat(),
    }
    if meta.llm_options is not None:
        data["llm_options"] = meta.llm_options
        data["totals"] = meta.totals
        data["notice"] = meta.pause_reason
        data["resume_at"] = meta.resume_at
    if loaded is not None and loaded.turns:
        data["unfinished_turns"] = [
            {"ply": int(t.number), "side": t.side, "ended": t.ended, "llm": t.detail}
            for t in sorted(loaded.turns, key=lambda t: t.created_at)
        ]
    return data


@require_GET
def match_detail(request: HttpRequest, match_id: str) -> JsonResponse:
    if not is_match_id(match_id):
        return json_error("Malformed match id: match ids are 10 letters and digits.", 400)
    loaded = load_match(match_id)
    if loaded is None:
        return json_error(f"There is no match {match_id}.", 404)
    return JsonResponse(match_json(loaded.meta, loaded))


@require_POST
def match_moves(request: HttpRequest, match_id: str) -> JsonResponse:
    if not is_match_id(match_id):
        return json_error("Malformed match id: match ids are 10 letters and digits.", 400)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return json_error('The body must be JSON, like {"move": "e4"}.', 400)
    move = body.get("move") if isinstance(body, dict) else None
    if not isinstance(move, str) or not move.strip():
        return json_error('Give the move as a string, like {"move": "e4"} or {"move": "e2e4"}.', 400)
    try:
        meta, _ = services.match_play_move(
            match_id=match_id, player_id=current_player_id(request), move_text=move
        )
    except services.MatchError as error:
        return json_error(error.message, error.status)
    return JsonResponse(match_json(meta), status=201)
