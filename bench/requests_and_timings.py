"""`make bench`: DynamoDB requests per operation, cold start, and match page time.

Runs against a moto server on 127.0.0.1 (a real HTTP endpoint, like DynamoDB), prints figures,
never passes or fails on time. Usage: python bench/requests_and_timings.py [--plies 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.stand_in import moto_server_process  # noqa: E402


def configure(url: str) -> dict[str, str]:
    env = {
        "ARENA_ENV": "local",
        "ARENA_DEBUG": "false",
        "ARENA_DYNAMODB_URL": url,
        "ARENA_TABLE_NAME": "arena-bench",
        "ARENA_TASK_BACKEND": "inline",
        "DJANGO_SETTINGS_MODULE": "arena_site.settings",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    os.environ.update(env)
    return env


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plies", type=int, default=200)
    parser.add_argument("--page-runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()

    # moto in its own process, as DynamoDB would be: it must not share this process's GIL.
    with moto_server_process() as url:
        env = configure(url)
        import django

        django.setup()
        from arena_site.dynamodb_admin import ensure_tables

        ensure_tables(report=lambda text: None)
        print(f"LLM Duel Arena bench (moto server at {url}, Python {sys.version.split()[0]})\n")
        long_game = requests_per_operation()
        requests_per_game()
        page_timings(long_game, args.plies, args.page_runs)
        prompt_sizes()
        cold_start(env, long_game, args.cold_runs)


def requests_per_operation() -> None:
    from django.test import Client

    from arena_site.tables import count_requests
    from arena_site.tasks import capture_tasks
    from games import runner
    from games.models import get_meta

    print("DynamoDB requests per operation (botocore before-call events)")
    owner, watcher = Client(), Client()
    response = owner.post("/matches/new", {"white": "human", "black": "engine:1", "fen": "", "pace": "0"})
    match_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    owner.get(f"/matches/{match_id}/")

    def report(label: str, counter) -> None:
        detail = ", ".join(f"{name} {count}" for name, count in sorted(counter.calls.items()))
        line(label, f"{counter.total}  ({detail})")

    with count_requests() as c:
        owner.get(f"/matches/{match_id}/")
    report("match page view (player, target <= 2)", c)
    with count_requests() as c:
        watcher.get(f"/matches/{match_id}/")
    report("match page view (watcher, no session)", c)
    with capture_tasks(), count_requests() as c:
        owner.post(f"/matches/{match_id}/move", {"move": "e4"})
    report("human move (target <= 3)", c)
    with capture_tasks(), count_requests() as c:
        runner.advance(match_id)
    report("engine ply", c)
    version = get_meta(match_id).version
    with count_requests() as c:
        owner.get(f"/matches/{match_id}/live?v={version}")
    report("unchanged poll (target <= 1)", c)
    with count_requests() as c:
        owner.get(f"/matches/{match_id}/live?v={version - 1}")
    report("changed poll (returns the partial)", c)
    with count_requests() as c:
        Client().get("/")
    report("home page (visitor)", c)
    with capture_tasks(), count_requests() as c:
        Client().post("/matches/new", {"white": "human", "black": "human", "fen": "", "pace": "0"})
    report("new match (first visit: creates the session)", c)

    member = Client()
    password = "bench-knight-fork-e7"
    with count_requests() as c:
        member.post("/accounts/signup", {"username": "bencher", "password1": password, "password2": password})
    report("sign up (with 1 guest match to adopt: 0 here)", c)
    with capture_tasks():
        for index in range(30):
            made = member.post("/matches/new", {"white": "human", "black": "human", "fen": "", "pace": "0"})
            if index % 3 == 0:
                member.post(made["Location"] + "resign")
    made_id = made["Location"].rstrip("/").rsplit("/", 1)[-1]
    with count_requests() as c:
        member.get(f"/matches/{made_id}/")
    report("match page view (logged in, target <= 2)", c)
    with count_requests() as c:
        page = member.get("/me/games")
    report(f"My games, first page of {page.content.decode().count('data-match=')} (target <= 2)", c)
    with count_requests() as c:
        member.get("/me/games?status=finished")
    report("My games filtered by status (30 matches)", c)
    with count_requests() as c:
        member.get("/me")
    report("profile page (target <= 2)", c)
    member.post("/accounts/logout")
    with count_requests() as c:
        member.post("/accounts/login", {"username": "bencher", "password": password})
    report("log in (throttle, name guard, user, last login, session)", c)
    print()


def build_long_game(plies: int) -> str:
    from arena_site.tasks import capture_tasks
    from games import services
    from games.chess.rules import ChessGame
    from games.players import PlayerSpec

    rng = random.Random(7)
    while True:
        game = ChessGame()
        moves = []
        while len(moves) < plies and not game.is_over():
            legal = game.legal_moves()
            safe = [m for m in legal if not _ends(game, m)] or legal
            move = rng.choice(safe)
            game.play(move)
            moves.append(move)
        if len(moves) == plies and not game.is_over():
            break
    with capture_tasks():
        meta = services.match_create(
            owner="bench", players=[PlayerSpec.from_ref("human"), PlayerSpec.from_ref("human")]
        )
        for move in moves:
            services.match_play_move(match_id=meta.match_id, player_id="bench", move_text=move)
    return meta.match_id


def _ends(game, move: str) -> bool:
    board = game.board
    board.push_uci(move)
    return board.outcome(claim_draw=False) is not None


def page_timings(_: None, plies: int, runs: int) -> None:
    from django.test import Client

    from arena_site.tables import count_requests

    match_id = build_long_game(plies)
    globals()["LONG_GAME"] = match_id
    client = Client()
    client.get(f"/matches/{match_id}/")  # warm
    print(f"Server time per match page, {plies}-ply game ({runs} runs, Django test client)")
    for label, path in [
        ("live page", f"/matches/{match_id}/"),
        ("replay page at ply 100", f"/matches/{match_id}/?ply=100"),
        ("JSON", f"/api/matches/{match_id}"),
        ("PGN", f"/matches/{match_id}/pgn"),
    ]:
        totals, app = [], []
        size = 0
        for _ in range(runs):
            started = time.perf_counter()
            with count_requests() as counter:
                response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            totals.append(elapsed)
            app.append(elapsed - counter.seconds * 1000)
            size = len(response.content)
        line(
            label,
            f"total median {statistics.median(totals):.1f} ms (app {statistics.median(app):.1f} ms + "
            f"DynamoDB {statistics.median(totals) - statistics.median(app):.1f} ms), "
            f"{size / 1024:.1f} KiB, {counter.total} request(s)",
        )
    print()


def random_game(plies: int, seed: int = 11) -> list[str]:
    """A legal game of exactly ``plies`` plies that is not over (random moves, reproducible)."""
    import chess

    rng = random.Random(seed)
    while True:
        board = chess.Board()
        while board.ply() < plies and board.outcome(claim_draw=False) is None:
            board.push(rng.choice(list(board.legal_moves)))
        if board.ply() == plies and board.outcome(claim_draw=False) is None:
            return [m.uci() for m in board.move_stack]


def prompt_sizes() -> None:
    from games.core import all_games

    print("LLM prompt size in characters (system + user message, first attempt of a turn)")
    for rules in all_games():
        rng = random.Random(5)
        state = rules.replay(rules.start(rules.clean_options({})), [])
        sizes: dict[int, dict[str, int]] = {}
        for ply in range(1, 161):
            acting = sorted(rules.to_act(state))
            if not acting:
                break
            if ply in (1, 5, 40, 80, 160):
                sizes[ply] = {
                    protocol: sum(
                        len(m.content)
                        for m in rules.prompt(state, acting[0], protocol=protocol, opponent="GPT-4o")
                    )
                    for protocol in ("strict", "assisted")
                }
            state = rules.apply(state, {seat: rng.choice(rules.legal(state, seat)) for seat in acting}).state
        for protocol in ("strict", "assisted"):
            at = ", ".join(f"ply {ply}: {by[protocol]:,}" for ply, by in sizes.items())
            line(f"{rules.name} ({protocol})", at)
    print()


def requests_per_game() -> None:
    """Every game: page view, a person's move (form and htmx), a bot ply, polls."""
    from django.test import Client

    from arena_site.tables import count_requests
    from arena_site.tasks import capture_tasks
    from games import runner
    from games.core import all_games
    from games.models import get_meta

    print("DynamoDB requests per operation, per game (budgets: page 2, move 3, bot ply 2, poll 1)")
    for rules in all_games():
        owner = Client()
        bot = next(b.ref for b in rules.bots() if b.available and b.ref != "random")
        seats = {seat: ("human" if index == 0 else bot) for index, seat in enumerate(rules.seats)}
        with capture_tasks():
            response = owner.post("/matches/new", {"game": rules.id, **seats, "pace": "0"})
            match_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
            runner.advance(match_id)  # a simultaneous game's bot seals its choice first
        owner.get(f"/matches/{match_id}/")
        meta = get_meta(match_id)
        state = meta.state()
        human = rules.seats[0]
        moves = rules.legal(state, human)
        figures = []
        with count_requests() as c:
            owner.get(f"/matches/{match_id}/")
        figures.append(("page", c.total))
        with capture_tasks(), count_requests() as c:
            owner.post(f"/matches/{match_id}/move", {"move": moves[0]})
        figures.append(("move (form)", c.total))
        with capture_tasks(), count_requests() as c:
            runner.advance(match_id)
        figures.append(("bot ply", c.total))
        meta = get_meta(match_id)
        legal = rules.legal(meta.state(), human)
        if legal and meta.is_running:
            with capture_tasks(), count_requests() as c:
                owner.post(f"/matches/{match_id}/move", {"move": legal[0]}, HTTP_HX_REQUEST="true")
            figures.append(("move (htmx)", c.total))
        version = get_meta(match_id).version
        with count_requests() as c:
            owner.get(f"/matches/{match_id}/live?v={version}")
        figures.append(("unchanged poll", c.total))
        with count_requests() as c:
            owner.get(f"/matches/{match_id}/live?v={version - 1}")
        figures.append(("changed poll", c.total))
        line(rules.name, ", ".join(f"{label} {count}" for label, count in figures))
    print()


COLD_SCRIPT = textwrap.dedent(
    """
    import io, sys, time
    started = time.perf_counter()
    from arena_site.wsgi import application
    imported = time.perf_counter()
    status = []
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/matches/%s/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
    }
    body = b"".join(application(environ, lambda s, h: status.append(s)))
    done = time.perf_counter()
    sdks = [m for m in ("openai", "anthropic") if m in sys.modules]
    code = status[0].split()[0]
    ms = [round((t - started) * 1000) for t in (imported, done)]
    print(ms[0], ms[1], code, len(body), ",".join(sdks) or "-")
    """
)


def cold_start(env: dict[str, str], _: None, runs: int) -> None:
    match_id = globals()["LONG_GAME"]
    script = COLD_SCRIPT % match_id
    print(f"Cold start: fresh process, WSGI import + first match page ({runs} runs each)")
    for label, extra in [
        ("with cached .pyc", {}),
        ("no .pyc (as on Lambda, Zappa ships none)", {"PYTHONDONTWRITEBYTECODE": "1"}),
    ]:
        imports, totals, result = [], [], ""
        for _ in range(runs):
            run_env = {**os.environ, **env, **extra}
            if extra:
                # An empty, private cache dir: nothing cached can be read, nothing is written.
                run_env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="arena-nopyc-")
            out = subprocess.run(
                [sys.executable, "-c", script],
                cwd=ROOT,
                env=run_env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            imports.append(float(out[0]))
            totals.append(float(out[1]))
            result = f"HTTP {out[2]}, {int(out[3]) / 1024:.0f} KiB, LLM SDKs imported: {out[4]}"
        line(
            label,
            f"import median {statistics.median(imports):.0f} ms, import + first page "
            f"median {statistics.median(totals):.0f} ms ({result})",
        )
    print("  (the no-.pyc figure still benefits from the OS file cache and this machine's CPU)")


if __name__ == "__main__":
    main()
