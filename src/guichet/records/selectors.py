"""Reads for the records pages: the live documents of a household with their expiry status."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from guichet.households.models import Household
from guichet.records.enums import ExpiryStatus
from guichet.records.models import Document


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    expiry: ExpiryStatus


def household_documents(household: Household) -> list[DocumentRow]:
    """Callers have already applied the household policy (``get_household_for_user``)."""
    today = timezone.localdate()
    documents = (
        Document.objects.filter(household=household, deleted_at__isnull=True)
        .select_related("person", "uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    return [DocumentRow(document=d, expiry=d.expiry_status(today)) for d in documents]
