"""Timeline providers: documents added, and social notes (titles only, to those who may read them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from guichet.households.models import Household
from guichet.households.timeline import HOUSEHOLD_VIEWERS, TimelineEvent, user_name
from guichet.records.enums import DocumentType
from guichet.records.models import Document, Note
from guichet.records.perms import can_read_notes, can_read_sensitive_notes

NOTE_READERS = "records.notes"
"""The audience of a note's event: ``records.notes`` for an ordinary note, ``records.notes:<author id>``
for a sensitive one (the rules of ``records.perms.visible_notes``)."""


def document_events(household: Household) -> Iterable[TimelineEvent]:
    types = dict(DocumentType.choices)
    url = reverse("records:documents", kwargs={"household_id": household.pk})
    rows = Document.objects.filter(household=household, deleted_at__isnull=True).values_list(
        "uploaded_at", "type", "uploaded_by__first_name", "uploaded_by__last_name", "uploaded_by__username"
    )
    for uploaded_at, document_type, first_name, last_name, username in rows:
        yield TimelineEvent(
            when=uploaded_at,
            kind="Pièce",
            title="Pièce ajoutée",
            detail=types.get(document_type, document_type),
            url=url,
            actor=user_name(first_name, last_name, username),
            audience=HOUSEHOLD_VIEWERS,
        )


def note_events(household: Household) -> Iterable[TimelineEvent]:
    """Titles only: the (encrypted) text is neither read nor decrypted here."""
    url = reverse("records:notes", kwargs={"household_id": household.pk})
    rows = Note.objects.filter(household=household).values_list(
        "created_at", "is_sensitive", "author_id", "author__first_name", "author__last_name", "author__username"
    )
    for created_at, is_sensitive, author_id, first_name, last_name, username in rows:
        yield TimelineEvent(
            when=created_at,
            kind="Note",
            title="Note sociale",
            detail="Sensible" if is_sensitive else "",
            url=url,
            actor=user_name(first_name, last_name, username),
            audience=f"{NOTE_READERS}:{author_id or 0}" if is_sensitive else NOTE_READERS,
        )


def may_read_note(user: Any, author: str) -> bool:
    """``author``: empty for an ordinary note, the author's id for a sensitive one."""
    if not can_read_notes(user):
        return False
    return not author or can_read_sensitive_notes(user) or str(user.pk) == author
