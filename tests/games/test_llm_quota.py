"""The owner's daily dollar quota holds in the middle of a game: the match waits for tomorrow."""

from __future__ import annotations

import datetime as dt

from accounts import quotas
from accounts.models import UsageItem, player_pk, usage_sk
from arena_site.tasks import capture_tasks
from games import runner, services
from games.models import get_meta, load_match
from games.players import PlayerSpec
from tests.games.test_llm_matches import GPT, gpt
from tests.llm.fake_servers import RESPONSES


def _today_usage(owner: str) -> UsageItem:
    return UsageItem.get(player_pk(owner), usage_sk(dt.datetime.now(dt.UTC).date()))


def test_a_match_pauses_until_the_next_utc_day_once_the_owner_spent_the_daily_dollars(
    dynamodb, providers, settings
):
    settings.ARENA_QUOTA_DOLLARS_PER_DAY = 0.50
    # gpt-4o-mini: 4M input tokens cost $0.60, past the owner's $0.50 for the day.
    providers.script(RESPONSES, gpt("Final answer: e4", input_tokens=4_000_000, output_tokens=10))
    meta = services.match_create(
        owner="u-spender", players=[PlayerSpec.from_ref(GPT), PlayerSpec.from_ref("random")]
    )
    # White played e4 (the call that crossed the line is paid and its move kept), the random
    # mover replied, and White's next turn did not call the model at all.
    paused = load_match(meta.match_id)
    assert paused.meta.status == "paused"
    assert len(paused.meta.moves) == 2
    assert len(providers.requests_to(RESPONSES)) == 1
    assert "daily limit of $0.50" in paused.meta.pause_reason
    tomorrow = quotas.next_day_starts()
    assert paused.meta.resume_at == tomorrow.timestamp()
    assert int(paused.meta.pauses) == 0  # a quota wait never counts towards aborting
    assert float(_today_usage("u-spender").dollars) > 0.50

    page = services.find_meta(meta.match_id)
    assert page.is_running  # paused, not over: it resumes by itself

    # The next day (a fresh usage item) it goes on.
    with capture_tasks() as queued:
        assert meta.match_id not in runner.resume_stalled(now=tomorrow.timestamp() - 60)
        assert meta.match_id in runner.resume_stalled(now=tomorrow.timestamp() + 1)
    assert (runner.ADVANCE, (meta.match_id,), 0.0) in queued
    assert get_meta(meta.match_id).status == "running"


def test_a_new_llm_match_is_refused_while_the_days_dollars_are_spent(player, settings, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings.ARENA_GUEST_QUOTA_DOLLARS_PER_DAY = 0.25
    with capture_tasks():
        response = player.client.post("/matches/new", {"white": GPT, "black": "human"})
    assert response.status_code == 302
    owner = get_meta(response["Location"].rstrip("/").rsplit("/", 1)[-1]).owner
    _today_usage(owner).update(actions=[UsageItem.dollars.set(0.25)])
    with capture_tasks() as queued:
        refused = player.client.post("/matches/new", {"white": GPT, "black": "human"})
    assert refused.status_code == 429
    assert "Daily LLM quota reached" in refused.content.decode()
    assert "$0.25 a day" in refused.content.decode()
    assert queued == []
    assert int(_today_usage(owner).llm_matches) == 1
