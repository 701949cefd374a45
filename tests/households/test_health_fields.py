"""Disability (rate, RQTH, card) and pregnancy are health data: like the social situation, they are
seen and recorded only by those who follow households (social workers, responsables). The front desk
neither sees them (page, forms, API) nor changes them, and its edits keep what a social worker typed."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from guichet.households.models import Person
from guichet.households.services import PERSON_HEALTH_FIELDS, person_update
from tests.conftest import make_persona
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

FORM_NAMES = [f'name="{name}"' for name in PERSON_HEALTH_FIELDS]


@pytest.fixture
def person() -> Person:
    return PersonFactory(
        first_name="Inès", disability_rate=80, has_rqth=True, has_disability_card=True, is_pregnant=True
    )


def client_for(persona: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona))
    return client


def edit_url(person: Person) -> str:
    return reverse("households:person_edit", args=[person.household_id, person.pk])


def test_front_desk_forms_have_no_health_field(person: Person) -> None:
    client = client_for("accueil")
    for url in (edit_url(person), reverse("households:person_add", args=[person.household_id])):
        body = client.get(url).content.decode()
        assert 'name="first_name"' in body
        assert not any(name in body for name in FORM_NAMES), url
    assert not any(f'name="demandeur-{n}"' in client.get(reverse("households:create")).content.decode()
                   for n in PERSON_HEALTH_FIELDS)  # fmt: skip


def test_social_worker_forms_have_them(person: Person) -> None:
    body = client_for("social").get(edit_url(person)).content.decode()
    assert all(name in body for name in FORM_NAMES)


def test_front_desk_edit_keeps_the_health_data(person: Person) -> None:
    data = {"first_name": "Inès", "last_name": "Dupont", "birth_date": person.birth_date.strftime("%d/%m/%Y"),
            "sex": person.sex, "household_role": person.household_role, "occupation": person.occupation,
            "phone": "0235000001", "email": ""}  # fmt: skip
    response = client_for("accueil").post(edit_url(person), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.last_name, person.phone) == ("Dupont", "0235000001")
    assert (person.disability_rate, person.has_rqth, person.has_disability_card, person.is_pregnant) == (
        80, True, True, True,
    )  # fmt: skip


def test_the_service_refuses_health_data_from_the_front_desk(person: Person) -> None:
    with pytest.raises(PermissionDenied, match="réservés au suivi social"):
        person_update(user=make_persona("accueil"), person=person, values={"has_rqth": False})
    assert person_update(user=make_persona("social"), person=person, values={"has_rqth": False}) == ["has_rqth"]


def test_api_write_is_refused_in_french(person: Person) -> None:
    response = client_for("accueil").generic(
        "PATCH", f"/api/v1/personnes/{person.pk}", json.dumps({"taux_incapacite": 50}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Le handicap et la grossesse sont réservés au suivi social."
    person.refresh_from_db()
    assert person.disability_rate == 80
