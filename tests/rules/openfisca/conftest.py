"""One OpenFisca-France system, warmed up once for the whole OpenFisca part of the suite."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.rules.openfisca.assessment import warm_up

MONTH = dt.date(2026, 11, 1)


@pytest.fixture(scope="session")
def openfisca_month() -> dt.date:
    warm_up(MONTH)
    return MONTH
