from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from arena_site.dynamodb_admin import ensure_tables


class Command(BaseCommand):
    help = "Create or update every DynamoDB table of the app (safe to run any number of times)."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_tables(report=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("tables are up to date"))
