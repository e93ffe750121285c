from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from arena_site.tasks import capture_tasks
from games import services
from games.core import all_games
from games.models import LIST_FINISHED, LIST_RUNNING, list_matches
from games.players import PlayerSpec
from games.runner import advance

DEMO_OWNER = "demo"


class Command(BaseCommand):
    help = (
        "Seed demo matches when the table holds no match yet: for every game, one played to the "
        "end (to replay) and one running at a watchable pace (to watch)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even if matches exist")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not force and (list_matches(LIST_RUNNING, limit=1) or list_matches(LIST_FINISHED, limit=1)):
            self.stdout.write("matches exist already; no demo data seeded")
            return
        seeded = []
        with capture_tasks():
            for rules in all_games():
                # Every game lists its random mover first, then its bots by strength.
                bots = [PlayerSpec.from_ref(b.ref, game=rules.id) for b in rules.bots() if b.available]
                first, second = bots[1], bots[min(2, len(bots) - 1)]
                finished = services.match_create(owner=DEMO_OWNER, game=rules.id, players=[first, bots[0]])
                while advance(finished.match_id):
                    pass
                # The resumer of `make run` (or Lambda's scheduled event) plays this one on,
                # since this process ends now.
                running = services.match_create(
                    owner=DEMO_OWNER, game=rules.id, players=[first, second], pace_seconds=3
                )
                seeded.append(f"{rules.name} {finished.match_id} (finished), {running.match_id} (running)")
        self.stdout.write("seeded " + "; ".join(seeded))
