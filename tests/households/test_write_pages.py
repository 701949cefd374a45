"""Pages that write the household file: intake, edits, people, links, resources, consents, merge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import Theme
from guichet.desk.services import request_create_public
from guichet.households.enums import ChargeKind, ConsentScope, HouseholdRole, LinkKind, ResourceKind
from guichet.households.models import Charge, Consent, Household, Person, PersonLink, Resource
from guichet.households.search import search_index_invalidate
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory
from tests.territory.factories import StreetQuartierFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "demandeur-first_name": "Amina",
    "demandeur-last_name": "Benali",
    "demandeur-birth_name": "",
    "demandeur-birth_date": "03/02/1988",
    "demandeur-sex": "F",
    "demandeur-occupation": "demandeur_emploi",
    "demandeur-phone": "0611223344",
    "demandeur-email": "",
    "adresse-number": "7",
    "adresse-street_name": "rue Gambetta",
    "adresse-complement": "",
    "adresse-postcode": "76800",
    "adresse-city": "Saint-Étienne-du-Rouvray",
    "menage-phone": "",
    "menage-email": "",
}


def logged_in(persona_name: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona_name))
    return client


def test_list_offers_new_household_only_to_those_who_edit() -> None:
    url = reverse("households:create")
    assert url in logged_in("accueil").get(reverse("households:list")).content.decode()
    assert logged_in("direction").get(url).status_code == 403


def test_intake_page_puts_the_applicant_first_with_autofocus() -> None:
    body = logged_in("accueil").get(reverse("households:create")).content.decode()
    first_input = body.index('name="demandeur-first_name"')
    assert "autofocus" in body[body.rfind("<input", 0, first_input) : body.index(">", first_input)]
    assert first_input < body.index('name="adresse-street_name"') < body.index('name="menage-phone"')
    assert 'name="menage-rent"' not in body  # the front desk does not see the social situation
    assert 'name="menage-rent"' in logged_in("social").get(reverse("households:create")).content.decode()


def test_intake_creates_the_household_with_quartier_and_audit() -> None:
    street = StreetQuartierFactory(street_name="Rue Gambetta")
    response = logged_in("accueil").post(reverse("households:create"), INTAKE)
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk])
    assert household.address.quartier == street.quartier
    person = household.people.get()
    assert (person.first_name, person.birth_date, person.household_role) == (
        "Amina",
        dt.date(1988, 2, 3),
        HouseholdRole.APPLICANT,
    )
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="household", target_id=household.pk).exists()


def test_intake_errors_keep_everything_typed() -> None:
    data = {**INTAKE, "demandeur-birth_date": "31/02/1988"}
    response = logged_in("accueil").post(reverse("households:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Date attendue au format jj/mm/aaaa." in body
    assert 'value="Benali"' in body and 'value="rue Gambetta"' in body and 'value="0611223344"' in body
    assert not Household.objects.exists()


def test_intake_shows_possible_duplicates_then_creates_anyway() -> None:
    existing = PersonFactory(first_name="Amina", last_name="Benalli", birth_date=dt.date(1988, 2, 3))
    search_index_invalidate()
    client = logged_in("accueil")
    response = client.post(reverse("households:create"), INTAKE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ces personnes existent peut-être déjà" in body
    assert reverse("households:detail", args=[existing.household_id]) in body
    assert "Créer quand même" in body and 'value="Benali"' in body
    assert Household.objects.count() == 1
    assert client.post(reverse("households:create"), {**INTAKE, "forcer": "1"}).status_code == 302
    assert Household.objects.count() == 2


def test_edit_household_and_its_people() -> None:
    person = PersonFactory(first_name="Noé", last_name="Petit")
    household = person.household
    client = logged_in("accueil")
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert reverse("households:edit", args=[household.pk]) in detail
    assert reverse("households:resources", args=[household.pk]) not in detail
    form = client.get(reverse("households:edit", args=[household.pk])).content.decode()
    assert 'value="rue de Paris"' in form
    response = client.post(
        reverse("households:edit", args=[household.pk]),
        {
            "adresse-street_name": "rue de Rouen",
            "adresse-postcode": "76800",
            "adresse-city": "Saint-Étienne-du-Rouvray",
            "menage-phone": "0235000000",
            "menage-email": "",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address.street_name == "rue de Rouen" and household.phone == "0235000000"
    edit_url = reverse("households:person_edit", args=[household.pk, person.pk])
    values = {
        "first_name": "Noé",
        "last_name": "Lefèvre",
        "birth_date": "17/05/1985",
        "sex": "M",
        "household_role": "demandeur",
        "occupation": "salarie",
    }
    assert client.post(edit_url, values).status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.sex, person.search_name) == ("Lefèvre", "M", "noe lefevre")
    add_url = reverse("households:person_add", args=[household.pk])
    child = {
        **values,
        "first_name": "Lina",
        "birth_date": "01/09/2016",
        "household_role": "enfant",
        "occupation": "scolaire",
    }
    assert client.post(add_url, child).status_code == 302
    lina = household.people.get(first_name="Lina")
    links_url = reverse("households:links", args=[household.pk])
    assert (
        client.post(links_url, {"from_person": person.pk, "kind": LinkKind.PARENT, "to_person": lina.pk}).status_code
        == 302
    )
    link = PersonLink.objects.get()
    assert client.post(links_url, {"retirer": link.pk}).status_code == 302
    assert not PersonLink.objects.exists()
    remove_url = reverse("households:person_remove", args=[household.pk, lina.pk])
    assert client.get(remove_url).status_code == 200
    assert client.post(remove_url).status_code == 302
    assert list(household.people.all()) == [person]
    last = client.post(reverse("households:person_remove", args=[household.pk, person.pk]))
    assert last.status_code == 200 and "au moins une personne" in last.content.decode()


def test_person_of_another_household_is_not_found() -> None:
    household = PersonFactory().household
    other = PersonFactory()
    client = logged_in("accueil")
    assert client.get(reverse("households:person_edit", args=[household.pk, other.pk])).status_code == 404


def test_resources_and_charges_page_is_for_social_workers() -> None:
    person = PersonFactory()
    household = person.household
    url = reverse("households:resources", args=[household.pk])
    assert logged_in("accueil").get(url).status_code == 403
    client = logged_in("social")
    month = timezone.localdate().replace(day=1)
    response = client.post(
        url,
        {
            "action": "ressource",
            "ressource-person": person.pk,
            "ressource-kind": ResourceKind.SALARY,
            "ressource-month": month.strftime("%m/%Y"),
            "ressource-amount": "1234.56",
        },
    )
    assert response.status_code == 302
    assert Resource.objects.get().amount == Decimal("1234.56")
    bad = client.post(
        url,
        {
            "action": "ressource",
            "ressource-kind": ResourceKind.RSA,
            "ressource-month": "13/2026",
            "ressource-amount": "-3",
        },
    )
    assert bad.status_code == 200 and "Mois attendu au format mm/aaaa." in bad.content.decode()
    assert (
        client.post(
            url, {"action": "charge", "charge-kind": ChargeKind.ENERGY, "charge-label": "EDF", "charge-amount": "80"}
        ).status_code
        == 302
    )
    charge = Charge.objects.get()
    edit = reverse("households:charge_edit", args=[household.pk, charge.pk])
    assert client.post(edit, {"kind": ChargeKind.ENERGY, "label": "EDF", "amount": "95.5"}).status_code == 302
    charge.refresh_from_db()
    assert charge.amount == Decimal("95.50")
    page = client.get(url).content.decode()
    assert "234,56 €" in page and "EDF" in page
    assert client.post(url, {"action": "supprimer-charge", "id": charge.pk}).status_code == 302
    assert client.post(url, {"action": "supprimer-ressource", "id": Resource.objects.get().pk}).status_code == 302
    assert not Charge.objects.exists() and not Resource.objects.exists()


def test_consents_page_records_and_withdraws() -> None:
    household = PersonFactory().household
    client = logged_in("accueil")
    url = reverse("households:consents", args=[household.pk])
    assert client.post(url, {"scope": ConsentScope.VULNERABLE_REGISTER, "given_on": "02/11/2026"}).status_code == 302
    consent = Consent.objects.get()
    assert consent.given_at.date() == dt.date(2026, 11, 2)
    assert client.post(url, {"retirer": consent.pk}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Retiré le" in client.get(url).content.decode()


def test_merge_flow_for_responsables() -> None:
    target = PersonFactory(first_name="Anne", last_name="Roux").household
    source = PersonFactory(first_name="Paul", last_name="Roux").household
    url = reverse("households:merge", args=[target.pk])
    assert logged_in("direction").get(url).status_code == 403
    refused = logged_in("social").post(url, {"source": source.reference, "confirmer": "1"}).content.decode()
    assert "Ce dossier contient des personnes : seuls les responsables peuvent le fusionner." in refused
    assert Person.objects.filter(household=source).count() == 1  # nothing moved
    client = logged_in("responsable")
    assert (
        reverse("households:merge", args=[target.pk])
        in client.get(reverse("households:detail", args=[target.pk])).content.decode()
    )
    unknown = client.post(url, {"source": "NOPE"})
    assert "Aucun dossier ne porte cette référence." in unknown.content.decode()
    compare = client.post(url, {"source": source.reference}).content.decode()
    assert "Paul Roux" in compare and "Anne Roux" in compare and "Confirmer la fusion" in compare
    assert Household.objects.filter(pk=source.pk).exists()
    done = client.post(url, {"source": source.reference, "confirmer": "1"})
    assert done.status_code == 302
    assert not Household.objects.filter(pk=source.pk).exists()
    assert set(Person.objects.filter(household=target).values_list("first_name", flat=True)) == {"Anne", "Paul"}


def test_write_pages_of_a_confidential_household_need_the_glass_broken() -> None:
    household = PersonFactory(household=HouseholdFactory(confidential=True)).household
    response = logged_in("accueil").get(reverse("households:edit", args=[household.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])


def test_detail_shows_links_to_all_and_charges_to_social_workers() -> None:
    parent = PersonFactory(first_name="Inès", last_name="Morel")
    child = PersonFactory(household=parent.household, first_name="Hugo", last_name="Morel", household_role="enfant")
    PersonLink.objects.create(from_person=parent, to_person=child, kind=LinkKind.PARENT)
    Charge.objects.create(household=parent.household, kind=ChargeKind.WATER, amount=Decimal("32.40"))
    url = reverse("households:detail", args=[parent.household_id])
    front_desk = logged_in("accueil").get(url).content.decode()
    assert "Inès Morel — parent de — Hugo Morel" in front_desk
    assert "32,40" not in front_desk
    assert "32,40" in logged_in("social").get(url).content.decode()


def test_front_desk_attaches_a_file_made_online_to_the_existing_one() -> None:
    """A request made online creates a file without any person; the agent who calls back finds the
    person's existing file and attaches the online one to it: its request and history follow."""
    target = PersonFactory(first_name="Anne", last_name="Roux").household
    online = request_create_public(
        theme=Theme.FOOD_AID, summary="Demande en ligne d'Anne Roux", details="Message", phone="0235000000"
    )
    source = online.household
    client = logged_in("accueil")
    empty_page = client.get(reverse("households:detail", args=[source.pk])).content.decode()
    assert "Aucune personne dans ce dossier" in empty_page and source.reference in empty_page
    target_page = client.get(reverse("households:detail", args=[target.pk])).content.decode()
    assert "Rattacher une demande en ligne" in target_page and ">Fusionner<" not in target_page
    url = reverse("households:merge", args=[target.pk])
    compare = client.post(url, {"source": source.reference}).content.decode()
    assert "Rattacher une demande en ligne au ménage" in compare and "Confirmer la fusion" in compare
    assert client.post(url, {"source": source.reference, "confirmer": "1"}).status_code == 302
    assert not Household.objects.filter(pk=source.pk).exists()
    online.refresh_from_db()
    assert online.household_id == target.pk
    history = client.get(reverse("households:detail", args=[target.pk])).content.decode()
    assert "Demande n° " + str(online.pk) in history  # on the timeline of the file it joined
    assert AuditEntry.objects.filter(action=Action.DELETE, target_type="household", target_id=str(source.pk)).exists()
