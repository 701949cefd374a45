"""Reads of the audit log for the search screen and its CSV export."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry

BREAK_GLASS_PANEL_DAYS = 30
BREAK_GLASS_PANEL_LIMIT = 100


@dataclass(frozen=True)
class AuditFilters:
    user: str = ""
    action: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reason: str = ""

    @classmethod
    def from_cleaned(cls, cleaned: dict[str, Any]) -> AuditFilters:
        """The valid filters of a (possibly partly invalid) search form."""
        names = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in cleaned.items() if name in names and value not in (None, "")})

    def described(self) -> list[str]:
        """``name=value`` for each filter used, as written in the audit entry of the search itself."""
        return [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name) not in (None, "")]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries matching ``filters``, newest first; dates are days in the local time zone (Europe/Paris)."""
    entries = AuditEntry.objects.all()
    if filters.user:
        entries = entries.filter(actor_username__icontains=filters.user)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    if filters.target_id:
        entries = entries.filter(target_id=filters.target_id)
    if filters.date_from:
        entries = entries.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.reason:
        entries = entries.filter(reason__icontains=filters.reason)
    return entries.order_by("-id")


def recent_break_glass_entries(*, days: int = BREAK_GLASS_PANEL_DAYS) -> list[AuditEntry]:
    """Break-the-glass accesses of the last ``days`` days with their reasons, newest first (capped)."""
    since = timezone.now() - timedelta(days=days)
    entries = AuditEntry.objects.filter(action=Action.BREAK_GLASS, created_at__gte=since).order_by("-id")
    return list(entries[:BREAK_GLASS_PANEL_LIMIT])
