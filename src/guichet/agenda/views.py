"""Pages of the agenda: my week, booking from a household, appointment detail and its actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.accounts.access import public_view, require_perm
from guichet.accounts.enums import Perm
from guichet.accounts.models import User
from guichet.agenda.forms import BookForm, MarkForm, SlotForm
from guichet.agenda.ical import calendar_text
from guichet.agenda.models import Appointment
from guichet.agenda.perms import can_manage_appointments, get_appointment_for_user
from guichet.agenda.selectors import agent_week, feed_appointments, week_start
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
from guichet.desk.models import Request
from guichet.desk.selectors import agent_choices
from guichet.households.perms import BreakGlassRequired, get_household_for_user


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _break_glass(required: BreakGlassRequired) -> HttpResponse:
    return redirect("households:break_glass", pk=required.household.pk)


@require_perm(Perm.HOUSEHOLD_VIEW)
def my_agenda(request: HttpRequest) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    if not 1900 <= day.year <= 2999:
        day = timezone.localdate()
    monday = week_start(day)
    context = {
        "days": agent_week(request.user, monday),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "today": timezone.localdate(),
    }
    return render(request, "agenda/my_agenda.html", context)


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
    form = BookForm(request.POST or None, agents=agent_choices(), initial={"agent": request.user.pk})
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
            return redirect("agenda:detail", pk=appointment.pk)
    return render(request, "agenda/appointment_new.html", {"form": form, "household": household, "demand": demand})


def _detail(request: HttpRequest, appointment: Appointment, status: int = 200, **forms: Any) -> HttpResponse:
    local = timezone.localtime(appointment.starts_at)
    context = {
        "appointment": appointment,
        "can_edit": can_manage_appointments(request.user) and appointment.status == "prevu",
        "reschedule_form": forms.get("reschedule_form")
        or SlotForm(
            initial={
                "day": local.date(),
                "start": local.time(),
                "duration": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
                "place": appointment.place_id,
            }
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
    form = SlotForm(request.POST)
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
