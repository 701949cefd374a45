"""``guichet demo generate|accounts|start``: the synthetic commune and the demo accounts (being completed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Commune fictive de démonstration."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("à compléter")
