"""Turns one drawn chunk of the synthetic population into table columns and inserts them.

Primary keys are reserved up front so that every foreign key is known before insertion; the
columns come straight from numpy arrays (see ``inserts.py`` for why no model instance is built).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from django.utils import timezone
from faker.providers.person.fr_FR import Provider as FrenchNames
from shapely.geometry.base import BaseGeometry

from guichet.demo import population as pop
from guichet.demo.inserts import insert_new
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
from guichet.territory.models import Address, Quartier

CITY = "Saint-Étienne-du-Rouvray"
POSTCODE = "76800"
REFERENCE_PREFIX = "M-"
SOCIAL_LANDLORDS = (
    "Habitat 76 (fictif)",
    "Foyer Stéphanais (fictif)",
    "Logiseine (fictif)",
    "Quevilly Habitat (fictif)",
)
PRIVATE_LANDLORDS = ("Particulier (fictif)", "Agence du Madrillet (fictif)", "Cabinet Rouvray Gestion (fictif)")

OCCUPATIONS = np.array(
    [
        Occupation.EMPLOYED.value,
        Occupation.SELF_EMPLOYED.value,
        Occupation.JOB_SEEKER.value,
        Occupation.STUDENT.value,
        Occupation.PUPIL.value,
        Occupation.CHILD.value,
        Occupation.RETIRED.value,
        Occupation.UNABLE_TO_WORK.value,
        Occupation.HOME.value,
        Occupation.OTHER.value,
    ],
    dtype=object,
)  # indexed by population.Occ
HOUSING = np.array(
    [
        HousingStatus.SOCIAL_TENANT.value,
        HousingStatus.PRIVATE_TENANT.value,
        HousingStatus.OWNER.value,
        HousingStatus.HOSTED.value,
    ],
    dtype=object,
)  # indexed by population.Housing
INCOMES = {
    pop.Income.SALARY: ResourceKind.SALARY.value,
    pop.Income.SELF_EMPLOYMENT: ResourceKind.SELF_EMPLOYMENT.value,
    pop.Income.UNEMPLOYMENT: ResourceKind.UNEMPLOYMENT.value,
    pop.Income.PENSION: ResourceKind.PENSION.value,
    pop.Income.INVALIDITY: ResourceKind.INVALIDITY.value,
}
HOUSEHOLD_BENEFITS = {
    pop.Benefit.RSA: ResourceKind.RSA.value,
    pop.Benefit.PPA: ResourceKind.PPA.value,
    pop.Benefit.HOUSING_AID: ResourceKind.HOUSING_AID.value,
    pop.Benefit.AF: ResourceKind.AF.value,
    pop.Benefit.ASPA: ResourceKind.ASPA.value,
}
PERSONAL_BENEFITS = (pop.Benefit.RSA, pop.Benefit.ASPA)  # recorded on the applicant, the others on the household
CAF_BENEFITS = [pop.Benefit.RSA, pop.Benefit.PPA, pop.Benefit.HOUSING_AID, pop.Benefit.AF, pop.Benefit.AAH]


@dataclass(frozen=True)
class Place:
    """A neighbourhood as the generator sees it: geometry (prepared) and streets with an anchor point each."""

    quartier: Quartier
    geometry: BaseGeometry | None
    streets: list[str]
    anchors: npt.NDArray[np.float64]  # (streets, 2) lon/lat; empty without geometry


@dataclass(frozen=True)
class ChunkCounts:
    people: int
    resources: int


def points_inside(rng: np.random.Generator, geometry: BaseGeometry, count: int) -> npt.NDArray[np.float64]:
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


def months_before(today: dt.date, count: int) -> list[dt.date]:
    """First days of the ``count`` full months before ``today``, oldest first."""
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


def _money(values: npt.ArrayLike) -> list[Decimal]:
    return [Decimal(f"{v:.2f}") for v in np.asarray(values, dtype=float).tolist()]


def _uniform_index(rng: np.random.Generator, size: int, length: int) -> npt.NDArray[np.int64]:
    return np.floor(rng.random(size) * length).astype(np.int64)


class ChunkWriter:
    """Writes chunks one after the other; one instance per generation run."""

    def __init__(self, *, rng: np.random.Generator, places: list[Place], today: dt.date, months: list[dt.date]):
        self.rng = rng
        self.places = places
        self.today = today
        self.months = months
        self.first_names_f = np.array(FrenchNames.first_names_female, dtype=object)
        self.first_names_m = np.array(FrenchNames.first_names_male, dtype=object)
        self.last_names = np.array(FrenchNames.last_names, dtype=object)
        self.search_cache: dict[str, str] = {}
        self.now = timezone.now()
        self.quartier_ids = np.array([place.quartier.pk for place in places], dtype=np.int64)
        self.quartier_qpv = np.array([place.quartier.is_qpv for place in places], dtype=bool)

    def write(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, first_number: int) -> ChunkCounts:
        address_ids = self._addresses(households)
        first, last, birth = self._names(households, people)
        household_ids, contact = self._households(households, people, address_ids, first_number, first, last)
        person_ids = self._people(households, people, household_ids, first, last, birth, contact)
        self._links(households, people, person_ids)
        resources = self._resources(households, people, household_ids, person_ids)
        self._taxable_incomes(people, person_ids)
        self._consents(households, people, household_ids)
        return ChunkCounts(people=len(people.age), resources=resources)

    def _addresses(self, households: pop.HouseholdsDraw) -> npt.NDArray[np.int64]:
        rng = self.rng
        n = len(households.quartier)
        street_draw = rng.random(n)
        numbers = 1 + np.floor(rng.random(n) ** 1.6 * 160).astype(np.int64)
        jitter = rng.normal(0.0, 0.0012, size=(n, 2))
        lon = np.full(n, np.nan)
        lat = np.full(n, np.nan)
        streets = np.empty(n, dtype=object)
        for q, place in enumerate(self.places):
            mask = households.quartier == q
            if not mask.any():
                continue
            idx = np.floor(street_draw[mask] * len(place.streets)).astype(np.int64)
            streets[mask] = np.array(place.streets, dtype=object)[idx]
            if place.geometry is None:
                continue
            # Addresses cluster around their street's anchor; strays fall back to any point inside.
            points = place.anchors[idx] + jitter[mask]
            outside = ~shapely.contains_xy(place.geometry, points[:, 0], points[:, 1])
            if outside.any():
                points[outside] = points_inside(rng, place.geometry, int(outside.sum()))
            lon[mask], lat[mask] = points[:, 0], points[:, 1]
        social = households.housing == pop.Housing.SOCIAL_TENANT
        buildings = _uniform_index(rng, n, 8)
        flats = 1 + _uniform_index(rng, n, 60)
        complement = [
            f"Bâtiment {'ABCDEFGH'[b]}, appartement {f}" if s else ""
            for s, b, f in zip(social.tolist(), buildings.tolist(), flats.tolist(), strict=True)
        ]
        has_point = ~np.isnan(lon)
        return insert_new(
            Address,
            n,
            {
                "number": [str(v) for v in numbers.tolist()],
                "street_name": streets.tolist(),
                "complement": complement,
                "postcode": POSTCODE,
                "city": CITY,
                "longitude": [
                    round(v, 6) if ok else None for v, ok in zip(lon.tolist(), has_point.tolist(), strict=True)
                ],
                "latitude": [
                    round(v, 6) if ok else None for v, ok in zip(lat.tolist(), has_point.tolist(), strict=True)
                ],
                "quartier_id": self.quartier_ids[households.quartier].tolist(),
                "is_synthetic": True,
            },
        )

    def _names(
        self, households: pop.HouseholdsDraw, people: pop.PeopleDraw
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
        """First names by sex; children carry the applicant's name, a spouse shares it in most couples
        (a wife then keeps her birth name)."""
        rng = self.rng
        p = len(people.age)
        shares_draw = rng.random(p)
        first_f = self.first_names_f[_uniform_index(rng, p, len(self.first_names_f))]
        first_m = self.first_names_m[_uniform_index(rng, p, len(self.first_names_m))]
        own_last = self.last_names[_uniform_index(rng, p, len(self.last_names))]
        household_last = own_last[households.applicant_row][people.household]
        spouse = people.role == pop.ROLE_SPOUSE
        shares_name = (people.role == pop.ROLE_CHILD) | (spouse & (shares_draw < 0.6))
        last = np.where(shares_name, household_last, own_last)
        birth = np.where(spouse & shares_name & people.female, own_last, "")
        return np.where(people.female, first_f, first_m), last, birth

    def _households(
        self,
        households: pop.HouseholdsDraw,
        people: pop.PeopleDraw,
        address_ids: npt.NDArray[np.int64],
        first_number: int,
        first: npt.NDArray[Any],
        last: npt.NDArray[Any],
    ) -> tuple[npt.NDArray[np.int64], tuple[list[str], list[str]]]:
        """Insert the households; returns their keys, phones and e-mails (the applicant's contact)."""
        rng = self.rng
        n = len(households.quartier)
        u = rng.random((n, 5))
        digits = _uniform_index(rng, n, 10_000).tolist()
        caf_numbers = (1_000_000 + _uniform_index(rng, n, 8_999_999)).tolist()
        quotient_days = _uniform_index(rng, n, 180).tolist()
        caf_member = np.asarray((households.benefits[:, CAF_BENEFITS] > 0).any(axis=1), dtype=bool)
        has_quotient: list[bool] = (caf_member & (u[:, 2] < 0.7)).tolist()
        # 06 39 98 xx xx is reserved for fiction and example.org reaches no one.
        phones = [
            f"06 39 98 {d // 100:02d} {d % 100:02d}" if ok else ""
            for d, ok in zip(digits, (u[:, 3] < 0.75).tolist(), strict=True)
        ]
        applicant = households.applicant_row
        emails = [
            f"{normalize_text(f'{f} {la}').replace(' ', '.')}{d % 100}@example.org" if ok else ""
            for f, la, d, ok in zip(first[applicant], last[applicant], digits, (u[:, 4] < 0.45).tolist(), strict=True)
        ]
        qpv = self.quartier_qpv[households.quartier]
        # In the priority neighbourhoods most social housing belongs to the first two landlords.
        social_landlord = np.where(qpv & (u[:, 0] < 0.7), np.floor(u[:, 1] * 2), np.floor(u[:, 1] * 4)).astype(np.int64)
        private_landlord = np.floor(u[:, 1] * len(PRIVATE_LANDLORDS)).astype(np.int64)
        landlords = np.where(
            households.housing == pop.Housing.SOCIAL_TENANT,
            np.array(SOCIAL_LANDLORDS, dtype=object)[social_landlord],
            np.where(
                households.housing == pop.Housing.PRIVATE_TENANT,
                np.array(PRIVATE_LANDLORDS, dtype=object)[private_landlord],
                "",
            ),
        )
        rents = _money(np.nan_to_num(households.rent))
        quotients = _money(self._caf_quotient(households, people))
        ids = insert_new(
            Household,
            n,
            {
                "reference": [f"{REFERENCE_PREFIX}{first_number + i:06d}" for i in range(n)],
                "address_id": address_ids.tolist(),
                "phone": phones,
                "email": emails,
                "housing_status": HOUSING[households.housing].tolist(),
                "landlord": landlords.tolist(),
                "rent": [None if np.isnan(r) else m for r, m in zip(households.rent.tolist(), rents, strict=True)],
                "caf_number": [str(c) if ok else "" for c, ok in zip(caf_numbers, caf_member.tolist(), strict=True)],
                "caf_quotient": [q if ok else None for q, ok in zip(quotients, has_quotient, strict=True)],
                "caf_quotient_date": [
                    self.today - dt.timedelta(days=d) if ok else None
                    for d, ok in zip(quotient_days, has_quotient, strict=True)
                ],
                "caf_quotient_source": [QuotientSource.CAF_ATTESTATION.value if ok else "" for ok in has_quotient],
                "is_confidential": households.confidential.tolist(),
                "is_synthetic": True,
                "created_at": self.now,
                "updated_at": self.now,
            },
        )
        return ids, (phones, emails)

    def _caf_quotient(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw) -> npt.NDArray[np.float64]:
        """CAF family quotient: (yearly resources / 12 + family benefits) / parts."""
        n = len(households.quartier)
        monthly = np.bincount(people.household, weights=people.income, minlength=n)
        children = households.children
        parts = np.where((households.spouse_row >= 0) | (children > 0), 2.0, 1.0)
        parts += 0.5 * np.minimum(children, 2) + 1.0 * (children >= 3) + 0.5 * np.maximum(children - 3, 0)
        result: npt.NDArray[np.float64] = (monthly + households.benefits[:, pop.Benefit.AF]) / parts
        return result

    def _search_name(self, first: str, last: str) -> str:
        key = f"{first} {last}"
        cached = self.search_cache.get(key)
        if cached is None:
            cached = self.search_cache[key] = normalize_text(key)
        return cached

    def _people(
        self,
        households: pop.HouseholdsDraw,
        people: pop.PeopleDraw,
        household_ids: npt.NDArray[np.int64],
        first: npt.NDArray[Any],
        last: npt.NDArray[Any],
        birth: npt.NDArray[Any],
        contact: tuple[list[str], list[str]],
    ) -> npt.NDArray[np.int64]:
        p = len(people.age)
        roles = np.where(
            people.role == pop.ROLE_APPLICANT,
            HouseholdRole.APPLICANT.value,
            np.where(people.role == pop.ROLE_SPOUSE, HouseholdRole.SPOUSE.value, HouseholdRole.CHILD.value),
        )
        phones, emails = np.full(p, "", dtype=object), np.full(p, "", dtype=object)
        phones[households.applicant_row] = contact[0]
        emails[households.applicant_row] = contact[1]
        rates = people.disability_rate.tolist()
        return insert_new(
            Person,
            p,
            {
                "household_id": household_ids[people.household].tolist(),
                "household_role": roles.tolist(),
                "last_name": last.tolist(),
                "birth_name": birth.tolist(),
                "first_name": first.tolist(),
                "search_name": [self._search_name(f, la) for f, la in zip(first.tolist(), last.tolist(), strict=True)],
                "sex": np.where(people.female, Sex.FEMALE.value, Sex.MALE.value).tolist(),
                "birth_date": [dt.date.fromordinal(o) for o in people.birth_ordinal.tolist()],
                "phone": phones.tolist(),
                "email": emails.tolist(),
                "occupation": OCCUPATIONS[people.occupation].tolist(),
                "disability_rate": [r or None for r in rates],
                "has_rqth": people.has_rqth.tolist(),
                "has_disability_card": people.has_card.tolist(),
                "is_pregnant": people.is_pregnant.tolist(),
            },
        )

    def _links(self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, person_ids: npt.NDArray[np.int64]) -> None:
        """Spouse links (applicant -> spouse) and parent links (each parent -> each child)."""
        couples = np.flatnonzero(households.spouse_row >= 0)
        children = np.flatnonzero(people.role == pop.ROLE_CHILD)
        child_household = people.household[children]
        second_parent = households.spouse_row[child_household]
        with_second = second_parent >= 0
        from_rows = np.concatenate(
            [households.applicant_row[couples], households.applicant_row[child_household], second_parent[with_second]]
        )
        to_rows = np.concatenate([households.spouse_row[couples], children, children[with_second]])
        kinds = [LinkKind.SPOUSE.value] * len(couples) + [LinkKind.PARENT.value] * (
            len(children) + int(with_second.sum())
        )
        count = len(from_rows)
        insert_new(
            PersonLink,
            count,
            {
                "from_person_id": person_ids[from_rows].tolist(),
                "to_person_id": person_ids[to_rows].tolist(),
                "kind": kinds,
            },
        )

    def _resources(
        self,
        households: pop.HouseholdsDraw,
        people: pop.PeopleDraw,
        household_ids: npt.NDArray[np.int64],
        person_ids: npt.NDArray[np.int64],
    ) -> int:
        """Monthly rows for the last months: personal incomes (irregular salaries vary), AAH, and the
        household's benefits."""
        months = len(self.months)
        parts: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[Any], npt.NDArray[np.float64]]] = []
        earners = np.flatnonzero(people.income_kind != pop.Income.NONE)
        variation = np.where(
            people.irregular[earners][:, None], np.exp(0.15 * self.rng.standard_normal((len(earners), months))), 1.0
        )
        kinds = np.array([INCOMES.get(pop.Income(k), "") for k in range(len(pop.Income))], dtype=object)
        parts.append(
            (
                earners,
                people.household[earners],
                kinds[people.income_kind[earners]],
                people.income[earners, None] * variation,
            )
        )
        aah = np.flatnonzero(people.aah > 0)
        parts.append(
            (
                aah,
                people.household[aah],
                np.full(len(aah), ResourceKind.AAH.value, dtype=object),
                np.repeat(people.aah[aah, None], months, 1),
            )
        )
        for benefit, kind in HOUSEHOLD_BENEFITS.items():
            hh = np.flatnonzero(households.benefits[:, benefit] > 0)
            person = households.applicant_row[hh] if benefit in PERSONAL_BENEFITS else np.full(len(hh), -1)
            amounts = np.repeat(households.benefits[hh, benefit][:, None], months, 1)
            parts.append((person, hh, np.full(len(hh), kind, dtype=object), amounts))
        person_rows = np.repeat(np.concatenate([part[0] for part in parts]), months)
        household_rows = np.repeat(np.concatenate([part[1] for part in parts]), months)
        kind_column = np.repeat(np.concatenate([part[2] for part in parts]), months)
        amounts = np.concatenate([part[3] for part in parts]).reshape(-1)
        count = len(person_rows)
        insert_new(
            Resource,
            count,
            {
                "household_id": household_ids[household_rows].tolist(),
                "person_id": [int(person_ids[r]) if r >= 0 else None for r in person_rows.tolist()],
                "kind": kind_column.tolist(),
                "month": self.months * (count // months),
                "amount": _money(amounts),
            },
        )
        return count

    def _taxable_incomes(self, people: pop.PeopleDraw, person_ids: npt.NDArray[np.int64]) -> None:
        """Declared income of years N-2 and N-1 for every adult (zero when there was none)."""
        adults = np.flatnonzero(people.age >= 18)
        drift = self.rng.uniform(0.85, 1.08, size=(len(adults), 2))
        pension = np.where(people.income_kind[adults] == pop.Income.PENSION, 1.04, 1.0)
        yearly = np.round(people.income[adults, None] * 12 * pension[:, None] * drift)
        count = 2 * len(adults)
        insert_new(
            TaxableIncome,
            count,
            {
                "person_id": np.repeat(person_ids[adults], 2).tolist(),
                "year": [self.today.year - 2, self.today.year - 1] * len(adults),
                "amount": _money(yearly.reshape(-1)),
            },
        )

    def _consents(
        self, households: pop.HouseholdsDraw, people: pop.PeopleDraw, household_ids: npt.NDArray[np.int64]
    ) -> None:
        """Follow-up (most), rights simulation (half), proactive contact (about 60 %, a few withdrawn),
        the vulnerable-persons register for some seniors living alone."""
        n = len(households.quartier)
        u = self.rng.random((n, 5))
        given = np.array([self.now - dt.timedelta(days=d) for d in np.floor(u[:, 4] * 3 * 365).astype(int).tolist()])
        applicant_age = people.age[households.applicant_row]
        scopes = (
            (ConsentScope.FOLLOW_UP.value, u[:, 0] < 0.85),
            (ConsentScope.RIGHTS_SIMULATION.value, u[:, 1] < 0.5),
            (ConsentScope.PROACTIVE_CONTACT.value, u[:, 2] < 0.6),
            (ConsentScope.VULNERABLE_REGISTER.value, (applicant_age >= 65) & (households.size == 1) & (u[:, 3] < 0.25)),
        )
        rows = np.concatenate([np.flatnonzero(mask) for _, mask in scopes])
        scope_column = [scope for scope, mask in scopes for _ in range(int(mask.sum()))]
        withdrawn = (u[rows, 3] > 0.97) & (np.array(scope_column, dtype=object) == ConsentScope.PROACTIVE_CONTACT.value)
        given_column = given[rows].tolist()
        count = len(rows)
        insert_new(
            Consent,
            count,
            {
                "household_id": household_ids[rows].tolist(),
                "scope": scope_column,
                "given_at": given_column,
                "withdrawn_at": [
                    g + dt.timedelta(days=90) if w else None
                    for g, w in zip(given_column, withdrawn.tolist(), strict=True)
                ],
                "recorded_by_id": None,
            },
        )
