"""Confidential social notes: who reads them, sensitive notes, encryption at rest, key rotation, timeline."""

from __future__ import annotations

import io
import re

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from guichet.accounts.enums import Role
from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households.services import household_break_glass
from guichet.households.timeline import TimelineEvent, household_timeline
from guichet.records.crypto import NotesKeyMissing, decrypt_text, demo_key
from guichet.records.models import Note
from guichet.records.services import note_list, notes_rotate_key
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, UserFactory
from tests.records.factories import make_note

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Violences conjugales signalées, ne pas contacter le conjoint"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def notes_url(household_id: int) -> str:
    return reverse("records:notes", kwargs={"household_id": household_id})


def raw_body(note: Note) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body_encrypted FROM {Note._meta.db_table} WHERE id = %s", [note.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [("social", 200), ("responsable", 200), ("accueil", 403), ("direction", 403), ("admin", 403), ("outsider", 403)],
)
def test_notes_page_per_persona(persona_name: str, status: int) -> None:
    household = HouseholdFactory()
    make_note(household, UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL]), body=SECRET_TEXT)
    response = client_for(make_persona(persona_name)).get(notes_url(household.pk))
    assert response.status_code == status
    assert (SECRET_TEXT in response.content.decode()) is (status == 200)


def test_note_services_refuse_the_front_desk(accueil: User) -> None:
    household = HouseholdFactory()
    with pytest.raises(PermissionDenied):
        make_note(household, accueil)
    with pytest.raises(PermissionDenied):
        note_list(user=accueil, household_id=household.pk)


def test_write_note_through_the_page_is_audited(social: User) -> None:
    household = HouseholdFactory()
    response = client_for(social).post(notes_url(household.pk), {"body": SECRET_TEXT})
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.author == social and not note.is_sensitive
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="note", target_id=str(note.pk)).exists()
    client_for(social).get(notes_url(household.pk))
    assert AuditEntry.objects.filter(
        action=Action.READ, target_type="household_notes", target_id=str(household.pk), actor=social
    ).exists()


def test_empty_note_is_refused_in_french(social: User) -> None:
    household = HouseholdFactory()
    response = client_for(social).post(notes_url(household.pk), {"body": "   ", "is_sensitive": "on"})
    assert response.status_code == 400
    assert "La note est vide." in response.content.decode()
    assert re.search(r'<input type="checkbox" name="is_sensitive"[^>]* checked>', response.content.decode())
    assert not Note.objects.exists()


def test_body_is_encrypted_at_rest(social: User) -> None:
    note = make_note(HouseholdFactory(), social, body=SECRET_TEXT)
    stored = raw_body(note)
    assert SECRET_TEXT not in stored and "Violences" not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert decrypt_text(stored) == SECRET_TEXT


def test_sensitive_note_only_for_author_and_responsables() -> None:
    household = HouseholdFactory()
    author = make_persona("social")
    make_note(household, author, body=SECRET_TEXT, is_sensitive=True)
    make_note(household, author, body="Note ordinaire")
    colleague = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    for reader, sees_sensitive in ((author, True), (make_persona("responsable"), True), (colleague, False)):
        _, notes = note_list(user=reader, household_id=household.pk)
        bodies = {note.body for note in notes}
        assert "Note ordinaire" in bodies
        assert (SECRET_TEXT in bodies) is sees_sensitive


def test_confidential_household_notes_need_referent_or_break_glass() -> None:
    household = HouseholdFactory(confidential=True)
    make_note(household, make_persona("responsable"), body=SECRET_TEXT)
    social = make_persona("social")
    client = client_for(social)
    response = client.get(notes_url(household.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", kwargs={"pk": household.pk})
    household_break_glass(user=social, household=household, reason="Appel du 115, situation de mise à l'abri")
    assert SECRET_TEXT in client.get(notes_url(household.pk)).content.decode()
    referent = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    household.referents.add(referent)
    assert client_for(referent).get(notes_url(household.pk)).status_code == 200


def test_key_rotation_keeps_old_notes_readable(social: User, settings: object) -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GUICHET_NOTES_KEY = old_key  # type: ignore[attr-defined]
    note = make_note(HouseholdFactory(), social, body=SECRET_TEXT)
    settings.GUICHET_NOTES_KEY = new_key  # type: ignore[attr-defined]
    assert decrypt_text(raw_body(note)).startswith("[Note illisible")
    settings.GUICHET_NOTES_OLD_KEYS = [old_key]  # type: ignore[attr-defined]
    assert decrypt_text(raw_body(note)) == SECRET_TEXT
    assert notes_rotate_key() == 1
    settings.GUICHET_NOTES_OLD_KEYS = []  # type: ignore[attr-defined]
    assert decrypt_text(raw_body(note)) == SECRET_TEXT
    assert Fernet(new_key.encode()).decrypt(raw_body(note).encode()).decode() == SECRET_TEXT


def test_debug_uses_a_stable_demo_key_derived_from_secret_key(social: User, settings: object) -> None:
    settings.GUICHET_NOTES_KEY = ""  # type: ignore[attr-defined]
    settings.DEBUG = True  # type: ignore[attr-defined]
    note = make_note(HouseholdFactory(), social, body=SECRET_TEXT)
    assert Fernet(demo_key()).decrypt(raw_body(note).encode()).decode() == SECRET_TEXT


def test_production_refuses_to_write_notes_without_a_key(social: User, settings: object) -> None:
    settings.GUICHET_NOTES_KEY = ""  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    household = HouseholdFactory()
    with pytest.raises(NotesKeyMissing):
        make_note(household, social)
    response = client_for(social).post(notes_url(household.pk), {"body": SECRET_TEXT})
    assert response.status_code == 400
    assert "clé de chiffrement absente" in response.content.decode()
    assert not Note.objects.exists()


def test_invalid_key_is_a_configuration_error(social: User, settings: object) -> None:
    settings.GUICHET_NOTES_KEY = "not-a-key"  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="not a valid Fernet key"):
        make_note(HouseholdFactory(), social)


def test_timeline_shows_note_titles_only_to_readers() -> None:
    household = HouseholdFactory()
    author = make_persona("social")
    make_note(household, author, body=SECRET_TEXT)
    make_note(household, author, body="Autre", is_sensitive=True)

    def note_events(user: User, household: object) -> list[TimelineEvent]:  # as the stored timeline shows them
        return [event for event in household_timeline(user, household) if event.kind == "Note"]

    events = note_events(author, household)
    assert [(e.title, e.detail) for e in events] == [("Note sociale", "Sensible"), ("Note sociale", "")]
    assert all(SECRET_TEXT not in f"{e.title} {e.detail}" and e.url == notes_url(household.pk) for e in events)
    assert len(note_events(UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL]), household)) == 1
    assert len(note_events(make_persona("responsable"), household)) == 2
    for name in ("accueil", "direction", "admin", "outsider"):
        assert note_events(make_persona(name), household) == []


def test_rotate_notes_key_command(social: User, settings: object) -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GUICHET_NOTES_KEY = old_key  # type: ignore[attr-defined]
    note = make_note(HouseholdFactory(), social, body=SECRET_TEXT)
    settings.GUICHET_NOTES_KEY = new_key  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="Aucune note n'a été modifiée"):
        call_command("rotate_notes_key", stdout=io.StringIO())
    settings.GUICHET_NOTES_OLD_KEYS = [old_key]  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("rotate_notes_key", stdout=out)
    assert "1 note(s)" in out.getvalue()
    assert Fernet(new_key.encode()).decrypt(raw_body(note).encode()).decode() == SECRET_TEXT
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_type="note")
    assert entry.channel == "cli" and entry.fields == ["body_encrypted"]
