"""Column-wise inserts of the generator: reserved keys stay clear of later ORM inserts, defaults fill
the columns left out, mistakes are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guichet.demo.inserts import insert_columns, insert_new
from guichet.households.models import Consent, Household
from guichet.territory.models import Address, Quartier
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_rows_inserted_under_reserved_keys_then_the_orm_gets_a_free_key() -> None:
    quartier = Quartier.objects.create(name="Essai", slug="essai")
    ids = insert_new(
        Address,
        3,
        {
            "number": ["1", "2", "3"],
            "street_name": "Rue de Paris",
            "postcode": "76800",
            "city": "X",
            "quartier_id": quartier.pk,
        },
    )
    assert list(Address.objects.order_by("pk").values_list("pk", "number")) == list(
        zip(ids.tolist(), ["1", "2", "3"], strict=True)
    )
    assert not Address.objects.filter(is_synthetic=True).exists()  # default of the column left out
    # On PostgreSQL the identity sequence was moved past the reserved keys: no collision here.
    household = HouseholdFactory()
    assert household.address.pk > max(ids)


def test_datetimes_dates_and_nulls_round_trip() -> None:
    household = HouseholdFactory(synthetic=True)
    given = timezone.now().replace(microsecond=0)
    insert_new(
        Consent,
        2,
        {
            "household_id": household.pk,
            "scope": ["suivi", "contact_proactif"],
            "given_at": given,
            "withdrawn_at": [None, given],
        },
    )
    rows = list(Consent.objects.order_by("pk").values_list("given_at", "withdrawn_at"))
    assert rows == [(given, None), (given, given)]
    insert_columns(
        Household,
        1,
        {"id": household.pk + 100, "reference": "M-999999", "caf_quotient_date": dt.date(2026, 3, 1)},
    )
    assert Household.objects.get(reference="M-999999").caf_quotient_date == dt.date(2026, 3, 1)


def test_unknown_column_or_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown columns"):
        insert_new(Quartier, 1, {"name": "A", "slug": "a", "colour": "red"})
    with pytest.raises(ValueError, match="2 values for 3 rows"):
        insert_new(Quartier, 3, {"name": ["A", "B"], "slug": "a"})
    assert not Quartier.objects.exists()
