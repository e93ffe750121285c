"""Web requests never import an LLM SDK: openai and anthropic cost 0.7 s and 1.8 s of cold start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from moto import mock_aws
with mock_aws():
    import django
    django.setup()
    from arena_site.dynamodb_admin import ensure_tables
    ensure_tables(report=lambda line: None)
    from django.test import Client
    from arena_site.tasks import capture_tasks
    client = Client()
    pages = ["/", "/matches/new"]
    with capture_tasks():
        response = client.post("/matches/new", {"white": "openai:gpt-4o", "black": "human"})
    assert response.status_code == 302, response.content[:500]
    match = response["Location"]
    match_id = match.rstrip("/").rsplit("/", 1)[-1]
    pages += [match, f"/matches/{match_id}/live?v=0", f"/api/matches/{match_id}", f"/matches/{match_id}/pgn"]
    codes = [client.get(page).status_code for page in pages]
    turn_machinery = ("games.llm_turn", "games.chess.reply", "llm.client")
    print(json.dumps({
        "codes": codes,
        "sdks": [m for m in ("openai", "anthropic") if m in sys.modules],
        "turn": [m for m in turn_machinery if m in sys.modules],
    }))
"""


def test_web_requests_never_import_openai_or_anthropic():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "OPENAI_API_KEY": "sk-test",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["codes"] == [200, 200, 200, 200, 200, 200]
    assert result["sdks"] == []
    assert result["turn"] == []  # the LLM turn, its parser and the client load in tasks only
