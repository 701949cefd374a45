"""Duplicate detection before creating a household or a person.

A person probably exists already when someone carries a close name (the name search tolerates
accents, case, word order, birth names and a typo) and the same birth year; the same birth date
ranks first. Confidential households that the user may not open are shown masked (reference only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from guichet.households.models import Person
from guichet.households.perms import confidential_ids_open_to
from guichet.households.search import search_people

MAX_CANDIDATES = 10


@dataclass(frozen=True)
class DuplicateCandidate:
    person_id: int
    household_id: int
    reference: str
    name: str  # empty when masked
    birth_date: dt.date | None  # None when masked
    same_birth_date: bool
    is_masked: bool


def find_duplicates(
    user: Any,
    *,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    birth_name: str = "",
    exclude_person_id: int | None = None,
    household_id: int | None = None,
) -> list[DuplicateCandidate]:
    """People who may be the one about to be created, same birth date first (only in household
    ``household_id`` when given: before the cut at ``MAX_CANDIDATES``, so namesakes elsewhere in the
    commune cannot push a household's own duplicate out)."""
    hits: dict[int, float] = {}
    for query in {f"{first_name} {last_name}", f"{first_name} {birth_name}" if birth_name else ""}:
        if not query.strip():
            continue
        for hit in search_people(query, limit=200):
            hits[hit.person_id] = max(hits.get(hit.person_id, 0.0), hit.score)
    if not hits:
        return []
    found = Person.objects.filter(pk__in=hits, birth_date__year=birth_date.year).select_related("household")
    if exclude_person_id is not None:
        found = found.exclude(pk=exclude_person_id)
    if household_id is not None:
        found = found.filter(household_id=household_id)
    people = list(found)
    people.sort(key=lambda p: (p.birth_date != birth_date, -hits[p.pk], p.pk))
    people = people[:MAX_CANDIDATES]
    confidential = [p.household_id for p in people if p.household.is_confidential]
    open_ids = confidential_ids_open_to(user, confidential) if confidential else set()
    candidates = []
    for person in people:
        masked = person.household.is_confidential and person.household_id not in open_ids
        candidates.append(
            DuplicateCandidate(
                person_id=person.pk,
                household_id=person.household_id,
                reference=person.household.reference,
                name="" if masked else f"{person.first_name} {person.last_name}",
                birth_date=None if masked else person.birth_date,
                same_birth_date=person.birth_date == birth_date,
                is_masked=masked,
            )
        )
    return candidates
