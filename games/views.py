"""Match pages. Thin: fetch and check access, validate a form, one service call, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import current_player_id, ensure_player_id
from accounts.auth import current_username
from arena_site.numbers import parse_count
from games import services
from games.core import GameRecord, all_games
from games.forms import MoveForm, NewMatchForm, ResignForm
from games.models import (
    LIST_FINISHED,
    LIST_RUNNING,
    MatchItem,
    get_log,
    get_meta,
    get_version,
    is_match_id,
    list_matches,
    load_match,
)
from games.players import PlayerSpec
from games.presentation import MatchPage, build_page

HOME_LIST_SIZE = 12
# How many running matches the home page reads to pick the live LLM duels from.
HOME_LIVE_READ = 60


def error_page(request: HttpRequest, error: services.MatchError) -> HttpResponse:
    return render(
        request, "error.html", {"status": error.status, "message": error.message}, status=error.status
    )


_load = services.find_loaded


def _render_match(
    request: HttpRequest,
    page: MatchPage,
    *,
    form: MoveForm | None = None,
    error: services.MatchError | None = None,
    partial: bool = False,
) -> HttpResponse:
    """The whole page, or only its live part (the same markup) for htmx requests and polls."""
    context = {
        "page": page,
        "form": form or MoveForm(),
        "error": error.message if error else None,
        "poll_seconds": settings.ARENA_POLL_SECONDS,
    }
    status = error.status if error else 200
    if partial or (request.htmx and not request.htmx.boosted):
        return render(request, "games/_live.html", context, status=status)
    return render(request, "games/match.html", context, status=status)


def _featured(running: list[MatchItem]) -> list[dict[str, Any]]:
    """Live LLM duels per game, busiest first: matches nobody has moved in yet ("Guest vs
    Guest · 0 moves") never push a duel out."""
    sections = []
    for game in all_games():
        duels = [m for m in running if m.game == game.id and m.has_llm]
        duels.sort(key=lambda m: (len(m.record) > 0, m.updated_at), reverse=True)
        sections.append({"game": game, "matches": duels[:4]})
    return sections


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    running = list_matches(LIST_RUNNING, limit=HOME_LIVE_READ)
    # Live now: LLM duels and matches that are moving first, idle ones ("Guest vs Guest · 0
    # moves") after them, each most recently active first.
    live = sorted(running, key=lambda m: (m.has_llm, bool(m.record), m.updated_at), reverse=True)
    context = {
        "featured": _featured(running),
        "running": live[:HOME_LIST_SIZE],
        "finished": list_matches(LIST_FINISHED, limit=HOME_LIST_SIZE),
        "games": all_games(),
    }
    return render(request, "games/home.html", context)


@require_http_methods(["GET", "POST"])
def new_match(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    game_id = (data or request.GET).get("game") or "chess"
    try:
        rules = services.find_game(game_id)
    except services.MatchError as error:
        return error_page(request, error)
    form = NewMatchForm(data, rules=rules)
    context = {"form": form, "rules": rules, "games": all_games()}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "games/new_match.html", context, status=400)
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
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return render(request, "games/new_match.html", context, status=error.status)
        return redirect("games:match", match_id=meta.match_id)
    return render(request, "games/new_match.html", context)


@require_GET
def match_detail(request: HttpRequest, match_id: str) -> HttpResponse:
    try:
        loaded = _load(match_id)
    except services.MatchError as error:
        return error_page(request, error)
    ply = parse_count(request.GET.get("ply", ""))
    page = build_page(loaded, player_id=current_player_id(request), ply=ply)
    return _render_match(request, page)


@require_GET
def match_live(request: HttpRequest, match_id: str) -> HttpResponseBase:
    """The polled partial: 204 and no body while ``version`` has not moved (one GetItem)."""
    if not is_match_id(match_id):
        return HttpResponse(status=404)
    seen = parse_count(request.GET.get("v", ""))
    version = get_version(match_id)
    if version is None:
        return HttpResponse(status=404)
    if seen == version:
        return HttpResponse(status=204)
    loaded = load_match(match_id)
    if loaded is None:
        return HttpResponse(status=404)
    return _render_match(request, build_page(loaded, player_id=current_player_id(request)), partial=True)


def _after_action(
    request: HttpRequest,
    match_id: str,
    error: services.MatchError | None,
    form: MoveForm | None = None,
) -> HttpResponse:
    """Answer a POST: the live partial for htmx, a redirect (or the page with errors) otherwise.
    After a move the partial re-reads the match's items (one Query) for the page."""
    if error is None and not request.htmx:
        return redirect("games:match", match_id=match_id)
    if isinstance(error, services.MatchNotFound):
        return error_page(request, error)
    try:
        loaded = _load(match_id)
    except services.MatchError as load_error:
        return error_page(request, load_error)
    page = build_page(loaded, player_id=current_player_id(request))
    return _render_match(request, page, form=form, error=error)


@require_POST
def match_move(request: HttpRequest, match_id: str) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _after_action(request, match_id, services.BadMove("Enter a move."), form)
    player_id = current_player_id(request)
    try:
        _, played = services.match_play_move(
            match_id=match_id,
            player_id=player_id,
            move_text=form.cleaned_data["move"],
            seat=form.cleaned_data["seat"] or None,
            load=bool(request.htmx),
        )
    except services.MatchError as error:
        return _after_action(request, match_id, error, form)
    if played.loaded is not None:
        # htmx: the partial from what the move read and wrote (3 requests in all).
        return _render_match(request, build_page(played.loaded, player_id=player_id))
    return _after_action(request, match_id, None)


@require_POST
def match_join(request: HttpRequest, match_id: str) -> HttpResponse:
    try:
        services.match_join(
            match_id=match_id, player_id=ensure_player_id(request), name=current_username(request)
        )
    except services.MatchError as error:
        return _after_action(request, match_id, error)
    messages.success(request, "You took the seat. Your move when it is your turn.")
    return _after_action(request, match_id, None)


@require_POST
def match_resign(request: HttpRequest, match_id: str) -> HttpResponse:
    form = ResignForm(request.POST)
    side = form.cleaned_data["side"] or None if form.is_valid() else None
    try:
        services.match_resign(match_id=match_id, player_id=current_player_id(request), side=side)
    except services.MatchError as error:
        return _after_action(request, match_id, error)
    messages.info(request, "You resigned.")
    return _after_action(request, match_id, None)


@require_POST
def match_claim_draw(request: HttpRequest, match_id: str) -> HttpResponse:
    try:
        services.match_claim_draw(match_id=match_id, player_id=current_player_id(request))
    except services.MatchError as error:
        return _after_action(request, match_id, error)
    return _after_action(request, match_id, None)


@require_POST
def match_rematch(request: HttpRequest, match_id: str) -> HttpResponse:
    try:
        meta = services.match_rematch(
            match_id=match_id, owner=ensure_player_id(request), owner_name=current_username(request)
        )
    except services.MatchError as error:
        return error_page(request, error)
    messages.success(request, "Rematch started, with the seats swapped.")
    return redirect("games:match", match_id=meta.match_id)


@require_GET
def match_transcript(request: HttpRequest, match_id: str, log_key: str) -> HttpResponse:
    """The full transcript of one LLM turn: every message sent, every reply (all escaped). A
    sealed choice's transcript names the choice: it stays hidden until its round is revealed."""
    log = get_log(match_id, log_key) if is_match_id(match_id) else None
    if log is not None and log.sealed:
        meta = get_meta(match_id)
        if meta is None or len(meta.record) < int(log.number):
            log = None
    if log is None:
        return error_page(request, services.MatchNotFound("There is no such transcript."))
    meta_game = log.transcript.get("game", "chess")
    label = PlayerSpec.from_ref(log.transcript["model"], game=meta_game).label
    return render(request, "games/transcript.html", {"match_id": match_id, "log": log, "label": label})


@require_GET
def match_export(request: HttpRequest, match_id: str) -> HttpResponse:
    """The game as a file: PGN for chess, a JSON record for the others (revealed rounds only)."""
    try:
        loaded = _load(match_id)
    except services.MatchError as error:
        return error_page(request, error)
    meta = loaded.meta
    rules = meta.rules
    record = GameRecord(
        start=meta.start or "",
        moves=meta.record,
        labels=[ply.label for ply in loaded.plies],
        players={seat: spec.label for seat, spec in zip(meta.seat_names, meta.seats, strict=True)},
        outcome=meta.outcome(),
        headers={
            "event": "LLM Duel Arena match",
            "site": request.build_absolute_uri(reverse("games:match", args=[meta.match_id])),
            "date": meta.created_at.date().isoformat(),
            "match": meta.match_id,
        },
    )
    export = rules.export(record)
    response = HttpResponse(export.text, content_type=f"{export.content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arena-{meta.match_id}.{export.extension}"'
    return response
