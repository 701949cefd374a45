"""Reform simulator pages: the list, a simulation's scenario (drafts and assumptions, reusing the
grid editor's form), the run with its htmx-polled progress, the results with charts and tables, the
PDF report. Drafting and running: responsables (``SETTINGS_MANAGE``); the results and the report,
aggregates only, also for the direction (``STATS_VIEW``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.pricing.forms import GridForm, grid_initial
from guichet.pricing.models import MunicipalService, ReformSimulation, ReformStatus
from guichet.pricing.perms import can_manage_grids
from guichet.pricing.reform_charts import fluid, price_lines, result_charts
from guichet.pricing.reform_forms import AddServiceForm, AssumptionsForm, SimulationForm
from guichet.pricing.reform_report import reform_report_pdf, scenario_lines
from guichet.pricing.reform_services import (
    DEFAULT_ASSUMPTIONS,
    GridComparison,
    ReformError,
    default_draft,
    grid_comparisons,
    reform_service_remove,
    reform_service_set,
    reform_simulation_create,
)
from guichet.pricing.tasks import reform_simulation_run
from guichet.rules.tariffs import GridError

RESULTS_PERMS = (Perm.SETTINGS_MANAGE, Perm.STATS_VIEW)
AXIS_LABELS = {"quotient": "quotient familial (€)", "ressources": "ressources mensuelles (€)"}
ASSUMPTION_FIELDS = {"unites_par_mois", "frequentation"}


def _simulation(pk: int) -> ReformSimulation:
    return get_object_or_404(ReformSimulation.objects.select_related("created_by"), pk=pk)


@require_perm(any_of=RESULTS_PERMS)
def reform_list_view(request: HttpRequest) -> HttpResponse:
    can_manage = can_manage_grids(request.user)
    simulations = ReformSimulation.objects.all()
    if not can_manage:
        simulations = simulations.filter(status=ReformStatus.DONE)
    context = {"simulations": simulations[:100], "can_manage": can_manage, "form": SimulationForm()}
    return render(request, "pricing/reform_list.html", context)


@require_perm(Perm.SETTINGS_MANAGE)
def reform_create_view(request: HttpRequest) -> HttpResponse:
    form = SimulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        simulation = reform_simulation_create(
            user=request.user,
            title=form.cleaned_data["title"],
            population=form.cleaned_data["population"],
            request=request,
        )
        messages.success(request, "La simulation est créée : ajoutez le projet de grille d'un ou plusieurs services.")
        return redirect("pricing:reform_detail", pk=simulation.pk)
    return render(request, "pricing/reform_create.html", {"form": form})


@require_perm(Perm.SETTINGS_MANAGE)
def reform_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    simulation = _simulation(pk)
    slugs = [item["service"] for item in simulation.scenario]
    add_form = AddServiceForm(request.GET or None, exclude=slugs)
    if request.GET.get("service") and add_form.is_valid():
        return redirect("pricing:reform_service", pk=pk, slug=add_form.cleaned_data["service"].slug)
    names = dict(MunicipalService.objects.filter(slug__in=slugs).values_list("slug", "name"))
    summaries = scenario_lines(simulation)
    items = [
        {
            "slug": item["service"],
            "name": names.get(item["service"], item["service"]),
            "summary": summary,
            "units": Decimal(item["unites_par_mois"]),
            "share": Decimal(item["frequentation"]),
        }
        for item, (_name, summary) in zip(simulation.scenario, summaries, strict=True)
    ]
    context = {"simulation": simulation, "items": items, "add_form": add_form}
    return render(request, "pricing/reform_detail.html", context)


@require_perm(Perm.SETTINGS_MANAGE)
def reform_service_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    simulation = _simulation(pk)
    service = get_object_or_404(MunicipalService, slug=slug)
    existing = next((item for item in simulation.scenario if item["service"] == slug), None)
    draft = existing["grille"] if existing else default_draft(service, timezone.localdate())
    initial = {**grid_initial(draft), "debut": draft.get("debut"), "deliberation": draft.get("deliberation", "")}
    grid_form = GridForm(request.POST or None, initial=initial)
    units, share = (
        (existing["unites_par_mois"], existing["frequentation"])
        if existing
        else DEFAULT_ASSUMPTIONS.get(service.kind, ("1", "100"))
    )
    assumptions_initial = {"unites_par_mois": units, "frequentation": share}
    assumptions_form = AssumptionsForm(request.POST or None, initial=assumptions_initial)
    if request.method == "POST":
        grid_ok, assumptions_ok = grid_form.is_valid(), assumptions_form.is_valid()
        if grid_ok and assumptions_ok:
            data = {**grid_form.grid_data(), "regle_hors_commune": draft.get("regle_hors_commune")}
            try:
                reform_service_set(
                    user=request.user,
                    simulation=simulation,
                    service=service,
                    grid=data,
                    units_per_month=assumptions_form.cleaned_data["unites_par_mois"],
                    attendance_percent=assumptions_form.cleaned_data["frequentation"],
                    request=request,
                )
            except GridError as error:
                for item in error.errors:
                    if item.path in ASSUMPTION_FIELDS:
                        assumptions_form.add_error(item.path, item.message)
                grid_only = [item for item in error.errors if item.path not in ASSUMPTION_FIELDS]
                if grid_only:
                    grid_form.add_grid_errors(GridError(grid_only), data)
            except ReformError as error:
                grid_form.add_error(None, str(error))
            else:
                messages.success(request, f"Le projet pour « {service.name} » est enregistré.")
                return redirect("pricing:reform_detail", pk=pk)
    context = {
        "simulation": simulation,
        "service": service,
        "form": grid_form,
        "assumptions": assumptions_form,
        "is_new": existing is None,
    }
    return render(request, "pricing/reform_service.html", context)


@require_perm(Perm.SETTINGS_MANAGE)
@require_POST
def reform_service_remove_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    try:
        reform_service_remove(user=request.user, simulation=_simulation(pk), slug=slug, request=request)
    except ReformError as error:
        messages.error(request, str(error))
    return redirect("pricing:reform_detail", pk=pk)


@require_perm(Perm.SETTINGS_MANAGE)
@require_POST
def reform_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        reform_simulation_run(user=request.user, simulation=_simulation(pk), request=request)
    except (ReformError, GridError) as error:
        messages.error(request, str(error))
    return redirect("pricing:reform_detail", pk=pk)


@require_perm(any_of=RESULTS_PERMS)
def reform_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, polled by htmx while the simulation runs."""
    return render(request, "pricing/reform_progress.html", {"simulation": _simulation(pk)})


def comparison_charts(simulation: ReformSimulation) -> list[tuple[GridComparison, str]]:
    """Each service's current grid and draft as a chart (empty if a service or grid has gone since)."""
    comparisons = grid_comparisons(simulation)
    return [
        (
            comparison,
            mark_safe(  # noqa: S308 - our own SVG, text escaped
                fluid(
                    price_lines(
                        comparison.xs,
                        comparison.current,
                        comparison.draft,
                        AXIS_LABELS[comparison.basis],
                        f"{comparison.service.name} : prix par {comparison.service.unit}, grille actuelle et projet",
                        f"graphique-prix-{comparison.service.slug}",
                    )
                )
            ),
        )
        for comparison in comparisons
    ]


def _results_or_404(pk: int) -> ReformSimulation:
    simulation = _simulation(pk)
    if simulation.status != ReformStatus.DONE or not simulation.results:
        raise Http404("Cette simulation n'a pas encore de résultats.")
    return simulation


@require_perm(any_of=RESULTS_PERMS)
def reform_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    simulation = _results_or_404(pk)
    results: dict[str, Any] = simulation.results or {}
    charts = {name: mark_safe(fluid(svg)) for name, svg in result_charts(results).items()}  # noqa: S308 - our own SVG, text escaped
    context = {
        "simulation": simulation,
        "results": results,
        "charts": charts,
        "comparisons": comparison_charts(simulation),
        "scenario": scenario_lines(simulation),
        "can_manage": can_manage_grids(request.user),
        "effort_rows": [band for band in results["effort"] if band["households"]],
    }
    return render(request, "pricing/reform_results.html", context)


@require_perm(any_of=RESULTS_PERMS)
def reform_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    simulation = _results_or_404(pk)
    response = HttpResponse(reform_report_pdf(simulation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="simulation-tarifaire-{simulation.pk}.pdf"'
    return response
