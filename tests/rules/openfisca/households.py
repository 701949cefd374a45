"""Varied households for the OpenFisca tests (simulated month: November 2026)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guichet.rules.household import Household, Person

JAN = dt.date(2025, 1, 1)


def person(pid: str, role: str, born: str, occupation: str = "autre", **resources: str) -> Person:
    return Person(
        id=pid,
        role=role,
        birth_date=dt.date.fromisoformat(born),
        occupation=occupation,
        resources={kind: {JAN: Decimal(amount)} for kind, amount in resources.items()},
    )


def child(pid: str, born: str) -> Person:
    return person(pid, "enfant", born, "scolaire")


def taxed(who: Person, **years: int) -> Person:
    return Person(**{**who.__dict__, "taxable_income": {int(y[1:]): Decimal(v) for y, v in years.items()}})


HOUSEHOLDS: dict[str, Household] = {
    "single_no_income": Household(
        "single_no_income", (person("a", "demandeur", "1990-05-02", rsa="646.52"),), rent=Decimal(420)
    ),
    "single_smic": Household(
        "single_smic",
        (taxed(person("a", "demandeur", "1988-01-10", "salarie", salaire="1443.11"), y2024=16000, y2025=16500),),
        rent=Decimal(510),
    ),
    "couple_two_children": Household(
        "couple_two_children",
        (
            taxed(person("a", "demandeur", "1984-03-03", "salarie", salaire="1850"), y2024=20000, y2025=21000),
            person("b", "conjoint", "1986-07-07", "au_foyer"),
            child("c", "2013-09-01"),
            child("d", "2018-02-01"),
        ),
        housing_status="locataire_social",
        rent=Decimal(580),
    ),
    "single_parent_alimony": Household(
        "single_parent_alimony",
        (
            taxed(
                person("a", "demandeur", "1987-06-06", "salarie", salaire="950", pension_alimentaire="180"),
                y2024=10000,
                y2025=11000,
            ),
            child("c", "2010-04-04"),
            child("d", "2021-05-05"),
        ),
        rent=Decimal(600),
    ),
    "single_parent_no_alimony": Household(
        "single_parent_no_alimony",
        (
            taxed(person("a", "demandeur", "1987-06-06", "salarie", salaire="950"), y2024=10000),
            child("c", "2012-04-04"),
        ),
        rent=Decimal(560),
    ),
    "large_family": Household(
        "large_family",
        (
            taxed(person("a", "demandeur", "1982-01-01", "salarie", salaire="2100"), y2024=26000, y2025=26500),
            person("b", "conjoint", "1985-01-01", "au_foyer", af="650"),
            child("c", "2011-01-01"),
            child("d", "2014-06-01"),
            child("e", "2019-03-01"),
            person("f", "enfant", "2025-02-01", "enfant"),
        ),
        housing_status="locataire_social",
        rent=Decimal(720),
    ),
    "senior_small_pension": Household(
        "senior_small_pension",
        (
            taxed(
                person("a", "demandeur", "1952-02-02", "retraite", retraite="750"), y2023=9000, y2024=9000, y2025=9100
            ),
        ),
        rent=Decimal(390),
    ),
    "disabled_adult": Household(
        "disabled_adult",
        (
            Person(
                id="a",
                role="demandeur",
                birth_date=dt.date(1979, 8, 8),
                occupation="inapte",
                disability_rate=80,
                resources={"aah": {JAN: Decimal("1033.32")}},
            ),
        ),
        rent=Decimal(450),
    ),
    "student": Household(
        "student",
        (taxed(person("a", "demandeur", "2005-10-10", "etudiant", salaire="420"), y2025=3000),),
        rent=Decimal(380),
    ),
    "self_employed": Household(
        "self_employed",
        (taxed(person("a", "demandeur", "1980-12-12", "independant", revenu_independant="900"), y2024=11000),),
        rent=Decimal(480),
    ),
    "job_seeker": Household(
        "job_seeker",
        (
            taxed(person("a", "demandeur", "1975-04-04", "demandeur_emploi", chomage="1150"), y2024=24000, y2025=19000),
            child("c", "2009-09-09"),
        ),
        rent=Decimal(530),
    ),
    # Complément familial: three children, all aged 3 or more, resources under the ceiling of the
    # increased rate. No salary, so that the comparison is exact to the cent.
    "cf_single_parent": Household(
        "cf_single_parent",
        (
            taxed(
                person("a", "demandeur", "1984-01-01", "demandeur_emploi", chomage="1100", pension_alimentaire="300"),
                y2024=14000,
                y2025=13500,
            ),
            child("c", "2011-05-01"),
            child("d", "2015-05-01"),
            child("e", "2019-05-01"),
        ),
        rent=Decimal(700),
    ),
    # The same family already paid its benefits: they enter the resources the formulas look back on.
    "cf_received": Household(
        "cf_received",
        (
            taxed(
                person("a", "demandeur", "1984-01-01", "demandeur_emploi", chomage="1100", pension_alimentaire="300"),
                y2024=14000,
                y2025=13500,
            ),
            child("c", "2011-05-01"),
            child("d", "2015-05-01"),
            child("e", "2019-05-01"),
        ),
        rent=Decimal(700),
        resources={
            kind: {JAN: Decimal(amount)}
            for kind, amount in (("af", "425.57"), ("cf", "298.75"), ("asf", "305.35"), ("aide_logement", "497"))
        },
    ),
    # A fourth child under 3: the PAJE base allowance, not the complément familial (not cumulative).
    "cf_with_baby": Household(
        "cf_with_baby",
        (
            taxed(person("a", "demandeur", "1983-01-01", "retraite", retraite="1500"), y2024=19000, y2025=19000),
            person("b", "conjoint", "1985-01-01", "au_foyer"),
            child("c", "2012-05-01"),
            child("d", "2016-05-01"),
            child("e", "2020-05-01"),
            person("f", "enfant", "2025-06-01", "enfant"),
        ),
        housing_status="locataire_social",
        rent=Decimal(650),
    ),
    # Three children aged 3+, resources of year N-2 above the ceiling: no complément familial.
    "cf_over_ceiling": Household(
        "cf_over_ceiling",
        (
            taxed(person("a", "demandeur", "1983-01-01", "retraite", retraite="3200"), y2024=42000, y2025=42000),
            taxed(person("b", "conjoint", "1985-01-01", "retraite", retraite="1800"), y2024=22000, y2025=22000),
            child("c", "2012-05-01"),
            child("d", "2016-05-01"),
            child("e", "2020-05-01"),
        ),
        housing_status="proprietaire",
    ),
    # ASI: a disabled adult under the legal retirement age with an invalidity pension under the ceiling.
    "asi_single": Household(
        "asi_single",
        (
            Person(
                id="a",
                role="demandeur",
                birth_date=dt.date(1972, 3, 3),
                occupation="inapte",
                resources={"pension_invalidite": {JAN: Decimal("520")}},
                taxable_income={2024: Decimal(6240), 2025: Decimal(6240)},
            ),
        ),
        rent=Decimal(430),
    ),
    # ASI of one member of a couple: the couple's ceiling, the spouse's pension counted.
    "asi_couple": Household(
        "asi_couple",
        (
            Person(
                id="a",
                role="demandeur",
                birth_date=dt.date(1970, 3, 3),
                occupation="inapte",
                resources={"pension_invalidite": {JAN: Decimal("610")}},
                taxable_income={2024: Decimal(7320), 2025: Decimal(7320)},
            ),
            taxed(person("b", "conjoint", "1966-01-01", "retraite", retraite="700"), y2024=8400, y2025=8400),
        ),
        rent=Decimal(520),
    ),
}
