"""The hash chain: the canonical content of an entry, its digest, and the check of the whole chain.

The canonical form must not depend on the database: SQLite and PostgreSQL return the same
datetime in UTC with microseconds, the same JSON list, but may spell an IP address differently
(``inet`` output), so each value is normalised before hashing.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Callable
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
        AuditEntry.objects.filter(action=Action.PURGE, target_type=PURGE_TARGET_TYPE, chain_position__isnull=False)
        .order_by("-chain_position")
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
    pending: int = 0  # entries written but not sealed yet when the check started

    @property
    def ok(self) -> bool:
        return self.broken is None


def _check_entry(entry: AuditEntry, expected_previous: str, previous: AuditEntry | None) -> str | None:
    """What is wrong with ``entry`` given the hash it should point to, or None."""
    content = entry_content(entry)
    if entry_digest(previous_hash=entry.previous_hash or "", content=content) != entry.entry_hash:
        if entry.previous_hash != expected_previous and (
            entry_digest(previous_hash=expected_previous, content=content) == entry.entry_hash
        ):
            return "lien rompu : le lien vers l'entrée précédente a été modifié"
        return "contenu modifié : l'empreinte ne correspond plus au contenu de l'entrée"
    if entry.previous_hash == expected_previous:
        return None
    if previous is None:
        return "entrée manquante : des entrées ont disparu au début de la chaîne"
    if (entry.chain_position or 0) > (previous.chain_position or 0) + 1:
        return f"entrée manquante : des entrées ont disparu entre le n° {previous.id} et le n° {entry.id}"
    return f"lien rompu : l'entrée ne pointe pas vers l'entrée précédente (n° {previous.id})"


def verify_chain(*, progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Walk the sealed chain in position order (streamed) and stop at the first broken link.

    The head is read first, so entries sealed while the check runs are ignored and the head's entry
    is always among those walked: if it is not found, the end of the chain is missing. Entries not
    sealed yet are counted in ``pending`` (``guichet audit verify`` seals them before checking).
    """
    head_hash, last_position = AuditChainHead.objects.filter(pk=1).values_list(
        "last_hash", "last_position"
    ).first() or (GENESIS_HASH, 0)
    pending = AuditEntry.objects.pending().count()
    chain = AuditEntry.objects.filter(chain_position__isnull=False, chain_position__lte=last_position)
    total = chain.count()
    if not total:
        problem = None if head_hash == GENESIS_HASH else "entrée manquante : la chaîne est vide"
        return ChainReport(0, ChainBreak(None, None, problem) if problem else None, pending)
    expected = chain_anchor()
    previous: AuditEntry | None = None
    checked = 0
    head_seen = False
    for entry in chain.order_by("chain_position").iterator(chunk_size=VERIFY_CHUNK_SIZE):
        problem = _check_entry(entry, expected, previous)
        if problem:
            return ChainReport(checked, ChainBreak(entry.id, entry.created_at, problem), pending)
        checked += 1
        head_seen = head_seen or entry.entry_hash == head_hash
        expected, previous = entry.entry_hash or "", entry
        if progress is not None and checked % VERIFY_CHUNK_SIZE == 0:
            progress(checked, total)
    if progress is not None and checked % VERIFY_CHUNK_SIZE:
        progress(checked, total)
    if not head_seen:
        return ChainReport(
            checked,
            ChainBreak(None, None, "entrée manquante : les dernières entrées de la chaîne ont disparu"),
            pending,
        )
    return ChainReport(checked, None, pending)
