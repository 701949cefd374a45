"""Pages of the non-take-up campaigns: list, new campaign, a campaign's progress (htmx-polled) and
results (aggregates only, what direction sees), the named list of households to contact with bulk
assignment (responsables; social workers see those assigned to them), and the contact's outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.rights.campaign_charts import bar_chart, choropleth
from guichet.rights.campaign_forms import AssignForm, CampaignForm, OutcomeForm, TargetFilterForm
from guichet.rights.campaigns import (
    BENEFIT_LABELS,
    CampaignError,
    agent_choices,
    campaign_list,
    campaign_restart,
    campaign_results,
    campaign_resume,
    campaign_start,
    campaign_target_open,
    campaign_target_record,
    campaign_targets_assign,
    campaign_targets_open,
    target_applicant,
)
from guichet.rights.perms import can_manage_campaigns, can_work_targets, get_campaign_for_user
from guichet.rights.tasks import campaign_enqueue
from guichet.territory.models import Quartier

VIEWERS = (Perm.HOUSEHOLD_FOLLOW, Perm.STATS_VIEW)
PER_PAGE = 50


@require_perm(any_of=VIEWERS)
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    context = {"campaigns": campaign_list()[:200], "can_manage": can_manage_campaigns(request.user)}
    return render(request, "rights/campaign_list.html", context)


@require_perm(Perm.DECIDE, Perm.HOUSEHOLD_FOLLOW)
def campaign_new_view(request: HttpRequest) -> HttpResponse:
    quartiers = list(Quartier.objects.order_by("name").values_list("pk", "name"))
    form = CampaignForm(request.POST or None, quartiers=quartiers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_start(
                user=request.user,
                name=data["name"],
                month=form.month_date(),
                scope=data["scope"],
                quartier_id=data["quartier"],
                group=data["group"] or "",
                request=request,
            )
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            campaign_enqueue(campaign.pk)
            messages.success(request, f"Campagne lancée : {campaign.total} ménage(s) à simuler.")
            return redirect("rights:campaign", campaign_id=campaign.pk)
    return render(request, "rights/campaign_new.html", {"form": form})


@require_perm(any_of=VIEWERS)
def campaign_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id)
    results = campaign_results(campaign)
    context = {
        "campaign": campaign,
        "results": results,
        "chart": bar_chart(results.by_benefit),
        "choropleth": choropleth(results.by_quartier),
        "can_manage": can_manage_campaigns(request.user),
        "can_work": can_work_targets(request.user),
    }
    return render(request, "rights/campaign.html", context)


@require_perm(any_of=VIEWERS)
def campaign_progress_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The progress fragment, polled while the campaign runs; once it ends, the page reloads."""
    campaign = get_campaign_for_user(request.user, campaign_id)
    response = render(request, "rights/includes/campaign_progress.html", {"campaign": campaign})
    if not campaign.is_active and request.GET.get("suivi") == "1":
        response["HX-Refresh"] = "true"
    return response


@require_perm(Perm.DECIDE, Perm.HOUSEHOLD_FOLLOW)
@require_POST
def campaign_restart_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    get_campaign_for_user(request.user, campaign_id)
    try:
        campaign = campaign_restart(user=request.user, campaign_id=campaign_id, request=request)
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        campaign_enqueue(campaign.pk)
        messages.success(request, "Campagne relancée : les suites déjà enregistrées sont conservées.")
    return redirect("rights:campaign", campaign_id=campaign_id)


@require_perm(Perm.DECIDE, Perm.HOUSEHOLD_FOLLOW)
@require_POST
def campaign_resume_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    get_campaign_for_user(request.user, campaign_id)
    try:
        pending = campaign_resume(user=request.user, campaign_id=campaign_id, request=request)
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        campaign_enqueue(campaign_id)
        messages.success(request, f"Simulation reprise : {len(pending)} lot(s) restant(s).")
    return redirect("rights:campaign", campaign_id=campaign_id)


def _quartier_choices() -> list[tuple[str, str]]:
    return list(Quartier.objects.order_by("name").values_list("slug", "name"))


@require_perm(Perm.HOUSEHOLD_FOLLOW)
def campaign_targets_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    agents = agent_choices()
    filter_form = TargetFilterForm(request.GET or None, quartiers=_quartier_choices(), agents=agents)
    campaign, targets = campaign_targets_open(
        user=request.user, campaign_id=campaign_id, filters=filter_form.filters(), request=request
    )
    page = Paginator(targets, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "filter_form": filter_form,
        "assign_form": AssignForm(agents=agents, prefix="attribution"),
        "page": page,
        "rows": [(target, BENEFIT_LABELS.get(target.benefit, target.benefit)) for target in page.object_list],
        "query_string": query.urlencode(),
        "can_manage": can_manage_campaigns(request.user),
    }
    template = (
        "rights/includes/campaign_targets_table.html"
        if request.headers.get("HX-Request") == "true"
        else "rights/campaign_targets.html"
    )
    return render(request, template, context)


@require_perm(Perm.DECIDE, Perm.HOUSEHOLD_FOLLOW)
@require_POST
def campaign_assign_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    form = AssignForm(request.POST, agents=agent_choices(), prefix="attribution")
    back = reverse("rights:campaign_targets", kwargs={"campaign_id": campaign_id})
    back += "?" + request.POST.get("retour", "") if request.POST.get("retour") else ""
    if not form.is_valid():
        messages.error(request, "Choisissez un agent dans la liste.")
        return redirect(back)
    try:
        ids = [int(value) for value in request.POST.getlist("cibles")]
        count = campaign_targets_assign(
            user=request.user,
            campaign_id=campaign_id,
            target_ids=ids,
            agent_id=form.cleaned_data["agent"],
            request=request,
        )
    except ValueError as error:  # CampaignError, or a tampered id
        messages.error(request, str(error) if isinstance(error, CampaignError) else "Sélection invalide.")
    else:
        messages.success(request, f"{count} ménage(s) attribué(s).")
    return redirect(back)


@require_perm(Perm.HOUSEHOLD_FOLLOW)
def campaign_target_view(request: HttpRequest, target_id: int) -> HttpResponse:
    target = campaign_target_open(user=request.user, target_id=target_id, request=request)
    initial = {
        "outcome": target.outcome,
        "contacted_on": target.contacted_on,
        "claimed_monthly": target.claimed_monthly,
        "notes": target.notes,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign_target_record(
                user=request.user,
                target_id=target.pk,
                outcome=data["outcome"],
                contacted_on=data["contacted_on"],
                claimed_monthly=data["claimed_monthly"],
                notes=data["notes"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Suite du contact enregistrée.")
            return redirect("rights:campaign_targets", campaign_id=target.campaign_id)
    context = {
        "target": target,
        "form": form,
        "benefit_label": BENEFIT_LABELS.get(target.benefit, target.benefit),
        "applicant": target_applicant(target),
    }
    return render(request, "rights/campaign_target.html", context)
