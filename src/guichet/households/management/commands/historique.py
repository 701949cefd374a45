"""``guichet historique [--menage REF …]`` rebuilds the stored household timelines from the records
(all households by default). Not needed in daily use: a timeline is rebuilt when its household page is
first opened after a change. Useful after an upgrade, to spare the first readers that wait."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from guichet.households.models import Household
from guichet.households.timeline import rebuild_all


class Command(BaseCommand):
    help = "Reconstruit l'historique enregistré des ménages à partir de leurs dossiers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--menage", action="append", default=[], metavar="REF", help="Référence d'un ménage (répétable)."
        )

    def handle(self, *args: Any, menage: list[str], **options: Any) -> None:
        households = Household.objects.order_by("pk")
        if menage:
            households = households.filter(reference__in=menage)
            unknown = sorted(set(menage) - set(households.values_list("reference", flat=True)))
            if unknown:
                raise CommandError(f"Ménage(s) introuvable(s) : {', '.join(unknown)}")
        ids = list(households.values_list("pk", flat=True))
        with tqdm(total=len(ids), unit=" ménages", desc="Historiques", disable=None, file=self.stderr) as bar:
            for _ in rebuild_all(ids):
                bar.update()
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} historique(s) reconstruit(s)."))
