"""Users. Roles are groups (one per Role), created by migration with their named permissions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

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
