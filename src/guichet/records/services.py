"""Writes and audited reads on documents and social notes; every one applies the policy and is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.models import Household, Person
from guichet.households.perms import get_household_for_user
from guichet.records.crypto import decrypt_text, encrypt_text, rotate_token
from guichet.records.enums import DocumentType
from guichet.records.models import Document, Note
from guichet.records.perms import (
    can_edit_documents,
    get_document_for_user,
    get_household_notes_for_user,
    visible_notes,
)
from guichet.records.selectors import DocumentRow, household_documents
from guichet.records.uploads import check_upload, clean_filename, sha256_of

NOTE_MAX_LENGTH = 20_000


def _require_edit(user: Any) -> None:
    if not can_edit_documents(user):
        raise PermissionDenied("Vous ne pouvez pas ajouter ni supprimer de pièces.")


@transaction.atomic
def document_upload(
    *,
    user: Any,
    household_id: int,
    document_type: str,
    upload: UploadedFile,
    person_id: int | None = None,
    expires_on: dt.date | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Document:
    """Store ``upload`` (size and content checked) as a document of the household."""
    _require_edit(user)
    household = get_household_for_user(user, household_id)
    if document_type not in DocumentType.values:
        raise ValidationError("Type de pièce inconnu.", code="type")
    person: Person | None = None
    if person_id is not None:
        person = household.people.filter(pk=person_id).first()
        if person is None:
            raise ValidationError("Cette personne ne fait pas partie du ménage.", code="person")
    content_type = check_upload(upload, max_bytes=settings.GUICHET_DOCUMENT_MAX_BYTES)
    original_name = clean_filename(upload.name or "")
    document = Document(
        household=household,
        person=person,
        type=document_type,
        original_name=original_name,
        size=upload.size or 0,
        content_type=content_type,
        sha256=sha256_of(upload),
        uploaded_by=user,
        uploaded_at=timezone.now(),
        expires_on=expires_on,
    )
    document.file.save(original_name, upload, save=False)
    try:
        document.save()
        audit_record(
            actor=user,
            action=Action.CREATE,
            target_type="document",
            target_id=document.pk,
            fields=["type", "file", "person", "expires_on"],
            request=request,
            channel=channel,
        )
    except Exception:
        document.file.delete(save=False)  # no orphan file when the row is not written
        raise
    return document


@transaction.atomic
def documents_open(
    *, user: Any, household_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> tuple[Household, list[DocumentRow]]:
    """The household and its live documents for ``user`` after the policy check; the read is audited."""
    household = get_household_for_user(user, household_id)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household_documents",
        target_id=household.pk,
        fields=["documents"],
        request=request,
        channel=channel,
    )
    return household, household_documents(household)


@transaction.atomic
def document_download(
    *, user: Any, document_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> Document:
    """The document ``document_id`` for ``user`` after the policy check; the read is audited."""
    document = get_document_for_user(user, document_id)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="document",
        target_id=document.pk,
        fields=["file"],
        request=request,
        channel=channel,
    )
    return document


@transaction.atomic
def document_delete(
    *, user: Any, document_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> Document:
    """Soft delete: the document leaves the file (the stored file is kept for the retention purge)."""
    _require_edit(user)
    document = get_document_for_user(user, document_id)
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])
    audit_record(
        actor=user,
        action=Action.DELETE,
        target_type="document",
        target_id=document.pk,
        fields=["deleted_at"],
        request=request,
        channel=channel,
    )
    return document


@dataclass(frozen=True)
class NoteView:
    """A note as shown to a reader: the decrypted body, never stored in clear."""

    pk: int
    author: str
    created_at: dt.datetime
    is_sensitive: bool
    body: str


@transaction.atomic
def note_create(
    *,
    user: Any,
    household_id: int,
    body: str,
    is_sensitive: bool = False,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Note:
    household = get_household_notes_for_user(user, household_id)
    body = body.strip()
    if not body:
        raise ValidationError("La note est vide.", code="empty")
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(f"La note dépasse {NOTE_MAX_LENGTH} caractères.", code="too_long")
    note = Note.objects.create(
        household=household,
        author=user,
        created_at=timezone.now(),
        body_encrypted=encrypt_text(body),
        is_sensitive=is_sensitive,
    )
    audit_record(
        actor=user,
        action=Action.CREATE,
        target_type="note",
        target_id=note.pk,
        fields=["body", "is_sensitive"],
        request=request,
        channel=channel,
    )
    return note


@transaction.atomic
def note_list(
    *, user: Any, household_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> tuple[Household, list[NoteView]]:
    """The notes of the household that ``user`` may read, decrypted; the read is audited."""
    household = get_household_notes_for_user(user, household_id)
    notes = [
        NoteView(
            pk=note.pk,
            author=note.author.get_full_name() or note.author.get_username(),
            created_at=note.created_at,
            is_sensitive=note.is_sensitive,
            body=decrypt_text(note.body_encrypted),
        )
        for note in visible_notes(user, household)
    ]
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household_notes",
        target_id=household.pk,
        fields=["notes"],
        request=request,
        channel=channel,
    )
    return household, notes


@transaction.atomic
def notes_rotate_key(*, channel: str = "cli") -> int:
    """Re-encrypt every note with the current key (after a rotation); all or nothing. Returns the count."""
    count = 0
    for note in Note.objects.select_for_update().only("pk", "body_encrypted").order_by("pk"):
        note.body_encrypted = rotate_token(note.body_encrypted)
        note.save(update_fields=["body_encrypted"])
        count += 1
    audit_record(
        actor=None,
        action=Action.UPDATE,
        target_type="note",
        target_id="*",
        fields=["body_encrypted"],
        reason=f"Rotation de la clé de chiffrement des notes ({count} notes)",
        channel=channel,
    )
    return count
