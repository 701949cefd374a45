"""``guichet aides verifier [DOSSIER]``: checks a directory of the commune's aid files (by default
``GUICHET_LOCAL_AIDS_DIR``) and prints each problem as ``fichier:ligne : ce qui ne va pas``.
Exit code 1 when any file is malformed (format: docs/admin/aides-locales.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.rights.local_aids import aids_directory, clear_cache
from guichet.rules.local_aids import LocalAidFileError, check_directory

ERROR_EXIT = 1


class Command(BaseCommand):
    help = "Aides de la commune : vérifier les fichiers d'un dossier (format : docs/admin/aides-locales.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verifier}")
        check = sub.add_parser("verifier", help="Vérifier les fichiers d'aides (erreurs avec fichier:ligne).")
        check.add_argument(
            "dossier", nargs="?", type=Path, help="dossier des fichiers YAML (par défaut : GUICHET_LOCAL_AIDS_DIR)"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        directory: Path = options.get("dossier") or aids_directory()
        try:
            aids, errors = check_directory(directory)
        except LocalAidFileError as error:
            self.stderr.write(str(error))
            sys.exit(ERROR_EXIT)
        for aid in sorted(aids, key=lambda aid: (aid.id, aid.valid_from)):
            end = f"au {aid.valid_to:%d/%m/%Y}" if aid.valid_to else "sans fin"
            example = " — exemple" if aid.example else ""
            self.stdout.write(
                f"{Path(aid.path).name} : « {aid.name} » ({aid.id}) version {aid.version}, "
                f"du {aid.valid_from:%d/%m/%Y} {end}{example}"
            )
        for problem in errors:
            self.stderr.write(str(problem))
        files = len({aid.path for aid in aids} | {problem.path for problem in errors})
        if errors:
            self.stderr.write(f"{len(errors)} erreur(s) dans {directory} ({files} fichier(s)).")
            sys.exit(ERROR_EXIT)
        clear_cache()  # the next assessment reads the files checked
        self.stdout.write(self.style.SUCCESS(f"{len(aids)} aide(s) valide(s) dans {directory}."))
