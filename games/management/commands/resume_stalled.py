from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from games.runner import resume_stalled


class Command(BaseCommand):
    help = (
        "Re-enqueue matches that wait for a bot but that nobody advances. On Lambda a scheduled "
        "event does this every minute; `make run` runs it here with --every."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds (0: once)")
        parser.add_argument(
            "--startup",
            action="store_true",
            help="first pass: nothing else is running, so resume every waiting match at once",
        )

    def handle(self, *args: Any, every: float, startup: bool, **options: Any) -> None:
        stall: float | None = 0 if startup else None
        while True:
            resumed = resume_stalled(stall_seconds=stall)
            if resumed:
                self.stdout.write(f"resumed {len(resumed)} match(es): {', '.join(resumed)}")
            if every <= 0:
                return
            stall = None
            time.sleep(every)
