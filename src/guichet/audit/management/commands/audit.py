"""``guichet audit verify`` seals pending entries and checks the hash chain; ``guichet audit seal`` only
seals; ``guichet audit purge [--days N]`` applies the retention period."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import formats, timezone

from guichet.audit.chain import ChainReport, verify_chain
from guichet.audit.services import audit_purge, audit_seal


def positive_days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(f"nombre de jours invalide : {value!r} (entier positif attendu)")
    return days


def number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


class Command(BaseCommand):
    help = "Journal d'audit : vérification de la chaîne d'empreintes et purge de conservation."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,seal,purge}")
        subcommands.add_parser(
            "verify",
            help="Scelle les entrées en attente, vérifie toute la chaîne et signale le premier maillon rompu "
            "(code de sortie 1).",
        )
        subcommands.add_parser("seal", help="Scelle dans la chaîne les entrées qui ne le sont pas encore.")
        purge = subcommands.add_parser(
            "purge", help="Supprime les entrées plus anciennes que la durée de conservation."
        )
        purge.add_argument(
            "--days",
            type=positive_days,
            default=None,
            help=f"Durée de conservation en jours (par défaut {settings.GUICHET_AUDIT_RETENTION_DAYS}).",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify()
        elif subcommand == "seal":
            sealed = audit_seal()
            self.stdout.write(f"{number(sealed)} entrée(s) scellée(s) dans la chaîne.")
        else:
            self.purge(days=options["days"])

    def verify(self) -> None:
        show_progress = self.stderr.isatty()

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{number(done)} / {number(total)} entrées vérifiées", style_func=str, ending="")

        audit_seal()
        report: ChainReport = verify_chain(progress=progress if show_progress else None)
        if show_progress:
            self.stderr.write("", style_func=str)
        if report.broken is None:
            self.stdout.write(
                self.style.SUCCESS(f"Chaîne intègre : {number(report.checked)} entrée(s) vérifiée(s), OK.")
            )
            if report.pending:
                self.stdout.write(
                    f"{number(report.pending)} entrée(s) écrite(s) pendant la vérification, scellée(s) ensuite."
                )
            return
        broken = report.broken
        where = "en fin de chaîne"
        if broken.entry_id is not None and broken.created_at is not None:
            when = timezone.localtime(broken.created_at)
            where = f"à l'entrée n° {broken.entry_id} du {when:%d/%m/%Y à %H:%M:%S}"
        self.stderr.write(self.style.ERROR(f"Chaîne rompue {where} : {broken.problem}."))
        self.stderr.write(f"{number(report.checked)} entrée(s) intègre(s) avant ce maillon.")
        raise SystemExit(1)

    def purge(self, *, days: int | None) -> None:
        result = audit_purge(older_than_days=days, channel="cli")
        cutoff = timezone.localtime(result.cutoff)
        if not result.removed:
            self.stdout.write(f"Aucune entrée antérieure au {cutoff:%d/%m/%Y %H:%M} : rien à purger.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{number(result.removed)} entrée(s) antérieure(s) au {cutoff:%d/%m/%Y %H:%M} supprimée(s) ; "
                "la purge est inscrite au journal."
            )
        )
