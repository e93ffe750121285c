"""The one seam for background work: ``enqueue("games.runner.advance", match_id)``.

Backends (``ARENA_TASK_BACKEND``):

- ``zappa``: an asynchronous invocation of this same Lambda (zappa.asynchronous), so a slow
  step never runs inside a web request that API Gateway would cut at 29 s;
- ``thread``: a small pool in this process (``make run``);
- ``inline``: right here, in the caller's thread (tests). Tasks that enqueue further tasks are
  queued and drained in order instead of recursing, so a 300-ply engine game stays flat.

Tests that want to see what was enqueued without running it use :func:`capture_tasks`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_inline = threading.local()
_captured: list[tuple[str, tuple[Any, ...], float]] | None = None


def enqueue(task_path: str, *args: Any, delay: float = 0.0) -> None:
    """Run ``task_path(*args)`` in the background, after ``delay`` seconds at the earliest."""
    if _captured is not None:
        _captured.append((task_path, args, delay))
        return
    backend = settings.ARENA_TASK_BACKEND
    if backend == "inline":
        _run_inline(task_path, args)
    elif backend == "thread":
        _submit_to_pool(task_path, args, delay)
    else:
        _invoke_lambda(task_path, args, delay)


def run_task(task_path: str, args: list[Any] | tuple[Any, ...], delay: float = 0.0) -> None:
    """Entry point of every background task, whatever the backend."""
    if delay > 0:
        time.sleep(delay)
    try:
        import_string(task_path)(*args)
    except Exception:
        # A task's failure must not kill the pool thread or the Lambda silently; the
        # scheduled resumer picks stalled matches up again.
        log.exception("task %s%r failed", task_path, tuple(args))


def _run_inline(task_path: str, args: tuple[Any, ...]) -> None:
    queue: deque[tuple[str, tuple[Any, ...]]] | None = getattr(_inline, "queue", None)
    if queue is not None:
        queue.append((task_path, args))
        return
    _inline.queue = queue = deque([(task_path, args)])
    try:
        while queue:
            path, task_args = queue.popleft()
            import_string(path)(*task_args)
    finally:
        _inline.queue = None


def _submit_to_pool(task_path: str, args: tuple[Any, ...], delay: float) -> None:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.ARENA_TASK_THREADS, thread_name_prefix="arena-task"
            )
    if delay > 0:
        # A timer, not a sleep in the pool: paced matches must not hold workers idle.
        timer = threading.Timer(delay, _pool.submit, args=(run_task, task_path, args))
        timer.daemon = True
        timer.start()
    else:
        _pool.submit(run_task, task_path, args)


def _invoke_lambda(task_path: str, args: tuple[Any, ...], delay: float) -> None:
    # Lazy: zappa.asynchronous is only needed on Lambda, and only when a task is sent.
    from zappa.asynchronous import run

    run(run_task, args=[task_path, list(args), delay])


@contextlib.contextmanager
def capture_tasks() -> Iterator[list[tuple[str, tuple[Any, ...], float]]]:
    """Record enqueued tasks instead of running them (for tests)."""
    global _captured
    previous, _captured = _captured, []
    try:
        yield _captured
    finally:
        _captured = previous
