"""Timeline providers: documents added, and social notes (titles only, to those who may read them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from guichet.households.models import Household
from guichet.households.perms import can_view_households
from guichet.households.timeline import TimelineEvent
from guichet.records.models import Document
from guichet.records.perms import visible_notes


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def document_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    if not can_view_households(user):
        return
    url = reverse("records:documents", kwargs={"household_id": household.pk})
    documents = Document.objects.filter(household=household, deleted_at__isnull=True).select_related("uploaded_by")
    for document in documents:
        yield TimelineEvent(
            when=document.uploaded_at,
            kind="Pièce",
            title="Pièce ajoutée",
            detail=document.get_type_display(),
            url=url,
            actor=_name(document.uploaded_by),
        )


def note_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    url = reverse("records:notes", kwargs={"household_id": household.pk})
    for note in visible_notes(user, household):
        yield TimelineEvent(
            when=note.created_at,
            kind="Note",
            title="Note sociale",
            detail="Sensible" if note.is_sensitive else "",
            url=url,
            actor=_name(note.author),
        )
