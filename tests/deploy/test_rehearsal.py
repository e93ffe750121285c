"""The deploy rehearsal: `zappa deploy dev` against a moto server, then the deployed package,
unzipped and run in a fresh interpreter that cannot see the source tree, answers API Gateway,
Zappa async-task and scheduled events, and its writes land in DynamoDB (moto).

What moto cannot do is left out and said so in docs/deploy.md: moto runs no Lambda code without
Docker (so `zappa invoke/manage` are played here by calling the packaged handler ourselves), and
`zappa update` fails on ListFunctionUrlConfigs, which moto lacks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.deploy.stand_in import DEPLOY_VENV, ROOT, moto_server_process, unpack_like_lambda, zappa_env

pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("lambda_driver.py")
CDN = "https://d111111abcdef8.cloudfront.net/static/"
HOST = "abc123defg.execute-api.us-east-1.amazonaws.com"
FUNCTION = "llm-duel-arena-dev"
SCHEDULED = "arena_site.scheduled.resume_stalled_matches"
SECRET_KEY = "rehearsal-" + "k" * 30 + "-0123456789abcdefghij"


def _zappa(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DEPLOY_VENV / "bin" / "zappa"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not (DEPLOY_VENV / "bin" / "zappa").exists():
        pytest.fail("the deploy venv is missing: `make deploy-venv` (make test builds it)")
    work = tmp_path_factory.mktemp("rehearsal")
    with moto_server_process() as moto_url:
        # moto would need Docker to run Lambda code: make it accept invocations without running them.
        request = urllib.request.Request(
            f"{moto_url}/moto-api/config",
            data=json.dumps({"lambda": {"use_docker": False}}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=10).read()
        env = zappa_env(moto_url)

        # The operator's zappa_settings.json, with what `make static` would have added.
        stages = json.loads((ROOT / "zappa_settings.json").read_text())
        stage = stages["dev"]
        stage["environment_variables"].update(ARENA_STATIC_URL=CDN, ARENA_STALL_SECONDS="1")
        # Keep the zip Zappa builds and uploads, to run exactly what was deployed.
        stage["delete_local_zip"] = False
        settings_file = work / "zappa_settings.json"
        settings_file.write_text(json.dumps({"dev": stage}, indent=2))

        before = set(ROOT.glob(f"{FUNCTION}-*.zip"))
        deployed = _zappa("deploy", "dev", "-s", str(settings_file), env=env)
        built = sorted(set(ROOT.glob(f"{FUNCTION}-*.zip")) - before)
        assert built, deployed.stdout[-3000:] + deployed.stderr[-3000:]
        package = work / "dev.zip"
        shutil.move(built[-1], package)

        aws = {"endpoint_url": moto_url, "region_name": "us-east-1"}
        boto3.client("ssm", **aws).put_parameter(
            Name="/arena/dev/secret-key", Value=SECRET_KEY, Type="SecureString", Overwrite=True
        )
        rules = boto3.client("events", **aws).list_rules()["Rules"]
        schedule = next((r for r in rules if r["Name"].endswith(SCHEDULED)), None)

        unzipped, runtime = unpack_like_lambda(package, work)
        function = boto3.client("lambda", **aws).get_function(FunctionName=FUNCTION)["Configuration"]
        scenario = work / "scenario.json"
        scenario.write_text(
            json.dumps(
                {
                    "handler": function["Handler"],
                    "host": HOST,
                    "stage": "dev",
                    "function_name": FUNCTION,
                    "schedule_rule_arn": schedule["Arn"]
                    if schedule
                    else f"arn:aws:events:::rule/{FUNCTION}-{SCHEDULED}",
                    "stall_seconds": 1,
                }
            )
        )
        # First `zappa manage dev create_tables`, as the packaged handler runs it on Lambda.
        lambda_env = {
            **env,
            "AWS_LAMBDA_FUNCTION_NAME": FUNCTION,
        }
        lambda_env.pop("VIRTUAL_ENV")
        base_python = getattr(sys, "_base_executable", sys.executable)
        manage = subprocess.run(
            # -B: /var/task is read-only on Lambda, nothing may be compiled into the package.
            [base_python, "-I", "-S", "-B", "-c", _MANAGE, str(unzipped), str(runtime), function["Handler"]],
            cwd=unzipped,
            env=lambda_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        driven = subprocess.run(
            [base_python, "-I", "-S", "-B", str(DRIVER), str(unzipped), str(runtime), str(scenario)],
            cwd=unzipped,
            env=lambda_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        report_line = next((line for line in driven.stdout.splitlines() if line.startswith("REPORT ")), None)
        yield {
            "deployed": deployed,
            "package": package,
            "manage": manage,
            "driven": driven,
            "report": json.loads(report_line[len("REPORT ") :]) if report_line else None,
            "aws": aws,
            "schedule": schedule,
        }


_MANAGE = """
import importlib, sys
sys.path[:0] = sys.argv[1:3]
module, _, function = sys.argv[3].rpartition(".")
getattr(importlib.import_module(module), function)({"manage": "create_tables"}, None)
"""


def _report(rehearsal: dict[str, Any]) -> dict[str, Any]:
    driven = rehearsal["driven"]
    assert rehearsal["report"] is not None, driven.stdout[-4000:] + driven.stderr[-6000:]
    return rehearsal["report"]


def _step(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(step for step in report["steps"] if step["name"] == name)


def _meta(rehearsal: dict[str, Any], match_id: str) -> dict[str, Any]:
    client = boto3.client("dynamodb", **rehearsal["aws"])
    item = client.get_item(TableName="arena-dev", Key={"pk": {"S": f"MATCH#{match_id}"}, "sk": {"S": "META"}})
    return item["Item"]


def test_zappa_deploy_dev_against_moto_exits_0_and_creates_the_stage(rehearsal):
    deployed = rehearsal["deployed"]
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    function = boto3.client("lambda", **rehearsal["aws"]).get_function(FunctionName=FUNCTION)["Configuration"]
    assert function["Runtime"] == "python3.11"
    assert function["Timeout"] == 300
    assert function["MemorySize"] == 1024
    assert function["Handler"] == "arena_site.lambda_entry.lambda_handler"
    apis = boto3.client("apigateway", **rehearsal["aws"]).get_rest_apis()["items"]
    assert any(api["name"] == FUNCTION for api in apis)
    # The scheduled event that resumes stalled matches, every minute.
    assert rehearsal["schedule"] is not None
    assert rehearsal["schedule"]["ScheduleExpression"] == "rate(1 minute)"


def test_create_tables_runs_through_the_packaged_handler(rehearsal):
    manage = rehearsal["manage"]
    assert manage.returncode == 0, manage.stderr[-4000:]
    tables = boto3.client("dynamodb", **rehearsal["aws"]).list_tables()["TableNames"]
    assert {"arena-dev", "arena-dev-sessions"} <= set(tables)


def test_the_package_serves_pages_and_moves_from_api_gateway_events(rehearsal):
    report = _report(rehearsal)
    home = _step(report, "home")
    assert home["status"] == 200
    assert f'href="{CDN}css/arena.css"' in home["body"]
    assert "https://d111111abcdef8.cloudfront.net" in home["csp"]
    assert _step(report, "new match form")["status"] == 200
    created = _step(report, "create match")
    assert created["status"] == 302
    assert re.fullmatch(r"/dev/matches/[a-z0-9]{10}/", created["location"])
    assert _step(report, "move")["status"] == 302
    page = _step(report, "match page")
    assert page["status"] == 200
    assert ">e4</a>" in page["body"]
    assert _step(report, "json")["status"] == 200
    assert json.loads(_step(report, "json")["body"])["moves"][0]["san"] == "e4"
    assert json.loads(_step(report, "healthz")["body"])["dynamodb"] == "ok"


def test_the_async_task_the_move_sent_advances_the_match_in_dynamodb(rehearsal):
    report = _report(rehearsal)
    [message] = report["async_messages"]
    assert message["command"] == "zappa.asynchronous.route_lambda_task"
    assert message["task_path"] == "arena_site.tasks.run_task"
    assert message["args"][:2] == ["games.runner.advance", [report["match_id"]]]
    moves = [move["S"] for move in _meta(rehearsal, report["match_id"])["moves"]["L"]]
    assert moves[0] == "e2e4"
    assert len(moves) == 2  # the engine replied in the task
    assert ">e4</a>" in _step(report, "match page after the task")["body"]


def test_the_scheduled_event_resumes_a_match_whose_step_was_lost(rehearsal):
    report = _report(rehearsal)
    stalled = report["stalled_match_id"]
    assert any(m["args"][1] == [stalled] for m in report["resumed_messages"])
    assert len(_meta(rehearsal, stalled)["moves"]["L"]) >= 1


def test_the_package_runs_on_its_own_and_web_requests_load_no_llm_sdk(rehearsal):
    report = _report(rehearsal)
    assert report["modules_from_outside"] == []
    # A page goes straight to Django: none of Zappa's event machinery, boto3 or an LLM SDK.
    assert report["loaded_by_first_page"] == []
    assert report["llm_sdks_loaded"] == []
    assert report["llm_sdks_importable"] == ["openai", "anthropic"], report.get("llm_sdk_errors")
    with zipfile.ZipFile(rehearsal["package"]) as archive:
        names = archive.namelist()
    assert "zappa_settings.py" in names
    with zipfile.ZipFile(rehearsal["package"]) as archive:
        packaged_settings = archive.read("zappa_settings.py").decode()
    assert "'ARENA_ENV': 'dev'" in packaged_settings
    assert not any(name.startswith(("tests/", ".venv/", ".git/", ".local/")) for name in names)
