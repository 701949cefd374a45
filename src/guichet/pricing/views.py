"""Pricing pages: the catalogue, a service with its grids and preview, the service and grid
editors, a household's quotient and prices (page and « vos tarifs » PDF), the dated parameters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.pricing.chart import price_chart
from guichet.pricing.forms import GridForm, ServiceForm, grid_initial, service_initial
from guichet.pricing.models import MunicipalService
from guichet.pricing.perms import CATALOGUE_PERMS, can_manage_grids
from guichet.pricing.selectors import (
    catalogue,
    grid_summary,
    parameters_overview,
    preview_basis,
    preview_points,
    preview_table,
    service_entry,
)
from guichet.pricing.services import (
    household_prices_open,
    household_sheet_export,
    municipal_service_create,
    municipal_service_update,
    tariff_grid_create,
)
from guichet.rules.tariffs import BASIS_LABELS, GridError, PsuBareme

AXIS_LABELS = {"quotient": "Quotient familial (€)", "ressources": "Ressources mensuelles (€)"}


@require_perm(any_of=CATALOGUE_PERMS)
def catalogue_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    entries = [(entry, grid_summary(entry.in_force.grid) if entry.in_force else []) for entry in catalogue(today)]
    context = {"entries": entries, "today": today, "can_manage": can_manage_grids(request.user)}
    return render(request, "pricing/catalogue.html", context)


@require_perm(any_of=CATALOGUE_PERMS)
def service_view(request: HttpRequest, slug: str) -> HttpResponse:
    today = timezone.localdate()
    entry = service_entry(slug, today)
    context = {
        "entry": entry,
        "versions": [(version, grid_summary(version.grid)) for version in entry.versions],
        "can_manage": can_manage_grids(request.user),
        "today": today,
    }
    if entry.in_force:
        grid = entry.in_force.grid
        basis = preview_basis(grid)
        context.update(
            chart=price_chart(preview_points(grid, today), AXIS_LABELS[basis]),
            table=preview_table(grid, today),
            basis_label=BASIS_LABELS[basis],
            is_psu=isinstance(grid.rule, PsuBareme),
        )
    return render(request, "pricing/service.html", context)


@require_perm(Perm.SETTINGS_MANAGE)
def grid_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    today = timezone.localdate()
    entry = service_entry(slug, today)
    latest = entry.versions[0].row.data if entry.versions else {}
    form = GridForm(request.POST or None, initial=grid_initial(latest))
    if request.method == "POST" and form.is_valid():
        # The editor has no fields for a separate non-resident rule: a new version keeps the latest one's.
        data = {**form.grid_data(), "regle_hors_commune": latest.get("regle_hors_commune")}
        try:
            tariff_grid_create(user=request.user, service=entry.service, data=data, request=request)
        except GridError as error:
            form.add_grid_errors(error, data)
        else:
            messages.success(request, "La nouvelle grille est enregistrée ; la précédente s'arrête la veille.")
            return redirect("pricing:service", slug=slug)
    context = {"entry": entry, "form": form, "keeps_non_resident_rule": bool(latest.get("regle_hors_commune"))}
    return render(request, "pricing/grid_form.html", context)


@require_perm(Perm.HOUSEHOLD_FOLLOW)
def household_prices_view(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        prices = household_prices_open(user=request.user, household_id=household_id, request=request)
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=household_id)
    return render(request, "pricing/household.html", {"prices": prices})


@require_perm(Perm.HOUSEHOLD_FOLLOW)
def household_sheet_view(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        prices, pdf = household_sheet_export(user=request.user, household_id=household_id, request=request)
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=household_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"vos-tarifs-{prices.household.reference}-{prices.on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _service_form_page(request: HttpRequest, form: ServiceForm, service: MunicipalService | None) -> HttpResponse:
    return render(request, "pricing/service_form.html", {"form": form, "service": service})


@require_perm(Perm.SETTINGS_MANAGE)
def service_create_view(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = municipal_service_create(user=request.user, values=form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Le service est ajouté au catalogue. Adoptez maintenant sa première grille.")
            return redirect("pricing:service", slug=service.slug)
    return _service_form_page(request, form, None)


@require_perm(Perm.SETTINGS_MANAGE)
def service_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(MunicipalService, slug=slug)
    form = ServiceForm(request.POST or None, initial=service_initial(service))
    if request.method == "POST" and form.is_valid():
        try:
            changed = municipal_service_update(
                user=request.user, service=service, values=form.cleaned_data, request=request
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Le service est modifié." if changed else "Aucune modification.")
            return redirect("pricing:service", slug=service.slug)
    return _service_form_page(request, form, service)


@require_perm(Perm.SETTINGS_MANAGE)
def parameters_view(request: HttpRequest) -> HttpResponse:
    return render(request, "pricing/parameters.html", {"overview": parameters_overview(timezone.localdate())})
