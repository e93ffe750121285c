"""JSON API: the games, create a match, read a match, play a move. Errors are JSON
``{"error": "...", "status": N}`` (and ``"field"`` when one input is at fault) with a 4xx."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import current_player_id, ensure_player_id
from accounts.auth import current_username
from games import services
from games.core import Game, all_games
from games.forms import NewMatchForm
from games.models import LoadedMatch, MatchItem, is_match_id, load_match

MAX_BODY_BYTES = 64 * 1024


def json_error(message: str, status: int, *, field: str | None = None) -> JsonResponse:
    data: dict[str, Any] = {"error": message, "status": status}
    if field:
        data["field"] = field
    return JsonResponse(data, status=status)


class BadBody(ValueError):
    pass


def _read_json(request: HttpRequest, example: str) -> dict[str, Any]:
    if len(request.body) > MAX_BODY_BYTES:
        raise BadBody(f"The body is larger than {MAX_BODY_BYTES // 1024} KB.")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadBody(f"The body must be JSON, like {example}.") from None
    if not isinstance(body, dict):
        raise BadBody(f"The body must be a JSON object, like {example}; give each value as a string.")
    return body


def _labels(rules: Game[Any], start: str, moves: list[str]) -> list[str]:
    """The move-list labels of a record (chess: SAN), by replaying it."""
    state = rules.replay(start, [])
    labels = []
    for record in moves:
        step = rules.apply(state, rules.decode_step(state, record))
        labels.append(step.label)
        state = step.state
    return labels


def match_json(meta: MatchItem, loaded: LoadedMatch | None = None) -> dict[str, Any]:
    """The match as JSON. With ``loaded`` (GET), each LLM move carries its attempts, and the
    turns that ended without a move are listed, as on the match page. Sealed choices are
    never part of it: only which seats have chosen."""
    rules = meta.rules
    state = meta.state()
    plies = {int(p.number): p for p in loaded.plies} if loaded else {}
    labels = (
        [plies[n].label for n in range(1, len(meta.record) + 1)]
        if len(plies) == len(meta.record)
        else _labels(rules, meta.start or "", meta.record)
    )
    pending = meta.pending(state) if meta.is_running else []
    moves = []
    for number, (record, label) in enumerate(zip(meta.record, labels, strict=True), start=1):
        entry: dict[str, Any] = {
            "ply": number,
            "move": record,
            "label": label,
            **rules.move_fields(record, label),
        }
        ply = plies.get(number)
        if ply is not None and ply.detail:
            entry["llm"] = ply.detail
        if ply is not None and ply.by_seat:
            entry["by_seat"] = {
                seat: {"player": part["player"], **({"llm": part["detail"]} if part.get("detail") else {})}
                for seat, part in ply.by_seat.items()
            }
        moves.append(entry)
    outcome = meta.outcome()
    data: dict[str, Any] = {
        "id": meta.match_id,
        "game": meta.game,
        "seats": list(rules.seats),
        "players": {
            side: {"ref": seat.to_ref(), "label": seat.label}
            for side, seat in zip(meta.seat_names, meta.seats, strict=True)
        },
        "status": meta.status,
        "result": meta.result,
        "termination": meta.termination,
        "winner": meta.winner,
        "scores": dict(outcome.scores) if outcome else None,
        "to_act": pending,
        "turn": pending[0] if pending else None,
        "chosen": [seat for seat in rules.seats if seat in meta.sealed_seats],
        "start": meta.start,
        "state": rules.view(state),
        **rules.api_fields(meta.start or "", state),
        "moves": moves,
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


def _game_json(rules: Game[Any]) -> dict[str, Any]:
    return {
        "id": rules.id,
        "name": rules.name,
        "seats": list(rules.seats),
        "simultaneous": rules.simultaneous,
        "bots": [bot.ref for bot in rules.bots() if bot.available],
        "options": {option.name: option.to_dict() for option in rules.options},
    }


@require_GET
def games_list(request: HttpRequest) -> JsonResponse:
    return JsonResponse([_game_json(rules) for rules in all_games()], safe=False)


@require_POST
def matches_create(request: HttpRequest) -> JsonResponse:
    """``{"game": id, "players": [one ref per seat], "options": {...}, "pace": s, "llm": {...}}``:
    validated by the new-match form, so the errors and quotas are the form's."""
    example = '{"game": "tictactoe", "players": ["human", "perfect"]}'
    try:
        body = _read_json(request, example)
    except BadBody as exc:
        return json_error(str(exc), 400)
    game_id, players = body.get("game", "chess"), body.get("players")
    options, llm = body.get("options") or {}, body.get("llm") or {}
    if not isinstance(game_id, str):
        return json_error("game must be a game id, see GET /api/games.", 400, field="game")
    try:
        rules = services.find_game(game_id)
    except services.MatchError as error:
        return json_error(error.message, error.status, field="game")
    if (
        not isinstance(players, list)
        or len(players) != len(rules.seats)
        or not all(isinstance(p, str) for p in players)
    ):
        return json_error(
            f"players must be a list of {len(rules.seats)} player references, one per seat "
            f"({', '.join(rules.seats)}).",
            400,
            field="players",
        )
    if not isinstance(options, dict) or not isinstance(llm, dict):
        return json_error("options and llm must be JSON objects.", 400)
    data = {"game": rules.id, **dict(zip(rules.seats, players, strict=True))}
    data |= {key: str(value) for key, value in {**options, **llm}.items() if value is not None}
    data["pace"] = str(body.get("pace", 0))
    form = NewMatchForm(data, rules=rules)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return json_error(str(errors[0]), 400, field=None if field == "__all__" else field)
    try:
        meta = services.match_create(
            owner=ensure_player_id(request),
            owner_name=current_username(request),
            game=rules.id,
            players=form.cleaned_data["players"],
            options=form.cleaned_data["options"],
            pace_seconds=form.cleaned_data["pace"],
            llm_options=form.llm_options(),
        )
    except services.MatchError as error:
        return json_error(error.message, error.status, field=error.field)
    return JsonResponse(match_json(meta), status=201)


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
    """``{"move": "...", "seat": optional}``: ``seat`` picks the seat when the caller plays
    several at once (a person playing both seats of a simultaneous round)."""
    if not is_match_id(match_id):
        return json_error("Malformed match id: match ids are 10 letters and digits.", 400)
    try:
        body = _read_json(request, '{"move": "e4"}')
    except BadBody as exc:
        return json_error(str(exc), 400)
    move, seat = body.get("move"), body.get("seat")
    if not isinstance(move, str) or not move.strip() or len(move) > 40:
        return json_error('Give the move as a string, like {"move": "e4"} or {"move": "b2"}.', 400)
    if seat is not None and not isinstance(seat, str):
        return json_error('seat must be a seat name, like {"move": "rock", "seat": "p1"}.', 400)
    try:
        meta, _ = services.match_play_move(
            match_id=match_id, player_id=current_player_id(request), move_text=move, seat=seat
        )
    except services.MatchError as error:
        return json_error(error.message, error.status)
    return JsonResponse(match_json(meta), status=201)
