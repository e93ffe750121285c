"""`make run`'s stand-in LLM (bin/demo_llm.py) plays every game under the assisted protocol
through the real OpenAI SDK, so a newcomer can watch LLM duels with no key and no internet."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from arena_site.local_dynamodb import find_free_port
from arena_site.tasks import capture_tasks
from games import runner, services
from games.core import all_games
from games.llm_options import LLMOptions
from games.models import get_meta, load_match
from games.players import PlayerSpec
from llm import catalog, client

ROOT = Path(__file__).resolve().parents[2]
DEMO = "demo:random-legal"


@pytest.fixture
def demo_endpoint(settings):
    port = find_free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bin" / "demo_llm.py"), "--port", str(port)])
    settings.ARENA_LLM_ENDPOINTS = [
        {
            "name": "demo",
            "base_url": f"http://127.0.0.1:{port}/v1",
            "api_key_env": None,
            "models": [{"id": "random-legal", "name": "Demo model", "input": 0, "output": 0}],
        }
    ]
    catalog.models.cache_clear()
    catalog.endpoints.cache_clear()
    client.forget_providers()
    try:
        time.sleep(0.5)
        yield
    finally:
        process.terminate()
        process.wait(timeout=5)
        catalog.models.cache_clear()
        catalog.endpoints.cache_clear()
        client.forget_providers()


@pytest.mark.parametrize("game_id", [game.id for game in all_games() if game.id != "chess"])
def test_the_demo_model_plays_a_whole_game_against_a_bot(dynamodb, demo_endpoint, game_id):
    rules = next(game for game in all_games() if game.id == game_id)
    with capture_tasks():
        meta = services.match_create(
            owner="newcomer",
            game=game_id,
            players=[PlayerSpec.from_ref(DEMO, game=game_id), PlayerSpec.from_ref("random", game=game_id)],
            options={"best_of": 3} if game_id == "rps" else {},
            llm_options=LLMOptions(protocol="assisted"),
        )
    for _ in range(200):
        if not runner.advance(meta.match_id):
            break
    final = load_match(meta.match_id)
    assert final.meta.status == "finished"
    assert final.meta.termination in rules.terminations  # ended by the rules, not a forfeit
    assert final.meta.totals[rules.seats[0]]["rejected"] == 0
    assert final.meta.totals[rules.seats[0]]["calls"] >= 1


def test_the_demo_model_opens_a_chess_game(dynamodb, demo_endpoint):
    with capture_tasks():
        meta = services.match_create(
            owner="newcomer",
            players=[PlayerSpec.from_ref(DEMO), PlayerSpec.from_ref("human")],
            llm_options=LLMOptions(protocol="assisted"),
        )
    assert runner.advance(meta.match_id)
    assert len(get_meta(meta.match_id).record) == 1
