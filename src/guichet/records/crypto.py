"""Encryption at rest of social notes: Fernet with the key of ``GUICHET_NOTES_KEY``.

Rotation: put the new key in ``GUICHET_NOTES_KEY`` and the previous ones in ``GUICHET_NOTES_OLD_KEYS``;
old notes stay readable, and ``manage.py rotate_notes_key`` re-encrypts them all with the new key,
after which the old keys can be removed.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class NotesKeyMissing(ImproperlyConfigured):
    pass


def demo_key() -> bytes:
    """The DEBUG-only key, stable across restarts because it derives from SECRET_KEY (never for production)."""
    digest = hashlib.sha256(b"guichet-notes-demo-key:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet(key: str | bytes, name: str) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid Fernet key (32 url-safe base64-encoded bytes).") from error


def notes_cipher() -> MultiFernet:
    """The current key first (it encrypts), then the old ones (they only decrypt)."""
    key: str | bytes = settings.GUICHET_NOTES_KEY
    if not key:
        if not settings.DEBUG:
            raise NotesKeyMissing("GUICHET_NOTES_KEY (or GUICHET_NOTES_KEY_FILE) is required to write social notes.")
        key = demo_key()
    keys = [_fernet(key, "GUICHET_NOTES_KEY")]
    keys += [_fernet(old, "GUICHET_NOTES_OLD_KEYS") for old in settings.GUICHET_NOTES_OLD_KEYS]
    return MultiFernet(keys)


def encrypt_text(text: str) -> str:
    return notes_cipher().encrypt(text.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    """The plaintext, or a French notice when no configured key opens the token (lost or removed key)."""
    try:
        return notes_cipher().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        return "[Note illisible : la clé de chiffrement qui l'a protégée n'est plus configurée.]"


def rotate_token(token: str) -> str:
    return notes_cipher().rotate(token.encode("ascii")).decode("ascii")
