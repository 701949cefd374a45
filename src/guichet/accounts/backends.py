"""The authentication backend: Django's model backend, refusing demo accounts outside the embedded demo.

Refusing in ``user_can_authenticate`` covers both the password check and every later request of an
existing session (``get_user``), so the browser pages and the API session obey the same rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from guichet.accounts.perms import account_may_sign_in


class GuichetBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return account_may_sign_in(user)
