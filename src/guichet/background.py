"""Starting background work the same way on every installation (imports no app).

With a broker (``REDIS_URL``) a task goes to the Celery workers. On the embedded default (no broker,
eager tasks) it runs in a thread of the web process when ``GUICHET_BACKGROUND_THREADS`` is on, so
that the page answers at once and polls the progress; otherwise (tests) inside the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction


def in_thread(function: Callable[..., object], *args: Any) -> None:
    """Run ``function(*args)`` in a daemon thread that closes its own database connection."""

    def run() -> None:
        try:
            function(*args)
        finally:
            connection.close()

    threading.Thread(target=run, daemon=True).start()


def threads_instead_of_workers() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER and settings.GUICHET_BACKGROUND_THREADS)


def start_after_commit(task: Any, *args: Any) -> None:
    """Start the Celery ``task`` with ``args`` once the current transaction commits."""

    def dispatch() -> None:
        if threads_instead_of_workers():
            in_thread(lambda: task.apply(args=args, throw=False))
        else:
            task.delay(*args)

    transaction.on_commit(dispatch)
