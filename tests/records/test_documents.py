"""Documents pages: who sees them, upload validation, download headers and audit, soft delete, timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.enums import Role
from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households import timeline
from guichet.households.services import household_break_glass
from guichet.households.timeline import TimelineEvent, household_timeline
from guichet.records.enums import DocumentType
from guichet.records.models import Document
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory, UserFactory
from tests.records.factories import PDF_BYTES, make_document, read_body

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def documents_url(household_id: int) -> str:
    return reverse("records:documents", kwargs={"household_id": household_id})


def file_url(document: Document) -> str:
    return reverse("records:document_file", kwargs={"document_id": document.pk})


def get_status(client: Client, url: str) -> int:
    """GET ``url`` and read the (possibly streamed) response, so no file handle is left open."""
    response = client.get(url)
    read_body(response)
    return int(response.status_code)


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [("accueil", 200), ("social", 200), ("responsable", 200), ("direction", 403), ("admin", 403), ("outsider", 403)],
)
def test_documents_page_and_download_per_persona(persona_name: str, status: int) -> None:
    household = HouseholdFactory()
    document = make_document(household, UserFactory(roles=[Role.ACCUEIL]))
    client = client_for(make_persona(persona_name))
    page = client.get(documents_url(household.pk))
    assert page.status_code == status
    assert get_status(client, file_url(document)) == status
    if status == 200:
        assert "avis 2025.pdf" in page.content.decode()


def test_anonymous_goes_to_login() -> None:
    household = HouseholdFactory()
    response = Client().get(documents_url(household.pk))
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_missing_household_or_document_is_404(accueil: User) -> None:
    client = client_for(accueil)
    assert client.get(documents_url(999999)).status_code == 404
    assert client.get(reverse("records:document_file", kwargs={"document_id": 999999})).status_code == 404


def test_upload_stores_file_under_random_name_and_audits(accueil: User, _media_root: Path) -> None:
    household = HouseholdFactory()
    person = PersonFactory(household=household)
    response = client_for(accueil).post(
        documents_url(household.pk),
        {
            "type": DocumentType.IDENTITY,
            "person": person.pk,
            "expires_on": "2030-01-31",
            "file": SimpleUploadedFile("carte identité.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.type, document.person, document.expires_on) == (
        DocumentType.IDENTITY,
        person,
        dt.date(2030, 1, 31),
    )
    assert document.original_name == "carte identité.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.uploaded_by == accueil
    stored = Path(document.file.path)
    assert stored.parent == _media_root / "documents"
    assert len(stored.name) == 32 and "." not in stored.name
    assert stored.read_bytes() == PDF_BYTES
    entry = AuditEntry.objects.get(action=Action.CREATE, target_type="document")
    assert entry.target_id == str(document.pk) and entry.actor == accueil


def test_fake_pdf_is_refused_and_other_fields_are_kept(accueil: User, _media_root: Path) -> None:
    household = HouseholdFactory()
    response = client_for(accueil).post(
        documents_url(household.pk),
        {
            "type": DocumentType.PAYSLIP,
            "expires_on": "2031-05-04",
            "file": SimpleUploadedFile("bulletin.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "n'est pas celui d'un fichier PDF, JPEG ou PNG valide" in unescape(body)
    assert 'value="salaire" selected' in body
    assert 'value="2031-05-04"' in body
    assert not Document.objects.exists()
    assert not (_media_root / "documents").exists() or not any((_media_root / "documents").iterdir())


def test_size_limit_comes_from_settings_and_stops_the_upload(accueil: User, settings: object) -> None:
    settings.GUICHET_DOCUMENT_MAX_BYTES = 1024  # type: ignore[attr-defined]
    household = HouseholdFactory()
    response = client_for(accueil).post(
        documents_url(household.pk),
        {"type": DocumentType.OTHER, "file": SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * 4096)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Le fichier dépasse la taille maximale de 1 ko." in body
    assert 'value="autre" selected' in body
    assert not Document.objects.exists()


def test_upload_just_under_the_limit_passes_the_handler(accueil: User, settings: object) -> None:
    settings.GUICHET_DOCUMENT_MAX_BYTES = len(PDF_BYTES)  # type: ignore[attr-defined]
    household = HouseholdFactory()
    response = client_for(accueil).post(
        documents_url(household.pk), {"type": DocumentType.OTHER, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    assert Document.objects.get().size == len(PDF_BYTES)


def test_upload_without_csrf_token_is_refused(accueil: User) -> None:
    household = HouseholdFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(accueil)
    response = client.post(
        documents_url(household.pk), {"type": DocumentType.OTHER, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_person_of_another_household_is_refused(accueil: User) -> None:
    household = HouseholdFactory()
    stranger = PersonFactory()
    response = client_for(accueil).post(
        documents_url(household.pk),
        {"type": DocumentType.OTHER, "person": stranger.pk, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_download_headers_and_audit(social: User) -> None:
    household = HouseholdFactory()
    document = make_document(household, social, name="avis d'impôt 2025.pdf")
    response = client_for(social).get(file_url(document))
    assert response.status_code == 200
    assert read_body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''avis%20d%27imp%C3%B4t%202025.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=Action.READ, target_type="document")
    assert entry.target_id == str(document.pk) and entry.actor == social and entry.channel == "web"


def test_no_public_media_url(accueil: User, settings: object) -> None:
    document = make_document(HouseholdFactory(), accueil)
    assert settings.MEDIA_URL in ("", "/")  # type: ignore[attr-defined]
    assert client_for(accueil).get("/media/" + document.file.name).status_code == 404
    assert client_for(accueil).get("/" + document.file.name).status_code == 404


def test_confidential_household_needs_referent_responsable_or_break_glass() -> None:
    household = HouseholdFactory(confidential=True)
    author = make_persona("responsable")
    document = make_document(household, author)
    accueil = make_persona("accueil")
    client = client_for(accueil)
    for url in (documents_url(household.pk), file_url(document)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("households:break_glass", kwargs={"pk": household.pk})
    assert get_status(client_for(author), file_url(document)) == 200
    household_break_glass(user=accueil, household=household, reason="Demande urgente de la famille au guichet")
    assert get_status(client, file_url(document)) == 200
    referent = make_persona("social")
    household.referents.add(referent)
    assert client_for(referent).get(documents_url(household.pk)).status_code == 200


def test_soft_delete_is_audited_and_hides_the_document(accueil: User) -> None:
    household = HouseholdFactory()
    document = make_document(household, accueil)
    client = client_for(accueil)
    delete_url = reverse("records:document_delete", kwargs={"document_id": document.pk})
    assert client.get(delete_url).status_code == 405
    response = client.post(delete_url)
    assert response.status_code == 302 and response["Location"] == documents_url(household.pk)
    document.refresh_from_db()
    assert document.deleted_at is not None
    assert Path(document.file.path).exists()  # kept on disk for the retention purge
    assert AuditEntry.objects.filter(action=Action.DELETE, target_type="document", target_id=str(document.pk)).exists()
    assert client.get(file_url(document)).status_code == 404
    assert "avis 2025.pdf" not in client.get(documents_url(household.pk)).content.decode()


def test_delete_is_refused_to_direction(direction: User) -> None:
    document = make_document(HouseholdFactory(), make_persona("accueil"))
    response = client_for(direction).post(reverse("records:document_delete", kwargs={"document_id": document.pk}))
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.deleted_at is None


def test_expiry_warnings(accueil: User) -> None:
    household = HouseholdFactory()
    today = timezone.localdate()
    make_document(household, accueil, expires_on=today - dt.timedelta(days=1), name="expiree.pdf")
    make_document(household, accueil, expires_on=today + dt.timedelta(days=30), name="bientot.pdf")
    make_document(household, accueil, expires_on=today + dt.timedelta(days=31), name="valide.pdf")
    body = client_for(accueil).get(documents_url(household.pk)).content.decode()
    assert body.count("Expirée</span>") == 1
    assert body.count("Expire bientôt</span>") == 1


def test_list_read_is_audited(accueil: User) -> None:
    household = HouseholdFactory()
    client_for(accueil).get(documents_url(household.pk))
    assert AuditEntry.objects.filter(
        action=Action.READ, target_type="household_documents", target_id=str(household.pk)
    ).exists()


def test_timeline_shows_document_added(accueil: User, direction: User) -> None:
    household = HouseholdFactory()
    make_document(household, accueil)

    def document_events(user: User) -> list[TimelineEvent]:  # as the stored timeline shows them
        return [event for event in household_timeline(user, household) if event.kind == "Pièce"]

    (event,) = document_events(accueil)
    assert (event.kind, event.title, event.detail) == ("Pièce", "Pièce ajoutée", "Avis d'imposition")
    assert event.url == documents_url(household.pk)
    assert document_events(direction) == []


def test_providers_are_registered() -> None:
    assert {"records.documents", "records.notes"} <= set(timeline._providers)
