"""Tariff reform simulations: drafting (services, audited), the population as arrays (no names), and
the run shared by the web (Celery task, eager without Redis), the API and the command line.

A run reads the households chunk by chunk (four queries per chunk through ``rules_households``),
computes each one's quotient, keeps only numbers (quotient, resources, income per consumption unit,
children, residence, neighbourhood, members concerned by each service and their rank), then hands
the arrays to ``rules.reform.simulate``. Results are aggregates: no name, no household id.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.models import Household
from guichet.households.rules_mapping import rules_households
from guichet.pricing.models import MunicipalService, ReformPopulation, ReformSimulation, ReformStatus, TariffGrid
from guichet.pricing.perms import can_manage_grids
from guichet.pricing.selectors import is_resident, preview_basis
from guichet.rules import household as rules
from guichet.rules.local_aids.facts import consumption_units  # the INSEE scale, dated parameters
from guichet.rules.money import round_money
from guichet.rules.parameters import ParameterError
from guichet.rules.quotient import caf_quotient
from guichet.rules.reform import (
    Members,
    Population,
    ReferenceFamily,
    ReformResult,
    ServiceScenario,
    assumption_errors,
    evaluation_day,
    simulate,
)
from guichet.rules.tariffs import (
    FieldError,
    Grid,
    GridError,
    TariffNotApplicable,
    grid_from_dict,
    grid_in_force,
    grid_to_dict,
)
from guichet.rules.tariffs_batch import FactsBatch, prices_cents, to_cents
from guichet.territory.models import Quartier

logger = logging.getLogger(__name__)
CHUNK = 2_000
POPULATION_SHARE = 85  # progress: reading the population is most of the work
TARGET_TYPE = "reform_simulation"
# Attendance assumptions offered by default (units per month, share attending, %), by kind of service:
# orders of magnitude to start from, the responsable states the commune's own.
DEFAULT_ASSUMPTIONS: dict[str, tuple[str, str]] = {
    "cantine": ("16", "70"),
    "periscolaire": ("20", "40"),
    "centre_loisirs": ("4", "25"),
    "creche": ("120", "15"),
    "ecole_musique": ("0.33", "5"),
    "portage_repas": ("20", "5"),
    "teleassistance": ("1", "10"),
    "transport": ("4", "10"),
    "sejours": ("1", "5"),
}
Progress = Callable[[int, str], None]  # (percent, French label)


class ReformError(Exception):
    """A simulation that cannot run (``str(exc)`` is a French message)."""


# --- scenario ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioItem:
    service: MunicipalService
    current: Grid
    draft: Grid
    units_per_month: Decimal
    attendance_percent: Decimal


def _decimal(raw: Any, path: str, errors: list[FieldError]) -> Decimal | None:
    try:
        return Decimal(str(raw).strip().replace(",", "."))
    except Exception:  # noqa: BLE001 - any unreadable input is a field error
        errors.append(FieldError(path, f"nombre attendu, reçu « {raw} »"))
        return None


def assumptions(units: Any, share: Any) -> tuple[Decimal, Decimal]:
    """Units per month and attendance share (%) read, then checked by the rules core; ``GridError`` lists
    the problems."""
    errors: list[FieldError] = []
    units_value = _decimal(units, "unites_par_mois", errors)
    share_value = _decimal(share, "frequentation", errors)
    errors += assumption_errors(units_value, share_value)
    errors.sort(key=lambda error: error.path != "unites_par_mois")  # stable: each field's problem in field order
    if errors or units_value is None or share_value is None:
        raise GridError(errors)
    return units_value, share_value


def current_grid(service: MunicipalService, on: dt.date) -> Grid:
    try:
        return grid_in_force([grid_from_dict(row.data) for row in service.grids.order_by("-valid_from")], on)
    except TariffNotApplicable as error:
        raise ReformError(f"Le service « {service.name} » n'a pas de grille en vigueur au {on:%d/%m/%Y}.") from error


def draft_grid(service: MunicipalService, data: Mapping[str, Any]) -> Grid:
    return grid_from_dict({**data, "service": service.name, "unite": service.unit})


def scenario_items(simulation: ReformSimulation) -> list[ScenarioItem]:
    slugs = [item["service"] for item in simulation.scenario]
    services = {s.slug: s for s in MunicipalService.objects.filter(slug__in=slugs)}
    items = []
    for item in simulation.scenario:
        service = services.get(item["service"])
        if service is None:
            raise ReformError(f"Le service « {item['service']} » n'existe plus.")
        items.append(
            ScenarioItem(
                service=service,
                current=current_grid(service, simulation.reference_date),
                draft=draft_grid(service, item["grille"]),
                units_per_month=Decimal(item["unites_par_mois"]),
                attendance_percent=Decimal(item["frequentation"]),
            )
        )
    return items


def service_scenarios(items: Sequence[ScenarioItem]) -> list[ServiceScenario]:
    return [
        ServiceScenario(
            key=item.service.slug,
            label=item.service.name,
            unit=item.service.unit,
            current=item.current,
            draft=item.draft,
            units_per_month=item.units_per_month,
            attendance_percent=item.attendance_percent,
        )
        for item in items
    ]


# --- population -------------------------------------------------------------------------------


def population_ids(source: str) -> list[int]:
    synthetic = source == ReformPopulation.SYNTHETIC
    return list(Household.objects.filter(is_synthetic=synthetic).order_by("pk").values_list("pk", flat=True))


class _Collector:
    """Numbers of each household, appended chunk by chunk."""

    def __init__(self, services: Sequence[MunicipalService], on: dt.date) -> None:
        self.services, self.on = services, on
        self.columns: dict[str, list[Any]] = {
            k: [] for k in ("quotient", "resources", "income_uc", "children", "disabled", "resident", "quartier")
        }
        self.members: dict[str, tuple[list[int], list[int]]] = {s.slug: ([], []) for s in services}
        self.quartiers: dict[str, int] = {}

    def add(self, household: rules.Household) -> None:
        index = len(self.columns["quotient"])
        quotient = caf_quotient(household, self.on)
        computed = quotient.computed or quotient
        value = round_money(quotient.value)
        resources = round_money(computed.monthly_resources or Decimal(0))
        monthly_income = value * quotient.parts if quotient.parts else resources + computed.family_benefits
        income_uc = round_money(monthly_income / consumption_units(household, self.on))
        self.columns["quotient"].append(to_cents(value))
        self.columns["resources"].append(to_cents(resources))
        self.columns["income_uc"].append(to_cents(income_uc))
        self.columns["children"].append(computed.dependent_children)
        self.columns["disabled"].append(computed.aeeh_children > 0)
        self.columns["resident"].append(is_resident(household))
        self.columns["quartier"].append(self.quartiers.setdefault(household.quartier, len(self.quartiers)))
        people = sorted(household.people, key=lambda person: person.birth_date)
        for service in self.services:
            rank = 0
            index_list, rank_list = self.members[service.slug]
            for person in people:
                if not service.concerns_age(person.age_on(self.on)):
                    continue
                is_child = person.role == "enfant"
                rank += 1 if is_child else 0
                index_list.append(index)
                rank_list.append(rank if is_child else 1)

    def population(self, label: str) -> Population:
        names = dict(Quartier.objects.filter(slug__in=self.quartiers).values_list("slug", "name"))
        labels = [""] * len(self.quartiers)
        for slug, index in self.quartiers.items():
            labels[index] = names.get(slug, slug)
        c = self.columns
        return Population(
            quotient_cents=np.array(c["quotient"], dtype=np.int64),
            resources_cents=np.array(c["resources"], dtype=np.int64),
            income_uc_cents=np.array(c["income_uc"], dtype=np.int64),
            dependent_children=np.array(c["children"], dtype=np.int64),
            has_disabled_child=np.array(c["disabled"], dtype=bool),
            is_resident=np.array(c["resident"], dtype=bool),
            quartier=np.array(c["quartier"], dtype=np.int64),
            quartier_labels=tuple(labels),
            members={slug: Members.build(index, ranks) for slug, (index, ranks) in self.members.items()},
            label=label,
        )


def build_population(
    source: str,
    services: Sequence[MunicipalService],
    on: dt.date,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Population:
    """The households of ``source`` (``fichier`` or ``synthetique``) as arrays, in chunks."""
    ids = population_ids(source)
    if not ids:
        label = ReformPopulation(source).label.lower()
        raise ReformError(f"Aucun ménage dans la population choisie ({label}).")
    collector = _Collector(services, on)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        households = rules_households(chunk)
        for household_id in chunk:
            if household_id in households:
                collector.add(households[household_id])
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    return collector.population(ReformPopulation(source).label)


# reference families for the threshold effects: label, CAF parts, ages of the children, ages of adults
FAMILIES: tuple[tuple[str, Decimal, tuple[int, ...], tuple[int, ...]], ...] = (
    ("Parent isolé, un enfant de 7 ans", Decimal("2.5"), (7,), (35,)),
    ("Couple, deux enfants de 4 et 9 ans", Decimal(3), (9, 4), (38, 36)),
    ("Couple, trois enfants de 2, 6 et 11 ans", Decimal(4), (11, 6, 2), (40, 38)),
    ("Personne seule de 78 ans", Decimal(1), (), (78,)),
)


def reference_families(services: Iterable[MunicipalService]) -> list[ReferenceFamily]:
    """The families concerned by at least one of ``services`` (by the ages of their members)."""
    result = []
    for label, parts, children, adults in FAMILIES:
        members = {
            service.slug: sum(1 for age in (*children, *adults) if service.concerns_age(age)) for service in services
        }
        if any(members.values()):
            result.append(ReferenceFamily(label, parts, len(children), members))
    return result


# --- the run ----------------------------------------------------------------------------------


def run_reform(
    source: str, items: Sequence[ScenarioItem], on: dt.date, *, progress: Progress | None = None
) -> ReformResult:
    """Read the population and simulate: the one code path of the web, the API and the CLI."""
    services = [item.service for item in items]

    def population_progress(done: int, total: int) -> None:
        if progress:
            progress(done * POPULATION_SHARE // total, f"Lecture des ménages : {done} sur {total}")

    population = build_population(source, services, on, progress=population_progress)

    def service_progress(done: int, total: int) -> None:
        if progress:
            share = POPULATION_SHARE + done * (99 - POPULATION_SHARE) // total
            progress(share, f"Calcul des prix : {done} service(s) sur {total}")

    result = simulate(
        population, service_scenarios(items), on, families=reference_families(services), progress=service_progress
    )
    if progress:
        progress(100, "Terminé")
    return result


def reform_simulation_execute(simulation_id: int) -> ReformSimulation:
    """Run a queued simulation (the Celery task), saving progress as it goes; a failure is stored
    with its French message, never raised."""
    simulation = ReformSimulation.objects.get(pk=simulation_id)
    rows = ReformSimulation.objects.filter(pk=simulation_id)
    rows.update(status=ReformStatus.RUNNING, started_at=timezone.now(), progress=0, progress_label="Démarrage")

    def progress(percent: int, label: str) -> None:
        rows.update(progress=percent, progress_label=label[:200])

    try:
        result = run_reform(
            simulation.population, scenario_items(simulation), simulation.reference_date, progress=progress
        )
    except (ReformError, GridError, ParameterError, TariffNotApplicable) as error:
        rows.update(status=ReformStatus.FAILED, error=str(error), finished_at=timezone.now())
    except Exception:  # a run never stays « en cours » forever; the trace goes to the log
        logger.exception("Reform simulation %s failed", simulation_id)
        message = "Erreur inattendue pendant le calcul ; elle a été enregistrée. Réessayez ou signalez-la."
        rows.update(status=ReformStatus.FAILED, error=message, finished_at=timezone.now())
    else:
        rows.update(
            status=ReformStatus.DONE, results=result.as_json(), error="", progress=100, finished_at=timezone.now()
        )
    simulation.refresh_from_db()
    return simulation


# --- writes -----------------------------------------------------------------------------------


def _check(user: Any) -> None:
    if not can_manage_grids(user):
        raise PermissionDenied("Seul un responsable peut préparer une simulation de réforme tarifaire.")


@transaction.atomic
def reform_simulation_create(
    *,
    user: Any,
    title: str,
    population: str,
    reference_date: dt.date | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> ReformSimulation:
    _check(user)
    if population not in ReformPopulation.values:
        raise GridError([FieldError("population", f"population inconnue « {population} »")])
    simulation = ReformSimulation.objects.create(
        title=title.strip() or "Simulation",
        population=population,
        reference_date=reference_date or timezone.localdate(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit_record(
        actor=user,
        action=Action.CREATE,
        target_type=TARGET_TYPE,
        target_id=simulation.pk,
        fields=["title", "population"],
        request=request,
        channel=channel,
    )
    return simulation


def default_draft(service: MunicipalService, on: dt.date) -> dict[str, Any]:
    """A draft to start from: the grid in force (or the latest), starting on the next 1st January."""
    latest: TariffGrid | None = service.grids.order_by("-valid_from").first()
    data = dict(latest.data) if latest else {"regle": {"type": "forfait", "prix": "0"}}
    return {**data, "debut": dt.date(on.year + 1, 1, 1).isoformat(), "fin": None, "deliberation": ""}


@transaction.atomic
def reform_service_set(
    *,
    user: Any,
    simulation: ReformSimulation,
    service: MunicipalService,
    grid: Mapping[str, Any],
    units_per_month: Any,
    attendance_percent: Any,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> ReformSimulation:
    """Add or replace a service's draft grid and assumptions; previous results are dropped.
    ``GridError`` lists every problem (grid and assumptions), with its path."""
    _check(user)
    simulation = ReformSimulation.objects.select_for_update().get(pk=simulation.pk)
    if simulation.is_running:
        raise ReformError("La simulation est en cours de calcul : attendez la fin pour la modifier.")
    errors: list[FieldError] = []
    draft = None
    try:
        draft = draft_grid(service, grid)
    except GridError as error:
        errors.extend(error.errors)
    try:
        units, share = assumptions(units_per_month, attendance_percent)
    except GridError as error:
        errors.extend(error.errors)
    if errors or draft is None:
        raise GridError(errors)
    current_grid(service, simulation.reference_date)  # a service without a grid in force cannot be compared
    item = {
        "service": service.slug,
        "grille": grid_to_dict(draft),
        "unites_par_mois": str(units),
        "frequentation": str(share),
    }
    others = [entry for entry in simulation.scenario if entry["service"] != service.slug]
    return _scenario_save(user, simulation, [*others, item], service.slug, request, channel)


@transaction.atomic
def reform_service_remove(
    *, user: Any, simulation: ReformSimulation, slug: str, request: HttpRequest | None = None, channel: str = "web"
) -> ReformSimulation:
    _check(user)
    simulation = ReformSimulation.objects.select_for_update().get(pk=simulation.pk)
    if simulation.is_running:
        raise ReformError("La simulation est en cours de calcul : attendez la fin pour la modifier.")
    scenario = [entry for entry in simulation.scenario if entry["service"] != slug]
    return _scenario_save(user, simulation, scenario, slug, request, channel)


def _scenario_save(
    user: Any,
    simulation: ReformSimulation,
    scenario: list[dict[str, Any]],
    slug: str,
    request: HttpRequest | None,
    channel: str,
) -> ReformSimulation:
    """A changed scenario is a draft again: former results no longer describe it."""
    simulation.scenario = scenario
    simulation.status, simulation.results, simulation.progress, simulation.error = ReformStatus.DRAFT, None, 0, ""
    simulation.save(update_fields=["scenario", "status", "results", "progress", "error"])
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type=TARGET_TYPE,
        target_id=simulation.pk,
        fields=[f"scenario.{slug}"],
        request=request,
        channel=channel,
    )
    return simulation


@transaction.atomic
def reform_simulation_queue(
    *, user: Any, simulation: ReformSimulation, request: HttpRequest | None = None, channel: str = "web"
) -> ReformSimulation:
    """Mark the simulation queued; ``tasks.reform_simulation_run`` starts the task after the commit."""
    _check(user)
    simulation = ReformSimulation.objects.select_for_update().get(pk=simulation.pk)
    if simulation.is_running:
        raise ReformError("La simulation est déjà en cours de calcul.")
    if not simulation.scenario:
        raise ReformError("Ajoutez au moins un service et son projet de grille avant de lancer la simulation.")
    scenario_items(simulation)  # every draft still valid, every service still priced
    simulation.status, simulation.progress, simulation.progress_label = ReformStatus.QUEUED, 0, "En attente"
    simulation.results, simulation.error, simulation.started_at, simulation.finished_at = None, "", None, None
    simulation.save(
        update_fields=["status", "progress", "progress_label", "results", "error", "started_at", "finished_at"]
    )
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type=TARGET_TYPE,
        target_id=simulation.pk,
        fields=["status"],
        reason="lancement du calcul",
        request=request,
        channel=channel,
    )
    return simulation


# --- current grid and draft side by side -------------------------------------------------------

COMPARISON_TOP = {"quotient": 3_000, "ressources": 9_000}  # euros on the axis
COMPARISON_TABLE_STEP = {"quotient": 250, "ressources": 750}


@dataclass(frozen=True)
class GridComparison:
    service: MunicipalService
    basis: str  # "quotient" or "ressources"
    xs: list[int]  # euros
    current: list[int]  # cents, a resident first child of a one-child family
    draft: list[int]
    table: list[tuple[Decimal, Decimal, Decimal]]  # (value, current price, draft price) at round values


def grid_comparisons(simulation: ReformSimulation) -> list[GridComparison]:
    """Each service's price per unit along its axis, under the grid in force and under the draft
    (same facts as the service page's preview: quotient = resources = the value, one child). Empty
    when a service or a grid has gone since the run: the rest of the results and report stand."""
    try:
        items = scenario_items(simulation)
    except (ReformError, GridError):
        return []
    result = []
    for item in items:
        basis = preview_basis(item.current)
        top = COMPARISON_TOP[basis]
        xs = list(range(0, top + 1, 10))
        cents = np.array(xs, dtype=np.int64) * 100
        facts = FactsBatch.build(quotient_cents=cents, resources_cents=cents)
        on = simulation.reference_date
        current = prices_cents(item.current, facts, evaluation_day(item.current, on)).tolist()
        draft = prices_cents(item.draft, facts, evaluation_day(item.draft, on)).tolist()
        step = COMPARISON_TABLE_STEP[basis] // 10
        table = [
            (Decimal(xs[i]), Decimal(current[i]).scaleb(-2), Decimal(draft[i]).scaleb(-2))
            for i in range(0, len(xs), step)
        ]
        result.append(GridComparison(item.service, basis, xs, current, draft, table))
    return result
