"""The authentication backend: Django's model backend, refusing demo accounts outside the embedded demo.

Refusing in ``user_can_authenticate`` covers both the password check and every later request of an
existing session (``get_user``), so the browser pages and the API session obey the same rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from guichet.accounts.perms import account_may_sign_in

PERMISSIONS_CACHE_SECONDS = 60


def permissions_cache_key(user_id: int) -> str:
    return f"guichet:perms:{user_id}"


def permissions_cache_clear(user_id: int) -> None:
    """Called when a user's roles change; other processes without a shared cache follow within a minute."""
    cache.delete(permissions_cache_key(user_id))


class GuichetBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return account_may_sign_in(user)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """The user's named permissions, kept in the cache for a minute: every page checks them, and
        they change only when an administrator changes roles (which clears the entry)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = permissions_cache_key(user_obj.pk)
            cached = cache.get(key)
            if cached is None:
                cached = super().get_all_permissions(user_obj)
                cache.set(key, cached, PERMISSIONS_CACHE_SECONDS)
            user_obj._perm_cache = set(cached)
        return set(user_obj._perm_cache)
