"""Test helpers for records: small valid files and documents/notes created through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.households.models import Household
from guichet.records.enums import DocumentType
from guichet.records.models import Document, Note
from guichet.records.services import document_upload, note_create

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def read_body(response: Any) -> bytes:
    """The body of a response, streamed or not. Never call ``close()`` on a streamed test response: it fires
    ``request_finished`` with ``close_old_connections`` connected and drops the PostgreSQL test connection."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def pdf_upload(name: str = "avis 2025.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_document(
    household: Household,
    user: Any,
    *,
    document_type: str = DocumentType.TAX_NOTICE,
    expires_on: dt.date | None = None,
    name: str = "avis 2025.pdf",
) -> Document:
    return document_upload(
        user=user,
        household_id=household.pk,
        document_type=document_type,
        upload=pdf_upload(name),
        expires_on=expires_on,
    )


def make_note(household: Household, user: Any, body: str = "Entretien : impayés de loyer.", **kwargs: Any) -> Note:
    return note_create(user=user, household_id=household.pk, body=body, **kwargs)
