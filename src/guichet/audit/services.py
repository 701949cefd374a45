"""Writing to the audit log. Every read of a personal record and every change goes through ``audit_record``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def entry_digest(*, previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "fields": entry.fields,
        "reason": entry.reason,
        "ip_address": entry.ip_address,
        "channel": entry.channel,
    }


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
        actor_username=actor.get_username() if is_user else actor_username,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        fields=sorted(fields),
        reason=reason,
        ip_address=client_ip(request),
        channel=channel,
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry_digest(previous_hash=head.last_hash, content=entry_content(entry))
    entry.save(force_insert=True)
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry
