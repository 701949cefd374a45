"""Household pages: list and search, detail (audited), break the glass for confidential files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.households.forms import BreakGlassForm, HouseholdSearchForm
from guichet.households.models import Household
from guichet.households.perms import BREAK_GLASS_DURATION, BreakGlassRequired, check_household_access
from guichet.households.selectors import (
    HouseholdFilters,
    household_detail,
    household_ids_for,
    household_rows,
    quartier_choices,
)
from guichet.households.services import household_break_glass, household_open
from guichet.households.timeline import household_timeline

PAGE_SIZE = 25


@require_perm(Perm.HOUSEHOLD_VIEW)
def household_list(request: HttpRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None, quartiers=quartier_choices())
    filters = HouseholdFilters()
    if form.is_valid():
        qpv = form.cleaned_data["qpv"]
        filters = HouseholdFilters(
            q=form.cleaned_data["q"],
            quartier=form.cleaned_data["quartier"],
            qpv={"oui": True, "non": False}.get(qpv),
        )
    page = Paginator(household_ids_for(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": household_rows(request.user, page.object_list),
        "query_string": query.urlencode(),
    }
    template = "households/_results.html" if request.htmx else "households/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_perm(Perm.HOUSEHOLD_VIEW)
def household_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        household = household_open(user=request.user, pk=pk, request=request)
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=pk)
    context = {
        "detail": household_detail(request.user, household),
        "timeline": household_timeline(request.user, household),
    }
    return render(request, "households/detail.html", context)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.BREAK_GLASS)
def household_break_glass_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    try:
        check_household_access(request.user, household)
    except BreakGlassRequired:
        pass
    else:
        return redirect("households:detail", pk=pk)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household_break_glass(
                user=request.user, household=household, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            return redirect("households:detail", pk=pk)
    minutes = int(BREAK_GLASS_DURATION.total_seconds() // 60)
    return render(request, "households/break_glass.html", {"household": household, "form": form, "minutes": minutes})
