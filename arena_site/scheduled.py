"""Entry points for Zappa's scheduled events (see "events" in zappa_settings.json)."""

from __future__ import annotations

from typing import Any


def resume_stalled_matches(event: Any = None, context: Any = None) -> dict[str, Any]:
    # Imported on call: Zappa loads this module before Django is set up.
    from games.runner import resume_stalled

    resumed = resume_stalled()
    return {"resumed": resumed}
