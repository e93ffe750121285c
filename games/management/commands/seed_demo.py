from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from arena_site.tasks import capture_tasks
from games import services
from games.models import LIST_FINISHED, LIST_RUNNING, list_matches
from games.players import PlayerSpec
from games.runner import advance

DEMO_OWNER = "demo"


class Command(BaseCommand):
    help = "Seed demo matches (one finished, one running) when the table holds no match yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even if matches exist")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not force and (list_matches(LIST_RUNNING, limit=1) or list_matches(LIST_FINISHED, limit=1)):
            self.stdout.write("matches exist already; no demo data seeded")
            return
        # Played to the end right here, so the home page has a finished game to replay.
        with capture_tasks():
            finished = services.match_create(
                owner=DEMO_OWNER, white=PlayerSpec("engine", 3), black=PlayerSpec("random")
            )
            while advance(finished.match_id):
                pass
            # Left running at a watchable pace; the resumer of `make run` (or Lambda's
            # scheduled event) picks it up, since this process ends now.
            running = services.match_create(
                owner=DEMO_OWNER, white=PlayerSpec("engine", 1), black=PlayerSpec("engine", 2), pace_seconds=3
            )
        self.stdout.write(
            f"seeded a finished match ({finished.match_id}) and a running one ({running.match_id})"
        )
