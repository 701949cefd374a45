"""Editing the catalogue: a responsable adds a service and edits its fields (page, service, API);
the grids are never touched; every write is audited; only SETTINGS_MANAGE may."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.pricing.models import MunicipalService, TariffGrid
from guichet.pricing.services import municipal_service_create, municipal_service_update
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db

NEW_SERVICE = {
    "name": "Ludothèque",
    "kind": "autre",
    "unit": "trimestre",
    "description": "Prêt de jeux pour les familles.",
    "min_age": "3",
    "max_age": "17",
    "position": "12",
    "is_example": "",
}


def _client(persona: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona))
    return client


def _service_audit(action: str, service: MunicipalService) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_type="municipal_service", target_id=str(service.pk)))


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("responsable", 200), ("admin", 200), ("social", 403), ("accueil", 403), ("direction", 403), ("outsider", 403)],
)
def test_only_managers_open_the_service_forms(persona: str, status: int) -> None:
    client = _client(persona)
    assert client.get(reverse("pricing:service_create")).status_code == status
    assert client.get(reverse("pricing:service_edit", args=["restauration-scolaire"])).status_code == status
    response = client.post(reverse("pricing:service_create"), NEW_SERVICE)
    assert (response.status_code == 403) == (status == 403)
    assert MunicipalService.objects.filter(name="Ludothèque").exists() == (status == 200)


def test_create_a_service_then_it_is_in_the_catalogue_without_grid_and_audited() -> None:
    client = _client("responsable")
    response = client.post(reverse("pricing:service_create"), NEW_SERVICE)
    service = MunicipalService.objects.get(name="Ludothèque")
    assert response.status_code == 302 and response["Location"] == reverse("pricing:service", args=["ludotheque"])
    assert (service.slug, service.kind, service.unit, service.min_age, service.max_age, service.position) == (
        "ludotheque",
        "autre",
        "trimestre",
        3,
        17,
        12,
    )
    assert service.description == "Prêt de jeux pour les familles." and not service.is_example
    assert not service.grids.exists()
    [entry] = _service_audit("create", service)
    assert {"name", "kind", "unit", "min_age", "max_age", "position", "is_example", "slug"} <= set(entry.fields)
    page = client.get(response["Location"]).content.decode()
    assert "Ludothèque" in page and "Aucune grille en vigueur" in page
    assert reverse("pricing:service_edit", args=["ludotheque"]) in page
    catalogue = client.get(reverse("pricing:catalogue")).content.decode()
    assert "Ludothèque" in catalogue and reverse("pricing:service_create") in catalogue


def test_edit_a_service_changes_its_fields_keeps_its_address_and_its_grids() -> None:
    service = MunicipalService.objects.get(slug="restauration-scolaire")
    grids_before = list(TariffGrid.objects.filter(service=service).order_by("pk").values())
    before = {name: getattr(service, name) for name in ("name", "description", "max_age", "position")}
    client = _client("responsable")
    data = {
        "name": "Restauration scolaire",
        "kind": "cantine",
        "unit": "repas",
        "description": "Cantines des écoles maternelles et élémentaires.",
        "min_age": "3",
        "max_age": "10",
        "position": "1",
        "is_example": "on",
    }
    response = client.post(reverse("pricing:service_edit", args=[service.slug]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("pricing:service", args=["restauration-scolaire"])
    service.refresh_from_db()
    assert (service.name, service.description, service.max_age, service.slug) == (
        "Restauration scolaire",
        "Cantines des écoles maternelles et élémentaires.",
        10,
        "restauration-scolaire",
    )
    assert list(TariffGrid.objects.filter(service=service).order_by("pk").values()) == grids_before
    [entry] = _service_audit("update", service)
    typed = {"name": "Restauration scolaire", "description": data["description"], "max_age": 10, "position": 1}
    assert set(entry.fields) == {name for name, value in typed.items() if before[name] != value}
    assert {"name", "description", "max_age"} <= set(entry.fields)


def test_the_edit_form_starts_from_the_service() -> None:
    html = _client("responsable").get(reverse("pricing:service_edit", args=["creche"])).content.decode()
    service = MunicipalService.objects.get(slug="creche")
    assert f'value="{service.name}"' in html and f'value="{service.unit}"' in html
    assert 'value="creche" selected' in html


def test_errors_stay_on_the_form_with_what_was_typed() -> None:
    client = _client("responsable")
    data = {**NEW_SERVICE, "name": "Restauration scolaire (exemple)", "min_age": "12", "max_age": "6", "unit": ""}
    response = client.post(reverse("pricing:service_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le service n'a pas été enregistré." in html
    assert "L'âge maximum doit être supérieur ou égal à l'âge minimum." in unescape(html)
    assert "Prêt de jeux pour les familles." in html and 'value="12"' in html  # what was typed is kept
    assert not MunicipalService.objects.filter(unit="trimestre", name__startswith="Ludo").exists()


def test_a_name_already_used_is_refused_on_its_field() -> None:
    response = _client("responsable").post(
        reverse("pricing:service_create"), {**NEW_SERVICE, "name": "Crèche municipale (exemple)"}
    )
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert MunicipalService.objects.filter(name="Crèche municipale (exemple)").count() == 1


def test_unknown_service_edit_is_404() -> None:
    assert _client("responsable").get(reverse("pricing:service_edit", args=["inconnu"])).status_code == 404


def test_unchanged_form_writes_nothing() -> None:
    service = MunicipalService.objects.get(slug="teleassistance")
    html_form = {
        "name": service.name,
        "kind": service.kind,
        "unit": service.unit,
        "description": service.description,
        "min_age": "" if service.min_age is None else str(service.min_age),
        "max_age": "" if service.max_age is None else str(service.max_age),
        "position": str(service.position),
        "is_example": "on" if service.is_example else "",
    }
    response = _client("responsable").post(reverse("pricing:service_edit", args=[service.slug]), html_form)
    assert response.status_code == 302
    assert _service_audit("update", service) == []


# --- the services -------------------------------------------------------------------------------


def test_slugs_are_unique_and_stable() -> None:
    user = make_persona("responsable")
    first = municipal_service_create(user=user, values={"name": "Piscine", "kind": "autre", "unit": "entrée"})
    municipal_service_update(user=user, service=first, values={"name": "Piscine municipale"})
    second = municipal_service_create(user=user, values={"name": "Piscine", "kind": "autre", "unit": "entrée"})
    first.refresh_from_db()
    assert (first.slug, first.name, second.slug) == ("piscine", "Piscine municipale", "piscine-2")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "", "kind": "autre", "unit": "heure"}, "name"),
        ({"name": "Atelier", "kind": "inconnu", "unit": "heure"}, "kind"),
        ({"name": "Atelier", "kind": "autre", "unit": ""}, "unit"),
        ({"name": "Atelier", "kind": "autre", "unit": "heure", "min_age": 10, "max_age": 5}, "max_age"),
    ],
)
def test_service_validation_names_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        municipal_service_create(user=make_persona("responsable"), values=values)
    assert field in error.value.message_dict
    assert not MunicipalService.objects.filter(name="Atelier").exists()


@pytest.mark.parametrize("persona", ["social", "accueil", "direction", "outsider"])
def test_services_refuse_non_managers(persona: str) -> None:
    user = make_persona(persona)
    service = MunicipalService.objects.get(slug="creche")
    with pytest.raises(PermissionDenied):
        municipal_service_create(user=user, values={"name": "Atelier", "kind": "autre", "unit": "heure"})
    with pytest.raises(PermissionDenied):
        municipal_service_update(user=user, service=service, values={"name": "Crèche"})


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("responsable", 201), ("admin", 201), ("social", 403), ("accueil", 403), ("direction", 403), ("outsider", 403)],
)
def test_api_create(persona: str, status: int) -> None:
    payload = {"nom": "Ludothèque", "nature": "autre", "unite": "trimestre", "age_minimum": 3, "ordre": 12}
    response = _client(persona).post("/api/v1/services-municipaux", payload, content_type="application/json")
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert (body["slug"], body["nom"], body["age_minimum"], body["age_maximum"], body["ordre"]) == (
            "ludotheque",
            "Ludothèque",
            3,
            None,
            12,
        )
        assert body["grille_en_vigueur"] is None
        service = MunicipalService.objects.get(slug="ludotheque")
        [entry] = _service_audit("create", service)
        assert entry.channel == "api"


def test_api_create_errors_are_422_with_api_names() -> None:
    response = _client("responsable").post(
        "/api/v1/services-municipaux",
        {"nom": "Ludothèque", "nature": "autre", "age_minimum": 12, "age_maximum": 6},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = {error["champ"]: error["message"] for error in response.json()["errors"]}
    assert errors == {
        "body.unite": "Ce champ ne peut pas être vide.",
        "body.age_maximum": "L'âge maximum doit être supérieur ou égal à l'âge minimum.",
    }
    assert not MunicipalService.objects.filter(name="Ludothèque").exists()


def test_api_patch_changes_only_what_is_sent() -> None:
    service = MunicipalService.objects.get(slug="ecole-de-musique")
    before = (service.name, service.unit, service.min_age)
    response = _client("responsable").patch(
        f"/api/v1/services-municipaux/{service.slug}",
        {"description": "Cours individuels et collectifs.", "age_maximum": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Cours individuels et collectifs."
    assert response.json()["grille_en_vigueur"] is not None
    service.refresh_from_db()
    assert (service.name, service.unit, service.min_age) == before
    assert service.description == "Cours individuels et collectifs." and service.max_age is None
    [entry] = _service_audit("update", service)
    assert entry.channel == "api" and set(entry.fields) <= {"description", "max_age"}


@pytest.mark.parametrize(("persona", "status"), [("responsable", 404), ("social", 403), ("direction", 403)])
def test_api_patch_unknown_or_forbidden(persona: str, status: int) -> None:
    response = _client(persona).patch(
        "/api/v1/services-municipaux/inconnu", {"nom": "X"}, content_type="application/json"
    )
    assert response.status_code == status


def test_api_services_list_gives_the_position() -> None:
    response = _client("direction").get("/api/v1/services-municipaux")
    positions = [service["ordre"] for service in response.json()]
    assert positions == sorted(positions)
