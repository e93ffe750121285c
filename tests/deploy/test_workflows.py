"""The GitHub workflows keep their contract: the suite runs through .ci/run on 3.11 and 3.12,
AWS is reached through OIDC only, prod deploys only from a v* tag or by hand, nothing deploys
before the suite passes, and Zappa packages from the lean .venv-deploy through the Makefile.
The stage-picking script itself runs here, under bash."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

GITHUB = Path(__file__).resolve().parents[2] / ".github"
WORKFLOWS = GITHUB / "workflows"
AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"


def load(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return workflow


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    found: dict[str, Any] = workflow[True] if True in workflow else workflow["on"]
    return found


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def scripts(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_no_long_lived_aws_key_appears_anywhere_in_github_files():
    forbidden = re.compile(
        r"aws[-_]access[-_]key[-_]id|aws[-_]secret[-_]access[-_]key|aws[-_]session[-_]token", re.I
    )
    files = [path for path in GITHUB.rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert not forbidden.search(path.read_text()), path


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_only_the_jobs_that_assume_an_aws_role_may_ask_for_an_oidc_token(name):
    workflow = load(name)
    assert "id-token" not in workflow.get("permissions", {})
    for job_id, job in workflow["jobs"].items():
        if steps_using(job, AWS_CREDENTIALS_ACTION):
            assert job["permissions"] == {"id-token": "write", "contents": "read"}, job_id
        else:
            assert "id-token" not in job.get("permissions", {}), job_id


def test_the_deploy_role_and_region_come_from_github_variables():
    aws_steps = [
        step
        for job in load("deploy.yml")["jobs"].values()
        for step in steps_using(job, AWS_CREDENTIALS_ACTION)
    ]
    assert aws_steps
    for step in aws_steps:
        assert step["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
        assert step["with"]["aws-region"] == "${{ vars.AWS_REGION }}"


def test_deploy_runs_on_pushes_to_main_v_tags_and_by_hand_only():
    on = triggers(load("deploy.yml"))
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"], "tags": ["v*"]}
    assert on["workflow_dispatch"]["inputs"]["stage"]["options"] == ["dev", "prod"]


@pytest.mark.parametrize(
    ("event", "ref", "requested", "expected"),
    [
        ("push", "refs/heads/main", "", "dev"),
        ("push", "refs/tags/v1.4.0", "", "prod"),
        ("workflow_dispatch", "refs/heads/main", "prod", "prod"),
        ("workflow_dispatch", "refs/tags/v1.4.0", "prod", "prod"),
        ("workflow_dispatch", "refs/heads/try-this", "dev", "dev"),
        ("workflow_dispatch", "refs/heads/try-this", "prod", None),
        ("workflow_dispatch", "refs/heads/main", "staging", None),
        ("push", "refs/heads/try-this", "", None),
        ("pull_request", "refs/pull/7/merge", "", None),
    ],
)
def test_the_stage_follows_the_event_and_prod_needs_main_or_a_v_tag(
    tmp_path, event, ref, requested, expected
):
    (pick,) = [step for step in load("deploy.yml")["jobs"]["stage"]["steps"] if step.get("id") == "pick"]
    output = tmp_path / "github_output"
    output.touch()
    env = {**os.environ, "EVENT": event, "REF": ref, "REQUESTED": requested, "GITHUB_OUTPUT": str(output)}
    result = subprocess.run(["bash", "-c", pick["run"]], env=env, capture_output=True, text=True, check=False)
    if expected is None:
        assert result.returncode != 0
        assert "::error::" in result.stdout
        assert output.read_text() == ""
    else:
        assert result.returncode == 0, result.stdout + result.stderr
        assert output.read_text() == f"stage={expected}\n"


def test_deploy_waits_for_the_suite_then_deploys_one_stage_at_a_time():
    jobs = load("deploy.yml")["jobs"]
    (deploy_id,) = [job_id for job_id, job in jobs.items() if steps_using(job, AWS_CREDENTIALS_ACTION)]
    deploy = jobs[deploy_id]
    assert any("./.ci/run" in scripts(jobs[needed]) for needed in deploy["needs"])
    assert deploy["environment"]["name"] == "${{ needs.stage.outputs.stage }}"
    assert "needs.stage.outputs.stage" in deploy["concurrency"]["group"]
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_deploy_steps_go_static_then_lambda_then_tables_then_smoke_check():
    deploy = load("deploy.yml")["jobs"]["deploy"]
    text = scripts(deploy)
    order = [
        "make install",
        'make static STAGE="$STAGE"',
        "make deploy-venv",
        'make update STAGE="$STAGE"',
        '.venv-deploy/bin/zappa manage "$STAGE" create_tables',
        "/healthz",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert 'make deploy STAGE="$STAGE"' in text  # the very first deployment of a stage
    assert "get_function(" in text  # which of the two: Lambda is asked


def test_deploy_packages_from_the_deploy_venv_and_leaves_the_development_one_alone():
    deploy = load("deploy.yml")["jobs"]["deploy"]
    text = scripts(deploy)
    # No second virtualenv built by hand, and .venv stays the development one (make static).
    assert "rm -rf .venv" not in text
    assert "-m venv" not in text
    assert ".venv/bin/" not in text
    # Zappa only through the Makefile (deploy/update) or from .venv-deploy (manage, status).
    commands = [line for line in text.splitlines() if "echo " not in line]  # not messages
    calls = [(line, call) for line in commands for call in re.finditer(r"zappa (\w+)", line)]
    assert calls
    for line, call in calls:
        assert call[1] in ("manage", "status"), line
        assert line[: call.start()].endswith(".venv-deploy/bin/"), line
    assert "VIRTUAL_ENV" not in deploy.get("env", {})
    for step in deploy["steps"]:
        if ".venv-deploy/bin/zappa" in step.get("run", ""):
            assert step["env"]["VIRTUAL_ENV"] == "${{ github.workspace }}/.venv-deploy", step["name"]


def test_ci_runs_dot_ci_run_on_python_3_11_and_3_12():
    workflow = load("ci.yml")
    on = triggers(workflow)
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["concurrency"]["cancel-in-progress"]
    (job,) = workflow["jobs"].values()
    assert job["timeout-minutes"] == 60
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
    (setup,) = steps_using(job, "actions/setup-python")
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    assert setup["with"]["cache"] == "pip"
    (suite,) = [step for step in job["steps"] if step.get("run") == "./.ci/run"]
    assert suite["env"]["PYTHON"] == "python${{ matrix.python }}"
