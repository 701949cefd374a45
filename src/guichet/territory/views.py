"""Territory pages: the neighbourhoods with their map and aggregate counts, and the street table."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.territory import services
from guichet.territory.exceptions import ImportFileError, TerritoryError
from guichet.territory.forms import StreetImportForm, StreetQuartierForm
from guichet.territory.importers import decode, parse_streets
from guichet.territory.models import StreetQuartier
from guichet.territory.selectors import quartier_rows, street_rows
from guichet.territory.svgmap import quartier_map

STREETS_PER_PAGE = 50


@require_perm(any_of=(Perm.HOUSEHOLD_VIEW, Perm.STATS_VIEW, Perm.TERRITORY_MANAGE))
def quartiers(request: HttpRequest) -> HttpResponse:
    """Aggregates only (counts per neighbourhood), so every agent and the direction may see it."""
    rows = quartier_rows()
    context = {
        "rows": rows,
        "map": quartier_map(rows),
        "total_households": sum(row.households for row in rows),
        "total_people": sum(row.people for row in rows),
        "can_manage": request.user.has_perm(Perm.TERRITORY_MANAGE.full),
    }
    return render(request, "territory/quartiers.html", context)


@require_perm(Perm.TERRITORY_MANAGE)
def streets(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    form = StreetQuartierForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                street = services.street_quartier_create(
                    actor=request.user,
                    street_name=form.cleaned_data["street_name"],
                    quartier=form.cleaned_data["quartier"],
                    request=request,
                )
            except TerritoryError as exc:
                form.add_error("street_name", str(exc))
            else:
                messages.success(request, f"La voie « {street.street_name} » est rattachée à {street.quartier.name}.")
                return redirect("territory:streets")
        status = 400
    page = Paginator(street_rows(search=search), STREETS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "form": form}
    return render(request, "territory/streets.html", context, status=status)


@require_perm(Perm.TERRITORY_MANAGE)
def street_edit(request: HttpRequest, pk: int) -> HttpResponse:
    street = get_object_or_404(StreetQuartier.objects.select_related("quartier"), pk=pk)
    initial = {"street_name": street.street_name, "quartier": street.quartier}
    form = StreetQuartierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.street_quartier_update(
                actor=request.user,
                street=street,
                street_name=form.cleaned_data["street_name"],
                quartier=form.cleaned_data["quartier"],
                request=request,
            )
        except TerritoryError as exc:
            form.add_error("street_name", str(exc))
        else:
            messages.success(request, "Le rattachement de la voie a été enregistré.")
            return redirect("territory:streets")
    status = 400 if form.errors else 200
    return render(request, "territory/street_form.html", {"form": form, "street": street}, status=status)


@require_perm(Perm.TERRITORY_MANAGE)
def street_delete(request: HttpRequest, pk: int) -> HttpResponse:
    street = get_object_or_404(StreetQuartier.objects.select_related("quartier"), pk=pk)
    if request.method == "POST":
        services.street_quartier_delete(actor=request.user, street=street, request=request)
        messages.success(request, f"La voie « {street.street_name} » n'est plus rattachée à un quartier.")
        return redirect("territory:streets")
    return render(request, "territory/street_confirm_delete.html", {"street": street})


@require_perm(Perm.TERRITORY_MANAGE)
def streets_import(request: HttpRequest) -> HttpResponse:
    form = StreetImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = parse_streets(decode(upload.read(), filename=upload.name), filename=upload.name)
            result = services.streets_import(actor=request.user, records=records, filename=upload.name, request=request)
        except ImportFileError as exc:
            errors = exc.errors
        else:
            messages.success(
                request, f"Import terminé : {result.created} voie(s) ajoutée(s), {result.updated} mise(s) à jour."
            )
            return redirect("territory:streets")
    status = 400 if errors or form.errors else 200
    return render(request, "territory/streets_import.html", {"form": form, "errors": errors}, status=status)
