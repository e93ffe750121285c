from __future__ import annotations

from django.apps import AppConfig


class GamesConfig(AppConfig):
    name = "games"

    def ready(self) -> None:
        from accounts import hooks

        hooks.provide(
            game_choices="games.core.registry.game_choices", adopt_guest="games.services.matches_adopt"
        )
