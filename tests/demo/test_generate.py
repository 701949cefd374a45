"""``guichet demo generate``: the synthetic commune, deterministic, marked synthetic, plausible."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import numpy as np
import pytest
import shapely
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from guichet.demo import population
from guichet.households.enums import ResourceKind
from guichet.households.models import Household, Person, Resource
from guichet.rules.text import normalize_text
from guichet.territory.models import Address, Quartier
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 15)


def generate(*extra: str, households: int = 400, seed: int = 7) -> str:
    out = StringIO()
    call_command(
        "demo", "generate", "--households", str(households), "--seed", str(seed), "--date", TODAY.isoformat(),
        *extra, stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Person.objects.order_by("household__reference", "pk").values_list(
            "household__reference", "first_name", "last_name", "birth_name", "birth_date", "sex", "occupation",
            "household__address__street_name", "household__address__latitude", "household__housing_status",
        )
    )  # fmt: skip


def test_same_seed_same_population_other_seed_other_population() -> None:
    generate()
    first = snapshot()
    resources = sorted(Resource.objects.values_list("household__reference", "kind", "month", "amount"))
    generate("--reset")
    assert snapshot() == first
    assert sorted(Resource.objects.values_list("household__reference", "kind", "month", "amount")) == resources
    generate("--reset", seed=8)
    assert snapshot() != first
    assert Household.objects.count() == 400  # --reset replaced the previous population


def test_everything_is_synthetic_and_searchable() -> None:
    output = generate(households=300)
    assert "300 ménages" in output and "Non-recours" in output and "Structure par âge" in output
    assert not Household.objects.filter(is_synthetic=False).exists()
    assert not Address.objects.filter(is_synthetic=False).exists()
    for person in Person.objects.all()[:500]:
        assert person.search_name.startswith(normalize_text(f"{person.first_name} {person.last_name}"))
    assert Person.objects.exclude(birth_name="").exists()


def test_addresses_fall_inside_their_neighbourhood() -> None:
    generate(households=300)
    shapes = {q.pk: shape(q.boundary) for q in Quartier.objects.all()}
    rows = list(Address.objects.values_list("quartier_id", "longitude", "latitude"))
    assert len(rows) == 300
    for quartier_id, lon, lat in rows:
        assert shapely.intersects_xy(shapes[quartier_id], lon, lat)


def test_resources_cover_the_last_three_months() -> None:
    generate(households=200)
    months = sorted(set(Resource.objects.values_list("month", flat=True)))
    assert months == [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]


@pytest.mark.slow
def test_age_structure_and_non_take_up_are_plausible() -> None:
    output = generate(households=3000, seed=3)
    ages = np.array(
        [(TODAY - birth).days // 365.25 for birth in Person.objects.values_list("birth_date", flat=True)], dtype=int
    )
    shares = population.age_shares(ages)
    for got, published in zip(shares, population.AGE_STRUCTURE, strict=True):
        assert abs(got - published) < 0.03, (shares, population.AGE_STRUCTURE)
    people_per_household = Person.objects.count() / Household.objects.count()
    assert 2.1 < people_per_household < 2.7
    rate = int(output.split("(")[-1].split(" %")[0])
    assert 20 <= rate <= 50, output
    # Non-take-up is in the data itself: low-resource households of working age without any RSA row.
    with_rsa = set(Resource.objects.filter(kind=ResourceKind.RSA).values_list("household_id", flat=True))
    assert with_rsa, "some households receive the RSA"
    qpv = Household.objects.filter(address__quartier__is_qpv=True).count() / Household.objects.count()
    assert 0.2 < qpv < 0.45


def test_refuses_to_mix_with_real_households() -> None:
    HouseholdFactory()
    with pytest.raises(CommandError, match="réel"):
        generate(households=10)
    assert Household.objects.count() == 1


def test_rejects_a_bad_date_or_size() -> None:
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("demo", "generate", "--date", "15/11/2026")
    with pytest.raises(CommandError, match="au moins 1"):
        call_command("demo", "generate", "--households", "0")
