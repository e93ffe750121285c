"""Shared fixtures.

DynamoDB is moto: in-process (``mock_aws``) for most tests, tables created once per session;
a real moto server on 127.0.0.1 (``moto_server``) where threads or processes must share it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.responses import DynamoHandler
from moto.server import ThreadedMotoServer

from arena_site.dynamodb_admin import ensure_tables
from arena_site.local_dynamodb import find_free_port
from arena_site.tables import point_models_at
from games import services
from games.models import MatchItem
from games.players import PlayerSpec
from llm import client as llm_client
from tests.llm.fake_servers import fake_llm_server  # noqa: F401 (a fixture for every test module)


@pytest.fixture
def providers(fake_llm_server, settings, monkeypatch):  # noqa: F811 (the imported fixture)
    """OpenAI and Anthropic pointed at the local fake of their APIs, with keys set."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-openai-secret")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-secret")
    settings.ARENA_OPENAI_BASE_URL = f"{fake_llm_server.url}/v1"
    settings.ARENA_ANTHROPIC_BASE_URL = fake_llm_server.url
    llm_client.forget_providers()
    yield fake_llm_server
    llm_client.forget_providers()


@pytest.fixture(scope="session")
def _aws() -> Iterator[None]:
    with mock_aws():
        point_models_at(None)
        ensure_tables(report=lambda line: None)
        yield


@pytest.fixture
def dynamodb(_aws: None) -> None:
    """DynamoDB (moto, in-process) with the app's tables, empty at the start of each test.

    Emptied rather than recreated (cheap), and emptied at all because moto deep-copies a whole
    table for every item of a TransactWriteItems: tables grown by the whole session would make
    every transaction, and so every move, slower and slower.
    """
    empty_tables()


def empty_tables() -> None:
    for table in dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].tables.values():
        table.items.clear()


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto server on loopback with the app's tables; models point at it for the test.

    Each request is made atomic, as in DynamoDB: moto serves requests on parallel threads
    without locking, so its conditional writes are not atomic and a failed transaction restores
    a whole-table copy over other threads' writes. The app still races freely between requests.
    (arena_site.local_dynamodb does the same for `make run`.)
    """
    original = DynamoHandler.call_action
    lock = threading.Lock()

    def atomic_call_action(self: DynamoHandler) -> Any:
        with lock:
            return original(self)

    monkeypatch.setattr(DynamoHandler, "call_action", atomic_call_action)
    port = find_free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        point_models_at(url)
        ensure_tables(report=lambda line: None)
        # In this process the server serves the same in-process backend as mock_aws.
        empty_tables()
        yield url
    finally:
        point_models_at(None)
        server.stop()


PASSWORD = "knight-fork-on-e7"


class Persona:
    """A browser: a Django test client that keeps its own session (and so its own matches)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.client = Client()
        self.csrf_client = Client(enforce_csrf_checks=True)

    def sign_up(self, username: str | None = None) -> Persona:
        response = self.client.post(
            "/accounts/signup",
            {"username": username or self.name, "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        return self

    def log_in(self, username: str | None = None, password: str = PASSWORD) -> Persona:
        response = self.client.post(
            "/accounts/login", {"username": username or self.name, "password": password}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        return self

    def create_match(
        self,
        white: str = "human",
        black: str = "engine:1",
        fen: str = "",
        pace: str = "0",
        *,
        game: str = "chess",
        **seats_and_options: str,
    ) -> str:
        """A new match from the form: chess by default (``white``, ``black``, ``fen``); another
        game with its seats and options as keywords (``game="tictactoe", x="human", o="perfect"``)."""
        data = {"game": game, "pace": pace, **seats_and_options}
        if game == "chess":
            data.update(white=white, black=black, fen=fen)
        response = self.client.post("/matches/new", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return response["Location"].rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def player(dynamodb: None) -> Persona:
    """The browser that creates matches and owns their human sides."""
    return Persona("player")


@pytest.fixture
def outsider(dynamodb: None) -> Persona:
    """Another browser: may watch anything, play nothing."""
    return Persona("outsider")


@pytest.fixture
def make_match(dynamodb: None):
    """Create a match straight through the service (no browser), e.g. for an owner id."""

    def make(
        owner: str = "owner-1",
        white: str = "human",
        black: str = "human",
        fen: str | None = None,
        *,
        game: str = "chess",
        players: list[str] | None = None,
        options: dict[str, Any] | None = None,
    ) -> MatchItem:
        refs = players or [white, black]
        return services.match_create(
            owner=owner,
            game=game,
            players=[PlayerSpec.from_ref(ref, game=game) for ref in refs],
            options={"fen": fen} if fen else options,
        )

    return make
