"""Writing to the audit log. Every read of a personal record and every change goes through ``audit_record``.

The only other write is the retention purge, ``audit_purge``, run by the scheduled Celery task and
``guichet audit purge``; it is a system operation, with no user to check, and is itself audited.
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.chain import GENESIS_HASH, PURGE_TARGET_TYPE, entry_content, entry_digest
from guichet.audit.enums import Action
from guichet.audit.models import AuditChainHead, AuditEntry, purge_allowed

__all__ = [
    "GENESIS_HASH",
    "PurgeResult",
    "audit_purge",
    "audit_record",
    "audit_seal",
    "client_ip",
    "entry_content",
    "entry_digest",
    "pending_count",
]

PURGE_CHUNK_SIZE = 5000
SEAL_BATCH_SIZE = 2000
SEAL_GATHER_SECONDS = 0.05
SEALER_IDLE_SECONDS = 10.0
logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR") or ""))
    except ValueError:  # absent or not an address (a misconfigured proxy): not worth refusing the entry
        return None


def _text(value: object, max_length: int | None = None) -> str:
    """Text as both databases store it: PostgreSQL refuses NUL and enforces varchar lengths."""
    text = str(value).replace("\x00", "")
    return text[:max_length] if max_length else text


def _max_length(field_name: str) -> int | None:
    field = AuditEntry._meta.get_field(field_name)
    assert isinstance(field, models.Field)  # noqa: S101 - a concrete column of our own model
    length: int | None = field.max_length
    return length


def audit_record(
    *,
    actor: Any,
    action: Action,
    target_type: str = "",
    target_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    channel: str = "web",
    actor_username: str = "",
) -> AuditEntry:
    """Append one entry (one INSERT, in the caller's transaction if any). It is sealed into the hash
    chain once that transaction commits (``audit_seal``). ``actor`` may be None (anonymous, failed
    login, system task)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor if is_user else None,
        actor_username=_text(actor.get_username() if is_user else actor_username, _max_length("actor_username")),
        action=Action(action),
        target_type=_text(target_type, _max_length("target_type")),
        target_id=_text(target_id, _max_length("target_id")),
        fields=sorted(_text(field) for field in fields),
        reason=_text(reason),
        ip_address=client_ip(request),
        channel=_text(channel, _max_length("channel")),
    )
    entry.save(force_insert=True)
    transaction.on_commit(seal_soon)
    return entry


def audit_seal(*, batch_size: int = SEAL_BATCH_SIZE) -> int:
    """Seal every pending entry into the chain, oldest id first, in transactions of ``batch_size``
    entries; returns how many were sealed. Safe to run concurrently (the head row is locked) and
    again (nothing pending: two queries, nothing written)."""
    sealed = 0
    while count := _seal_batch(batch_size):
        sealed += count
        if count < batch_size:
            break
    return sealed


@transaction.atomic
def _seal_batch(batch_size: int) -> int:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
    pending = list(AuditEntry.objects.pending().order_by("id")[:batch_size])
    if not pending:
        return 0
    previous, position = head.last_hash, head.last_position
    rows = []
    for entry in pending:  # as read back from the database: the content verify will hash
        position += 1
        digest = entry_digest(previous_hash=previous, content=entry_content(entry))
        rows.append((previous, digest, position, entry.pk))
        previous = digest
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:  # the only UPDATE of an entry, which the model layer refuses
        cursor.executemany(
            f"UPDATE {table} SET previous_hash = %s, entry_hash = %s, chain_position = %s "  # noqa: S608 - own table
            "WHERE id = %s AND entry_hash IS NULL",
            rows,
        )
    head.last_hash, head.last_position = previous, position
    head.save(update_fields=["last_hash", "last_position"])
    return len(rows)


def pending_count() -> int:
    """Entries written but not sealed yet (a few at most, for a moment, on a running platform)."""
    return AuditEntry.objects.pending().count()


class _Sealer:
    """One daemon thread per process that seals after commits, so that no request waits for the
    chain head: woken by each commit that wrote entries, it seals everything pending at once (under
    load, one sealing transaction covers many entries)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.wanted = threading.Event()
        self.idle = threading.Event()  # set while the thread holds no database connection
        self.idle.set()
        threading.Thread(target=self.run, name="guichet-audit-sealer", daemon=True).start()
        atexit.register(self.flush)

    def run(self) -> None:
        while True:
            if not self.wanted.wait(timeout=SEALER_IDLE_SECONDS):
                connection.close()  # a quiet process keeps no database connection open for nothing
                self.idle.set()
                continue
            self.idle.clear()
            time.sleep(SEAL_GATHER_SECONDS)  # let the entries of concurrent requests join the batch
            self.wanted.clear()
            try:
                close_old_connections()
                audit_seal()
            except Exception:  # a sealing failure must never lose an entry: it stays pending
                logger.exception("Scellement du journal d'audit reporté (nouvel essai au prochain ajout).")

    def flush(self) -> None:
        """At the exit of a process (a command line run): seal what its thread had not yet sealed."""
        if self.wanted.is_set():
            try:
                audit_seal()
            except Exception:  # the periodic task or the next process will seal them
                logger.exception("Scellement du journal d'audit reporté à la sortie du processus.")


_sealer: _Sealer | None = None
_sealer_lock = threading.Lock()


def seal_soon() -> None:
    """After a commit that wrote entries: wake this process's sealer thread, or seal here and now
    where background threads are off (tests, where everything runs inside the caller)."""
    global _sealer  # noqa: PLW0603 - one sealer per process, made on first use (after a fork too)
    if not settings.GUICHET_BACKGROUND_THREADS:
        audit_seal()
        return
    if _sealer is None or _sealer.pid != os.getpid():
        with _sealer_lock:
            if _sealer is None or _sealer.pid != os.getpid():
                _sealer = _Sealer()
    _sealer.wanted.set()


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    cutoff: datetime
    anchor: str | None  # None when nothing was removed (and no purge entry written)


def _allow_purge_in_database() -> None:
    """Lift the PostgreSQL trigger's refusal of DELETE for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL guichet.audit_purge = 'on'")


@transaction.atomic
def audit_purge(*, older_than_days: int | None = None, channel: str = "task") -> PurgeResult:
    """Delete entries older than the retention period, oldest first and in chunks, then log the purge.

    Pending entries are sealed first; then only a prefix of the chain is removed (positions below
    the oldest entry kept), so the rest still links up; the purge entry records the new anchor
    (``previous_hash`` of the oldest kept entry) that ``guichet audit verify`` starts from. Running it
    again removes nothing and writes nothing.
    """
    days = settings.GUICHET_AUDIT_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 1:
        raise ValueError("La durée de conservation doit être d'au moins un jour.")
    cutoff = timezone.now() - timedelta(days=days)
    audit_seal()
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
    sealed = AuditEntry.objects.filter(chain_position__isnull=False)
    first_kept = (
        sealed.filter(created_at__gte=cutoff)
        .order_by("chain_position")
        .values_list("chain_position", flat=True)
        .first()
    )
    doomed = sealed.filter(chain_position__lt=first_kept) if first_kept is not None else sealed
    _allow_purge_in_database()
    removed = 0
    with purge_allowed():
        while positions := list(
            doomed.order_by("chain_position").values_list("chain_position", flat=True)[:PURGE_CHUNK_SIZE]
        ):
            deleted, _ = AuditEntry.objects.filter(
                chain_position__gte=positions[0], chain_position__lte=positions[-1]
            ).delete()
            removed += deleted
    if not removed:
        return PurgeResult(removed=0, cutoff=cutoff, anchor=None)
    anchor = (
        sealed.filter(chain_position=first_kept).values_list("previous_hash", flat=True).get()
        if first_kept is not None
        else head.last_hash
    )
    audit_record(
        actor=None,
        action=Action.PURGE,
        target_type=PURGE_TARGET_TYPE,
        target_id=anchor,
        fields=[f"entrees_supprimees={removed}", f"conservation_jours={days}"],
        reason=(
            f"Purge de conservation : {removed} entrée(s) antérieure(s) au "
            f"{timezone.localtime(cutoff):%d/%m/%Y %H:%M} supprimée(s). Nouvelle ancre de la chaîne : {anchor}."
        ),
        channel=channel,
    )
    audit_seal()  # the purge entry carries the new anchor: sealed with the purge, not after it
    return PurgeResult(removed=removed, cutoff=cutoff, anchor=anchor)
