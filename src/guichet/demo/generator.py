"""The synthetic commune: draws a population (``population.py``) chunk by chunk and writes it
(``writer.py``), every household and address marked synthetic.

Same seed, same size and same reference date give the same population. Memory stays bounded: each
chunk of households is drawn, written and dropped before the next one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.demo import population as pop
from guichet.demo.streets import streets_by_quartier
from guichet.demo.writer import REFERENCE_PREFIX, ChunkWriter, Place, months_before, points_inside
from guichet.households.models import Consent, Household, Person, PersonLink, Resource, TaxableIncome
from guichet.territory.models import Address, Quartier, StreetQuartier
from guichet.territory.selectors import street_key

DEFAULT_HOUSEHOLDS = 12_000
CHUNK = 10_000

# Share of the commune's households by neighbourhood (a third in the priority neighbourhoods);
# neighbourhoods not listed here (imported ones) get an average weight.
QUARTIER_WEIGHTS = {
    "chateau-blanc": 16.0,
    "thorez-grimau": 6.0,
    "hartmann-la-houssiere": 7.0,
    "buisson-gallouen": 5.0,
    "centre-ancien": 12.0,
    "felling-mace": 8.0,
    "les-aviateurs": 9.0,
    "technopole-campus": 5.0,
    "champ-des-bruyeres": 8.0,
    "cateliers": 10.0,
    "oree-du-rouvray": 14.0,
}
CAMPUS_SLUGS = {"technopole-campus"}


class GenerationRefused(Exception):
    """The generator will not run on this database (``str(exc)`` is a French message)."""


@dataclass
class GenerationResult:
    households: int = 0
    people: int = 0
    resources: int = 0
    eligible_households: int = 0
    non_take_up_households: int = 0
    deleted_households: int = 0
    seconds: float = 0.0
    age_counts: list[int] = field(default_factory=lambda: [0] * len(pop.AGE_BANDS))

    @property
    def non_take_up_rate(self) -> float:
        """Share of the households plausibly eligible to a means-tested benefit that receive nothing."""
        return self.non_take_up_households / self.eligible_households if self.eligible_households else 0.0


def _places(rng: np.random.Generator) -> list[Place]:
    quartiers = list(Quartier.objects.order_by("pk"))
    if not quartiers:
        raise GenerationRefused(
            "Aucun quartier n'est défini : lancez d'abord « guichet demo start » ou l'initialisation du territoire."
        )
    street_names = streets_by_quartier([q.slug for q in quartiers])
    places = []
    for quartier in quartiers:
        geometry = shape(quartier.boundary) if quartier.boundary else None
        streets = street_names[quartier.slug]
        anchors = np.empty((0, 2))
        if geometry is not None:
            shapely.prepare(geometry)
            anchors = points_inside(rng, geometry, len(streets))
        places.append(Place(quartier, geometry, streets, anchors))
    return places


def _profiles(places: list[Place]) -> list[pop.QuartierProfile]:
    return [
        pop.QuartierProfile(
            is_qpv=place.quartier.is_qpv,
            is_campus=place.quartier.slug in CAMPUS_SLUGS,
            weight=QUARTIER_WEIGHTS.get(place.quartier.slug, 8.0),
        )
        for place in places
    ]


def _ensure_streets(places: list[Place]) -> None:
    """Record each generated street in the street-to-neighbourhood table (existing rows win)."""
    rows = [
        StreetQuartier(street_name=name, street_key=street_key(name), quartier=place.quartier)
        for place in places
        for name in place.streets
    ]
    StreetQuartier.objects.bulk_create(rows, ignore_conflicts=True)


def _next_reference_number() -> int:
    references = Household.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list("reference", flat=True)
    suffixes = (ref[len(REFERENCE_PREFIX) :] for ref in references)
    return max((int(s) for s in suffixes if s.isdigit()), default=0) + 1


def synthetic_delete() -> int:
    """Delete every synthetic household with its people and their data, then the synthetic addresses
    nobody uses. A household not marked synthetic is never touched. Returns the households deleted."""
    synthetic = Household.objects.filter(is_synthetic=True)
    count = synthetic.count()
    # Children first, in set-based deletes: the cascade collector would load every row into memory.
    Consent.objects.filter(household__is_synthetic=True).delete()
    Resource.objects.filter(household__is_synthetic=True).delete()
    TaxableIncome.objects.filter(person__household__is_synthetic=True).delete()
    PersonLink.objects.filter(
        Q(from_person__household__is_synthetic=True) | Q(to_person__household__is_synthetic=True)
    ).delete()
    Person.objects.filter(household__is_synthetic=True).delete()
    synthetic.delete()
    Address.objects.filter(is_synthetic=True, households__isnull=True).delete()
    return count


@transaction.atomic
def synthetic_commune_generate(
    *,
    households: int = DEFAULT_HOUSEHOLDS,
    seed: int = 0,
    reset: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int], Any] | None = None,
    chunk_size: int = CHUNK,
) -> GenerationResult:
    """Generate ``households`` synthetic households with their people, links, monthly resources,
    declared incomes, housing, benefits received (with non-take-up) and consents.

    Refuses a database that holds real (non-synthetic) households: fake people must never mix with
    real ones. ``reset`` first deletes the previous synthetic population. ``progress`` is called with
    the number of households written after each chunk. All or nothing (one transaction).
    """
    started = time.perf_counter()
    if households < 1:
        raise GenerationRefused("Le nombre de ménages doit être au moins 1.")
    real = Household.objects.filter(is_synthetic=False).count()
    if real:
        raise GenerationRefused(
            f"La base contient {real} ménage(s) réel(s) : la commune fictive ne se génère que dans une base "
            "de démonstration ou de test. Rien n'a été modifié."
        )
    result = GenerationResult()
    if reset:
        result.deleted_households = synthetic_delete()
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    places = _places(rng)
    _ensure_streets(places)
    profiles = _profiles(places)
    writer = ChunkWriter(rng=rng, places=places, today=today, months=months_before(today, 3))
    number = _next_reference_number()
    while result.households < households:
        size = min(chunk_size, households - result.households)
        drawn_households, drawn_people = pop.draw_chunk(rng, profiles, size, today)
        counts = writer.write(drawn_households, drawn_people, number + result.households)
        result.households += size
        result.people += counts.people
        result.resources += counts.resources
        result.eligible_households += int(drawn_households.eligible.sum())
        result.non_take_up_households += int(drawn_households.non_take_up.sum())
        bands, _ = np.histogram(drawn_people.age, bins=[*pop.AGE_BANDS, 1000])
        result.age_counts = [a + int(b) for a, b in zip(result.age_counts, bands, strict=True)]
        if progress is not None:
            progress(size)
    audit_record(
        actor=None,
        action=Action.CREATE,
        target_type="household",
        target_id="synthetic",
        fields=["synthetic_population"],
        reason=f"Commune fictive : {result.households} ménages, {result.people} personnes (graine {seed})",
        channel="cli",
        actor_username="demo",
    )
    result.seconds = time.perf_counter() - started
    return result
