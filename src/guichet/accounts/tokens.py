"""API token format, hashing and lookup.

A token reads ``gch_<prefix>_<secret>``: the prefix (public, shown in lists) finds the row, the
SHA-256 of the whole token is compared in constant time. The secret has 256 bits of entropy, so an
unsalted fast hash is enough (the same reasoning as GitHub's or PyPI's tokens).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from guichet.accounts.models import ApiToken
from guichet.accounts.perms import account_may_sign_in

TOKEN_MARK = "gch_"  # noqa: S105 - the public marker of a token, not a secret
PREFIX_LENGTH = 8
# Writing last_used_at on every call would turn each API read into a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_generate() -> tuple[str, str]:
    """A new ``(prefix, raw token)`` pair."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{TOKEN_MARK}{prefix}_{secrets.token_urlsafe(32)}"


def token_prefix(raw: str) -> str | None:
    if not raw.startswith(TOKEN_MARK):
        return None
    prefix, separator, secret = raw[len(TOKEN_MARK) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or not separator or not secret:
        return None
    return prefix


def api_token_authenticate(*, raw: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token matching ``raw`` (not revoked, not expired, account allowed to sign in), or None."""
    prefix = token_prefix(raw.strip())
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, token_hash(raw.strip())):
        return None
    now = now or timezone.now()
    if not token.is_usable(now) or not account_may_sign_in(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
