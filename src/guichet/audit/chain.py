"""The hash chain: the canonical content of an entry, its digest, and the check of the whole chain.

The canonical form must not depend on the database: SQLite and PostgreSQL return the same
datetime in UTC with microseconds, the same JSON list, but may spell an IP address differently
(``inet`` output), so each value is normalised before hashing.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from guichet.audit.enums import Action
from guichet.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
PURGE_TARGET_TYPE = "audit"
VERIFY_CHUNK_SIZE = 2000


def canonical_ip(value: object) -> str | None:
    if not value:
        return None
    return ipaddress.ip_address(str(value)).exploded


def canonical_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "created_at": canonical_datetime(entry.created_at),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": str(entry.action),
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "fields": entry.fields,
        "reason": entry.reason,
        "ip_address": canonical_ip(entry.ip_address),
        "channel": entry.channel,
    }


def entry_digest(*, previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


def chain_anchor() -> str:
    """The hash the oldest kept entry must point to: genesis, or the anchor left by the latest purge."""
    anchor = (
        AuditEntry.objects.filter(action=Action.PURGE, target_type=PURGE_TARGET_TYPE)
        .order_by("-id")
        .values_list("target_id", flat=True)
        .first()
    )
    return anchor or GENESIS_HASH


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    created_at: datetime | None
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _check_entry(entry: AuditEntry, expected_previous: str, previous_id: int | None) -> str | None:
    """What is wrong with ``entry`` given the hash it should point to, or None."""
    content = entry_content(entry)
    if entry_digest(previous_hash=entry.previous_hash, content=content) != entry.entry_hash:
        if entry.previous_hash != expected_previous and (
            entry_digest(previous_hash=expected_previous, content=content) == entry.entry_hash
        ):
            return "lien rompu : le lien vers l'entrée précédente a été modifié"
        return "contenu modifié : l'empreinte ne correspond plus au contenu de l'entrée"
    if entry.previous_hash == expected_previous:
        return None
    if previous_id is None:
        return "entrée manquante : des entrées ont disparu au début de la chaîne"
    if entry.id > previous_id + 1:
        return f"entrée manquante : des entrées ont disparu entre le n° {previous_id} et le n° {entry.id}"
    return f"lien rompu : l'entrée ne pointe pas vers l'entrée précédente (n° {previous_id})"


def _entries_up_to(last_id: int) -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(id__lte=last_id).order_by("id").iterator(chunk_size=VERIFY_CHUNK_SIZE)


def verify_chain(*, progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Walk the whole chain in id order (streamed) and stop at the first broken link.

    The head is read before the last id, so entries appended while the check runs are ignored and
    the head's entry is always among those walked: if it is not found, the end of the chain is missing.
    """
    head_hash = AuditChainHead.objects.filter(pk=1).values_list("last_hash", flat=True).first() or GENESIS_HASH
    last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    if last_id is None:
        problem = None if head_hash == GENESIS_HASH else "entrée manquante : la chaîne est vide"
        return ChainReport(0, ChainBreak(None, None, problem) if problem else None)
    total = AuditEntry.objects.filter(id__lte=last_id).count()
    expected = chain_anchor()
    previous_id: int | None = None
    checked = 0
    head_seen = False
    for entry in _entries_up_to(last_id):
        problem = _check_entry(entry, expected, previous_id)
        if problem:
            return ChainReport(checked, ChainBreak(entry.id, entry.created_at, problem))
        checked += 1
        head_seen = head_seen or entry.entry_hash == head_hash
        expected, previous_id = entry.entry_hash, entry.id
        if progress is not None and checked % VERIFY_CHUNK_SIZE == 0:
            progress(checked, total)
    if progress is not None and checked % VERIFY_CHUNK_SIZE:
        progress(checked, total)
    if not head_seen:
        return ChainReport(
            checked,
            ChainBreak(None, None, "entrée manquante : les dernières entrées de la chaîne ont disparu"),
        )
    return ChainReport(checked, None)
