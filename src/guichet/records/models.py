"""Supporting papers of a household file and confidential social notes (encrypted at rest)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models

from guichet.households.models import Household, Person
from guichet.records.enums import DocumentType, ExpiryStatus

EXPIRY_WARNING_DAYS = 30


def document_path(instance: Document, filename: str) -> str:
    """A random name without extension: the original name is kept in the row, never on disk."""
    return f"documents/{secrets.token_hex(16)}"


class Document(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents", verbose_name="personne"
    )
    type = models.CharField("type de pièce", max_length=16, choices=DocumentType.choices)
    original_name = models.CharField("nom du fichier", max_length=255)
    file = models.FileField(upload_to=document_path, max_length=200)
    size = models.PositiveIntegerField("taille (octets)")
    content_type = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_documents"
    )
    uploaded_at = models.DateTimeField("ajoutée le")
    expires_on = models.DateField("date d'expiration", null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "pièce justificative"
        verbose_name_plural = "pièces justificatives"

    def __str__(self) -> str:
        return f"{self.get_type_display()} — {self.original_name}"

    def expiry_status(self, today: dt.date) -> ExpiryStatus:
        if self.expires_on is None or self.expires_on > today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
            return ExpiryStatus.VALID
        return ExpiryStatus.EXPIRED if self.expires_on < today else ExpiryStatus.SOON


class Note(models.Model):
    """A social worker's note. ``body_encrypted`` holds a Fernet token; read it through ``records.crypto``."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="social_notes")
    created_at = models.DateTimeField("écrite le")
    body_encrypted = models.TextField()
    is_sensitive = models.BooleanField(
        "sensible", default=False, help_text="Visible seulement par son auteur et les responsables."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "note sociale"
        verbose_name_plural = "notes sociales"

    def __str__(self) -> str:
        return f"Note sociale du {self.created_at:%d/%m/%Y}"
