import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "menage-exemple.json"


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("droits", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_example_file_as_a_french_table(openfisca_month: dt.date) -> None:
    out, _ = _run(str(EXAMPLE), "--mois", f"{openfisca_month:%Y-%m}")
    assert out.startswith("Bilan de droits — exemple-famille-monoparentale, novembre 2026")
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "À demander" in lines["Prime d'activité"]
    assert "250,00\u00a0€ (10/2026)" in lines["Aide au logement (APL, ALF ou ALS)"]
    assert "Que faire :" in out and "Données utilisées :" in out


def test_example_file_as_json(openfisca_month: dt.date) -> None:
    out, _ = _run(str(EXAMPLE), "--mois", f"{openfisca_month:%Y-%m}", "--format", "json")
    data = json.loads(out)
    assert data["mois"] == "2026-11"
    benefits = {b["cle"]: b for b in data["aides"]}
    assert benefits["aide_logement"]["percu"] == "250.00"
    assert benefits["aide_logement"]["percu_mois"] == "2026-10"
    assert benefits["ppa"]["statut"] == "a_demander" and "ppa" in data["que_faire"]
    assert data["openfisca_france"]


def _fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("droits", *args, stdout=StringIO(), stderr=err)
    assert exited.value.code == 2
    return err.getvalue()


def test_malformed_file_names_each_field_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "menage.json"
    path.write_text(
        json.dumps({"personnes": [{"role": "demandeur", "date_naissance": "2 mars 1990", "activite": "pompier"}]}),
        encoding="utf-8",
    )
    message = _fails(str(path))
    assert f"{path} est mal formé" in message
    assert "- personnes[0].date_naissance : date attendue au format AAAA-MM-JJ (reçu « 2 mars 1990 »)" in message
    assert "- personnes[0].activite : valeur « pompier » inconnue" in message


def test_not_json_missing_file_and_bad_month_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "menage.json"
    path.write_text('{"personnes": [,]}', encoding="utf-8")
    assert "n'est pas un fichier JSON valide (ligne 1, colonne 16)" in _fails(str(path))
    assert "Impossible de lire" in _fails(str(tmp_path / "absent.json"))
    assert "--mois : mois attendu au format AAAA-MM" in _fails(str(EXAMPLE), "--mois", "11/2026")
