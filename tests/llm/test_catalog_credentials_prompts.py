"""The model catalog and costs, where keys come from, and the prompts sent to models."""

from __future__ import annotations

import json

import boto3
import chess
import pytest
from django.core.exceptions import ImproperlyConfigured

from games.chess import GAME as CHESS
from llm import catalog, credentials
from llm.types import CallOptions, ErrorKind, ProviderError, Usage


@pytest.fixture
def fresh_catalog():
    catalog.models.cache_clear()
    catalog.endpoints.cache_clear()
    yield
    catalog.models.cache_clear()
    catalog.endpoints.cache_clear()


def test_every_catalog_entry_has_a_provider_a_name_and_sane_prices():
    for ref, model in catalog.models().items():
        assert ref == f"{model.provider}:{model.id}"
        assert model.name
        if model.input is not None:
            assert model.output is not None
            assert 0 <= model.input <= 100
            assert 0 <= model.output <= 500
            assert model.cached_input is None or model.cached_input <= model.input


def test_costs_come_from_recorded_usage_and_the_catalog_prices():
    gpt = catalog.get_model("openai:gpt-4o")  # $2.50 in, $1.25 cached, $10 out per 1M
    assert gpt.cost(Usage(input_tokens=1_000_000, output_tokens=0)) == pytest.approx(2.5)
    assert gpt.cost(Usage(input_tokens=1000, output_tokens=500, cached_input_tokens=400)) == pytest.approx(
        (600 * 2.5 + 400 * 1.25 + 500 * 10) / 1e6
    )
    claude = catalog.get_model("anthropic:claude-haiku-4-5")  # $1 in, $0.10 read, $1.25 write, $5 out
    usage = Usage(input_tokens=3000, output_tokens=100, cached_input_tokens=1000, cache_write_tokens=1000)
    assert claude.cost(usage) == pytest.approx((1000 * 1 + 1000 * 0.1 + 1000 * 1.25 + 100 * 5) / 1e6)


def test_no_usage_or_no_price_means_an_unknown_cost_never_an_estimate():
    assert catalog.get_model("openai:gpt-4o").cost(None) is None
    assert catalog.get_model("openai:gpt-5.5").cost(Usage(100, 100)) is None


def test_models_drop_options_they_do_not_take():
    options = CallOptions(temperature=0.3, reasoning_effort="high")
    reasoning = catalog.get_model("openai:o3").adapt(options)
    assert (reasoning.temperature, reasoning.reasoning_effort) == (None, "high")
    chat = catalog.get_model("openai:gpt-4o").adapt(options)
    assert (chat.temperature, chat.reasoning_effort) == (0.3, None)


def test_compatible_endpoints_come_from_settings(settings, fresh_catalog):
    settings.ARENA_LLM_ENDPOINTS = [
        {
            "name": "ollama",
            "base_url": "http://127.0.0.1:11434/v1",
            "models": [{"id": "llama3.1:8b", "name": "Llama"}],
        }
    ]
    model = catalog.get_model("ollama:llama3.1:8b")
    assert (model.provider, model.id, model.name) == ("ollama", "llama3.1:8b", "Llama")
    assert model.cost(Usage(10, 10)) is None  # no price declared: unknown
    assert credentials.unavailable_reason("ollama") is None  # a local server needs no key


@pytest.mark.parametrize(
    "endpoint",
    [
        {"name": "openai", "base_url": "http://x/v1"},
        {"name": "Bad Name", "base_url": "http://x/v1"},
        {"name": "ok", "base_url": "ftp://x"},
    ],
)
def test_a_bad_endpoint_is_a_configuration_error(settings, fresh_catalog, endpoint):
    settings.ARENA_LLM_ENDPOINTS = [endpoint]
    with pytest.raises(ImproperlyConfigured):
        catalog.endpoints()


def test_keys_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert credentials.api_key("openai") == "sk-env"
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert credentials.unavailable_reason("anthropic") == "no ANTHROPIC_API_KEY configured"
    with pytest.raises(ProviderError) as error:
        credentials.api_key("anthropic")
    assert error.value.kind == ErrorKind.NO_CREDENTIALS


def test_keys_can_come_from_ssm_and_secrets_manager_once_per_process(dynamodb, settings, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name="/arena/test/openai", Value="sk-from-ssm", Type="SecureString"
    )
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    secrets.create_secret(Name="arena-test-anthropic", SecretString=json.dumps({"key": "sk-ant-from-sm"}))
    settings.ARENA_SECRETS = {
        "OPENAI_API_KEY": "ssm:/arena/test/openai",
        "ANTHROPIC_API_KEY": "secretsmanager:arena-test-anthropic#key",
    }
    credentials.forget_cached_secrets()
    assert credentials.unavailable_reason("openai") is None  # known without calling AWS
    assert credentials.api_key("openai") == "sk-from-ssm"
    assert credentials.api_key("anthropic") == "sk-ant-from-sm"
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name="/arena/test/openai", Value="sk-rotated", Type="SecureString", Overwrite=True
    )
    assert credentials.api_key("openai") == "sk-from-ssm"  # read once, cached
    credentials.forget_cached_secrets()
    assert credentials.api_key("openai") == "sk-rotated"
    credentials.forget_cached_secrets()


def test_the_strict_prompt_has_the_position_and_history_and_assisted_adds_legal_moves():
    state = CHESS.replay(chess.STARTING_FEN, ["e2e4", "e7e5", "g1f3"])
    strict = CHESS.prompt(state, "black", protocol="strict", opponent="Claude")
    assert [m.role for m in strict] == ["system", "user"]
    assert "as Black against Claude" in strict[0].content
    assert "Final answer:" in strict[0].content
    assert "1. e4 e5 2. Nf3" in strict[1].content
    assert "rnbqkbnr/pppp1ppp/8/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R b KQkq - 1 2" in strict[1].content
    assert "legal moves" not in strict[1].content
    assisted = CHESS.prompt(state, "black", protocol="assisted", opponent="x")
    assert "Your legal moves:" in assisted[1].content
    assert " Nc6 " in assisted[1].content + " "


def test_the_retry_prompt_carries_the_reason():
    message = CHESS.retry(CHESS.replay("", []), "white", "Ke2 is not legal: e2 is occupied by your pawn.")
    assert message.role == "user"
    assert "Ke2 is not legal" in message.content
    assert "White" in message.content
