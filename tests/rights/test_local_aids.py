"""The commune's own aids in the rights app: read once from GUICHET_LOCAL_AIDS_DIR, stored with each
assessment and shown on the bilan, replayed, printed by ``guichet droits``, checked by ``guichet
aides verifier``, offered by the public simulator; the shipped examples say they are examples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from guichet.households.enums import HousingStatus, Occupation
from guichet.rights import local_aids, public
from guichet.rights.management.commands import droits
from guichet.rights.models import RightsAssessment
from guichet.rights.services import assessment_replay, assessment_run
from guichet.rules.local_aids import EXAMPLES_DIR
from guichet.rules.local_aids import model as rules_model
from tests.portal.test_rights_simulator import ANSWERS, public_assessment_stub
from tests.rights.factories import MONTH, made_up_assessment, single_parent_file

pytestmark = pytest.mark.django_db
EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "menage-exemple.json"

# A single parent with a CAF quotient of 480 € (single_parent_file): open to this aid, 80 € + 30 € × 2.
SINGLE_PARENT_AID = """\
id: aide-parents
nom: Aide aux parents seuls
version: "1"
validite:
  du: 2026-01-01
deliberation:
  reference: CA-1
  date: 2025-12-11
commune:
  code_insee: "76575"
  nom: Saint-Étienne-du-Rouvray
conditions:
  - residence: commune
  - parent_isole: true
  - quotient_familial:
      max: 600
montant:
  periodicite: ponctuel
  fixe: 80
  par_enfant: 30
pieces: [Pièce d'identité]
demande:
  lieu: CCAS, Maison du citoyen
"""
SENIOR_AID = (
    SINGLE_PARENT_AID.replace("aide-parents", "aide-seniors")
    .replace("parents seuls", "seniors")
    .replace("  - parent_isole: true\n", "  - age:\n      min: 65\n")
)


@pytest.fixture
def aids_dir(tmp_path: Path, settings) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    directory = tmp_path / "aides"
    directory.mkdir()
    (directory / "parents.yaml").write_text(SINGLE_PARENT_AID, encoding="utf-8")
    (directory / "seniors.yaml").write_text(SENIOR_AID, encoding="utf-8")
    settings.GUICHET_LOCAL_AIDS_DIR = directory
    local_aids.clear_cache()
    yield directory
    local_aids.clear_cache()


def test_the_codes_of_the_aid_files_are_those_of_the_household_file() -> None:
    assert set(rules_model.OCCUPATION_LABELS) == set(Occupation.values)
    assert set(rules_model.HOUSING_LABELS) == set(HousingStatus.values)


def test_the_default_directory_is_the_shipped_examples(settings) -> None:  # type: ignore[no-untyped-def]
    assert Path(settings.GUICHET_LOCAL_AIDS_DIR) == EXAMPLES_DIR
    local_aids.clear_cache()
    aids = local_aids.current_aids()
    assert len(aids) == 8 and all(aid.example for aid in aids)


def test_files_are_read_once_and_again_when_one_changes(aids_dir: Path) -> None:
    first = local_aids.current_aids()
    assert local_aids.current_aids() is first
    (aids_dir / "seniors.yaml").write_text(SENIOR_AID.replace("fixe: 80", "fixe: 95"), encoding="utf-8")
    assert local_aids.current_aids() is not first


def test_an_assessment_stores_the_local_aids_and_the_bilan_shows_them(social, fake_assess, aids_dir: Path) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    assessment = assessment_run(user=social, household_id=row.pk, month=MONTH)
    stored = assessment.results["local_aids"]
    assert (stored["date"], stored["erreurs"], stored["exemples"]) == ("2026-11-01", [], False)
    assert [(a["id"], a["eligible"], a["montant"]) for a in stored["aides"]] == [
        ("aide-parents", True, "140.00"),
        ("aide-seniors", False, "0.00"),
    ]
    parents = stored["aides"][0]
    assert parents["calcul"] == ["Montant : 80\u00a0€ + 30\u00a0€ × 2 enfants = 140\u00a0€"]
    assert parents["raisons"][1] == {
        "texte": "Parent isolé : oui (condition : parent isolé)",
        "remplie": True,
        "niveau": 0,
    }
    client = Client()
    client.force_login(social)
    html = client.get(reverse("rights:assessment", args=[assessment.pk])).content.decode()
    assert '<h3 id="titre-aides-locales-' in html and "Aides de la commune" in html
    assert "Aide aux parents seuls" in html and "140,00 €" in html and "CCAS, Maison du citoyen" in html
    assert "Âge du demandeur : 36 ans (condition : au moins 65 ans)" in html
    assert "Exemple" not in html.split("Aides de la commune")[1]


def test_the_shipped_examples_are_said_to_be_examples_on_the_bilan(social, fake_assess, settings) -> None:  # type: ignore[no-untyped-def]
    local_aids.clear_cache()
    row = single_parent_file()
    client = Client()
    client.force_login(social)
    html = client.post(
        reverse("rights:run", args=[row.pk]), {"mois": "2026-11"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    section = html.split("Aides de la commune")[1]
    assert "ce ne sont pas des délibérations réelles de la commune" in section
    assert section.count('<span class="badge badge-synthetic">Exemple</span>') == 7  # one per aid valid in 11/2026


def test_changed_aid_files_make_a_new_assessment_and_the_replay_shows_the_change(  # type: ignore[no-untyped-def]
    social, fake_assess, aids_dir: Path
) -> None:
    row = single_parent_file()
    first = assessment_run(user=social, household_id=row.pk, month=MONTH)
    assert assessment_run(user=social, household_id=row.pk, month=MONTH) == first
    (aids_dir / "parents.yaml").write_text(SINGLE_PARENT_AID.replace("fixe: 80", "fixe: 100"), encoding="utf-8")
    replay = assessment_replay(user=social, assessment_id=first.pk)
    assert [(c.label, c.before, c.after) for c in replay.changes] == [
        (
            "Aide aux parents seuls (aide de la commune)",
            "éligible, 140.00 € (une fois)",
            "éligible, 160.00 € (une fois)",
        )
    ]
    second = assessment_run(user=social, household_id=row.pk, month=MONTH)
    assert second != first and RightsAssessment.objects.count() == 2
    assert second.results["local_aids"]["aides"][0]["montant"] == "160.00"


def test_a_malformed_aid_file_never_stops_the_national_assessment(social, fake_assess, aids_dir: Path) -> None:  # type: ignore[no-untyped-def]
    (aids_dir / "seniors.yaml").write_text(
        SENIOR_AID.replace("      min: 65\n", "      min: soixante\n"), encoding="utf-8"
    )
    row = single_parent_file()
    assessment = assessment_run(user=social, household_id=row.pk, month=MONTH)
    assert assessment.results["benefits"]
    [error] = assessment.results["local_aids"]["erreurs"]
    assert error.endswith("seniors.yaml:15 : conditions[2].age.min : nombre attendu (reçu « soixante »)")
    client = Client()
    client.force_login(social)
    html = client.get(reverse("rights:assessment", args=[assessment.pk])).content.decode()
    assert "Les aides de la commune n'ont pas pu être évaluées" in html and "seniors.yaml:15" in html


def test_an_assessment_stored_before_local_aids_still_shows_and_replays(social, fake_assess, aids_dir: Path) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    assessment = assessment_run(user=social, household_id=row.pk, month=MONTH)
    del assessment.results["local_aids"]
    assessment.save()
    assert assessment_replay(user=social, assessment_id=assessment.pk).changes == []
    client = Client()
    client.force_login(social)
    html = client.get(reverse("rights:assessment", args=[assessment.pk])).content.decode()
    assert "Les aides de la commune n'étaient pas évaluées lors de ce bilan" in html


def _droits(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr(droits, "assess", lambda household, month: made_up_assessment(household, month, rsa="100.00"))
    out = StringIO()
    call_command("droits", str(EXAMPLE_FILE), "--mois", "2026-11", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_guichet_droits_prints_the_local_aids(monkeypatch: pytest.MonkeyPatch, aids_dir: Path) -> None:
    text = _droits(monkeypatch).replace("\u00a0", " ")
    section = text.split("Aides de la commune (règles valables au 01/11/2026) :\n")[1]
    assert section.splitlines()[:3] == [
        "- Aide aux parents seuls (version 1) : éligible, 140,00 € une fois",
        "    [oui] Résidence à Saint-Étienne-du-Rouvray (code INSEE 76575) — commune du ménage : 76575",
        "    [oui] Parent isolé : oui (condition : parent isolé)",
    ]
    assert "- Aide aux seniors (version 1) : non éligible" in section
    data = json.loads(_droits(monkeypatch, "--format", "json"))
    assert [(a["id"], a["eligible"], a["montant"]) for a in data["aides_locales"]["aides"]] == [
        ("aide-parents", True, "140.00"),
        ("aide-seniors", False, "0.00"),
    ]


def _verifier(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("aides", "verifier", *args, stdout=out, stderr=err)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_guichet_aides_verifier(tmp_path: Path) -> None:
    code, out, _ = _verifier()
    assert code == 0 and "8 aide(s) valide(s)" in out and "— exemple" in out
    (tmp_path / "a.yaml").write_text(SINGLE_PARENT_AID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        SENIOR_AID.replace("  periodicite: ponctuel\n", "  periodicite: parfois\n"), encoding="utf-8"
    )
    code, out, err = _verifier(str(tmp_path))
    assert code == 1
    assert "a.yaml : « Aide aux parents seuls » (aide-parents) version 1, du 01/01/2026 sans fin" in out
    assert f"{tmp_path / 'b.yaml'}:19 : montant.periodicite : valeur « parfois » inconnue" in err
    assert "1 erreur(s)" in err
    code, _, err = _verifier(str(tmp_path / "absent"))
    assert code == 1 and "dossier introuvable" in err


def test_the_public_simulator_offers_the_local_aids_the_person_may_claim(
    client: Client, monkeypatch: pytest.MonkeyPatch, aids_dir: Path
) -> None:
    monkeypatch.setattr(public, "assess", lambda household, month: public_assessment_stub(month))
    single_parent = {**ANSWERS, "situation": "seul", "adulte2_chomage": "", "adulte1_salaire": "900"}
    response = client.post(reverse("rights:public_simulator"), single_parent, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Les aides de la commune" in html
    # estimated quotient: 900 × 12 / 12 / 2 parts (single parent) + 2 × 0.5 = 300 €: open
    assert "Aide aux parents seuls : 140,00 € une fois" in html
    assert "Aide aux seniors" not in html  # not eligible: not offered
    assert "estimation à partir de vos réponses" in html
    elsewhere = client.post(reverse("rights:public_simulator"), {**single_parent, "postcode": "76100"})
    assert "Aide aux parents seuls :" not in elsewhere.content.decode()


def test_the_public_simulator_says_the_shipped_aids_are_examples(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    local_aids.clear_cache()
    monkeypatch.setattr(public, "assess", lambda household, month: public_assessment_stub(month))
    response = client.post(reverse("rights:public_simulator"), ANSWERS, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Exemples, pas les vraies aides de la commune." in html
    outcome = response.context["local_aids"]
    assert outcome.eligible and all(result.aid.example for result in outcome.eligible)
    assert all(result.amount > Decimal(0) for result in outcome.eligible)
