"""Rights fixtures: OpenFisca replaced by made-up results (fast), or warmed up once for real."""

from __future__ import annotations

import datetime as dt

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
