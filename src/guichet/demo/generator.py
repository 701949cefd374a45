"""The synthetic commune: writes a generated population (``population.py`` draws it) into the
database in chunks, with bulk inserts, every household marked ``is_synthetic``.

Same seed, same size and same reference date give the same population. Memory stays bounded: each
chunk of households is drawn, written and dropped before the next one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from faker.providers.person.fr_FR import Provider as FrenchNames
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.demo import population as pop
from guichet.demo.streets import streets_by_quartier
from guichet.households.enums import (
    ConsentScope,
    HouseholdRole,
    HousingStatus,
    LinkKind,
    Occupation,
    QuotientSource,
    ResourceKind,
    Sex,
)
from guichet.households.models import Consent, Household, Person, PersonLink, Resource, TaxableIncome
from guichet.rules.text import normalize_text
from guichet.territory.models import Address, Quartier, StreetQuartier
from guichet.territory.selectors import street_key

DEFAULT_HOUSEHOLDS = 12_000
CHUNK = 5_000
BATCH = 5_000
CITY = "Saint-Étienne-du-Rouvray"
POSTCODE = "76800"
REFERENCE_PREFIX = "M-"

# Share of the commune's households by neighbourhood (a third in the priority neighbourhoods).
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
SOCIAL_LANDLORDS = (
    "Habitat 76 (fictif)",
    "Foyer Stéphanais (fictif)",
    "Logiseine (fictif)",
    "Quevilly Habitat (fictif)",
)
PRIVATE_LANDLORDS = ("Particulier (fictif)", "Agence du Madrillet (fictif)", "Cabinet Rouvray Gestion (fictif)")

OCCUPATIONS = {
    pop.Occ.EMPLOYED: Occupation.EMPLOYED,
    pop.Occ.SELF_EMPLOYED: Occupation.SELF_EMPLOYED,
    pop.Occ.JOB_SEEKER: Occupation.JOB_SEEKER,
    pop.Occ.STUDENT: Occupation.STUDENT,
    pop.Occ.PUPIL: Occupation.PUPIL,
    pop.Occ.CHILD: Occupation.CHILD,
    pop.Occ.RETIRED: Occupation.RETIRED,
    pop.Occ.UNABLE_TO_WORK: Occupation.UNABLE_TO_WORK,
    pop.Occ.HOME: Occupation.HOME,
    pop.Occ.OTHER: Occupation.OTHER,
}
HOUSING = {
    pop.Housing.SOCIAL_TENANT: HousingStatus.SOCIAL_TENANT,
    pop.Housing.PRIVATE_TENANT: HousingStatus.PRIVATE_TENANT,
    pop.Housing.OWNER: HousingStatus.OWNER,
    pop.Housing.HOSTED: HousingStatus.HOSTED,
}
INCOMES = {
    pop.Income.SALARY: ResourceKind.SALARY,
    pop.Income.SELF_EMPLOYMENT: ResourceKind.SELF_EMPLOYMENT,
    pop.Income.UNEMPLOYMENT: ResourceKind.UNEMPLOYMENT,
    pop.Income.PENSION: ResourceKind.PENSION,
    pop.Income.INVALIDITY: ResourceKind.INVALIDITY,
}
HOUSEHOLD_BENEFITS = {
    pop.Benefit.RSA: ResourceKind.RSA,
    pop.Benefit.PPA: ResourceKind.PPA,
    pop.Benefit.HOUSING_AID: ResourceKind.HOUSING_AID,
    pop.Benefit.AF: ResourceKind.AF,
    pop.Benefit.ASPA: ResourceKind.ASPA,
}
ROLES = {pop.ROLE_APPLICANT: HouseholdRole.APPLICANT, pop.ROLE_SPOUSE: HouseholdRole.SPOUSE}
CAF_BENEFITS = (pop.Benefit.RSA, pop.Benefit.PPA, pop.Benefit.HOUSING_AID, pop.Benefit.AF, pop.Benefit.AAH)


class GenerationRefused(Exception):
    """The generator will not run on this database (French message for the operator)."""


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
        return self.non_take_up_households / self.eligible_households if self.eligible_households else 0.0


@dataclass(frozen=True)
class _Names:
    first: np.ndarray
    last: np.ndarray
    birth: np.ndarray


@dataclass(frozen=True)
class _Place:
    """A neighbourhood as the generator sees it: its geometry and its streets with an anchor point each."""

    quartier: Quartier
    geometry: BaseGeometry | None
    streets: list[str]
    anchors: np.ndarray  # (streets, 2) lon/lat, empty without geometry


def _months_before(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _points_inside(rng: np.random.Generator, geometry: BaseGeometry, count: int) -> np.ndarray:
    """``count`` uniform points inside ``geometry`` (rejection sampling over its bounding box)."""
    minx, miny, maxx, maxy = geometry.bounds
    found = np.empty((0, 2))
    while len(found) < count:
        draw = max(64, 2 * (count - len(found)))
        xs = minx + rng.random(draw) * (maxx - minx)
        ys = miny + rng.random(draw) * (maxy - miny)
        inside = shapely.contains_xy(geometry, xs, ys)
        found = np.vstack([found, np.column_stack([xs[inside], ys[inside]])])
    return found[:count]


def _places(rng: np.random.Generator) -> list[_Place]:
    quartiers = list(Quartier.objects.order_by("pk"))
    if not quartiers:
        raise GenerationRefused(
            "Aucun quartier : lancez d'abord « guichet demo start » ou l'initialisation du territoire."
        )
    street_names = streets_by_quartier([q.slug for q in quartiers])
    places = []
    for quartier in quartiers:
        geometry = shape(quartier.boundary) if quartier.boundary else None
        if geometry is not None:
            shapely.prepare(geometry)
        streets = street_names[quartier.slug]
        anchors = _points_inside(rng, geometry, len(streets)) if geometry is not None else np.empty((0, 2))
        places.append(_Place(quartier, geometry, streets, anchors))
    return places


def _ensure_streets(places: list[_Place]) -> None:
    """Record each generated street in the street-to-neighbourhood table (existing rows are kept)."""
    rows = [
        StreetQuartier(street_name=name, street_key=street_key(name), quartier=place.quartier)
        for place in places
        for name in place.streets
    ]
    StreetQuartier.objects.bulk_create(rows, ignore_conflicts=True)


def _next_reference_number() -> int:
    references = Household.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list("reference", flat=True)
    numbers = [int(ref[len(REFERENCE_PREFIX) :]) for ref in references if ref[len(REFERENCE_PREFIX) :].isdigit()]
    return max(numbers, default=0) + 1


def synthetic_delete() -> int:
    """Delete every synthetic household with its people and data, and synthetic addresses.
    Never touches a household that is not marked synthetic."""
    synthetic = Household.objects.filter(is_synthetic=True)
    count = synthetic.count()
    for model in (Consent, Resource):
        model.objects.filter(household__is_synthetic=True).delete()
    TaxableIncome.objects.filter(person__household__is_synthetic=True).delete()
    PersonLink.objects.filter(
        Q(from_person__household__is_synthetic=True) | Q(to_person__household__is_synthetic=True)
    ).delete()
    Person.objects.filter(household__is_synthetic=True).delete()
    synthetic.delete()
    Address.objects.filter(is_synthetic=True, households__isnull=True).delete()
    return count


class _ChunkWriter:
    """Turns one drawn chunk into rows and bulk-inserts them."""

    def __init__(self, *, rng: np.random.Generator, places: list[_Place], today: dt.date, months: list[dt.date]):
        self.rng = rng
        self.places = places
        self.today = today
        self.months = months
        self.first_names_f = np.array(FrenchNames.first_names_female, dtype=object)
        self.first_names_m = np.array(FrenchNames.first_names_male, dtype=object)
        self.last_names = np.array(FrenchNames.last_names, dtype=object)
        self.search_cache: dict[str, str] = {}
        self.now = timezone.now()

    def write(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, first_number: int) -> int:
        addresses = self._addresses(households)
        Address.objects.bulk_create(addresses, batch_size=BATCH)
        names = self._names(households, people)
        rows = self._households(households, people, addresses, first_number, names)
        Household.objects.bulk_create(rows, batch_size=BATCH)
        persons = self._people(households, people, rows, names)
        Person.objects.bulk_create(persons, batch_size=BATCH)
        PersonLink.objects.bulk_create(self._links(households, people, persons), batch_size=BATCH)
        resources = self._resources(households, people, rows, persons)
        Resource.objects.bulk_create(resources, batch_size=BATCH)
        TaxableIncome.objects.bulk_create(self._taxable_incomes(people, persons), batch_size=BATCH)
        Consent.objects.bulk_create(self._consents(households, people, rows), batch_size=BATCH)
        return len(resources)

    def _addresses(self, households: pop.HouseholdsDraw) -> list[Address]:
        rng = self.rng
        n = len(households.quartier)
        street_index = np.floor(rng.random(n) * 1e6).astype(np.int64)
        numbers = 1 + np.floor(rng.random(n) ** 1.6 * 160).astype(np.int64)
        jitter = rng.normal(0.0, 0.0012, size=(n, 2))
        lon = np.full(n, np.nan)
        lat = np.full(n, np.nan)
        streets = np.empty(n, dtype=object)
        for q, place in enumerate(self.places):
            mask = households.quartier == q
            if not mask.any():
                continue
            idx = street_index[mask] % len(place.streets)
            streets[mask] = np.array(place.streets, dtype=object)[idx]
            if place.geometry is None:
                continue
            points = place.anchors[idx] + jitter[mask]
            outside = ~shapely.contains_xy(place.geometry, points[:, 0], points[:, 1])
            if outside.any():
                points[outside] = _points_inside(rng, place.geometry, int(outside.sum()))
            lon[mask], lat[mask] = points[:, 0], points[:, 1]
        social = households.housing == pop.Housing.SOCIAL_TENANT
        buildings = np.floor(rng.random(n) * 8).astype(np.int64)
        flats = 1 + np.floor(rng.random(n) * 60).astype(np.int64)
        result = []
        for i in range(n):
            has_point = not np.isnan(lon[i])
            result.append(
                Address(
                    number=str(numbers[i]),
                    street_name=streets[i],
                    complement=f"Bâtiment {'ABCDEFGH'[buildings[i]]}, appartement {flats[i]}" if social[i] else "",
                    postcode=POSTCODE,
                    city=CITY,
                    longitude=round(float(lon[i]), 6) if has_point else None,
                    latitude=round(float(lat[i]), 6) if has_point else None,
                    quartier=self.places[households.quartier[i]].quartier,
                    is_synthetic=True,
                )
            )
        return result

    def _households(
        self,
        households: pop.HouseholdsDraw,
        people: pop.PeopleDraw,
        addresses: list[Address],
        first_number: int,
        names: _Names,
    ) -> list[Household]:
        rng = self.rng
        n = len(households.quartier)
        u = rng.random((n, 6))
        caf_numbers = 1_000_000 + np.floor(rng.random(n) * 8_999_999).astype(np.int64)
        phone_digits = np.floor(rng.random(n) * 10_000).astype(np.int64)
        caf_member = (households.benefits[:, list(CAF_BENEFITS)] > 0).any(axis=1)
        quotient = self._caf_quotient(households, people)
        quotient_days = np.floor(rng.random(n) * 180).astype(np.int64)
        social = households.housing == pop.Housing.SOCIAL_TENANT
        qpv_landlord = np.array([self.places[q].quartier.is_qpv for q in households.quartier])
        landlord_social = np.where(qpv_landlord & (u[:, 0] < 0.7), np.floor(u[:, 1] * 2), np.floor(u[:, 1] * 4)).astype(
            int
        )
        landlord_private = np.floor(u[:, 1] * len(PRIVATE_LANDLORDS)).astype(int)
        rows = []
        for i in range(n):
            housing = HOUSING[pop.Housing(households.housing[i])]
            landlord = ""
            if social[i]:
                landlord = SOCIAL_LANDLORDS[landlord_social[i]]
            elif households.housing[i] == pop.Housing.PRIVATE_TENANT:
                landlord = PRIVATE_LANDLORDS[landlord_private[i]]
            rent = households.rent[i]
            has_quotient = caf_member[i] and u[i, 2] < 0.7
            applicant = households.applicant_row[i]
            email = ""
            if u[i, 4] < 0.45:
                local = normalize_text(f"{names.first[applicant]} {names.last[applicant]}").replace(" ", ".")
                email = f"{local}{phone_digits[i] % 100}@example.org"
            rows.append(
                Household(
                    reference=f"{REFERENCE_PREFIX}{first_number + i:06d}",
                    address=addresses[i],
                    # 06 39 98 xx xx and example.org are reserved for fiction: no real person is reached.
                    phone=f"06 39 98 {phone_digits[i] // 100:02d} {phone_digits[i] % 100:02d}"
                    if u[i, 3] < 0.75
                    else "",
                    email=email,
                    housing_status=housing,
                    landlord=landlord,
                    rent=None if np.isnan(rent) else _money(rent),
                    caf_number=str(caf_numbers[i]) if caf_member[i] else "",
                    caf_quotient=_money(quotient[i]) if has_quotient else None,
                    caf_quotient_date=self.today - dt.timedelta(days=int(quotient_days[i])) if has_quotient else None,
                    caf_quotient_source=QuotientSource.CAF_ATTESTATION if has_quotient else "",
                    is_confidential=bool(households.confidential[i]),
                    is_synthetic=True,
                )
            )
        return rows

    def _caf_quotient(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw) -> np.ndarray:
        """CAF family quotient: (yearly resources / 12 + family benefits) / parts."""
        n = len(households.quartier)
        monthly = np.bincount(people.household, weights=people.income, minlength=n)
        children = households.children
        couple_or_parent = (households.spouse_row >= 0) | (children > 0)
        parts = np.where(couple_or_parent, 2.0, 1.0)
        parts += 0.5 * np.minimum(children, 2) + 1.0 * (children >= 3) + 0.5 * np.maximum(children - 3, 0)
        return np.round((monthly + households.benefits[:, pop.Benefit.AF]) / parts, 2)

    def _search_name(self, first: str, last: str) -> str:
        key = f"{first} {last}"
        cached = self.search_cache.get(key)
        if cached is None:
            cached = self.search_cache[key] = normalize_text(key)
        return cached

    def _names(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw) -> _Names:
        """First names by sex; children carry the applicant's name, a spouse shares it in most couples
        (a wife then keeps her birth name)."""
        rng = self.rng
        p = len(people.age)
        u = rng.random(p)
        first_f = self.first_names_f[np.floor(rng.random(p) * len(self.first_names_f)).astype(np.int64)]
        first_m = self.first_names_m[np.floor(rng.random(p) * len(self.first_names_m)).astype(np.int64)]
        own_last = self.last_names[np.floor(rng.random(p) * len(self.last_names)).astype(np.int64)]
        household_last = own_last[households.applicant_row][people.household]
        shares_name = (people.role == pop.ROLE_CHILD) | ((people.role == pop.ROLE_SPOUSE) & (u < 0.6))
        last = np.where(shares_name, household_last, own_last)
        birth = np.where((people.role == pop.ROLE_SPOUSE) & shares_name & people.female, own_last, "")
        return _Names(first=np.where(people.female, first_f, first_m), last=last, birth=birth)

    def _people(
        self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, rows: list[Household], names: _Names
    ) -> list[Person]:
        result = []
        for i in range(len(people.age)):
            role = ROLES.get(int(people.role[i]))
            if role is None:
                role = (
                    HouseholdRole.CHILD
                    if people.age[i] < 30 or people.role[i] == pop.ROLE_CHILD
                    else HouseholdRole.OTHER
                )
            rate = int(people.disability_rate[i])
            first, last = names.first[i], names.last[i]
            result.append(
                Person(
                    household=rows[people.household[i]],
                    household_role=role,
                    last_name=last,
                    birth_name=names.birth[i],
                    first_name=first,
                    search_name=self._search_name(first, last),
                    sex=Sex.FEMALE if people.female[i] else Sex.MALE,
                    birth_date=dt.date.fromordinal(int(people.birth_ordinal[i])),
                    occupation=OCCUPATIONS[pop.Occ(people.occupation[i])],
                    disability_rate=rate or None,
                    has_rqth=bool(people.has_rqth[i]),
                    has_disability_card=bool(people.has_card[i]),
                    is_pregnant=bool(people.is_pregnant[i]),
                )
            )
        # The applicant is the household's contact: same phone and e-mail.
        for h, household in enumerate(rows):
            applicant = result[households.applicant_row[h]]
            applicant.phone, applicant.email = household.phone, household.email
        return result

    def _links(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, persons: list[Person]) -> list[PersonLink]:
        links = []
        for h in range(len(households.quartier)):
            applicant = households.applicant_row[h]
            spouse = households.spouse_row[h]
            if spouse >= 0:
                links.append(
                    PersonLink(from_person=persons[applicant], to_person=persons[spouse], kind=LinkKind.SPOUSE)
                )
        children = np.flatnonzero(people.role == pop.ROLE_CHILD)
        for c in children:
            h = people.household[c]
            links.append(
                PersonLink(from_person=persons[households.applicant_row[h]], to_person=persons[c], kind=LinkKind.PARENT)
            )
            spouse = households.spouse_row[h]
            if spouse >= 0:
                links.append(PersonLink(from_person=persons[spouse], to_person=persons[c], kind=LinkKind.PARENT))
        return links

    def _resources(
        self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, rows: list[Household], persons: list[Person]
    ) -> list[Resource]:
        rng = self.rng
        result = []
        earners = np.flatnonzero(people.income_kind != pop.Income.NONE)
        variation = np.exp(0.15 * rng.standard_normal((len(earners), len(self.months))))
        for j, i in enumerate(earners):
            kind = INCOMES[pop.Income(people.income_kind[i])]
            for m, month in enumerate(self.months):
                amount = people.income[i] * (variation[j, m] if people.irregular[i] else 1.0)
                result.append(
                    Resource(
                        household=rows[people.household[i]],
                        person=persons[i],
                        kind=kind,
                        month=month,
                        amount=_money(amount),
                    )
                )
        for i in np.flatnonzero(people.aah > 0):
            for month in self.months:
                result.append(
                    Resource(
                        household=rows[people.household[i]],
                        person=persons[i],
                        kind=ResourceKind.AAH,
                        month=month,
                        amount=_money(people.aah[i]),
                    )
                )
        for benefit, kind in HOUSEHOLD_BENEFITS.items():
            for h in np.flatnonzero(households.benefits[:, benefit] > 0):
                person = (
                    persons[households.applicant_row[h]] if benefit in (pop.Benefit.RSA, pop.Benefit.ASPA) else None
                )
                for month in self.months:
                    result.append(
                        Resource(
                            household=rows[h],
                            person=person,
                            kind=kind,
                            month=month,
                            amount=_money(households.benefits[h, benefit]),
                        )
                    )
        return result

    def _taxable_incomes(self, people: pop.PeopleDraw, persons: list[Person]) -> list[TaxableIncome]:
        """Declared income of years N-2 and N-1 for every adult (zero when there was none)."""
        rng = self.rng
        adults = np.flatnonzero(people.age >= 18)
        drift = rng.uniform(0.85, 1.08, size=(len(adults), 2))
        year = self.today.year
        result = []
        for j, i in enumerate(adults):
            yearly = people.income[i] * 12 * (1.04 if people.income_kind[i] == pop.Income.PENSION else 1.0)
            for k, offset in enumerate((2, 1)):
                result.append(
                    TaxableIncome(person=persons[i], year=year - offset, amount=_money(round(yearly * drift[j, k])))
                )
        return result

    def _consents(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, rows: list[Household]) -> list[Consent]:
        rng = self.rng
        n = len(rows)
        u = rng.random((n, 5))
        days_ago = np.floor(rng.random(n) * 3 * 365).astype(np.int64)
        applicant_age = people.age[households.applicant_row]
        alone = households.size == 1
        result = []
        for i in range(n):
            given = self.now - dt.timedelta(days=int(days_ago[i]), hours=int(u[i, 4] * 9))
            scopes = []
            if u[i, 0] < 0.85:
                scopes.append(ConsentScope.FOLLOW_UP)
            if u[i, 1] < 0.5:
                scopes.append(ConsentScope.RIGHTS_SIMULATION)
            if u[i, 2] < 0.6:
                scopes.append(ConsentScope.PROACTIVE_CONTACT)
            if applicant_age[i] >= 65 and alone[i] and u[i, 3] < 0.25:
                scopes.append(ConsentScope.VULNERABLE_REGISTER)
            for scope in scopes:
                withdrawn = (
                    given + dt.timedelta(days=90)
                    if scope == ConsentScope.PROACTIVE_CONTACT and u[i, 3] > 0.97
                    else None
                )
                result.append(Consent(household=rows[i], scope=scope, given_at=given, withdrawn_at=withdrawn))
        return result


def _profiles(places: list[_Place]) -> list[pop.QuartierProfile]:
    return [
        pop.QuartierProfile(
            is_qpv=place.quartier.is_qpv,
            is_campus=place.quartier.slug in CAMPUS_SLUGS,
            weight=QUARTIER_WEIGHTS.get(place.quartier.slug, 8.0),
        )
        for place in places
    ]


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
    """Generate ``households`` synthetic households (with people, resources, benefits, consents).

    Refuses to run on a database that holds real (non-synthetic) households: fake people must never
    mix with real ones. ``reset`` first deletes the previous synthetic population. ``progress`` is
    called with the number of households written after each chunk.
    """
    started = time.perf_counter()
    real = Household.objects.filter(is_synthetic=False).count()
    if real:
        raise GenerationRefused(
            f"La base contient {real} ménage(s) réel(s) : la commune fictive ne se génère que dans une base "
            "de démonstration ou de test. Rien n'a été modifié."
        )
    if households < 1:
        raise GenerationRefused("Le nombre de ménages doit être au moins 1.")
    result = GenerationResult()
    if reset:
        result.deleted_households = synthetic_delete()
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    places = _places(rng)
    _ensure_streets(places)
    profiles = _profiles(places)
    writer = _ChunkWriter(rng=rng, places=places, today=today, months=_months_before(today, 3))
    number = _next_reference_number()
    done = 0
    while done < households:
        size = min(chunk_size, households - done)
        drawn_households, drawn_people = pop.draw_chunk(rng, profiles, size, today)
        result.resources += writer.write(drawn_households, drawn_people, number + done)
        done += size
        result.households += size
        result.people += len(drawn_people.age)
        result.eligible_households += int(drawn_households.eligible.sum())
        result.non_take_up_households += int(drawn_households.non_take_up.sum())
        counts, _ = np.histogram(drawn_people.age, bins=[*pop.AGE_BANDS, 1000])
        result.age_counts = [a + int(b) for a, b in zip(result.age_counts, counts, strict=True)]
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
