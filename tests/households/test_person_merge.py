"""Merging two records of one person in a household: every linked record kept, no self-link nor
duplicate link, the chosen values applied, one audit entry, refusals; the duplicates list and pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.models import Request
from guichet.households.duplicates import MAX_CANDIDATES
from guichet.households.enums import HouseholdRole, LinkKind, Occupation, ResourceKind
from guichet.households.merge import register_person_merge_hook, unregister_person_merge_hook
from guichet.households.models import Household, Person, PersonLink, Resource, TaxableIncome
from guichet.households.person_merge import household_duplicate_people, person_differences, person_merge
from guichet.records.models import Document
from tests.conftest import make_persona
from tests.desk.factories import RequestFactory
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory
from tests.records.factories import make_document

pytestmark = pytest.mark.django_db


def _person(household: Household, first: str, last: str, **values: object) -> Person:
    return PersonFactory(
        household=household, first_name=first, last_name=last, search_name=f"{first} {last}".lower(), **values
    )


@pytest.fixture
def family() -> tuple[Person, Person, Person]:
    """Jean Dupont entered twice (the second time as « Dupond », with a phone), and his daughter."""
    household = HouseholdFactory()
    keep = _person(household, "Jean", "Dupont", birth_date=dt.date(1980, 3, 12))
    drop = _person(
        household,
        "Jean",
        "Dupond",
        birth_date=dt.date(1980, 3, 21),
        phone="06 11 22 33 44",
        household_role=HouseholdRole.OTHER,
        occupation=Occupation.JOB_SEEKER,
    )
    child = _person(household, "Léa", "Dupont", birth_date=dt.date(2012, 6, 1), household_role=HouseholdRole.CHILD)
    return keep, drop, child


def test_every_linked_record_follows_the_kept_person(
    family: tuple[Person, Person, Person], responsable, settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    keep, drop, child = family
    household = keep.household
    salary = ResourceFactory(person=drop, month=dt.date(2026, 9, 1), amount=Decimal("1200.00"))
    bonus = ResourceFactory(person=drop, kind=ResourceKind.UNEMPLOYMENT, amount=Decimal("300.00"))
    TaxableIncome.objects.create(person=drop, year=2023, amount=Decimal("15000.00"))
    TaxableIncome.objects.create(person=keep, year=2024, amount=Decimal("16000.00"))
    TaxableIncome.objects.create(person=drop, year=2024, amount=Decimal("16500.00"))
    TaxableIncome.objects.create(person=keep, year=2025, amount=Decimal("17000.00"))
    TaxableIncome.objects.create(person=drop, year=2025, amount=Decimal("99.00"))
    PersonLink.objects.create(from_person=keep, to_person=child, kind=LinkKind.PARENT)
    PersonLink.objects.create(from_person=drop, to_person=child, kind=LinkKind.PARENT)  # duplicate: deleted
    PersonLink.objects.create(from_person=child, to_person=drop, kind=LinkKind.OTHER)  # moved
    PersonLink.objects.create(from_person=keep, to_person=drop, kind=LinkKind.SPOUSE)  # would be a self-link
    demand = RequestFactory(household=household, person=drop)
    document = make_document(household, responsable)
    Document.objects.filter(pk=document.pk).update(person=drop)

    moved = person_merge(
        user=responsable, keep=keep, drop=drop, fields_from_drop=["phone"], income_years_from_drop=[2024]
    )

    assert not Person.objects.filter(pk=drop.pk).exists()
    assert moved == {
        "resources": 2, "taxable_incomes": 2, "links": 1, "desk.requests": 1, "records.documents": 1,
        "links_deleted": 2, "taxable_incomes_deleted": 2,
    }  # fmt: skip
    assert set(Resource.objects.filter(pk__in=[salary.pk, bonus.pk]).values_list("person_id", flat=True)) == {keep.pk}
    assert dict(TaxableIncome.objects.filter(person=keep).values_list("year", "amount")) == {
        2023: Decimal("15000.00"),
        2024: Decimal("16500.00"),
        2025: Decimal("17000.00"),
    }
    assert set(PersonLink.objects.values_list("from_person_id", "to_person_id", "kind")) == {
        (keep.pk, child.pk, LinkKind.PARENT),
        (child.pk, keep.pk, LinkKind.OTHER),
    }
    assert not PersonLink.objects.filter(from_person_id=keep.pk, to_person_id=keep.pk).exists()
    assert Request.objects.get(pk=demand.pk).person_id == keep.pk
    assert Document.objects.get(pk=document.pk).person_id == keep.pk
    keep.refresh_from_db()
    assert (keep.phone, keep.last_name, keep.birth_date) == ("06 11 22 33 44", "Dupont", dt.date(1980, 3, 12))
    assert keep.household_role == HouseholdRole.APPLICANT and keep.occupation == Occupation.EMPLOYED


def test_the_values_chosen_from_the_duplicate_are_applied(family: tuple[Person, Person, Person], responsable) -> None:
    keep, drop, _ = family
    person_merge(user=responsable, keep=keep, drop=drop, fields_from_drop=["last_name", "birth_date", "occupation"])
    keep.refresh_from_db()
    assert (keep.last_name, keep.birth_date, keep.occupation) == ("Dupond", dt.date(1980, 3, 21), Occupation.JOB_SEEKER)
    assert keep.search_name == "jean dupond"
    assert keep.phone == "" and keep.household_role == HouseholdRole.APPLICANT


def test_one_audit_entry_names_both_people_and_the_values_taken(
    family: tuple[Person, Person, Person], responsable
) -> None:
    keep, drop, _ = family
    ResourceFactory(person=drop)
    before = AuditEntry.objects.count()
    person_merge(user=responsable, keep=keep, drop=drop, fields_from_drop=["phone", "birth_date"])
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.target_type, entry.target_id) == (Action.UPDATE, "person", str(keep.pk))
    assert entry.fields == ["birth_date", "phone", "resources"]
    assert f"fusion de la personne {drop.pk} dans la personne {keep.pk}" in entry.reason
    assert f"valeurs reprises de la personne {drop.pk} : birth_date, phone" in entry.reason
    assert "06 11 22 33 44" not in entry.reason  # names of fields, never personal values


@pytest.mark.parametrize("persona_name", ["accueil", "social"])
def test_refused_to_front_desk_and_social_workers(family: tuple[Person, Person, Person], persona_name: str) -> None:
    keep, drop, _ = family
    ResourceFactory(person=drop)
    with pytest.raises(PermissionDenied, match="Seuls les responsables peuvent fusionner des personnes."):
        person_merge(user=make_persona(persona_name), keep=keep, drop=drop)
    assert Person.objects.filter(pk=drop.pk).exists()
    assert Resource.objects.get().person_id == drop.pk


def test_refused_across_households_and_for_the_same_person(family: tuple[Person, Person, Person], responsable) -> None:
    keep, _, _ = family
    elsewhere = _person(HouseholdFactory(), "Jean", "Dupont", birth_date=dt.date(1980, 3, 12))
    with pytest.raises(ValidationError, match="même ménage : fusionnez d'abord les deux dossiers") as refused:
        person_merge(user=responsable, keep=keep, drop=elsewhere)
    assert refused.value.code == "different_households"
    assert Person.objects.filter(pk=elsewhere.pk).exists()
    with pytest.raises(ValidationError, match="Choisissez deux personnes différentes."):
        person_merge(user=responsable, keep=keep, drop=keep)


def test_unknown_field_choices_are_refused(family: tuple[Person, Person, Person], responsable) -> None:
    keep, drop, _ = family
    with pytest.raises(ValidationError, match="Champs non fusionnables : household"):
        person_merge(user=responsable, keep=keep, drop=drop, fields_from_drop=["household"])
    assert Person.objects.filter(pk=drop.pk).exists()


def test_a_failing_hook_changes_nothing(family: tuple[Person, Person, Person], responsable) -> None:
    keep, drop, child = family
    PersonLink.objects.create(from_person=drop, to_person=child, kind=LinkKind.PARENT)

    def broken(dropped: Person, kept: Person) -> int:
        raise RuntimeError("boom")

    register_person_merge_hook("test.broken", broken)
    try:
        with pytest.raises(RuntimeError):
            person_merge(user=responsable, keep=keep, drop=drop, fields_from_drop=["phone"])
    finally:
        unregister_person_merge_hook("test.broken")
    assert Person.objects.filter(pk=drop.pk).exists()
    assert PersonLink.objects.get().from_person_id == drop.pk
    keep.refresh_from_db()
    assert keep.phone == ""


def test_duplicates_are_found_within_the_household_only(family: tuple[Person, Person, Person], responsable) -> None:
    keep, drop, _ = family
    _person(HouseholdFactory(), "Jean", "Dupont", birth_date=dt.date(1980, 3, 12))
    pairs = household_duplicate_people(responsable, keep.household)
    assert [(pair.keep.pk, pair.drop.pk, pair.same_birth_date) for pair in pairs] == [(keep.pk, drop.pk, False)]


def test_namesakes_elsewhere_do_not_hide_the_households_own_duplicate(
    family: tuple[Person, Person, Person], responsable
) -> None:
    keep, drop, _ = family
    for _ in range(MAX_CANDIDATES + 2):  # same name and birth date as each of them, in other files: they
        _person(HouseholdFactory(), "Jean", "Dupont", birth_date=dt.date(1980, 3, 12))  # rank first
        _person(HouseholdFactory(), "Jean", "Dupond", birth_date=dt.date(1980, 3, 21))  # commune-wide
    pairs = household_duplicate_people(responsable, keep.household)
    assert [(pair.keep.pk, pair.drop.pk) for pair in pairs] == [(keep.pk, drop.pk)]


def test_differences_list_the_fields_that_differ(family: tuple[Person, Person, Person]) -> None:
    keep, drop, _ = family
    differences = {d.name: (d.label, d.keep_display, d.drop_display) for d in person_differences(keep, drop)}
    assert differences == {
        "household_role": ("Place dans le ménage", "Demandeur", "Autre personne du foyer"),
        "last_name": ("Nom", "Dupont", "Dupond"),
        "birth_date": ("Date de naissance", "12/03/1980", "21/03/1980"),
        "occupation": ("Situation", keep.get_occupation_display(), drop.get_occupation_display()),
        "phone": ("Téléphone", "—", "06 11 22 33 44"),
    }


# --- Pages --------------------------------------------------------------------------------------


def logged_in(persona_name: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona_name))
    return client


def test_household_page_offers_the_person_merge_to_responsables_only(family: tuple[Person, Person, Person]) -> None:
    household = family[0].household
    detail = reverse("households:detail", args=[household.pk])
    merge_url = reverse("households:person_merge", args=[household.pk])
    assert merge_url in logged_in("responsable").get(detail).content.decode()
    social = logged_in("social")
    assert merge_url not in social.get(detail).content.decode()
    assert social.get(merge_url).status_code == 403
    assert logged_in("accueil").get(reverse("households:person_duplicates", args=[household.pk])).status_code == 403


def test_duplicates_block_links_to_the_comparison(family: tuple[Person, Person, Person]) -> None:
    keep, drop, _ = family
    url = reverse("households:person_duplicates", args=[keep.household.pk])
    block = logged_in("responsable").get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Fusionner ces personnes" in block
    assert f"?garder={keep.pk}&amp;retirer={drop.pk}" in block


def test_merge_flow_compare_confirm_then_back_to_the_household(family: tuple[Person, Person, Person]) -> None:
    keep, drop, child = family
    PersonLink.objects.create(from_person=drop, to_person=child, kind=LinkKind.PARENT)
    client = logged_in("responsable")
    url = reverse("households:person_merge", args=[keep.household.pk])
    compare = client.get(url, {"garder": keep.pk, "retirer": drop.pk}).content.decode()
    assert 'name="birth_date"' in compare and "21/03/1980 (personne en double)" in compare
    assert 'name="first_name"' not in compare  # same on both records: no choice
    choices = {
        "garder": keep.pk,
        "retirer": drop.pk,
        "household_role": "garder",
        "last_name": "garder",
        "birth_date": "retirer",
        "occupation": "garder",
        "phone": "retirer",
    }
    confirm = client.post(url, choices).content.decode()
    assert "Confirmer la fusion" in confirm and "21/03/1980 (personne en double)" in confirm
    assert Person.objects.filter(pk=drop.pk).exists()
    done = client.post(url, {**choices, "confirmer": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("households:detail", args=[keep.household.pk])
    assert not Person.objects.filter(pk=drop.pk).exists()
    keep.refresh_from_db()
    assert (keep.birth_date, keep.phone, keep.last_name) == (dt.date(1980, 3, 21), "06 11 22 33 44", "Dupont")
    assert PersonLink.objects.get().from_person_id == keep.pk
    page = client.get(done["Location"]).content.decode()
    assert "Les deux fiches ont été fusionnées en une seule : Jean Dupont (1 élément transféré)." in page


def test_pages_refuse_the_same_person_and_a_person_of_another_household(
    family: tuple[Person, Person, Person],
) -> None:
    keep, drop, _ = family
    elsewhere = _person(HouseholdFactory(), "Jean", "Dupont", birth_date=dt.date(1980, 3, 12))
    client = logged_in("responsable")
    url = reverse("households:person_merge", args=[keep.household.pk])
    same = client.get(url, {"garder": keep.pk, "retirer": keep.pk}).content.decode()
    assert "Choisissez deux personnes différentes." in same
    other = client.post(url, {"garder": keep.pk, "retirer": elsewhere.pk, "confirmer": "1"}).content.decode()
    assert "Sélectionnez un choix valide" in other
    assert Person.objects.filter(pk__in=[keep.pk, drop.pk, elsewhere.pk]).count() == 3
