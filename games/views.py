"""Match pages. Thin: fetch and check access, validate a form, one service call, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import current_player_id, ensure_player_id
from accounts.auth import current_username
from games import services
from games.forms import MoveForm, NewMatchForm, ResignForm
from games.models import (
    LIST_FINISHED,
    LIST_RUNNING,
    LoadedMatch,
    get_log,
    get_version,
    is_match_id,
    list_matches,
    load_match,
)
from games.players import PlayerSpec
from games.presentation import MatchPage, build_page
from games.rules.chess import pgn_date

HOME_LIST_SIZE = 12


def error_page(request: HttpRequest, error: services.MatchError) -> HttpResponse:
    return render(
        request, "error.html", {"status": error.status, "message": error.message}, status=error.status
    )


def _load(match_id: str) -> LoadedMatch:
    if not is_match_id(match_id):
        raise services.MatchNotFound(f"There is no match {match_id[:40]!r}.")
    loaded = load_match(match_id)
    if loaded is None:
        raise services.MatchNotFound(f"There is no match {match_id}.")
    return loaded


def _parse_ply(request: HttpRequest) -> int | None:
    raw = request.GET.get("ply", "")
    return int(raw) if raw.isdigit() else None


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


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "running": list_matches(LIST_RUNNING, limit=HOME_LIST_SIZE),
        "finished": list_matches(LIST_FINISHED, limit=HOME_LIST_SIZE),
    }
    return render(request, "games/home.html", context)


@require_http_methods(["GET", "POST"])
def new_match(request: HttpRequest) -> HttpResponse:
    form = NewMatchForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "games/new_match.html", {"form": form}, status=400)
        try:
            meta = services.match_create(
                owner=ensure_player_id(request),
                owner_name=current_username(request),
                white=form.cleaned_data["white"],
                black=form.cleaned_data["black"],
                start_fen=form.cleaned_data["fen"],
                pace_seconds=form.cleaned_data["pace"],
                llm_options=form.llm_options(),
            )
        except services.MatchError as error:
            form.add_error(None, error.message)
            return render(request, "games/new_match.html", {"form": form}, status=error.status)
        return redirect("games:match", match_id=meta.match_id)
    return render(request, "games/new_match.html", {"form": form})


@require_GET
def match_detail(request: HttpRequest, match_id: str) -> HttpResponse:
    try:
        loaded = _load(match_id)
    except services.MatchError as error:
        return error_page(request, error)
    page = build_page(loaded, player_id=current_player_id(request), ply=_parse_ply(request))
    return _render_match(request, page)


@require_GET
def match_live(request: HttpRequest, match_id: str) -> HttpResponseBase:
    """The polled partial: 204 and no body while ``version`` has not moved (one GetItem)."""
    if not is_match_id(match_id):
        return HttpResponse(status=404)
    seen = request.GET.get("v", "")
    version = get_version(match_id)
    if version is None:
        return HttpResponse(status=404)
    if seen.isdigit() and int(seen) == version:
        return HttpResponse(status=204)
    loaded = load_match(match_id)
    if loaded is None:
        return HttpResponse(status=404)
    return _render_match(request, build_page(loaded, player_id=current_player_id(request)), partial=True)


def _after_action(
    request: HttpRequest, match_id: str, error: services.MatchError | None, form: MoveForm | None = None
) -> HttpResponse:
    """Answer a POST: the live partial for htmx, a redirect (or the page with errors) otherwise."""
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
        return _after_action(
            request, match_id, services.BadMove("Enter a move, in SAN (Nf3) or UCI (g1f3)."), form
        )
    try:
        services.match_play_move(
            match_id=match_id, player_id=current_player_id(request), move_text=form.cleaned_data["move"]
        )
    except services.MatchError as error:
        return _after_action(request, match_id, error, form)
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


@require_GET
def match_transcript(request: HttpRequest, match_id: str, log_key: str) -> HttpResponse:
    """The full transcript of one LLM turn: every message sent, every reply (all escaped)."""
    log = get_log(match_id, log_key) if is_match_id(match_id) else None
    if log is None:
        return error_page(request, services.MatchNotFound("There is no such transcript."))
    label = PlayerSpec.from_ref(log.transcript["model"]).label
    return render(request, "games/transcript.html", {"match_id": match_id, "log": log, "label": label})


@require_GET
def match_pgn(request: HttpRequest, match_id: str) -> HttpResponse:
    try:
        loaded = _load(match_id)
    except services.MatchError as error:
        return error_page(request, error)
    meta = loaded.meta
    white, black = (seat.label for seat in meta.seats)
    headers = {
        "Event": "LLM Duel Arena match",
        "Site": request.build_absolute_uri(reverse("games:match", args=[meta.match_id])),
        "Date": pgn_date(meta.created_at),
        "Round": "-",
        "White": white,
        "Black": black,
    }
    pgn = meta.game_state().to_pgn(headers, meta.outcome())
    response = HttpResponse(pgn, content_type="application/x-chess-pgn; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arena-{meta.match_id}.pgn"'
    return response
