"""Users and API tokens. Roles are groups (one per Role), created by migration with their named permissions."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from guichet.accounts.enums import Perm, Role


class User(AbstractUser):
    """An agent of the commune (or a service account). Demo accounts are flagged and refused outside the demo."""

    is_demo = models.BooleanField("compte de démonstration", default=False)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        permissions = [(perm.value, perm.label) for perm in Perm]

    @property
    def roles(self) -> list[Role]:
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists()


class ApiToken(models.Model):
    """A revocable API key for a service account, limited to ``scopes`` (named permissions).

    Only the SHA-256 of the secret is stored; the secret is shown once, at creation. ``prefix`` is
    public (shown in lists and used to find the row) and is part of the token itself.
    """

    name = models.CharField("nom", max_length=100)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="compte")
    prefix = models.CharField("préfixe", max_length=16, unique=True)
    key_hash = models.CharField("empreinte", max_length=64)
    scopes = models.JSONField("portée", default=list)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="créé par"
    )
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def status_label(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "révoqué"
        if self.expires_at is not None and self.expires_at <= now:
            return "expiré"
        return "actif"
