"""Services that write the household file: permissions per persona, audit entries, search sync."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households.enums import ChargeKind, ConsentScope, HouseholdRole, LinkKind, ResourceKind, Sex
from guichet.households.merge import register_merge_hook, unregister_merge_hook
from guichet.households.models import Charge, Consent, Household, Person, PersonLink, Resource
from guichet.households.perms import BreakGlassRequired
from guichet.households.search import search_index_invalidate, search_people
from guichet.households.services import (
    AddressInput,
    PossibleDuplicates,
    charge_delete,
    charge_set,
    consent_record,
    consent_withdraw,
    household_break_glass,
    household_create,
    household_merge,
    household_update,
    person_add,
    person_link_set,
    person_remove,
    person_update,
    resource_delete,
    resource_set,
)
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory
from tests.territory.factories import StreetQuartierFactory

pytestmark = pytest.mark.django_db

APPLICANT = {
    "first_name": "Éloïse",
    "last_name": "Durand",
    "birth_name": "Martin",
    "sex": Sex.FEMALE,
    "birth_date": dt.date(1990, 4, 12),
    "phone": "06 12 34 56 78",
}


def last_entry(action: Action, target_type: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action, target_type=target_type).latest("pk")


def test_accueil_creates_a_household_with_its_applicant(accueil) -> None:
    household = household_create(
        user=accueil,
        household={"phone": "02 35 00 00 00"},
        address=AddressInput(
            number="12", street_name="rue  de Paris", postcode="76800", city="Saint-Étienne-du-Rouvray"
        ),
        applicant=APPLICANT,
    )
    person = household.people.get()
    assert household.reference == f"G-{household.pk:07d}"
    assert person.household_role == HouseholdRole.APPLICANT
    assert person.search_name == "eloise durand martin"
    assert household.address.street_name == "rue de Paris"
    entry = last_entry(Action.CREATE, "household")
    assert entry.target_id == str(household.pk)
    assert set(entry.fields) == {"phone", "address"}
    assert "birth_date" in last_entry(Action.CREATE, "person").fields
    assert [hit.person_id for hit in search_people("eloise durand")] == [person.pk]


def test_address_is_attached_to_its_quartier_from_the_street_table(accueil) -> None:
    street = StreetQuartierFactory(street_name="Rue Gambetta")
    household = household_create(
        user=accueil,
        household={},
        address=AddressInput(number="3", street_name="rue gambetta", postcode="76800", city="Saint-Étienne-du-Rouvray"),
        applicant=APPLICANT,
    )
    assert household.address.quartier == street.quartier


def test_accueil_may_not_set_the_social_situation(accueil, social) -> None:
    with pytest.raises(PermissionDenied):
        household_create(user=accueil, household={"rent": Decimal("450")}, address=None, applicant=APPLICANT)
    household = PersonFactory().household
    with pytest.raises(PermissionDenied):
        household_update(user=accueil, household=household, values={"caf_quotient": Decimal("610")})
    changed = household_update(
        user=social, household=household, values={"caf_quotient": Decimal("610"), "phone": household.phone}
    )
    assert changed == ["caf_quotient"]
    assert last_entry(Action.UPDATE, "household").fields == ["caf_quotient"]


@pytest.mark.parametrize("name", ["direction", "admin", "outsider"])
def test_roles_without_household_edit_cannot_write(persona, name: str) -> None:
    user = persona(name)
    with pytest.raises(PermissionDenied):
        household_create(user=user, household={}, address=None, applicant=APPLICANT)
    with pytest.raises(PermissionDenied):
        person_update(user=user, person=PersonFactory(), values={"first_name": "X"})


def test_confidential_household_needs_access_to_be_edited(accueil) -> None:
    household = PersonFactory(household=HouseholdFactory(confidential=True)).household
    with pytest.raises(BreakGlassRequired):
        household_update(user=accueil, household=household, values={"phone": "01"})


def test_duplicates_block_creation_until_confirmed(accueil) -> None:
    existing = PersonFactory(
        first_name="Eloise", last_name="Durant", search_name="eloise durant", birth_date=APPLICANT["birth_date"]
    )
    search_index_invalidate()
    with pytest.raises(PossibleDuplicates) as raised:
        household_create(user=accueil, household={}, address=None, applicant=APPLICANT)
    assert [c.person_id for c in raised.value.candidates] == [existing.pk]
    assert raised.value.candidates[0].same_birth_date
    assert Household.objects.count() == 1
    household_create(user=accueil, household={}, address=None, applicant=APPLICANT, confirm_duplicates=True)
    assert Household.objects.count() == 2


def test_same_birth_year_is_a_candidate_other_years_are_not(accueil) -> None:
    same_year = PersonFactory(first_name="Éloïse", last_name="Durand", birth_date=dt.date(1990, 11, 2))
    PersonFactory(first_name="Éloïse", last_name="Durand", birth_date=dt.date(1991, 4, 12))
    PersonFactory(first_name="Sarah", last_name="Durand", birth_date=APPLICANT["birth_date"])
    for p in Person.objects.all():
        person_update(user=accueil, person=p, values={"birth_name": "x"})
    with pytest.raises(PossibleDuplicates) as raised:
        person_add(user=accueil, household=HouseholdFactory(), values=APPLICANT)
    candidates = raised.value.candidates
    assert [(c.person_id, c.same_birth_date) for c in candidates] == [(same_year.pk, False)]


def test_duplicates_in_a_closed_confidential_household_are_masked(accueil, responsable) -> None:
    PersonFactory(
        household=HouseholdFactory(confidential=True),
        first_name="Éloïse",
        last_name="Durand",
        search_name="eloise durand",
        birth_date=APPLICANT["birth_date"],
    )
    search_index_invalidate()
    with pytest.raises(PossibleDuplicates) as raised:
        person_add(user=accueil, household=HouseholdFactory(), values=APPLICANT)
    (candidate,) = raised.value.candidates
    assert candidate.is_masked and candidate.name == "" and candidate.birth_date is None
    with pytest.raises(PossibleDuplicates) as raised:
        person_add(user=responsable, household=HouseholdFactory(), values=APPLICANT)
    assert raised.value.candidates[0].name == "Éloïse Durand"


def test_person_update_keeps_search_name_in_sync_and_audits_fields(accueil) -> None:
    person = PersonFactory(first_name="Noé", last_name="Petit")
    changed = person_update(user=accueil, person=person, values={"last_name": "Lefèvre", "occupation": "etudiant"})
    person.refresh_from_db()
    assert sorted(changed) == ["last_name", "occupation"]
    assert person.search_name == "noe lefevre"
    assert [h.person_id for h in search_people("lefevre")] == [person.pk]
    assert sorted(last_entry(Action.UPDATE, "person").fields) == ["last_name", "occupation"]


def test_invalid_values_are_refused_with_a_validation_error(accueil) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError):
        person_update(user=accueil, person=person, values={"sex": "X"})
    with pytest.raises(ValidationError):
        person_update(user=accueil, person=person, values={"search_name": "x"})


def test_person_remove_keeps_the_last_person(accueil) -> None:
    applicant = PersonFactory()
    child = PersonFactory(household=applicant.household, household_role=HouseholdRole.CHILD)
    child_id = child.pk
    person_remove(user=accueil, person=child)
    assert last_entry(Action.DELETE, "person").target_id == str(child_id)
    assert not Person.objects.filter(pk=child_id).exists()
    with pytest.raises(ValidationError):
        person_remove(user=accueil, person=applicant)


def test_person_links(accueil) -> None:
    parent = PersonFactory()
    child = PersonFactory(household=parent.household, household_role=HouseholdRole.CHILD)
    person_link_set(user=accueil, from_person=parent, to_person=child, kind=LinkKind.PARENT)
    person_link_set(user=accueil, from_person=parent, to_person=child, kind=LinkKind.OTHER)
    assert list(PersonLink.objects.values_list("kind", flat=True)) == [LinkKind.OTHER]
    person_link_set(user=accueil, from_person=parent, to_person=child, kind=None)
    assert not PersonLink.objects.exists()
    with pytest.raises(ValidationError):
        person_link_set(user=accueil, from_person=parent, to_person=PersonFactory(), kind=LinkKind.SPOUSE)


def test_resources_and_charges_need_household_follow(accueil, social) -> None:
    person = PersonFactory()
    household = person.household
    with pytest.raises(PermissionDenied):
        resource_set(
            user=accueil, household=household, kind=ResourceKind.RSA, month=dt.date(2026, 9, 1), amount=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        charge_set(user=accueil, household=household, kind=ChargeKind.WATER, amount=Decimal(30))
    resource = resource_set(
        user=social,
        household=household,
        person=person,
        kind=ResourceKind.SALARY,
        month=dt.date(2026, 9, 17),
        amount=Decimal("1200.00"),
    )
    again = resource_set(
        user=social,
        household=household,
        person=person,
        kind=ResourceKind.SALARY,
        month=dt.date(2026, 9, 1),
        amount=Decimal("1250.00"),
    )
    assert again.pk == resource.pk and again.month == dt.date(2026, 9, 1) and again.amount == Decimal("1250.00")
    assert last_entry(Action.UPDATE, "resource").fields == ["amount"]
    charge = charge_set(user=social, household=household, kind=ChargeKind.ENERGY, amount=Decimal("85.50"))
    charge_set(user=social, household=household, charge=charge, kind=ChargeKind.ENERGY, amount=Decimal("90"))
    assert last_entry(Action.UPDATE, "charge").fields == ["amount"]
    with pytest.raises(ValidationError):
        charge_set(user=social, household=household, kind=ChargeKind.LOAN, amount=Decimal("-1"))
    charge_delete(user=social, charge=charge)
    resource_id = resource.pk
    resource_delete(user=social, resource=again)
    assert not Charge.objects.exists() and not Resource.objects.exists()
    assert last_entry(Action.DELETE, "resource").target_id == str(resource_id)


def test_consents_are_recorded_and_withdrawn(accueil) -> None:
    household = PersonFactory().household
    consent = consent_record(user=accueil, household=household, scope=ConsentScope.PROACTIVE_CONTACT)
    assert consent.recorded_by == accueil
    consent_withdraw(user=accueil, consent=consent)
    assert Consent.objects.get().withdrawn_at is not None
    assert last_entry(Action.UPDATE, "consent").fields == ["withdrawn_at"]
    with pytest.raises(ValidationError):
        consent_withdraw(user=accueil, consent=consent)


def test_merge_keeps_every_record(responsable, social) -> None:
    target = PersonFactory().household
    source_applicant = PersonFactory(household=HouseholdFactory(confidential=True))
    source = source_applicant.household
    ResourceFactory(person=source_applicant)
    Charge.objects.create(household=source, kind=ChargeKind.WATER, amount=Decimal(20))
    Consent.objects.create(
        household=source, scope=ConsentScope.FOLLOW_UP, given_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    source.referents.add(social)
    calls = []

    def hook(src: Household, dst: Household) -> int:
        calls.append((src.pk, dst.pk))
        return 3

    register_merge_hook("test.hook", hook)
    try:
        with pytest.raises(PermissionDenied):
            household_merge(user=social, source=source, target=target)
        source_id = source.pk
        moved = household_merge(user=responsable, source=source, target=target)
    finally:
        unregister_merge_hook("test.hook")
    assert {kind: count for kind, count in moved.items() if count} == {
        "people": 1, "resources": 1, "charges": 1, "consents": 1, "test.hook": 3,
    }  # fmt: skip
    assert calls == [(source_id, target.pk)]
    assert not Household.objects.filter(pk=source_id).exists()
    target.refresh_from_db()
    assert target.is_confidential and social in target.referents.all()
    source_applicant.refresh_from_db()
    assert source_applicant.household == target and source_applicant.household_role == HouseholdRole.OTHER
    assert last_entry(Action.DELETE, "household").target_id == str(source_id)
    assert "fusion" in last_entry(Action.UPDATE, "household").reason


def test_a_failing_hook_aborts_the_merge(responsable) -> None:
    target, source = PersonFactory().household, PersonFactory().household

    def broken(src: Household, dst: Household) -> int:
        raise RuntimeError("boom")

    register_merge_hook("test.broken", broken)
    try:
        with pytest.raises(RuntimeError):
            household_merge(user=responsable, source=source, target=target)
    finally:
        unregister_merge_hook("test.broken")
    assert Household.objects.filter(pk=source.pk).exists()
    assert Person.objects.filter(household=source).count() == 1


def test_merge_is_refused_when_records_would_be_lost(responsable) -> None:
    """A record still pointing to the merged file after the hooks (an app without a hook) stops the merge."""
    target = PersonFactory().household
    stray = PersonFactory()
    source = stray.household

    def sends_back(src: Household, dst: Household) -> int:
        return Person.objects.filter(pk=stray.pk).update(household=src)

    register_merge_hook("test.sends_back", sends_back)
    try:
        with pytest.raises(ValidationError, match="personnes"):
            household_merge(user=responsable, source=source, target=target)
    finally:
        unregister_merge_hook("test.sends_back")
    assert Household.objects.filter(pk=source.pk).exists()
    stray.refresh_from_db()
    assert stray.household == source


def test_break_glass_grants_of_the_merged_file_do_not_block_it(responsable, accueil) -> None:
    target = PersonFactory().household
    source = PersonFactory(household=HouseholdFactory(confidential=True)).household
    household_break_glass(user=accueil, household=source, reason="Appel urgent du bailleur social")
    household_merge(user=responsable, source=source, target=target)
    assert not Household.objects.filter(pk=source.pk).exists()
