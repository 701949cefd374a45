"""Reads shaped for the home pages. Aggregates only where a role may see nothing but aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guichet.audit.models import AuditEntry
from guichet.audit.selectors import BREAK_GLASS_PANEL_DAYS, recent_break_glass_entries
from guichet.households.models import Household, Person
from guichet.households.selectors import HouseholdRow, household_rows
from guichet.territory.selectors import quartier_rows


@dataclass(frozen=True)
class QuartierFigures:
    """Counts for one neighbourhood: no name, no household, nothing personal."""

    name: str
    is_qpv: bool
    households: int
    people: int


@dataclass(frozen=True)
class PopulationFigures:
    rows: list[QuartierFigures]
    quartiers: int
    households: int
    people: int


UNASSIGNED_LABEL = "Adresse non rattachée à un quartier"
BREAK_GLASS_DAYS = BREAK_GLASS_PANEL_DAYS  # the period of the audit screen's panel, shown the same here
HOUSEHOLD_TARGET = "household"  # audit target_type of household files (households.services)


def population_by_quartier() -> PopulationFigures:
    """Households and people per neighbourhood, plus a row for those not attached to any."""
    quartiers = quartier_rows(with_boundary=False)
    rows = [QuartierFigures(q.name, q.is_qpv, q.households, q.people) for q in quartiers]
    households, people = Household.objects.count(), Person.objects.count()
    unassigned_households = households - sum(q.households for q in quartiers)
    unassigned_people = people - sum(q.people for q in quartiers)
    if unassigned_households or unassigned_people:
        rows.append(QuartierFigures(UNASSIGNED_LABEL, False, unassigned_households, unassigned_people))
    return PopulationFigures(rows=rows, quartiers=len(quartiers), households=households, people=people)


@dataclass(frozen=True)
class BreakGlassRow:
    created_at: datetime
    actor: str
    target: str
    household_pk: int | None  # set when the target is a household that still exists
    reason: str


def _household_references(entries: list[AuditEntry]) -> dict[str, tuple[int, str]]:
    ids = [e.target_id for e in entries if e.target_type == HOUSEHOLD_TARGET and e.target_id.isdigit()]
    rows = Household.objects.filter(pk__in=ids).values_list("pk", "reference")
    return {str(pk): (pk, reference) for pk, reference in rows}


def recent_break_glass(*, limit: int = 10) -> list[BreakGlassRow]:
    """The latest break-the-glass accesses to confidential files (audit panel period), newest first."""
    entries = recent_break_glass_entries()[:limit]
    households = _household_references(entries)
    rows = []
    for entry in entries:
        household = households.get(entry.target_id) if entry.target_type == HOUSEHOLD_TARGET else None
        rows.append(
            BreakGlassRow(
                created_at=entry.created_at,
                actor=entry.actor_username,
                target=f"Ménage {household[1]}" if household else f"{entry.target_type} {entry.target_id}".strip(),
                household_pk=household[0] if household else None,
                reason=entry.reason,
            )
        )
    return rows


@dataclass(frozen=True)
class Caseload:
    rows: list[HouseholdRow]
    total: int


def referent_caseload(user: Any, *, limit: int = 20) -> Caseload:
    """The households ``user`` is a referent of (most recently updated first), as list rows."""
    ids = Household.objects.filter(referents=user).order_by("-updated_at", "reference").values_list("pk", flat=True)
    return Caseload(rows=household_rows(user, list(ids[:limit])), total=ids.count())
