"""Celery tasks of the rights app: one task per chunk of a non-take-up campaign.

A chunk task takes ids (campaign, chunk number, household ids), is queued after commit and is safe
to run twice. With Redis the chunks spread over the workers; on the embedded default (no broker,
tasks eager) they run one after the other in a thread of the web process, so that the page
answers at once and polls the progress.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from celery.signals import worker_process_init
from django.db import transaction

from guichet.background import in_thread, threads_instead_of_workers
from guichet.rights.campaigns import campaign_chunk_run, campaign_fail, campaign_pending_chunks
from guichet.rules.openfisca import warm_up

logger = logging.getLogger(__name__)


@shared_task(name="guichet.rights.tasks.campaign_chunk_task")  # type: ignore[untyped-decorator]  # celery is untyped
def campaign_chunk_task(campaign_id: int, index: int, household_ids: Sequence[int]) -> int:
    """Simulate one chunk and write its targets; a failure marks the campaign failed."""
    try:
        return campaign_chunk_run(campaign_id=campaign_id, index=index, household_ids=household_ids)
    except Exception as error:
        logger.exception("campaign %s chunk %s failed", campaign_id, index)
        campaign_fail(campaign_id=campaign_id, index=index, error=error)
        raise


def _run_chunks_here(campaign_id: int) -> None:
    for index, household_ids in campaign_pending_chunks(campaign_id):
        campaign_chunk_task.apply(args=(campaign_id, index, household_ids), throw=False)


def campaign_queue_chunks(campaign_id: int) -> None:
    """Send the campaign's pending chunks to the workers, now (the campaign is committed)."""
    for index, household_ids in campaign_pending_chunks(campaign_id):
        campaign_chunk_task.delay(campaign_id, index, household_ids)


def _dispatch(campaign_id: int) -> None:
    if threads_instead_of_workers():
        in_thread(_run_chunks_here, campaign_id)  # one chunk after the other, off the request
        return
    campaign_queue_chunks(campaign_id)


def campaign_enqueue(campaign_id: int) -> None:
    """Queue the campaign's pending chunks once the current transaction commits."""
    transaction.on_commit(lambda: _dispatch(campaign_id))


@worker_process_init.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _warm_worker(**_kwargs: Any) -> None:
    """A worker process builds OpenFisca-France once at start, off the first chunk's time."""
    warm_up()
