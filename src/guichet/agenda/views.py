"""Pages of the agenda: the week (mine or a colleague's), booking from a household, appointment detail and
its actions. Places, opening slots and statistics are in ``settings_views.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.accounts.access import public_view, require_perm
from guichet.accounts.enums import Perm
from guichet.accounts.models import User
from guichet.agenda.forms import AgentWeekForm, BookForm, FreeSlotsForm, MarkForm, SlotForm
from guichet.agenda.ical import calendar_text
from guichet.agenda.models import Appointment
from guichet.agenda.perms import (
    can_manage_appointments,
    can_manage_places,
    can_view_agenda_stats,
    can_write_convocation,
    get_appointment_for_user,
)
from guichet.agenda.selectors import (
    FREE_SLOT_DAYS,
    Day,
    SlotChoice,
    agent_free_slots,
    agent_week,
    feed_appointments,
    household_attendance,
    is_within_opening_slots,
    week_start,
)
from guichet.agenda.services import (
    AgendaError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_open,
    appointment_reschedule,
    calendar_token_regenerate,
    calendar_token_user,
)
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.desk.models import Request
from guichet.desk.selectors import agent_choices
from guichet.households.perms import BreakGlassRequired, confidential_ids_open_to, get_household_for_user
from guichet.widgets import iso_day


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _break_glass(required: BreakGlassRequired) -> HttpResponse:
    return redirect("households:break_glass", pk=required.household.pk)


def _hidden_households(user: Any, days: list[Day]) -> set[int]:
    """Confidential households of a colleague's week that ``user`` may not open (shown without reference)."""
    confidential = list({a.household_id for day in days for a in day.appointments if a.household.is_confidential})
    return set(confidential) - confidential_ids_open_to(user, confidential) if confidential else set()


@require_perm(Perm.HOUSEHOLD_VIEW)
def my_agenda(request: HttpRequest) -> HttpResponse:
    monday = week_start(iso_day(request.GET.get("semaine"), timezone.localdate()))
    agent: Any = request.user
    agent_form = None
    requested = _int_param(request.GET.get("agent"))
    if can_manage_appointments(request.user):
        agents = agent_choices()
        agent_form = AgentWeekForm(agents=agents, initial={"agent": request.user.pk})
        if requested is not None and requested != request.user.pk:
            agent_form = AgentWeekForm(request.GET, agents=agents)
            if agent_form.is_valid():
                agent = User.objects.get(pk=requested)
    elif requested not in (None, request.user.pk):
        raise PermissionDenied("Vous ne pouvez consulter que votre propre agenda.")
    days = agent_week(agent, monday)
    is_mine = agent.pk == request.user.pk
    if not is_mine:
        audit_record(
            actor=request.user,
            action=Action.READ,
            target_type="agenda",
            target_id=agent.pk,
            fields=["appointments"],
            reason=f"semaine du {monday:%d/%m/%Y}",
            request=request,
        )
    context = {
        "days": days,
        "agent": agent,
        "is_mine": is_mine,
        "agent_form": agent_form,
        "agent_param": "" if is_mine else f"&agent={agent.pk}",
        "hidden": set() if is_mine else _hidden_households(request.user, days),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "today": timezone.localdate(),
        "can_manage_places": can_manage_places(request.user),
        "can_edit_slots": can_manage_appointments(request.user),
        "can_view_stats": can_view_agenda_stats(request.user),
    }
    return render(request, "agenda/my_agenda.html", context)


def _prefill(params: Any, agent_id: int | None) -> dict[str, Any]:
    """Initial values of the booking form from a free-slot link (``jour``, ``heure``, ``duree``, ``lieu``)."""
    initial: dict[str, Any] = {"agent": agent_id}
    for key, name in (("jour", "day"), ("heure", "start"), ("duree", "duration"), ("lieu", "place")):
        if params.get(key):
            initial[name] = params[key]
    return initial


def _warn_outside_slots(request: HttpRequest, appointment: Appointment) -> None:
    inside = is_within_opening_slots(
        agent_id=appointment.agent_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        place_id=appointment.place_id,
    )
    if inside is False:
        agent = appointment.agent.get_full_name() or appointment.agent.get_username()
        messages.warning(
            request, f"Attention : ce rendez-vous est en dehors des créneaux d'ouverture de {agent} à ce lieu."
        )


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def appointment_new(request: HttpRequest) -> HttpResponse:
    household_id = _int_param(request.GET.get("menage"))
    if household_id is None:
        messages.info(request, "Ouvrez le dossier du ménage pour lui fixer un rendez-vous.")
        return redirect("households:list")
    try:
        household = get_household_for_user(request.user, household_id)
    except BreakGlassRequired as required:
        return _break_glass(required)
    demand_id = _int_param(request.GET.get("demande"))
    demand = Request.objects.filter(pk=demand_id, household=household).first() if demand_id else None
    agents = agent_choices()
    slots_form = FreeSlotsForm(
        {"agent": request.GET.get("agent") or request.user.pk, "duree": request.GET.get("duree") or 30}, agents=agents
    )
    slot_agent_id = slots_form.cleaned_data["agent"] if slots_form.is_valid() else None
    duration = slots_form.cleaned_data["duree"] if slots_form.is_valid() else 30
    form = BookForm(request.POST or None, agents=agents, initial=_prefill(request.GET, slot_agent_id))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.slot()
        try:
            appointment = appointment_book(
                user=request.user,
                household=household,
                agent=User.objects.get(pk=form.cleaned_data["agent"]),
                place=form.cleaned_data["place"],
                starts_at=starts_at,
                ends_at=ends_at,
                reason=form.cleaned_data["reason"],
                demand=demand,
                request=request,
            )
        except AgendaError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Rendez-vous fixé le {timezone.localtime(appointment.starts_at):%d/%m/%Y à %H:%M}."
            )
            _warn_outside_slots(request, appointment)
            return redirect("agenda:detail", pk=appointment.pk)
    base = {"menage": household.pk, **({"demande": demand.pk} if demand else {})}
    context = {
        "form": form,
        "household": household,
        "demand": demand,
        "slots_form": slots_form,
        "free_slots": _slot_links(base, slot_agent_id, duration) if slot_agent_id else [],
        "attendance": household_attendance(household.pk),
        "slot_days": FREE_SLOT_DAYS,
    }
    return render(request, "agenda/appointment_new.html", context)


def _slot_links(base: dict[str, int], agent_id: int, minutes: int) -> list[tuple[SlotChoice, str]]:
    """The agent's free slots, each with the query string of the booking page pre-filled with it."""
    links = []
    for slot in agent_free_slots(agent_id, duration=dt.timedelta(minutes=minutes)):
        local = timezone.localtime(slot.starts_at)
        params = {"jour": local.date().isoformat(), "heure": f"{local:%H:%M}", "lieu": slot.place.pk}
        links.append((slot, urlencode({**base, "agent": agent_id, "duree": minutes, **params})))
    return links


def _detail(request: HttpRequest, appointment: Appointment, status: int = 200, **forms: Any) -> HttpResponse:
    local = timezone.localtime(appointment.starts_at)
    context = {
        "appointment": appointment,
        "can_edit": can_manage_appointments(request.user) and appointment.status == "prevu",
        "can_write_convocation": can_write_convocation(request.user) and appointment.status == "prevu",
        "reschedule_form": forms.get("reschedule_form")
        or SlotForm(
            keep_place=appointment.place_id,
            initial={
                "day": local.date(),
                "start": local.time(),
                "duration": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
                "place": appointment.place_id,
            },
        ),
    }
    return render(request, "agenda/appointment_detail.html", context, status=status)


@require_perm(Perm.HOUSEHOLD_VIEW)
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        appointment = appointment_open(user=request.user, pk=pk, request=request)
    except BreakGlassRequired as required:
        return _break_glass(required)
    return _detail(request, appointment)


def _action(request: HttpRequest, pk: int, apply: Callable[[Appointment], object], done: str) -> HttpResponse:
    try:
        appointment = get_appointment_for_user(request.user, pk)
    except BreakGlassRequired as required:
        return _break_glass(required)
    try:
        apply(appointment)
    except AgendaError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("agenda:detail", pk=pk)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda appointment: appointment_cancel(user=request.user, appointment=appointment, request=request),
        "Rendez-vous annulé.",
    )


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def appointment_mark_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = MarkForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return _action(
        request,
        pk,
        lambda appointment: appointment_mark(
            user=request.user, appointment=appointment, status=status, request=request
        ),
        "Rendez-vous mis à jour.",
    )


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
@require_POST
def appointment_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        appointment = get_appointment_for_user(request.user, pk)
    except BreakGlassRequired as required:
        return _break_glass(required)
    form = SlotForm(request.POST, keep_place=appointment.place_id)
    if form.is_valid():
        starts_at, ends_at = form.slot()
        try:
            appointment_reschedule(
                user=request.user,
                appointment=appointment,
                starts_at=starts_at,
                ends_at=ends_at,
                place=form.cleaned_data["place"],
                request=request,
            )
        except AgendaError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Rendez-vous déplacé.")
            return redirect("agenda:detail", pk=pk)
    return _detail(request, appointment, status=422, reschedule_form=form)


@require_perm(Perm.HOUSEHOLD_VIEW)
@require_POST
def calendar_token_view(request: HttpRequest) -> HttpResponse:
    token = calendar_token_regenerate(user=request.user, request=request)
    url = request.build_absolute_uri(reverse("agenda:ical", kwargs={"token": token}))
    return render(request, "agenda/calendar_token.html", {"url": url})


@public_view
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public, but answers only to a valid secret (404 otherwise), for an agent still allowed to see files."""
    user = calendar_token_user(token)
    if user is None or not user.has_perm(Perm.HOUSEHOLD_VIEW.full):
        raise Http404("Flux introuvable.")
    now = timezone.now()
    body = calendar_text(feed_appointments(user, now), host=request.get_host().split(":")[0], now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
