"""API of documents and notes: same policy and audit as the pages, problem details in French."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from guichet.accounts.enums import Role
from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.records.models import Document, Note
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory, UserFactory
from tests.records.factories import PDF_BYTES, make_document, make_note, read_body

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona_name", "documents", "notes"),
    [
        ("accueil", 200, 403),
        ("social", 200, 200),
        ("responsable", 200, 200),
        ("direction", 403, 403),
        ("admin", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_reads_per_persona(persona_name: str, documents: int, notes: int) -> None:
    household = HouseholdFactory()
    author = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    document = make_document(household, author)
    make_note(household, author, body="Entretien du 3 mars")
    client = client_for(make_persona(persona_name))
    assert client.get(f"/api/v1/menages/{household.pk}/pieces").status_code == documents
    download = client.get(f"/api/v1/pieces/{document.pk}/fichier")
    read_body(download)
    assert download.status_code == documents
    response = client.get(f"/api/v1/menages/{household.pk}/notes")
    assert response.status_code == notes
    if notes == 403:
        assert response["Content-Type"] == "application/problem+json"
        assert "Entretien" not in response.content.decode()


def test_anonymous_gets_401() -> None:
    household = HouseholdFactory()
    assert Client().get(f"/api/v1/menages/{household.pk}/pieces").status_code == 401
    assert Client().get(f"/api/v1/menages/{household.pk}/notes").status_code == 401


def test_list_documents(accueil: User) -> None:
    household = HouseholdFactory()
    document = make_document(household, accueil)
    response = client_for(accueil).get(f"/api/v1/menages/{household.pk}/pieces")
    (item,) = response.json()
    assert item["id"] == document.pk
    assert item["type"] == "imposition" and item["type_libelle"] == "Avis d'imposition"
    assert item["nom_fichier"] == "avis 2025.pdf" and item["taille"] == len(PDF_BYTES)
    assert item["expiration"] == "valid"
    assert item["url_fichier"] == f"/api/v1/pieces/{document.pk}/fichier"
    assert AuditEntry.objects.filter(action=Action.READ, target_type="household_documents", channel="api").exists()


def test_upload_and_download(accueil: User) -> None:
    household = HouseholdFactory()
    person = PersonFactory(household=household)
    client = client_for(accueil)
    response = client.post(
        f"/api/v1/menages/{household.pk}/pieces",
        {
            "type": "rib",
            "personne_id": person.pk,
            "date_expiration": "2030-12-31",
            "fichier": SimpleUploadedFile("rib.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "rib" and body["personne_id"] == person.pk and body["date_expiration"] == "2030-12-31"
    download = client.get(body["url_fichier"])
    assert read_body(download) == PDF_BYTES
    assert download["Content-Disposition"] == 'attachment; filename="rib.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(
        action=Action.READ, target_type="document", target_id=str(body["id"]), channel="api"
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "rib"}, "Joignez le fichier"),
        ({"type": "rib", "fichier": SimpleUploadedFile("faux.pdf", b"GIF89a...")}, "PDF, JPEG ou PNG"),
        ({"type": "inconnu", "fichier": SimpleUploadedFile("a.pdf", PDF_BYTES)}, "Type de pièce inconnu"),
    ],
)
def test_upload_errors_are_problem_details(accueil: User, data: dict[str, object], message: str) -> None:
    household = HouseholdFactory()
    response = client_for(accueil).post(f"/api/v1/menages/{household.pk}/pieces", data)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.json()["title"]
    assert not Document.objects.exists()


def test_notes_write_and_read(social: User) -> None:
    household = HouseholdFactory()
    client = client_for(social)
    response = client.post(
        f"/api/v1/menages/{household.pk}/notes",
        {"texte": "Dossier FSL déposé", "sensible": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["texte"] == "Dossier FSL déposé" and response.json()["sensible"] is True
    assert Note.objects.get().is_sensitive
    (note,) = client.get(f"/api/v1/menages/{household.pk}/notes").json()
    assert note["texte"] == "Dossier FSL déposé"
    assert AuditEntry.objects.filter(action=Action.READ, target_type="household_notes", channel="api").exists()


def test_empty_note_is_422(social: User) -> None:
    household = HouseholdFactory()
    response = client_for(social).post(
        f"/api/v1/menages/{household.pk}/notes", {"texte": " "}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["title"] == "La note est vide."


def test_confidential_household_needs_break_glass_first(social: User) -> None:
    household = HouseholdFactory(confidential=True)
    client = client_for(social)
    response = client.get(f"/api/v1/menages/{household.pk}/notes")
    assert response.status_code == 403
    assert "X-Motif-Acces" in response.json()["detail"]
    opened = client.get(
        f"/api/v1/menages/{household.pk}", headers={"X-Motif-Acces": "Appel du bailleur, expulsion imminente"}
    )
    assert opened.status_code == 200
    assert client.get(f"/api/v1/menages/{household.pk}/notes").status_code == 200
    assert client.get(f"/api/v1/menages/{household.pk}/pieces").status_code == 200


def test_missing_objects_are_404(social: User) -> None:
    client = client_for(social)
    assert client.get("/api/v1/menages/999999/pieces").status_code == 404
    assert client.get("/api/v1/pieces/999999/fichier").status_code == 404
    assert client.get("/api/v1/menages/999999/notes").status_code == 404
