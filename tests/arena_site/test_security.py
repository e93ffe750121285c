"""Security: response headers, the Content-Security-Policy, production settings, CSRF, XSS.

XSS through LLM replies is covered where replies are made: tests/games/test_llm_matches.py,
test_the_match_page_and_json_show_replies_attempts_tokens_and_costs (a reply holding a
``<script>`` is shown escaped on the match page).
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import chess.pgn
import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils.html import escape

from accounts import users
from arena_site.security import HEADER, ContentSecurityPolicyMiddleware
from arena_site.tasks import capture_tasks
from games.models import LIST_RUNNING, get_meta, list_matches
from llm import catalog, client

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "another-stable-staple-7"
FIFTY_MOVES = "7k/8/8/8/8/8/8/R6K w - - 100 80"  # White may claim a draw at once

# --- Helpers -------------------------------------------------------------------------------


def _policy(header: str) -> dict[str, list[str]]:
    """``"a x y; b z"`` → {"a": ["x", "y"], "b": ["z"]}."""
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


TAG = re.compile(r"<[a-zA-Z][^>]*>")
SCRIPT_WITHOUT_SRC = re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
QUOTED_VALUE = re.compile(r"\"[^\"]*\"|'[^']*'")


def _inline_code(html: str) -> list[str]:
    """Every piece of markup a strict CSP would block: inline scripts and styles, handlers.
    Attributes are looked for outside quoted values: ``value="... onerror=..."`` is text."""
    found = SCRIPT_WITHOUT_SRC.findall(html) + STYLE_ELEMENT.findall(html)
    for tag in TAG.findall(html):
        attributes = QUOTED_VALUE.sub('""', tag)
        if STYLE_ATTRIBUTE.search(attributes) or HANDLER_ATTRIBUTE.search(attributes):
            found.append(tag)
    return found


def _sign_up(browser: Client, username: str = "mallory") -> None:
    response = browser.post(
        "/accounts/signup",
        {"username": username, "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _dynamodb_contents() -> list[list[str]]:
    """Every item of every table, read back through the DynamoDB API."""
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    return [
        sorted(json.dumps(item, sort_keys=True) for item in dynamodb.scan(TableName=name)["Items"])
        for name in sorted(dynamodb.list_tables()["TableNames"])
    ]


# --- Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["/", "/matches/new", "/matches/{id}/", "/accounts/login", "/api/matches/{id}"]
)
def test_it_sends_a_strict_policy_and_the_security_headers_on_every_page(player, page):
    match_id = player.create_match(white="human", black="human")
    response = player.client.get(page.format(id=match_id))
    assert response.status_code == 200
    policy = _policy(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Local mode (these tests) stays on plain http: no redirect above, and no HSTS.
    assert "Strict-Transport-Security" not in response


def test_it_keeps_a_policy_that_a_view_set_itself():
    own = "default-src 'none'"
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(headers={HEADER: own}))
    assert middleware(RequestFactory().get("/"))[HEADER] == own


def test_it_allows_exactly_the_static_files_origin_when_static_files_come_from_a_cdn(settings):
    settings.STATIC_URL = "https://d111111abcdef8.cloudfront.net/static/"
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    cdn = "https://d111111abcdef8.cloudfront.net"
    assert _policy(middleware(RequestFactory().get("/"))[HEADER]) == {
        "default-src": ["'self'"],
        "script-src": ["'self'", cdn],
        "style-src": ["'self'", cdn],
        "img-src": ["'self'", "data:", cdn],
        "font-src": ["'self'", cdn],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_no_page_has_an_inline_script_an_inline_style_or_an_event_handler(player, outsider):
    match_id = player.create_match(white="human", black="human")
    invite = player.create_match(white="human", black="open")
    for move in ["e4", "e5", "Nf3", "Nc6"]:
        player.client.post(f"/matches/{match_id}/move", {"move": move})
    player.create_match(white="human", black="engine:1")  # home lists a live and ...
    finished = player.create_match(white="human", black="human")
    player.client.post(f"/matches/{finished}/resign")  # ... a finished match
    pages = [
        "/",
        "/matches/new",
        f"/matches/{match_id}/",
        f"/matches/{match_id}/?ply=1",
        f"/matches/{finished}/",
        f"/matches/{invite}/",
        "/matches/nosuchmatch/",
        "/accounts/login",
        "/accounts/signup",
        "/me/games",
    ]
    seen = {page: player.client.get(page) for page in pages}
    seen["invited"] = outsider.client.get(f"/matches/{invite}/")
    assert f"/matches/{invite}/join" in seen["invited"].content.decode()  # the form to take the seat
    _sign_up(player.client)
    seen |= {
        f"signed in: {page}": player.client.get(page) for page in ["/me", "/me/games", "/accounts/password"]
    }
    for page, response in seen.items():
        html = response.content.decode()
        assert response.status_code in (200, 404), page
        assert "<main>" in html, page
        assert _inline_code(html) == [], page
    assert "<svg" in seen[f"/matches/{match_id}/"].content.decode()  # the board is on the page


# --- Production settings ---------------------------------------------------------------------


def _production_env() -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ARENA_", "AWS_", "DYNAMODB_", "DJANGO_"))
    }
    return {
        **inherited,
        "ARENA_ENV": "prod",
        "ARENA_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ARENA_ALLOWED_HOSTS": "arena.example.com",
        "ARENA_DYNAMODB_URL": "http://127.0.0.1:9",  # never contacted
        "DJANGO_SETTINGS_MODULE": "arena_site.settings",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def test_the_deployment_checklist_finds_nothing_in_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


# Runs in a production-settings process. Neither request reaches DynamoDB: the redirect is
# answered by SecurityMiddleware, and the login form reads no session when there is none.
PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
]
browser = Client(HTTP_HOST="arena.example.com")
plain = browser.get("/accounts/login")
secure = browser.get("/accounts/login", HTTP_X_FORWARDED_PROTO="https")
cookie = secure.cookies["csrftoken"]
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in names},
    "plain": [plain.status_code, plain.get("Location")],
    "secure": [secure.status_code, secure.get("Strict-Transport-Security")],
    "csrf_cookie": [bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"]],
}))
"""


def test_production_is_https_only_with_locked_down_cookies():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }
    # Plain http is sent to https; over https (as API Gateway reports it) the page is served
    # with HSTS, and the CSRF cookie is Secure, HttpOnly and SameSite=Lax.
    assert seen["plain"] == [301, "https://arena.example.com/accounts/login"]
    assert seen["secure"] == [200, "max-age=31536000; includeSubDomains; preload"]
    assert seen["csrf_cookie"] == [True, True, "Lax"]


# --- CSRF ------------------------------------------------------------------------------------


@dataclass
class Attempt:
    """A state-changing request, the page it is made from, and how to read back what it
    would change."""

    page: str
    path: str
    data: dict[str, str]
    state: Callable[[], Any]
    json: bool = False

    def send(self, browser: Client, token: str | None = None) -> HttpResponse:
        if self.json:
            headers = {"X-CSRFToken": token} if token else {}
            return browser.post(self.path, self.data, content_type="application/json", headers=headers)
        return browser.post(self.path, {**self.data, **({"csrfmiddlewaretoken": token} if token else {})})


def _match_state(match_id: str) -> Callable[[], Any]:
    def state() -> Any:
        meta = get_meta(match_id)
        return meta.version, meta.status, meta.moves, meta.players

    return state


def _signed_in(browser: Client) -> Callable[[], bool]:
    return lambda: browser.get("/me").status_code == 200


def _new_match(player, outsider) -> Attempt:
    return Attempt(
        "/matches/new",
        "/matches/new",
        {"white": "human", "black": "human", "fen": "", "pace": "0"},
        lambda: [meta.match_id for meta in list_matches(LIST_RUNNING, limit=None)],
    )


def _move(player, outsider) -> Attempt:
    match_id = player.create_match(white="human", black="human")
    return Attempt(
        f"/matches/{match_id}/", f"/matches/{match_id}/move", {"move": "e4"}, _match_state(match_id)
    )


def _resign(player, outsider) -> Attempt:
    match_id = player.create_match(white="human", black="human")
    return Attempt(f"/matches/{match_id}/", f"/matches/{match_id}/resign", {}, _match_state(match_id))


def _claim_draw(player, outsider) -> Attempt:
    match_id = player.create_match(white="human", black="human", fen=FIFTY_MOVES)
    return Attempt(f"/matches/{match_id}/", f"/matches/{match_id}/claim-draw", {}, _match_state(match_id))


def _join(player, outsider) -> Attempt:
    match_id = outsider.create_match(white="human", black="open")  # the player is invited
    return Attempt(f"/matches/{match_id}/", f"/matches/{match_id}/join", {}, _match_state(match_id))


def _api_move(player, outsider) -> Attempt:
    match_id = player.create_match(white="human", black="human")
    move = {"move": "e4"}
    return Attempt(
        f"/matches/{match_id}/", f"/api/matches/{match_id}/moves", move, _match_state(match_id), json=True
    )


def _signup(player, outsider) -> Attempt:
    data = {"username": "mallory", "email": "", "password1": PASSWORD, "password2": PASSWORD}
    return Attempt(
        "/accounts/signup", "/accounts/signup", data, lambda: users.find_user("mallory") is not None
    )


def _login(player, outsider) -> Attempt:
    _sign_up(outsider.client)
    data = {"username": "mallory", "password": PASSWORD}
    return Attempt("/accounts/login", "/accounts/login", data, _signed_in(player.client))


def _logout(player, outsider) -> Attempt:
    _sign_up(player.client)
    return Attempt("/me", "/accounts/logout", {}, _signed_in(player.client))


def _password(player, outsider) -> Attempt:
    _sign_up(player.client)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    user_id = users.find_user("mallory").user_id
    return Attempt(
        "/accounts/password",
        "/accounts/password",
        data,
        lambda: users.password_matches(users.get_user(user_id), PASSWORD),
    )


@pytest.mark.parametrize(
    "make_attempt",
    [_new_match, _move, _resign, _claim_draw, _join, _api_move, _signup, _login, _logout, _password],
    ids=lambda make: make.__name__.strip("_"),
)
def test_it_refuses_a_state_changing_request_without_a_csrf_token_and_changes_nothing(
    player, outsider, make_attempt
):
    attempt = make_attempt(player, outsider)
    browser = player.csrf_client
    browser.cookies = player.client.cookies  # the same browser: its session, its matches
    assert browser.get(attempt.page).status_code == 200  # which sets the CSRF cookie
    before, everything = attempt.state(), _dynamodb_contents()
    response = attempt.send(browser)
    assert response.status_code == 403
    assert "CSRF token" in response.content.decode()
    assert _dynamodb_contents() == everything
    assert attempt.state() == before
    # The same request with the token goes through: the token alone made the difference.
    response = attempt.send(browser, token=player.client.cookies["csrftoken"].value)
    assert response.status_code in (200, 201, 302), response.content.decode()[:2000]
    assert attempt.state() != before


def _every_address(match_id: str) -> Iterator[str]:
    samples = {"match_id": match_id, "log_key": "LOG#00001#token"}
    for include in get_resolver().url_patterns:
        if not isinstance(include, URLResolver):  # a top-level route, such as /healthz
            yield reverse(include.name)
            continue
        for route in include.url_patterns:
            kwargs = {name: samples[name] for name in route.pattern.converters}
            yield reverse(f"{include.namespace}:{route.name}", kwargs=kwargs)


def test_no_address_accepts_an_unsafe_method_without_a_csrf_token(player):
    """Also covers POST endpoints added later: only a csrf_exempt view could answer otherwise."""
    match_id = player.create_match(white="human", black="human")
    addresses = list(_every_address(match_id))
    assert {"/matches/new", f"/matches/{match_id}/move", "/accounts/logout"} <= set(addresses)
    everything = _dynamodb_contents()
    browser = player.csrf_client
    for address in addresses:
        for send in (browser.post, browser.put, browser.patch, browser.delete):
            assert send(address).status_code == 403, (send.__name__, address)
    assert _dynamodb_contents() == everything


# --- XSS -------------------------------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def _shows_escaped(html: str, text: str) -> None:
    assert escape(text) in html
    assert text not in html
    assert _inline_code(html) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_refuses_markup_in_a_username_and_shows_it_escaped(player, payload):
    response = player.client.post(
        "/accounts/signup",
        {"username": payload, "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid username" in html
    _shows_escaped(html, payload)
    assert users.find_user(payload) is None
    response = player.client.post("/accounts/login", {"username": payload, "password": PASSWORD})
    assert response.status_code == 400
    assert "Wrong username or password." in response.content.decode()
    _shows_escaped(response.content.decode(), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_refuses_markup_as_a_start_position_and_shows_it_escaped(player, payload):
    response = player.client.post(
        "/matches/new", {"white": "human", "black": "human", "fen": payload, "pace": "0"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'class="field has-error">\s*<label for="id_fen"', html)
    _shows_escaped(html, payload)
    assert list_matches(LIST_RUNNING, limit=None) == []


MODEL_NAME = "<script>alert(\"model\")</script><img src=x onerror='alert(1)'>"


@pytest.fixture
def evil_endpoint(settings):
    """An operator-configured endpoint whose model's display name is markup."""
    settings.ARENA_LLM_ENDPOINTS = [
        {
            "name": "evil",
            "base_url": "http://127.0.0.1:9/v1",  # never called: tasks are captured
            "api_key_env": None,
            "models": [{"id": "m1", "name": MODEL_NAME, "input": 0, "output": 0}],
        }
    ]
    catalog.models.cache_clear()
    catalog.endpoints.cache_clear()
    client.forget_providers()
    yield "evil:m1"
    catalog.models.cache_clear()
    catalog.endpoints.cache_clear()
    client.forget_providers()


def test_a_model_name_with_markup_is_shown_escaped_everywhere(player, evil_endpoint):
    _shows_escaped(player.client.get("/matches/new").content.decode(), MODEL_NAME)
    with capture_tasks():
        match_id = player.create_match(white="human", black=evil_endpoint)
    label = f"{MODEL_NAME} (evil)"
    for page in [f"/matches/{match_id}/", "/", "/me/games"]:
        response = player.client.get(page)
        assert response.status_code == 200
        _shows_escaped(response.content.decode(), label)
    # JSON and PGN carry the name as data, in types a browser never renders as HTML.
    api = player.client.get(f"/api/matches/{match_id}")
    assert api["Content-Type"] == "application/json"
    assert api["X-Content-Type-Options"] == "nosniff"
    assert api.json()["players"]["black"]["label"] == label
    pgn = player.client.get(f"/matches/{match_id}/pgn")
    assert pgn["Content-Type"].startswith("application/x-chess-pgn")
    assert pgn["Content-Disposition"].startswith("attachment;")
    assert chess.pgn.read_game(io.StringIO(pgn.content.decode())).headers["Black"] == label
