"""`make bench` (part 2): the Lambda package's size and its cold start, as on Lambda.

1. Builds the package as `make deploy` would: `zappa package dev` from the lean .venv-deploy.
2. Unzips it and, in fresh interpreters (`python -I -S`: the standard library, the package and
   a folder standing in for what the python3.11 runtime provides, i.e. boto3/botocore), with
   PYTHONDONTWRITEBYTECODE=1 and no .pyc anywhere in the package, times the import of Zappa's
   handler plus the first match page through it (a REST proxy event), against a moto server.

Prints figures; never passes or fails on them. Usage: python bench/lambda_package.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY_VENV = ROOT / ".venv-deploy"
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
HOST = "abc123defg.execute-api.us-east-1.amazonaws.com"

COLD = r"""
import sys, time, json
started = time.perf_counter()
sys.path[:0] = sys.argv[1:3]
from zappa.handler import lambda_handler
imported = time.perf_counter()
event = {
    "resource": "/{proxy+}", "path": "/matches/%(match)s/", "httpMethod": "GET",
    "headers": {"Host": "%(host)s", "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.9, 130.176.0.1"},
    "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
    "pathParameters": {"proxy": "matches/%(match)s/"}, "stageVariables": None, "body": None,
    "isBase64Encoded": False,
    "requestContext": {"stage": "dev", "requestId": "bench", "identity": {"sourceIp": "203.0.113.9"},
                       "path": "/dev/matches/%(match)s/", "domainName": "%(host)s", "httpMethod": "GET"},
}
response = lambda_handler(event, None)
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1000, "total_ms": (done - started) * 1000,
                  "status": response["statusCode"], "bytes": len(response.get("body") or ""),
                  "sdks": [m for m in ("openai", "anthropic") if m in sys.modules],
                  "boto3": "boto3" in sys.modules, "modules": len(sys.modules)}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def build(work: Path) -> Path:
    env = {
        **os.environ,
        "VIRTUAL_ENV": str(DEPLOY_VENV),
        "PATH": f"{DEPLOY_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Zappa asks PyPI for manylinux wheels: fail fast instead of waiting on the network.
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    package = work / "dev.zip"
    subprocess.run(
        [str(DEPLOY_VENV / "bin" / "zappa"), "package", "dev", "-o", str(package)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return package


def unpack(package: Path, work: Path) -> tuple[Path, Path]:
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


def seed(url: str) -> str:
    """Tables and a 40-ply match in moto, written with the project's own code."""
    os.environ.update(
        ARENA_ENV="local",
        ARENA_DYNAMODB_URL=url,
        ARENA_TABLE_NAME="arena-dev",
        ARENA_TASK_BACKEND="inline",
        DJANGO_SETTINGS_MODULE="arena_site.settings",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from arena_site.dynamodb_admin import ensure_tables
    from arena_site.tasks import capture_tasks
    from games import services
    from games.players import PlayerSpec

    ensure_tables(report=lambda text: None)
    moves = ["e4", "e5", "Nf3", "Nc6", "Bb5", "a6", "Ba4", "Nf6", "O-O", "Be7"]
    moves += ["Re1", "b5", "Bb3", "d6", "c3", "O-O", "h3", "Nb8", "d4", "Nbd7"]
    with capture_tasks():
        meta = services.match_create(owner="bench", white=PlayerSpec("human"), black=PlayerSpec("human"))
        for move in moves:
            services.match_play_move(match_id=meta.match_id, player_id="bench", move_text=move)
    return meta.match_id


def cold_starts(unzipped: Path, runtime: Path, url: str, match_id: str, runs: int, precompiled: bool) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ARENA_", "DJANGO_", "AWS_", "VIRTUAL_ENV"))
    }
    env.update(
        AWS_LAMBDA_FUNCTION_NAME="llm-duel-arena-dev",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        # The stage's settings come from the packaged zappa_settings.py; the bench adds what a
        # Lambda would find elsewhere: the key (SSM there) and DynamoDB (moto here).
        ARENA_SECRET_KEY="bench-" + "k" * 60,
        ARENA_DYNAMODB_URL=url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    if precompiled:
        # What the Lambda runtime itself does for boto3/botocore: they ship compiled.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(runtime)], check=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    script = COLD % {"match": match_id, "host": HOST}
    results = []
    for _ in range(runs):
        began = time.perf_counter()
        out = subprocess.run(
            [base_python, "-I", "-S", "-c", script, str(unzipped), str(runtime)],
            cwd=unzipped,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = (time.perf_counter() - began) * 1000
        if out.returncode != 0:
            raise SystemExit(out.stderr[-3000:])
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["wall_ms"] = wall
        results.append(result)
    return {
        "import": statistics.median(r["import_ms"] for r in results),
        "total": statistics.median(r["total_ms"] for r in results),
        "wall": statistics.median(r["wall_ms"] for r in results),
        "last": results[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (DEPLOY_VENV / "bin" / "zappa").exists():
        raise SystemExit("the deploy venv is missing: make deploy-venv")
    work = Path(tempfile.mkdtemp(prefix="arena-lambda-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        package = build(work)
        unzipped, runtime = unpack(package, work)
        size = package.stat().st_size / 2**20
        unpacked = sum(f.stat().st_size for f in unzipped.rglob("*") if f.is_file()) / 2**20
        print("Lambda package (zappa package dev, from .venv-deploy)")
        line("zipped (target <= 25 MiB; Lambda's limit 50)", f"{size:.1f} MiB")
        line("unzipped (Lambda's limit 250 MB)", f"{unpacked:.1f} MiB")
        sys.path.insert(0, str(ROOT))
        from arena_site.local_dynamodb import wait_until_ready

        wait_until_ready(url, 20)
        match_id = seed(url)
        print(f"\nCold start: fresh `python -I -S`, handler import + first match page ({args.runs} runs)")
        for label, precompiled in [
            ("no .pyc anywhere (target <= 600 ms)", False),
            ("runtime's boto3/botocore compiled, as on Lambda", True),
        ]:
            figures = cold_starts(unzipped, runtime, url, match_id, args.runs, precompiled)
            last = figures["last"]
            line(
                label,
                f"import {figures['import']:.0f} ms, import + first page {figures['total']:.0f} ms, "
                f"process {figures['wall']:.0f} ms (HTTP {last['status']}, {last['bytes'] / 1024:.0f} KiB, "
                f"{last['modules']} modules, LLM SDKs: {last['sdks'] or '-'}, boto3: {last['boto3']})",
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
