"""A real stack for browser tests: embedded DynamoDB + `manage.py runserver` + Chromium.

Both servers bind 127.0.0.1, stop by themselves if this process dies (``--parent-pid``,
``--max-seconds``) and are stopped by PID at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from arena_site.local_dynamodb import find_free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


def _wait_for_http(url: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ARENA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    tmp = tmp_path_factory.mktemp("e2e")
    db_port, web_port = find_free_port(), find_free_port()
    env = {
        **os.environ,
        "ARENA_ENV": "local",
        "ARENA_DEBUG": "false",
        "ARENA_DYNAMODB_URL": f"http://127.0.0.1:{db_port}",
        "ARENA_TABLE_NAME": "arena-e2e",
        "ARENA_TASK_BACKEND": "thread",
        "DJANGO_SETTINGS_MODULE": "arena_site.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DYNAMODB_SESSIONS_TABLE_NAME", None)
    db_log = open(tmp / "dynamodb.log", "w")  # noqa: SIM115 (closed below)
    web_log = open(tmp / "web.log", "w")  # noqa: SIM115
    db = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "arena_site.local_dynamodb",
            "--port",
            str(db_port),
            "--data",
            str(tmp / "dynamodb.json"),
            "--parent-pid",
            str(os.getpid()),
            "--max-seconds",
            "600",
        ],
        cwd=ROOT,
        env=env,
        stdout=db_log,
        stderr=subprocess.STDOUT,
    )
    web = None
    try:
        wait_until_ready(env["ARENA_DYNAMODB_URL"], 15)
        subprocess.run(
            [sys.executable, "manage.py", "create_tables"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        web = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{web_port}", "--noreload", "--insecure"],
            cwd=ROOT,
            env=env,
            stdout=web_log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{web_port}"
        _wait_for_http(url + "/", 30, web)
        yield url
    except Exception:
        web_log.flush()
        db_log.flush()
        print((tmp / "web.log").read_text()[-4000:], (tmp / "dynamodb.log").read_text()[-2000:])
        raise
    finally:
        if web is not None:
            _stop(web)
        _stop(db)
        db_log.close()
        web_log.close()


@pytest.fixture
def browser_page(live_server_url):
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    blocked: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server_url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # Chromium reports what the Content-Security-Policy blocked as console messages.
        page.on("console", lambda msg: "Content Security Policy" in msg.text and blocked.append(msg.text))
        try:
            yield page
        finally:
            browser.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
    assert blocked == [], f"Blocked by the Content-Security-Policy: {blocked}"
