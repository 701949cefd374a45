"""Pages that set the agenda up: places of reception, agents' opening slots, and no-show statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.accounts.models import User
from guichet.agenda.forms import AgentWeekForm, AvailabilityForm, PlaceForm
from guichet.agenda.models import Availability, Place
from guichet.agenda.perms import can_manage_all_availabilities, get_availability_for_user
from guichet.agenda.selectors import agent_availabilities, attendance_stats, places
from guichet.agenda.services import AgendaError, availability_delete, availability_save, place_delete, place_save
from guichet.desk.selectors import agent_choices
from guichet.widgets import iso_day

STATS_DEFAULT_DAYS = 365


@require_perm(Perm.SETTINGS_MANAGE)
def place_list(request: HttpRequest) -> HttpResponse:
    return render(request, "agenda/place_list.html", {"places": places(active_only=False)})


@require_perm(Perm.SETTINGS_MANAGE)
def place_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    place = Place() if pk is None else places(active_only=False).filter(pk=pk).first()
    if place is None:
        raise Http404("Lieu introuvable.")
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        try:
            place_save(user=request.user, place=form.save(commit=False), changed=form.changed_data, request=request)
        except AgendaError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Lieu « {place.name} » enregistré.")
            return redirect("agenda:places")
    return render(request, "agenda/place_edit.html", {"form": form, "place": place})


@require_perm(Perm.SETTINGS_MANAGE)
@require_POST
def place_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = Place.objects.filter(pk=pk).first()
    if place is None:
        raise Http404("Lieu introuvable.")
    try:
        place_delete(user=request.user, place=place, request=request)
    except AgendaError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Lieu « {place.name} » supprimé.")
    return redirect("agenda:places")


def _allowed_agents(user: Any) -> list[tuple[int, str]]:
    """Whom ``user`` may give opening slots to: everyone for a responsable, else only themselves (first)."""
    own = (user.pk, user.get_full_name() or user.get_username())
    if can_manage_all_availabilities(user):
        return [own, *(choice for choice in agent_choices() if choice[0] != user.pk)]
    return [own]


@require_perm(Perm.HOUSEHOLD_EDIT)
def availability_list(request: HttpRequest) -> HttpResponse:
    agents = _allowed_agents(request.user)
    agent: Any = request.user
    agent_form = None
    if can_manage_all_availabilities(request.user):
        agent_form = AgentWeekForm(request.GET if "agent" in request.GET else None, agents=agents)
        if agent_form.is_bound and agent_form.is_valid():
            agent = User.objects.get(pk=agent_form.cleaned_data["agent"])
        elif not agent_form.is_bound:
            agent_form = AgentWeekForm(agents=agents, initial={"agent": request.user.pk})
    context = {
        "agent": agent,
        "is_mine": agent.pk == request.user.pk,
        "agent_form": agent_form,
        "availabilities": agent_availabilities(agent.pk),
    }
    return render(request, "agenda/availability_list.html", context)


def _availability_url(agent_id: int, user: Any) -> str:
    url = reverse("agenda:availabilities")
    return url if agent_id == user.pk else f"{url}?agent={agent_id}"


@require_perm(Perm.HOUSEHOLD_EDIT)
def availability_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agents = _allowed_agents(request.user)
    if pk is None:
        availability = Availability()
        owner_id = next((value for value, _ in agents if str(value) == request.GET.get("agent")), agents[0][0])
        initial = {"agent_id": owner_id}
    else:
        availability = get_availability_for_user(request.user, pk)
        owner_id, initial = availability.agent.pk, {}
    form = AvailabilityForm(request.POST or None, instance=availability, agents=agents, initial=initial)
    if request.method == "POST" and form.is_valid():
        availability = form.save(commit=False)
        agent = User.objects.get(pk=form.cleaned_data["agent_id"])
        availability.agent = agent
        changed = [*form.changed_data, *(["agent"] if "agent_id" in form.changed_data else [])]
        try:
            availability_save(user=request.user, availability=availability, changed=changed, request=request)
        except AgendaError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Créneau enregistré.")
            return redirect(_availability_url(agent.pk, request.user))
    back = _availability_url(owner_id, request.user)
    return render(request, "agenda/availability_edit.html", {"form": form, "availability": availability, "back": back})


@require_perm(Perm.HOUSEHOLD_EDIT)
@require_POST
def availability_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    availability = get_availability_for_user(request.user, pk)
    agent_id = availability.agent_id
    availability_delete(user=request.user, availability=availability, request=request)
    messages.success(request, "Créneau supprimé.")
    return redirect(_availability_url(agent_id, request.user))


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.STATS_VIEW)
def agenda_stats(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    until = iso_day(request.GET.get("au"), today)
    since = iso_day(request.GET.get("du"), until - dt.timedelta(days=STATS_DEFAULT_DAYS))
    if since > until:
        since, until = until, since
    context = {"stats": attendance_stats(since=since, until=until), "since": since, "until": until}
    return render(request, "agenda/stats.html", context)
