"""``guichet territoire importer|iris|voies|semer``: real boundaries, IRIS codes, streets, demo neighbourhoods."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.territory.exceptions import TerritoryError
from guichet.territory.importers import decode, parse_boundaries, parse_iris, parse_streets
from guichet.territory.services import (
    iris_import,
    quartiers_import_boundaries,
    quartiers_seed_illustrative,
    streets_import,
)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path} : fichier illisible ({exc.strerror or exc}).") from exc
    return decode(data, filename=str(path))


class Command(BaseCommand):
    help = "Territoire : importer les contours réels des quartiers, les codes IRIS, les voies ; créer les quartiers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{importer,iris,voies,semer}")
        importer = sub.add_parser(
            "importer",
            help="Importer les contours réels des quartiers (GeoJSON) ; remplace les contours illustratifs.",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        importer.add_argument("fichier", type=Path, help="FeatureCollection GeoJSON (WGS 84), une entité par quartier")
        importer.add_argument("--propriete-nom", default="nom", help="propriété qui porte le nom du quartier (nom)")
        importer.add_argument(
            "--propriete-qpv",
            default=None,
            help="propriété indiquant un QPV : oui/non, 1/0, ou le code QPV (sinon les drapeaux restent inchangés)",
        )
        iris = sub.add_parser("iris", help="Importer les codes IRIS (CSV : code, nom, quartier).")
        iris.add_argument("fichier", type=Path)
        voies = sub.add_parser("voies", help="Importer le rattachement des voies aux quartiers (CSV : voie, quartier).")
        voies.add_argument("fichier", type=Path)
        sub.add_parser("semer", help="Créer les quartiers de la commune avec des contours illustratifs (idempotent).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except TerritoryError as exc:
            raise CommandError(f"Import refusé, rien n'a été modifié :\n{exc}") from exc

    def _importer(self, *, fichier: Path, propriete_nom: str, propriete_qpv: str | None, **_: Any) -> None:
        records = parse_boundaries(
            _read(fichier), filename=str(fichier), name_property=propriete_nom, qpv_property=propriete_qpv
        )
        result = quartiers_import_boundaries(records=records, source=fichier.name)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(records)} contour(s) importé(s) : {len(result.created)} quartier(s) créé(s), "
                f"{len(result.updated)} mis à jour ; "
                f"{result.addresses_moved} adresse(s) rattachée(s) à un autre quartier."
            )
        )
        if result.cleared:
            self.stdout.write(
                "Contours illustratifs retirés (quartiers absents du fichier) : " + ", ".join(result.cleared)
            )

    def _iris(self, *, fichier: Path, **_: Any) -> None:
        records = parse_iris(_read(fichier), filename=str(fichier))
        result = iris_import(records=records, filename=fichier.name)
        self.stdout.write(self.style.SUCCESS(f"IRIS : {result.created} créé(s), {result.updated} mis à jour."))

    def _voies(self, *, fichier: Path, **_: Any) -> None:
        records = parse_streets(_read(fichier), filename=str(fichier))
        result = streets_import(actor=None, records=records, filename=fichier.name, channel="cli")
        self.stdout.write(self.style.SUCCESS(f"Voies : {result.created} ajoutée(s), {result.updated} mise(s) à jour."))

    def _semer(self, **_: Any) -> None:
        result = quartiers_seed_illustrative()
        created = ", ".join(result.created) or "aucun"
        cut = "contours illustratifs découpés" if result.boundaries_cut else "contours inchangés"
        self.stdout.write(self.style.SUCCESS(f"Quartiers créés : {created} ; {cut}."))
