"""Timeline provider: the requests of a household, their status changes and their referrals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from guichet.desk.models import RequestEvent
from guichet.households.models import Household
from guichet.households.perms import can_view_households
from guichet.households.timeline import TimelineEvent


def request_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    """Shown to whoever may open the household (the household page has already checked the file)."""
    if not can_view_households(user):
        return
    events = RequestEvent.objects.filter(request__household=household).select_related("request", "actor")
    for event in events:
        demand = event.request
        title = f"Demande n° {demand.pk} ({demand.get_theme_display()}) : "
        if event.kind == RequestEvent.Kind.CREATED:
            title += "créée"
        elif event.kind == RequestEvent.Kind.REFERRAL:
            # Creation: to_value is the partner; answer: from_value is the partner, to_value the outcome.
            if event.from_value:
                title += f"orientation vers {event.from_value} : {event.to_value}"
            else:
                title += f"orientée vers {event.to_value}"
        elif event.kind == RequestEvent.Kind.ASSIGNED:
            title += f"attribuée à {event.to_value}"
        else:
            title += f"{event.from_value} → {event.to_value}"
        yield TimelineEvent(
            when=event.at,
            kind="Orientation" if event.kind == RequestEvent.Kind.REFERRAL else "Demande",
            title=title,
            detail=event.comment,
            url=reverse("desk:detail", args=[demand.pk]),
            actor=(event.actor.get_full_name() or event.actor.get_username()) if event.actor else "",
        )
