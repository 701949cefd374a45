"""Keeps the role groups and their named permissions in line with ``ROLE_PERMISSIONS``."""

from __future__ import annotations

from typing import Any

from guichet.accounts.enums import ROLE_PERMISSIONS, Perm


def sync_role_groups(apps: Any) -> None:
    """Create or update one group per role with exactly its named permissions (idempotent)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    user_type, _ = content_type_model.objects.get_or_create(app_label="accounts", model="user")
    by_codename = {}
    for perm in Perm:
        permission, _ = permission_model.objects.get_or_create(
            content_type=user_type, codename=perm.value, defaults={"name": perm.label}
        )
        by_codename[perm.value] = permission
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        group.permissions.set([by_codename[perm.value] for perm in perms])
