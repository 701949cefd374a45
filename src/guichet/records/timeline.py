"""Timeline providers: documents added, and social notes (titles only, to those who may read them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from guichet.households.models import Household
from guichet.households.perms import can_view_households
from guichet.households.timeline import TimelineEvent, user_name
from guichet.records.enums import DocumentType
from guichet.records.models import Document
from guichet.records.perms import visible_notes


def document_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    if not can_view_households(user):
        return
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
        )


def note_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    """Titles only: the (encrypted) text is neither read nor decrypted here."""
    url = reverse("records:notes", kwargs={"household_id": household.pk})
    rows = visible_notes(user, household).values_list(
        "created_at", "is_sensitive", "author__first_name", "author__last_name", "author__username"
    )
    for created_at, is_sensitive, first_name, last_name, username in rows:
        yield TimelineEvent(
            when=created_at,
            kind="Note",
            title="Note sociale",
            detail="Sensible" if is_sensitive else "",
            url=url,
            actor=user_name(first_name, last_name, username),
        )
