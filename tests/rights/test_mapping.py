import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.households.models import Household
from guichet.rights.household_json import HouseholdFormatError, household_from_json, household_to_json
from guichet.rights.mapping import IncompleteHousehold, check_assessable, rules_household
from guichet.rules import household as rules
from tests.factories import HouseholdFactory, PersonFactory
from tests.rights.factories import single_parent_file

pytestmark = pytest.mark.django_db


def test_household_file_maps_to_the_rules_household(django_assert_max_num_queries: object) -> None:
    row = single_parent_file()
    people = list(row.people.order_by("birth_date"))
    mother = people[0]
    row = Household.objects.select_related("address__quartier").get(pk=row.pk)
    with django_assert_max_num_queries(4):  # type: ignore[operator]  # household, resources, incomes, people
        mapped = rules_household(row)
    assert mapped == rules.Household(
        id=str(row.pk),
        people=(
            rules.Person(
                id=str(mother.pk),
                role="demandeur",
                birth_date=dt.date(1990, 3, 2),
                occupation="salarie",
                disability_rate=50,
                has_rqth=True,
                resources={
                    "salaire": {dt.date(2026, 9, 1): Decimal("900.00"), dt.date(2026, 10, 1): Decimal("900.00")}
                },
                taxable_income={2024: Decimal("11000.00")},
            ),
            rules.Person(id=str(people[1].pk), role="enfant", birth_date=dt.date(2015, 6, 1), occupation="scolaire"),
            rules.Person(id=str(people[2].pk), role="enfant", birth_date=dt.date(2023, 9, 1), occupation="enfant"),
        ),
        housing_status="locataire_social",
        rent=Decimal("520.00"),
        postcode="76800",
        insee_code="76575",
        quartier=row.address.quartier.slug,
        resources={
            "aide_logement": {dt.date(2026, 10, 1): Decimal("250.00")},
            "af": {dt.date(2026, 10, 1): Decimal("148.52")},
        },
        attested_quotient=rules.AttestedQuotient(Decimal("480.00"), dt.date(2026, 1, 1), "attestation_caf"),
    )


def test_address_outside_the_commune_has_no_insee_code() -> None:
    row = HouseholdFactory(address__city="Rouen", address__postcode="76000")
    PersonFactory(household=row)
    mapped = rules_household(row)
    assert (mapped.postcode, mapped.insee_code) == ("76000", "")


def test_a_household_without_applicant_cannot_be_assessed() -> None:
    with pytest.raises(IncompleteHousehold, match="exactement un demandeur"):
        check_assessable(HouseholdFactory())


def test_json_round_trip_of_a_mapped_household() -> None:
    mapped = rules_household(single_parent_file())
    assert household_from_json(household_to_json(mapped)) == mapped


def test_malformed_household_lists_each_field_and_what_is_wrong() -> None:
    data = {
        "logement": {"statut": "chateau", "loyer": "beaucoup"},
        "personnes": [
            {"role": "demandeur", "date_naissance": "17/05/1985", "ressources": {"salaire": {"2026-13": "1"}}},
            {"role": "enfant", "date_naissance": "2015-01-01", "taux_incapacite": 150, "couleur": "bleu"},
        ],
    }
    with pytest.raises(HouseholdFormatError) as raised:
        household_from_json(data)
    errors = "\n".join(raised.value.errors)
    assert "logement.statut : valeur « chateau » inconnue" in errors
    assert "logement.loyer : montant positif en euros attendu" in errors
    assert "personnes[0].date_naissance : date attendue au format AAAA-MM-JJ (reçu « 17/05/1985 »)" in errors
    assert "personnes[0].ressources.salaire.2026-13 : mois attendu au format AAAA-MM" in errors
    assert "personnes[1].taux_incapacite : un entier de 0 à 100 attendu" in errors
    assert "personnes[1].couleur : champ inconnu" in errors


def test_a_household_needs_one_applicant() -> None:
    with pytest.raises(HouseholdFormatError, match="exactement une personne de rôle « demandeur »"):
        household_from_json({"personnes": [{"role": "enfant", "date_naissance": "2015-01-01"}]})


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=5), c),
        max_leaves=8,
    )
)
def test_any_json_value_is_either_a_household_or_a_format_error(data: object) -> None:
    try:
        household_from_json(data)
    except HouseholdFormatError as error:
        assert error.errors
