"""The public tariff calculator (no login): a resident's figures -> quotient and every price in force.

Nothing is stored: the answers build a rules household in memory, read by the pure rules core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.accounts.access import public_view
from guichet.pricing.public_forms import TariffCalculatorForm
from guichet.pricing.selectors import ServiceEntry, catalogue
from guichet.rules import household as rules
from guichet.rules.quotient import Quotient, caf_quotient
from guichet.rules.tariffs import price, pricing_facts

ADULT_AGE = 40  # the age used for an adult when a service concerns adults (no adult age is asked)
BENEFIT_KIND = "af"  # the declared monthly family benefits, counted as one amount


@dataclass(frozen=True)
class PublicLine:
    label: str
    amount: Decimal
    unit: str
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class PublicServicePrices:
    entry: ServiceEntry
    lines: tuple[PublicLine, ...]


def _birth_date(age: int, on: dt.date) -> dt.date:
    """A birth date giving exactly ``age`` on ``on`` (first day of the month, ``age`` years before)."""
    return dt.date(on.year - age, on.month, 1)


def calculator_household(
    *,
    situation: str,
    children_ages: list[int],
    annual_income: Decimal | None,
    family_benefits: Decimal | None,
    caf_quotient_value: Decimal | None,
    on: dt.date,
) -> rules.Household:
    """The rules household described by the calculator's answers (adults of 40, the whole income on
    the applicant, the benefits as one monthly amount of the current month)."""
    income = {on.year - 2: annual_income} if annual_income is not None else {}
    people = [
        rules.Person(id="demandeur", role="demandeur", birth_date=_birth_date(ADULT_AGE, on), taxable_income=income)
    ]
    if situation == "couple":
        people.append(rules.Person(id="conjoint", role="conjoint", birth_date=_birth_date(ADULT_AGE, on)))
    people += [
        rules.Person(id=f"enfant-{rank}", role="enfant", birth_date=_birth_date(age, on))
        for rank, age in enumerate(sorted(children_ages, reverse=True), start=1)
    ]
    resources = {BENEFIT_KIND: {on.replace(day=1): family_benefits}} if family_benefits else {}
    attested = (
        rules.AttestedQuotient(value=caf_quotient_value, date=on, source="attestation_caf")
        if caf_quotient_value is not None
        else None
    )
    return rules.Household(id="simulation", people=tuple(people), resources=resources, attested_quotient=attested)


def _person_label(person: rules.Person, on: dt.date, rank: int) -> str:
    if person.role != "enfant":
        return "Adulte"
    age = person.age_on(on)
    return f"Enfant de {age} an{'s' if age > 1 else ''} ({rank}{'er' if rank == 1 else 'e'} enfant)"


def public_prices(
    household: rules.Household, is_resident: bool, on: dt.date
) -> tuple[Quotient, tuple[PublicServicePrices, ...]]:
    """The quotient and, for every service with a grid in force, the price for each child it
    concerns (eldest first) or, for a service for adults, for one adult."""
    quotient = caf_quotient(household, on)
    children = [p for p in household.people if p.role == "enfant"]
    result = []
    for entry in catalogue(on):
        if entry.in_force is None:
            continue
        concerned = [c for c in children if entry.service.concerns_age(c.age_on(on))]
        if not concerned and entry.service.concerns_age(ADULT_AGE):
            concerned = [household.people[0]]
        lines = []
        for rank, person in enumerate(concerned, start=1):
            facts = pricing_facts(quotient, child_rank=rank, is_resident=is_resident)
            result_price = price(entry.in_force.grid, facts, on)
            lines.append(
                PublicLine(
                    label=_person_label(person, on, rank),
                    amount=result_price.amount,
                    unit=result_price.unit,
                    explanation=result_price.explanation,
                    warnings=result_price.warnings,
                )
            )
        result.append(PublicServicePrices(entry, tuple(lines)))
    return quotient, tuple(result)


@public_view
def calculator_view(request: HttpRequest) -> HttpResponse:
    """GET form (nothing stored, shareable): with answers, the quotient and the prices."""
    on = timezone.localdate()
    form = TariffCalculatorForm(request.GET if "situation" in request.GET else None)
    context: dict[str, object] = {"form": form, "on": on}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        household = calculator_household(
            situation=data["situation"],
            children_ages=data["children_ages"],
            annual_income=data["annual_income"],
            family_benefits=data["family_benefits"],
            caf_quotient_value=data["caf_quotient"],
            on=on,
        )
        context["quotient"], context["services"] = public_prices(household, data["is_resident"], on)
    return render(request, "pricing/public/calculator.html", context)
