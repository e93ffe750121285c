"""Sign up, log in and out, change password, "My games", profile. Thin views over accounts.users."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import hooks, quotas, users
from accounts.access import client_address, current_player_id, is_guest
from accounts.auth import current_user, log_in, log_out
from accounts.forms import LoginForm, MyGamesFilterForm, PasswordChangeForm, SignupForm, sign_cursor
from accounts.models import UserItem, player_pk
from accounts.profile import build_profile, games_filter
from accounts.projections import player_matches

MY_GAMES_PAGE = 20


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_user(request) is None:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:my_games")


def _enter(request: HttpRequest, user: UserItem, greeting: str) -> HttpResponse:
    """Log ``user`` in, bringing along the matches this browser played as a guest."""
    guest = current_player_id(request)
    moved = 0
    if guest is not None and is_guest(guest):
        moved = hooks.adopt_guest(guest=guest, user_id=user.user_id, username=user.username)
    log_in(request, user)
    kept = f" {moved} match{'es' if moved != 1 else ''} from this browser joined your games." if moved else ""
    messages.success(request, f"{greeting}{kept}")
    return redirect(_next_url(request))


def _form_page(request: HttpRequest, template: str, form: forms.Form, status: int) -> HttpResponse:
    return render(request, template, {"form": form, "next": _next_url(request)}, status=status)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = users.user_create(
                username=data["username"], email=data["email"], password=data["password1"]
            )
        except users.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            return _enter(request, user, f"Welcome, {user.username}!")
    return _form_page(request, "accounts/signup.html", form, 400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = users.user_log_in(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                address=client_address(request),
            )
        except users.LoginThrottled as refused:
            form.add_error(None, refused.message)
            response = _form_page(request, "accounts/login.html", form, 429)
            response["Retry-After"] = str(refused.retry_after)
            return response
        except users.AccountError as error:
            form.add_error(None, error.message)
        else:
            return _enter(request, user, f"Logged in as {user.username}.")
    return _form_page(request, "accounts/login.html", form, 400 if request.method == "POST" else 200)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    log_out(request)
    messages.info(request, "You are logged out.")
    return redirect("games:home")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    me = current_user(request)
    assert me is not None
    user = users.get_user(me.id)
    if user is None:
        log_out(request)
        return redirect("accounts:login")
    form = PasswordChangeForm(request.POST or None, username=user.username, email=user.email)
    if request.method == "POST" and form.is_valid():
        try:
            ended = users.user_change_password(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                address=client_address(request),
                keep_session=request.session.session_key,
            )
        except users.LoginThrottled:
            form.add_error(None, "Too many wrong passwords; try again later.")
            return render(request, "accounts/password_change.html", {"form": form}, status=429)
        except users.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            # A fresh key for this session too: whoever held the old one is out as well.
            request.session.cycle_key()
            others = (
                f" {ended} other session{'s were' if ended != 1 else ' was'} logged out." if ended else ""
            )
            messages.success(request, f"Your password was changed.{others}")
            return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@require_GET
def my_games(request: HttpRequest) -> HttpResponse:
    """This browser's matches (a guest's, or the account's), newest first, a page at a time."""
    form = MyGamesFilterForm(request.GET)
    player_id = current_player_id(request)
    context: dict[str, Any] = {"form": form, "entries": [], "next_cursor": None, "player_id": player_id}
    if not form.is_valid():
        return render(request, "accounts/my_games.html", context, status=400)
    data = form.cleaned_data
    if player_id is not None:
        start = {"pk": {"S": player_pk(player_id)}, "sk": {"S": data["after"]}} if data["after"] else None
        entries, next_key = player_matches(
            player_id, limit=MY_GAMES_PAGE, start=start, condition=games_filter(data)
        )
        context["entries"] = entries
        if next_key is not None:
            query = request.GET.copy()
            query["after"] = sign_cursor(next_key["sk"]["S"])
            context["next_cursor"] = query.urlencode()
    context["filtered"] = any(data[name] for name in ("game", "status", "result"))
    context["paged"] = bool(data["after"])
    return render(request, "accounts/my_games.html", context)


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    me = current_user(request)
    assert me is not None
    page = build_profile(me.id, limits=quotas.limits_for(me.id))
    if page is None:
        log_out(request)
        return redirect("accounts:login")
    return render(request, "accounts/profile.html", {"profile": page})
