"""Background work of the pricing app: a tariff reform simulation (ids only)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from guichet.background import start_after_commit
from guichet.pricing.models import ReformSimulation
from guichet.pricing.reform_services import reform_simulation_execute, reform_simulation_queue


@shared_task(name="guichet.pricing.tasks.reform_simulation_task")  # type: ignore[untyped-decorator]  # celery is untyped
def reform_simulation_task(simulation_id: int) -> str:
    """Run the queued simulation ``simulation_id``; returns its final status."""
    return str(reform_simulation_execute(simulation_id).status)


def reform_simulation_run(**kwargs: Any) -> ReformSimulation:
    """Queue the run (``reform_simulation_queue``, same arguments); the task starts once the transaction
    commits (on the workers, or in a thread of this process on the embedded default)."""
    simulation = reform_simulation_queue(**kwargs)
    start_after_commit(reform_simulation_task, simulation.pk)
    return simulation
