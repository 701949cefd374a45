"""The append-only, hash-chained audit log (CNIL recommendation 2021-122)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.audit.enums import Action


class AuditEntry(models.Model):
    """One audited event. Never updated; deleted only by the retention purge (which is itself audited).

    ``entry_hash`` = SHA-256 over ``previous_hash`` and the entry's canonical content, so any edit or
    deletion inside the chain is detected by ``guichet audit verify``.
    """

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=64, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=16, blank=True)  # web, api, cli, task
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.target_type}:{self.target_id}"
        )


class AuditChainHead(models.Model):
    """A single row locked while appending, so that concurrent writers keep one linear chain."""

    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "tête de chaîne d'audit"

    def __str__(self) -> str:
        return self.last_hash
