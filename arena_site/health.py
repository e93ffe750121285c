"""``/healthz``: is the app up, and can it reach DynamoDB? For load balancers, deploy smoke
checks and people. One GetItem on a key that never exists; no session, no cookie, no cache."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from pynamodb.exceptions import DoesNotExist

from arena_site.dynamodb import ArenaItem

log = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    try:
        ArenaItem.get("HEALTH", "PROBE")
    except DoesNotExist:
        dynamodb, status = "ok", 200
    except Exception as exc:  # any failure to reach the table is the answer, not a crash
        log.warning("health check: DynamoDB unreachable: %s", type(exc).__name__)
        dynamodb, status = f"unreachable ({type(exc).__name__})", 503
    else:
        dynamodb, status = "ok", 200
    body = {
        "status": "ok" if status == 200 else "unavailable",
        "app": "ok",
        "dynamodb": dynamodb,
        "table": settings.ARENA_TABLE_NAME,
        "stage": settings.ARENA_STAGE,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
