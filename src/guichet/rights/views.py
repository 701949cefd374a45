"""Rights pages: a household's « bilan de droits » (computed in the background of the page through
htmx, so that the page answers at once even when OpenFisca is not warm yet), a stored assessment,
its replay."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.rights.forms import ScenarioForm
from guichet.rights.mapping import IncompleteHousehold
from guichet.rights.presentation import assessment_view
from guichet.rights.scenarios import ScenarioError
from guichet.rights.selectors import household_assessments
from guichet.rights.services import (
    assessment_open,
    assessment_replay,
    assessment_run,
    household_assessments_open,
    scenario_compare,
)


def _month(raw: str | None) -> dt.date:
    """``AAAA-MM`` from the form, else the current month."""
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


@require_perm(Perm.HOUSEHOLD_FOLLOW)
def household_rights_view(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        household, assessments = household_assessments_open(
            user=request.user, household_id=household_id, request=request
        )
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=household_id)
    month = _month(request.GET.get("mois"))
    context = {"household": household, "assessments": assessments, "month": month, "form": ScenarioForm()}
    return render(request, "rights/household.html", context)


@require_perm(Perm.HOUSEHOLD_FOLLOW)
@require_POST
def assessment_run_view(request: HttpRequest, household_id: int) -> HttpResponse:
    is_htmx = request.headers.get("HX-Request") == "true"
    try:
        assessment = assessment_run(
            user=request.user, household_id=household_id, month=_month(request.POST.get("mois")), request=request
        )
    except BreakGlassRequired:
        target = reverse("households:break_glass", kwargs={"pk": household_id})
        return HttpResponse(headers={"HX-Redirect": target}) if is_htmx else redirect(target)
    except IncompleteHousehold as error:
        if is_htmx:
            return render(request, "rights/_incomplete.html", {"message": str(error), "household_id": household_id})
        messages.error(request, str(error))
        return redirect("rights:household", household_id=household_id)
    if is_htmx:
        # the stored assessments' list is refreshed out of band: it may hold the new one
        context = {"view": assessment_view(assessment), "fragment": True, "oob": True}
        context["assessments"] = household_assessments(household_id)
        return render(request, "rights/_assessment_result.html", context)
    return redirect("rights:assessment", assessment_id=assessment.pk)


@require_perm(Perm.HOUSEHOLD_FOLLOW)
def assessment_view_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        assessment = assessment_open(user=request.user, assessment_id=assessment_id, request=request)
    except BreakGlassRequired as required:
        return redirect("households:break_glass", pk=required.household.pk)
    return render(request, "rights/assessment.html", {"view": assessment_view(assessment)})


@require_perm(Perm.HOUSEHOLD_FOLLOW)
@require_POST
def assessment_replay_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        replay = assessment_replay(user=request.user, assessment_id=assessment_id, request=request)
    except BreakGlassRequired as required:
        return redirect("households:break_glass", pk=required.household.pk)
    return render(request, "rights/replay.html", {"replay": replay, "view": assessment_view(replay.assessment)})


@require_perm(Perm.HOUSEHOLD_FOLLOW)
@require_POST
def scenario_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """« Et si… »: the result replaces the form's region (htmx) or a page of its own."""
    form = ScenarioForm(request.POST)
    month = _month(request.POST.get("mois"))
    context: dict[str, object] = {"form": form, "household_id": household_id, "month": month}
    if form.is_valid():
        try:
            context["comparison"] = scenario_compare(
                user=request.user,
                household_id=household_id,
                month=month,
                scenario=form.scenario(),
                request=request,
            )
        except BreakGlassRequired:
            return redirect("households:break_glass", pk=household_id)
        except (IncompleteHousehold, ScenarioError) as error:
            form.add_error(None, str(error))
    template = "rights/_scenario.html" if request.headers.get("HX-Request") == "true" else "rights/scenario.html"
    return render(request, template, context)
