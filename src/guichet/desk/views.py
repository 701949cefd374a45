"""Pages of the guichet unique: intake, work queues and exports, request detail and its actions,
referrals and their statistics, partners directory."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.accounts.models import User
from guichet.desk.enums import THEMES, ReferralOutcome, RequestStatus, SharedData, Theme
from guichet.desk.forms import (
    AssignForm,
    CloseForm,
    PartnerFilterForm,
    PartnerForm,
    QueueFilterForm,
    ReferralAnswerForm,
    ReferralForm,
    RequestEditForm,
    RequestForm,
    StatusForm,
)
from guichet.desk.models import Partner, Request
from guichet.desk.perms import (
    can_edit_requests,
    can_export_requests,
    can_manage_partners,
    can_refer,
    get_referral_for_user,
    get_request_for_user,
)
from guichet.desk.selectors import (
    EXPORT_HEADER,
    QUEUES,
    RequestFilters,
    StatLine,
    agent_choices,
    partners_for,
    queue_counts,
    referral_stats,
    referrals_to_chase,
    request_rows,
    request_stats,
    requests_for,
)
from guichet.desk.services import (
    DeskError,
    partner_save,
    referral_create,
    referral_record_answer,
    request_assign,
    request_change_status,
    request_close,
    request_create,
    request_open,
    request_update,
    requests_export,
)
from guichet.households.perms import BreakGlassRequired, get_household_for_user
from guichet.households.selectors import HouseholdFilters, household_ids_for, household_rows, quartier_choices

PAGE_SIZE = 25
THEME_DELAYS = [(theme.label, info.target_days) for theme, info in THEMES.items()]  # table of the intake form


def _break_glass(required: BreakGlassRequired) -> HttpResponse:
    return redirect("households:break_glass", pk=required.household.pk)


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> tuple[QueueFilterForm, RequestFilters]:
    form = QueueFilterForm(request.GET or None, quartiers=quartier_choices(), agents=agent_choices())
    filters = RequestFilters(household=_int_param(request.GET.get("menage")))
    if form.is_valid():
        data = form.cleaned_data
        filters = RequestFilters(
            queue=data["file"] or "miennes",
            theme=data["theme"],
            axis=data["axe"],
            concern=data["preoccupation"],
            quartier=data["quartier"],
            status=data["status"],
            agent=data["agent"],
            household=filters.household,
        )
    return form, filters


@require_perm(Perm.HOUSEHOLD_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    counts = queue_counts(request.user)
    page = Paginator(requests_for(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "queue_label": QUEUES.get(filters.queue, ""),
        "queues": [(key, label, counts[key]) for key, label in QUEUES.items()],
        "page": page,
        "rows": request_rows(request.user, page.object_list),
        "query_string": query.urlencode(),
        "can_create": can_edit_requests(request.user),
        "can_export": can_export_requests(request.user),
        "can_refer": can_refer(request.user),
    }
    template = "desk/_queue_results.html" if getattr(request, "htmx", False) else "desk/queue.html"
    return render(request, template, context)


def _export_description(filters: RequestFilters) -> str:
    parts = [f"file {QUEUES.get(filters.queue, filters.queue)}"]
    parts += [
        f"{name} {value}"
        for name, value in (
            ("thème", filters.theme),
            ("axe", filters.axis),
            ("préoccupation", filters.concern),
            ("quartier", filters.quartier),
            ("statut", filters.status),
            ("agent", filters.agent),
        )
        if value
    ]
    return ", ".join(parts)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EXPORT)
def queue_export_csv(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    rows = requests_export(
        user=request.user,
        requests=requests_for(request.user, filters),
        description=_export_description(filters),
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="demandes-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(rows)
    return response


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EXPORT)
def queue_export_xlsx(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    rows = requests_export(
        user=request.user,
        requests=requests_for(request.user, filters),
        description=_export_description(filters),
        request=request,
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Demandes"
    sheet.append(EXPORT_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="demandes-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response


def _agent(pk: int | None) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def request_new(request: HttpRequest) -> HttpResponse:
    household_id = _int_param(request.GET.get("menage"))
    if household_id is None:
        q = request.GET.get("q", "").strip()
        rows = household_rows(request.user, list(household_ids_for(HouseholdFilters(q=q)))[:15]) if q else []
        return render(request, "desk/request_pick_household.html", {"q": q, "rows": rows})
    try:
        household = get_household_for_user(request.user, household_id)
    except BreakGlassRequired as required:
        return _break_glass(required)
    form = RequestForm(request.POST or None, agents=agent_choices, people=household.people.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = request_create(
                user=request.user,
                household=household,
                theme=data["theme"],
                channel=data["channel"],
                urgency=data["urgency"],
                summary=data["summary"],
                person=data["person"],
                assigned_to=_agent(data["assigned_to"]),
                request=request,
            )
        except DeskError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Demande n° {demand.pk} enregistrée (échéance le {demand.due_on:%d/%m/%Y}).")
            return redirect("desk:detail", pk=demand.pk)
    context = {"form": form, "household": household, "themes": THEME_DELAYS}
    return render(request, "desk/request_new.html", context)


def _detail_context(request: HttpRequest, demand: Request, **bound: Any) -> dict[str, Any]:
    return {
        "demand": demand,
        "events": demand.events.select_related("actor"),
        "referrals": demand.referrals.select_related("partner"),
        "appointments": demand.appointments.select_related("place").order_by("starts_at"),  # agent: not shown
        "is_overdue": demand.is_open and demand.due_on < timezone.localdate(),
        "can_edit": can_edit_requests(request.user),
        "can_refer": can_refer(request.user),
        "status_form": bound.get("status_form") or StatusForm(current=demand.status),
        "close_form": bound.get("close_form") or CloseForm(),
        "assign_form": bound.get("assign_form")
        or AssignForm(agents=agent_choices, initial={"assigned_to": demand.assigned_to_id}),
        "edit_form": bound.get("edit_form"),
    }


@require_perm(Perm.HOUSEHOLD_VIEW)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        demand = request_open(user=request.user, pk=pk, request=request)
    except BreakGlassRequired as required:
        return _break_glass(required)
    return render(request, "desk/request_detail.html", _detail_context(request, demand))


def _after_action(request: HttpRequest, demand: Request, **bound: Any) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, "desk/_request_panel.html", _detail_context(request, demand, **bound))
    if bound:
        return render(request, "desk/request_detail.html", _detail_context(request, demand, **bound), status=422)
    return redirect("desk:detail", pk=demand.pk)


def _editable(request: HttpRequest, pk: int) -> Request:
    return get_request_for_user(request.user, pk)


def _request_action(
    request: HttpRequest, pk: int, form_key: str, form: forms.Form, apply: Callable[[Request, dict[str, Any]], object]
) -> HttpResponse:
    """Run ``apply`` on the request when ``form`` is valid; on error the panel comes back with the form."""
    try:
        demand = _editable(request, pk)
    except BreakGlassRequired as required:
        return _break_glass(required)
    if form.is_valid():
        try:
            apply(demand, form.cleaned_data)
        except DeskError as error:
            form.add_error(None, error)
        else:
            return _after_action(request, demand)
    return _after_action(request, demand, **{form_key: form})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_http_methods(["GET", "POST"])
def request_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the intake: the form takes the place of « La demande » on the request page (htmx or not)."""
    if request.method == "GET":
        try:  # the form page shows the whole request: opening it is an audited read
            demand = request_open(user=request.user, pk=pk, request=request)
        except BreakGlassRequired as required:
            return _break_glass(required)
        initial = {name: getattr(demand, name) for name in ("theme", "channel", "urgency", "summary")}
        form = RequestEditForm(initial={**initial, "person": demand.person_id}, people=demand.household.people.all())
        template = "desk/_request_panel.html" if getattr(request, "htmx", False) else "desk/request_detail.html"
        return render(request, template, _detail_context(request, demand, edit_form=form))
    try:
        people = _editable(request, pk).household.people.all()
    except BreakGlassRequired as required:
        return _break_glass(required)

    def apply(demand: Request, data: dict[str, Any]) -> object:
        updated = request_update(
            user=request.user,
            demand=demand,
            theme=data["theme"],
            channel=data["channel"],
            urgency=data["urgency"],
            summary=data["summary"],
            person=data["person"],
            comment=data["comment"],
            request=request,
        )
        if not getattr(request, "htmx", False):
            messages.success(request, f"Demande n° {demand.pk} modifiée.")
        return updated

    return _request_action(request, pk, "edit_form", RequestEditForm(request.POST, people=people), apply)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def request_status(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(demand: Request, data: dict[str, Any]) -> object:
        return request_change_status(
            user=request.user, demand=demand, to=data["to"], comment=data["comment"], request=request
        )

    return _request_action(request, pk, "status_form", StatusForm(request.POST), apply)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def request_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(demand: Request, data: dict[str, Any]) -> object:
        return request_close(
            user=request.user, demand=demand, outcome=data["outcome"], comment=data["comment"], request=request
        )

    return _request_action(request, pk, "close_form", CloseForm(request.POST), apply)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def request_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(demand: Request, data: dict[str, Any]) -> object:
        return request_assign(
            user=request.user, demand=demand, assigned_to=_agent(data["assigned_to"]), request=request
        )

    return _request_action(request, pk, "assign_form", AssignForm(request.POST, agents=agent_choices), apply)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        demand = _editable(request, pk)
    except BreakGlassRequired as required:
        return _break_glass(required)
    form = ReferralForm(
        request.POST or None,
        initial={
            "sent_on": timezone.localdate(),
            "shared_data": [SharedData.IDENTITY, SharedData.CONTACT, SharedData.REQUEST],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_create(
                user=request.user,
                demand=demand,
                partner=data["partner"],
                shared_data=data["shared_data"],
                sent_on=data["sent_on"],
                comment=data["comment"],
                request=request,
            )
        except DeskError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Demande orientée vers {data['partner']}.")
            return redirect("desk:detail", pk=demand.pk)
    partners = partners_for(theme=demand.theme)
    return render(request, "desk/referral_new.html", {"form": form, "demand": demand, "suggested": partners})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        referral = get_referral_for_user(request.user, pk)
    except BreakGlassRequired as required:
        return _break_glass(required)
    form = ReferralAnswerForm(
        request.POST or None,
        initial={
            "acknowledged_on": referral.acknowledged_on,
            "answer": referral.answer,
            "answered_on": referral.answered_on,
            "outcome": referral.outcome,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral_record_answer(user=request.user, referral=referral, request=request, **form.cleaned_data)
        except DeskError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Orientation mise à jour.")
            return redirect("desk:detail", pk=referral.request_id)
    shared = [SharedData(value).label for value in referral.shared_data if value in SharedData.values]
    return render(request, "desk/referral_detail.html", {"referral": referral, "form": form, "shared": shared})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def referrals_to_chase_view(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/referrals_to_chase.html", {"rows": referrals_to_chase(request.user)})


@require_perm(any_of=(Perm.HOUSEHOLD_FOLLOW, Perm.STATS_VIEW))
def referral_stats_view(request: HttpRequest) -> HttpResponse:
    stats = referral_stats()
    demands = request_stats()
    context = {
        "stats": stats,
        "outcomes": ReferralOutcome.labels,
        "partner_chart": _bar_chart(stats.by_partner, stats.largest),
        "theme_chart": _bar_chart(stats.by_theme, stats.largest),
        "request_stats": demands,
        "statuses": RequestStatus.labels,
        "axis_chart": _bar_chart(demands.by_axis, demands.largest),
        "concern_chart": _bar_chart(demands.by_concern, demands.largest),
    }
    return render(request, "desk/referral_stats.html", context)


BAR_ROW, BAR_LABEL_WIDTH, BAR_MAX_WIDTH = 28, 260, 280


def _bar_chart(lines: list[StatLine], largest: int) -> dict[str, Any]:
    """Geometry of a horizontal bar chart drawn in SVG by the template (the table beside holds the numbers)."""
    bars = [
        {
            "label": line.label if len(line.label) <= 40 else line.label[:39] + "…",
            "total": line.total,
            "y": index * BAR_ROW,
            "text_y": index * BAR_ROW + 18,
            "width": max(1, round(BAR_MAX_WIDTH * line.total / largest)) if largest else 0,
            "value_x": BAR_LABEL_WIDTH + (round(BAR_MAX_WIDTH * line.total / largest) if largest else 0) + 6,
        }
        for index, line in enumerate(lines)
    ]
    return {"bars": bars, "height": len(bars) * BAR_ROW, "label_width": BAR_LABEL_WIDTH}


@require_perm(any_of=(Perm.HOUSEHOLD_VIEW, Perm.SETTINGS_MANAGE))
def partner_list(request: HttpRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    partners = partners_for(
        kind=data.get("kind", ""), theme=data.get("theme", ""), q=data.get("q", ""), active_only=False
    )
    return render(
        request,
        "desk/partner_list.html",
        {"form": form, "partners": partners, "can_manage": can_manage_partners(request.user), "themes": Theme},
    )


@require_perm(Perm.SETTINGS_MANAGE)
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partner = Partner() if pk is None else Partner.objects.filter(pk=pk).first()
    if partner is None:
        raise Http404("Partenaire introuvable.")
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            partner_save(user=request.user, partner=form.save(commit=False), changed=form.changed_data, request=request)
        except DeskError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Partenaire enregistré.")
            return redirect("desk:partners")
    return render(request, "desk/partner_edit.html", {"form": form, "partner": partner})
