"""An AWS account and a Lambda container on this machine, for what runs the built package here:
the deploy rehearsal (tests/deploy/test_rehearsal.py) and `make bench` (bench/lambda_package.py).

- :func:`zappa_env`: Zappa from the lean deploy venv, AWS at a moto server (or nowhere) with
  dummy credentials, and every other address behind a proxy that does not exist.
- :func:`moto_server_process`: a moto server on loopback, in its own process, stopped by PID.
- :func:`unpack_like_lambda`: the zip unzipped as /var/task, beside a folder standing in for
  what the python3.11 runtime provides, and no bytecode in either.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

from arena_site.local_dynamodb import find_free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
# Zappa packages the venv it runs from: the lean one (`make deploy-venv`), as operators do.
DEPLOY_VENV = ROOT / ".venv-deploy"
# What the python3.11 Lambda runtime provides besides the standard library. zappa_settings.json's
# exclude_glob leaves the first three out of the package: keep the two lists in step.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")


def zappa_env(moto_url: str | None = None) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ARENA_", "DJANGO_"))}
    env = {
        **keep,
        "AWS_ACCESS_KEY_ID": "stand-in",
        "AWS_SECRET_ACCESS_KEY": "stand-in",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        # Zappa asks PyPI for manylinux wheels, among others: fail fast, send nothing.
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
        "VIRTUAL_ENV": str(DEPLOY_VENV),
        "PATH": f"{DEPLOY_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if moto_url:
        env["AWS_ENDPOINT_URL"] = moto_url
    return env


@contextlib.contextmanager
def moto_server_process() -> Iterator[str]:
    """The server's URL, once it answers. A separate process, unlike tests' `moto_server`
    fixture: what runs against it (Zappa, the package) runs in other processes too."""
    port = find_free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(url, 20)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def unpack_like_lambda(package: Path, work: Path) -> tuple[Path, Path]:
    """(the unzipped package, the runtime stand-in), both under ``work``. The stand-in holds
    the deploy venv's copies of what the runtime provides, used only where the package has none
    of its own. Nothing is compiled: Zappa ships no .pyc."""
    unzipped = work / "package"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(unzipped)
    runtime = work / "runtime"
    runtime.mkdir()
    site = next((DEPLOY_VENV / "lib").glob("python3*/site-packages"))
    for name in RUNTIME_PROVIDED:
        if (site / name).exists() and not (unzipped / name).exists():
            (shutil.copytree if (site / name).is_dir() else shutil.copy2)(site / name, runtime / name)
    for cache in [*unzipped.rglob("__pycache__"), *runtime.rglob("__pycache__")]:
        shutil.rmtree(cache, ignore_errors=True)
    return unzipped, runtime
