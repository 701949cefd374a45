"""Documents and social notes in a browser: an upload through the form, a note written, axe-core on both pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from guichet.records.models import Document, Note
from tests.browser.axe import page_problems
from tests.browser.conftest import SampleCommune, log_in
from tests.conftest import make_persona
from tests.records.factories import PDF_BYTES, make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records_settings(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUICHET_NOTES_KEY = Fernet.generate_key().decode()
    return tmp_path


def test_upload_a_document_and_write_a_note(
    page: Page, live_server: Any, sample_commune: SampleCommune, records_settings: Path
) -> None:
    user = make_persona("social")
    household = sample_commune.dupont
    make_document(household, user, expires_on=timezone.localdate() - dt.timedelta(days=3), name="ancienne.pdf")
    log_in(page, live_server.url, user)
    failures = []

    page.goto(live_server.url + reverse("records:documents", kwargs={"household_id": household.pk}))
    failures += page_problems(page, "social-pieces")
    page.get_by_label("Type de pièce").select_option(label="Quittance de loyer")
    fake = records_settings / "quittance.pdf"
    fake.write_bytes(b"not a pdf")
    page.get_by_label("Fichier").set_input_files(str(fake))
    page.get_by_role("button", name="Ajouter la pièce").click()
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_label("Type de pièce").input_value() == "loyer"  # kept after the error
    failures += page_problems(page, "social-pieces-erreur")
    real = records_settings / "quittance-mars.pdf"
    real.write_bytes(PDF_BYTES)
    page.get_by_label("Fichier").set_input_files(str(real))
    page.get_by_role("button", name="Ajouter la pièce").click()
    page.get_by_text("Pièce ajoutée.").wait_for()
    assert Document.objects.filter(original_name="quittance-mars.pdf", type="loyer").exists()

    page.goto(live_server.url + reverse("records:notes", kwargs={"household_id": household.pk}))
    page.locator("#id_body").fill("Entretien : dossier FSL à compléter.")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("Note enregistrée.").wait_for()
    assert page.get_by_text("Entretien : dossier FSL à compléter.").is_visible()
    assert Note.objects.count() == 1
    failures += page_problems(page, "social-notes")
    assert failures == [], "\n".join(failures)
