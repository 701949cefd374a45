"""Rights fixtures: OpenFisca replaced by made-up results (fast), or warmed up once for real."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from guichet.rights import services
from guichet.rules.openfisca import warm_up
from tests.rights.factories import MONTH, made_up_assessment


@pytest.fixture(scope="session")
def openfisca_month() -> dt.date:
    warm_up(MONTH)
    return MONTH


@pytest.fixture
def fake_assess(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []

    def assess(household, month):  # type: ignore[no-untyped-def]
        calls.append(household)
        return made_up_assessment(household, month, rsa="412.30", aide_logement="251.00")

    monkeypatch.setattr(services, "assess", assess)
    monkeypatch.setattr(services, "openfisca_france_version", lambda: "0.0.test")
    return calls


@pytest.fixture
def fake_assess_chunk(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each household of the chunk gets RSA 412.30 minus a tenth of its applicant's salary."""
    calls: list[object] = []

    def assess_chunk(households, month):  # type: ignore[no-untyped-def]
        calls.append(households)
        found = []
        for household in households:
            salary = sum(
                (sum(p.resources.get("salaire", {}).values(), Decimal(0)) for p in household.adults), Decimal(0)
            )
            found.append(made_up_assessment(household, month, rsa=str(Decimal("412.30") - salary / 10)))
        return found

    monkeypatch.setattr(services, "assess_chunk", assess_chunk)
    return calls
