"""Writing to the audit log. Every read of a personal record and every change goes through ``audit_record``.

The only other write is the retention purge, ``audit_purge``, run by the scheduled Celery task and
``guichet audit purge``; it is a system operation, with no user to check, and is itself audited.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.chain import GENESIS_HASH, PURGE_TARGET_TYPE, entry_content, entry_digest
from guichet.audit.enums import Action
from guichet.audit.models import AuditChainHead, AuditEntry, purge_allowed

__all__ = ["GENESIS_HASH", "PurgeResult", "audit_purge", "audit_record", "client_ip", "entry_content", "entry_digest"]

PURGE_CHUNK_SIZE = 5000


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


@transaction.atomic
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
    """Append one entry to the chain. ``actor`` may be None (anonymous, failed login, system task)."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
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
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry_digest(previous_hash=head.last_hash, content=entry_content(entry))
    entry.save(force_insert=True)
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry


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

    Only a prefix of the chain is removed (ids below the oldest entry kept), so the rest still links
    up; the purge entry records the new anchor (``previous_hash`` of the oldest kept entry) that
    ``guichet audit verify`` starts from. Running it again removes nothing and writes nothing.
    """
    days = settings.GUICHET_AUDIT_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 1:
        raise ValueError("La durée de conservation doit être d'au moins un jour.")
    cutoff = timezone.now() - timedelta(days=days)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
    first_kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    doomed = AuditEntry.objects.filter(id__lt=first_kept) if first_kept is not None else AuditEntry.objects.all()
    _allow_purge_in_database()
    removed = 0
    with purge_allowed():
        while ids := list(doomed.order_by("id").values_list("id", flat=True)[:PURGE_CHUNK_SIZE]):
            deleted, _ = AuditEntry.objects.filter(id__gte=ids[0], id__lte=ids[-1]).delete()
            removed += deleted
    if not removed:
        return PurgeResult(removed=0, cutoff=cutoff, anchor=None)
    anchor = (
        AuditEntry.objects.filter(id=first_kept).values_list("previous_hash", flat=True).get()
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
    return PurgeResult(removed=removed, cutoff=cutoff, anchor=anchor)
