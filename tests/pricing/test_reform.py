"""The reform simulator in the platform: services, task, pages per persona, API, PDF, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from guichet.audit.models import AuditEntry
from guichet.audit.services import seal_soon
from guichet.households.models import Household
from guichet.pricing.models import MunicipalService, ReformPopulation, ReformSimulation, ReformStatus
from guichet.pricing.reform_services import (
    ReformError,
    assumptions,
    build_population,
    current_grid,
    reform_service_set,
    reform_simulation_create,
)
from guichet.pricing.tasks import reform_simulation_run
from guichet.rules.reform import HUNDREDTHS
from guichet.rules.tariffs import GridError
from tests.conftest import make_persona
from tests.pricing.factories import ON, known_family

pytestmark = pytest.mark.django_db

CANTEEN = "restauration-scolaire"
# A flat 2.00 € meal from 2027: the known family (QF 785.50 €, bracket 3.05 €) has two children of
# canteen age (9 and 7); 10 meals a month each, everyone attends: (2.00 − 3.05) × 10 × 2 = −21.00 €.
FLAT: dict[str, Any] = {"regle": {"type": "forfait", "prix": "2.00"}, "debut": "2027-01-01"}
NAMES = ("Awa", "Marc", "Lina", "Noé", "Sami")


def _client(persona: str) -> Client:
    client = Client()
    user = get_user_model().objects.filter(username=f"persona-{persona}").first() or make_persona(persona)
    client.force_login(user)
    return client


def _drafted(user: Any, population: str = ReformPopulation.FILE) -> ReformSimulation:
    simulation = reform_simulation_create(user=user, title="Cantine à 2 €", population=population)
    return reform_service_set(
        user=user,
        simulation=simulation,
        service=MunicipalService.objects.get(slug=CANTEEN),
        grid=FLAT,
        units_per_month="10",
        attendance_percent="100",
    )


def _run(user: Any, simulation: ReformSimulation, capture: Any) -> ReformSimulation:
    with capture(execute=True):
        reform_simulation_run(user=user, simulation=simulation)
    simulation.refresh_from_db()
    return simulation


def test_service_and_task_give_the_known_change(responsable: Any, django_capture_on_commit_callbacks: Any) -> None:
    family = known_family()
    simulation = _run(responsable, _drafted(responsable), django_capture_on_commit_callbacks)
    assert simulation.status == ReformStatus.DONE and simulation.progress == 100
    results = simulation.results
    assert (results["households"], results["concerned"], results["winners"], results["losers"]) == (1, 1, 1, 0)
    assert results["revenue_current"] == "61.00" and results["revenue_change"] == "-21.00"
    audited = AuditEntry.objects.filter(target_type="reform_simulation", target_id=str(simulation.pk))
    assert audited.count() == 3  # created, service drafted, run
    text = json.dumps(results, ensure_ascii=False)
    assert not any(name in text for name in (*NAMES, family.reference, family.people.first().last_name))


def test_run_queues_only_after_commit(responsable: Any, django_capture_on_commit_callbacks: Any) -> None:
    known_family()
    simulation = _drafted(responsable)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reform_simulation_run(user=responsable, simulation=simulation)
    simulation.refresh_from_db()
    started = [callback for callback in callbacks if callback is not seal_soon]  # the audit's sealer aside
    assert simulation.status == ReformStatus.QUEUED and len(started) == 1
    with pytest.raises(ReformError, match="déjà en cours"):
        reform_simulation_run(user=responsable, simulation=simulation)


def test_empty_population_fails_with_a_french_message(
    responsable: Any, django_capture_on_commit_callbacks: Any
) -> None:
    known_family()  # not synthetic
    simulation = _run(
        responsable, _drafted(responsable, ReformPopulation.SYNTHETIC), django_capture_on_commit_callbacks
    )
    assert simulation.status == ReformStatus.FAILED
    assert simulation.error == "Aucun ménage dans la population choisie (commune synthétique (démonstration))."


def test_invalid_draft_and_assumptions_list_every_problem(responsable: Any) -> None:
    simulation = reform_simulation_create(user=responsable, title="x", population=ReformPopulation.FILE)
    with pytest.raises(GridError) as caught:
        reform_service_set(
            user=responsable,
            simulation=simulation,
            service=MunicipalService.objects.get(slug=CANTEEN),
            grid={"regle": {"type": "forfait"}, "debut": "2027-01-01"},
            units_per_month="dix",
            attendance_percent="150",
        )
    assert {e.path for e in caught.value.errors} == {"regle.prix", "unites_par_mois"}
    with pytest.raises(ReformError, match="au moins un service"):
        reform_simulation_run(user=responsable, simulation=simulation)


def test_current_grid_is_the_one_in_force_among_the_service_history() -> None:
    canteen = MunicipalService.objects.get(slug=CANTEEN)
    assert current_grid(canteen, dt.date(2026, 3, 1)).deliberation == "EXEMPLE-2025-031"
    assert current_grid(canteen, ON).valid_from == dt.date(2026, 9, 1)
    with pytest.raises(ReformError, match=r"^Le service « .+ » n'a pas de grille en vigueur au 01/01/2020\.$"):
        current_grid(canteen, dt.date(2020, 1, 1))


@pytest.mark.parametrize(
    ("units", "share", "problems"),
    [
        ("16", "70", []),
        ("1,5", "100", []),
        ("dix", "150", [("unites_par_mois", "nombre attendu, reçu « dix »")]),
        ("1.234", "deux", [("unites_par_mois", HUNDREDTHS), ("frequentation", "nombre attendu, reçu « deux »")]),
        ("-1", "NaN", [("unites_par_mois", HUNDREDTHS), ("frequentation", HUNDREDTHS)]),
        ("2", "99.995", [("frequentation", HUNDREDTHS)]),
        ("2", "101", [("frequentation", "une part va de 0 à 100 %")]),
    ],
)
def test_assumptions_are_read_here_and_checked_by_the_rules_core(
    units: str, share: str, problems: list[tuple[str, str]]
) -> None:
    """Every problem, in field order: unreadable input said here, the rest by ``rules.reform``."""
    if not problems:
        assert assumptions(units, share) == (Decimal(units.replace(",", ".")), Decimal(share))
        return
    with pytest.raises(GridError) as caught:
        assumptions(units, share)
    assert [(e.path, e.message) for e in caught.value.errors] == problems


@pytest.mark.parametrize("persona", ["accueil", "social", "direction"])
def test_only_responsables_draft(persona: str) -> None:
    with pytest.raises(PermissionDenied):
        reform_simulation_create(user=make_persona(persona), title="x", population=ReformPopulation.FILE)


@pytest.mark.parametrize(
    ("persona", "listing", "detail", "results", "report"),
    [
        ("responsable", 200, 200, 200, 200),
        ("admin", 200, 200, 200, 200),
        ("direction", 200, 403, 200, 200),
        ("social", 403, 403, 403, 403),
        ("accueil", 403, 403, 403, 403),
        ("outsider", 403, 403, 403, 403),
    ],
)
def test_pages_per_persona(
    persona: str,
    listing: int,
    detail: int,
    results: int,
    report: int,
    responsable: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    known_family()
    simulation = _run(responsable, _drafted(responsable), django_capture_on_commit_callbacks)
    client = _client(persona)
    assert client.get(reverse("pricing:reform_list")).status_code == listing
    assert client.get(reverse("pricing:reform_detail", args=[simulation.pk])).status_code == detail
    assert client.get(reverse("pricing:reform_results", args=[simulation.pk])).status_code == results
    assert client.get(reverse("pricing:reform_report", args=[simulation.pk])).status_code == report


def test_web_flow_draft_run_results(responsable: Any, django_capture_on_commit_callbacks: Any) -> None:
    known_family()
    client = _client("responsable")
    response = client.post(reverse("pricing:reform_create"), {"title": "Réforme 2027", "population": "fichier"})
    simulation = ReformSimulation.objects.get(title="Réforme 2027")
    assert response.status_code == 302 and response.url == reverse("pricing:reform_detail", args=[simulation.pk])
    page = client.get(reverse("pricing:reform_detail", args=[simulation.pk]), {"service": CANTEEN})
    draft_url = reverse("pricing:reform_service", args=[simulation.pk, CANTEEN])
    assert page.status_code == 302 and page.url == draft_url
    form = client.get(draft_url)
    assert form.status_code == 200 and 'value="2027-01-01"' in form.text  # starts from the grid in force
    bad = {"type": "forfait", "prix": "", "debut": "2027-01-01", "arrondi": "0.01", "arrondi_mode": "half_up"}
    bad |= {"unites_par_mois": "10", "frequentation": "deux"}
    response = client.post(draft_url, bad)
    assert response.status_code == 200 and "valeur obligatoire" in response.text
    assert "nombre attendu, reçu « deux »" in response.text
    assert 'value="deux"' in response.text  # nothing typed is lost
    good = {**bad, "prix": "2,00", "frequentation": "100"}
    assert client.post(draft_url, good).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pricing:reform_run", args=[simulation.pk]))
    assert response.status_code == 302
    detail = client.get(reverse("pricing:reform_detail", args=[simulation.pk]))
    assert "Terminée" in detail.text and "hx-trigger" not in detail.text
    results = client.get(reverse("pricing:reform_results", args=[simulation.pk]))
    assert results.status_code == 200
    assert results.text.count("<svg") >= 3 and "-21,00" in results.text
    assert "Effets de seuil" in results.text and not any(name in results.text for name in NAMES)
    # the grid in force beside the draft: at QF 750 €, 3.05 € now and 2.00 € in the draft
    assert "Restauration scolaire (exemple) : grille actuelle et projet" in results.text
    assert (
        '<th scope="row" class="number">750</th><td class="number">3,05</td><td class="number">2,00</td>'
        in results.text
    )


def test_progress_fragment_polls_while_running(responsable: Any) -> None:
    simulation = _drafted(responsable)
    ReformSimulation.objects.filter(pk=simulation.pk).update(
        status=ReformStatus.RUNNING, progress=42, progress_label="Lecture des ménages : 2000 sur 5000"
    )
    fragment = _client("direction").get(reverse("pricing:reform_progress", args=[simulation.pk]))
    assert 'hx-trigger="every 1s"' in fragment.text and 'value="42"' in fragment.text
    assert _client("direction").get(reverse("pricing:reform_results", args=[simulation.pk])).status_code == 404


def test_pdf_report_text(responsable: Any, django_capture_on_commit_callbacks: Any) -> None:
    known_family()
    simulation = _run(responsable, _drafted(responsable), django_capture_on_commit_callbacks)
    response = _client("direction").get(reverse("pricing:reform_report", args=[simulation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Simulation de réforme tarifaire" in text and "Cantine à 2 €" in text
    assert "D1" in text and "Effets de seuil" in text and "-21,00 €" in text
    assert "Restauration scolaire (exemple) : grille actuelle et projet" in text and "750 € 3,05 € 2,00 €" in text
    assert not any(name in text for name in NAMES)


@pytest.mark.parametrize(("persona", "status"), [("responsable", 201), ("direction", 403), ("social", 403)])
def test_api_create_and_run(persona: str, status: int, django_capture_on_commit_callbacks: Any) -> None:
    known_family()
    payload = {
        "titre": "API",
        "services": [{"service": CANTEEN, "grille": FLAT, "unites_par_mois": "10", "frequentation": "100"}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(persona).post("/api/v1/tarifs/simulations", payload, content_type="application/json")
    assert response.status_code == status
    if status != 201:
        assert not ReformSimulation.objects.exists()
        return
    simulation_id = response.json()["id"]
    status_out = _client("direction").get(f"/api/v1/tarifs/simulations/{simulation_id}").json()
    assert status_out["etat"] == "terminee" and status_out["avancement"] == 100
    results = _client("direction").get(f"/api/v1/tarifs/simulations/{simulation_id}/resultats").json()
    assert results["revenue_change"] == "-21.00"
    assert _client("social").get(f"/api/v1/tarifs/simulations/{simulation_id}/resultats").status_code == 403


def test_api_invalid_draft_keeps_nothing() -> None:
    payload = {
        "titre": "API",
        "services": [
            {"service": CANTEEN, "grille": {"regle": {"type": "x"}}, "unites_par_mois": "1", "frequentation": "1"}
        ],
    }
    response = _client("responsable").post("/api/v1/tarifs/simulations", payload, content_type="application/json")
    assert response.status_code == 422
    assert "services[0].regle.type" in response.json()["title"]
    assert not ReformSimulation.objects.exists()


def test_api_results_before_the_run_is_409(responsable: Any) -> None:
    simulation = _drafted(responsable)
    response = _client("responsable").get(f"/api/v1/tarifs/simulations/{simulation.pk}/resultats")
    assert response.status_code == 409


def test_cli_simulates_with_the_same_code(tmp_path: Path) -> None:
    known_family()
    grid = tmp_path / "grille.json"
    grid.write_text(json.dumps(FLAT), encoding="utf-8")
    report = tmp_path / "rapport.pdf"
    out = io.StringIO()
    call_command(
        "tarifs", "simuler", "--service", CANTEEN, "--grille", str(grid), "--unites", "10", "--frequentation", "100",
        "--pdf", str(report), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    text = out.getvalue().replace("\u00a0", " ")
    assert "-21,00 €" in text and "1 ménage" in text
    assert report.read_bytes().startswith(b"%PDF")
    assert not ReformSimulation.objects.exists()  # the command line stores nothing
    assert Household.objects.count() == 1


def test_cli_bad_grid_file_exits_2(tmp_path: Path) -> None:
    grid = tmp_path / "grille.json"
    grid.write_text('{"regle": {"type": "forfait"}}', encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        call_command("tarifs", "simuler", "--service", CANTEEN, "--grille", str(grid), stderr=io.StringIO())
    assert caught.value.code == 2


def test_population_arrays_of_the_known_family() -> None:
    """QF 785.50 € (4 parts) on 15/11/2026; ages 42, 44, 13, 9 and 7: consumption units 1 + 0.5 + 3 × 0.3
    = 2.4, income per unit 785.50 × 4 ÷ 2.4 = 1,309.17 €; the canteen (3–11 years) concerns the
    children of 9 and 7, ranked 1 and 2 (eldest first); the music school (6–25) the three children."""
    known_family()
    services = list(MunicipalService.objects.filter(slug__in=[CANTEEN, "ecole-de-musique"]))
    population = build_population(ReformPopulation.FILE, services, ON)
    assert population.quotient_cents.tolist() == [78_550]
    assert population.income_uc_cents.tolist() == [130_917]
    assert population.dependent_children.tolist() == [3]
    assert population.members[CANTEEN].child_rank.tolist() == [1, 2]
    assert population.members["ecole-de-musique"].child_rank.tolist() == [1, 2, 3]
    assert population.members[CANTEEN].household.tolist() == [0, 0]


def test_unexpected_error_never_leaves_a_run_pending(
    responsable: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("guichet.pricing.reform_services.run_reform", broken)
    simulation = _run(responsable, _drafted(responsable), django_capture_on_commit_callbacks)
    assert simulation.status == ReformStatus.FAILED
    assert simulation.error.startswith("Erreur inattendue pendant le calcul") and "boom" not in simulation.error
