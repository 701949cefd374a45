"""The append-only, hash-chained audit log (CNIL recommendation 2021-122).

Append-only is enforced twice: here (the model and its querysets refuse updates and deletes, except
inside ``purge_allowed()``, used only by ``guichet.audit.services.audit_purge``) and, on PostgreSQL,
by a trigger (migrations 0003 and 0004) that refuses any DELETE unless the purge has set the
transaction-local ``guichet.audit_purge`` to ``on``, and any UPDATE but the sealing of an entry.

Sealing. An entry is written as it happens, with no hash (one INSERT, no lock: audited reads of busy
pages do not queue behind each other), then *sealed* into the hash chain moments later, in batches,
by ``guichet.audit.services.audit_seal`` (a thread of the same process right after the commit, and a
periodic task as a safety net): the sealer locks the chain head, gives each pending entry, in id
order, its ``chain_position``, ``previous_hash`` and ``entry_hash``, and moves the head. Sealing is
the only UPDATE the trigger lets through: from no hash to a hash, every other column unchanged.
``guichet audit verify`` seals what is pending, then walks the chain in ``chain_position`` order.

Keeping the table apart in production (PostgreSQL). The application need never change an entry,
so its database user can be denied the right to:

1. create a schema for the log and move the two tables into it::

       CREATE SCHEMA audit AUTHORIZATION guichet_owner;
       ALTER TABLE audit_auditentry SET SCHEMA audit;
       ALTER TABLE audit_auditchainhead SET SCHEMA audit;
       ALTER ROLE guichet_app SET search_path = public, audit;

2. run migrations as the owner (``guichet_owner``) and the web application and Celery workers as
   ``guichet_app``, with only what appending needs::

       REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM guichet_app;
       GRANT USAGE ON SCHEMA audit TO guichet_app;
       GRANT SELECT, INSERT ON audit.audit_auditentry TO guichet_app;
       GRANT UPDATE (previous_hash, entry_hash, chain_position) ON audit.audit_auditentry TO guichet_app;
       GRANT USAGE ON SEQUENCE audit.audit_auditentry_id_seq TO guichet_app;
       GRANT SELECT, INSERT, UPDATE ON audit.audit_auditchainhead TO guichet_app;

3. give DELETE to a third role used only by the Celery beat worker that runs the retention purge
   (its own ``DATABASE_URL``)::

       CREATE ROLE guichet_audit_purge LOGIN IN ROLE guichet_app;
       GRANT DELETE ON audit.audit_auditentry TO guichet_audit_purge;

Nobody but the owner can then rewrite history, the trigger still guards against the owner's
mistakes, and ``guichet audit verify`` detects what slips through (e.g. a restored old backup).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models

from guichet.audit.enums import Action

_purging: ContextVar[bool] = ContextVar("guichet_audit_purging", default=False)


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit entry outside the retention purge."""


@contextmanager
def purge_allowed() -> Iterator[None]:
    """Let the retention purge delete entries; nothing else may."""
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def pending(self) -> AuditEntryQuerySet:
        """Entries written but not sealed into the chain yet."""
        return self.filter(entry_hash__isnull=True)

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Le journal d'audit ne se modifie pas.")

    def delete(self) -> tuple[int, dict[str, int]]:
        if not _purging.get():
            raise AppendOnlyError("Le journal d'audit ne se supprime que par la purge de conservation.")
        return super().delete()


class AuditEntry(models.Model):
    """One audited event. Sealed once, never changed; deleted only by the retention purge (which is
    itself audited).

    ``entry_hash`` = SHA-256 over ``previous_hash`` and the entry's canonical content, so any edit or
    deletion inside the chain is detected by ``guichet audit verify``. The three chain columns are
    empty until the entry is sealed (see the module's docstring).
    """

    created_at = models.DateTimeField(db_index=True)
    # No database constraint and no SET_NULL: deleting a user must not rewrite (and break) the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=64, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=16, blank=True)  # web, api, cli, task
    previous_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - None: not sealed yet
    entry_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)  # noqa: DJ001 - idem
    chain_position = models.PositiveBigIntegerField(unique=True, null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.target_type}:{self.target_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Une entrée du journal d'audit ne se modifie pas.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not _purging.get():
            raise AppendOnlyError("Le journal d'audit ne se supprime que par la purge de conservation.")
        return super().delete(*args, **kwargs)


class AuditChainHead(models.Model):
    """A single row locked while sealing, so that concurrent sealers keep one linear chain."""

    last_hash = models.CharField(max_length=64)
    last_position = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "tête de chaîne d'audit"

    def __str__(self) -> str:
        return self.last_hash
