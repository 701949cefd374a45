"""Reads of the household file, shaped for the screens and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from guichet.households.enums import BENEFIT_KINDS, HouseholdRole, ResourceKind
from guichet.households.models import Charge, Consent, Household, Person, PersonLink, Resource, TaxableIncome
from guichet.households.perms import can_see_social_situation, confidential_ids_open_to
from guichet.households.search import search_household_ids
from guichet.territory.models import Quartier

SEARCH_LIMIT = 200
RESOURCE_KIND_LABELS: dict[str, str] = dict(ResourceKind.choices)  # as ``get_kind_display``, without a model


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class HouseholdFilters:
    q: str = ""
    quartier: str = ""  # quartier slug
    qpv: bool | None = None


@dataclass(frozen=True)
class HouseholdRow:
    """One line of a list: names are empty when the household is confidential and closed to the user."""

    pk: int
    reference: str
    adults: str
    quartier: str
    is_qpv: bool
    people_count: int
    is_confidential: bool
    is_masked: bool
    is_synthetic: bool


def _filtered(filters: HouseholdFilters) -> QuerySet[Household]:
    households = Household.objects.all()
    if filters.quartier:
        households = households.filter(address__quartier__slug=filters.quartier)
    if filters.qpv is not None:
        households = households.filter(address__quartier__is_qpv=filters.qpv)
    return households


def household_ids_for(filters: HouseholdFilters) -> Sequence[int] | QuerySet[Household, int]:
    """Ids in display order: by search relevance when there is a query, else by reference."""
    households = _filtered(filters)
    if filters.q.strip():
        narrowed = bool(filters.quartier or filters.qpv is not None)
        # With a filter, look further down the ranking so that matches in the quartier are not cut off.
        ranked = search_household_ids(filters.q, limit=SEARCH_LIMIT * (20 if narrowed else 1))
        if not narrowed:
            return ranked
        allowed = set(households.filter(pk__in=ranked).values_list("pk", flat=True))
        return [pk for pk in ranked if pk in allowed][:SEARCH_LIMIT]
    return households.order_by("reference").values_list("pk", flat=True)


def household_rows(user: Any, ids: Iterable[int]) -> list[HouseholdRow]:
    """Rows for ``ids`` (one page), in the same order, with the confidentiality mask applied.

    Two flat queries (values, no model instances, no neighbourhood geometry): lists are the busiest
    pages of the desk."""
    ids = list(ids)
    households = {
        row["pk"]: row
        for row in Household.objects.filter(pk__in=ids)
        .annotate(people_count=Count("people"))
        .values(
            "pk",
            "reference",
            "is_confidential",
            "is_synthetic",
            "people_count",
            "address__quartier__name",
            "address__quartier__is_qpv",
        )
    }
    adults: dict[int, list[str]] = {}
    for household_id, first_name, last_name in (
        Person.objects.filter(household_id__in=ids, household_role__in=[HouseholdRole.APPLICANT, HouseholdRole.SPOUSE])
        .order_by("household_role", "id")
        .values_list("household_id", "first_name", "last_name")
    ):
        adults.setdefault(household_id, []).append(f"{first_name} {last_name}")
    confidential = [pk for pk, h in households.items() if h["is_confidential"]]
    open_confidential = confidential_ids_open_to(user, confidential) if confidential else set()
    rows = []
    for pk in ids:
        household = households.get(pk)
        if household is None:
            continue
        masked = household["is_confidential"] and pk not in open_confidential
        rows.append(
            HouseholdRow(
                pk=pk,
                reference=household["reference"],
                adults="" if masked else ", ".join(adults.get(pk, [])),
                quartier="" if masked else household["address__quartier__name"] or "",
                is_qpv=False if masked else bool(household["address__quartier__is_qpv"]),
                people_count=0 if masked else household["people_count"],
                is_confidential=household["is_confidential"],
                is_masked=masked,
                is_synthetic=household["is_synthetic"],
            )
        )
    return rows


@dataclass(frozen=True)
class MonthlyLine:
    label: str
    person: str
    is_benefit: bool
    amounts: list[Decimal | None]


@dataclass
class HouseholdDetail:
    household: Household
    people: list[Person]
    show_social: bool
    months: list[dt.date] = field(default_factory=list)
    resource_lines: list[MonthlyLine] = field(default_factory=list)
    taxable_incomes: list[tuple[str, int, Decimal]] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    links: list[PersonLink] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    charges_total: Decimal = Decimal(0)


def household_detail(user: Any, household: Household) -> HouseholdDetail:
    """Everything the household page shows; the social situation only for those who follow households.

    Flat queries, no nested prefetch: the people are read once and the links, resources and taxable
    incomes are joined to them in Python (one of the busiest pages of the desk)."""
    # ``household`` comes from ``get_household_for_user`` (address and quartier already joined).
    people = list(Person.objects.filter(household_id=household.pk).order_by("birth_date"))
    today = timezone.localdate()
    for person in people:
        setattr(person, "age", age_on(person.birth_date, today))  # noqa: B010 - display-only attribute
    by_id = {person.pk: person for person in people}
    detail = HouseholdDetail(
        household=household,
        people=people,
        show_social=can_see_social_situation(user),
        consents=list(
            Consent.objects.filter(household_id=household.pk, withdrawn_at__isnull=True).order_by("scope", "given_at")
        ),
        links=_links(by_id),
    )
    if not detail.show_social:
        return detail
    detail.charges = list(Charge.objects.filter(household_id=household.pk))
    detail.charges_total = sum((c.amount for c in detail.charges), Decimal(0))
    resources = list(
        Resource.objects.filter(household_id=household.pk)
        .order_by("month")
        .values_list("kind", "person_id", "month", "amount")
    )
    detail.months = sorted({month for _, _, month, _ in resources})[-3:]
    names = _names(by_id, {person_id for _, person_id, _, _ in resources if person_id is not None})
    lines: dict[tuple[str, int | None], dict[dt.date, Decimal]] = {}
    labels: dict[tuple[str, int | None], tuple[str, str]] = {}
    for kind, person_id, month, amount in resources:
        key = (kind, person_id)
        by_month = lines.get(key)
        if by_month is None:
            by_month = lines[key] = {}
            beneficiary = names[person_id] if person_id is not None else "Ménage"
            labels[key] = (RESOURCE_KIND_LABELS.get(kind, kind), beneficiary)
        by_month[month] = amount
    detail.resource_lines = [
        MonthlyLine(
            label=labels[key][0],
            person=labels[key][1],
            is_benefit=key[0] in BENEFIT_KINDS,
            amounts=[by_month.get(month) for month in detail.months],
        )
        for key, by_month in sorted(lines.items(), key=lambda item: (item[0][0] in BENEFIT_KINDS, labels[item[0]]))
    ]
    detail.taxable_incomes = _taxable_incomes(by_id, names)
    return detail


def _names(people: dict[int, Person], ids: Iterable[int]) -> dict[int, str]:
    """« first last » of the people ``ids``: those of the household already read, others (should there
    be any) in one query."""
    names = {pk: f"{p.first_name} {p.last_name}" for pk, p in people.items()}
    missing = [pk for pk in ids if pk not in names]
    if missing:
        for pk, first_name, last_name in Person.objects.filter(pk__in=missing).values_list(
            "pk", "first_name", "last_name"
        ):
            names[pk] = f"{first_name} {last_name}"
    return names


def _links(people: dict[int, Person]) -> list[PersonLink]:
    """The links from the household's ``people``, by birth date of their first person, each with both
    people attached (those of the household reused, no join)."""
    if len(people) < 2:  # a link joins two different people of the same household (``person_link_set``)
        return []
    links = list(PersonLink.objects.filter(from_person_id__in=people))
    others = {link.to_person_id for link in links if link.to_person_id not in people}
    targets = {**Person.objects.in_bulk(others), **people} if others else people
    for link in links:
        link.from_person = people[link.from_person_id]
        link.to_person = targets[link.to_person_id]
    links.sort(key=lambda link: (people[link.from_person_id].birth_date, link.pk))
    return links


def _taxable_incomes(people: dict[int, Person], names: dict[int, str]) -> list[tuple[str, int, Decimal]]:
    """(name, year, amount) of the people's declared incomes, by year then name."""
    if not people:
        return []
    rows = TaxableIncome.objects.filter(person_id__in=people).values_list("person_id", "year", "amount")
    return sorted(
        ((names[person_id], year, amount) for person_id, year, amount in rows), key=lambda row: (row[1], row[0])
    )


def quartier_choices() -> list[tuple[str, str]]:
    return list(Quartier.objects.order_by("name").values_list("slug", "name"))


def recent_months_start(months: int, today: dt.date | None = None) -> dt.date:
    """The first day of the month ``months - 1`` months before this one (12: the last 12 months)."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)  # months counted from year 0
    return dt.date(index // 12, index % 12 + 1, 1)


def household_resources(household: Household, since: dt.date, until: dt.date | None = None) -> QuerySet[Resource]:
    """The household's monthly resources from ``since`` (to ``until``), each with its beneficiary."""
    resources = household.resources.filter(month__gte=since).select_related("person")
    return resources if until is None else resources.filter(month__lte=until)
