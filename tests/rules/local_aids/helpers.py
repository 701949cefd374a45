"""Builders for the local-aid tests: an aid from a few lines of YAML, households in one line."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from typing import Any

from guichet.rules.household import AttestedQuotient, Household, Person
from guichet.rules.local_aids import LocalAid, parse_aid

ON = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)

HEADER = """\
id: aide-test
nom: Aide de test
version: "1"
validite:
  du: 2026-01-01
deliberation:
  reference: CA-TEST-1
  date: 2025-12-11
commune:
  code_insee: "76575"
  nom: Saint-Étienne-du-Rouvray
demande:
  lieu: CCAS
"""
FIXED_100 = "montant:\n  periodicite: ponctuel\n  fixe: 100\n"


def aid_text(conditions: str = "", amount: str = FIXED_100, header: str = HEADER) -> str:
    body = header + textwrap.dedent(amount)
    if conditions:
        body += "conditions:\n" + textwrap.indent(textwrap.dedent(conditions), "  ")
    return body


def aid(conditions: str = "", amount: str = FIXED_100, header: str = HEADER) -> LocalAid:
    return parse_aid(aid_text(conditions, amount, header), "aide-test.yaml")


def born(age: int, on: dt.date = ON) -> dt.date:
    """Born on the first of January so that the age on ``ON`` is exactly ``age``."""
    return dt.date(on.year - age, 1, 1)


def person(role: str = "demandeur", age: int = 40, **kwargs: Any) -> Person:
    return Person(id=f"{role}-{age}-{len(kwargs)}", role=role, birth_date=born(age), **kwargs)


def child(age: int, **kwargs: Any) -> Person:
    return Person(id=f"enfant-{age}", role="enfant", birth_date=born(age), **kwargs)


def household(
    *people: Person,
    quotient: str | None = None,
    salary: str | None = None,
    **kwargs: Any,
) -> Household:
    """A household in the commune; ``quotient`` is attested by the CAF (so that it is exact),
    ``salary`` is the applicant's net monthly salary of October."""
    if not people:
        people = (person(),)
    if salary is not None:
        first = people[0]
        people = (
            Person(
                id=first.id,
                role=first.role,
                birth_date=first.birth_date,
                occupation=first.occupation,
                resources={"salaire": {OCT: Decimal(salary)}},
            ),
            *people[1:],
        )
    attested = AttestedQuotient(Decimal(quotient), dt.date(2026, 9, 1), "attestation_caf") if quotient else None
    kwargs.setdefault("insee_code", "76575")
    return Household(id="h", people=people, attested_quotient=attested, **kwargs)
