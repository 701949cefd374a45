"""``manage.py rotate_notes_key``: re-encrypt every social note with the current ``GUICHET_NOTES_KEY``."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError

from guichet.records.services import notes_rotate_key


class Command(BaseCommand):
    help = (
        "Chiffre de nouveau toutes les notes sociales avec la clé GUICHET_NOTES_KEY ; les anciennes clés "
        "doivent encore figurer dans GUICHET_NOTES_OLD_KEYS. Ensuite, elles peuvent être retirées."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = notes_rotate_key(channel="cli")
        except InvalidToken as error:
            raise CommandError(
                "Une note ne s'ouvre avec aucune clé configurée : ajoutez l'ancienne clé à GUICHET_NOTES_OLD_KEYS. "
                "Aucune note n'a été modifiée."
            ) from error
        self.stdout.write(f"{count} note(s) chiffrée(s) avec la clé actuelle.")
