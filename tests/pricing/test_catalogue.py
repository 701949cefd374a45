import datetime as dt
from decimal import Decimal

import pytest

from guichet.pricing.models import MunicipalService, TariffGrid
from guichet.pricing.selectors import catalogue
from guichet.rules.tariffs import PricingFacts, grid_from_dict, price

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 15)


def test_seeded_catalogue_is_valid_and_marked_as_example() -> None:
    services = list(MunicipalService.objects.all())
    assert len(services) == 9
    assert all(s.is_example and "exemple" in s.name and "Exemple" in s.description for s in services)
    for row in TariffGrid.objects.all():
        grid = grid_from_dict(row.data)
        assert (grid.valid_from, grid.valid_to) == (row.valid_from, row.valid_to)
    assert all(entry.in_force is not None for entry in catalogue(ON))


@pytest.mark.parametrize(
    ("quotient", "rank", "expected"),
    [
        ("0", 1, "1.00"),
        ("599.99", 1, "1.00"),
        ("600", 1, "3.05"),
        ("999", 2, "3.05"),
        ("1000", 1, "3.10"),
        ("1499", 1, "3.10"),
        ("1500", 1, "3.15"),
        ("1500", 3, "1.58"),
        ("700", 3, "1.53"),
    ],
)
def test_seeded_canteen_grid(quotient: str, rank: int, expected: str) -> None:
    entry = next(e for e in catalogue(ON) if e.service.slug == "restauration-scolaire")
    assert entry.in_force is not None and len(entry.past) == 1
    result = price(entry.in_force.grid, PricingFacts(quotient=Decimal(quotient), child_rank=rank), ON)
    assert result.amount == Decimal(expected)
