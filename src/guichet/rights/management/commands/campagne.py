"""``guichet campagne lancer|liste|resultats``: non-take-up campaigns from the command line.

``lancer`` runs the chunks in this process with a progress bar, or through the Celery workers with
``--workers`` (needs REDIS_URL) while the bar follows the campaign's progress in the database.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from guichet.rights.campaigns import (
    CampaignError,
    campaign_chunk_run,
    campaign_list,
    campaign_pending_chunks,
    campaign_results,
    campaign_start,
)
from guichet.rights.models import Campaign, CampaignGroup, CampaignScope, CampaignStatus
from guichet.rights.tasks import campaign_queue_chunks
from guichet.rules.money import format_euros
from guichet.rules.openfisca import warm_up
from guichet.territory.models import Quartier

POLL_SECONDS = 0.5


def _month(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError as error:
        raise CommandError(f"Mois « {value} » invalide : attendu AAAA-MM.") from error


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    return lines


class Command(BaseCommand):
    help = "Campagnes « aller vers » : lancer une campagne, lister les campagnes, afficher un résultat."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{lancer,liste,resultats}")
        start = sub.add_parser("lancer", help="Lancer une campagne sur les ménages consentants (barre de progression).")
        start.add_argument(
            "--quartier", metavar="SLUG", help="limiter à un quartier (son identifiant, ex. chateau-blanc)"
        )
        start.add_argument("--groupe", choices=CampaignGroup.values, help="limiter à un public cible")
        start.add_argument("--mois", default=None, help="mois simulé AAAA-MM (par défaut le mois en cours)")
        start.add_argument("--nom", default=None, help="nom de la campagne")
        start.add_argument(
            "--workers", action="store_true", help="répartir les lots sur les workers Celery (REDIS_URL requis)"
        )
        sub.add_parser("liste", help="Lister les campagnes.")
        results = sub.add_parser("resultats", help="Résultat d'une campagne (chiffres agrégés).")
        results.add_argument("id", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "lancer":
            self._start(options)
        elif action == "liste":
            self._list()
        else:
            self._results(options["id"])

    def _start(self, options: dict[str, Any]) -> None:
        month = _month(options["mois"]) if options["mois"] else dt.date.today().replace(day=1)  # noqa: DTZ011 - a month
        quartier_id, scope, group = None, CampaignScope.ALL, ""
        if options["quartier"] and options["groupe"]:
            raise CommandError("Choisissez --quartier ou --groupe, pas les deux.")
        if options["quartier"]:
            quartier = Quartier.objects.filter(slug=options["quartier"]).first()
            if quartier is None:
                known = ", ".join(Quartier.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"Quartier « {options['quartier']} » inconnu. Quartiers : {known or 'aucun'}.")
            quartier_id, scope = quartier.pk, CampaignScope.QUARTIER
        elif options["groupe"]:
            scope, group = CampaignScope.GROUP, options["groupe"]
        if options["workers"] and settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("--workers demande Redis : définissez REDIS_URL et démarrez les workers Celery.")
        name = options["nom"] or f"Campagne de {month:%m/%Y} (ligne de commande)"
        try:
            campaign = campaign_start(
                user=None, name=name, month=month, scope=scope, quartier_id=quartier_id, group=group, channel="cli"
            )
        except CampaignError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Campagne n° {campaign.pk} « {campaign.name} » : {campaign.total} ménage(s) consentant(s), "
            f"{campaign.chunk_count} lot(s)."
        )
        started = time.perf_counter()
        with tqdm(total=campaign.total, unit=" ménages", desc="Simulation", disable=None) as bar:
            if options["workers"]:
                self._through_workers(campaign, bar)
            else:
                warm_up(month)
                for index, household_ids in campaign_pending_chunks(campaign.pk):
                    campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=household_ids)
                    bar.update(len(household_ids))
        campaign.refresh_from_db()
        if campaign.status == CampaignStatus.FAILED:
            raise CommandError(f"La campagne a échoué : {campaign.error}")
        self.stdout.write(self.style.SUCCESS(f"Terminé en {time.perf_counter() - started:.1f} s."))
        self._results(campaign.pk)

    def _through_workers(self, campaign: Campaign, bar: tqdm[Any]) -> None:
        campaign_queue_chunks(campaign.pk)
        while True:
            campaign.refresh_from_db()
            bar.update(campaign.done - bar.n)
            if not campaign.is_active:
                return
            time.sleep(POLL_SECONDS)

    def _list(self) -> None:
        rows = [
            (
                str(c.pk),
                c.name,
                f"{c.month:%m/%Y}",
                c.get_status_display(),
                f"{c.done}/{c.total}",
                f"{c.created_at:%d/%m/%Y %H:%M}",
            )
            for c in campaign_list()[:100]
        ]
        if not rows:
            self.stdout.write("Aucune campagne.")
            return
        header = ("N°", "Campagne", "Mois", "État", "Simulés", "Créée le")
        self.stdout.write("\n".join(_table(header, rows)))

    def _results(self, campaign_id: int) -> None:
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None:
            raise CommandError(f"Campagne n° {campaign_id} introuvable.")
        results = campaign_results(campaign)
        lines = [
            f"Campagne n° {campaign.pk} « {campaign.name} » — {campaign.get_status_display()}, "
            f"{campaign.done}/{campaign.total} ménages simulés ({campaign.month:%m/%Y}, "
            f"OpenFisca-France {campaign.openfisca_france_version or '?'}). Données agrégées, montants estimés.",
            f"Ménages repérés : {results.households} ; non perçu estimé : {format_euros(results.monthly)} par mois.",
            f"Ménages contactés : {results.contacted_households} ; demandes faites : {results.claims} ; "
            f"récupéré : {format_euros(results.recovered_monthly)} par mois.",
            "",
        ]
        header = ("Prestation", "Ménages", "Non perçu / mois")
        lines += _table(header, [(r.label, str(r.households), format_euros(r.monthly)) for r in results.by_benefit])
        lines.append("")
        header = ("Quartier", "Ménages", "Non perçu / mois")
        lines += _table(header, [(r.label, str(r.households), format_euros(r.monthly)) for r in results.by_quartier])
        self.stdout.write("\n".join(lines))
