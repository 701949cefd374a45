"""Rights test helpers: a household file with a couple of people and resources, and assessment
results built directly (no OpenFisca run)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guichet.households.enums import HouseholdRole, HousingStatus, Occupation, ResourceKind
from guichet.households.models import Household, Resource, TaxableIncome
from guichet.rules.household import Household as RulesHousehold
from guichet.rules.openfisca import BENEFITS, Assessment, BenefitResult
from guichet.rules.openfisca.catalogue import IN_KIND
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory

MONTH = dt.date(2026, 11, 1)


def single_parent_file(**household: object) -> Household:
    """A single mother, employed, two children, social tenant; RSA not received, housing aid received."""
    row: Household = HouseholdFactory(
        housing_status=HousingStatus.SOCIAL_TENANT,
        rent=Decimal("520.00"),
        caf_quotient=Decimal("480.00"),
        caf_quotient_date=dt.date(2026, 1, 1),
        caf_quotient_source="attestation_caf",
        **household,
    )
    mother = PersonFactory(household=row, birth_date=dt.date(1990, 3, 2), has_rqth=True, disability_rate=50)
    PersonFactory(
        household=row, household_role=HouseholdRole.CHILD, birth_date=dt.date(2015, 6, 1), occupation=Occupation.PUPIL
    )
    PersonFactory(
        household=row, household_role=HouseholdRole.CHILD, birth_date=dt.date(2023, 9, 1), occupation=Occupation.CHILD
    )
    for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1)):
        ResourceFactory(person=mother, month=month, amount=Decimal("900.00"))
    Resource.objects.create(
        household=row, person=None, kind=ResourceKind.HOUSING_AID, month=dt.date(2026, 10, 1), amount=Decimal("250")
    )
    Resource.objects.create(
        household=row, person=None, kind=ResourceKind.AF, month=dt.date(2026, 10, 1), amount=Decimal("148.52")
    )
    TaxableIncome.objects.create(person=mother, year=2024, amount=Decimal("11000"))
    return row


def made_up_assessment(household: RulesHousehold, month: dt.date = MONTH, **amounts: str) -> Assessment:
    """An assessment of the whole catalogue: the benefits named in ``amounts`` are eligible."""
    return Assessment(
        household_id=household.id,
        month=month,
        results=tuple(
            BenefitResult(
                key=benefit.key,
                label=benefit.label,
                eligible=benefit.key in amounts,
                amount=None if benefit.period == IN_KIND else Decimal(amounts.get(benefit.key, "0")),
                period=benefit.period,
                facts=("Ressources prises en compte : 900,00 €",),
                organisme=benefit.organisme,
                link=benefit.link,
                how_to_claim=benefit.how_to_claim,
                documents=benefit.documents,
                warnings=("barème non mis à jour depuis le 01/04/2025",) if benefit.key == "css_gratuite" else (),
            )
            for benefit in BENEFITS
        ),
        inputs_summary=("1 adulte(s), 2 enfant(s)",),
        openfisca_france_version="0.0.test",
    )
