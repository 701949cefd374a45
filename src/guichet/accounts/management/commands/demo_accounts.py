"""``manage.py demo_accounts``: create or refresh the five demo accounts and print them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from guichet.accounts.services import demo_accounts_ensure


class Command(BaseCommand):
    help = "Crée ou met à jour les comptes de démonstration (un par rôle) et les affiche."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=settings.GUICHET_DEMO_PASSWORD,
            help="Mot de passe commun (par défaut GUICHET_DEMO_PASSWORD).",
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        users = demo_accounts_ensure(password=password)
        self.stdout.write(f"Comptes de démonstration (mot de passe : {password})")
        for user in users:
            roles = ", ".join(role.label for role in user.roles)
            self.stdout.write(f"  {user.username:<12} {roles:<22} {user.get_full_name()}")
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING("GUICHET_DEBUG est désactivé : ces comptes seront refusés à la connexion.")
            )
