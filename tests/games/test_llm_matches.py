"""LLM sides play through the runner with the real SDKs against a local fake of their APIs."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from arena_site.tasks import capture_tasks
from games import runner, services
from games.chess.rules import ChessGame
from games.llm_options import LLMOptions
from games.models import get_meta, load_match
from games.players import PlayerSpec
from llm import catalog, client
from llm.catalog import get_model
from llm.types import Usage
from tests.llm.fake_servers import (
    CHAT,
    FAST_RETRY,
    MESSAGES,
    RESPONSES,
    Reply,
    anthropic_body,
    chat_body,
    responses_body,
)

GPT = "openai:gpt-4o-mini"
CLAUDE = "anthropic:claude-haiku-4-5"


def gpt(text: str, **kwargs) -> Reply:
    return Reply(body=responses_body(text, **kwargs))


def claude(text: str, **kwargs) -> Reply:
    return Reply(body=anthropic_body(text, **kwargs))


def test_an_llm_duel_is_played_to_the_end_with_every_attempt_and_its_cost_kept(dynamodb, providers):
    # 1. f3 e5 2. g4 Qh4#, with an illegal and an unparseable attempt by White on move 2.
    providers.script(
        RESPONSES,
        gpt("Opening with the Barnes. Final answer: f3", input_tokens=200, output_tokens=20),
        gpt("Final answer: Ke3", input_tokens=210, output_tokens=10),
        gpt("I am not sure what to do here.", input_tokens=260, output_tokens=12),
        gpt("**Final answer:** g4", input_tokens=300, cached_tokens=100, output_tokens=8),
    )
    providers.script(
        MESSAGES,
        claude("I'll play e5.", thinking=["The centre matters."], input_tokens=180, output_tokens=40),
        claude("Qh4 is mate.\nFinal answer: Qh4#", input_tokens=220, output_tokens=30),
    )
    meta = services.match_create(owner="o", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref(CLAUDE)])
    loaded = load_match(meta.match_id)
    final = loaded.meta
    assert (final.status, final.result, final.termination, final.winner) == (
        "finished",
        "0-1",
        "checkmate",
        "black",
    )
    assert final.moves == ["f2f3", "e7e5", "g2g4", "d8h4"]
    assert ChessGame(final.start, final.moves).is_over()

    plies = sorted(loaded.plies, key=lambda p: p.number)
    move2 = plies[2].detail
    assert [a["verdict"] for a in move2["attempts"]] == ["illegal", "no_move", "accepted"]
    assert "Ke3" in move2["attempts"][0]["reason"]
    assert move2["attempts"][2]["san"] == "g4"
    assert plies[1].detail["attempts"][0]["reasoning"] == "The centre matters."

    white, black = final.totals["white"], final.totals["black"]
    assert (white["calls"], white["tokens_in"], white["tokens_out"], white["cached_tokens"]) == (
        4,
        970,
        50,
        100,
    )
    assert white["rejected"] == 2
    assert (black["calls"], black["tokens_in"], black["tokens_out"]) == (2, 400, 70)
    gpt_model, claude_model = get_model(GPT), get_model(CLAUDE)
    expected_white = sum(
        gpt_model.cost(Usage(i, o, cached_input_tokens=c))
        for i, o, c in [(200, 20, 0), (210, 10, 0), (260, 12, 0), (300, 8, 100)]
    )
    assert white["cost"] == pytest.approx(expected_white)
    assert black["cost"] == pytest.approx(
        claude_model.cost(Usage(180, 40)) + claude_model.cost(Usage(220, 30))
    )
    assert white["cost"] > 0
    # The retry told the model why its move was refused.
    retry = providers.requests_to(RESPONSES)[2].body["input"]
    assert "Ke3" in retry[-1]["content"]
    assert providers.pending(RESPONSES) == providers.pending(MESSAGES) == 0


def test_the_match_page_and_json_show_replies_attempts_tokens_and_costs(dynamodb, providers, player):
    providers.script(
        RESPONSES,
        gpt("<script>alert(1)</script> Final answer: Qxe4", input_tokens=100, output_tokens=10),
        gpt("Fine. Final answer: Nf3", input_tokens=120, output_tokens=10, reasoning=["Develop first."]),
    )
    match_id = player.create_match(white=GPT, black="human")
    page = player.client.get(f"/matches/{match_id}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the reply is escaped, never markup
    assert "<script>alert(1)" not in page
    assert "rejected (Qxe4)" in page
    assert "accepted Nf3" in page
    assert "Develop first." in page
    assert "220 / 20" in page  # tokens in / out for White
    assert "Full transcript" in page
    data = player.client.get(f"/api/matches/{match_id}").json()
    assert data["moves"][0]["san"] == "Nf3"
    attempts = data["moves"][0]["llm"]["attempts"]
    assert [a["verdict"] for a in attempts] == ["illegal", "accepted"]
    assert data["totals"]["white"]["tokens_in"] == 220
    assert "sk-test-openai-secret" not in page + str(data)


def test_the_full_transcript_is_available_on_demand(dynamodb, providers, player):
    providers.script(RESPONSES, gpt("A long think... " * 200 + "Final answer: d4"))
    match_id = player.create_match(white=GPT, black="human")
    detail = load_match(match_id).plies[0].detail
    assert detail["attempts"][0]["reply"].endswith("…")  # the page keeps an excerpt
    page = player.client.get(f"/matches/{match_id}/transcripts/{quote(detail['log'], safe='')}")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("A long think...") == 200
    assert "Position (FEN)" in html  # what was sent, too
    assert player.client.get(f"/matches/{match_id}/transcripts/LOG%2300001%23nope").status_code == 404


def test_the_transcript_shows_a_reply_with_markup_as_text(dynamodb, providers, player):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    providers.script(RESPONSES, gpt(f"{payload} Final answer: e4", reasoning=[payload]))
    match_id = player.create_match(white=GPT, black="human")
    log = load_match(match_id).plies[0].detail["log"]
    html = player.client.get(f"/matches/{match_id}/transcripts/{quote(log, safe='')}").content.decode()
    assert payload not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_model_that_never_finds_a_legal_move_forfeits(dynamodb, providers):
    providers.script(RESPONSES, *[gpt("Final answer: Ke2") for _ in range(2)])
    options = LLMOptions(attempts=2)
    meta = services.match_create(
        owner="o", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("random")], llm_options=options
    )
    loaded = load_match(meta.match_id)
    assert (loaded.meta.termination, loaded.meta.winner, loaded.meta.result) == ("forfeit", "black", "0-1")
    assert loaded.meta.moves == []
    [turn] = loaded.turns
    assert turn.ended == "forfeit"
    assert len(turn.detail["attempts"]) == 2
    assert loaded.meta.totals["white"]["calls"] == 2


def test_a_random_move_after_the_attempts_is_flagged_everywhere(dynamodb, providers, player):
    providers.script(RESPONSES, gpt("nothing"), gpt("still nothing"), gpt("no"))
    options = LLMOptions(attempts=3, on_exhausted="random")
    created = services.match_create(
        owner=player.name,
        players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("human")],
        llm_options=options,
    )
    loaded = load_match(created.match_id)
    assert len(loaded.meta.moves) == 1
    assert loaded.plies[0].detail["random"] is True
    assert loaded.meta.totals["white"]["random_moves"] == 1
    assert loaded.meta.totals["white"]["rejected"] == 3
    page = player.client.get(f"/matches/{created.match_id}/").content.decode()
    assert "random move after 3 failed attempts" in page
    data = player.client.get(f"/api/matches/{created.match_id}").json()
    assert data["moves"][0]["llm"]["random"] is True


def test_a_side_over_its_token_budget_loses_on_budget(dynamodb, providers):
    providers.script(RESPONSES, gpt("Final answer: e4", input_tokens=900, output_tokens=200))
    meta = services.match_create(
        owner="o",
        players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("human")],
        llm_options=LLMOptions(token_budget=1000),
    )
    final = get_meta(meta.match_id)
    assert (final.termination, final.winner) == ("budget", "black")
    assert "1100 tokens" in final.pause_reason
    assert final.moves == []


def test_a_match_over_its_dollar_budget_ends_on_budget(dynamodb, providers):
    providers.script(RESPONSES, gpt("Final answer: e4", input_tokens=2_000_000, output_tokens=10))
    meta = services.match_create(
        owner="o",
        players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("human")],
        llm_options=LLMOptions(dollar_budget=0.10),
    )
    final = get_meta(meta.match_id)
    assert final.termination == "budget"
    assert final.totals["white"]["cost"] > 0.10


def test_provider_trouble_pauses_the_match_then_it_resumes_by_itself(dynamodb, providers, settings):
    settings.ARENA_LLM_MAX_PAUSES = 2
    error = {"error": {"message": "overloaded", "type": "server_error"}}
    providers.script(RESPONSES, *[Reply(503, error, FAST_RETRY) for _ in range(4)])  # 1 call + 3 retries
    meta = services.match_create(owner="o", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("human")])
    paused = get_meta(meta.match_id)
    assert paused.status == "paused"
    assert "503" in paused.pause_reason
    assert paused.resume_at > time.time()
    with capture_tasks():
        assert meta.match_id not in runner.resume_stalled()  # not yet
    providers.script(RESPONSES, gpt("Final answer: e4"))
    # Captured: other tests' waiting matches share the table and must not be played out here.
    with capture_tasks() as queued:
        resumed = runner.resume_stalled(now=paused.resume_at + 1)
    assert meta.match_id in resumed
    assert get_meta(meta.match_id).status == "running"
    assert (runner.ADVANCE, (meta.match_id,), 0.0) in queued
    runner.advance(meta.match_id)
    after = load_match(meta.match_id)
    assert after.meta.status == "running"
    assert after.meta.moves == ["e2e4"]
    assert [t.ended for t in after.turns] == ["paused"]  # the failed turn stays visible


def test_a_provider_that_keeps_failing_ends_the_match_as_aborted(dynamodb, providers, settings):
    settings.ARENA_LLM_MAX_PAUSES = 1
    error = {"error": {"message": "overloaded", "type": "server_error"}}
    providers.script(RESPONSES, *[Reply(500, error, FAST_RETRY) for _ in range(8)])
    meta = services.match_create(owner="o", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("random")])
    assert get_meta(meta.match_id).status == "paused"
    with capture_tasks():
        runner.resume_stalled(now=time.time() + 10_000)
    runner.advance(meta.match_id)
    final = get_meta(meta.match_id)
    assert (final.status, final.termination, final.result, final.winner) == ("finished", "aborted", "*", None)
    assert "500" in final.pause_reason


def test_a_wrong_key_aborts_at_once_without_pausing(dynamodb, providers):
    providers.script(
        RESPONSES, Reply(401, {"error": {"message": "Incorrect API key", "type": "invalid_request_error"}})
    )
    meta = services.match_create(owner="o", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("human")])
    final = get_meta(meta.match_id)
    assert final.termination == "aborted"
    assert "sk-test-openai-secret" not in (final.pause_reason or "")


def test_models_without_credentials_are_offered_disabled_with_the_reason(player, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-x")
    html = player.client.get("/matches/new").content.decode()
    assert (
        '<option value="openai:gpt-4o" disabled>GPT-4o (unavailable: no OPENAI_API_KEY configured)</option>'
        in html
    )
    assert '<option value="anthropic:claude-haiku-4-5">Claude Haiku 4.5</option>' in html
    response = player.client.post("/matches/new", {"white": "openai:gpt-4o", "black": "human"})
    assert response.status_code == 400
    assert "no OPENAI_API_KEY configured" in response.content.decode()


def test_the_form_stores_the_llm_options(player, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-x")
    with capture_tasks():
        response = player.client.post(
            "/matches/new",
            {
                "white": "human", "black": CLAUDE, "protocol": "assisted", "attempts": "5",
                "on_exhausted": "random", "token_budget": "50000", "dollar_budget": "1.50", "timeout": "30",
                "temperature": "0.2", "reasoning_effort": "low",
            },
        )  # fmt: skip
    assert response.status_code == 302
    match_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert get_meta(match_id).llm_options == {
        "protocol": "assisted", "attempts": 5, "on_exhausted": "random", "token_budget": 50000,
        "dollar_budget": 1.5, "timeout": 30.0, "temperature": 0.2, "reasoning_effort": "low",
    }  # fmt: skip


def test_a_model_on_an_openai_compatible_endpoint_plays_through_chat_completions(
    dynamodb, fake_llm_server, settings, monkeypatch
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings.ARENA_LLM_ENDPOINTS = [
        {
            "name": "ollama",
            "base_url": f"{fake_llm_server.url}/v1",
            "api_key_env": None,
            "models": [{"id": "qwen3:8b", "name": "Qwen3 8B", "input": 0, "output": 0}],
        }
    ]
    catalog.models.cache_clear()
    catalog.endpoints.cache_clear()
    client.forget_providers()
    try:
        fake_llm_server.script(CHAT, Reply(body=chat_body("<think>e5 is solid.</think>Final answer: e5")))
        with capture_tasks():
            meta = services.match_create(
                owner="o", players=[PlayerSpec.from_ref("human"), PlayerSpec.from_ref("ollama:qwen3:8b")]
            )
            services.match_play_move(match_id=meta.match_id, player_id="o", move_text="e4")
        runner.advance(meta.match_id)
        loaded = load_match(meta.match_id)
        assert loaded.meta.moves == ["e2e4", "e7e5"]
        attempt = loaded.plies[1].detail["attempts"][0]
        assert attempt["reasoning"] == "e5 is solid."
        assert loaded.meta.totals["black"]["cost"] == 0.0  # a local model declared free
        assert fake_llm_server.requests_to(CHAT)[0].body["model"] == "qwen3:8b"
        settings.ARENA_LLM_ENDPOINTS = []  # the operator removes the endpoint ...
        catalog.models.cache_clear()
        catalog.endpoints.cache_clear()
        assert (
            PlayerSpec.from_ref("ollama:qwen3:8b").label == "qwen3:8b (ollama)"
        )  # ... old matches still show
        services.match_play_move(match_id=meta.match_id, player_id="o", move_text="d4")
        runner.advance(meta.match_id)
        final = get_meta(meta.match_id)
        assert final.termination == "aborted"
        assert "no longer configured" in final.pause_reason
    finally:
        catalog.models.cache_clear()
        catalog.endpoints.cache_clear()
        client.forget_providers()
